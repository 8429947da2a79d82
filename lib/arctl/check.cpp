#include "arctl/check.hpp"
#include "arctl/reconcile.hpp"

#include "arctl/csv.hpp"
#include "arctl/dunning_send.hpp"
#include "arctl/ledger.hpp"
#include "arctl/pricing.hpp"
#include "arctl/snapshot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>
#include <unordered_map>

namespace arctl {

namespace {

// A finding about a record, located later by column name.
struct Finding {
  Table table;
  std::uint32_t line;
  std::string_view column;
  Diagnostic diagnostic;
};

class Checker {
public:
  explicit Checker(const Books& books) : m_books(books) {}

  std::vector<Finding> findings;

  // The rules split in two independent halves, for two threads: the walk
  // of the ledger (money and events in date order), and the rest.
  Ledger run_ledger() {
    return compute_ledger(m_books, k_end_of_time,
                          [this](const LedgerProblem& p) {
                            add(p.table, p.line, p.column, p.code, p.message,
                                p.hint);
                          });
  }
  void run_others() {
    invoice_totals();
    bank_transactions();
    bank_fingerprints();
    reconciliations();
  }

private:
  void add(Table table, std::uint32_t line, std::string_view column,
           std::string code, std::string message, std::string hint = {}) {
    Diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    d.hint = std::move(hint);
    findings.push_back({table, line, column, std::move(d)});
  }

  std::string money(std::int64_t minor, Currency c) const {
    return format_minor_units(minor, c.exponent);
  }

  void invoice_totals();
  void bank_transactions();
  void bank_fingerprints();
  void reconciliations();

  const Books& m_books;
};

void Checker::invoice_totals() {
  const auto& books = m_books;
  if (books.line_totals.size() != books.invoices.size())
    return;
  // With tax rounded per invoice, each code's tax is rounded once on the
  // sum of that code's line amounts.
  std::vector<std::int64_t> invoice_tax, invoice_exclusive;
  if (books.config.tax_rounding == TaxRounding::invoice) {
    invoice_tax.assign(books.invoices.size(), 0);
    invoice_exclusive.assign(books.invoices.size(), 0);
    auto bases = books.tax_bases;
    std::stable_sort(bases.begin(), bases.end(), [](auto& a, auto& b) {
      return std::pair(a.invoice, a.code) < std::pair(b.invoice, b.code);
    });
    for (std::size_t i = 0; i < bases.size();) {
      std::int64_t sum = 0;
      std::size_t j = i;
      for (; j < bases.size() && bases[j].invoice == bases[i].invoice &&
             bases[j].code == bases[i].code;
           ++j)
        sum += bases[j].amount;
      const auto& code = books.config.tax_codes[bases[i].code];
      const Money base{sum, books.invoices[bases[i].invoice].currency};
      const auto tax = tax_of(code, base, books.config.rounding);
      if (tax) {
        invoice_tax[bases[i].invoice] += tax->minor();
        if (!code.inclusive)
          invoice_exclusive[bases[i].invoice] += tax->minor();
      }
      i = j;
    }
  }
  for (std::size_t i = 0; i < books.invoices.size(); ++i) {
    const auto& inv = books.invoices[i];
    const auto& lines = books.line_totals[i];
    if (lines.count == 0) {
      add(Table::invoices, inv.line, "id", "invoice-no-lines",
          fmt::format("invoice {} has no lines in invoice-lines.csv", inv.id),
          "every invoice has at least one line");
      continue;
    }
    const auto tax = invoice_tax.empty() ? lines.tax : invoice_tax[i];
    const auto exclusive =
        invoice_exclusive.empty() ? lines.exclusive_tax : invoice_exclusive[i];
    if (tax != inv.tax)
      add(Table::invoices, inv.line, "tax", "invoice-tax-mismatch",
          fmt::format("tax {} disagrees with its lines, whose tax is {}",
                      money(inv.tax, inv.currency), money(tax, inv.currency)));
    const auto total = lines.amount + exclusive;
    if (total != inv.total)
      add(Table::invoices, inv.line, "total", "invoice-total-mismatch",
          fmt::format("total {} disagrees with its lines, which come to {}",
                      money(inv.total, inv.currency),
                      money(total, inv.currency)));
  }
}

// The records whose text `text_of(i)` (of records 0 to n - 1; empty text
// left out) another record before it has: (record, the first with it), in
// record order. Sorting 8-byte hashes finds them with far less memory
// touched than an index of every text; equal hashes are then told apart by
// text.
template <class TextOf>
std::vector<std::pair<std::uint32_t, std::uint32_t>>
repeated_texts(std::uint32_t n, const TextOf& text_of) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
  keys.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i)
    if (!text_of(i).empty())
      keys.emplace_back(std::hash<std::string_view>{}(text_of(i)), i);
  std::sort(keys.begin(), keys.end());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> repeats;
  for (std::size_t run = 0; run < keys.size();) {
    std::size_t next = run + 1;
    while (next < keys.size() && keys[next].first == keys[run].first)
      ++next;
    // Within a run of one hash (nearly always one record), each record
    // against the earliest one with the same text.
    for (std::size_t k = run + 1; k < next; ++k)
      for (std::size_t j = run; j < k; ++j)
        if (text_of(keys[j].second) == text_of(keys[k].second)) {
          repeats.emplace_back(keys[k].second, keys[j].second);
          break;
        }
    run = next;
  }
  std::sort(repeats.begin(), repeats.end());
  return repeats;
}

