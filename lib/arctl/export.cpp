#include "arctl/export.hpp"

#include "arctl/aging.hpp"
#include "arctl/statement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

namespace arctl {

std::string_view to_string(JournalFormat format) {
  switch (format) {
  case JournalFormat::ledger:
    return "ledger";
  case JournalFormat::hledger:
    return "hledger";
  case JournalFormat::beancount:
    return "beancount";
  }
  return "ledger";
}

std::optional<JournalFormat> parse_journal_format(std::string_view text) {
  for (const auto f : {JournalFormat::ledger, JournalFormat::hledger,
                       JournalFormat::beancount})
    if (text == to_string(f))
      return f;
  return std::nullopt;
}

namespace {

bool letter_or_digit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9');
}

// A valid component is one that makes a valid account (config.hpp).
bool valid_component(std::string_view s) {
  return s.find(':') == std::string_view::npos &&
         !account_name_problem(fmt::format("Assets:{}", s));
}

} // namespace

std::string account_component(std::string_view id) {
  std::string out(id);
  for (auto& c : out)
    if (!letter_or_digit(c))
      c = '-';
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::vector<std::string>
customer_account_components(std::span<const std::string_view> ids) {
  std::vector<std::string> out(ids.size());
  std::unordered_set<std::string> taken;
  std::vector<bool> kept(ids.size(), false);
  // Valid ids first, so that a customer's account never depends on
  // whether another customer's id needed changing.
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (valid_component(ids[i]) && taken.emplace(ids[i]).second) {
      out[i] = std::string(ids[i]);
      kept[i] = true;
    }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (kept[i])
      continue;
    const auto base = account_component(ids[i]);
    auto name = base;
    for (int n = 2; taken.contains(name); ++n)
      name = fmt::format("{}-{}", base, n);
    taken.insert(name);
    out[i] = std::move(name);
  }
  return out;
}

namespace {

enum class Account : std::uint8_t {
  receivable,      // of a customer
  customer_credit, // of a customer
  bank,
  sales,
  sales_tax,
  sales_discounts,
  bad_debt,
  opening_balances,
};

// Debit positive, credit negative.
struct Posting {
  Account account = Account::bank;
  std::uint32_t customer = k_none; // of a customer's account
  std::int64_t amount = 0;
  Currency currency;
  std::string_view invoice; // the invoice a receivable posting concerns
};

struct Entry {
  Date date;
  std::string_view code;               // the document; none: opening
  std::vector<std::string_view> links; // more documents (beancount links)
  std::uint32_t payee = k_none;        // the customer; none: opening
  std::string narration;
  std::vector<Posting> postings;
};

// One fact on the timeline: its date and index in its file's records.
struct Step {
  Date date;
  std::uint32_t index;
};

// The parts of the timeline, in the order facts of one day are written.
enum Part { invoices, payments, credits, applications, adjustments, parts };

constexpr std::string_view k_opening_payee = "Opening balances";
// Under this ledger tag an entry's description is kept: a note of plain
// text would read "[2026-01-05]" as a date and ":word:" as a tag.
constexpr std::string_view k_note_tag = "Note";
// The journal is handed on in pieces of about this size.
constexpr std::size_t k_chunk = 1 << 16;

class Exporter {
public:
  Exporter(const Books& books, const Ledger& ledger,
           const ExportRequest& request, const JournalSink& write,
           const CustomerPostingSink* postings = nullptr)
      : m_books(books), m_ledger(ledger), m_request(request), m_write(write),
        m_postings(postings), m_format(request.format) {}

  Result<void> run();

private:
  bool within(Date d) const {
    return (!m_request.from || *m_request.from <= d) && d <= m_request.as_of;
  }
  std::size_t slot(DocRef source) const {
    return source.kind == DocKind::payment
               ? source.index
               : m_books.payments.size() + source.index;
  }
  bool folded(const Allocation& a) const {
    return a.amount > 0 && a.date == m_books.document_date(a.source);
  }

  void plan();
  std::optional<Date> first_date() const;
  void header();
  void declarations(std::optional<Date> first);
  void opening();
  void invoice(std::uint32_t i);
  void source(DocRef ref);
  void application(std::uint32_t i);
  void adjustment(std::uint32_t i);
  Result<void> check_balances() const;

