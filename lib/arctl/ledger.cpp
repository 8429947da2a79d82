#include "arctl/ledger.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>
#include <thread>
#include <unordered_map>

namespace arctl {

namespace {

// Books from this many invoices up are set up on two threads.
constexpr std::size_t k_parallel_from = 100000;
// How many applications ahead the walk asks for an invoice's state.
constexpr std::size_t k_lookahead = 8;

// One fact on the timeline: its date and its index in its file's records.
struct Step {
  Date date;
  std::uint32_t index;
};

class Walk {
public:
  Walk(const Books& books, Date as_of,
       const std::function<void(const LedgerProblem&)>& problem)
      : m_books(books), m_problem(problem) {
    m_ledger.as_of = as_of;
  }

  Ledger run();

private:
  void report(Table table, std::uint32_t line, std::string_view column,
              std::string code, std::string message, std::string hint = {}) {
    if (m_problem)
      m_problem({table, line, column, std::move(code), std::move(message),
                 std::move(hint)});
  }
  std::string money(std::int64_t minor, Currency c) const {
    return format_minor_units(minor, c.exponent);
  }
  SourceState& source(DocRef ref) {
    return ref.kind == DocKind::payment ? m_ledger.payments[ref.index]
                                        : m_ledger.credits[ref.index];
  }
  static std::uint64_t pair_key(DocRef src, std::uint32_t invoice) {
    return (std::uint64_t{static_cast<std::uint32_t>(src.kind) << 30 |
                          src.index}
            << 32) |
           invoice;
  }

  void allocation(const Allocation& a);
  void adjustment(const Adjustment& j);
  void event(const Event& e);