void Checker::bank_transactions() {
  const auto& payments = m_books.payments;
  const auto repeats = repeated_texts(
      static_cast<std::uint32_t>(payments.size()),
      [&](std::uint32_t i) { return payments[i].bank_tx; });
  for (const auto& [i, first] : repeats) {
    const auto& p = payments[i];
    add(Table::payments, p.line, "bank_tx", "duplicate-bank-tx",
        fmt::format("bank transaction \"{}\" is posted already as {} at "
                    "{}:{}",
                    p.bank_tx, payments[first].id,
                    m_books.dir.shown(schema(Table::payments).file),
                    payments[first].line),
        "a receipt is posted once");
  }
}

void Checker::bank_fingerprints() {
  // A fingerprint names one transaction on one account (arctl-reconcile(1)):
  // the same one twice is a statement imported twice, as when two branches
  // of the books each imported it.
  const auto& txs = m_books.bank_transactions;
  const auto repeats =
      repeated_texts(static_cast<std::uint32_t>(txs.size()),
                     [&](std::uint32_t i) { return txs[i].fingerprint; });
  for (const auto& [i, first] : repeats) {
    const auto& b = txs[i];
    add(Table::bank, b.line, "fingerprint", "duplicate-bank-transaction",
        fmt::format("bank transaction {} is {} again (the same fingerprint, "
                    "at {}:{})",
                    b.id, txs[first].id,
                    m_books.dir.shown(schema(Table::bank).file),
                    txs[first].line),
        "the same statement line was imported twice, as when two branches "
        "each imported it; keep one of the two lines");
  }
}

void Checker::reconciliations() {
  // A bank credit is decided once (arctl-reconcile(1) DECISIONS), by a
  // rule arctl knows, and a payment is carried by one bank line.
  const auto& rows = m_books.reconciliations;
  const auto shown = m_books.dir.shown(schema(Table::reconciliations).file);
  std::vector<std::uint32_t> first(m_books.bank_transactions.size(), k_none);
  std::unordered_map<std::string_view, std::uint32_t> carried;
  for (std::uint32_t k = 0; k < rows.size(); ++k) {
    const auto& q = rows[k];
    const auto& b = m_books.bank_transactions[q.bank];
    if (first[q.bank] != k_none)
      add(Table::reconciliations, q.line, "bank", "duplicate-decision",
          fmt::format("bank transaction {} is decided already at {}:{}", b.id,
                      shown, rows[first[q.bank]].line),
          "a bank credit is decided once; keep one of the two lines");
    else
      first[q.bank] = k;
    if (!is_customer_credit(b))
      add(Table::reconciliations, q.line, "bank", "not-a-credit",
          fmt::format("bank transaction {} is not a customer's credit", b.id));
    if (!q.rule.empty() && !parse_match_rule(q.rule))
      add(Table::reconciliations, q.line, "rule", "value-unknown",
          fmt::format("matching rule \"{}\" is not known", q.rule));
    for (const auto id : split_list(q.payments)) {
      const auto [it, fresh] = carried.emplace(id, k);
      if (!fresh)
        add(Table::reconciliations, q.line, "payments", "duplicate-payment",
            fmt::format("payment {} is carried by bank transaction {} "
                        "already ({}:{})",
                        id, m_books.bank_transactions[rows[it->second].bank].id,
                        shown, rows[it->second].line));
    }
  }
}

