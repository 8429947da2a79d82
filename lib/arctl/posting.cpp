#include "arctl/posting.hpp"

#include "arctl/csv.hpp"
#include "arctl/customers.hpp"
#include "arctl/invoices.hpp"
#include "arctl/invoicing.hpp"
#include "arctl/numbering.hpp"
#include "arctl/rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace arctl {

// ---- Balances -------------------------------------------------------------------

Balances::Balances(const Books& books)
    : m_books(books), m_end(compute_ledger(books, k_end_of_time)) {}

const Ledger& Balances::on(Date date) {
  auto it = m_on.find(date);
  if (it == m_on.end()) {
    if (m_on.size() >= 2)
      m_on.erase(m_on.begin()->first == m_last_asked ? std::next(m_on.begin())
                                                     : m_on.begin());
    it = m_on.emplace(date, compute_ledger(m_books, date)).first;
  }
  m_last_asked = date;
  return it->second;
}

std::int64_t Balances::open(std::uint32_t invoice, Date date) {
  auto on_day = on(date).invoices[invoice].open;
  auto at_end = m_end.invoices[invoice].open;
  if (const auto t = m_taken.find(invoice); t != m_taken.end())
    for (const auto& x : t->second) {
      at_end -= x.amount;
      if (x.date <= date)
        on_day -= x.amount;
    }
  return std::min(on_day, at_end);
}

std::int64_t Balances::left(DocRef source, Date date) {
  const auto& day = on(date);
  const auto pick = [&](const Ledger& l) {
    return source.kind == DocKind::payment ? l.payments[source.index].left
                                           : l.credits[source.index].left;
  };
  return std::min(pick(day), pick(m_end));
}

void Balances::take(std::uint32_t invoice, Date date, std::int64_t amount,
                    bool discount) {
  m_taken[invoice].push_back({date, amount, discount});
}

bool Balances::discounted(std::uint32_t invoice, Date date) {
  if (on(date).invoices[invoice].discounted != 0)
    return true;
  const auto t = m_taken.find(invoice);
  return t != m_taken.end() &&
         std::any_of(t->second.begin(), t->second.end(),
                     [](const Taken& x) { return x.discount && x.amount > 0; });
}

// ---- the early-payment discount ------------------------------------------------

std::optional<EarlyDiscount> early_discount(const Books& books,
                                            std::uint32_t invoice) {
  const auto& inv = books.invoices[invoice];
  if (inv.terms.empty())
    return std::nullopt;
  const auto terms = parse_terms(inv.terms);
  if (!terms || !terms->discount_percent)
    return std::nullopt;
  const auto until = terms->discount_until(inv.date);
  const auto amount = percent_of(Money{inv.total, inv.currency},
                                 *terms->discount_percent,
                                 books.config.rounding);
  if (!until || !amount || amount->minor() <= 0)
    return std::nullopt;
  return EarlyDiscount{*amount, *terms->discount_percent, *until};
}

