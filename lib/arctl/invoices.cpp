#include "arctl/invoices.hpp"

#include "arctl/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>

namespace arctl {

std::string_view to_string(InvoiceStatus s) {
  switch (s) {
  case InvoiceStatus::void_: return "void";
  case InvoiceStatus::closed: return "closed";
  case InvoiceStatus::open: return "open";
  case InvoiceStatus::overdue: return "overdue";
  }
  return {};
}

InvoiceStatus invoice_status(const Books& books, const Ledger& ledger,
                             std::uint32_t invoice) {
  const auto& state = ledger.invoices[invoice];
  if (state.void_)
    return InvoiceStatus::void_;
  if (state.open == 0)
    return InvoiceStatus::closed;
  return books.invoices[invoice].due < ledger.as_of ? InvoiceStatus::overdue
                                                    : InvoiceStatus::open;
}

TableData invoice_list(const Books& books, const Ledger& ledger,
                       const InvoiceFilter& filter) {
  TableData t;
  t.columns = {{"invoice"},          {"customer"},     {"date"},
               {"due"},              {"currency"},     {"total", true},
               {"open", true},       {"status"},       {"days_past_due", true},
               {"disputed"}};
  for (std::uint32_t i = 0; i < books.invoices.size(); ++i) {
    const auto& inv = books.invoices[i];
    const auto& state = ledger.invoices[i];
    if (!state.issued)
      continue;
    if (!filter.customers.empty() &&
        std::find(filter.customers.begin(), filter.customers.end(),
                  inv.customer) == filter.customers.end())
      continue;
    if ((filter.from && inv.date < *filter.from) ||
        (filter.to && inv.date > *filter.to))
      continue;
    const auto status = invoice_status(books, ledger, i);
    const bool is_open =
        status == InvoiceStatus::open || status == InvoiceStatus::overdue;
    if ((filter.open && !is_open) ||
        (filter.overdue && status != InvoiceStatus::overdue) ||
        (filter.disputed && !state.disputed))
      continue;
    const auto exponent = inv.currency.exponent;
    t.rows.push_back(
        {std::string(inv.id), std::string(books.customers[inv.customer].id),
         format_date(inv.date), format_date(inv.due),
         std::string(inv.currency.name()),
         format_minor_units(inv.total, exponent),
         format_minor_units(state.open, exponent),
         std::string(to_string(status)),
         status == InvoiceStatus::overdue
             ? std::to_string(days_between(inv.due, ledger.as_of))
             : std::string(),
         state.disputed ? "yes" : ""});
  }
  return t;
}

} // namespace arctl

