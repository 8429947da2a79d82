#include "arctl/reconcile.hpp"

#include "arctl/receipts.hpp"
#include "arctl/rows.hpp"
#include "arctl/transaction.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

namespace arctl {

namespace {

// The books refuse it.
Error refused(std::string message) {
  return Error{ExitCode::data, std::move(message), {}};
}

// The command line asks for something that makes no sense.
Error misused(std::string message) {
  return Error{ExitCode::usage, std::move(message), {}};
}

// Currencies in alphabetical order, as maps keep them.
struct ByName {
  bool operator()(Currency a, Currency b) const { return a.name() < b.name(); }
};
using DateByCurrency = std::map<Currency, Date, ByName>;

// The first bank transaction's date in each currency.
DateByCurrency first_bank_dates(const Books& books) {
  DateByCurrency first;
  for (const auto& t : books.bank_transactions) {
    const auto [it, fresh] = first.try_emplace(t.currency, t.date);
    if (!fresh && t.date < it->second)
      it->second = t.date;
  }
  return first;
}

// The bank transaction a decision or a confirmation is about: known, a
// customer credit, and accounted for by nothing yet.
Result<std::uint32_t> open_credit(const Books& books, const BankLinks& links,
                                  std::string_view id) {
  const auto index = books.bank_index.find(id);
  if (!index)
    return std::unexpected(refused(
        fmt::format("unknown bank transaction \"{}\" ('arctl reconcile "
                    "status' lists the credits to clear)",
                    id)));
  const auto& t = books.bank_transactions[*index];
  if (!is_customer_credit(t))
    return std::unexpected(refused(
        fmt::format("bank transaction {} is not a customer's credit ({} {}{})",
                    id, t.currency.name(), Money{t.amount, t.currency}.to_display(),
                    t.reversal ? ", a reversal" : "")));
  if (links.decision[*index] != k_none) {
    const auto& q = books.reconciliations[links.decision[*index]];
    return std::unexpected(refused(
        fmt::format("bank transaction {} is {} already ({}:{})", id,
                    to_string(q.action),
                    books.dir.shown(schema(Table::reconciliations).file),
                    q.line)));
  }
  if (!links.payments[*index].empty()) {
    const auto& p = books.payments[links.payments[*index].front()];
    return std::unexpected(refused(
        fmt::format("bank transaction {} is payment {} already ({}:{})", id,
                    p.id, books.dir.shown(schema(Table::payments).file),
                    p.line)));
  }
  return *index;
}

// Appends one decision to the plan.
Result<void> record_decision(const Books& books, PlannedChange& planned,
                             Date today, std::string_view bank,
                             ReconcileAction action, std::string payments,
                             std::uint32_t customer, const MatchProposal* p,
                             bool third_party, std::string reason) {
  std::string rule, confidence, evidence;
  if (p) {
    rule = std::string(to_string(*p->rule));
    confidence = std::to_string(p->confidence);
    evidence = fmt::format("{}", fmt::join(p->evidence, "; "));
  }
  const std::array<FieldValue, 10> values{{
      {"date", format_date(today)},
      {"bank", std::string(bank)},
      {"action", std::string(to_string(action))},
      {"payments", std::move(payments)},
      {"customer", customer == k_none ? std::string()
                                      : std::string(books.customers[customer].id)},
      {"rule", std::move(rule)},
      {"confidence", std::move(confidence)},
      {"third_party", third_party ? "yes" : ""},
      {"reason", std::move(reason)},
      {"evidence", std::move(evidence)},
  }};
  return RecordAppender(books.dir, planned)
      .append(Table::reconciliations, values, today);
}

std::string payment_list(const Books& books,
                         std::span<const std::uint32_t> payments) {
  std::vector<std::string_view> ids;
  for (const auto i : payments)
    ids.push_back(books.payments[i].id);
  return fmt::format("{}", fmt::join(ids, ";"));
}

std::uint32_t common_customer(const Books& books,
                              std::span<const std::uint32_t> payments) {
  std::uint32_t customer = k_none;
  for (const auto i : payments) {
    if (customer != k_none && books.payments[i].customer != customer)
      return k_none;
    customer = books.payments[i].customer;
  }
  return customer;
}

// A field given by the program, for plan_receipts: messages about it name
// the bank transaction.
DraftField field(std::string text, const Origin& at) {
  return {std::move(text), at, true};
}

} // namespace

bool is_customer_credit(const BankTx& t) { return t.amount > 0 && !t.reversal; }

BankLinks link_bank(const Books& books) {
  BankLinks links;
  const auto n = books.bank_transactions.size();
  links.decision.assign(n, k_none);
  links.payments.resize(n);
  links.payment_bank.assign(books.payments.size(), k_none);
  const auto carry = [&](std::uint32_t bank, std::uint32_t payment) {
    if (links.payment_bank[payment] != k_none)
      return;
    links.payment_bank[payment] = bank;
    links.payments[bank].push_back(payment);
  };
  for (std::uint32_t k = 0; k < books.reconciliations.size(); ++k) {
    const auto& q = books.reconciliations[k];
    if (links.decision[q.bank] != k_none)
      continue;
    links.decision[q.bank] = k;
    for (const auto id : split_list(q.payments))
      if (const auto ref = books.find_document(id);
          ref.valid() && ref.kind == DocKind::payment)
        carry(q.bank, ref.index);
  }
  // A payment's bank_tx names the bank line by arctl's id or the bank's.
  std::unordered_map<std::string_view, std::uint32_t> by_bank_id;
  for (std::uint32_t b = 0; b < n; ++b)
    if (!books.bank_transactions[b].bank_tx.empty())
      by_bank_id.emplace(books.bank_transactions[b].bank_tx, b);
  if (n == 0)
    return links;
  for (std::uint32_t i = 0; i < books.payments.size(); ++i) {
    const auto& p = books.payments[i];
    if (p.bank_tx.empty())
      continue;
    if (const auto b = books.bank_index.find(p.bank_tx))
      carry(*b, i);
    else if (const auto it = by_bank_id.find(p.bank_tx); it != by_bank_id.end())
      carry(it->second, i);
  }
  return links;
}

MatchOptions match_options(const Config& config) {
  MatchOptions options;
  const auto& policy = config.reconcile;
  options.min_confidence = policy.min_confidence;
  if (!policy.rules.empty()) {
    options.rules.clear();
    for (const auto& name : policy.rules)
      if (const auto rule = parse_match_rule(name))
        options.rules.push_back(*rule);
  }
  for (const auto& t : policy.tolerances) {
    // At most what may be written off without an approver.
    auto minor = t.minor();
    if (config.writeoff_needs_approval(t)) {
      const auto limit = std::find_if(
          config.writeoff_limits.begin(), config.writeoff_limits.end(),
          [&](const Money& m) { return m.currency() == t.currency(); });
      minor = limit == config.writeoff_limits.end() ? 0 : limit->minor();
    }
    if (minor > 0)
      options.tolerances.push_back(Money{minor, t.currency()});
  }
  return options;
}

MatchRun match_bank(const Books& books, const Ledger& ledger, Date as_of,
                    const MatchOptions& options) {
  const auto links = link_bank(books);
  MatchHistory history;
  std::unordered_map<std::string, bool> ambiguous;
  for (std::uint32_t b = 0; b < books.bank_transactions.size(); ++b) {
    const auto& t = books.bank_transactions[b];
    if (t.counterparty_account.empty() || links.payments[b].empty())
      continue;
    if (links.decision[b] != k_none &&
        books.reconciliations[links.decision[b]].third_party)
      continue;
    const auto customer = common_customer(books, links.payments[b]);
    if (customer == k_none)
      continue;
    const std::string account(t.counterparty_account);
    const auto [it, fresh] = history.accounts.emplace(account, customer);
    if (!fresh && it->second != customer)
      ambiguous[account] = true;
  }
  for (const auto& [account, yes] : ambiguous)
    history.accounts.erase(account);

  const auto first = first_bank_dates(books);
  for (std::uint32_t i = 0; i < books.payments.size(); ++i) {
    const auto& p = books.payments[i];
    if (links.payment_bank[i] != k_none || ledger.payments[i].reversed)
      continue;
    const auto it = first.find(p.currency);
    if (it != first.end() &&
        !(p.date < add_days(it->second, -k_deposit_days_before)))
      history.unseen_payments.push_back(i);
  }

  MatchRun run;
  for (std::uint32_t b = 0; b < books.bank_transactions.size(); ++b) {
    const auto& t = books.bank_transactions[b];
    if (is_customer_credit(t) && !links.cleared(b) && !(as_of < t.date))
      run.bank.push_back(b);
  }
  std::stable_sort(run.bank.begin(), run.bank.end(),
                   [&](std::uint32_t a, std::uint32_t z) {
                     return books.bank_transactions[a].date <
                            books.bank_transactions[z].date;
                   });
  // The text the rules search: remittance, the bank's reference and the
  // end-to-end id, which payers fill with invoice numbers too.
  std::vector<std::string> texts;
  texts.reserve(run.bank.size());
  std::vector<BankCredit> credits;
  credits.reserve(run.bank.size());
  for (const auto b : run.bank) {
    const auto& t = books.bank_transactions[b];
    auto& text = texts.emplace_back(t.remittance);
    for (const auto extra : {t.reference, t.end_to_end})
      if (!extra.empty() && extra != "NOTPROVIDED")
        text += fmt::format(" {}", extra);
    credits.push_back({t.id, t.date, t.amount, t.currency, t.counterparty,
                       t.counterparty_account, text});
  }
  const MatchIndex index(books, ledger, std::move(history));
  run.proposals = match_credits(index, credits, options);
  return run;
}

bool postable(const Books& books, const BankTx& t, const MatchProposal& p,
              int min_confidence) {
  return p.status == MatchStatus::proposed && p.confidence >= min_confidence &&
         (!books.config.lock_date || *books.config.lock_date < t.date);
}

Result<MatchPosting> plan_match_post(const Books& books, const MatchRun& run,
                                     int min_confidence, Date today) {
  MatchPosting out;
  std::vector<Receipt> receipts;
  std::vector<std::size_t> of_receipt; // proposal of each receipt
  for (std::size_t k = 0; k < run.proposals.size(); ++k) {
    const auto& p = run.proposals[k];
    const auto& t = books.bank_transactions[run.bank[k]];
    if (!postable(books, t, p, min_confidence))
      continue;
    out.posted.push_back(k);
    if (!p.payments.empty())
      continue;
    Origin at;
    at.option = std::string(t.id);
    Receipt r;
    r.at = at;
    r.date = field(format_date(t.date), at);
    r.customer = field(std::string(books.customers[p.customer].id), at);
    r.amount = field(Money{t.amount, t.currency}.to_string(), at);
    r.currency = field(std::string(t.currency.name()), at);
    if (!t.remittance.empty())
      r.reference = field(std::string(t.remittance), at);
    r.bank_tx = field(std::string(t.id), at);
    r.memo = field(fmt::format("arctl reconcile match: {}", to_string(*p.rule)),
                   at);
    for (const auto& a : p.applications) {
      ReceiptApplication ask;
      ask.invoice = field(std::string(books.invoices[a.invoice].id), at);
      ask.amount = field(Money{a.amount, t.currency}.to_string(), at);
      if (a.short_pay > 0)
        ask.writeoff = field(Money{a.short_pay, t.currency}.to_string(), at);
      r.apply.push_back(std::move(ask));
    }
    receipts.push_back(std::move(r));
    of_receipt.push_back(k);
  }
  std::vector<std::string> payment_of(run.proposals.size());
  if (!receipts.empty()) {
    auto plan = plan_receipts(books, receipts, today, ReceiptOptions{});
    if (!plan)
      return std::unexpected(std::move(plan.error()));
    for (std::size_t i = 0; i < plan->receipts.size(); ++i)
      payment_of[of_receipt[i]] = plan->receipts[i].id;
    out.planned = std::move(plan->planned);
  }
  for (const auto k : out.posted) {
    const auto& p = run.proposals[k];
    const auto& t = books.bank_transactions[run.bank[k]];
    const bool linked = !p.payments.empty();
    auto ok = record_decision(
        books, out.planned, today, t.id,
        linked ? ReconcileAction::linked : ReconcileAction::posted,
        linked ? payment_list(books, p.payments) : payment_of[k], p.customer,
        &p, p.third_party, p.reason);
    if (!ok)
      return std::unexpected(std::move(ok.error()));
  }
  return out;
}

Result<PlannedChange> plan_confirm(const Books& books,
                                   const ConfirmRequest& request) {
  const bool by_payments = !request.payments.empty();
  if (by_payments && (!request.apply.empty() || !request.customer.empty()))
    return std::unexpected(misused(
        "--payment links payments in the books; --apply and --customer post "
        "a new one: give one or the other"));
  if (!by_payments && request.apply.empty() && request.customer.empty())
    return std::unexpected(misused(
        "say what the credit is: --apply INVOICE[=AMOUNT]..., --customer ID "
        "(unapplied cash) or --payment ID..."));
  const auto links = link_bank(books);
  const auto bank = open_credit(books, links, request.bank);
  if (!bank)
    return std::unexpected(bank.error());
  const auto& t = books.bank_transactions[*bank];
  PlannedChange planned;
  if (by_payments) {
    std::vector<std::uint32_t> payments;
    for (const auto& id : request.payments) {
      const auto ref = books.find_document(id);
      if (!ref.valid() || ref.kind != DocKind::payment)
        return std::unexpected(
            refused(fmt::format("unknown payment \"{}\"", id)));
      const auto& p = books.payments[ref.index];
      if (p.currency != t.currency)
        return std::unexpected(refused(
            fmt::format("payment {} is in {}; bank transaction {} is in {}", id,
                        p.currency.name(), t.id, t.currency.name())));
      if (const auto other = links.payment_bank[ref.index]; other != k_none)
        return std::unexpected(refused(
            fmt::format("payment {} is carried by bank transaction {} already",
                        id, books.bank_transactions[other].id)));
      if (std::find(payments.begin(), payments.end(), ref.index) !=
          payments.end())
        return std::unexpected(misused(
            fmt::format("--payment: payment {} is named twice", id)));
      payments.push_back(ref.index);
    }
    auto ok = record_decision(books, planned, request.today, t.id,
                              ReconcileAction::confirmed,
                              payment_list(books, payments),
                              common_customer(books, payments), nullptr, false,
                              request.reason);
    if (!ok)
      return std::unexpected(std::move(ok.error()));
    planned.summary = fmt::format("bank transaction {} is payment{} {}", t.id,
                                  payments.size() == 1 ? "" : "s",
                                  payment_list(books, payments));
    return planned;
  }

  Receipt r;
  r.at.option = "--apply";
  const Origin apply_at = r.at;
  Origin customer_at;
  customer_at.option = "--customer";
  std::string customer = request.customer;
  bool third_party = false;
  for (const auto& ask : request.apply) {
    const auto eq = ask.find('=');
    ReceiptApplication a;
    a.invoice = field(ask.substr(0, eq), apply_at);
    if (eq != std::string::npos)
      a.amount = field(ask.substr(eq + 1), apply_at);
    if (const auto inv = books.invoice_index.find(a.invoice.text)) {
      const auto owner = books.customers[books.invoices[*inv].customer].id;
      if (customer.empty())
        customer = std::string(owner);
      third_party = third_party || owner != customer;
    }
    r.apply.push_back(std::move(a));
  }
  const Origin at = request.customer.empty() ? apply_at : customer_at;
  r.customer = field(customer, at);
  r.date = field(format_date(t.date), at);
  r.amount = field(Money{t.amount, t.currency}.to_string(), at);
  r.currency = field(std::string(t.currency.name()), at);
  if (!t.remittance.empty())
    r.reference = field(std::string(t.remittance), at);
  r.bank_tx = field(std::string(t.id), at);
  r.memo = field("arctl reconcile confirm", at);
  ReceiptOptions options;
  options.allow_third_party = true;
  auto plan = plan_receipts(books, std::span(&r, 1), request.today, options);
  if (!plan)
    return std::unexpected(std::move(plan.error()));
  planned = std::move(plan->planned);
  const auto& posted = plan->receipts.front();
  auto ok = record_decision(books, planned, request.today, t.id,
                            ReconcileAction::confirmed, posted.id,
                            posted.customer, nullptr, third_party,
                            request.reason);
  if (!ok)
    return std::unexpected(std::move(ok.error()));
  planned.summary =
      fmt::format("bank transaction {} is payment {}", t.id, posted.id);
  return planned;
}

Result<PlannedChange> plan_ignore(const Books& books, const std::string& bank,
                                  const std::string& reason, Date today) {
  if (reason.empty())
    return std::unexpected(
        misused("--reason: say why the credit is not the receivables'"));
  const auto links = link_bank(books);
  const auto index = open_credit(books, links, bank);
  if (!index)
    return std::unexpected(index.error());
  PlannedChange planned;
  auto ok = record_decision(books, planned, today, bank,
                            ReconcileAction::ignored, {}, k_none, nullptr,
                            false, reason);
  if (!ok)
    return std::unexpected(std::move(ok.error()));
  planned.summary = fmt::format("bank transaction {} is ignored", bank);
  return planned;
}

std::string_view to_string(ExceptionKind kind) {
  constexpr std::array<std::string_view, 3> names{"unmatched", "not-at-bank",
                                                  "difference"};
  return names[static_cast<std::size_t>(kind)];
}

std::vector<ReconcileException>
reconcile_exceptions(const Books& books, const BankLinks& links, Date as_of) {
  std::vector<ReconcileException> out;
  DateByCurrency last;
  for (std::uint32_t b = 0; b < books.bank_transactions.size(); ++b) {
    const auto& t = books.bank_transactions[b];
    if (as_of < t.date)
      continue;
    const auto [it, fresh] = last.try_emplace(t.currency, t.date);
    if (!fresh && it->second < t.date)
      it->second = t.date;
    if (!is_customer_credit(t))
      continue;
    const Money amount{t.amount, t.currency};
    if (!links.cleared(b)) {
      out.push_back({ExceptionKind::unmatched, b, k_none, t.date, amount, {}});
      continue;
    }
    if (links.payments[b].empty())
      continue; // ignored
    std::int64_t paid = 0;
    for (const auto i : links.payments[b])
      paid += books.payments[i].amount;
    if (paid != t.amount)
      out.push_back({ExceptionKind::difference, b, k_none, t.date, amount,
                     Money{t.amount - paid, t.currency}});
  }
  const auto first = first_bank_dates(books);
  std::vector<bool> reversed(books.payments.size());
  for (const auto& a : books.adjustments)
    if (a.kind == AdjustmentKind::reversal && a.source.kind == DocKind::payment)
      reversed[a.source.index] = true;
  for (std::uint32_t i = 0; i < books.payments.size(); ++i) {
    const auto& p = books.payments[i];
    if (links.payment_bank[i] != k_none || reversed[i] || as_of < p.date)
      continue;
    const auto from = first.find(p.currency);
    const auto to = last.find(p.currency);
    if (from == first.end() || to == last.end() ||
        p.date < add_days(from->second, -k_deposit_days_before) ||
        to->second < p.date)
      continue;
    out.push_back({ExceptionKind::not_at_bank, k_none, i, p.date,
                   Money{p.amount, p.currency}, {}});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ReconcileException& a, const ReconcileException& b) {
                     return a.date < b.date;
                   });
  return out;
}

} // namespace arctl