namespace {

std::string money_text(std::int64_t minor, Currency c) {
  return fmt::format("{} {}", c.name(), Money{minor, c}.to_display());
}

std::string record_at(const Books& books, Table table, std::uint32_t line) {
  return fmt::format("{}:{}", books.dir.shown(schema(table).file), line);
}

template <class T> std::unexpected<Error> pass(Result<T>& r) {
  return std::unexpected(std::move(r.error()));
}

// A payment or credit memo by id.
Result<DocRef> find_source(const Books& books, std::string_view id) {
  const auto ref = books.find_document(id);
  if (!ref.valid())
    return fail(ExitCode::data,
                fmt::format("unknown payment or credit memo \"{}\"", id));
  if (ref.kind == DocKind::invoice)
    return fail(ExitCode::data,
                fmt::format("\"{}\" is an invoice, not a payment or a credit "
                            "memo",
                            id));
  if (ref.kind == DocKind::adjustment &&
      books.adjustments[ref.index].kind != AdjustmentKind::credit)
    return fail(ExitCode::data,
                fmt::format("\"{}\" is a {} adjustment, not a payment or a "
                            "credit memo",
                            id, to_string(books.adjustments[ref.index].kind)));
  return ref;
}

// An amount given with `option`: more than zero, in `currency`.
Result<Money> positive_amount(std::string_view option, std::string_view text,
                              Currency currency) {
  auto m = Money::parse(text, currency);
  if (!m)
    return fail(ExitCode::usage,
                fmt::format("{}: {}{}", option, m.error().message,
                            m.error().hint.empty() ? "" : "; " + m.error().hint));
  if (m->minor() <= 0)
    return fail(ExitCode::usage,
                fmt::format("{}: the amount must be more than zero, not {}",
                            option, text));
  return *m;
}

// The amount given with --amount, or `fallback` when none was given.
Result<std::int64_t> amount_or(std::string_view text, Currency currency,
                               std::int64_t fallback) {
  if (text.empty())
    return fallback;
  auto given = positive_amount("--amount", text, currency);
  if (!given)
    return pass(given);
  return given->minor();
}

// Refuses an invoice with nothing open on it: on the day, or once the
// later facts of the books are counted.
std::unexpected<Error> nothing_open(Balances& balances, const Invoice& inv,
                                    std::uint32_t invoice, Date date) {
  return fail(ExitCode::data,
              fmt::format("nothing is open on invoice {} on {}{}", inv.id,
                          format_date(date),
                          balances.on(date).invoices[invoice].open > 0
                              ? " after its later applications"
                              : ""));
}

Result<void> check_text(std::string_view option, std::string_view text) {
  if (auto why = utf8_problem(text))
    return fail(ExitCode::usage, fmt::format("{}: {}", option, *why));
  return {};
}

// The invoice of an application and what it may receive from `source`:
// issued by the date, in the source's currency, not void.
Result<std::uint32_t> invoice_for(const Books& books, Balances& balances,
                                  DocRef source, std::string_view id,
                                  Date date) {
  auto index = issued_invoice(books, id, date);
  if (!index)
    return index;
  const auto& inv = books.invoices[*index];
  const auto cur = books.document_currency(source);
  if (inv.currency != cur)
    return fail(ExitCode::data,
                fmt::format("{} is in {} and cannot be applied to invoice {} "
                            "in {}",
                            books.document_id(source), cur.name(), inv.id,
                            inv.currency.name()));
  if (balances.on(date).invoices[*index].void_ ||
      balances.end().invoices[*index].void_)
    return fail(ExitCode::data, fmt::format("invoice {} is void", inv.id));
  return index;
}

// Net applied from `source` to `invoice` by `date`.
std::int64_t applied_between(const Books& books, DocRef source,
                             std::uint32_t invoice, Date date) {
  std::int64_t net = 0;
  for (const auto& a : books.allocations)
    if (a.source == source && a.invoice == invoice && a.date <= date)
      net += a.amount;
  return net;
}

// Net discount taken with `payment` on `invoice` by `date`.
std::int64_t discount_with(const Books& books, DocRef payment,
                           std::uint32_t invoice, Date date) {
  std::int64_t net = 0;
  for (const auto& j : books.adjustments)
    if (j.kind == AdjustmentKind::discount && j.source == payment &&
        j.invoice == invoice && j.date <= date)
      net += j.amount.value_or(0);
  return net;
}

// Records that undo `amount` of what `source` applies to `invoice` on
// `date`, and take back the discount it took there once nothing of it
// stays applied.
Result<void> undo_application(const Books& books, RecordAppender& out,
                              Numberer& numbers, DocRef source,
                              std::uint32_t invoice, std::int64_t amount,
                              std::int64_t applied, Date date,
                              std::string_view memo) {
  const auto& inv = books.invoices[invoice];
  const auto cur = inv.currency;
  const std::array<FieldValue, 5> undo{{
      {"date", format_date(date)},
      {"source", std::string(books.document_id(source))},
      {"invoice", std::string(inv.id)},
      {"amount", format_minor_units(-amount, cur.exponent)},
      {"memo", std::string(memo)},
  }};
  if (auto ok = out.append(Table::allocations, undo, date); !ok)
    return ok;
  const auto discount = source.kind == DocKind::payment
                            ? discount_with(books, source, invoice, date)
                            : 0;
  if (amount != applied || discount <= 0)
    return {};
  const auto id = numbers.next(books.config.numbering.adjustment, date);
  const std::array<FieldValue, 9> back{{
      {"id", id},
      {"date", format_date(date)},
      {"kind", std::string(to_string(AdjustmentKind::discount))},
      {"customer", std::string(books.customers[inv.customer].id)},
      {"invoice", std::string(inv.id)},
      {"source", std::string(books.document_id(source))},
      {"amount", format_minor_units(-discount, cur.exponent)},
      {"currency", std::string(cur.name())},
      {"reason", fmt::format("discount taken back: {} no longer applied",
                             books.document_id(source))},
  }};
  return out.append(Table::adjustments, back, date);
}

} // namespace

