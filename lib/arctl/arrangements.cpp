#include "arctl/arrangements.hpp"

#include "arctl/csv.hpp"
#include "arctl/numbering.hpp"
#include "arctl/rows.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <unordered_map>

namespace arctl {

namespace {

std::unexpected<Error> usage(std::string_view option, std::string message) {
  return fail(ExitCode::usage, fmt::format("{}: {}", option, message));
}

std::string money(std::int64_t minor, Currency c) {
  return Money(minor, c).to_display();
}

std::string plain(std::int64_t minor, Currency c) {
  return format_minor_units(minor, c.exponent);
}

// Where the fact at (date, index in its file) comes before another: in
// date order, file order within a day.
bool earlier(Date a_date, std::uint32_t a, Date b_date, std::uint32_t b) {
  return a_date != b_date ? a_date < b_date : a < b;
}

} // namespace

// ---- schedules ---------------------------------------------------------------

std::vector<std::int64_t> instalment_amounts(std::int64_t amount,
                                             std::uint32_t n) {
  if (n == 0)
    return {};
  std::vector<std::int64_t> out(n, amount / n);
  out.back() = amount - (amount / n) * (n - 1);
  return out;
}

std::string_view to_string(Instalment::Status s) {
  switch (s) {
  case Instalment::Status::paid: return "paid";
  case Instalment::Status::due: return "due";
  case Instalment::Status::missed: return "missed";
  }
  return {};
}

std::vector<Instalment> plan_schedule(const Arrangement& a) {
  const auto amounts = instalment_amounts(a.amount, a.installments);
  std::vector<Instalment> out;
  for (std::uint32_t k = 0; k < amounts.size(); ++k) {
    Instalment i;
    i.due = step(a.due, a.every, k);
    i.amount = amounts[k];
    out.push_back(i);
  }
  return out;
}

// ---- where arrangements stand ------------------------------------------------

std::vector<PromiseState>
promise_states(const Books& books, const Ledger& ledger,
               std::span<const std::uint32_t> promises) {
  std::vector<PromiseState> out;
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> by_customer;
  for (const auto p : promises) {
    by_customer[books.arrangements[p].customer].push_back(out.size());
    out.push_back({p, PromiseStatus::open, 0, std::nullopt});
  }
  // The payments that count, per promise, to find the day they reached
  // the amount.
  std::vector<std::vector<std::pair<Date, std::int64_t>>> arrived(out.size());
  for (std::uint32_t i = 0; i < books.payments.size(); ++i) {
    const auto& pay = books.payments[i];
    const auto it = by_customer.find(pay.customer);
    if (it == by_customer.end() || ledger.as_of < pay.date ||
        ledger.payments[i].reversed)
      continue;
    for (const auto k : it->second) {
      const auto& a = books.arrangements[out[k].arrangement];
      if (pay.currency == a.currency && !(pay.date < a.date) &&
          !(a.due < pay.date))
        arrived[k].emplace_back(pay.date, pay.amount);
    }
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    auto& state = out[k];
    const auto& a = books.arrangements[state.arrangement];
    std::stable_sort(arrived[k].begin(), arrived[k].end(),
                     [](const auto& x, const auto& y) {
                       return x.first < y.first;
                     });
    for (const auto& [day, amount] : arrived[k]) {
      state.arrived += amount;
      if (!state.kept_on && state.arrived >= a.amount)
        state.kept_on = day;
    }
    if (!(a.due < ledger.as_of))
      state.status = PromiseStatus::open;
    else
      state.status =
          state.kept_on ? PromiseStatus::kept : PromiseStatus::broken;
  }
  return out;
}

bool PlanState::missed() const {
  return std::any_of(instalments.begin(), instalments.end(),
                     [](const Instalment& i) {
                       return i.status == Instalment::Status::missed;
                     });
}

bool PlanState::complete() const {
  return std::all_of(instalments.begin(), instalments.end(),
                     [](const Instalment& i) {
                       return i.status == Instalment::Status::paid;
                     });
}

namespace {

// A change of an invoice's open amount after a plan's date: `amount` less
// open (negative: an application undone).
struct Reduction {
  Date date;
  std::size_t share = 0;
  std::int64_t amount = 0;
};

// The later plan that supersedes plan `p`, or k_none.
std::uint32_t superseding(const Books& books, const Ledger& ledger,
                          std::uint32_t p) {
  const auto& a = books.arrangements[p];
  std::uint32_t found = k_none;
  for (std::uint32_t q = 0; q < books.arrangements.size(); ++q) {
    const auto& b = books.arrangements[q];
    if (b.kind != ArrangementKind::plan || b.customer != a.customer ||
        ledger.as_of < b.date || !earlier(a.date, p, b.date, q))
      continue;
    if (found != k_none &&
        !earlier(b.date, q, books.arrangements[found].date, found))
      continue;
    const bool shared = std::any_of(
        b.invoices.begin(), b.invoices.end(), [&](std::uint32_t inv) {
          return std::find(a.invoices.begin(), a.invoices.end(), inv) !=
                 a.invoices.end();
        });
    if (shared)
      found = q;
  }
  return found;
}

// The plan's paid amount after the reductions so far: each share's
// reduction counts from nothing up to what the plan covers of it.
std::int64_t paid_toward(std::span<const PlanShare> shares,
                         std::span<const std::int64_t> reduced) {
  std::int64_t paid = 0;
  for (std::size_t s = 0; s < shares.size(); ++s)
    paid += std::clamp<std::int64_t>(reduced[s], 0, shares[s].covered);
  return paid;
}

} // namespace

std::vector<PlanState> plan_states(const Books& books, const Ledger& ledger,
                                   std::span<const std::uint32_t> plans) {
  std::vector<PlanState> out;
  // Each plan's invoices' open amounts on its date, and what changed them
  // after it, from one pass over the applications and adjustments.
  std::vector<std::vector<std::int64_t>> open_then;
  std::vector<std::vector<Reduction>> later;
  std::unordered_map<std::uint32_t,
                     std::vector<std::pair<std::size_t, std::size_t>>>
      where; // invoice -> (plan, share)
  for (const auto p : plans) {
    const auto& a = books.arrangements[p];
    PlanState state;
    state.arrangement = p;
    state.superseded_by = superseding(books, ledger, p);
    state.instalments = plan_schedule(a);
    std::vector<std::int64_t> open;
    for (std::size_t s = 0; s < a.invoices.size(); ++s) {
      state.shares.push_back({a.invoices[s], 0, 0});
      open.push_back(books.invoices[a.invoices[s]].total);
      where[a.invoices[s]].emplace_back(out.size(), s);
    }
    out.push_back(std::move(state));
    open_then.push_back(std::move(open));
    later.emplace_back();
  }
  const auto reduce = [&](std::uint32_t invoice, Date day,
                          std::int64_t amount) {
    const auto it = where.find(invoice);
    if (it == where.end() || ledger.as_of < day)
      return;
    for (const auto& [plan, share] : it->second) {
      if (day <= books.arrangements[out[plan].arrangement].date)
        open_then[plan][share] -= amount;
      else
        later[plan].push_back({day, share, amount});
    }
  };
  if (!where.empty()) {
    for (const auto& x : books.allocations)
      reduce(x.invoice, x.date, x.amount);
    for (const auto& j : books.adjustments) {
      if (j.kind == AdjustmentKind::discount ||
          j.kind == AdjustmentKind::writeoff)
        reduce(j.invoice, j.date, j.amount.value_or(0));
      else if (j.kind == AdjustmentKind::void_)
        // Only an invoice with nothing applied can be voided: all of it
        // was open.
        reduce(j.invoice, j.date, books.invoices[j.invoice].total);
    }
  }

  const auto grace = books.config.dunning.grace_days;
  for (std::size_t k = 0; k < out.size(); ++k) {
    auto& plan = out[k];
    const auto& a = books.arrangements[plan.arrangement];
    // The plan covers its invoices the oldest due first.
    std::vector<std::size_t> order(plan.shares.size());
    for (std::size_t s = 0; s < order.size(); ++s)
      order[s] = s;
    std::stable_sort(order.begin(), order.end(), [&](auto x, auto y) {
      return books.invoices[plan.shares[x].invoice].due <
             books.invoices[plan.shares[y].invoice].due;
    });
    std::vector<PlanShare> shares;
    std::vector<std::size_t> position(order.size());
    auto rest = a.amount;
    for (const auto s : order) {
      position[s] = shares.size();
      const auto covered = std::clamp<std::int64_t>(open_then[k][s], 0, rest);
      rest -= covered;
      shares.push_back({plan.shares[s].invoice, covered, 0});
    }
    plan.shares = std::move(shares);

    // The plan's payments day by day: when each instalment was first
    // covered, and what was paid on the day each one was missed.
    auto& steps = later[k];
    std::stable_sort(steps.begin(), steps.end(),
                     [](const Reduction& x, const Reduction& y) {
                       return x.date < y.date;
                     });
    std::vector<std::int64_t> reduced(plan.shares.size(), 0);
    std::vector<std::int64_t> cumulative;
    std::int64_t sum = 0;
    for (const auto& i : plan.instalments)
      cumulative.push_back(sum += i.amount);
    const auto paid_by = [&](Date day) {
      std::vector<std::int64_t> r(plan.shares.size(), 0);
      for (const auto& x : steps)
        if (x.date <= day)
          r[position[x.share]] += x.amount;
      return paid_toward(plan.shares, r);
    };
    for (std::size_t at = 0; at < steps.size();) {
      const auto day = steps[at].date;
      for (; at < steps.size() && steps[at].date == day; ++at)
        reduced[position[steps[at].share]] += steps[at].amount;
      const auto paid = paid_toward(plan.shares, reduced);
      for (std::size_t i = 0; i < plan.instalments.size(); ++i) {
        auto& due = plan.instalments[i];
        if (paid < cumulative[i])
          due.paid_on.reset();
        else if (!due.paid_on)
          due.paid_on = day;
      }
    }
    for (std::size_t s = 0; s < plan.shares.size(); ++s)
      plan.shares[s].paid =
          std::clamp<std::int64_t>(reduced[s], 0, plan.shares[s].covered);
    plan.paid = paid_toward(plan.shares, reduced);
    for (std::size_t i = 0; i < plan.instalments.size(); ++i) {
      auto& due = plan.instalments[i];
      const auto before = i == 0 ? 0 : cumulative[i - 1];
      due.paid = std::clamp<std::int64_t>(plan.paid - before, 0, due.amount);
      const auto missed = add_days(due.due, grace + 1);
      if (!(ledger.as_of < missed) && paid_by(missed) < cumulative[i])
        due.missed_on = missed;
      if (plan.paid >= cumulative[i])
        due.status = Instalment::Status::paid;
      else if (add_days(due.due, grace) < ledger.as_of)
        due.status = Instalment::Status::missed;
      else
        due.status = Instalment::Status::due;
    }
  }
  return out;
}

std::vector<Shortfall> plan_shortfalls(const PlanState& plan) {
  std::vector<Shortfall> out;
  std::vector<std::int64_t> left;
  for (const auto& s : plan.shares)
    left.push_back(s.left());
  for (std::size_t k = 0; k < plan.instalments.size(); ++k) {
    const auto& i = plan.instalments[k];
    if (i.status != Instalment::Status::missed)
      continue;
    auto unpaid = i.amount - i.paid;
    for (std::size_t s = 0; s < left.size() && unpaid > 0; ++s) {
      const auto take = std::min(unpaid, left[s]);
      if (take <= 0)
        continue;
      out.push_back({static_cast<std::uint32_t>(k + 1), plan.shares[s].invoice,
                     take});
      left[s] -= take;
      unpaid -= take;
    }
  }
  return out;
}

// ---- making them ---------------------------------------------------------------

namespace {

// The next arrangement id of the books' pattern for a date.
std::string next_arrangement_id(const Books& books, Date date) {
  const auto& pattern = books.config.numbering.arrangement;
  const int year = static_cast<int>(date.year());
  std::uint64_t highest = 0;
  for (const auto& a : books.arrangements)
    if (const auto seq = match_number(pattern, a.id, year);
        seq && *seq > highest)
      highest = *seq;
  return format_number(pattern, year, highest + 1);
}

// Appends an arrangement of `kind` to arrangements.csv, creating the file
// with its header in books that lack it. The summary is its kind, its new
// id and `what`.
Result<PlannedChange> append_arrangement(const Books& books,
                                         ArrangementKind kind,
                                         std::vector<FieldValue> values,
                                         Date date, std::string_view what) {
  if (auto open = check_open_period(books.dir, books.config.lock_date, date);
      !open)
    return std::unexpected(std::move(open.error()));
  const auto id = next_arrangement_id(books, date);
  values.push_back({"id", id});
  values.push_back({"date", format_date(date)});
  values.push_back({"kind", std::string(to_string(kind))});
  PlannedChange plan;
  const auto& s = schema(Table::arrangements);
  std::error_code ec;
  if (std::filesystem::exists(books.dir.file(s.file), ec)) {
    if (auto ok = RecordAppender(books.dir, plan)
                      .append(Table::arrangements, values, date);
        !ok)
      return std::unexpected(std::move(ok.error()));
  } else {
    TableHeader header{Table::arrangements, books.dir.shown(s.file),
                       {s.columns.begin(), s.columns.end()}};
    auto record = format_record(header, values);
    if (!record)
      return std::unexpected(std::move(record.error()));
    plan.added.push_back(record->substr(0, record->size() - 1));
    plan.change.create(std::string(s.file), header_line(s.table) + *record);
  }
  plan.ids.push_back(id);
  plan.summary = fmt::format("{} {} {}", to_string(kind), id, what);
  return plan;
}

// The customer's arrangements of `kind` dated on or before `date`, and the
// first one dated after it, which makes `date` too early.
struct Existing {
  std::vector<std::uint32_t> before;
  std::optional<std::uint32_t> after;
};

Existing existing(const Books& books, std::uint32_t customer,
                  ArrangementKind kind, Date date) {
  Existing out;
  for (std::uint32_t i = 0; i < books.arrangements.size(); ++i) {
    const auto& a = books.arrangements[i];
    if (a.customer != customer || a.kind != kind)
      continue;
    if (date < a.date) {
      if (!out.after)
        out.after = i;
    } else {
      out.before.push_back(i);
    }
  }
  return out;
}

Result<void> in_date_order(const Books& books, const Existing& e, Date date) {
  if (!e.after)
    return {};
  const auto& a = books.arrangements[*e.after];
  return fail(ExitCode::data,
              fmt::format("{} {} of {} is dated {}, after {}; arrangements "
                          "are recorded in date order",
                          to_string(a.kind), a.id,
                          books.customers[a.customer].id, format_date(a.date),
                          format_date(date)));
}

} // namespace

Result<PlannedChange> plan_promise(const Books& books,
                                   const PromiseRequest& request) {
  const auto customer = books.find_customer(request.customer);
  if (!customer)
    return fail(ExitCode::data,
                fmt::format("unknown customer \"{}\"", request.customer));
  const auto& c = books.customers[*customer];
  const auto amount = Money::parse(request.amount, c.currency);
  if (!amount)
    return usage("--amount", amount.error().message);
  if (amount->minor() <= 0)
    return usage("--amount", "a promise is to pay an amount more than zero");
  if (request.by < request.date)
    return usage("--by", fmt::format("{} is before the promise's date {}",
                                     format_date(request.by),
                                     format_date(request.date)));
  if (auto why = utf8_problem(request.note))
    return usage("--note", *why);

  const auto before = existing(books, *customer, ArrangementKind::promise,
                               request.date);
  if (auto ok = in_date_order(books, before, request.date); !ok)
    return std::unexpected(std::move(ok.error()));
  std::vector<std::uint32_t> open;
  for (const auto p : before.before)
    if (!(books.arrangements[p].due < request.date))
      open.push_back(p);
  if (!open.empty()) {
    const auto ledger = compute_ledger(books, request.date);
    for (const auto& state : promise_states(books, ledger, open)) {
      const auto& p = books.arrangements[state.arrangement];
      if (state.arrived < p.amount)
        return fail(ExitCode::data,
                    fmt::format("customer {} has promised already: {} to pay "
                                "{} {} by {}, of which {} has arrived",
                                c.id, p.id, p.currency.name(),
                                money(p.amount, p.currency), format_date(p.due),
                                money(state.arrived, p.currency)));
    }
  }
  return append_arrangement(
      books, ArrangementKind::promise,
      {{"customer", std::string(c.id)},
       {"currency", std::string(c.currency.name())},
       {"amount", amount->to_string()},
       {"due", format_date(request.by)},
       {"note", request.note}},
      request.date,
      fmt::format("of {}: {} {} by {}", c.id, c.currency.name(),
                  amount->to_display(), format_date(request.by)));
}

Result<PlannedChange> plan_installments(const Books& books,
                                        const PlanRequest& request) {
  const auto customer = books.find_customer(request.customer);
  if (!customer)
    return fail(ExitCode::data,
                fmt::format("unknown customer \"{}\"", request.customer));
  const auto& c = books.customers[*customer];
  const auto cur = c.currency;
  if (request.installments < 1 ||
      request.installments > static_cast<int>(k_max_installments))
    return usage("--installments",
                 fmt::format("{} is not a number of instalments from 1 to {}",
                             request.installments, k_max_installments));
  const auto every = parse_interval(request.every);
  if (!every)
    return usage("--every",
                 every.error().message + "; " + every.error().hint);
  if (!(request.date < request.first))
    return usage("--first",
                 fmt::format("the first instalment falls due after the "
                             "plan's date {}, not on {}",
                             format_date(request.date),
                             format_date(request.first)));
  if (request.amount.has_value() == !request.invoices.empty())
    return usage("--amount",
                 "give either --amount or --invoices: what the plan pays");
  if (auto why = utf8_problem(request.note))
    return usage("--note", *why);
  std::optional<Money> asked;
  if (request.amount) {
    auto m = Money::parse(*request.amount, cur);
    if (!m)
      return usage("--amount", m.error().message);
    if (m->minor() <= 0)
      return usage("--amount", "a plan pays an amount more than zero");
    asked = *m;
  }

  const auto before =
      existing(books, *customer, ArrangementKind::plan, request.date);
  if (auto ok = in_date_order(books, before, request.date); !ok)
    return std::unexpected(std::move(ok.error()));
  const auto ledger = compute_ledger(books, request.date);
  // Invoices in a plan in good standing with something left to pay.
  std::unordered_map<std::uint32_t, std::uint32_t> in_plan;
  for (const auto& plan : plan_states(books, ledger, before.before))
    if (plan.good_standing() && !plan.complete())
      for (const auto& s : plan.shares)
        in_plan.emplace(s.invoice, plan.arrangement);

  // Why an invoice of the customer cannot go into a plan, if it cannot.
  const auto refused = [&](std::uint32_t i) -> std::optional<std::string> {
    const auto& inv = books.invoices[i];
    const auto& state = ledger.invoices[i];
    if (!state.issued)
      return fmt::format("invoice {} is dated {}, after the plan",
                         inv.id, format_date(inv.date));
    if (state.void_)
      return fmt::format("invoice {} is void", inv.id);
    if (state.open <= 0)
      return fmt::format("invoice {} has nothing open", inv.id);
    if (state.disputed)
      return fmt::format("invoice {} is disputed", inv.id);
    if (const auto it = in_plan.find(i); it != in_plan.end())
      return fmt::format("invoice {} is in plan {}, in good standing", inv.id,
                         books.arrangements[it->second].id);
    return std::nullopt;
  };

  std::vector<std::uint32_t> invoices;
  std::int64_t total = 0;
  if (!asked) {
    for (const auto& id : request.invoices) {
      const auto ref = books.find_document(id);
      if (!ref.valid() || ref.kind != DocKind::invoice)
        return fail(ExitCode::data,
                    fmt::format("--invoices: unknown invoice \"{}\"", id));
      if (std::find(invoices.begin(), invoices.end(), ref.index) !=
          invoices.end())
        return usage("--invoices", fmt::format("{} is given twice", id));
      const auto& inv = books.invoices[ref.index];
      if (inv.customer != *customer)
        return fail(ExitCode::data,
                    fmt::format("--invoices: invoice {} is {}'s, not {}'s",
                                inv.id, books.customers[inv.customer].id,
                                c.id));
      if (auto why = refused(ref.index))
        return fail(ExitCode::data, "--invoices: " + *why);
      invoices.push_back(ref.index);
      total += ledger.invoices[ref.index].open;
    }
  } else {
    // The customer's overdue invoices, the oldest due first.
    std::vector<std::uint32_t> overdue;
    for (std::uint32_t i = 0; i < books.invoices.size(); ++i)
      if (books.invoices[i].customer == *customer &&
          books.invoices[i].due < request.date && !refused(i))
        overdue.push_back(i);
    std::stable_sort(overdue.begin(), overdue.end(), [&](auto x, auto y) {
      return books.invoices[x].due < books.invoices[y].due;
    });
    for (const auto i : overdue) {
      if (total >= asked->minor())
        break;
      invoices.push_back(i);
      total += ledger.invoices[i].open;
    }
    if (total < asked->minor())
      return fail(ExitCode::data,
                  fmt::format("--amount: {} {} is more than the {} {} of {} "
                              "that is overdue and can go in a plan",
                              cur.name(), asked->to_display(), cur.name(),
                              money(total, cur), c.id));
    total = asked->minor();
  }
  if (total / request.installments <= 0)
    return usage("--installments",
                 fmt::format("{} {} in {} instalments is less than the least "
                             "amount of {} each",
                             cur.name(), money(total, cur),
                             request.installments, plain(1, cur)));
  std::vector<std::string_view> ids;
  for (const auto i : invoices)
    ids.push_back(books.invoices[i].id);
  const auto amounts = instalment_amounts(
      total, static_cast<std::uint32_t>(request.installments));
  return append_arrangement(
      books, ArrangementKind::plan,
      {{"customer", std::string(c.id)},
       {"currency", std::string(cur.name())},
       {"amount", plain(total, cur)},
       {"due", format_date(request.first)},
       {"installments", std::to_string(request.installments)},
       {"every", every->to_string()},
       {"invoices", fmt::format("{}", fmt::join(ids, ";"))},
       {"note", request.note}},
      request.date,
      fmt::format("of {}: {} {} in {} instalment{} of {}{} from {}, "
                  "every {}",
                  c.id, cur.name(), money(total, cur), request.installments,
                  request.installments == 1 ? "" : "s",
                  money(amounts.front(), cur),
                  amounts.back() == amounts.front()
                      ? std::string()
                      : fmt::format(" (the last {})",
                                    money(amounts.back(), cur)),
                  format_date(request.first), every->to_string()));
}

// ---- reports -------------------------------------------------------------------

std::vector<PlanState> customer_plans(const Books& books, const Ledger& ledger,
                                      std::uint32_t customer) {
  std::vector<std::uint32_t> plans;
  for (std::uint32_t i = 0; i < books.arrangements.size(); ++i) {
    const auto& a = books.arrangements[i];
    if (a.customer == customer && a.kind == ArrangementKind::plan &&
        !(ledger.as_of < a.date))
      plans.push_back(i);
  }
  std::stable_sort(plans.begin(), plans.end(), [&](auto x, auto y) {
    return books.arrangements[x].date < books.arrangements[y].date;
  });
  return plan_states(books, ledger, plans);
}

std::string plan_status_text(const Books& books, const PlanState& plan) {
  if (!plan.active())
    return fmt::format("superseded by {}",
                       books.arrangements[plan.superseded_by].id);
  if (plan.complete())
    return "complete";
  if (plan.missed())
    return "instalment missed";
  return "in good standing";
}

TableData plans_table(const Books& books, std::span<const PlanState> plans) {
  TableData t;
  t.columns = {{"plan", false},        {"date", false},
               {"currency", false},    {"plan_status", false},
               {"installment", true},  {"due", false},
               {"amount", true},       {"paid", true},
               {"status", false}};
  for (const auto& plan : plans) {
    const auto& a = books.arrangements[plan.arrangement];
    const auto status = plan_status_text(books, plan);
    for (std::size_t k = 0; k < plan.instalments.size(); ++k) {
      const auto& i = plan.instalments[k];
      t.rows.push_back({std::string(a.id), format_date(a.date),
                        std::string(a.currency.name()), status,
                        std::to_string(k + 1), format_date(i.due),
                        plain(i.amount, a.currency), plain(i.paid, a.currency),
                        std::string(to_string(i.status))});
    }
  }
  return t;
}

std::string plans_text(const Books& books, std::span<const PlanState> plans) {
  std::string out;
  for (const auto& plan : plans) {
    const auto& a = books.arrangements[plan.arrangement];
    const auto cur = a.currency;
    std::vector<std::string> covered;
    for (const auto& s : plan.shares)
      covered.push_back(fmt::format("{} {}", books.invoices[s.invoice].id,
                                    money(s.covered, cur)));
    out += fmt::format(
        "{}{} of {}: {} {} in {} instalment{} every {}, paid {}; {}\n"
        "  over {}\n",
        out.empty() ? "" : "\n", a.id, format_date(a.date), cur.name(),
        money(a.amount, cur), a.installments, a.installments == 1 ? "" : "s",
        a.every.to_string(), money(plan.paid, cur),
        plan_status_text(books, plan), fmt::join(covered, ", "));
    if (!a.note.empty())
      out += fmt::format("  note: {}\n", a.note);
    TableData t;
    t.columns = {{"instalment", true},
                 {"due", false},
                 {"amount", true},
                 {"paid", true},
                 {"status", false}};
    for (std::size_t k = 0; k < plan.instalments.size(); ++k) {
      const auto& i = plan.instalments[k];
      t.rows.push_back({std::to_string(k + 1), format_date(i.due),
                        money(i.amount, cur), money(i.paid, cur),
                        std::string(to_string(i.status))});
    }
    append_indented(out, render(t, Format::table));
  }
  return out;
}

TableData dunning_history(const Books& books, const Ledger& ledger,
                          std::uint32_t customer) {
  struct Entry {
    Date date;
    std::vector<std::string> cells; // event, reference, currency, amount,
                                    // detail
  };
  std::vector<Entry> entries;
  // `cur` may be empty: holds and releases are about no currency.
  const auto add = [&](Date day, std::string event, std::string_view ref,
                       std::string_view cur, std::string amount,
                       std::string detail) {
    if (!(ledger.as_of < day))
      entries.push_back({day,
                         {std::move(event), std::string(ref), std::string(cur),
                          std::move(amount), std::move(detail)}});
  };
  const auto noted = [](std::string text, std::string_view note) {
    return note.empty() ? text : fmt::format("{}; {}", text, note);
  };

  std::vector<std::uint32_t> promises;
  for (std::uint32_t i = 0; i < books.arrangements.size(); ++i) {
    const auto& a = books.arrangements[i];
    if (a.customer == customer && a.kind == ArrangementKind::promise &&
        !(ledger.as_of < a.date))
      promises.push_back(i);
  }
  for (const auto& p : promise_states(books, ledger, promises)) {
    const auto& a = books.arrangements[p.arrangement];
    const auto cur = a.currency;
    add(a.date, "promise made", a.id, cur.name(), plain(a.amount, cur),
        noted(fmt::format("to pay by {}", format_date(a.due)), a.note));
    if (p.kept_on)
      add(*p.kept_on, "promise kept", a.id, cur.name(), plain(p.arrived, cur),
          fmt::format("{} arrived from {}", money(p.arrived, cur),
                      format_date(a.date)));
    else if (p.status == PromiseStatus::broken)
      add(add_days(a.due, 1), "promise broken", a.id, cur.name(),
          plain(p.arrived, cur),
          fmt::format("{} of {} arrived by {}", money(p.arrived, cur),
                      money(a.amount, cur), format_date(a.due)));
  }
  // A plan superseded is told after the plan that superseded it was made.
  std::vector<std::pair<const Arrangement*, const Arrangement*>> superseded;
  for (const auto& plan : customer_plans(books, ledger, customer)) {
    const auto& a = books.arrangements[plan.arrangement];
    const auto cur = a.currency;
    std::vector<std::string_view> ids;
    for (const auto& s : plan.shares)
      ids.push_back(books.invoices[s.invoice].id);
    add(a.date, "plan made", a.id, cur.name(), plain(a.amount, cur),
        noted(fmt::format("{} instalment{} every {} from {} over {}",
                          a.installments, a.installments == 1 ? "" : "s",
                          a.every.to_string(), format_date(a.due),
                          fmt::join(ids, ", ")),
              a.note));
    // A superseded plan has no events after the plan that replaced it.
    const auto* by =
        plan.active() ? nullptr : &books.arrangements[plan.superseded_by];
    const auto until = [&](std::optional<Date> day) {
      return day && (!by || *day < by->date);
    };
    for (std::size_t k = 0; k < plan.instalments.size(); ++k) {
      const auto& i = plan.instalments[k];
      const auto which = fmt::format("instalment {} of {}, due {}", k + 1,
                                     plan.instalments.size(),
                                     format_date(i.due));
      if (until(i.missed_on))
        add(*i.missed_on, "instalment missed", a.id, cur.name(),
            plain(i.amount, cur), which);
      if (until(i.paid_on))
        add(*i.paid_on, "instalment paid", a.id, cur.name(),
            plain(i.amount, cur),
            which);
    }
    if (by)
      superseded.emplace_back(&a, by);
  }
  for (const auto& [a, by] : superseded)
    add(by->date, "plan superseded", a->id, a->currency.name(), "",
        fmt::format("by {}", by->id));
  for (const auto& n : books.notices) {
    if (n.customer != customer)
      continue;
    std::vector<std::string_view> ids;
    for (const auto i : n.invoices)
      ids.push_back(books.invoices[i].id);
    auto detail = fmt::format("'{}' about {}", n.level, fmt::join(ids, ", "));
    if (n.fee > 0)
      detail += fmt::format("; fee {}", money(n.fee, n.currency));
    if (n.interest > 0)
      detail += fmt::format("; interest {}", money(n.interest, n.currency));
    add(n.date, "notice", n.id, n.currency.name(),
        plain(n.amount, n.currency),
        detail);
  }
  for (const auto& e : books.events)
    if (e.customer == customer &&
        (e.kind == EventKind::hold || e.kind == EventKind::release))
      add(e.date, std::string(to_string(e.kind)), "", "", "",
          std::string(e.reason));

  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& x, const Entry& y) {
                     return x.date < y.date;
                   });
  TableData t;
  t.columns = {{"date", false},     {"event", false},  {"reference", false},
               {"currency", false}, {"amount", true},  {"detail", false}};
  for (auto& e : entries) {
    std::vector<std::string> row{format_date(e.date)};
    std::move(e.cells.begin(), e.cells.end(), std::back_inserter(row));
    t.rows.push_back(std::move(row));
  }
  return t;
}

} // namespace arctl