  // Starts m_entry for a fact of `customer` with `code` as its document.
  Entry& start(Date date, std::string_view code, std::uint32_t customer,
               StatementEntry kind, DocRef document,
               std::uint32_t invoice = k_none, std::int64_t amount = 0);
  void post(Account account, std::uint32_t customer, std::int64_t amount,
            Currency currency, std::string_view invoice = {});
  void write_entry();
  void emit_postings() const;
  void flush(bool all);

  const std::string& account_name(const Posting& p) const;
  std::string_view payee(std::uint32_t customer) const;
  enum class Use { comment, payee, description };
  std::string text(std::string_view text, Use use) const;

  const Books& m_books;
  const Ledger& m_ledger;
  const ExportRequest& m_request;
  const JournalSink& m_write;
  // When given, the customers' postings go here instead of a journal.
  const CustomerPostingSink* m_postings;
  JournalFormat m_format;

  std::vector<std::string> m_fixed;              // by Account
  std::vector<std::string> m_receivable_of;      // by customer
  std::vector<std::string> m_customer_credit_of; // by customer
  std::vector<std::string> m_payee_of;           // by customer
  // The applications made on their source's date, which its entry takes:
  // those of source slot s are m_folded[m_fold_start[s] ..
  // m_fold_start[s + 1]).
  std::vector<std::uint32_t> m_fold_start, m_folded;
  Records<Step> m_parts[parts];