// ---- apply and unapply -----------------------------------------------------------

Result<PlannedChange> plan_apply(const Books& books, const ApplyRequest& r) {
  if (auto ok = check_text("--memo", r.memo); !ok)
    return pass(ok);
  auto source = find_source(books, r.from);
  if (!source)
    return pass(source);
  const auto src_date = books.document_date(*source);
  if (r.date < src_date)
    return fail(ExitCode::data,
                fmt::format("{} is dated {}, after {}", r.from,
                            format_date(src_date), format_date(r.date)));
  if (auto open = check_open_period(books.dir, books.config.lock_date, r.date);
      !open)
    return pass(open);
  Balances balances(books);
  auto invoice = invoice_for(books, balances, *source, r.to, r.date);
  if (!invoice)
    return pass(invoice);
  const auto& inv = books.invoices[*invoice];
  const auto owner = books.document_customer(*source);
  if (owner != inv.customer && !r.allow_third_party)
    return fail(ExitCode::data,
                fmt::format("invoice {} is customer {}'s, but {} is customer "
                            "{}'s; give --allow-third-party to apply it anyway",
                            inv.id, books.customers[inv.customer].id, r.from,
                            books.customers[owner].id));
  if (source->kind == DocKind::payment &&
      balances.end().payments[source->index].reversed)
    return fail(ExitCode::data, fmt::format("payment {} is reversed", r.from));
  const auto cur = inv.currency;
  const auto left = balances.left(*source, r.date);
  const auto open = balances.open(*invoice, r.date);
  auto amount = amount_or(r.amount, cur, std::min(left, open));
  if (!amount)
    return pass(amount);
  if (left <= 0)
    return fail(ExitCode::data,
                fmt::format("nothing of {} is left to apply on {}", r.from,
                            format_date(r.date)));
  if (open <= 0)
    return nothing_open(balances, inv, *invoice, r.date);
  if (*amount > left)
    return fail(ExitCode::data,
                fmt::format("{} is more than the {} left of {} on {}",
                            money_text(*amount, cur), money_text(left, cur),
                            r.from, format_date(r.date)));
  if (*amount > open)
    return fail(ExitCode::data,
                fmt::format("{} is more than the {} open on invoice {} on {}",
                            money_text(*amount, cur), money_text(open, cur),
                            inv.id, format_date(r.date)));
  PlannedChange plan;
  const std::array<FieldValue, 5> values{{
      {"date", format_date(r.date)},
      {"source", r.from},
      {"invoice", std::string(inv.id)},
      {"amount", format_minor_units(*amount, cur.exponent)},
      {"memo", r.memo},
  }};
  if (auto ok = RecordAppender(books.dir, plan)
                    .append(Table::allocations, values, r.date);
      !ok)
    return pass(ok);
  plan.summary = fmt::format("{} of {} applied to invoice {} on {}",
                             money_text(*amount, cur), r.from, inv.id,
                             format_date(r.date));
  return plan;
}

Result<PlannedChange> plan_unapply(const Books& books, const ApplyRequest& r) {
  if (auto ok = check_text("--memo", r.memo); !ok)
    return pass(ok);
  auto source = find_source(books, r.from);
  if (!source)
    return pass(source);
  auto invoice = find_invoice_id(books, r.to);
  if (!invoice)
    return pass(invoice);
  if (auto open = check_open_period(books.dir, books.config.lock_date, r.date);
      !open)
    return pass(open);
  const auto& inv = books.invoices[*invoice];
  const auto cur = inv.currency;
  // What stays applied on the date and after every later fact.
  const auto applied =
      std::min(applied_between(books, *source, *invoice, r.date),
               applied_between(books, *source, *invoice, k_end_of_time));
  if (applied <= 0)
    return fail(ExitCode::data,
                fmt::format("nothing of {} is applied to invoice {} on {}",
                            r.from, inv.id, format_date(r.date)));
  auto given = amount_or(r.amount, cur, applied);
  if (!given)
    return pass(given);
  const auto amount = *given;
  if (amount > applied)
    return fail(ExitCode::data,
                fmt::format("{} is more than the {} of {} applied to invoice "
                            "{} on {}",
                            money_text(amount, cur), money_text(applied, cur),
                            r.from, inv.id, format_date(r.date)));
  PlannedChange plan;
  RecordAppender out(books.dir, plan);
  Numberer numbers(books);
  if (auto ok = undo_application(books, out, numbers, *source, *invoice, amount,
                                 applied, r.date, r.memo);
      !ok)
    return pass(ok);
  plan.ids.assign(numbers.ids().begin(), numbers.ids().end());
  plan.summary = fmt::format("{} of {} unapplied from invoice {} on {}{}",
                             money_text(amount, cur), r.from, inv.id,
                             format_date(r.date),
                             plan.ids.empty()
                                 ? ""
                                 : fmt::format("; discount taken back ({})",
                                               plan.ids.front()));
  return plan;
}