// Gives each finding its column and source line by reading, once, every
// file that has findings.
void locate(const BooksDir& dir, std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](auto& a, auto& b) {
    return std::pair(a.table, a.line) < std::pair(b.table, b.line);
  });
  for (std::size_t i = 0; i < findings.size();) {
    const auto table = findings[i].table;
    std::size_t end = i;
    while (end < findings.size() && findings[end].table == table)
      ++end;
    const auto& s = schema(table);
    const auto shown = dir.shown(s.file);
    for (auto k = i; k < end; ++k)
      findings[k].diagnostic.loc = {shown, findings[k].line, 1};
    auto reader = CsvReader::open(dir.file(s.file), shown);
    if (reader) {
      CsvRecord rec;
      std::vector<std::string> header;
      auto k = i;
      bool first = true;
      while (k < end) {
        auto got = reader->next(rec);
        if (!got)
          continue;
        if (!*got)
          break;
        if (first) {
          for (auto f : rec.fields)
            header.emplace_back(f);
          first = false;
          continue;
        }
        for (; k < end && findings[k].line < rec.line; ++k) {
        }
        for (; k < end && findings[k].line == rec.line; ++k) {
          auto& d = findings[k].diagnostic;
          const auto col = std::find(header.begin(), header.end(),
                                     findings[k].column) -
                           header.begin();
          if (static_cast<std::size_t>(col) >= rec.fields.size())
            continue;
          const auto pos = rec.positions[col];
          d.loc.column = pos.column;
          d.span = static_cast<std::uint32_t>(
              std::max<std::size_t>(1, rec.fields[col].size()));
          std::string_view raw = rec.raw;
          for (auto l = rec.line; l < pos.line; ++l)
            raw.remove_prefix(std::min(raw.size(), raw.find('\n') + 1));
          raw = raw.substr(0, raw.find('\n'));
          if (!raw.empty() && raw.back() == '\r')
            raw.remove_suffix(1);
          d.excerpt = std::string(raw);
        }
      }
    }
    i = end;
  }
}

// File order of the tables, then line order, so output follows the books.
std::size_t file_rank(std::string_view file, const BooksDir& dir) {
  if (file == dir.shown(k_config_file))
    return 0;
  for (const auto& s : all_schemas())
    if (file == dir.shown(s.file))
      return 1 + static_cast<std::size_t>(s.table);
  return 99;
}

} // namespace

std::vector<Diagnostic> check_books(const Books& books, Ledger* end) {
  // The money rules and the others share nothing but the (read-only)
  // books: run them side by side.
  Checker money(books), others(books);
  std::thread second([&others] { others.run_others(); });
  auto ledger = money.run_ledger();
  if (end)
    *end = std::move(ledger);
  second.join();
  auto& findings = money.findings;
  std::move(others.findings.begin(), others.findings.end(),
            std::back_inserter(findings));
  locate(books.dir, findings);
  auto out = check_letters(books.dir, books.config);
  out.reserve(out.size() + findings.size());
  for (auto& f : findings)
    out.push_back(std::move(f.diagnostic));
  return out;
}

Result<CheckReport> run_check(const BooksDir& dir, const ProgressFn& progress) {
  LoadOptions options;
  options.invoice_lines = true;
  options.progress = progress;
  CheckReport report;
  auto loaded = load_books(dir, options);
  if (!loaded) {
    if (loaded.error().diagnostics.empty())
      return std::unexpected(std::move(loaded.error()));
    // An arctl.toml that cannot be read is itself a finding of check.
    report.findings = std::move(loaded.error().diagnostics);
    report.files = 1;
  } else {
    const auto& books = *loaded->books;
    report.findings = std::move(loaded->problems);
    auto more = check_books(books);
    std::move(more.begin(), more.end(), std::back_inserter(report.findings));
    report.files = books.files_read;
    for (auto n : books.records)
      report.records += n;
  }
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     return std::tuple(file_rank(a.loc.file, dir), a.loc.line,
                                       a.loc.column) <
                            std::tuple(file_rank(b.loc.file, dir), b.loc.line,
                                       b.loc.column);
                   });
  for (const auto& d : report.findings)
    (d.severity == Severity::error ? report.errors : report.warnings)++;
  return report;
}

Result<std::unique_ptr<Books>> open_books(const BooksDir& dir,
                                          const LoadOptions& options,
                                          Ledger* end) {
  const bool snapshot = options.snapshot && !options.invoice_lines;
  BooksStamp stamp;
  if (snapshot) {
    stamp = stamp_books(dir);
    if (auto books = read_snapshot(*options.snapshot, dir, stamp, end,
                                   options.open_items_on))
      return books;
  }
  auto loaded = load_books(dir, options);
  if (!loaded)
    return std::unexpected(std::move(loaded.error()));
  auto problems = std::move(loaded->problems);
  Ledger ledger;
  const bool write = snapshot && options.write_snapshot && stamp.settled;
  auto more = check_books(*loaded->books, write ? &ledger : end);
  std::move(more.begin(), more.end(), std::back_inserter(problems));
  if (!problems.empty()) {
    const auto n = problems.size();
    return std::unexpected(Error{
        ExitCode::data,
        fmt::format("the books have {} problem{}; 'arctl check' lists them", n,
                    n == 1 ? "" : "s"),
        std::move(problems)});
  }
  if (write) {
    write_snapshot(*options.snapshot, *loaded->books, ledger, stamp);
    if (end)
      *end = std::move(ledger);
  }
  return std::move(loaded->books);
}

} // namespace arctl
