// The aging report as a page a cron job can mail on Monday morning.
#include "arctl/aging.hpp"
#include "arctl/template.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arctl {

namespace {

using namespace tmpl;

// One page, everything inline: the content security policy forbids
// fetching anything, so the page looks the same in a mail client offline.
constexpr std::string_view k_age_template =
    R"mustache({{! arctl's aging report. To change it, save it as
    templates/age.html.mustache in the books (arctl-age(1) lists the
    variables). Values in two-brace tags are HTML-escaped. }}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Receivables as of {{as_of}}{{#company.name}} · {{company.name}}{{/company.name}}</title>
<style>
* { box-sizing: border-box; }
body { margin: 0; background: #f3f5f7; color: #1f2933; font: 14px/1.45 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px; }
header h1 { margin: 0; font-size: 22px; }
header p { margin: 4px 0 0; color: #52606d; }
section.currency { margin-top: 24px; background: #fff; border-radius: 6px; padding: 20px 24px; box-shadow: 0 1px 4px rgba(0, 0, 0, .12); }
h2 { margin: 0 0 12px; font-size: 18px; }
h3 { margin: 20px 0 8px; font-size: 15px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 0; }
.figures div { flex: 1 1 130px; background: #f5f7fa; border-radius: 4px; padding: 8px 12px; }
.figures dt { color: #52606d; font-size: 12px; }
.figures dd { margin: 2px 0 0; font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
.figures .late dd { color: #b3261e; }
svg { display: block; width: 100%; max-width: 640px; height: auto; margin-top: 16px; }
svg .bar { fill: #3e7cb1; }
svg .bar.late { fill: #d9822b; }
svg .bar.old { fill: #b3261e; }
svg text { font: 12px "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; fill: #1f2933; }
svg .axis { stroke: #9aa5b1; stroke-width: 1; }
.lists { display: flex; flex-wrap: wrap; gap: 24px; }
.lists > div { flex: 1 1 320px; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e4e7eb; text-align: left; white-space: nowrap; }
th { font-size: 12px; color: #52606d; font-weight: 600; }
td.num, th.num { text-align: right; }
tr.total td { font-weight: 700; border-top: 2px solid #1f2933; border-bottom: none; }
.wide { overflow-x: auto; }
footer { margin: 24px 0 8px; color: #7b8794; font-size: 12px; }
</style>
</head>
<body>
<main>
<header>
<h1>Receivables as of {{as_of}}</h1>
<p>{{#company.name}}{{company.name}} · {{/company.name}}aged by {{basis}}</p>
</header>
{{^sections}}
<section class="currency"><p>Nothing is open or unapplied as of {{as_of}}.</p></section>
{{/sections}}
{{#sections}}
<section class="currency">
<h2>{{currency}}</h2>
<dl class="figures">
<div><dt>Balance</dt><dd>{{total}}</dd></div>
<div class="late"><dt>Past due</dt><dd>{{overdue}}</dd></div>
<div class="late"><dt>Over 90 days past due</dt><dd>{{over_90}}{{#over_90_share}} ({{over_90_share}}%){{/over_90_share}}</dd></div>
<div><dt>DSO, 30 days</dt><dd>{{dso_30}}</dd></div>
<div><dt>DSO, 90 days</dt><dd>{{dso_90}}</dd></div>
<div><dt>Weighted days past due</dt><dd>{{weighted_days_past_due}}</dd></div>
<div><dt>Unapplied credit</dt><dd>{{unapplied}}</dd></div>
<div><dt>Disputed</dt><dd>{{disputed}}</dd></div>
</dl>
<svg viewBox="0 0 {{chart.width}} {{chart.height}}" role="img" aria-labelledby="chart-{{currency}}">
<title id="chart-{{currency}}">Open {{currency}} by bucket</title>
<line class="axis" x1="0" y1="{{chart.baseline}}" x2="{{chart.width}}" y2="{{chart.baseline}}"/>
{{#chart.bars}}
<rect class="bar{{#late}} late{{/late}}{{#old}} old{{/old}}" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{label}}: {{amount}}</title></rect>
<text x="{{middle}}" y="{{amount_y}}" text-anchor="middle">{{amount}}</text>
<text x="{{middle}}" y="{{label_y}}" text-anchor="middle">{{label}}</text>
{{/chart.bars}}
</svg>
<div class="lists">
<div>
<h3>Largest balances</h3>
<table>
<tr><th>Customer</th><th class="num">Balance</th><th class="num">Past due</th></tr>
{{#largest}}
<tr><td>{{name}} ({{id}})</td><td class="num">{{total}}</td><td class="num">{{overdue}}</td></tr>
{{/largest}}
</table>
</div>
<div>
<h3>Most overdue</h3>
<table>
<tr><th>Customer</th><th class="num">Days past due</th><th class="num">Past due</th></tr>
{{#most_overdue}}
<tr><td>{{name}} ({{id}})</td><td class="num">{{days}}</td><td class="num">{{overdue}}</td></tr>
{{/most_overdue}}
{{^most_overdue}}
<tr><td colspan="3">Nothing is past due.</td></tr>
{{/most_overdue}}
</table>
</div>
</div>
<h3>{{table.title}}</h3>
<div class="wide">
<table>
<tr>{{#table.columns}}<th{{#numeric}} class="num"{{/numeric}}>{{name}}</th>{{/table.columns}}</tr>
{{#table.rows}}
<tr{{#total}} class="total"{{/total}}>{{#cells}}<td{{#numeric}} class="num"{{/numeric}}>{{text}}</td>{{/cells}}</tr>
{{/table.rows}}
</table>
</div>
</section>
{{/sections}}
<footer>arctl age --as-of {{as_of}} · amounts in each section's currency · DSO = open invoices ÷ net credit sales of the last 30 or 90 days × 30 or 90</footer>
</main>
</body>
</html>
)mustache";

constexpr int k_chart_width = 640;
constexpr int k_chart_top = 24;
constexpr int k_plot_height = 180;
constexpr int k_chart_height = k_chart_top + k_plot_height + 30;

Data chart_data(const AgingReport& report, const AgingSection& s) {
  const auto labels = report.buckets.labels();
  const auto& amounts = s.totals.buckets;
  std::int64_t largest = 0;
  for (const auto a : amounts)
    largest = std::max(largest, a);
  const int n = static_cast<int>(amounts.size());
  const int slot = (k_chart_width - 20) / std::max(n, 1);
  const int width = slot * 3 / 5;
  Data bars(Data::type::list);
  const bool on_due = report.buckets.basis == AgingBasis::due_date;
  for (int i = 0; i < n; ++i) {
    const auto amount = amounts[static_cast<std::size_t>(i)];
    const int height =
        amount <= 0 || largest <= 0
            ? 0
            : static_cast<int>(static_cast<__int128>(amount) * k_plot_height /
                               largest);
    const int x = 10 + i * slot + (slot - width) / 2;
    const int y = k_chart_top + k_plot_height - height;
    Data bar;
    bar.set("x", std::to_string(x));
    bar.set("y", std::to_string(y));
    bar.set("width", std::to_string(width));
    bar.set("height", std::to_string(height));
    bar.set("middle", std::to_string(x + width / 2));
    bar.set("amount_y", std::to_string(y - 6));
    bar.set("label_y", std::to_string(k_chart_top + k_plot_height + 18));
    bar.set("label", labels[static_cast<std::size_t>(i)]);
    bar.set("amount", display(amount, s.currency));
    bar.set("late", Data(on_due && i > 0 && i + 1 < n));
    bar.set("old", Data(i > 0 && i + 1 == n));
    bars.push_back(bar);
  }
  Data chart;
  chart.set("width", std::to_string(k_chart_width));
  chart.set("height", std::to_string(k_chart_height));
  chart.set("baseline", std::to_string(k_chart_top + k_plot_height));
  chart.set("bars", bars);
  return chart;
}

// The rows of a top list, at most five.
template <class Better>
Data top(const Books& books, const AgingSection& s, const Better& better,
         bool overdue_only) {
  std::vector<const AgingRow*> rows;
  for (const auto& r : s.rows)
    if (overdue_only ? r.most_days_past_due > 0 : r.amounts.total() > 0)
      rows.push_back(&r);
  const auto n = std::min<std::size_t>(5, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n),
                    rows.end(), [&](const AgingRow* a, const AgingRow* b) {
                      return better(*a, *b);
                    });
  Data list(Data::type::list);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = *rows[i];
    const auto& c = books.customers[r.customer];
    Data entry;
    entry.set("id", text_value(c.id));
    entry.set("name", text_value(c.name));
    entry.set("total", display(r.amounts.total(), s.currency));
    entry.set("days", std::to_string(r.most_days_past_due));
    entry.set("overdue", display(r.overdue, s.currency));
    list.push_back(entry);
  }
  return list;
}

Data table_data(const Books& books, const AgingReport& report,
                const AgingSection& s, AgingView view) {
  AgingReport one{report.as_of, report.buckets, {s}};
  const auto t = aging_table(books, one, view, false);
  Data columns(Data::type::list);
  for (const auto& c : t.columns) {
    Data col;
    col.set("name", c.name);
    col.set("numeric", Data(c.numeric));
    columns.push_back(col);
  }
  Data rows(Data::type::list);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    Data cells(Data::type::list);
    for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
      const bool numeric = t.columns[c].numeric;
      Data cell;
      const auto& text = t.rows[r][c];
      const bool amount =
          numeric && !text.empty() &&
          text.find_first_not_of("-0123456789.") == std::string::npos;
      cell.set("text", amount ? group_thousands(text) : clean(text));
      cell.set("numeric", Data(numeric));
      cells.push_back(cell);
    }
    Data row;
    row.set("cells", cells);
    row.set("total", Data(r + 1 == t.rows.size()));
    rows.push_back(row);
  }
  Data table;
  table.set("title", view == AgingView::invoice ? std::string("Open items")
                     : view == AgingView::summary
                         ? std::string("Summary")
                         : std::string("By customer"));
  table.set("columns", columns);
  table.set("rows", rows);
  return table;
}

} // namespace

Result<std::string> aging_html(const Books& books, const AgingReport& report,
                               AgingView view) {
  const auto figure = [](const std::optional<std::int64_t>& v) {
    return v ? format_tenths(*v) : std::string("n/a");
  };
  Data sections(Data::type::list);
  for (const auto& s : report.sections) {
    const auto& f = s.figures;
    Data d;
    d.set("currency", std::string(s.currency.name()));
    d.set("total", display(s.totals.total(), s.currency));
    d.set("open", display(s.totals.open(), s.currency));
    d.set("unapplied", display(s.totals.unapplied, s.currency));
    d.set("disputed", display(s.totals.disputed, s.currency));
    d.set("overdue", display(f.overdue, s.currency));
    d.set("over_90", display(f.over_90, s.currency));
    d.set("over_90_share",
          f.over_90_share ? Data(format_tenths(*f.over_90_share)) : Data(false));
    d.set("dso_30", figure(f.dso_30));
    d.set("dso_90", figure(f.dso_90));
    d.set("weighted_days_past_due", figure(f.weighted_days_past_due));
    d.set("chart", chart_data(report, s));
    d.set("largest", top(
                         books, s,
                         [](const AgingRow& a, const AgingRow& b) {
                           return a.amounts.total() > b.amounts.total();
                         },
                         false));
    auto overdue = top(
        books, s,
        [](const AgingRow& a, const AgingRow& b) {
          return a.most_days_past_due > b.most_days_past_due;
        },
        true);
    d.set("most_overdue", overdue.is_empty_list() ? Data(false) : overdue);
    d.set("table", table_data(books, report, s, view));
    sections.push_back(d);
  }
  Data root;
  root.set("company", company_data(books.config));
  root.set("as_of", format_date(report.as_of));
  root.set("basis", report.buckets.basis == AgingBasis::due_date
                        ? std::string("days past due")
                        : std::string("days since the invoice date"));
  root.set("sections", report.sections.empty() ? Data(false) : sections);
  return render(books.dir, "templates/age.html.mustache", k_age_template,
                DocumentFormat::html, root);
}

} // namespace arctl