// ---- discounts and write-offs ---------------------------------------------------

Result<PlannedChange> plan_settle(const Books& books, const SettleRequest& r) {
  const bool writeoff = r.kind == AdjustmentKind::writeoff;
  if (!writeoff && r.kind != AdjustmentKind::discount)
    return fail(ExitCode::software, "a settlement is a write-off or a discount");
  if (auto ok = check_reason(r.reason, writeoff, "a write-off"); !ok)
    return pass(ok);
  if (auto ok = check_text("--approve", r.approver); !ok)
    return pass(ok);
  auto invoice = issued_invoice(books, r.invoice, r.date);
  if (!invoice)
    return pass(invoice);
  const auto& inv = books.invoices[*invoice];
  const auto cur = inv.currency;
  Balances balances(books);
  std::string source_id;
  if (!r.from.empty()) {
    const auto ref = books.find_document(r.from);
    if (!ref.valid() || ref.kind != DocKind::payment)
      return fail(ExitCode::data, fmt::format("unknown payment \"{}\"", r.from));
    if (books.payments[ref.index].customer != inv.customer)
      return fail(ExitCode::data,
                  fmt::format("payment {} is not customer {}'s",
                              r.from, books.customers[inv.customer].id));
    if (books.payments[ref.index].date > r.date)
      return fail(ExitCode::data,
                  fmt::format("payment {} is dated {}, after {}", r.from,
                              format_date(books.payments[ref.index].date),
                              format_date(r.date)));
    if (balances.end().payments[ref.index].reversed)
      return fail(ExitCode::data,
                  fmt::format("payment {} is reversed; a discount cannot go "
                              "with it",
                              r.from));
    source_id = r.from;
  }
  if (auto open = check_open_period(books.dir, books.config.lock_date, r.date);
      !open)
    return pass(open);
  if (balances.on(r.date).invoices[*invoice].void_ ||
      balances.end().invoices[*invoice].void_)
    return fail(ExitCode::data, fmt::format("invoice {} is void", inv.id));
  const auto open = balances.open(*invoice, r.date);
  if (open <= 0)
    return nothing_open(balances, inv, *invoice, r.date);
  auto given = amount_or(r.amount, cur, open);
  if (!given)
    return pass(given);
  const auto amount = *given;
  if (amount > open)
    return fail(ExitCode::data,
                fmt::format("a {} of {} is more than the {} open on invoice {} "
                            "on {}",
                            writeoff ? "write-off" : "discount",
                            money_text(amount, cur), money_text(open, cur),
                            inv.id, format_date(r.date)));
  if (writeoff && r.approver.empty() &&
      books.config.writeoff_needs_approval(Money{amount, cur})) {
    const auto limit = std::find_if(
        books.config.writeoff_limits.begin(), books.config.writeoff_limits.end(),
        [&](const Money& m) { return m.currency() == cur; });
    return fail(ExitCode::usage,
                fmt::format("--approve: a write-off of {} needs an approver: "
                            "{} (writeoff_limit in {}); name who approved it "
                            "with --approve NAME",
                            money_text(amount, cur),
                            limit != books.config.writeoff_limits.end()
                                ? "it is above the limit of " +
                                      money_text(limit->minor(), cur)
                                : fmt::format("no limit is set for {}",
                                              cur.name()),
                            books.dir.shown(k_config_file)));
  }
  PlannedChange plan;
  const auto id = Numberer(books).next(books.config.numbering.adjustment, r.date);
  const std::array<FieldValue, 10> values{{
      {"id", id},
      {"date", format_date(r.date)},
      {"kind", std::string(to_string(r.kind))},
      {"customer", std::string(books.customers[inv.customer].id)},
      {"invoice", std::string(inv.id)},
      {"source", source_id},
      {"amount", format_minor_units(amount, cur.exponent)},
      {"currency", std::string(cur.name())},
      {"reason", r.reason},
      {"approved_by", writeoff ? r.approver : std::string()},
  }};
  if (auto ok = RecordAppender(books.dir, plan)
                    .append(Table::adjustments, values, r.date);
      !ok)
    return pass(ok);
  plan.ids.push_back(id);
  return plan;
}

