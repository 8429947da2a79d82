#include "arctl/render.hpp"

#include "arctl/template.hpp"

#include "arctl/dates.hpp"
#include "arctl/money.hpp"

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <system_error>
#include <vector>

namespace arctl {

namespace {

using namespace tmpl;

// ---------------------------------------------------------------------------
// The built-in templates. They use only escaped {{x}} tags, so every value
// from the books goes through the format's escaping.

// The plain-text invoice: labels in a fixed column, the line table and the
// totals from the pre-aligned text.* and text_row values, so that it fits
// 78 columns.
constexpr std::string_view k_text_template =
    R"mustache({{! arctl's plain-text invoice. To change it, save it as
    templates/invoice.txt.mustache in the books (arctl-invoice(1) lists the
    variables). Values print as they are; text.* and text_row are aligned
    rows of the line table and the totals. }}
{{company.name}}
{{#company.address_lines}}
{{.}}
{{/company.address_lines}}
{{#company.email}}
{{company.email}}
{{/company.email}}
{{#company.phone}}
{{company.phone}}
{{/company.phone}}
{{#company.tax_id}}
Tax ID {{company.tax_id}}
{{/company.tax_id}}

==============================================================================
INVOICE {{invoice.id}}
==============================================================================
{{#void}}
*** VOID: this invoice is cancelled; nothing is owed on it ***
{{/void}}
{{#disputed}}
*** DISPUTED{{#disputed_amount}}: {{disputed_amount}} {{invoice.currency}} under review{{/disputed_amount}} ***
{{/disputed}}

Bill to       {{customer.name}}
{{#customer.address_lines}}
              {{.}}
{{/customer.address_lines}}
{{#customer.email}}
              {{customer.email}}
{{/customer.email}}
{{#customer.tax_id}}
              Tax ID {{customer.tax_id}}
{{/customer.tax_id}}
Customer ID   {{customer.id}}

Invoice date  {{invoice.date}}
Due date      {{invoice.due}}
{{#invoice.terms}}
Terms         {{invoice.terms}}
{{/invoice.terms}}
{{#invoice.po}}
PO number     {{invoice.po}}
{{/invoice.po}}
Currency      {{invoice.currency}}

{{text.rule}}
{{text.header}}
{{text.rule}}
{{#lines}}
{{text_row}}
{{/lines}}
{{text.rule}}
{{text.subtotal}}
{{#taxes}}
{{text_row}}
{{/taxes}}
{{text.total}}
{{#has_paid}}
{{text.paid}}
{{/has_paid}}
{{text.amount_rule}}
{{text.amount_due}}
{{text.amount_double_rule}}
{{#invoice.memo}}

Notes
{{text.memo}}
{{/invoice.memo}}

Amounts in {{invoice.currency}}; balance as of {{as_of}}.
{{^void}}
Please quote {{invoice.id}} with your payment, due by {{invoice.due}}.
{{/void}}
)mustache";

// The HTML invoice: one page with everything inline (no scripts, fonts or
// images to fetch), laid out for A4 and Letter alike. The content security
// policy keeps a hand-edited template or a stray value from loading anything.
constexpr std::string_view k_html_template =
    R"mustache({{! arctl's HTML invoice. To change it, save it as
    templates/invoice.html.mustache in the books (arctl-invoice(1) lists the
    variables). Values in two-brace tags are HTML-escaped; three-brace tags
    would not escape them, so the built-in template never uses them. }}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Invoice {{invoice.id}} · {{company.name}}</title>
<style>
@page {
  size: auto;
  margin: 14mm 14mm 16mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; color: #616e7c; }
}
* { box-sizing: border-box; }
html { background: #e8ebef; }
body { margin: 0; color: #1f2933; font: 10pt/1.45 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; }
.sheet { position: relative; overflow: hidden; width: 210mm; min-height: 297mm; margin: 24px auto; padding: 16mm 16mm 14mm; background: #fff; box-shadow: 0 2px 14px rgba(0, 0, 0, .18); }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.muted { color: #616e7c; }
.small { font-size: 8.5pt; }
header.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 12mm; padding-bottom: 6mm; border-bottom: 2px solid #1d4e89; }
.company-name { margin: 0 0 2mm; font-size: 15pt; font-weight: 700; color: #1d4e89; }
.company p, .bill-to p { margin: 0; }
.title { text-align: right; }
.title h1 { margin: 0 -.1em 0 0; font-size: 26pt; font-weight: 300; letter-spacing: .18em; text-transform: uppercase; color: #1d4e89; }
.title .number { margin: 1mm 0 0; font-size: 12pt; font-weight: 700; }
.badges { margin-top: 3mm; }
.badge { display: inline-block; margin-left: 2mm; padding: .5mm 2.5mm; border: 1.5px solid; border-radius: 3px; font-size: 9pt; font-weight: 700; letter-spacing: .12em; text-transform: uppercase; }
.badge.void { color: #b3261e; border-color: #b3261e; }
.badge.disputed { color: #8a5a00; border-color: #c98a00; background: #fff6e0; }
.badge.overdue { color: #b3261e; border-color: #e8b4b0; }
.banner { margin: 6mm 0 0; padding: 3mm 4mm; border-left: 4px solid; border-radius: 2px; font-weight: 600; }
.banner.void { color: #8c1d18; border-color: #b3261e; background: #fdecea; }
.banner.disputed { color: #6b4600; border-color: #c98a00; background: #fff6e0; }
.watermark { position: absolute; top: 95mm; left: 0; right: 0; text-align: center; font-size: 150pt; font-weight: 800; letter-spacing: .1em; color: rgba(179, 38, 30, .12); transform: rotate(-28deg); pointer-events: none; }
.parties { display: flex; justify-content: space-between; gap: 12mm; margin: 8mm 0 8mm; }
h2 { margin: 0 0 1.5mm; font-size: 8pt; font-weight: 700; letter-spacing: .12em; text-transform: uppercase; color: #616e7c; }
.bill-to .name { font-size: 11pt; font-weight: 700; }
table { border-collapse: collapse; }
table.meta td { padding: .6mm 0; vertical-align: top; }
table.meta td:first-child { padding-right: 8mm; color: #616e7c; }
table.meta td:last-child { text-align: right; font-weight: 600; }
table.lines { width: 100%; }
table.lines th { padding: 2mm 2mm; border-bottom: 1.5px solid #1d4e89; font-size: 8pt; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; color: #1d4e89; text-align: left; }
table.lines th.num { text-align: right; }
table.lines td { padding: 2.2mm 2mm; border-bottom: 1px solid #dde2e8; vertical-align: top; }
table.lines th:first-child, table.lines td:first-child { padding-left: 0; }
table.lines th:last-child, table.lines td:last-child { padding-right: 0; }
table.lines td.description { width: 100%; }
table.lines .item { margin-top: .5mm; }
table.lines .note { margin-top: .8mm; font-style: italic; }
.summary { display: flex; justify-content: space-between; align-items: flex-start; gap: 10mm; margin-top: 6mm; }
.notes { flex: 1 1 auto; max-width: 95mm; }
.notes p { margin: 0 0 2mm; white-space: pre-line; }
table.totals { flex: 0 0 auto; min-width: 80mm; }
table.totals td { padding: 1.2mm 0; vertical-align: top; }
table.totals td.num { padding-left: 8mm; }
table.totals tr.total td { padding-top: 2.5mm; border-top: 1.5px solid #1f2933; font-size: 11pt; font-weight: 700; }
table.totals tr.due td { padding: 3mm 3mm; background: #1d4e89; color: #fff; font-size: 13pt; font-weight: 700; }
table.totals tr.due td:first-child { border-radius: 3px 0 0 3px; }
table.totals tr.due td:last-child { border-radius: 0 3px 3px 0; }
table.totals tr.spacer td { padding: 1.2mm 0; }
.void table.totals tr.due td { background: #8e99a4; }
footer { margin-top: 12mm; padding-top: 4mm; border-top: 1px solid #dde2e8; color: #616e7c; font-size: 8.5pt; }
footer p { margin: 0 0 1mm; }
@media print {
  html { background: none; }
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; overflow: visible; }
  .watermark { position: fixed; top: 40%; }
  thead { display: table-header-group; }
  tr, .summary, footer { break-inside: avoid; }
}
</style>
</head>
<body>
<main class="sheet{{#void}} void{{/void}}">
{{#void}}
<div class="watermark" aria-hidden="true">VOID</div>
{{/void}}
<header class="top">
<div class="company">
<p class="company-name">{{company.name}}</p>
{{#company.address_lines}}
<p>{{.}}</p>
{{/company.address_lines}}
{{#company.email}}
<p>{{company.email}}</p>
{{/company.email}}
{{#company.phone}}
<p>{{company.phone}}</p>
{{/company.phone}}
{{#company.tax_id}}
<p class="muted">Tax ID {{company.tax_id}}</p>
{{/company.tax_id}}
</div>
<div class="title">
<h1>Invoice</h1>
<p class="number">{{invoice.id}}</p>
<div class="badges">
{{#void}}
<span class="badge void">Void</span>
{{/void}}
{{#disputed}}
<span class="badge disputed">Disputed</span>
{{/disputed}}
{{#overdue}}
<span class="badge overdue">Overdue</span>
{{/overdue}}
</div>
</div>
</header>
{{#void}}
<p class="banner void">This invoice has been voided. Nothing is owed on it.</p>
{{/void}}
{{#disputed}}
<p class="banner disputed">This invoice is disputed{{#disputed_amount}} ({{disputed_amount}} {{invoice.currency}} under review){{/disputed_amount}}.</p>
{{/disputed}}
<section class="parties">
<div class="bill-to">
<h2>Bill to</h2>
<p class="name">{{customer.name}}</p>
{{#customer.address_lines}}
<p>{{.}}</p>
{{/customer.address_lines}}
{{#customer.email}}
<p>{{customer.email}}</p>
{{/customer.email}}
{{#customer.tax_id}}
<p class="muted">Tax ID {{customer.tax_id}}</p>
{{/customer.tax_id}}
</div>
<table class="meta">
<tr><td>Invoice number</td><td>{{invoice.id}}</td></tr>
<tr><td>Invoice date</td><td>{{invoice.date}}</td></tr>
<tr><td>Due date</td><td>{{invoice.due}}</td></tr>
{{#invoice.terms}}
<tr><td>Terms</td><td>{{invoice.terms}}</td></tr>
{{/invoice.terms}}
{{#invoice.po}}
<tr><td>PO number</td><td>{{invoice.po}}</td></tr>
{{/invoice.po}}
<tr><td>Customer ID</td><td>{{customer.id}}</td></tr>
<tr><td>Currency</td><td>{{invoice.currency}}</td></tr>
</table>
</section>
<table class="lines">
<thead>
<tr><th class="num">#</th><th>Description</th><th class="num">Qty</th><th class="num">Unit price</th>{{#has_discounts}}<th class="num">Discount</th>{{/has_discounts}}{{#has_taxes}}<th>Tax</th>{{/has_taxes}}<th class="num">Amount</th></tr>
</thead>
<tbody>
{{#lines}}
<tr>
<td class="num muted">{{number}}</td>
<td class="description">{{#description}}<div>{{description}}</div>{{/description}}{{#item}}<div class="item small muted">{{item}}</div>{{/item}}{{#note}}<div class="note small muted">{{note}}</div>{{/note}}</td>
<td class="num">{{quantity}}</td>
<td class="num">{{unit_price}}</td>
{{#has_discounts}}
<td class="num">{{#discount}}−{{discount}}{{/discount}}</td>
{{/has_discounts}}
{{#has_taxes}}
<td>{{tax_code}}</td>
{{/has_taxes}}
<td class="num">{{amount}}</td>
</tr>
{{/lines}}
</tbody>
</table>
<section class="summary">
<div class="notes">
{{#invoice.memo}}
<h2>Notes</h2>
<p>{{invoice.memo}}</p>
{{/invoice.memo}}
</div>
<table class="totals">
<tr><td>Subtotal</td><td class="num">{{subtotal}}</td></tr>
{{#taxes}}
<tr><td>{{#description}}{{description}}{{/description}}{{^description}}{{code}} {{rate}}%{{/description}}<div class="small muted">{{code}} · {{rate}}% {{#inclusive}}included in{{/inclusive}}{{^inclusive}}on{{/inclusive}} {{base}}</div></td><td class="num">{{tax}}</td></tr>
{{/taxes}}
<tr class="total"><td>Total {{invoice.currency}}</td><td class="num">{{total}}</td></tr>
{{#has_paid}}
<tr><td>Payments and credits</td><td class="num">−{{paid}}</td></tr>
{{/has_paid}}
<tr class="spacer"><td colspan="2"></td></tr>
<tr class="due"><td>Amount due {{invoice.currency}}</td><td class="num">{{amount_due}}</td></tr>
</table>
</section>
<footer>
<p>Balance as of {{as_of}}.{{^void}} Please quote {{invoice.id}} with your payment, due by {{invoice.due}}.{{/void}}</p>
<p>{{company.name}}{{#company.email}} · {{company.email}}{{/company.email}}{{#company.phone}} · {{company.phone}}{{/company.phone}}</p>
</footer>
</main>
</body>
</html>
)mustache";

constexpr std::array k_variables{
    TemplateVariable{"company.name", "the company's name (arctl.toml)"},
    TemplateVariable{"company.address",
                     "its postal address as the books have it"},
    TemplateVariable{"company.address_lines",
                     "the address, one list element per line ({{.}})"},
    TemplateVariable{"company.email", "its e-mail address"},
    TemplateVariable{"company.phone", "its phone number"},
    TemplateVariable{"company.tax_id", "its tax or VAT number"},
    TemplateVariable{"customer.id", "the customer's id"},
    TemplateVariable{"customer.name", "the customer's name"},
    TemplateVariable{"customer.address",
                     "the customer's postal address as the books have it"},
    TemplateVariable{"customer.address_lines",
                     "the address, one list element per line ({{.}})"},
    TemplateVariable{"customer.email", "the customer's e-mail address"},
    TemplateVariable{"customer.tax_id", "the customer's tax or VAT number"},
    TemplateVariable{"invoice.id", "the invoice number"},
    TemplateVariable{"invoice.date", "the issue date, YYYY-MM-DD"},
    TemplateVariable{"invoice.due", "the due date, YYYY-MM-DD"},
    TemplateVariable{"invoice.terms", "the payment terms (\"net 30\")"},
    TemplateVariable{"invoice.po", "the customer's purchase order number"},
    TemplateVariable{"invoice.memo", "the invoice's memo"},
    TemplateVariable{"invoice.currency", "the ISO 4217 currency code"},
    TemplateVariable{"lines", "the invoice lines, a list"},
    TemplateVariable{"lines[].number", "the line number"},
    TemplateVariable{"lines[].item", "the item code"},
    TemplateVariable{"lines[].description", "the description"},
    TemplateVariable{"lines[].note", "the line's note"},
    TemplateVariable{"lines[].quantity", "the quantity (1,500 or 6.5)"},
    TemplateVariable{"lines[].unit_price",
                     "the unit price, with at least the currency's decimals"},
    TemplateVariable{"lines[].discount", "the line's discount; false if none"},
    TemplateVariable{"lines[].amount",
                     "quantity × unit price less the discount (gross of tax "
                     "for a tax-inclusive code)"},
    TemplateVariable{"lines[].tax_code", "the tax code; false if none"},
    TemplateVariable{"lines[].tax",
                     "the line's tax when tax is rounded per line; else false"},
    TemplateVariable{"lines[].text_row",
                     "the line as aligned rows of the text table"},
    TemplateVariable{"has_discounts", "true when a line has a discount"},
    TemplateVariable{"has_taxes", "true when a line has a tax code"},
    TemplateVariable{"taxes", "the tax by code, a list"},
    TemplateVariable{"taxes[].code", "the tax code"},
    TemplateVariable{"taxes[].description", "its description (arctl.toml)"},
    TemplateVariable{"taxes[].rate", "its rate in percent (8.25)"},
    TemplateVariable{"taxes[].inclusive",
                     "true when prices with this code include the tax"},
    TemplateVariable{"taxes[].base", "the amount the tax is levied on"},
    TemplateVariable{"taxes[].tax", "the tax"},
    TemplateVariable{"taxes[].text_row",
                     "the tax as an aligned row of the text totals"},
    TemplateVariable{"subtotal", "the total less tax"},
    TemplateVariable{"tax", "the tax of all codes"},
    TemplateVariable{"total", "the invoice total"},
    TemplateVariable{"paid", "everything applied to the invoice: payments, "
                             "credits, discounts and write-offs"},
    TemplateVariable{"has_paid", "true when paid is not zero"},
    TemplateVariable{"amount_due", "what is open on the invoice"},
    TemplateVariable{"as_of", "the date the balance is taken, YYYY-MM-DD"},
    TemplateVariable{"status", "open, overdue, closed or void"},
    TemplateVariable{"void", "true when the invoice is void"},
    TemplateVariable{"disputed", "true when the invoice is disputed"},
    TemplateVariable{"disputed_amount",
                     "the amount in dispute; false unless disputed"},
    TemplateVariable{"overdue",
                     "true when something is open past the due date"},
    TemplateVariable{"text.header", "the heading row of the text line table"},
    TemplateVariable{"text.rule", "a rule of dashes as wide as that table"},
    TemplateVariable{"text.subtotal", "the aligned subtotal row"},
    TemplateVariable{"text.tax", "the aligned row of the tax of all codes"},
    TemplateVariable{"text.total", "the aligned total row"},
    TemplateVariable{"text.paid",
                     "the aligned payments and credits row (paid, negated)"},
    TemplateVariable{"text.amount_due", "the aligned amount due row"},
    TemplateVariable{"text.amount_rule",
                     "a rule of dashes under the amount column"},
    TemplateVariable{"text.amount_double_rule",
                     "a rule of equals signs under the amount column"},
    TemplateVariable{"text.memo", "the memo wrapped to 78 columns"},
};

// ---------------------------------------------------------------------------
// A quantity or price as written, exact, grouped, with at least
// `min_decimals` decimals: a unit price of 65 in USD reads 65.00 beside the
// amounts, one of 0.125 keeps its three decimals.
std::string decimal_display(Decimal d, int min_decimals) {
  std::string s = d.to_string();
  const std::size_t dot = s.find('.');
  const int decimals =
      dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
  if (decimals < min_decimals) {
    if (dot == std::string::npos)
      s += '.';
    s.append(static_cast<std::size_t>(min_decimals - decimals), '0');
  }
  return group_thousands(s);
}


// ---------------------------------------------------------------------------
// The plain-text table

enum TextColumn {
  c_number,
  c_description,
  c_quantity,
  c_price,
  c_discount,
  c_tax,
  c_amount,
  c_column_count
};

constexpr std::size_t k_text_width = 78;
constexpr std::size_t k_min_description = 16;
constexpr std::size_t k_gap = 2;

using Cells = std::array<std::string, c_column_count>;

// Column widths fitted to one invoice: numbers never cut, the description
// taking what is left of 78 columns (or at least 16: an invoice of
// trillions gets a wider table rather than an unreadable one).
struct TextTable {
  std::array<std::size_t, c_column_count> width{};
  std::array<bool, c_column_count> shown{};
  std::size_t total = 0;

  [[nodiscard]] std::string row(const Cells& cells) const {
    std::string out;
    bool first = true;
    for (std::size_t c = 0; c < c_column_count; ++c) {
      if (!shown[c])
        continue;
      if (!first)
        out.append(k_gap, ' ');
      first = false;
      const bool left = c == c_description || c == c_tax;
      out +=
          left ? pad_right(cells[c], width[c]) : pad_left(cells[c], width[c]);
    }
    trim_right(out);
    return out;
  }

  // A label right-aligned against the amount column, the amount in it; a
  // label too long for one row wraps, the amount on its last row.
  [[nodiscard]] std::string total_row(std::string_view label,
                                      const std::string& amount) const {
    const std::size_t label_width =
        std::max(total, width[c_amount] + k_gap + 1) - width[c_amount] - k_gap;
    auto rows = wrap(label, label_width);
    if (rows.empty())
      rows.emplace_back();
    for (auto& r : rows)
      r = pad_left(r, label_width);
    rows.back() += std::string(k_gap, ' ') + pad_left(amount, width[c_amount]);
    for (auto& r : rows)
      trim_right(r);
    return join_lines(rows);
  }
};


mstch::data invoice_fields(const Invoice& inv) {
  mstch::data invoice;
  invoice.set("id", text_value(inv.id));
  invoice.set("date", mstch::data(format_date(inv.date)));
  invoice.set("due", mstch::data(format_date(inv.due)));
  invoice.set("terms", text_value(inv.terms));
  invoice.set("po", text_value(inv.po));
  invoice.set("memo", text_value(inv.memo));
  invoice.set("currency", mstch::data(std::string(inv.currency.name())));
  return invoice;
}

// One invoice line as the text table shows it: its one-line cells, and the
// text of the description column, which wraps.
struct TextLine {
  Cells cells;
  std::string description; // with the item code after it
  std::string note;
};

const Cells k_text_header{"#",        "Description", "Qty",   "Unit price",
                          "Discount", "Tax",         "Amount"};

// The columns sized to their widest cell, the amount column to the widest
// total too, and the description given what is left of the 78 columns.
TextTable fit_table(const std::vector<TextLine>& lines, bool discounts,
                    bool taxes, std::initializer_list<std::string_view> sums) {
  TextTable table;
  table.shown = {true, true, true, true, discounts, taxes, true};
  for (std::size_t c = 0; c < c_column_count; ++c)
    table.width[c] = columns(k_text_header[c]);
  for (const auto& line : lines)
    for (std::size_t c = 0; c < c_column_count; ++c)
      table.width[c] = std::max(table.width[c], columns(line.cells[c]));
  for (const auto sum : sums)
    table.width[c_amount] = std::max(table.width[c_amount], columns(sum));

  // Each column but the description brings one gap with it.
  std::size_t fixed = 0;
  for (std::size_t c = 0; c < c_column_count; ++c)
    if (table.shown[c] && c != c_description)
      fixed += table.width[c] + k_gap;
  table.width[c_description] = std::max(
      k_min_description, fixed < k_text_width ? k_text_width - fixed : 0);
  table.total = fixed + table.width[c_description];
  return table;
}

// The line's rows: the first with every cell, then the rest of the
// description and the note in the description column.
std::string line_rows(const TextTable& table, const TextLine& line) {
  const std::size_t width = table.width[c_description];
  auto text = wrap(line.description, width);
  if (!line.note.empty())
    for (auto& r : wrap(fmt::format("Note: {}", line.note), width))
      text.push_back(std::move(r));
  Cells first = line.cells;
  first[c_description] = text.empty() ? std::string() : text.front();
  std::vector<std::string> rows{table.row(first)};
  for (std::size_t r = 1; r < text.size(); ++r) {
    Cells more;
    more[c_description] = text[r];
    rows.push_back(table.row(more));
  }
  return join_lines(rows);
}

// Each line of the memo wrapped to the page on its own, so that the
// paragraphs someone wrote stay paragraphs.
std::string wrap_paragraphs(std::string_view text, std::size_t width) {
  std::vector<std::string> rows;
  while (!text.empty()) {
    const std::size_t nl = std::min(text.find('\n'), text.size());
    auto wrapped = wrap(text.substr(0, nl), width);
    if (wrapped.empty())
      rows.emplace_back();
    for (auto& r : wrapped)
      rows.push_back(std::move(r));
    text.remove_prefix(std::min(nl + 1, text.size()));
  }
  return join_lines(rows);
}

mstch::data invoice_data(const InvoiceDocument& doc) {
  const Config& config = doc.books->config;
  const Invoice& inv = *doc.invoice;
  const Currency cur = inv.currency;
  const InvoiceState& st = doc.state;

  // Everything applied, however it came: for a void or not yet issued
  // invoice "total less open" would count as paid what nobody paid.
  const std::int64_t applied =
      st.paid + st.credited + st.discounted + st.written_off;
  const std::int64_t due =
      st.void_ ? 0 : (st.issued ? st.open : inv.total - applied);
  const bool disputed = st.disputed && !st.void_;
  // With tax rounded per invoice a line has no tax of its own.
  const bool line_tax = config.tax_rounding == TaxRounding::line;

  const std::string subtotal = display(inv.subtotal, cur);
  const std::string tax = display(inv.tax, cur);
  const std::string total = display(inv.total, cur);
  const std::string paid = display(applied, cur);
  const std::string paid_negated = display(applied == 0 ? 0 : -applied, cur);
  const std::string amount_due = display(due, cur);

  bool has_discounts = false;
  std::vector<mstch::data> lines;
  std::vector<TextLine> text_lines;
  for (const auto& l : doc.lines) {
    const std::string quantity = decimal_display(l.quantity, 0);
    const std::string price = decimal_display(l.unit_price, cur.exponent);
    const std::string discount =
        l.discount.is_zero() ? std::string() : l.discount.to_display();
    const std::string amount = l.amount.to_display();
    const std::string code = l.code ? clean(trim(l.code->code)) : "";
    has_discounts |= !l.discount.is_zero();

    mstch::data line;
    line.set("number", mstch::data(std::to_string(l.number)));
    line.set("item", text_value(l.item));
    line.set("description", text_value(l.description));
    line.set("note", text_value(l.note));
    line.set("quantity", mstch::data(quantity));
    line.set("unit_price", mstch::data(price));
    line.set("discount", text_value(discount));
    line.set("amount", mstch::data(amount));
    line.set("tax_code", text_value(code));
    line.set("tax", l.code && line_tax ? mstch::data(l.tax.to_display())
                                       : mstch::data(false));
    lines.push_back(std::move(line));

    // In text the item code follows the description it belongs to.
    const std::string description = clean(trim(l.description));
    const std::string item = clean(trim(l.item));
    std::string cell = description;
    if (!item.empty())
      cell = description.empty() ? item
                                 : fmt::format("{} ({})", description, item);
    TextLine text_line;
    text_line.cells = {
        std::to_string(l.number), {}, quantity, price, discount, code, amount};
    text_line.description = std::move(cell);
    text_line.note = clean(trim(l.note));
    text_lines.push_back(std::move(text_line));
  }

  const TextTable table =
      fit_table(text_lines, has_discounts, !doc.taxes.empty(),
                {subtotal, tax, total, paid_negated, amount_due});
  mstch::data line_list(mstch::data::type::list);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    lines[i].set("text_row", mstch::data(line_rows(table, text_lines[i])));
    line_list.push_back(lines[i]);
  }

  mstch::data taxes(mstch::data::type::list);
  for (const auto& t : doc.taxes) {
    const std::string code = t.code ? clean(trim(t.code->code)) : "";
    const std::string description =
        t.code ? clean(trim(t.code->description)) : "";
    const std::string rate = t.code ? t.code->rate.to_string() : "";
    const bool inclusive = t.code && t.code->inclusive;
    const std::string base = t.base.to_display();
    const std::string amount = t.tax.to_display();
    mstch::data entry;
    entry.set("code", text_value(code));
    entry.set("description", text_value(description));
    entry.set("rate", text_value(rate));
    entry.set("inclusive", mstch::data(inclusive));
    entry.set("base", mstch::data(base));
    entry.set("tax", mstch::data(amount));
    const std::string name =
        description.empty() ? fmt::format("{} {}%", code, rate) : description;
    entry.set("text_row",
              mstch::data(table.total_row(
                  fmt::format("{} {} {}", name,
                              inclusive ? "included in" : "on", base),
                  amount)));
    taxes.push_back(entry);
  }

  const std::string currency(cur.name());
  const std::string under_amount(table.total - table.width[c_amount], ' ');
  const std::string memo = wrap_paragraphs(clean(trim(inv.memo)), k_text_width);
  mstch::data text;
  text.set("header", mstch::data(table.row(k_text_header)));
  text.set("rule", mstch::data(std::string(table.total, '-')));
  text.set("subtotal", mstch::data(table.total_row("Subtotal", subtotal)));
  text.set("tax", mstch::data(table.total_row("Tax", tax)));
  text.set("total", mstch::data(table.total_row("Total " + currency, total)));
  text.set("paid",
           mstch::data(table.total_row("Payments and credits", paid_negated)));
  text.set("amount_due",
           mstch::data(table.total_row("Amount due " + currency, amount_due)));
  text.set("amount_rule",
           mstch::data(under_amount + std::string(table.width[c_amount], '-')));
  text.set("amount_double_rule",
           mstch::data(under_amount + std::string(table.width[c_amount], '=')));
  text.set("memo", memo.empty() ? mstch::data(false) : mstch::data(memo));

  mstch::data root;
  root.set("company", company_data(config));
  root.set("customer", customer_data(doc.customer));
  root.set("invoice", invoice_fields(inv));
  root.set("lines", line_list);
  root.set("has_discounts", mstch::data(has_discounts));
  root.set("has_taxes", mstch::data(!doc.taxes.empty()));
  root.set("taxes", taxes);
  root.set("subtotal", mstch::data(subtotal));
  root.set("tax", mstch::data(tax));
  root.set("total", mstch::data(total));
  root.set("paid", mstch::data(paid));
  root.set("has_paid", mstch::data(applied != 0));
  root.set("amount_due", mstch::data(amount_due));
  root.set("as_of", mstch::data(format_date(doc.as_of)));
  root.set("status", mstch::data(std::string(to_string(doc.status))));
  root.set("void", mstch::data(st.void_));
  root.set("disputed", mstch::data(disputed));
  root.set("disputed_amount",
           disputed ? mstch::data(display(
                          st.disputed_part != 0 ? st.disputed_part : due, cur))
                    : mstch::data(false));
  root.set("overdue", mstch::data(doc.status == InvoiceStatus::overdue));
  root.set("text", text);
  return root;
}

} // namespace

std::string_view to_string(DocumentFormat format) {
  switch (format) {
  case DocumentFormat::text:
    return "text";
  case DocumentFormat::html:
    return "html";
  }
  return "text";
}

std::string_view invoice_template_file(DocumentFormat format) {
  switch (format) {
  case DocumentFormat::text:
    return "templates/invoice.txt.mustache";
  case DocumentFormat::html:
    return "templates/invoice.html.mustache";
  }
  return "templates/invoice.txt.mustache";
}

std::string_view builtin_invoice_template(DocumentFormat format) {
  return format == DocumentFormat::html ? k_html_template : k_text_template;
}

std::span<const TemplateVariable> invoice_template_variables() {
  return k_variables;
}

Result<std::string> render_invoice_with(const InvoiceDocument& doc,
                                        DocumentFormat format,
                                        std::string_view template_text,
                                        std::string_view shown_name) {
  if (!doc.books || !doc.invoice)
    return fail(ExitCode::software, "an invoice document without its invoice");
  return tmpl::render_text(template_text, shown_name, format,
                           invoice_data(doc));
}

Result<std::string> render_invoice(const InvoiceDocument& doc,
                                   DocumentFormat format) {
  if (!doc.books || !doc.invoice)
    return fail(ExitCode::software, "an invoice document without its invoice");
  return tmpl::render(doc.books->dir, invoice_template_file(format),
                      builtin_invoice_template(format), format,
                      invoice_data(doc));
}

} // namespace arctl
