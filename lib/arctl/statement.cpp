#include "arctl/statement.hpp"

#include "arctl/ledger.hpp"
#include "arctl/template.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arctl {

std::string_view to_string(StatementEntry entry) {
  switch (entry) {
  case StatementEntry::invoice: return "invoice";
  case StatementEntry::payment: return "payment";
  case StatementEntry::credit: return "credit";
  case StatementEntry::discount: return "discount";
  case StatementEntry::writeoff: return "writeoff";
  case StatementEntry::void_: return "void";
  case StatementEntry::refund: return "refund";
  case StatementEntry::reversal: return "reversal";
  case StatementEntry::applied: return "applied";
  }
  return "invoice";
}

namespace {

// A line before it is placed: its section and the order within a day.
struct Pending {
  Currency currency;
  int rank; // 0 invoices, 1 payments, 2 adjustments, 3 applications
  StatementLine line;
};

StatementSection& section_of(std::vector<StatementSection>& sections,
                             Currency currency) {
  for (auto& s : sections)
    if (s.currency == currency)
      return s;
  auto& s = sections.emplace_back();
  s.currency = currency;
  return s;
}

// Open less unapplied, per currency, as of the ledger's date.
void balances(const Books& books, const Ledger& ledger, std::uint32_t customer,
              std::vector<StatementSection>& sections, bool opening) {
  for (const auto& p : customer_position(books, ledger, customer))
    (opening ? section_of(sections, p.currency).opening
             : section_of(sections, p.currency).closing) =
        p.open - p.unapplied;
}

// `after`: the ledger as of `to`.
std::vector<Pending> lines_of(const Books& books, const Ledger& after,
                              std::uint32_t customer, Date from, Date to) {
  std::vector<Pending> out;
  const auto within = [&](Date d) { return from <= d && d <= to; };
  for (std::uint32_t i = 0; i < books.invoices.size(); ++i) {
    const auto& inv = books.invoices[i];
    if (inv.customer == customer && within(inv.date))
      out.push_back({inv.currency, 0,
                     {inv.date, StatementEntry::invoice, {DocKind::invoice, i},
                      k_none, inv.total, 0, inv.line}});
  }
  for (std::uint32_t i = 0; i < books.payments.size(); ++i) {
    const auto& p = books.payments[i];
    if (p.customer == customer && within(p.date))
      out.push_back({p.currency, 1,
                     {p.date, StatementEntry::payment, {DocKind::payment, i},
                      k_none, -p.amount, 0, p.line}});
  }
  for (std::uint32_t i = 0; i < books.adjustments.size(); ++i) {
    const auto& j = books.adjustments[i];
    if (!within(j.date))
      continue;
    const auto amount = j.amount.value_or(0);
    StatementLine line{j.date, StatementEntry::credit, {DocKind::adjustment, i},
                       j.invoice, 0, 0, j.line};
    std::uint32_t whose = j.customer;
    switch (j.kind) {
    case AdjustmentKind::credit:
      line.amount = -amount;
      break;
    case AdjustmentKind::discount:
    case AdjustmentKind::writeoff:
      line.entry = j.kind == AdjustmentKind::discount ? StatementEntry::discount
                                                      : StatementEntry::writeoff;
      line.amount = -amount;
      whose = books.invoices[j.invoice].customer;
      break;
    case AdjustmentKind::void_:
      line.entry = StatementEntry::void_;
      line.amount = -books.invoices[j.invoice].total;
      whose = books.invoices[j.invoice].customer;
      break;
    case AdjustmentKind::refund:
      line.entry = StatementEntry::refund;
      line.amount = amount;
      whose = books.document_customer(j.source);
      break;
    case AdjustmentKind::reversal:
      line.entry = StatementEntry::reversal;
      line.amount = reversal_amount(books, after, j);
      whose = books.document_customer(j.source);
      break;
    }
    if (whose == customer)
      out.push_back({j.currency, 2, line});
  }
  for (std::uint32_t i = 0; i < books.allocations.size(); ++i) {
    const auto& a = books.allocations[i];
    if (!within(a.date))
      continue;
    const auto payer = books.document_customer(a.source);
    const auto owner = books.invoices[a.invoice].customer;
    if (payer == owner || (payer != customer && owner != customer))
      continue;
    out.push_back({books.invoices[a.invoice].currency, 3,
                   {a.date, StatementEntry::applied, a.source, a.invoice,
                    payer == customer ? a.amount : -a.amount, 0, a.line,
                    payer == customer}});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Pending& x, const Pending& y) {
                     if (x.line.date != y.line.date)
                       return x.line.date < y.line.date;
                     return x.rank < y.rank;
                   });
  return out;
}

} // namespace