  Entry m_entry;
  std::string m_out;
  // What the journal says each customer owes: receivable plus credit.
  std::vector<std::int64_t> m_balance;
};

Result<void> Exporter::run() {
  if (m_request.from && m_request.as_of < *m_request.from)
    return fail(ExitCode::usage, fmt::format("--from {} is after --as-of {}",
                                             format_date(*m_request.from),
                                             format_date(m_request.as_of)));
  const auto& a = m_books.config.export_accounts;
  m_fixed = {a.receivable, a.customer_credit, a.bank,     a.sales,
             a.sales_tax,  a.sales_discounts, a.bad_debt, a.opening_balances};
  std::vector<std::string_view> ids;
  ids.reserve(m_books.customers.size());
  for (const auto& c : m_books.customers)
    ids.push_back(c.id);
  for (const auto& c : m_books.customers) {
    auto name = text(c.name, Use::payee);
    m_payee_of.push_back(name.empty() ? std::string(c.id) : std::move(name));
  }
  for (auto& component : customer_account_components(ids)) {
    m_receivable_of.push_back(fmt::format("{}:{}", a.receivable, component));
    m_customer_credit_of.push_back(
        fmt::format("{}:{}", a.customer_credit, component));
  }
  m_balance.assign(m_books.customers.size(), 0);
  plan();

  if (!m_postings) {
    header();
    declarations(first_date());
  }
  if (m_request.from)
    opening();
  // Merged as written: the earliest head first, a tie to the earlier part.
  std::size_t next[parts] = {};
  for (;;) {
    int pick = -1;
    for (int k = 0; k < parts; ++k)
      if (next[k] < m_parts[k].size() &&
          (pick < 0 ||
           m_parts[k][next[k]].date < m_parts[pick][next[pick]].date))
        pick = k;
    if (pick < 0)
      break;
    const auto index = m_parts[pick][next[pick]++].index;
    switch (pick) {
    case invoices:
      invoice(index);
      break;
    case payments:
      source({DocKind::payment, index});
      break;
    case credits:
      source({DocKind::adjustment, index});
      break;
    case applications:
      application(index);
      break;
    default:
      adjustment(index);
      break;
    }
  }
  if (m_postings)
    return {};
  flush(true);
  return check_balances();
}

// The timeline of the facts within the dates, and which applications
// their source's entry takes.
void Exporter::plan() {
  const auto& b = m_books;
  m_fold_start.assign(b.payments.size() + b.adjustments.size() + 1, 0);
  for (const auto& a : b.allocations)
    if (folded(a))
      ++m_fold_start[slot(a.source) + 1];
  for (std::size_t s = 1; s < m_fold_start.size(); ++s)
    m_fold_start[s] += m_fold_start[s - 1];
  m_folded.resize(m_fold_start.back());
  auto fill = m_fold_start;
  for (std::uint32_t i = 0; i < b.allocations.size(); ++i) {
    const auto& a = b.allocations[i];
    if (folded(a))
      m_folded[fill[slot(a.source)]++] = i;
    else if (within(a.date))
      m_parts[applications].push_back({a.date, i});
  }
  for (std::uint32_t i = 0; i < b.invoices.size(); ++i)
    if (within(b.invoices[i].date))
      m_parts[invoices].push_back({b.invoices[i].date, i});
  for (std::uint32_t i = 0; i < b.payments.size(); ++i)
    if (within(b.payments[i].date))
      m_parts[payments].push_back({b.payments[i].date, i});
  for (std::uint32_t i = 0; i < b.adjustments.size(); ++i)
    if (within(b.adjustments[i].date))
      m_parts[b.adjustments[i].kind == AdjustmentKind::credit ? credits
                                                              : adjustments]
          .push_back({b.adjustments[i].date, i});
  const auto by_date = [](const Step& x, const Step& y) {
    return x.date < y.date;
  };
  for (auto& part : m_parts)
    if (!std::is_sorted(part.begin(), part.end(), by_date))
      std::stable_sort(part.begin(), part.end(), by_date);
}

std::optional<Date> Exporter::first_date() const {
  if (m_request.from)
    return m_request.from;
  std::optional<Date> first;
  for (const auto& part : m_parts)
    if (!part.empty() && (!first || part.front().date < *first))
      first = part.front().date;
  return first;
}

void Exporter::header() {
  const auto& company = m_books.config.company_name;
  m_out += fmt::format(
      "; Receivables{}{}, exported by arctl: ", company.empty() ? "" : " of ",
      text(company, Use::comment));
  if (m_request.from)
    m_out += fmt::format("balances at the end of {}, then ",
                         format_date(add_days(*m_request.from, -1)));
  if (m_request.as_of == k_end_of_time)
    m_out += m_request.from ? fmt::format("every fact from {}.\n",
                                          format_date(*m_request.from))
                            : "every fact.\n";
  else if (m_request.from)
    m_out +=
        fmt::format("every fact from {} to {}.\n", format_date(*m_request.from),
                    format_date(m_request.as_of));
  else
    m_out += fmt::format("every fact dated on or before {}.\n",
                         format_date(m_request.as_of));
  if (m_format == JournalFormat::beancount) {
    if (!company.empty())
      m_out += fmt::format("option \"title\" \"Receivables of {}\"\n",
                           text(company, Use::description));
    m_out += fmt::format("option \"operating_currency\" \"{}\"\n",
                         m_books.config.currency.name());
  }
  m_out += '\n';
}

void Exporter::declarations(std::optional<Date> first) {
  std::vector<std::string_view> accounts;
  for (std::size_t k = 0; k < m_fixed.size(); ++k)
    if (k > static_cast<std::size_t>(Account::customer_credit) &&
        (k != static_cast<std::size_t>(Account::opening_balances) ||
         m_request.from))
      accounts.push_back(m_fixed[k]);
  for (std::size_t c = 0; c < m_books.customers.size(); ++c) {
    accounts.push_back(m_receivable_of[c]);
    accounts.push_back(m_customer_credit_of[c]);
  }
  // One declaration each: two settings may name one account.
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());

  if (m_format == JournalFormat::beancount) {
    // Every account is open from the first entry on.
    if (first) {
      for (const auto name : accounts)
        m_out += fmt::format("{} open {}\n", format_date(*first), name);
      m_out += '\n';
    }
    return;
  }
  std::vector<std::string_view> currencies;
  for (const auto& c : m_books.customers)
    currencies.push_back(c.currency.name());
  std::sort(currencies.begin(), currencies.end());
  currencies.erase(std::unique(currencies.begin(), currencies.end()),
                   currencies.end());
  for (const auto code : currencies)
    m_out += fmt::format("commodity {}\n", code);
  m_out += '\n';
  for (const auto name : accounts)
    m_out += fmt::format("account {}\n", name);
  m_out += '\n';
  if (m_format == JournalFormat::ledger)
    m_out += fmt::format("tag {}\n\n", k_note_tag);
  std::vector<std::string_view> payees(m_payee_of.begin(), m_payee_of.end());
  if (m_request.from)
    payees.push_back(k_opening_payee);
  std::sort(payees.begin(), payees.end());
  payees.erase(std::unique(payees.begin(), payees.end()), payees.end());
  for (const auto name : payees)
    m_out += fmt::format("payee {}\n", name);
  m_out += '\n';
  flush(false);
}

