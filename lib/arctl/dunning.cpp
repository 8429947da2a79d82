#include "arctl/dunning.hpp"

#include "arctl/arrangements.hpp"
#include "arctl/numbering.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <unordered_map>

namespace arctl {

namespace {

// A policy amount in `currency`'s minor units, rounded half up.
std::int64_t minor_of(Decimal amount, Currency currency) {
  const auto m = extend(Decimal{1, 0}, amount, currency, Rounding::half_up);
  return m ? m->minor() : 0;
}

// amount × percent a year × days / 365, rounded half up (amount >= 0).
std::int64_t interest_of(std::int64_t amount, Decimal percent, int days) {
  if (amount <= 0 || days <= 0 || percent.units <= 0)
    return 0;
  __int128 scale = 100 * 365;
  for (int k = 0; k < percent.scale; ++k)
    scale *= 10;
  const __int128 n = static_cast<__int128>(amount) * percent.units * days;
  return static_cast<std::int64_t>((n * 2 + scale) / (scale * 2));
}

std::string money(std::int64_t minor, Currency c) {
  return Money(minor, c).to_display();
}

std::uint64_t key_of(std::uint32_t customer, Currency c) {
  return std::uint64_t{customer} << 24 |
         std::uint64_t{static_cast<unsigned char>(c.code[0])} << 16 |
         std::uint64_t{static_cast<unsigned char>(c.code[1])} << 8 |
         static_cast<unsigned char>(c.code[2]);
}

// What the notices sent by the as-of date say, per customer and currency
// and per invoice.
struct Sent {
  struct Last {
    Date date;
    std::uint32_t notice = k_none;
  };
  std::unordered_map<std::uint64_t, Last> last; // by key_of
  std::unordered_map<std::uint32_t, int> level; // invoice -> highest level
  std::unordered_map<std::uint32_t, Date> interest_until; // invoice -> date
};

class Planner {
public:
  Planner(const Books& books, const Ledger& ledger,
          const DunningRequest& request)
      : m_books(books), m_ledger(ledger), m_request(request),
        m_policy(books.config.dunning),
        m_selected(books.customers.size(), request.customers.empty()) {
    for (const auto c : request.customers)
      if (c < m_selected.size())
        m_selected[c] = true;
  }

  DunningPlan run();

private:
  struct Open {
    std::uint32_t customer;
    std::uint32_t invoice;
  };
  void gather_sent();
  void gather_credit();
  // Promises and plans of the selected customers (arrangements.hpp).
  void gather_arrangements();
  // What active plans still cover of an invoice: claimed only through
  // their missed instalments.
  [[nodiscard]] std::int64_t planned(std::uint32_t invoice) const {
    const auto it = m_plan_left.find(invoice);
    return it == m_plan_left.end() ? 0 : it->second;
  }
  // The highest level of the notices about `invoice` sent on or after
  // `since`: a plan starts its invoices' escalation afresh.
  [[nodiscard]] int level_since(std::uint32_t invoice, Date since) const;
  // The unpaid parts of the missed instalments of the active plans of a
  // customer and currency (`key`), as items: each no more than what is
  // open of its invoice beyond the other items and a dispute; what a
  // dispute holds back counts in `disputed`.
  void add_shortfalls(std::uint64_t key, DunningNotice& notice,
                      int& disputed) const;
  // The decision for one customer and currency, its open invoices in
  // `open` (oldest due first).
  void decide(std::uint32_t customer, Currency currency,
              std::span<const Open> open, DunningPlan& plan);
  // "plan ARR-1" or "plans ARR-1 and ARR-2": the active plans of a key.
  [[nodiscard]] std::string plans_named(std::uint64_t key) const;
  // "; plan ARR-1: instalment 2 of USD 400.00, due 2026-04-01, missed
  // (USD 150.00 unpaid)" for each missed instalment a notice claims.
  [[nodiscard]] std::string missed_text(const DunningNotice& notice) const;
  void skip(DunningPlan& plan, std::uint32_t customer, Currency currency,
            std::string reason) const {
    if (m_request.explain)
      plan.skipped.push_back({customer, currency, std::move(reason)});
  }
  [[nodiscard]] int level_index(std::string_view name) const {
    for (std::size_t k = 0; k < m_policy.levels.size(); ++k)
      if (m_policy.levels[k].name == name)
        return static_cast<int>(k);
    return -1;
  }