Result<Statement> make_statement(const Books& books, std::uint32_t customer,
                                 Date from, Date to,
                                 const AgingBuckets& buckets) {
  if (to < from)
    return fail(ExitCode::usage,
                fmt::format("the period ends ({}) before it starts ({})",
                            format_date(to), format_date(from)));
  Statement st;
  st.customer = customer;
  st.from = from;
  st.to = to;
  st.buckets = buckets;
  section_of(st.sections, books.customers[customer].currency);

  const auto before = compute_ledger(books, add_days(from, -1));
  balances(books, before, customer, st.sections, true);
  const auto after = compute_ledger(books, to);
  balances(books, after, customer, st.sections, false);

  for (auto& p : lines_of(books, after, customer, from, to))
    section_of(st.sections, p.currency).lines.push_back(p.line);

  AgingRequest request;
  request.buckets = buckets;
  request.customers = {customer};
  const auto aged = age_receivables(books, after, request);
  for (auto& s : st.sections) {
    auto running = s.opening;
    for (auto& l : s.lines)
      l.balance = running += l.amount;
    if (running != s.closing)
      return fail(ExitCode::software,
                  fmt::format("the statement of {} does not add up in {}: {} "
                              "opening plus the period's facts is {}, but the "
                              "ledger has {} on {}",
                              books.customers[customer].id, s.currency.name(),
                              format_minor_units(s.opening, s.currency.exponent),
                              format_minor_units(running, s.currency.exponent),
                              format_minor_units(s.closing, s.currency.exponent),
                              format_date(to)));
    s.aging.buckets.assign(buckets.count(), 0);
    for (const auto& a : aged.sections)
      if (a.currency == s.currency)
        s.aging = a.totals;
  }
  return st;
}

std::string describe(const Books& books, const StatementLine& line) {
  const auto invoice_id = [&] {
    return line.invoice == k_none ? std::string_view{}
                                  : books.invoices[line.invoice].id;
  };
  const auto with = [](std::string text, std::string_view more) {
    return more.empty() ? text : fmt::format("{}: {}", text, more);
  };
  switch (line.entry) {
  case StatementEntry::invoice: {
    const auto& inv = books.invoices[line.document.index];
    auto text = fmt::format("Invoice, due {}", format_date(inv.due));
    if (!inv.po.empty())
      text += fmt::format(", PO {}", inv.po);
    return text;
  }
  case StatementEntry::payment: {
    const auto& p = books.payments[line.document.index];
    auto text = p.method == PaymentMethod::unknown ? std::string("Payment")
                : p.method == PaymentMethod::ach       ? std::string("Payment (ACH)")
                : fmt::format("Payment ({})", to_string(p.method));
    if (!p.reference.empty())
      text += fmt::format(", ref {}", p.reference);
    return text;
  }
  case StatementEntry::applied: {
    const auto payer = books.document_customer(line.document);
    const auto& inv = books.invoices[line.invoice];
    const bool undone = line.payer ? line.amount < 0 : line.amount > 0;
    if (line.payer)
      return fmt::format("{} {} {} of {}", books.document_id(line.document),
                         undone ? "no longer applied to" : "applied to", inv.id,
                         books.customers[inv.customer].id);
    return fmt::format("{} {} {} with {}", inv.id,
                       undone ? "no longer paid by" : "paid by",
                       books.customers[payer].id,
                       books.document_id(line.document));
  }
  default:
    break;
  }
  const auto& j = books.adjustments[line.document.index];
  switch (line.entry) {
  case StatementEntry::credit:
    return with(invoice_id().empty()
                    ? std::string("Credit memo")
                    : fmt::format("Credit memo for {}", invoice_id()),
                j.reason);
  case StatementEntry::discount:
    return line.amount <= 0
               ? fmt::format("Early-payment discount on {}", invoice_id())
               : fmt::format("Discount on {} taken back", invoice_id());
  case StatementEntry::writeoff:
    return with(fmt::format("Written off on {}", invoice_id()), j.reason);
  case StatementEntry::void_:
    return with(fmt::format("{} void", invoice_id()), j.reason);
  case StatementEntry::refund:
    return with(fmt::format("Refund of credit from {}",
                            books.document_id(j.source)),
                j.reason);
  case StatementEntry::reversal:
    return with(fmt::format("{} returned unpaid", books.document_id(j.source)),
                j.reason);
  default:
    return {};
  }
}