// Each customer's receivable and credit at the end of the day before
// `from`, from the ledger of that day, against the opening balances.
void Exporter::opening() {
  const auto day_before = add_days(*m_request.from, -1);
  const auto aged = age_receivables(
      m_books, compute_ledger(m_books, day_before), AgingRequest{});
  m_entry.date = *m_request.from;
  m_entry.code = {};
  m_entry.links.clear();
  m_entry.payee = k_none;
  m_entry.narration =
      fmt::format("Receivables and customer credit at the end of {}",
                  format_date(day_before));
  m_entry.postings.clear();
  for (const auto& s : aged.sections) {
    std::int64_t sum = 0;
    for (const auto& r : s.rows) {
      post(Account::receivable, r.customer, r.amounts.open(), s.currency);
      post(Account::customer_credit, r.customer, r.amounts.unapplied,
           s.currency);
      sum += r.amounts.total();
    }
    post(Account::opening_balances, k_none, -sum, s.currency);
  }
  if (!m_entry.postings.empty())
    write_entry();
}

Entry& Exporter::start(Date date, std::string_view code, std::uint32_t customer,
                       StatementEntry kind, DocRef document,
                       std::uint32_t invoice, std::int64_t amount) {
  m_entry.date = date;
  m_entry.code = code;
  m_entry.links.clear();
  m_entry.payee = customer;
  StatementLine line;
  line.date = date;
  line.entry = kind;
  line.document = document;
  line.invoice = invoice;
  line.amount = amount;
  line.payer = kind == StatementEntry::applied;
  m_entry.narration = describe(m_books, line);
  m_entry.postings.clear();
  return m_entry;
}

void Exporter::post(Account account, std::uint32_t customer,
                    std::int64_t amount, Currency currency,
                    std::string_view invoice) {
  if (amount == 0)
    return;
  m_entry.postings.push_back({account, customer, amount, currency, invoice});
}

void Exporter::invoice(std::uint32_t i) {
  const auto& inv = m_books.invoices[i];
  start(inv.date, inv.id, inv.customer, StatementEntry::invoice,
        {DocKind::invoice, i});
  post(Account::receivable, inv.customer, inv.total, inv.currency);
  post(Account::sales, k_none, -inv.subtotal, inv.currency);
  post(Account::sales_tax, k_none, -inv.tax, inv.currency);
  write_entry();
}

// A payment, or a credit memo, with the applications of its own day: what
// they apply leaves the customer's receivable, the rest is the customer's
// credit.
void Exporter::source(DocRef ref) {
  const bool payment = ref.kind == DocKind::payment;
  const auto customer = m_books.document_customer(ref);
  const auto currency = m_books.document_currency(ref);
  const auto amount = payment
                          ? m_books.payments[ref.index].amount
                          : m_books.adjustments[ref.index].amount.value_or(0);
  auto& e =
      start(m_books.document_date(ref), m_books.document_id(ref), customer,
            payment ? StatementEntry::payment : StatementEntry::credit, ref,
            payment ? k_none : m_books.adjustments[ref.index].invoice);
  post(payment ? Account::bank : Account::sales, k_none, amount, currency);
  std::int64_t rest = amount;
  const auto s = slot(ref);
  for (auto k = m_fold_start[s]; k < m_fold_start[s + 1]; ++k) {
    const auto& a = m_books.allocations[m_folded[k]];
    const auto& inv = m_books.invoices[a.invoice];
    e.links.push_back(inv.id);
    post(Account::receivable, inv.customer, -a.amount, currency, inv.id);
    rest -= a.amount;
  }
  post(Account::customer_credit, customer, -rest, currency);
  write_entry();
}

// Credit applied later, or an application undone: between the source
// customer's credit and the invoice customer's receivable.
void Exporter::application(std::uint32_t i) {
  const auto& a = m_books.allocations[i];
  const auto& inv = m_books.invoices[a.invoice];
  const auto payer = m_books.document_customer(a.source);
  auto& e = start(a.date, m_books.document_id(a.source), payer,
                  StatementEntry::applied, a.source, a.invoice, a.amount);
  e.links.push_back(inv.id);
  post(Account::customer_credit, payer, a.amount, inv.currency);
  post(Account::receivable, inv.customer, -a.amount, inv.currency, inv.id);
  write_entry();
}