  const Books& m_books;
  const Ledger& m_ledger;
  const DunningRequest& m_request;
  const DunningPolicy& m_policy;
  std::vector<bool> m_selected;
  Sent m_sent;
  std::unordered_map<std::uint64_t, std::int64_t> m_credit; // by key_of
  std::vector<PromiseState> m_promises;
  std::unordered_map<std::uint64_t, std::size_t> m_promise; // key -> latest
  std::vector<PlanState> m_plans; // active ones
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> m_key_plans;
  std::unordered_map<std::uint32_t, std::int64_t> m_plan_left; // by invoice
  // Notices about invoices in plans: (date, level) each.
  std::unordered_map<std::uint32_t, std::vector<std::pair<Date, int>>>
      m_plan_sent;
};

void Planner::gather_arrangements() {
  std::vector<std::uint32_t> promises, plans;
  for (std::uint32_t i = 0; i < m_books.arrangements.size(); ++i) {
    const auto& a = m_books.arrangements[i];
    if (m_ledger.as_of < a.date || a.customer >= m_selected.size() ||
        !m_selected[a.customer])
      continue;
    (a.kind == ArrangementKind::promise ? promises : plans).push_back(i);
  }
  if (promises.empty() && plans.empty())
    return;
  m_promises = promise_states(m_books, m_ledger, promises);
  for (std::size_t k = 0; k < m_promises.size(); ++k) {
    const auto i = m_promises[k].arrangement;
    const auto& a = m_books.arrangements[i];
    auto [it, added] = m_promise.try_emplace(key_of(a.customer, a.currency), k);
    const auto j = m_promises[it->second].arrangement;
    const auto& b = m_books.arrangements[j];
    if (!added && (b.date < a.date || (b.date == a.date && j < i)))
      it->second = k;
  }
  for (auto& plan : plan_states(m_books, m_ledger, plans)) {
    if (!plan.active())
      continue;
    const auto& a = m_books.arrangements[plan.arrangement];
    for (const auto& share : plan.shares)
      if (share.left() > 0)
        m_plan_left[share.invoice] += share.left();
    m_key_plans[key_of(a.customer, a.currency)].push_back(m_plans.size());
    m_plans.push_back(std::move(plan));
  }
}

std::string Planner::plans_named(std::uint64_t key) const {
  std::vector<std::string_view> ids;
  if (const auto it = m_key_plans.find(key); it != m_key_plans.end())
    for (const auto k : it->second)
      ids.push_back(m_books.arrangements[m_plans[k].arrangement].id);
  if (ids.size() == 1)
    return fmt::format("plan {}", ids.front());
  const auto last = ids.empty() ? std::string_view() : ids.back();
  if (!ids.empty())
    ids.pop_back();
  return fmt::format("plans {} and {}", fmt::join(ids, ", "), last);
}

std::string Planner::missed_text(const DunningNotice& notice) const {
  // Each plan and instalment the items claim, in their order.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> missed;
  for (const auto& item : notice.items) {
    const auto which = std::pair(item.arrangement, item.installment);
    if (item.arrangement != k_none &&
        std::find(missed.begin(), missed.end(), which) == missed.end())
      missed.push_back(which);
  }
  std::string out;
  for (const auto& [arrangement, installment] : missed) {
    const auto& a = m_books.arrangements[arrangement];
    const auto plan = std::find_if(
        m_plans.begin(), m_plans.end(),
        [&](const PlanState& p) { return p.arrangement == arrangement; });
    const auto& i = plan->instalments[installment - 1];
    const auto cur = notice.currency;
    out += fmt::format("; plan {}: instalment {} of {} {}, due {}, missed ({} "
                       "{} unpaid)",
                       a.id, installment, cur.name(), money(i.amount, cur),
                       format_date(i.due), cur.name(),
                       money(i.amount - i.paid, cur));
  }
  return out;
}

int Planner::level_since(std::uint32_t invoice, Date since) const {
  int reached = -1;
  if (const auto it = m_plan_sent.find(invoice); it != m_plan_sent.end())
    for (const auto& [day, level] : it->second)
      if (!(day < since))
        reached = std::max(reached, level);
  return reached;
}

void Planner::add_shortfalls(std::uint64_t key, DunningNotice& notice,
                             int& disputed) const {
  const auto plans = m_key_plans.find(key);
  if (plans == m_key_plans.end())
    return;
  // What other items claim of each invoice already.
  std::unordered_map<std::uint32_t, std::int64_t> claimed;
  for (const auto& item : notice.items)
    claimed[item.invoice] += item.amount;
  const auto as_of = m_ledger.as_of;
  for (const auto k : plans->second) {
    const auto& plan = m_plans[k];
    for (const auto& s : plan_shortfalls(plan)) {
      const auto& state = m_ledger.invoices[s.invoice];
      const auto held = !state.disputed ? 0
                        : state.disputed_part > 0
                            ? std::min(state.open, state.disputed_part)
                            : state.open;
      auto& taken = claimed[s.invoice];
      const auto amount = std::min(s.amount, state.open - held - taken);
      if (amount <= 0) {
        ++disputed;
        continue;
      }
      taken += amount;
      const auto due = plan.instalments[s.installment - 1].due;
      notice.items.push_back({s.invoice, days_between(due, as_of), amount, 0,
                              due, plan.arrangement, s.installment});
    }
  }
}

void Planner::gather_sent() {
  for (std::uint32_t i = 0; i < m_books.notices.size(); ++i) {
    const auto& n = m_books.notices[i];
    if (m_ledger.as_of < n.date || n.customer >= m_selected.size() ||
        !m_selected[n.customer])
      continue;
    auto& last = m_sent.last[key_of(n.customer, n.currency)];
    if (last.notice == k_none || !(n.date < last.date))
      last = {n.date, i};
    const int level = level_index(n.level);
    for (const auto inv : n.invoices) {
      if (m_plan_left.contains(inv))
        m_plan_sent[inv].emplace_back(n.date, level);
      auto [it, added] = m_sent.level.try_emplace(inv, level);
      if (!added)
        it->second = std::max(it->second, level);
      if (n.interest > 0) {
        auto [d, fresh] = m_sent.interest_until.try_emplace(inv, n.date);
        if (!fresh && d->second < n.date)
          d->second = n.date;
      }
    }
  }
}

void Planner::gather_credit() {
  const auto add = [this](std::uint32_t customer, Currency currency,
                          std::int64_t left) {
    if (left > 0 && customer < m_selected.size() && m_selected[customer])
      m_credit[key_of(customer, currency)] += left;
  };
  for (std::uint32_t i = 0; i < m_books.payments.size(); ++i)
    if (const auto left = m_ledger.payments[i].left; left != 0)
      add(m_books.payments[i].customer, m_books.payments[i].currency, left);
  for (std::uint32_t i = 0; i < m_books.adjustments.size(); ++i)
    if (const auto left = m_ledger.credits[i].left; left != 0)
      add(m_books.adjustments[i].customer, m_books.adjustments[i].currency,
          left);
}

void Planner::decide(std::uint32_t customer, Currency currency,
                     std::span<const Open> open, DunningPlan& plan) {
  const auto as_of = m_ledger.as_of;
  const auto& c = m_books.customers[customer];
  if (!c.dunning)
    return skip(plan, customer, currency,
                "excluded from dunning (dunning = no in customers.csv)");
  if (m_policy.levels.empty())
    return skip(plan, customer, currency,
                "the books have no dunning levels ([dunning] in arctl.toml)");
  DunningNotice notice;
  notice.customer = customer;
  notice.currency = currency;
  int disputed = 0, in_grace = 0, in_plan = 0;
  for (const auto& o : open) {
    const auto& state = m_ledger.invoices[o.invoice];
    const auto& due = m_books.invoices[o.invoice].due;
    const int days = days_between(due, as_of);
    // What a plan covers is claimed only when an instalment is missed.
    const auto unplanned = state.open - planned(o.invoice);
    if (unplanned <= 0) {
      in_plan += days > m_policy.grace_days;
      continue;
    }
    if (days <= m_policy.grace_days) {
      in_grace += days > 0;
      continue;
    }
    auto amount = state.open;
    if (state.disputed) {
      amount -= state.disputed_part > 0
                    ? std::min(state.open, state.disputed_part)
                    : state.open;
      if (amount <= 0) {
        ++disputed;
        continue;
      }
    }
    notice.items.push_back({o.invoice, days, std::min(amount, unplanned), 0,
                            due});
  }
  const auto key = key_of(customer, currency);
  add_shortfalls(key, notice, disputed);
  std::stable_sort(notice.items.begin(), notice.items.end(),
                   [](const DunningItem& a, const DunningItem& b) {
                     return a.due < b.due;
                   });
  if (notice.items.empty()) {
    std::vector<std::string> why;
    if (disputed > 0)
      why.push_back(fmt::format("{} overdue invoice{} disputed", disputed,
                                disputed == 1 ? " is" : "s are"));
    if (in_grace > 0)
      why.push_back(fmt::format("{} late invoice{} within the grace of {} days",
                                in_grace, in_grace == 1 ? " is" : "s are",
                                m_policy.grace_days));
    if (in_plan > 0)
      why.push_back(fmt::format("{} overdue invoice{} in {}, with no "
                                "instalment missed",
                                in_plan, in_plan == 1 ? " is" : "s are",
                                plans_named(key)));
    return skip(plan, customer, currency,
                why.empty() ? std::string("nothing overdue")
                            : fmt::format("nothing to claim: {}",
                                          fmt::join(why, "; ")));
  }
  // Unapplied credit pays the oldest items first, as applying it would.
  const auto credit_it = m_credit.find(key);
  auto credit = credit_it == m_credit.end() ? 0 : credit_it->second;
  for (auto& item : notice.items) {
    const auto take = std::min(credit, item.amount);
    item.amount -= take;
    credit -= take;
    notice.credit += take;
  }
  std::erase_if(notice.items,
                [](const DunningItem& item) { return item.amount == 0; });
  if (notice.items.empty())
    return skip(plan, customer, currency,
                fmt::format("what is overdue is covered by unapplied credit "
                            "of {} {}",
                            currency.name(), money(notice.credit, currency)));
  for (const auto& item : notice.items)
    notice.overdue += item.amount;
  if (const auto least = minor_of(m_policy.minimum, currency);
      notice.overdue < least)
    return skip(plan, customer, currency,
                fmt::format("{} {} overdue, below the least worth a notice "
                            "({})",
                            currency.name(), money(notice.overdue, currency),
                            money(least, currency)));

  const auto sent = m_sent.last.find(key);
  const Notice* last = sent == m_sent.last.end()
                           ? nullptr
                           : &m_books.notices[sent->second.notice];
  // An open promise pauses dunning; a broken one, about items due by its
  // date and with no notice since, brings the next level at once.
  const Arrangement* broken = nullptr;
  std::int64_t arrived = 0;
  if (const auto p = m_promise.find(key); p != m_promise.end()) {
    const auto& state = m_promises[p->second];
    const auto& promise = m_books.arrangements[state.arrangement];
    if (state.status == PromiseStatus::open)
      return skip(plan, customer, currency,
                  fmt::format("promise {} to pay {} {} by {} is open ({} "
                              "arrived since {})",
                              promise.id, currency.name(),
                              money(promise.amount, currency),
                              format_date(promise.due),
                              money(state.arrived, currency),
                              format_date(promise.date)));
    if (state.status == PromiseStatus::broken &&
        !(promise.due < notice.items.front().due) &&
        (!last || !(promise.due < last->date))) {
      broken = &promise;
      arrived = state.arrived;
    }
  }
  if (last && last->date == as_of)
    return skip(plan, customer, currency,
                fmt::format("notice {} was sent today", last->id));
  int reached = -1; // the highest level sent about any of these items
  for (const auto& item : notice.items)
    if (item.arrangement != k_none)
      reached = std::max(
          reached, level_since(item.invoice,
                               m_books.arrangements[item.arrangement].date));
    else if (const auto it = m_sent.level.find(item.invoice);
             it != m_sent.level.end())
      reached = std::max(reached, it->second);
  const auto next = static_cast<std::size_t>(reached + 1);
  if (next >= m_policy.levels.size())
    return skip(plan, customer, currency,
                fmt::format("the last level, '{}', has been sent about "
                            "these items; what follows is for a person",
                            m_policy.levels.back().name));
  const auto& level = m_policy.levels[next];
  const int oldest = notice.items.front().days_past_due;
  if (oldest < level.days && !broken)
    return skip(plan, customer, currency,
                fmt::format("the oldest item is {} days past due; '{}' starts "
                            "at {}",
                            oldest, level.name, level.days));
  if (const auto least = minor_of(level.minimum, currency);
      notice.overdue < least)
    return skip(plan, customer, currency,
                fmt::format("{} {} overdue; '{}' starts at {}", currency.name(),
                            money(notice.overdue, currency), level.name,
                            money(least, currency)));
  std::string since;
  if (last && !broken) {
    const int waited = days_between(last->date, as_of);
    if (waited < level.wait)
      return skip(plan, customer, currency,
                  fmt::format("'{}' was sent on {}; '{}' waits {} days after "
                              "it, until {}",
                              last->level, format_date(last->date), level.name,
                              level.wait,
                              format_date(add_days(last->date, level.wait))));
    since = fmt::format("; {} days since '{}' on {} (wait {})", waited,
                        last->level, format_date(last->date), level.wait);
  }
  notice.level = next;
  notice.fee = minor_of(level.fee, currency);
  for (auto& item : notice.items) {
    const auto& inv = m_books.invoices[item.invoice];
    // Fees and interest are charged on fee invoices; charging interest on
    // them would be interest on interest.
    if (match_number(m_books.config.numbering.fee, inv.id,
                     static_cast<int>(inv.date.year())))
      continue;
    const auto& due = item.due;
    auto from = due;
    if (const auto it = m_sent.interest_until.find(item.invoice);
        it != m_sent.interest_until.end() && due < it->second)
      from = it->second;
    item.interest =
        interest_of(item.amount, level.interest, days_between(from, as_of));
    notice.interest += item.interest;
  }
  notice.reason =
      broken ? fmt::format("promise {} to pay {} {} by {} was broken ({} "
                           "arrived); '{}' follows at once, its days and "
                           "wait waived; {} {} overdue",
                           broken->id, currency.name(),
                           money(broken->amount, currency),
                           format_date(broken->due), money(arrived, currency),
                           level.name, currency.name(),
                           money(notice.overdue, currency))
             : fmt::format("the oldest item is {} days past due ('{}' from "
                           "{}); {} {} overdue{}",
                           oldest, level.name, level.days, currency.name(),
                           money(notice.overdue, currency), since);
  notice.reason += missed_text(notice);
  plan.notices.push_back(std::move(notice));
}

DunningPlan Planner::run() {
  gather_arrangements();
  gather_sent();
  gather_credit();
  // Open invoices of the selected customers, by customer and currency,
  // the oldest due first.
  std::vector<Open> open;
  for (std::uint32_t i = 0; i < m_books.invoices.size(); ++i) {
    const auto& state = m_ledger.invoices[i];
    if (!state.issued || state.void_ || state.open <= 0)
      continue;
    const auto customer = m_books.invoices[i].customer;
    if (customer < m_selected.size() && m_selected[customer])
      open.push_back({customer, i});
  }
  const auto& inv = m_books.invoices;
  std::sort(open.begin(), open.end(), [&](const Open& a, const Open& b) {
    if (a.customer != b.customer)
      return a.customer < b.customer;
    const auto &x = inv[a.invoice], &y = inv[b.invoice];
    if (x.currency != y.currency)
      return x.currency.name() < y.currency.name();
    if (x.due != y.due)
      return x.due < y.due;
    return a.invoice < b.invoice;
  });
  DunningPlan plan;
  plan.as_of = m_ledger.as_of;
  std::vector<bool> seen(m_books.customers.size(), false);
  for (std::size_t at = 0; at < open.size();) {
    const auto customer = open[at].customer;
    const auto currency = inv[open[at].invoice].currency;
    auto end = at;
    while (end < open.size() && open[end].customer == customer &&
           inv[open[end].invoice].currency == currency)
      ++end;
    decide(customer, currency,
           std::span<const Open>(open).subspan(at, end - at), plan);
    seen[customer] = true;
    at = end;
  }
  if (m_request.explain)
    for (std::uint32_t c = 0; c < m_selected.size(); ++c)
      if (m_selected[c] && !seen[c])
        decide(c, m_books.customers[c].currency, {}, plan);
  const auto by_id = [this](std::uint32_t a, std::uint32_t b) {
    return m_books.customers[a].id < m_books.customers[b].id;
  };
  std::stable_sort(plan.notices.begin(), plan.notices.end(),
                   [&](const DunningNotice& a, const DunningNotice& b) {
                     return by_id(a.customer, b.customer);
                   });
  std::stable_sort(plan.skipped.begin(), plan.skipped.end(),
                   [&](const DunningSkip& a, const DunningSkip& b) {
                     return by_id(a.customer, b.customer);
                   });
  return plan;
}

} // namespace

DunningPlan plan_dunning(const Books& books, const Ledger& ledger,
                         const DunningRequest& request) {
  return Planner(books, ledger, request).run();
}

// ---- rendering -------------------------------------------------------------------

TableData dunning_table(const Books& books, const DunningPlan& plan) {
  TableData t;
  t.columns = {{"customer", false},      {"name", false},
               {"currency", false},      {"level", false},
               {"invoice", false},       {"due", false},
               {"days_past_due", true},  {"amount", true},
               {"interest", true},       {"fee", true},
               {"notice_total", true}};
  const auto& levels = books.config.dunning.levels;
  for (const auto& n : plan.notices) {
    const auto& c = books.customers[n.customer];
    const auto plain = [&](std::int64_t v) {
      return format_minor_units(v, n.currency.exponent);
    };
    for (const auto& item : n.items) {
      const auto& inv = books.invoices[item.invoice];
      t.rows.push_back({std::string(c.id), std::string(c.name),
                        std::string(n.currency.name()), levels[n.level].name,
                        std::string(inv.id), format_date(item.due),
                        std::to_string(item.days_past_due), plain(item.amount),
                        plain(item.interest), plain(n.fee),
                        plain(n.overdue + n.fee + n.interest)});
    }
  }
  return t;
}

std::string dunning_text(const Books& books, const DunningPlan& plan) {
  const auto& levels = books.config.dunning.levels;
  std::string out;
  if (plan.notices.empty() && plan.skipped.empty())
    out += fmt::format("No notice is due as of {}.\n", format_date(plan.as_of));
  for (const auto& n : plan.notices) {
    const auto& c = books.customers[n.customer];
    const auto cur = n.currency;
    out += fmt::format("{}{} {}: '{}', {} {} overdue", out.empty() ? "" : "\n",
                       c.id, c.name, levels[n.level].name, cur.name(),
                       money(n.overdue, cur));
    if (n.fee > 0)
      out += fmt::format(", fee {}", money(n.fee, cur));
    if (n.interest > 0)
      out += fmt::format(", interest {}", money(n.interest, cur));
    if (n.credit > 0)
      out += fmt::format(", after unapplied credit of {}", money(n.credit, cur));
    out += fmt::format("\n  because {}\n", n.reason);
    TableData t;
    t.columns = {{"invoice", false},
                 {"due", false},
                 {"days past due", true},
                 {"amount", true},
                 {"interest", true}};
    for (const auto& item : n.items) {
      const auto& inv = books.invoices[item.invoice];
      t.rows.push_back({std::string(inv.id), format_date(item.due),
                        std::to_string(item.days_past_due),
                        money(item.amount, cur), money(item.interest, cur)});
    }
    append_indented(out, render(t, Format::table));
  }
  for (const auto& s : plan.skipped) {
    const auto& c = books.customers[s.customer];
    out += fmt::format("{}{} {} ({}): no notice today: {}\n",
                       out.empty() ? "" : "\n", c.id, c.name, s.currency.name(),
                       s.reason);
  }
  return out;
}

std::string dunning_json(const Books& books, const DunningPlan& plan) {
  const auto& levels = books.config.dunning.levels;
  // Amounts as JSON numbers written from their exact decimals.
  std::string out = fmt::format("{{\n  \"as_of\": \"{}\",\n  \"notices\": [",
                                format_date(plan.as_of));
  for (std::size_t k = 0; k < plan.notices.size(); ++k) {
    const auto& n = plan.notices[k];
    const auto plain = [&](std::int64_t v) {
      return format_minor_units(v, n.currency.exponent);
    };
    const auto& c = books.customers[n.customer];
    const auto& level = levels[n.level];
    out += fmt::format(
        "{}\n    {{\"customer\": {}, \"name\": {}, \"currency\": \"{}\", "
        "\"level\": {}, \"letter\": {}, \"overdue\": {}, \"credit\": {}, "
        "\"fee\": {}, \"interest\": {}, \"total\": {}, \"reason\": {}, "
        "\"items\": [",
        k ? "," : "", json_string(c.id), json_string(c.name),
        n.currency.name(), json_string(level.name), json_string(level.letter),
        plain(n.overdue), plain(n.credit), plain(n.fee), plain(n.interest),
        plain(n.overdue + n.fee + n.interest), json_string(n.reason));
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      const auto& item = n.items[i];
      const auto& inv = books.invoices[item.invoice];
      out += fmt::format(
          "{}\n      {{\"invoice\": {}, \"due\": \"{}\", "
          "\"days_past_due\": {}, \"amount\": {}, \"interest\": {}",
          i ? "," : "", json_string(inv.id), format_date(item.due),
          item.days_past_due, plain(item.amount), plain(item.interest));
      if (item.arrangement != k_none)
        out += fmt::format(", \"plan\": {}, \"installment\": {}",
                           json_string(books.arrangements[item.arrangement].id),
                           item.installment);
      out += "}";
    }
    out += "\n    ]}";
  }
  out += plan.notices.empty() ? "]" : "\n  ]";
  if (!plan.skipped.empty()) {
    out += ",\n  \"skipped\": [";
    for (std::size_t k = 0; k < plan.skipped.size(); ++k) {
      const auto& s = plan.skipped[k];
      out += fmt::format(
          "{}\n    {{\"customer\": {}, \"currency\": \"{}\", \"reason\": {}}}",
          k ? "," : "", json_string(books.customers[s.customer].id),
          s.currency.name(), json_string(s.reason));
    }
    out += "\n  ]";
  }
  return out + "\n}\n";
}

} // namespace arctl