TableData statement_table(const Books& books, const Statement& statement) {
  TableData t;
  for (const auto* name :
       {"currency", "date", "kind", "document", "invoice", "description"})
    t.columns.push_back({name});
  t.columns.push_back({"amount", true});
  t.columns.push_back({"balance", true});
  for (const auto& s : statement.sections) {
    const auto money = [&](std::int64_t v) {
      return format_minor_units(v, s.currency.exponent);
    };
    const std::string currency(s.currency.name());
    t.rows.push_back({currency, format_date(statement.from), "opening", "", "",
                      "Opening balance", "", money(s.opening)});
    for (const auto& l : s.lines)
      t.rows.push_back(
          {currency, format_date(l.date), std::string(to_string(l.entry)),
           std::string(books.document_id(l.document)),
           l.invoice == k_none ? std::string()
                               : std::string(books.invoices[l.invoice].id),
           describe(books, l), money(l.amount), money(l.balance)});
    t.rows.push_back({currency, format_date(statement.to), "closing", "", "",
                      "Closing balance", "", money(s.closing)});
  }
  return t;
}

namespace {

using namespace tmpl;

constexpr std::string_view k_statement_text =
    R"mustache({{! arctl's plain-text statement of account. To change it, save
    it as templates/statement.txt.mustache in the books (arctl-statement(1)
    lists the variables). text.* and text_row are aligned rows. }}
{{company.name}}
{{#company.address_lines}}
{{.}}
{{/company.address_lines}}
{{#company.email}}
{{company.email}}
{{/company.email}}

==============================================================================
STATEMENT OF ACCOUNT
==============================================================================

Customer      {{customer.name}}
{{#customer.address_lines}}
              {{.}}
{{/customer.address_lines}}
Customer ID   {{customer.id}}
Period        {{from}} to {{to}}
{{#sections}}

Amounts in {{currency}}
{{text.rule}}
{{text.header}}
{{text.rule}}
{{text.opening}}
{{#lines}}
{{text_row}}
{{/lines}}
{{text.rule}}
{{text.closing}}

Aging of the balance as of {{to}}
{{text.aging}}
{{/sections}}
{{#owing}}

Please pay the balance due by its due dates, quoting the invoice numbers.
{{/owing}}
)mustache";

constexpr std::string_view k_statement_html =
    R"mustache({{! arctl's HTML statement of account. To change it, save it as
    templates/statement.html.mustache in the books (arctl-statement(1) lists
    the variables). Values in two-brace tags are HTML-escaped. }}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Statement {{from}} to {{to}} · {{customer.name}}</title>
<style>
@page { size: auto; margin: 14mm; }
* { box-sizing: border-box; }
body { margin: 0; color: #1f2933; font: 10pt/1.45 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; }
.sheet { max-width: 210mm; margin: 0 auto; padding: 14mm 16mm; }
.top { display: flex; justify-content: space-between; gap: 24px; }
h1 { margin: 0 0 4px; font-size: 20pt; letter-spacing: .04em; }
.muted { color: #52606d; }
address { font-style: normal; }
h2 { margin: 22px 0 6px; font-size: 12pt; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 6px; border-bottom: 1px solid #e4e7eb; text-align: left; vertical-align: top; }
th { font-size: 8.5pt; color: #52606d; text-transform: uppercase; letter-spacing: .03em; }
.num, .nowrap { text-align: right; white-space: nowrap; }
.nowrap { text-align: left; }
tr.edge td { font-weight: 700; background: #f5f7fa; }
.aging td, .aging th { text-align: right; }
.due { margin-top: 18px; font-size: 12pt; }
</style>
</head>
<body>
<div class="sheet">
<div class="top">
<div>
<h1>Statement of account</h1>
<div class="muted">{{from}} to {{to}}</div>
</div>
<address>
<strong>{{company.name}}</strong><br>
{{#company.address_lines}}{{.}}<br>{{/company.address_lines}}
{{#company.email}}{{company.email}}{{/company.email}}
</address>
</div>
<h2>{{customer.name}} <span class="muted">({{customer.id}})</span></h2>
<address>
{{#customer.address_lines}}{{.}}<br>{{/customer.address_lines}}
</address>
{{#sections}}
<h2>Amounts in {{currency}}</h2>
<table>
<tr><th>Date</th><th>Document</th><th>Description</th><th class="num">Charges</th><th class="num">Credits</th><th class="num">Balance</th></tr>
<tr class="edge"><td class="nowrap">{{from}}</td><td></td><td>Opening balance</td><td></td><td></td><td class="num">{{opening}}</td></tr>
{{#lines}}
<tr><td class="nowrap">{{date}}</td><td class="nowrap">{{document}}</td><td>{{description}}</td><td class="num">{{charge}}</td><td class="num">{{credit}}</td><td class="num">{{balance}}</td></tr>
{{/lines}}
<tr class="edge"><td class="nowrap">{{to}}</td><td></td><td>Closing balance</td><td></td><td></td><td class="num">{{closing}}</td></tr>
</table>
<h2>Aging of the balance as of {{to}}</h2>
<table class="aging">
<tr>{{#aging}}<th>{{label}}</th>{{/aging}}<th>Unapplied</th><th>Balance</th></tr>
<tr>{{#aging}}<td>{{amount}}</td>{{/aging}}<td>{{unapplied}}</td><td>{{closing}}</td></tr>
</table>
{{/sections}}
{{#owing}}
<p class="due">Please pay the balance due by its due dates, quoting the invoice numbers.</p>
{{/owing}}
</div>
</body>
</html>
)mustache";

constexpr std::size_t k_width = 78;
constexpr std::size_t k_gap = 2;
constexpr std::size_t k_min_description = 16;

// The statement's text table: date, document, description (wraps), amount
// and balance, fitted to 78 columns.
struct TextLayout {
  std::size_t document = 8, description = 0, amount = 6, balance = 7;

  [[nodiscard]] std::string row(const std::string& date,
                                const std::string& document_id,
                                std::string_view text,
                                const std::string& amount_text,
                                const std::string& balance_text) const {
    auto parts = wrap(text, description);
    if (parts.empty())
      parts.emplace_back();
    std::vector<std::string> rows;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const bool first = i == 0;
      std::string r = pad_right(first ? date : std::string(), 10);
      r += std::string(k_gap, ' ') +
           pad_right(first ? document_id : std::string(), document);
      r += std::string(k_gap, ' ') + pad_right(parts[i], description);
      r += std::string(k_gap, ' ') +
           pad_left(first ? amount_text : std::string(), amount);
      r += std::string(k_gap, ' ') +
           pad_left(first ? balance_text : std::string(), balance);
      trim_right(r);
      rows.push_back(std::move(r));
    }
    return join_lines(rows);
  }
  [[nodiscard]] std::size_t total() const {
    return 10 + document + description + amount + balance + 4 * k_gap;
  }
};

Data section_data(const Books& books, const Statement& st,
                  const StatementSection& s) {
  const auto money = [&](std::int64_t v) { return display(v, s.currency); };
  TextLayout layout;
  std::vector<std::string> descriptions;
  for (const auto& l : s.lines) {
    layout.document =
        std::max(layout.document, columns(books.document_id(l.document)));
    layout.amount = std::max(layout.amount, columns(money(l.amount)));
    layout.balance = std::max(layout.balance, columns(money(l.balance)));
    descriptions.push_back(clean(describe(books, l)));
  }
  layout.balance = std::max({layout.balance, columns(money(s.opening)),
                             columns(money(s.closing))});
  const std::size_t fixed =
      10 + layout.document + layout.amount + layout.balance + 4 * k_gap;
  layout.description =
      std::max(k_min_description, fixed < k_width ? k_width - fixed : 0);

  Data lines(Data::type::list);
  for (std::size_t i = 0; i < s.lines.size(); ++i) {
    const auto& l = s.lines[i];
    Data d;
    d.set("date", format_date(l.date));
    d.set("document", text_value(books.document_id(l.document)));
    d.set("kind", std::string(to_string(l.entry)));
    d.set("invoice", l.invoice == k_none
                         ? Data(false)
                         : text_value(books.invoices[l.invoice].id));
    d.set("description", descriptions[i]);
    d.set("amount", money(l.amount));
    d.set("charge", l.amount > 0 ? Data(money(l.amount)) : Data(false));
    d.set("credit", l.amount < 0 ? Data(money(-l.amount)) : Data(false));
    d.set("balance", money(l.balance));
    d.set("text_row",
          layout.row(format_date(l.date),
                     clean(books.document_id(l.document)), descriptions[i],
                     money(l.amount), money(l.balance)));
    lines.push_back(d);
  }

  const auto labels = st.buckets.labels();
  Data aging(Data::type::list);
  TableData aging_table;
  aging_table.rows.emplace_back();
  for (std::size_t b = 0; b < labels.size(); ++b) {
    const auto amount = b < s.aging.buckets.size() ? s.aging.buckets[b] : 0;
    Data d;
    d.set("label", labels[b]);
    d.set("amount", money(amount));
    aging.push_back(d);
    aging_table.columns.push_back({labels[b], true});
    aging_table.rows[0].push_back(money(amount));
  }
  aging_table.columns.push_back({"unapplied", true});
  aging_table.columns.push_back({"balance", true});
  aging_table.rows[0].push_back(money(s.aging.unapplied));
  aging_table.rows[0].push_back(money(s.closing));
  std::string aging_text = render(aging_table, Format::table);
  while (!aging_text.empty() && aging_text.back() == '\n')
    aging_text.pop_back();

  Data text;
  text.set("rule", std::string(layout.total(), '-'));
  text.set("header",
           layout.row("Date", "Document", "Description", "Amount", "Balance"));
  text.set("opening", layout.row(format_date(st.from), "", "Opening balance",
                                 "", money(s.opening)));
  text.set("closing", layout.row(format_date(st.to), "", "Closing balance", "",
                                 money(s.closing)));
  text.set("aging", aging_text);

  Data d;
  d.set("currency", std::string(s.currency.name()));
  d.set("opening", money(s.opening));
  d.set("closing", money(s.closing));
  d.set("owing", Data(s.closing > 0));
  d.set("lines", lines.is_empty_list() ? Data(false) : lines);
  d.set("aging", aging);
  d.set("unapplied", money(s.aging.unapplied));
  d.set("text", text);
  return d;
}

} // namespace

std::string_view statement_template_file(DocumentFormat format) {
  return format == DocumentFormat::html ? "templates/statement.html.mustache"
                                        : "templates/statement.txt.mustache";
}

Result<std::string> render_statement(const Books& books,
                                     const Statement& statement,
                                     DocumentFormat format) {
  Data sections(Data::type::list);
  bool owing = false;
  for (const auto& s : statement.sections) {
    sections.push_back(section_data(books, statement, s));
    owing |= s.closing > 0;
  }
  Data root;
  root.set("company", company_data(books.config));
  root.set("customer", customer_data(&books.customers[statement.customer]));
  root.set("from", format_date(statement.from));
  root.set("to", format_date(statement.to));
  root.set("sections", sections);
  root.set("owing", Data(owing));
  return render(books.dir, statement_template_file(format),
                format == DocumentFormat::html ? k_statement_html
                                               : k_statement_text,
                format, root);
}

} // namespace arctl