void Exporter::adjustment(std::uint32_t i) {
  const auto& j = m_books.adjustments[i];
  const DocRef ref{DocKind::adjustment, i};
  const auto amount = j.amount.value_or(0);
  const auto cur = j.currency;
  switch (j.kind) {
  case AdjustmentKind::credit:
    return; // with the sources
  case AdjustmentKind::discount:
  case AdjustmentKind::writeoff: {
    const bool discount = j.kind == AdjustmentKind::discount;
    const auto& inv = m_books.invoices[j.invoice];
    auto& e =
        start(j.date, j.id, inv.customer,
              discount ? StatementEntry::discount : StatementEntry::writeoff,
              ref, j.invoice, -amount);
    e.links.push_back(inv.id);
    post(discount ? Account::sales_discounts : Account::bad_debt, k_none,
         amount, cur);
    post(Account::receivable, inv.customer, -amount, cur, inv.id);
    break;
  }
  case AdjustmentKind::void_: {
    // The invoice undone whole: nothing is applied to a void invoice.
    const auto& inv = m_books.invoices[j.invoice];
    auto& e = start(j.date, j.id, inv.customer, StatementEntry::void_, ref,
                    j.invoice);
    e.links.push_back(inv.id);
    post(Account::sales, k_none, inv.subtotal, cur);
    post(Account::sales_tax, k_none, inv.tax, cur);
    post(Account::receivable, inv.customer, -inv.total, cur, inv.id);
    break;
  }
  case AdjustmentKind::refund:
  case AdjustmentKind::reversal: {
    // Credit paid back, or a payment that never arrived: what was left of
    // it leaves the bank.
    const bool refund = j.kind == AdjustmentKind::refund;
    const auto customer = m_books.document_customer(j.source);
    const auto paid_back =
        refund ? amount : reversal_amount(m_books, m_ledger, j);
    auto& e =
        start(j.date, j.id, customer,
              refund ? StatementEntry::refund : StatementEntry::reversal, ref);
    e.links.push_back(m_books.document_id(j.source));
    post(Account::customer_credit, customer, paid_back, cur);
    post(Account::bank, k_none, -paid_back, cur);
    break;
  }
  }
  write_entry();
}

const std::string& Exporter::account_name(const Posting& p) const {
  switch (p.account) {
  case Account::receivable:
    return m_receivable_of[p.customer];
  case Account::customer_credit:
    return m_customer_credit_of[p.customer];
  default:
    return m_fixed[static_cast<std::size_t>(p.account)];
  }
}