// ---- refunds ---------------------------------------------------------------------

Result<PlannedChange> plan_refund(const Books& books, const RefundRequest& r) {
  if (auto ok = check_reason(r.reason, false, "a refund"); !ok)
    return pass(ok);
  auto customer = find_customer_id(books, r.customer);
  if (!customer)
    return pass(customer);
  const auto cur = books.customers[*customer].currency;
  auto amount = positive_amount("--amount", r.amount, cur);
  if (!amount)
    return pass(amount);
  // The sources to draw on: the one given, or the customer's, oldest first.
  std::vector<DocRef> sources;
  if (!r.from.empty()) {
    auto source = find_source(books, r.from);
    if (!source)
      return pass(source);
    if (books.document_customer(*source) != *customer)
      return fail(ExitCode::data,
                  fmt::format("{} is customer {}'s, not {}'s", r.from,
                              books.customers[books.document_customer(*source)].id,
                              r.customer));
    if (books.document_date(*source) > r.date)
      return fail(ExitCode::data,
                  fmt::format("{} is dated {}, after {}", r.from,
                              format_date(books.document_date(*source)),
                              format_date(r.date)));
    sources.push_back(*source);
  } else {
    for (std::uint32_t i = 0; i < books.payments.size(); ++i)
      if (books.payments[i].customer == *customer &&
          books.payments[i].currency == cur && books.payments[i].date <= r.date)
        sources.push_back({DocKind::payment, i});
    for (std::uint32_t i = 0; i < books.adjustments.size(); ++i) {
      const auto& j = books.adjustments[i];
      if (j.kind == AdjustmentKind::credit && j.customer == *customer &&
          j.currency == cur && j.date <= r.date)
        sources.push_back({DocKind::adjustment, i});
    }
    std::stable_sort(sources.begin(), sources.end(), [&](DocRef a, DocRef b) {
      return books.document_date(a) < books.document_date(b);
    });
  }
  if (auto open = check_open_period(books.dir, books.config.lock_date, r.date);
      !open)
    return pass(open);
  Balances balances(books);
  std::int64_t available = 0;
  for (const auto s : sources)
    available += std::max<std::int64_t>(0, balances.left(s, r.date));
  if (amount->minor() > available)
    return fail(ExitCode::data,
                fmt::format("a refund of {} is more than the {} of unapplied "
                            "credit {} on {}",
                            money_text(amount->minor(), cur),
                            money_text(available, cur),
                            r.from.empty() ? "customer " + r.customer + " has"
                                           : r.from + " has",
                            format_date(r.date)));
  PlannedChange plan;
  RecordAppender out(books.dir, plan);
  auto rest = amount->minor();
  Numberer numbers(books);
  for (const auto s : sources) {
    const auto take = std::min(rest, balances.left(s, r.date));
    if (take <= 0)
      continue;
    auto id = numbers.next(books.config.numbering.adjustment, r.date);
    const std::array<FieldValue, 9> values{{
        {"id", id},
        {"date", format_date(r.date)},
        {"kind", std::string(to_string(AdjustmentKind::refund))},
        {"customer", r.customer},
        {"invoice", ""},
        {"source", std::string(books.document_id(s))},
        {"amount", format_minor_units(take, cur.exponent)},
        {"currency", std::string(cur.name())},
        {"reason", r.reason},
    }};
    if (auto ok = out.append(Table::adjustments, values, r.date); !ok)
      return pass(ok);
    plan.ids.push_back(std::move(id));
    rest -= take;
    if (rest == 0)
      break;
  }
  return plan;
}

// ---- reversals ---------------------------------------------------------------------