namespace arctl {

namespace {

std::string amount_text(std::int64_t minor, Currency c) {
  return Money{minor, c}.to_string();
}

// "INV-1=100.00;INV-2=50.00" of the applications' amounts `part` gives,
// those that have one.
template <class Part>
std::string per_invoice(const Books& books, const MatchProposal& p,
                        Currency c, Part part) {
  std::vector<std::string> out;
  for (const auto& a : p.applications)
    if (const std::int64_t v = part(a); v != 0)
      out.push_back(fmt::format("{}={}", books.invoices[a.invoice].id,
                                amount_text(v, c)));
  return fmt::format("{}", fmt::join(out, ";"));
}

std::string_view status_word(const Books& books, const BankTx& t,
                             const MatchProposal& p, int min_confidence) {
  switch (p.status) {
  case MatchStatus::flagged: return "flagged";
  case MatchStatus::unidentified: return "unidentified";
  case MatchStatus::proposed: break;
  }
  return postable(books, t, p, min_confidence) ? "post" : "review";
}

} // namespace

TableData match_table(const Books& books, const MatchRun& run,
                      int min_confidence) {
  TableData t;
  t.columns = {{"bank"},        {"date"},       {"amount", true},
               {"currency"},    {"payer"},      {"status"},
               {"rule"},        {"confidence", true}, {"customer"},
               {"applies"},     {"discounts"},  {"writeoffs"},
               {"unapplied", true}, {"payments"}, {"third_party"},
               {"reason"},      {"evidence"}};
  for (std::size_t k = 0; k < run.proposals.size(); ++k) {
    const auto& p = run.proposals[k];
    const auto& b = books.bank_transactions[run.bank[k]];
    const auto c = b.currency;
    t.rows.push_back(
        {std::string(b.id), format_date(b.date), amount_text(b.amount, c),
         std::string(c.name()), std::string(b.counterparty),
         std::string(status_word(books, b, p, min_confidence)),
         p.rule ? std::string(to_string(*p.rule)) : std::string(),
         std::to_string(p.confidence),
         p.customer == k_none ? std::string()
                              : std::string(books.customers[p.customer].id),
         per_invoice(books, p, c, [](const MatchApplication& a) { return a.amount; }),
         per_invoice(books, p, c, [](const MatchApplication& a) { return a.discount; }),
         per_invoice(books, p, c, [](const MatchApplication& a) { return a.short_pay; }),
         amount_text(p.unapplied, c), payment_list(books, p.payments),
         p.third_party ? "yes" : "", p.reason,
         fmt::format("{}", fmt::join(p.evidence, "; "))});
  }
  return t;
}

std::string match_text(const Books& books, const MatchRun& run,
                       int min_confidence) {
  std::string out;
  std::array<std::size_t, 4> counts{}; // post, review, flagged, unidentified
  for (std::size_t k = 0; k < run.proposals.size(); ++k) {
    const auto& p = run.proposals[k];
    const auto& b = books.bank_transactions[run.bank[k]];
    const auto c = b.currency;
    const auto word = status_word(books, b, p, min_confidence);
    ++counts[word == "post" ? 0 : word == "review" ? 1 : word == "flagged" ? 2 : 3];
    out += fmt::format("{}  {}  {} {}  {}\n", b.id, format_date(b.date),
                       c.name(), Money{b.amount, c}.to_display(),
                       b.counterparty.empty() ? "(no name)" : b.counterparty);
    if (p.rule)
      out += fmt::format("  {}: {} ({}%)", word, to_string(*p.rule),
                         p.confidence);
    else
      out += fmt::format("  {}", word);
    if (p.customer != k_none)
      out += fmt::format(", {}", books.customers[p.customer].id);
    if (p.third_party)
      out += ", paid by a third party";
    out += '\n';
    for (const auto& a : p.applications) {
      out += fmt::format("    {} {}", books.invoices[a.invoice].id,
                         Money{a.amount, c}.to_display());
      if (a.discount)
        out += fmt::format(" + discount {}", Money{a.discount, c}.to_display());
      if (a.short_pay)
        out += fmt::format(" + written off {}",
                           Money{a.short_pay, c}.to_display());
      out += '\n';
    }
    if (p.unapplied)
      out += fmt::format("    on account {}\n", Money{p.unapplied, c}.to_display());
    for (const auto i : p.payments)
      out += fmt::format("    payment {} {}\n", books.payments[i].id,
                         Money{books.payments[i].amount, c}.to_display());
    out += fmt::format("  {}\n", p.reason);
    for (const auto& e : p.evidence)
      out += fmt::format("  - {}\n", e);
    out += '\n';
  }
  out += fmt::format("{} bank credit{}: {} to post (confidence {}% or more), "
                     "{} to review, {} flagged, {} unidentified\n",
                     run.proposals.size(),
                     run.proposals.size() == 1 ? "" : "s", counts[0],
                     min_confidence, counts[1], counts[2], counts[3]);
  return out;
}

TableData exceptions_table(const Books& books,
                           std::span<const ReconcileException> exceptions) {
  TableData t;
  t.columns = {{"kind"},     {"date"},     {"bank"},
               {"payment"},  {"customer"}, {"amount", true},
               {"currency"}, {"difference", true}, {"detail"}};
  for (const auto& x : exceptions) {
    const auto c = x.amount.currency();
    std::string bank, payment, customer, detail;
    if (x.bank != k_none) {
      const auto& b = books.bank_transactions[x.bank];
      bank = std::string(b.id);
      detail = fmt::format("{}{}{}", b.counterparty,
                           b.counterparty.empty() || b.remittance.empty() ? ""
                                                                          : ": ",
                           b.remittance);
    }
    if (x.payment != k_none) {
      const auto& p = books.payments[x.payment];
      payment = std::string(p.id);
      customer = std::string(books.customers[p.customer].id);
      detail = std::string(p.reference);
    }
    t.rows.push_back({std::string(to_string(x.kind)), format_date(x.date),
                      bank, payment, customer, x.amount.to_string(),
                      std::string(c.name()),
                      x.kind == ExceptionKind::difference
                          ? x.difference.to_string()
                          : std::string(),
                      detail});
  }
  return t;
}

} // namespace arctl