// Free text on one line, as the format can hold it where it goes: control
// characters as spaces, and no two spaces in a row (ledger ends a payee at
// two spaces and a ';'); in beancount's strings '"' and '\' escaped; in
// hledger's description no ';' (a comment would start there), and in its
// payee no '|' (the payee would end there).
std::string Exporter::text(std::string_view in, Use use) const {
  std::string out;
  out.reserve(in.size());
  for (char ch : in) {
    const auto u = static_cast<unsigned char>(ch);
    if (u <= 0x20 || u == 0x7f) {
      if (!out.empty() && out.back() != ' ')
        out += ' ';
      continue;
    }
    if (use == Use::comment) {
      // as it is
    } else if (m_format == JournalFormat::hledger && ch == ';') {
      ch = ',';
    } else if (m_format == JournalFormat::hledger && use == Use::payee &&
               ch == '|') {
      ch = '/';
    } else if (m_format == JournalFormat::beancount &&
               (ch == '"' || ch == '\\')) {
      out += '\\';
    }
    out += ch;
  }
  if (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

std::string_view Exporter::payee(std::uint32_t customer) const {
  return customer == k_none ? k_opening_payee : m_payee_of[customer];
}

void Exporter::write_entry() {
  auto& e = m_entry;
  if (e.postings.empty()) // a fact of zero: still an entry, of zero
    e.postings.push_back({Account::receivable,
                          e.payee,
                          0,
                          m_books.customers[e.payee].currency,
                          {}});
  if (m_postings) {
    emit_postings();
    return;
  }
  const auto date = format_date(e.date);
  const auto payee_text = payee(e.payee);
  const auto narration = text(e.narration, Use::description);
  switch (m_format) {
  case JournalFormat::ledger:
  case JournalFormat::hledger:
    m_out += date;
    m_out += " *";
    if (!e.code.empty())
      fmt::format_to(std::back_inserter(m_out), " ({})", e.code);
    m_out += ' ';
    m_out += payee_text;
    if (m_format == JournalFormat::hledger)
      fmt::format_to(std::back_inserter(m_out), " | {}\n", narration);
    else
      fmt::format_to(std::back_inserter(m_out), "\n    ; {}: {}\n", k_note_tag,
                     narration);
    break;
  case JournalFormat::beancount:
    fmt::format_to(std::back_inserter(m_out), "{} * \"{}\" \"{}\"", date,
                   payee_text, narration);
    if (!e.code.empty())
      fmt::format_to(std::back_inserter(m_out), " ^{}", e.code);
    for (const auto link : e.links)
      if (link != e.code)
        fmt::format_to(std::back_inserter(m_out), " ^{}", link);
    m_out += '\n';
    break;
  }
  // Amounts aligned on their right within the entry.
  std::size_t account_width = 0, amount_width = 0;
  std::vector<std::string> amounts;
  amounts.reserve(e.postings.size());
  for (const auto& p : e.postings) {
    account_width = std::max(account_width, account_name(p).size());
    amounts.push_back(format_minor_units(p.amount, p.currency.exponent));
    amount_width = std::max(amount_width, amounts.back().size());
  }
  const std::string_view indent =
      m_format == JournalFormat::beancount ? "  " : "    ";
  for (std::size_t k = 0; k < e.postings.size(); ++k) {
    const auto& p = e.postings[k];
    fmt::format_to(std::back_inserter(m_out), "{}{:<{}}  {:>{}} {}", indent,
                   account_name(p), account_width, amounts[k], amount_width,
                   p.currency.name());
    if (!p.invoice.empty() && p.invoice != e.code)
      fmt::format_to(std::back_inserter(m_out), "  ; {}", p.invoice);
    m_out += '\n';
    if (p.account == Account::receivable ||
        p.account == Account::customer_credit)
      m_balance[p.customer] += p.amount;
  }
  m_out += '\n';
  flush(false);
}

void Exporter::emit_postings() const {
  const auto& e = m_entry;
  std::vector<std::string_view> links;
  if (!e.code.empty())
    links.push_back(e.code);
  for (const auto link : e.links)
    if (link != e.code)
      links.push_back(link);
  for (const auto& p : e.postings)
    if (p.account == Account::receivable ||
        p.account == Account::customer_credit)
      (*m_postings)({e.date, e.code, links, p.customer,
                     p.account == Account::customer_credit, p.amount,
                     p.currency});
}

void Exporter::flush(bool all) {
  if (m_out.empty() || (!all && m_out.size() < k_chunk))
    return;
  m_write(m_out);
  m_out.clear();
}

// Each customer's balance in the journal against the ledger's: open on
// invoices less credit left.
Result<void> Exporter::check_balances() const {
  std::vector<std::int64_t> expected(m_books.customers.size(), 0);
  const auto aged = age_receivables(m_books, m_ledger, AgingRequest{});
  for (const auto& s : aged.sections)
    for (const auto& r : s.rows)
      expected[r.customer] += r.amounts.total();
  for (std::size_t c = 0; c < expected.size(); ++c)
    if (expected[c] != m_balance[c]) {
      const auto& customer = m_books.customers[c];
      const auto money = [&](std::int64_t v) {
        return format_minor_units(v, customer.currency.exponent);
      };
      return fail(ExitCode::software,
                  fmt::format("the journal gives customer {} a balance of {} "
                              "{} on {}, but the ledger has {}",
                              customer.id, customer.currency.name(),
                              money(m_balance[c]), format_date(m_request.as_of),
                              money(expected[c])));
    }
  return {};
}

} // namespace

Result<void> export_journal(const Books& books, const Ledger& ledger,
                            const ExportRequest& request,
                            const JournalSink& write) {
  return Exporter(books, ledger, request, write).run();
}

Result<void> export_customer_postings(const Books& books, const Ledger& ledger,
                                      const ExportRequest& request,
                                      const CustomerPostingSink& sink) {
  const JournalSink nowhere = [](std::string_view) {};
  return Exporter(books, ledger, request, nowhere, &sink).run();
}

} // namespace arctl