Result<PlannedChange> plan_reversal(const Books& books,
                                    const ReversalRequest& r) {
  if (auto ok = check_reason(r.reason, true, "a reversal"); !ok)
    return pass(ok);
  const auto ref = books.find_document(r.payment);
  if (!ref.valid() || ref.kind != DocKind::payment)
    return fail(ExitCode::data,
                fmt::format("unknown payment \"{}\"", r.payment));
  const auto& pay = books.payments[ref.index];
  const auto cur = pay.currency;
  std::optional<Money> fee;
  if (!r.fee.empty()) {
    auto f = positive_amount("--fee", r.fee, cur);
    if (!f)
      return pass(f);
    fee = *f;
  }
  if (r.date < pay.date)
    return fail(ExitCode::data,
                fmt::format("payment {} is dated {}, after {}", pay.id,
                            format_date(pay.date), format_date(r.date)));
  if (auto open = check_open_period(books.dir, books.config.lock_date, r.date);
      !open)
    return pass(open);
  // Nothing of the payment may happen after the reversal.
  const auto later = [&](Table table, std::uint32_t line, Date date,
                         std::string_view what) {
    return fail(ExitCode::data,
                fmt::format("payment {} has a later {} on {} ({}); reverse it "
                            "on or after that date",
                            pay.id, what, format_date(date),
                            record_at(books, table, line)));
  };
  for (const auto& a : books.allocations)
    if (a.source == ref && a.date > r.date)
      return later(Table::allocations, a.line, a.date, "application");
  for (const auto& j : books.adjustments)
    if (j.source == ref && j.date > r.date)
      return later(Table::adjustments, j.line, j.date, to_string(j.kind));
  const auto ledger = compute_ledger(books, r.date);
  if (compute_ledger(books, k_end_of_time).payments[ref.index].reversed)
    return fail(ExitCode::data,
                fmt::format("payment {} is reversed already", pay.id));

  PlannedChange plan;
  RecordAppender out(books.dir, plan);
  Numberer numbers(books);
  // Every application still standing, in the order first made.
  std::vector<std::uint32_t> invoices;
  for (const auto& a : books.allocations)
    if (a.source == ref &&
        std::find(invoices.begin(), invoices.end(), a.invoice) == invoices.end())
      invoices.push_back(a.invoice);
  const auto memo = fmt::format("payment reversed: {}", r.reason);
  for (const auto invoice : invoices) {
    const auto applied = applied_between(books, ref, invoice, r.date);
    if (applied <= 0)
      continue;
    if (auto ok = undo_application(books, out, numbers, ref, invoice, applied,
                                   applied, r.date, memo);
        !ok)
      return pass(ok);
  }
  // What is left once nothing is applied: the payment less its refunds.
  const auto& state = ledger.payments[ref.index];
  const auto left = state.left + state.applied;
  const auto id = numbers.next(books.config.numbering.adjustment, r.date);
  const std::array<FieldValue, 9> reversal{{
      {"id", id},
      {"date", format_date(r.date)},
      {"kind", std::string(to_string(AdjustmentKind::reversal))},
      {"customer", std::string(books.customers[pay.customer].id)},
      {"invoice", ""},
      {"source", std::string(pay.id)},
      {"amount", left > 0 ? format_minor_units(left, cur.exponent) : ""},
      {"currency", std::string(cur.name())},
      {"reason", r.reason},
  }};
  if (auto ok = out.append(Table::adjustments, reversal, r.date); !ok)
    return pass(ok);
  plan.ids.push_back(id);

  // The customer owes back what was refunded of money that never came,
  // and the fee.
  if (state.refunded == 0 && !fee)
    return plan;
  InvoiceDraft charge;
  charge.charge = true;
  const auto field = [](std::string text) {
    return DraftField{std::move(text), {}, true};
  };
  charge.at.option = "--fee";
  charge.customer = field(std::string(books.customers[pay.customer].id));
  charge.id = field(numbers.next(books.config.numbering.fee, r.date));
  charge.date = field(format_date(r.date));
  charge.terms = field("due on receipt");
  charge.memo = field(fmt::format("payment {} returned: {}", pay.id, r.reason));
  charge.tax_code = field("");
  const auto line = [&](std::string description, std::int64_t amount) {
    DraftLine l;
    l.description = field(std::move(description));
    l.quantity = field("1");
    l.unit_price = field(format_minor_units(amount, cur.exponent));
    l.is_amount = true;
    l.at = charge.at;
    charge.lines.push_back(std::move(l));
  };
  if (state.refunded != 0)
    line(fmt::format("Refunded from payment {}, which was returned", pay.id),
         state.refunded);
  if (fee)
    line(fmt::format("Fee for returned payment {}", pay.id), fee->minor());
  auto invoice = plan_new_invoices(books, std::span(&charge, 1), r.date);
  if (!invoice)
    return pass(invoice);
  plan.merge(std::move(invoice->planned));
  return plan;
}

} // namespace arctl