  const Books& m_books;
  const std::function<void(const LedgerProblem&)>& m_problem;
  Ledger m_ledger;
  // Net applied per (source, invoice), kept only for pairs with an unapply,
  // and which invoices have such a pair (most have none).
  std::unordered_map<std::uint64_t, std::int64_t> m_pair_net;
  std::vector<bool> m_has_unapply;
};

Ledger Walk::run() {
  const auto& b = m_books;
  const auto as_of = m_ledger.as_of;
  auto& l = m_ledger;
  const auto invoices = [&] {
    l.invoices.resize(b.invoices.size());
    for (std::size_t i = 0; i < b.invoices.size(); ++i)
      if (b.invoices[i].date <= as_of) {
        l.invoices[i].issued = true;
        l.invoices[i].open = b.invoices[i].total;
      }
  };
  // On large books the invoices' state is set up on a second thread beside
  // the rest: both are passes over records of hundreds of MB and fresh
  // memory, whose first touch is most of their cost.
  std::jthread second;
  if (b.invoices.size() >= k_parallel_from) {
    try {
      second = std::jthread(invoices);
    } catch (const std::system_error&) {
      // No thread to spare: set up here.
    }
  }
  if (!second.joinable())
    invoices();
  l.payments.resize(b.payments.size());
  for (std::size_t i = 0; i < b.payments.size(); ++i)
    if (b.payments[i].date <= as_of)
      l.payments[i].left = b.payments[i].amount;
  l.credits.resize(b.adjustments.size());
  for (std::size_t i = 0; i < b.adjustments.size(); ++i) {
    const auto& j = b.adjustments[i];
    if (j.kind == AdjustmentKind::credit && j.date <= as_of)
      l.credits[i].left = j.amount.value_or(0);
  }
  l.customers.resize(b.customers.size());
  m_has_unapply.assign(b.invoices.size(), false);

  // Each file is usually in date order already: sort only when not, then
  // merge the three.
  const auto by_date = [](const Step& x, const Step& y) {
    return x.date < y.date;
  };
  Records<Step> parts[3];
  parts[0].reserve(b.allocations.size());
  for (std::uint32_t i = 0; i < b.allocations.size(); ++i) {
    const auto& a = b.allocations[i];
    if (a.amount < 0) {
      m_pair_net.emplace(pair_key(a.source, a.invoice), 0);
      m_has_unapply[a.invoice] = true;
    }
    if (a.date <= as_of)
      parts[0].push_back({a.date, i});
  }
  for (std::uint32_t i = 0; i < b.adjustments.size(); ++i) {
    const auto& j = b.adjustments[i];
    const bool needs_source = j.kind == AdjustmentKind::refund ||
                              j.kind == AdjustmentKind::reversal;
    // A source that never resolved was reported when reading.
    if (j.date <= as_of && j.kind != AdjustmentKind::credit &&
        !(needs_source && !j.source.valid()))
      parts[1].push_back({j.date, i});
  }
  for (std::uint32_t i = 0; i < b.events.size(); ++i)
    if (b.events[i].date <= as_of)
      parts[2].push_back({b.events[i].date, i});
  for (auto& part : parts)
    if (!std::is_sorted(part.begin(), part.end(), by_date))
      std::stable_sort(part.begin(), part.end(), by_date);
  if (second.joinable())
    second.join();
  // Merged as walked: the earliest head first, a tie to the earlier part.
  // The state of the invoice an application a little further on touches
  // is asked for early: those are spread over tens of MB.
  std::size_t next[3] = {0, 0, 0};
  for (;;) {
    int pick = -1;
    for (int k = 0; k < 3; ++k)
      if (next[k] < parts[k].size() &&
          (pick < 0 || parts[k][next[k]].date < parts[pick][next[pick]].date))
        pick = k;
    if (pick < 0)
      break;
    const auto index = parts[pick][next[pick]++].index;
    if (pick == 0 && next[0] + k_lookahead < parts[0].size())
      __builtin_prefetch(
          &l.invoices[b.allocations[parts[0][next[0] + k_lookahead].index]
                          .invoice]);
    switch (pick) {
    case 0: allocation(b.allocations[index]); break;
    case 1: adjustment(b.adjustments[index]); break;
    default: event(b.events[index]); break;
    }
  }
  return std::move(m_ledger);
}

void Walk::allocation(const Allocation& a) {
  // The invoice's and the source's records are read only for messages:
  // on valid books the walk touches nothing but its own state.
  auto& state = m_ledger.invoices[a.invoice];
  const auto& inv = m_books.invoices[a.invoice];
  const auto source_id = [&] { return m_books.document_id(a.source); };
  const auto cur = [&] { return inv.currency; };
  const auto net = m_has_unapply[a.invoice]
                       ? m_pair_net.find(pair_key(a.source, a.invoice))
                       : m_pair_net.end();
  if (net != m_pair_net.end() && net->second + a.amount < 0) {
    report(Table::allocations, a.line, "amount", "unapply-exceeds",
           fmt::format("undoes {} of {} on {}, but only {} of it is applied "
                       "there",
                       money(-a.amount, cur()), source_id(), inv.id,
                       money(net->second, cur())));
    return;
  }
  if (a.amount > 0 && state.void_) {
    report(Table::allocations, a.line, "invoice", "invoice-void",
           fmt::format("invoice {} is void", inv.id));
    return;
  }
  auto& src = source(a.source);
  if (a.amount > 0 && src.reversed) {
    report(Table::allocations, a.line, "source", "payment-reversed",
           fmt::format("payment {} was reversed", source_id()));
    return;
  }
  if (a.amount > state.open) {
    report(Table::allocations, a.line, "amount", "over-applied",
           fmt::format("applies {} to {}, but only {} is open on it on {}",
                       money(a.amount, cur()), inv.id, money(state.open, cur()),
                       format_date(a.date)),
           "an application never exceeds the invoice's open balance; leave "
           "the rest as unapplied credit");
    return;
  }
  if (a.amount > src.left) {
    report(Table::allocations, a.line, "amount", "over-allocated",
           fmt::format("applies {} from {}, but only {} of it is left on {}",
                       money(a.amount, cur()), source_id(), money(src.left, cur()),
                       format_date(a.date)));
    return;
  }
  state.open -= a.amount;
  (a.source.kind == DocKind::payment ? state.paid : state.credited) +=
      a.amount;
  src.left -= a.amount;
  src.applied += a.amount;
  if (net != m_pair_net.end())
    net->second += a.amount;
}

void Walk::adjustment(const Adjustment& j) {
  const auto cur = j.currency;
  const auto amount = j.amount.value_or(0);
  switch (j.kind) {
  case AdjustmentKind::credit:
    return;
  case AdjustmentKind::discount:
  case AdjustmentKind::writeoff: {
    const auto& inv = m_books.invoices[j.invoice];
    auto& state = m_ledger.invoices[j.invoice];
    if (state.void_) {
      report(Table::adjustments, j.line, "invoice", "invoice-void",
             fmt::format("invoice {} is void", inv.id));
    } else if (amount < 0 && -amount > state.discounted) {
      report(Table::adjustments, j.line, "amount", "discount-reversal-exceeds",
             fmt::format("takes back a discount of {} on {}, but only {} is "
                         "discounted on {}",
                         money(-amount, cur), inv.id,
                         money(state.discounted, cur), format_date(j.date)));
    } else if (amount > state.open) {
      report(Table::adjustments, j.line, "amount", "over-applied",
             fmt::format("{} of {} exceeds the {} open on {} on {}",
                         to_string(j.kind), money(amount, cur),
                         money(state.open, cur), inv.id, format_date(j.date)));
    } else {
      state.open -= amount;
      (j.kind == AdjustmentKind::discount ? state.discounted
                                          : state.written_off) += amount;
    }
    return;
  }
  case AdjustmentKind::void_: {
    const auto& inv = m_books.invoices[j.invoice];
    auto& state = m_ledger.invoices[j.invoice];
    const auto in_use =
        state.paid + state.credited + state.discounted + state.written_off;
    if (state.void_) {
      report(Table::adjustments, j.line, "invoice", "invoice-void",
             fmt::format("invoice {} is void already", inv.id));
    } else if (in_use != 0) {
      report(Table::adjustments, j.line, "invoice", "void-applied",
             fmt::format("invoice {} cannot be voided: {} is applied to it on "
                         "{}",
                         inv.id, money(in_use, cur), format_date(j.date)),
             "undo the applications first, or issue a credit memo");
    } else if (j.amount && *j.amount != inv.total) {
      report(Table::adjustments, j.line, "amount", "void-amount",
             fmt::format("a void is for the whole invoice: {}, not {}",
                         money(inv.total, cur), money(*j.amount, cur)));
    } else {
      state.void_ = true;
      state.open = 0;
    }
    return;
  }
  case AdjustmentKind::refund: {
    auto& src = source(j.source);
    if (amount > src.left) {
      report(Table::adjustments, j.line, "amount", "over-refunded",
             fmt::format("refunds {} from {}, but only {} of it is unapplied "
                         "on {}",
                         money(amount, cur), m_books.document_id(j.source),
                         money(src.left, cur), format_date(j.date)));
    } else {
      src.left -= amount;
      src.refunded += amount;
    }
    return;
  }
  case AdjustmentKind::reversal: {
    const auto& pay = m_books.payments[j.source.index];
    auto& src = m_ledger.payments[j.source.index];
    if (src.reversed) {
      report(Table::adjustments, j.line, "source", "payment-reversed",
             fmt::format("payment {} is reversed already", pay.id));
    } else if (src.applied != 0) {
      report(Table::adjustments, j.line, "source", "reversal-applied",
             fmt::format("payment {} cannot be reversed: {} of it is still "
                         "applied on {}",
                         pay.id, money(src.applied, cur), format_date(j.date)),
             "undo its applications first with negative allocations");
    } else if (j.amount && *j.amount != src.left) {
      report(Table::adjustments, j.line, "amount", "reversal-amount",
             fmt::format("reverses {}, but {} of payment {} is left to reverse "
                         "on {}",
                         money(*j.amount, cur), money(src.left, cur), pay.id,
                         format_date(j.date)));
    } else {
      src.reversed = true;
      src.left = 0;
    }
    return;
  }
  }
}

void Walk::event(const Event& e) {
  switch (e.kind) {
  case EventKind::dispute: {
    const auto& inv = m_books.invoices[e.invoice];
    auto& state = m_ledger.invoices[e.invoice];
    if (state.disputed) {
      report(Table::events, e.line, "invoice", "already-disputed",
             fmt::format("invoice {} is disputed already", inv.id));
    } else if (e.amount && *e.amount > inv.total) {
      report(Table::events, e.line, "amount", "dispute-amount",
             fmt::format("disputes {}, more than the invoice's total {}",
                         money(*e.amount, inv.currency),
                         money(inv.total, inv.currency)));
    } else {
      state.disputed = true;
      state.disputed_part = e.amount.value_or(0);
    }
    return;
  }
  case EventKind::resolve: {
    auto& state = m_ledger.invoices[e.invoice];
    if (!state.disputed)
      report(Table::events, e.line, "invoice", "not-disputed",
             fmt::format("invoice {} is not disputed on {}",
                         m_books.invoices[e.invoice].id, format_date(e.date)));
    state.disputed = false;
    state.disputed_part = 0;
    return;
  }
  case EventKind::hold: {
    auto& state = m_ledger.customers[e.customer];
    if (state.on_hold) {
      report(Table::events, e.line, "customer", "already-on-hold",
             fmt::format("customer {} is on hold already",
                         m_books.customers[e.customer].id));
    } else {
      state.on_hold = true;
      state.hold_reason = e.reason;
      state.hold_since = e.date;
    }
    return;
  }
  case EventKind::release: {
    auto& state = m_ledger.customers[e.customer];
    if (!state.on_hold)
      report(Table::events, e.line, "customer", "not-on-hold",
             fmt::format("customer {} is not on hold on {}",
                         m_books.customers[e.customer].id,
                         format_date(e.date)));
    state = CustomerState{};
    return;
  }
  case EventKind::override_:
    return;
  }
}

} // namespace

Ledger compute_ledger(const Books& books, Date as_of,
                      const std::function<void(const LedgerProblem&)>& problem) {
  auto ledger = Walk(books, as_of, problem).run();
  ledger.latest = latest_fact_date(books);
  return ledger;
}

std::optional<Date> latest_fact_date(const Books& books) {
  std::optional<Date> latest;
  const auto consider = [&latest](const auto& records, const auto& date_of) {
    for (const auto& r : records)
      if (!latest || *latest < date_of(r))
        latest = date_of(r);
  };
  const auto date = [](const auto& r) { return r.date; };
  consider(books.invoices, date);
  consider(books.payments, date);
  consider(books.allocations, date);
  consider(books.adjustments, date);
  consider(books.events, date);
  return latest;
}

std::shared_ptr<const OpenItems> open_items(const Books& books,
                                            const Ledger& ledger) {
  // No fact after the latest: a ledger as of any later date is the same,
  // and so are its open items.
  const auto until =
      ledger.latest ? std::min(ledger.as_of, *ledger.latest) : ledger.as_of;
  const auto since = add_days(until, 1 - k_recent_days);
  if (ledger.open && ledger.open->since <= since)
    return ledger.open;
  auto items = std::make_shared<OpenItems>();
  items->since = since;
  for (std::uint32_t i = 0; i < books.invoices.size(); ++i) {
    const auto& state = ledger.invoices[i];
    if (!state.issued || state.void_)
      continue;
    const auto& inv = books.invoices[i];
    if (state.open != 0 || since <= inv.date)
      items->invoices.push_back({i, inv.customer, inv.date, inv.due,
                                 inv.currency, inv.total, state.open,
                                 state.disputed_part, state.disputed});
  }
  for (std::uint32_t i = 0; i < books.payments.size(); ++i)
    if (const auto left = ledger.payments[i].left; left != 0) {
      const auto& p = books.payments[i];
      items->credits.push_back(
          {{DocKind::payment, i}, p.customer, p.currency, p.date, 0, left});
    }
  for (std::uint32_t i = 0; i < books.adjustments.size(); ++i) {
    const auto& j = books.adjustments[i];
    const auto left = ledger.credits[i].left;
    if (j.kind == AdjustmentKind::credit && (left != 0 || since <= j.date))
      items->credits.push_back({{DocKind::adjustment, i}, j.customer,
                                j.currency, j.date, j.amount.value_or(0),
                                left});
  }
  return items;
}

Ledger ledger_as_of(const Books& books, Ledger&& end, Date as_of) {
  if (end.latest && as_of < *end.latest)
    return compute_ledger(books, as_of);
  end.as_of = as_of;
  return std::move(end);
}

std::int64_t reversal_amount(const Books& books, const Ledger& ledger,
                             const Adjustment& reversal) {
  if (reversal.amount)
    return *reversal.amount;
  const auto p = reversal.source.index;
  return books.payments[p].amount - ledger.payments[p].refunded;
}

std::vector<CustomerPosition> customer_position(const Books& books,
                                                const Ledger& ledger,
                                                std::uint32_t customer) {
  std::vector<CustomerPosition> out;
  auto of = [&](Currency c) -> CustomerPosition& {
    for (auto& p : out)
      if (p.currency == c)
        return p;
    CustomerPosition p;
    p.currency = c;
    out.push_back(p);
    return out.back();
  };
  of(books.customers[customer].currency);
  for (std::uint32_t i = 0; i < books.invoices.size(); ++i) {
    const auto& inv = books.invoices[i];
    const auto& state = ledger.invoices[i];
    if (inv.customer != customer || !state.issued || state.void_ ||
        state.open == 0)
      continue;
    auto& p = of(inv.currency);
    p.open += state.open;
    ++p.open_invoices;
    if (state.disputed)
      p.disputed += state.disputed_part ? std::min(state.open, state.disputed_part)
                                        : state.open;
    if (inv.due < ledger.as_of &&
        (!p.oldest_overdue || inv.due < books.invoices[*p.oldest_overdue].due))
      p.oldest_overdue = i;
  }
  for (std::uint32_t i = 0; i < books.payments.size(); ++i)
    if (books.payments[i].customer == customer)
      of(books.payments[i].currency).unapplied += ledger.payments[i].left;
  for (std::uint32_t i = 0; i < books.adjustments.size(); ++i)
    if (books.adjustments[i].kind == AdjustmentKind::credit &&
        books.adjustments[i].customer == customer)
      of(books.adjustments[i].currency).unapplied += ledger.credits[i].left;
  return out;
}

std::int64_t credit_used(const Books& books, const Ledger& ledger,
                         std::uint32_t customer) {
  for (const auto& p : customer_position(books, ledger, customer))
    if (p.currency == books.customers[customer].currency)
      return std::max<std::int64_t>(0, p.open - p.unapplied);
  return 0;
}

} // namespace arctl
