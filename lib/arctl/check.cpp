#include "arctl/check.hpp"

#include "arctl/csv.hpp"

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

  // The rules split in two independent halves, for two threads.
  void run_money() { money_flow(); }
  void run_others() {
    invoice_totals();
    events();
    bank_transactions();
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
  void money_flow();
  void events();
  void bank_transactions();

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
      const auto tax =
          code.inclusive ? included_tax(base, code.rate, books.config.rounding)
                         : percent_of(base, code.rate, books.config.rounding);
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

// Walks every movement of money in date order and checks that no invoice,
// payment or credit memo is ever asked for more than it has.
void Checker::money_flow() {
  const auto& books = m_books;
  // Within a day, applications come first in file order, then adjustments
  // in file order: a payment unapplied and reversed on one day is undone
  // before it is reversed.
  struct Step {
    Date date;
    bool adjustment;
    std::uint32_t index;
  };
  // Each file is usually in date order already: sort only when not, then
  // merge the two (std::merge takes the first range's element on a tie).
  const auto by_date = [](const Step& a, const Step& b) {
    return a.date < b.date;
  };
  Records<Step> applications, adjustments;
  applications.reserve(books.allocations.size());
  for (std::uint32_t i = 0; i < books.allocations.size(); ++i)
    applications.push_back({books.allocations[i].date, false, i});
  for (std::uint32_t i = 0; i < books.adjustments.size(); ++i) {
    const auto& j = books.adjustments[i];
    const bool needs_source = j.kind == AdjustmentKind::refund ||
                              j.kind == AdjustmentKind::reversal;
    if (j.kind != AdjustmentKind::credit && !(needs_source && !j.source.valid()))
      adjustments.push_back({j.date, true, i});
  }
  for (auto* part : {&applications, &adjustments})
    if (!std::is_sorted(part->begin(), part->end(), by_date))
      std::stable_sort(part->begin(), part->end(), by_date);
  Records<Step> steps(applications.size() + adjustments.size());
  std::merge(applications.begin(), applications.end(), adjustments.begin(),
             adjustments.end(), steps.begin(), by_date);

  // What is open on each invoice and left on each source.
  std::vector<std::int64_t> open(books.invoices.size());
  std::vector<std::int64_t> applied(books.invoices.size(), 0);
  std::vector<bool> voided(books.invoices.size(), false);
  for (std::size_t i = 0; i < books.invoices.size(); ++i)
    open[i] = books.invoices[i].total;
  std::vector<std::int64_t> payment_left(books.payments.size());
  std::vector<std::int64_t> payment_applied(books.payments.size(), 0);
  std::vector<bool> payment_reversed(books.payments.size(), false);
  for (std::size_t i = 0; i < books.payments.size(); ++i)
    payment_left[i] = books.payments[i].amount;
  std::vector<std::int64_t> credit_left(books.adjustments.size(), 0);
  for (std::size_t i = 0; i < books.adjustments.size(); ++i)
    if (books.adjustments[i].kind == AdjustmentKind::credit)
      credit_left[i] = books.adjustments[i].amount.value_or(0);
  auto left_of = [&](DocRef src) -> std::int64_t& {
    return src.kind == DocKind::payment ? payment_left[src.index]
                                        : credit_left[src.index];
  };
  // Net applied per (source, invoice), kept only for pairs with an unapply.
  std::unordered_map<std::uint64_t, std::int64_t> pair_net;
  auto pair_key = [](DocRef src, std::uint32_t inv) {
    return (std::uint64_t{static_cast<std::uint32_t>(src.kind) << 30 | src.index}
            << 32) |
           inv;
  };
  for (const auto& a : books.allocations)
    if (a.amount < 0)
      pair_net.emplace(pair_key(a.source, a.invoice), 0);

  for (const auto& step : steps) {
    if (!step.adjustment) {
      const auto& a = books.allocations[step.index];
      const auto& inv = books.invoices[a.invoice];
      const auto source_id = books.document_id(a.source);
      const auto cur = inv.currency;
      const auto net = pair_net.find(pair_key(a.source, a.invoice));
      if (net != pair_net.end() && net->second + a.amount < 0) {
        add(Table::allocations, a.line, "amount", "unapply-exceeds",
            fmt::format("undoes {} of {} on {}, but only {} of it is "
                        "applied there",
                        money(-a.amount, cur), source_id, inv.id,
                        money(net->second, cur)));
        continue;
      }
      if (a.amount > 0 && voided[a.invoice]) {
        add(Table::allocations, a.line, "invoice", "invoice-void",
            fmt::format("invoice {} is void", inv.id));
        continue;
      }
      if (a.amount > 0 && a.source.kind == DocKind::payment &&
          payment_reversed[a.source.index]) {
        add(Table::allocations, a.line, "source", "payment-reversed",
            fmt::format("payment {} was reversed", source_id));
        continue;
      }
      if (a.amount > open[a.invoice]) {
        add(Table::allocations, a.line, "amount", "over-applied",
            fmt::format("applies {} to {}, but only {} is open on it on {}",
                        money(a.amount, cur), inv.id,
                        money(open[a.invoice], cur), format_date(a.date)),
            "an application never exceeds the invoice's open balance; "
            "leave the rest as unapplied credit");
        continue;
      }
      auto& left = left_of(a.source);
      if (a.amount > left) {
        add(Table::allocations, a.line, "amount", "over-allocated",
            fmt::format("applies {} from {}, but only {} of it is left on {}",
                        money(a.amount, cur), source_id, money(left, cur),
                        format_date(a.date)));
        continue;
      }
      open[a.invoice] -= a.amount;
      applied[a.invoice] += a.amount;
      left -= a.amount;
      if (a.source.kind == DocKind::payment)
        payment_applied[a.source.index] += a.amount;
      if (net != pair_net.end())
        net->second += a.amount;
      continue;
    }

    const auto& j = books.adjustments[step.index];
    const auto cur = j.currency;
    const auto amount = j.amount.value_or(0);
    switch (j.kind) {
    case AdjustmentKind::credit:
      break;
    case AdjustmentKind::discount:
    case AdjustmentKind::writeoff: {
      const auto& inv = books.invoices[j.invoice];
      if (voided[j.invoice]) {
        add(Table::adjustments, j.line, "invoice", "invoice-void",
            fmt::format("invoice {} is void", inv.id));
      } else if (amount > open[j.invoice]) {
        add(Table::adjustments, j.line, "amount", "over-applied",
            fmt::format("{} of {} exceeds the {} open on {} on {}",
                        to_string(j.kind), money(amount, cur),
                        money(open[j.invoice], cur), inv.id,
                        format_date(j.date)));
      } else {
        open[j.invoice] -= amount;
        applied[j.invoice] += amount;
      }
      break;
    }
    case AdjustmentKind::void_: {
      const auto& inv = books.invoices[j.invoice];
      if (voided[j.invoice]) {
        add(Table::adjustments, j.line, "invoice", "invoice-void",
            fmt::format("invoice {} is void already", inv.id));
      } else if (applied[j.invoice] != 0) {
        add(Table::adjustments, j.line, "invoice", "void-applied",
            fmt::format("invoice {} cannot be voided: {} is applied to it on "
                        "{}",
                        inv.id, money(applied[j.invoice], cur),
                        format_date(j.date)),
            "undo the applications first, or issue a credit memo");
      } else if (j.amount && *j.amount != inv.total) {
        add(Table::adjustments, j.line, "amount", "void-amount",
            fmt::format("a void is for the whole invoice: {}, not {}",
                        money(inv.total, cur), money(*j.amount, cur)));
      } else {
        voided[j.invoice] = true;
        open[j.invoice] = 0;
      }
      break;
    }
    case AdjustmentKind::refund: {
      auto& left = left_of(j.source);
      if (amount > left)
        add(Table::adjustments, j.line, "amount", "over-refunded",
            fmt::format("refunds {} from {}, but only {} of it is unapplied "
                        "on {}",
                        money(amount, cur), books.document_id(j.source),
                        money(left, cur), format_date(j.date)));
      else
        left -= amount;
      break;
    }
    case AdjustmentKind::reversal: {
      const auto p = j.source.index;
      const auto& pay = books.payments[p];
      if (payment_reversed[p]) {
        add(Table::adjustments, j.line, "source", "payment-reversed",
            fmt::format("payment {} is reversed already", pay.id));
      } else if (payment_applied[p] != 0) {
        add(Table::adjustments, j.line, "source", "reversal-applied",
            fmt::format("payment {} cannot be reversed: {} of it is still "
                        "applied on {}",
                        pay.id, money(payment_applied[p], cur),
                        format_date(j.date)),
            "undo its applications first with negative allocations");
      } else if (j.amount && *j.amount != payment_left[p]) {
        add(Table::adjustments, j.line, "amount", "reversal-amount",
            fmt::format("reverses {}, but {} of payment {} is left to reverse "
                        "on {}",
                        money(*j.amount, cur), money(payment_left[p], cur),
                        pay.id, format_date(j.date)));
      } else {
        payment_reversed[p] = true;
        payment_left[p] = 0;
      }
      break;
    }
    }
  }
}

void Checker::events() {
  const auto& books = m_books;
  std::vector<std::uint32_t> order(books.events.size());
  for (std::uint32_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
    return books.events[a].date < books.events[b].date;
  });
  std::vector<bool> disputed(books.invoices.size(), false);
  std::vector<bool> on_hold(books.customers.size(), false);
  for (auto i : order) {
    const auto& e = books.events[i];
    switch (e.kind) {
    case EventKind::dispute: {
      const auto& inv = books.invoices[e.invoice];
      if (disputed[e.invoice])
        add(Table::events, e.line, "invoice", "already-disputed",
            fmt::format("invoice {} is disputed already", inv.id));
      else if (e.amount && *e.amount > inv.total)
        add(Table::events, e.line, "amount", "dispute-amount",
            fmt::format("disputes {}, more than the invoice's total {}",
                        money(*e.amount, inv.currency),
                        money(inv.total, inv.currency)));
      disputed[e.invoice] = true;
      break;
    }
    case EventKind::resolve:
      if (!disputed[e.invoice])
        add(Table::events, e.line, "invoice", "not-disputed",
            fmt::format("invoice {} is not disputed on {}",
                        books.invoices[e.invoice].id, format_date(e.date)));
      disputed[e.invoice] = false;
      break;
    case EventKind::hold:
      if (on_hold[e.customer])
        add(Table::events, e.line, "customer", "already-on-hold",
            fmt::format("customer {} is on hold already",
                        books.customers[e.customer].id));
      on_hold[e.customer] = true;
      break;
    case EventKind::release:
      if (!on_hold[e.customer])
        add(Table::events, e.line, "customer", "not-on-hold",
            fmt::format("customer {} is not on hold on {}",
                        books.customers[e.customer].id, format_date(e.date)));
      on_hold[e.customer] = false;
      break;
    }
  }
}

