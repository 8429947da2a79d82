#include "arctl/aging.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <numeric>

namespace arctl {

// ---- buckets -------------------------------------------------------------------

std::size_t AgingBuckets::count() const {
  return bounds.size() + (basis == AgingBasis::due_date ? 2 : 1);
}

std::size_t AgingBuckets::of(int days) const {
  std::size_t b = 0;
  if (basis == AgingBasis::due_date) {
    if (days <= 0)
      return 0;
    b = 1;
  }
  for (const int bound : bounds) {
    if (days <= bound)
      return b;
    ++b;
  }
  return b;
}

std::vector<std::string> AgingBuckets::labels() const {
  std::vector<std::string> out;
  int from = 0;
  if (basis == AgingBasis::due_date) {
    out.emplace_back("current");
    from = 1;
  }
  for (const int bound : bounds) {
    out.push_back(fmt::format("{}-{}", from, bound));
    from = bound + 1;
  }
  out.push_back(fmt::format("{}+", from));
  return out;
}

std::expected<std::vector<int>, ParseError>
parse_buckets(std::string_view text) {
  std::vector<int> out;
  std::string_view rest = text;
  for (;;) {
    const auto comma = rest.find(',');
    const auto part = rest.substr(0, comma);
    int days = 0;
    const auto [end, ec] =
        std::from_chars(part.data(), part.data() + part.size(), days);
    if (part.empty() || ec != std::errc{} || end != part.data() + part.size() ||
        days < 1 || days > 36500)
      return std::unexpected(ParseError{
          fmt::format("\"{}\" is not a number of days from 1 to 36500", part),
          "give increasing day counts separated by commas, e.g. 30,60,90"});
    if (!out.empty() && days <= out.back())
      return std::unexpected(ParseError{
          fmt::format("{} does not follow {}: the day counts must increase",
                      days, out.back()),
          "give increasing day counts separated by commas, e.g. 30,60,90"});
    out.push_back(days);
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

std::expected<PastDueLimit, ParseError>
parse_past_due_limit(std::string_view text) {
  const auto eq = text.find('=');
  const ParseError syntax{
      fmt::format("\"{}\" is not DAYS=AMOUNT", text),
      "e.g. 60=5000: alert when more than 5000 is more than 60 days past due"};
  if (eq == std::string_view::npos)
    return std::unexpected(syntax);
  const auto days_text = text.substr(0, eq);
  PastDueLimit limit;
  const auto [end, ec] = std::from_chars(
      days_text.data(), days_text.data() + days_text.size(), limit.days);
  if (days_text.empty() || ec != std::errc{} ||
      end != days_text.data() + days_text.size() || limit.days < 0 ||
      limit.days > 36500)
    return std::unexpected(ParseError{
        fmt::format("\"{}\" is not a number of days from 0 to 36500",
                    days_text),
        syntax.hint});
  auto amount = parse_decimal(text.substr(eq + 1), 9, "amount");
  if (!amount)
    return std::unexpected(amount.error());
  if (amount->is_negative())
    return std::unexpected(
        ParseError{fmt::format("amount {} is negative", amount->to_string()),
                   syntax.hint});
  limit.amount = *amount;
  return limit;
}

namespace {

// A limit for people, in the currency's decimals when it fits them:
// 5000 in USD reads "5,000.00".
std::string limit_text(Decimal limit, Currency c) {
  if (limit.scale <= c.exponent) {
    auto minor = limit.units;
    for (int k = limit.scale; k < c.exponent; ++k)
      minor *= 10;
    return Money(minor, c).to_display();
  }
  return limit.to_string();
}

} // namespace

std::vector<std::string>
past_due_alerts(const AgingReport& report,
                const std::vector<PastDueLimit>& limits) {
  std::vector<std::string> out;
  for (const auto& s : report.sections)
    for (std::size_t k = 0; k < limits.size() && k < s.past_due.size(); ++k)
      if (Decimal{s.past_due[k], s.currency.exponent} > limits[k].amount)
        out.push_back(fmt::format(
            "{} {} is more than {} days past due, over the limit of {}",
            s.currency.name(), Money(s.past_due[k], s.currency).to_display(),
            limits[k].days, limit_text(limits[k].amount, s.currency)));
  return out;
}

// ---- amounts ---------------------------------------------------------------------

std::int64_t AgingAmounts::open() const {
  return std::accumulate(buckets.begin(), buckets.end(), std::int64_t{0});
}

std::int64_t AgingAmounts::total() const { return open() + unapplied; }

void AgingAmounts::add(const AgingAmounts& other) {
  if (buckets.size() < other.buckets.size())
    buckets.resize(other.buckets.size());
  for (std::size_t b = 0; b < other.buckets.size(); ++b)
    buckets[b] += other.buckets[b];
  unapplied += other.unapplied;
  disputed += other.disputed;
}

// ---- the aging -------------------------------------------------------------------

namespace {

// What one customer has in one currency, gathered in the one pass.
struct Tally {
  AgingRow row;
  bool listed = false; // something open or unapplied
  std::int64_t sales_30 = 0, sales_90 = 0;
  __int128 weighted = 0; // Σ open × days past due
  std::vector<std::int64_t> past_due;
};

struct SectionTally {
  Currency currency;
  std::vector<std::uint32_t> slot; // customer -> index in tallies
  // A few MB for the tens of thousands of customers of large books: in
  // huge pages, not thousands of page faults.
  Records<Tally> tallies;
  std::vector<AgingItem> items;
};

// Rounded half up: numerator ÷ denominator, both positive.
std::int64_t ratio(__int128 numerator, __int128 denominator) {
  return static_cast<std::int64_t>((numerator * 2 + denominator) /
                                   (denominator * 2));
}

class Ager {
public:
  Ager(const Books& books, const Ledger& ledger, const AgingRequest& request)
      : m_books(books), m_ledger(ledger), m_request(request),
        m_selected(books.customers.size(), request.customers.empty()) {
    for (const auto c : request.customers)
      if (c < m_selected.size())
        m_selected[c] = true;
  }

  AgingReport run();

private:
  [[nodiscard]] bool counts(std::uint32_t customer, Currency currency) const {
    return customer < m_selected.size() && m_selected[customer] &&
           (!m_request.currency || *m_request.currency == currency);
  }
  Tally& tally(std::uint32_t customer, Currency currency);
  SectionTally& section(Currency currency);
  // Each invoice's open amount, and the sales of the last 90 days.
  void invoices();
  void credits();
  void credit_memo_sales();
  AgingSection finish(SectionTally& s) const;

  const Books& m_books;
  const Ledger& m_ledger;
  const AgingRequest& m_request;
  // What is open, and the sales of the last 90 days: all an aging reads of
  // the invoices, payments and credit memos.
  std::shared_ptr<const OpenItems> m_open = open_items(m_books, m_ledger);
  // The first days of the 90 and 30 days of sales that DSO divides by.
  Date m_from_90 = add_days(m_ledger.as_of, 1 - k_recent_days);
  Date m_from_30 = add_days(m_ledger.as_of, -29);
  std::vector<bool> m_selected;
  std::vector<SectionTally> m_sections;
};

SectionTally& Ager::section(Currency currency) {
  for (auto& s : m_sections)
    if (s.currency == currency)
      return s;
  auto& s = m_sections.emplace_back();
  s.currency = currency;
  s.slot.assign(m_books.customers.size(), k_none);
  // Every customer may have a row: room for all of them at once, rather
  // than moving the rows each time they outgrow their vector.
  if (m_sections.size() == 1)
    s.tallies.reserve(m_books.customers.size());
  return s;
}

Tally& Ager::tally(std::uint32_t customer, Currency currency) {
  auto& s = section(currency);
  auto& slot = s.slot[customer];
  if (slot == k_none) {
    slot = static_cast<std::uint32_t>(s.tallies.size());
    auto& t = s.tallies.emplace_back();
    t.row.customer = customer;
    t.row.amounts.buckets.assign(m_request.buckets.count(), 0);
    t.past_due.assign(m_request.past_due_over.size(), 0);
  }
  return s.tallies[slot];
}

void Ager::invoices() {
  const auto as_of = m_ledger.as_of;
  const bool on_due = m_request.buckets.basis == AgingBasis::due_date;
  for (const auto& inv : m_open->invoices) {
    if (!counts(inv.customer, inv.currency))
      continue;
    // Net credit sales of the last 30 and 90 days, for DSO.
    if (m_from_90 <= inv.date && inv.date <= as_of) {
      auto& t = tally(inv.customer, inv.currency);
      t.sales_90 += inv.total;
      if (m_from_30 <= inv.date)
        t.sales_30 += inv.total;
    }
    if (inv.open == 0)
      continue;
    auto& t = tally(inv.customer, inv.currency);
    const int past_due = days_between(inv.due, as_of);
    const int days = on_due ? past_due : days_between(inv.date, as_of);
    const auto bucket = m_request.buckets.of(days);
    const std::int64_t disputed =
        !inv.disputed           ? 0
        : inv.disputed_part > 0 ? std::min(inv.open, inv.disputed_part)
                                : inv.open;
    t.listed = true;
    t.row.amounts.buckets[bucket] += inv.open;
    t.row.amounts.disputed += disputed;
    if (past_due > 0) {
      t.row.overdue += inv.open;
      t.weighted += static_cast<__int128>(inv.open) * past_due;
      t.row.most_days_past_due = std::max(t.row.most_days_past_due, past_due);
    }
    if (past_due > 90)
      t.row.over_90 += inv.open;
    for (std::size_t k = 0; k < m_request.past_due_over.size(); ++k)
      if (past_due > m_request.past_due_over[k])
        t.past_due[k] += inv.open;
    if (m_request.items)
      section(inv.currency)
          .items.push_back({{DocKind::invoice, inv.invoice}, inv.customer, days,
                            bucket, inv.open, disputed, inv.date, inv.due});
  }
}

void Ager::credits() {
  for (const auto& c : m_open->credits) {
    if (c.left == 0 || !counts(c.customer, c.currency))
      continue;
    auto& t = tally(c.customer, c.currency);
    t.listed = true;
    t.row.amounts.unapplied -= c.left;
    if (m_request.items)
      section(c.currency)
          .items.push_back({c.document, c.customer, 0, k_unapplied_bucket,
                            -c.left, 0, c.date, c.date});
  }
}

// Credit memos of the last 30 and 90 days lower the net credit sales.
void Ager::credit_memo_sales() {
  const auto as_of = m_ledger.as_of;
  for (const auto& c : m_open->credits) {
    if (c.document.kind != DocKind::adjustment || c.date < m_from_90 ||
        as_of < c.date || !counts(c.customer, c.currency))
      continue;
    auto& t = tally(c.customer, c.currency);
    t.sales_90 -= c.amount;
    if (m_from_30 <= c.date)
      t.sales_30 -= c.amount;
  }
}

AgingSection Ager::finish(SectionTally& s) const {
  AgingSection out;
  out.currency = s.currency;
  out.totals.buckets.assign(m_request.buckets.count(), 0);
  out.past_due.assign(m_request.past_due_over.size(), 0);
  std::vector<bool> kept(m_books.customers.size(), false);
  out.rows.reserve(s.tallies.size());
  // The figures and the amounts past due describe every customer selected;
  // --min-balance only leaves rows out of the listing and its totals.
  __int128 weighted = 0;
  std::int64_t open = 0;
  for (auto& t : s.tallies) {
    auto& f = out.figures;
    f.sales_30 += t.sales_30;
    f.sales_90 += t.sales_90;
    f.overdue += t.row.overdue;
    f.over_90 += t.row.over_90;
    weighted += t.weighted;
    open += t.row.amounts.open();
    for (std::size_t k = 0; k < t.past_due.size(); ++k)
      out.past_due[k] += t.past_due[k];
    if (!t.listed || (m_request.min_balance &&
                      Decimal{t.row.amounts.total(), s.currency.exponent} <
                          *m_request.min_balance))
      continue;
    kept[t.row.customer] = true;
    out.totals.add(t.row.amounts);
    out.rows.push_back(std::move(t.row));
  }
  const auto id = [this](std::uint32_t c) { return m_books.customers[c].id; };
  std::sort(out.rows.begin(), out.rows.end(),
            [&](const AgingRow& a, const AgingRow& b) {
              return id(a.customer) < id(b.customer);
            });
  auto& f = out.figures;
  if (f.sales_30 > 0)
    f.dso_30 = ratio(static_cast<__int128>(open) * 30 * 10, f.sales_30);
  if (f.sales_90 > 0)
    f.dso_90 = ratio(static_cast<__int128>(open) * 90 * 10, f.sales_90);
  if (open > 0) {
    f.weighted_days_past_due = ratio(weighted * 10, open);
    f.over_90_share = ratio(static_cast<__int128>(f.over_90) * 1000, open);
  }
  std::erase_if(s.items,
                [&](const AgingItem& item) { return !kept[item.customer]; });
  std::sort(s.items.begin(), s.items.end(),
            [&](const AgingItem& a, const AgingItem& b) {
              if (a.customer != b.customer)
                return id(a.customer) < id(b.customer);
              const bool credit_a = a.bucket == k_unapplied_bucket;
              if (credit_a != (b.bucket == k_unapplied_bucket))
                return !credit_a;
              if (a.due != b.due)
                return a.due < b.due;
              return m_books.document_id(a.document) <
                     m_books.document_id(b.document);
            });
  out.items = std::move(s.items);
  return out;
}

AgingReport Ager::run() {
  invoices();
  credits();
  credit_memo_sales();
  AgingReport report;
  report.as_of = m_ledger.as_of;
  report.buckets = m_request.buckets;
  const auto home = m_books.config.currency;
  std::sort(m_sections.begin(), m_sections.end(),
            [home](const SectionTally& a, const SectionTally& b) {
              if ((a.currency == home) != (b.currency == home))
                return a.currency == home;
              return a.currency.name() < b.currency.name();
            });
  for (auto& s : m_sections) {
    auto section = finish(s);
    // A currency with nothing to list still has figures when it had
    // sales, unless rows were asked for only above a balance.
    if (!section.rows.empty() ||
        (section.figures.sales_90 != 0 && !m_request.min_balance))
      report.sections.push_back(std::move(section));
  }
  return report;
}

} // namespace

AgingReport age_receivables(const Books& books, const Ledger& ledger,
                            const AgingRequest& request) {
  return Ager(books, ledger, request).run();
}

bool several_currencies(const Books& books) {
  // In valid books every invoice, payment and adjustment is in its
  // customer's currency (a rule of reading them), so the customers tell,
  // without a walk over millions of documents.
  const auto home = books.config.currency;
  return std::any_of(books.customers.begin(), books.customers.end(),
                     [home](const Customer& c) { return c.currency != home; });
}

// ---- rendering -------------------------------------------------------------------

std::string format_tenths(std::int64_t tenths) {
  const bool negative = tenths < 0;
  const auto magnitude = negative ? -tenths : tenths;
  return fmt::format("{}{}.{}", negative ? "-" : "", magnitude / 10,
                     magnitude % 10);
}

namespace {

std::string plain(std::int64_t minor, Currency c) {
  return format_minor_units(minor, c.exponent);
}

std::string optional_tenths(const std::optional<std::int64_t>& v) {
  return v ? format_tenths(*v) : std::string();
}

std::string_view view_name(AgingView view) {
  switch (view) {
  case AgingView::summary: return "summary";
  case AgingView::customer: return "customer";
  case AgingView::invoice: return "invoice";
  }
  return "customer";
}

// The cells of one section's rows and its totals row, amounts through
// `money` (plain for machines, grouped for people).
template <class Money>
void section_rows(const Books& books, const AgingReport& report,
                  const AgingSection& s, AgingView view, bool currency_column,
                  const Money& money, TableData& t) {
  const auto labels = report.buckets.labels();
  const auto start = [&] {
    std::vector<std::string> row;
    row.reserve(t.columns.size());
    if (currency_column)
      row.emplace_back(s.currency.name());
    return row;
  };
  const auto amounts = [&](std::vector<std::string>& row,
                           const AgingAmounts& a) {
    for (const auto v : a.buckets)
      row.push_back(money(v, s.currency));
    row.push_back(money(a.unapplied, s.currency));
    row.push_back(money(a.total(), s.currency));
    row.push_back(money(a.disputed, s.currency));
  };
  switch (view) {
  case AgingView::customer: {
    for (const auto& r : s.rows) {
      auto row = start();
      const auto& c = books.customers[r.customer];
      row.emplace_back(c.id);
      row.emplace_back(c.name);
      amounts(row, r.amounts);
      t.rows.push_back(std::move(row));
    }
    auto row = start();
    row.emplace_back("");
    row.emplace_back("Total");
    amounts(row, s.totals);
    t.rows.push_back(std::move(row));
    break;
  }
  case AgingView::invoice: {
    for (const auto& item : s.items) {
      auto row = start();
      const auto& c = books.customers[item.customer];
      row.emplace_back(c.id);
      row.emplace_back(c.name);
      row.emplace_back(books.document_id(item.document));
      row.push_back(format_date(item.date));
      const bool invoice = item.document.kind == DocKind::invoice;
      row.push_back(invoice ? format_date(item.due) : std::string());
      row.push_back(invoice ? fmt::format("{}", item.days) : std::string());
      row.push_back(invoice ? labels[item.bucket] : std::string("unapplied"));
      row.push_back(money(item.amount, s.currency));
      row.emplace_back(item.disputed != 0 ? "yes" : "no");
      t.rows.push_back(std::move(row));
    }
    auto row = start();
    row.emplace_back("");
    row.emplace_back("Total");
    row.insert(row.end(), 5, std::string());
    row.push_back(money(s.totals.total(), s.currency));
    row.emplace_back("");
    t.rows.push_back(std::move(row));
    break;
  }
  case AgingView::summary: {
    auto row = start();
    amounts(row, s.totals);
    row.push_back(fmt::format("{}", s.rows.size()));
    row.push_back(optional_tenths(s.figures.dso_30));
    row.push_back(optional_tenths(s.figures.dso_90));
    row.push_back(optional_tenths(s.figures.weighted_days_past_due));
    row.push_back(optional_tenths(s.figures.over_90_share));
    t.rows.push_back(std::move(row));
    break;
  }
  }
}

TableData columns(const AgingReport& report, AgingView view,
                  bool currency_column) {
  TableData t;
  if (currency_column)
    t.columns.push_back({"currency"});
  const auto amounts = [&] {
    for (auto& label : report.buckets.labels())
      t.columns.push_back({std::move(label), true});
    t.columns.push_back({"unapplied", true});
    t.columns.push_back({"total", true});
    t.columns.push_back({"disputed", true});
  };
  switch (view) {
  case AgingView::customer:
    t.columns.push_back({"customer"});
    t.columns.push_back({"name"});
    amounts();
    break;
  case AgingView::invoice:
    for (const auto* name : {"customer", "name", "document", "date", "due"})
      t.columns.push_back({name});
    t.columns.push_back({"days", true});
    t.columns.push_back({"bucket"});
    t.columns.push_back({"open", true});
    t.columns.push_back({"disputed"});
    break;
  case AgingView::summary:
    amounts();
    t.columns.push_back({"customers", true});
    for (const auto* name :
         {"dso_30", "dso_90", "weighted_days_past_due", "over_90_share"})
      t.columns.push_back({name, true});
    break;
  }
  return t;
}

} // namespace

TableData aging_table(const Books& books, const AgingReport& report,
                      AgingView view, bool currency_column) {
  auto t = columns(report, view, currency_column);
  for (const auto& s : report.sections)
    section_rows(books, report, s, view, currency_column, plain, t);
  return t;
}

std::string aging_text(const Books& books, const AgingReport& report,
                       AgingView view) {
  const auto grouped = [](std::int64_t minor, Currency c) {
    return Money(minor, c).to_display();
  };
  std::string out;
  if (report.sections.empty())
    return fmt::format("Nothing is open or unapplied as of {}.\n",
                       format_date(report.as_of));
  for (const auto& s : report.sections) {
    if (!out.empty())
      out += '\n';
    out += fmt::format("Amounts in {}\n\n", s.currency.name());
    auto t = columns(report, view, false);
    section_rows(books, report, s, view, false, grouped, t);
    render_to(out, t, Format::table);
    if (view == AgingView::summary)
      continue;
    const auto& f = s.figures;
    const auto figure = [](const std::optional<std::int64_t>& v) {
      return v ? format_tenths(*v) : std::string("n/a");
    };
    out += fmt::format(
        "\nDSO {} (last 30 days), {} (last 90 days); weighted days past due "
        "{}; over 90 days past due {}{}\n",
        figure(f.dso_30), figure(f.dso_90), figure(f.weighted_days_past_due),
        Money(f.over_90, s.currency).to_display(),
        f.over_90_share
            ? fmt::format(", {}% of open", format_tenths(*f.over_90_share))
            : std::string());
  }
  return out;
}

std::string aging_json(const Books& books, const AgingReport& report,
                       AgingView view) {
  const auto labels = report.buckets.labels();
  std::string out = fmt::format(
      "{{\n  \"as_of\": \"{}\",\n  \"basis\": \"{}\",\n  \"by\": \"{}\",\n"
      "  \"buckets\": [",
      format_date(report.as_of),
      report.buckets.basis == AgingBasis::due_date ? "due" : "invoice",
      view_name(view));
  for (std::size_t b = 0; b < labels.size(); ++b)
    out += fmt::format("{}{}", b ? ", " : "", json_string(labels[b]));
  out += "],\n  \"rows\": ";
  // The rows without the totals rows, which "totals" carries.
  auto rows = columns(report, view, true);
  if (view != AgingView::summary)
    for (const auto& s : report.sections) {
      section_rows(books, report, s, view, true, plain, rows);
      rows.rows.pop_back();
    }
  std::string table = render(rows, Format::json);
  while (!table.empty() && table.back() == '\n')
    table.pop_back();
  for (std::size_t at = table.find('\n'); at != std::string::npos;
       at = table.find('\n', at + 3))
    table.replace(at, 1, "\n  ");
  out += view == AgingView::summary ? std::string("[]") : table;
  out += ",\n  \"totals\": [";
  bool first = true;
  for (const auto& s : report.sections) {
    const auto& f = s.figures;
    const auto money = [&](std::int64_t v) { return plain(v, s.currency); };
    const auto number = [](const std::optional<std::int64_t>& v) {
      return v ? format_tenths(*v) : std::string("null");
    };
    out += first ? "\n    {" : ",\n    {";
    first = false;
    out += fmt::format("\"currency\": \"{}\"", s.currency.name());
    for (std::size_t b = 0; b < labels.size(); ++b)
      out += fmt::format(", {}: {}", json_string(labels[b]),
                         money(s.totals.buckets[b]));
    out += fmt::format(
        ", \"unapplied\": {}, \"total\": {}, \"disputed\": {}, "
        "\"customers\": {}, \"overdue\": {}, \"sales_30\": {}, "
        "\"sales_90\": {}, \"dso_30\": {}, \"dso_90\": {}, "
        "\"weighted_days_past_due\": {}, \"over_90\": {}, "
        "\"over_90_share\": {}}}",
        money(s.totals.unapplied), money(s.totals.total()),
        money(s.totals.disputed), s.rows.size(), money(f.overdue),
        money(f.sales_30),
        money(f.sales_90), number(f.dso_30), number(f.dso_90),
        number(f.weighted_days_past_due), money(f.over_90),
        number(f.over_90_share));
  }
  out += first ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

} // namespace arctl