namespace arctl {

Result<std::uint32_t> find_invoice_id(const Books& books, std::string_view id) {
  if (const auto i = books.invoice_index.find(id))
    return *i;
  return fail(ExitCode::data, fmt::format("unknown invoice \"{}\"", id));
}

Result<std::uint32_t> issued_invoice(const Books& books, std::string_view id,
                                     Date date) {
  auto index = find_invoice_id(books, id);
  if (!index)
    return index;
  const auto& inv = books.invoices[*index];
  if (date < inv.date)
    return fail(ExitCode::data,
                fmt::format("invoice {} is dated {}, after {}", inv.id,
                            format_date(inv.date), format_date(date)));
  return index;
}

Money InvoiceLine::gross() const { return *add(amount, discount); }

Result<std::vector<InvoiceLine>> read_invoice_lines(const Books& books,
                                                    std::uint32_t invoice) {
  const auto& inv = books.invoices[invoice];
  const auto& s = schema(Table::invoice_lines);
  auto reader = CsvReader::open(books.dir.file(s.file), books.dir.shown(s.file));
  if (!reader)
    return std::unexpected(std::move(reader.error()));
  CsvRecord rec;
  std::vector<std::string> header;
  std::vector<InvoiceLine> out;
  // Column positions by name; the file's own order decides.
  enum { invoice_col, line_col, item, description, qty, unit_price, discount,
         tax_code, amount, tax, note, count };
  constexpr std::array<std::string_view, count> names{
      "invoice", "line",     "item",   "description", "qty", "unit_price",
      "discount", "tax_code", "amount", "tax",        "note"};
  std::array<std::size_t, count> at;
  at.fill(SIZE_MAX);
  const auto bad = [&](std::uint32_t line) {
    return fail(ExitCode::data,
                fmt::format("{}:{}: cannot read the lines of invoice {}; "
                            "'arctl check' lists the problems of the books",
                            books.dir.shown(s.file), line, inv.id));
  };
  bool first = true;
  for (;;) {
    auto got = reader->next(rec);
    if (!got)
      return bad(got.error().loc.line);
    if (!*got)
      break;
    if (first) {
      first = false;
      for (std::size_t i = 0; i < rec.fields.size(); ++i)
        for (std::size_t n = 0; n < count; ++n)
          if (rec.fields[i] == names[n])
            at[n] = i;
      continue;
    }
    const auto get = [&](int n) -> std::string_view {
      return at[n] < rec.fields.size() ? rec.fields[at[n]] : std::string_view();
    };
    if (get(invoice_col) != inv.id)
      continue;
    InvoiceLine l;
    const auto money = [&](int n) -> std::optional<Money> {
      if (get(n).empty())
        return Money::zero(inv.currency);
      auto m = Money::parse(get(n), inv.currency);
      return m ? std::optional(*m) : std::nullopt;
    };
    const auto number = parse_decimal(get(line_col), 0);
    const auto q = parse_decimal(get(qty), 9);
    const auto p = parse_decimal(get(unit_price), 9);
    const auto d = money(discount), a = money(amount), t = money(tax);
    if (!number || !q || !p || !d || !a || !t)
      return bad(rec.line);
    l.number = static_cast<std::uint32_t>(number->units);
    l.item = get(item);
    l.description = get(description);
    l.note = get(note);
    l.quantity = *q;
    l.unit_price = *p;
    l.discount = *d;
    l.amount = *a;
    l.tax = *t;
    if (!get(tax_code).empty())
      l.code = books.config.find_tax_code(get(tax_code));
    out.push_back(std::move(l));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const InvoiceLine& x, const InvoiceLine& y) {
                     return x.number < y.number;
                   });
  return out;
}

std::vector<HistoryEntry> invoice_history(const Books& books,
                                          const Ledger& ledger,
                                          std::uint32_t invoice) {
  const auto& inv = books.invoices[invoice];
  std::vector<HistoryEntry> out;
  if (inv.date > ledger.as_of)
    return out;
  // Facts in the ledger's order: by date, then allocations, adjustments
  // and events, each in file order.
  struct Fact {
    Date date;
    int part;
    std::uint32_t index;
  };
  std::vector<Fact> facts;
  for (std::uint32_t i = 0; i < books.allocations.size(); ++i)
    if (books.allocations[i].invoice == invoice)
      facts.push_back({books.allocations[i].date, 0, i});
  for (std::uint32_t i = 0; i < books.adjustments.size(); ++i) {
    const auto& j = books.adjustments[i];
    if (j.invoice == invoice && j.kind != AdjustmentKind::credit)
      facts.push_back({j.date, 1, i});
  }
  for (std::uint32_t i = 0; i < books.events.size(); ++i)
    if (books.events[i].invoice == invoice)
      facts.push_back({books.events[i].date, 2, i});
  std::stable_sort(facts.begin(), facts.end(),
                   [](const Fact& x, const Fact& y) {
                     return x.date != y.date ? x.date < y.date
                                             : x.part < y.part;
                   });

  std::int64_t open = inv.total;
  out.push_back({inv.date, "issued", std::string(inv.id), inv.total, open,
                 std::string(inv.memo)});
  for (const auto& f : facts) {
    if (f.date > ledger.as_of)
      break;
    HistoryEntry e;
    e.date = f.date;
    if (f.part == 0) {
      const auto& a = books.allocations[f.index];
      e.what = a.amount < 0 ? "unapply"
               : a.source.kind == DocKind::payment ? "payment"
                                                  : "credit";
      e.document = books.document_id(a.source);
      e.amount = a.amount;
      e.note = a.memo;
      // A credit memo applied without a memo of its own says why it was
      // issued.
      if (e.note.empty() && a.source.kind == DocKind::adjustment)
        e.note = books.adjustments[a.source.index].reason;
    } else if (f.part == 1) {
      const auto& j = books.adjustments[f.index];
      e.what = to_string(j.kind);
      e.document = j.id;
      // A void cancels what is open; the others take their amount off.
      e.amount = j.kind == AdjustmentKind::void_ ? open : j.amount.value_or(0);
      e.note = j.reason;
    } else {
      const auto& ev = books.events[f.index];
      e.what = to_string(ev.kind);
      e.note = ev.reason;
      if (ev.amount)
        e.note += fmt::format("{}(disputed part {})", e.note.empty() ? "" : " ",
                              format_minor_units(*ev.amount,
                                                 inv.currency.exponent));
      e.amount = 0;
    }
    open -= e.amount;
    e.balance = open;
    out.push_back(std::move(e));
  }
  return out;
}