void Checker::bank_transactions() {
  IdIndex seen;
  seen.reserve(m_books.payments.size());
  for (std::uint32_t i = 0; i < m_books.payments.size(); ++i) {
    const auto& p = m_books.payments[i];
    if (p.bank_tx.empty())
      continue;
    if (auto first = seen.insert(p.bank_tx, i))
      add(Table::payments, p.line, "bank_tx", "duplicate-bank-tx",
          fmt::format("bank transaction \"{}\" is posted already as {} at "
                      "{}:{}",
                      p.bank_tx, m_books.payments[*first].id,
                      m_books.dir.shown(schema(Table::payments).file),
                      m_books.payments[*first].line),
          "a receipt is posted once");
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

std::vector<Diagnostic> check_books(const Books& books) {
  // The money rules and the others share nothing but the (read-only)
  // books: run them side by side.
  Checker money(books), others(books);
  std::thread second([&others] { others.run_others(); });
  money.run_money();
  second.join();
  auto& findings = money.findings;
  std::move(others.findings.begin(), others.findings.end(),
            std::back_inserter(findings));
  locate(books.dir, findings);
  std::vector<Diagnostic> out;
  out.reserve(findings.size());
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
                                          const LoadOptions& options) {
  auto loaded = load_books(dir, options);
  if (!loaded)
    return std::unexpected(std::move(loaded.error()));
  auto problems = std::move(loaded->problems);
  auto more = check_books(*loaded->books);
  std::move(more.begin(), more.end(), std::back_inserter(problems));
  if (!problems.empty()) {
    const auto n = problems.size();
    return std::unexpected(Error{
        ExitCode::data,
        fmt::format("the books have {} problem{}; 'arctl check' lists them", n,
                    n == 1 ? "" : "s"),
        std::move(problems)});
  }
  return std::move(loaded->books);
}

} // namespace arctl