Result<InvoiceDocument> invoice_document(const Books& books,
                                         const Ledger& ledger,
                                         std::uint32_t invoice) {
  auto lines = read_invoice_lines(books, invoice);
  if (!lines)
    return std::unexpected(std::move(lines.error()));
  InvoiceDocument doc;
  doc.books = &books;
  doc.index = invoice;
  doc.invoice = &books.invoices[invoice];
  doc.customer = &books.customers[doc.invoice->customer];
  doc.lines = std::move(*lines);
  std::vector<PricedLine> priced;
  for (const auto& l : doc.lines)
    priced.push_back({l.amount, l.code, l.tax});
  if (auto taxes = tax_by_code(books.config, doc.invoice->currency, priced))
    doc.taxes = std::move(*taxes);
  doc.as_of = ledger.as_of;
  doc.state = ledger.invoices[invoice];
  doc.status = invoice_status(books, ledger, invoice);
  doc.history = invoice_history(books, ledger, invoice);
  return doc;
}

namespace {

TableData line_table(const InvoiceDocument& doc) {
  TableData t;
  t.columns = {{"line", true},       {"item"},           {"description"},
               {"qty", true},        {"unit_price", true}, {"gross", true},
               {"discount", true},   {"amount", true},   {"tax_code"},
               {"tax", true},        {"note"}};
  const bool per_line = doc.books->config.tax_rounding == TaxRounding::line;
  for (const auto& l : doc.lines)
    t.rows.push_back({std::to_string(l.number), l.item, l.description,
                      l.quantity.to_string(), l.unit_price.to_string(),
                      l.gross().to_string(), l.discount.to_string(),
                      l.amount.to_string(), l.code ? l.code->code : "",
                      l.code && per_line ? l.tax.to_string() : "", l.note});
  return t;
}

TableData history_table(const InvoiceDocument& doc) {
  TableData t;
  t.columns = {{"date"},         {"what"},          {"document"},
               {"amount", true}, {"balance", true}, {"note"}};
  const auto exponent = doc.invoice->currency.exponent;
  for (const auto& h : doc.history)
    t.rows.push_back({format_date(h.date), h.what, h.document,
                      h.what == "issued" || h.amount != 0
                          ? format_minor_units(h.what == "issued" ? h.amount
                                                                  : -h.amount,
                                               exponent)
                          : std::string(),
                      format_minor_units(h.balance, exponent), h.note});
  return t;
}

std::string tax_text(const TaxBreakdown& t) {
  return fmt::format("{} {}% {} {} = {}", t.code->code, t.code->rate.to_string(),
                     t.code->inclusive ? "contained in" : "of",
                     t.base.to_string(), t.tax.to_string());
}

} // namespace

std::string show_invoice(const InvoiceDocument& doc, Format format) {
  const auto& inv = *doc.invoice;
  const auto& books = *doc.books;
  const auto cur = inv.currency;
  const auto m = [&](std::int64_t minor) {
    return format_minor_units(minor, cur.exponent);
  };
  const auto& st = doc.state;
  const std::string status(to_string(doc.status));
  const auto days = days_between(inv.due, doc.as_of);
  std::string disputed = st.disputed ? "yes" : "no";
  if (st.disputed && st.disputed_part)
    disputed += " (" + m(st.disputed_part) + ")";

  if (format == Format::csv)
    return render(history_table(doc), Format::csv);

  if (format == Format::json) {
    std::string out = "{";
    const auto field = [&](std::string_view name, const std::string& json) {
      out += fmt::format("{}\n  {}: {}", out.size() > 1 ? "," : "",
                         json_string(name), json);
    };
    const auto text = [&](std::string_view name, std::string_view value) {
      field(name, json_string(value));
    };
    text("invoice", inv.id);
    text("customer", books.customers[inv.customer].id);
    text("name", doc.customer->name);
    text("date", format_date(inv.date));
    text("due", format_date(inv.due));
    text("terms", inv.terms);
    text("currency", cur.name());
    text("po", inv.po);
    text("memo", inv.memo);
    field("subtotal", m(inv.subtotal));
    field("tax", m(inv.tax));
    field("total", m(inv.total));
    text("as_of", format_date(doc.as_of));
    text("status", status);
    field("open", m(st.open));
    field("days_past_due",
          doc.status == InvoiceStatus::overdue ? std::to_string(days) : "null");
    field("disputed", st.disputed ? "true" : "false");
    field("disputed_part", st.disputed && st.disputed_part ? m(st.disputed_part)
                                                          : "null");
    std::string taxes = "[";
    for (const auto& t : doc.taxes)
      taxes += fmt::format("{}{{\"code\": {}, \"rate\": {}, \"inclusive\": {}, "
                           "\"base\": {}, \"tax\": {}}}",
                           taxes.size() > 1 ? ", " : "",
                           json_string(t.code->code),
                           json_string(t.code->rate.to_string()),
                           t.code->inclusive ? "true" : "false",
                           t.base.to_string(), t.tax.to_string());
    field("taxes", taxes + "]");
    auto lines = render(line_table(doc), Format::json);
    auto history = render(history_table(doc), Format::json);
    // Nested one level deeper than a report's own array.
    const auto indent = [](std::string s) {
      while (!s.empty() && s.back() == '\n')
        s.pop_back();
      std::string out2;
      for (char ch : s) {
        out2 += ch;
        if (ch == '\n')
          out2 += "  ";
      }
      return out2;
    };
    field("lines", indent(lines));
    field("history", indent(history));
    return out + "\n}\n";
  }

  std::vector<std::pair<std::string, std::string>> head{
      {"invoice", std::string(inv.id)},
      {"customer", fmt::format("{}  {}", books.customers[inv.customer].id,
                               doc.customer->name)},
      {"date", format_date(inv.date)},
      {"due", format_date(inv.due) +
                  (inv.terms.empty() ? "" : fmt::format("  ({})", inv.terms))},
  };
  if (!inv.po.empty())
    head.emplace_back("po", inv.po);
  if (!inv.memo.empty())
    head.emplace_back("memo", inv.memo);
  head.emplace_back("total", fmt::format("{} {}", cur.name(), m(inv.total)));
  head.emplace_back("as of", format_date(doc.as_of));
  head.emplace_back(
      "status", doc.status == InvoiceStatus::overdue
                    ? fmt::format("overdue, {} days past due", days)
                    : status);
  head.emplace_back("open", m(st.open));
  head.emplace_back("disputed", disputed);
  std::string out;
  for (const auto& [k, v] : head)
    out += fmt::format("{:<10}{}\n", k, v);
  out += "\n" + render(line_table(doc), Format::table) + "\n";
  for (const auto& t : doc.taxes)
    out += "tax " + tax_text(t) + "\n";
  out += fmt::format("subtotal {}  tax {}  total {}\n\n", m(inv.subtotal),
                     m(inv.tax), m(inv.total));
  out += render(history_table(doc), Format::table);
  return out;
}

} // namespace arctl
