#include "arctl/receipts.hpp"

#include "arctl/csv.hpp"
#include "arctl/csv_input.hpp"
#include "arctl/numbering.hpp"
#include "arctl/posting.hpp"
#include "arctl/rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_map>

namespace arctl {

std::vector<std::uint32_t> invoices_named_in(const Books& books,
                                             std::string_view reference) {
  const auto id_char = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  std::vector<std::uint32_t> out;
  std::size_t i = 0;
  while (i < reference.size()) {
    if (!id_char(reference[i])) {
      ++i;
      continue;
    }
    auto end = i;
    while (end < reference.size() && id_char(reference[end]))
      ++end;
    auto word = reference.substr(i, end - i);
    while (!word.empty() &&
           (word.back() == '.' || word.back() == '-' || word.back() == '_'))
      word.remove_suffix(1);
    if (const auto inv = books.invoice_index.find(word);
        inv && std::find(out.begin(), out.end(), *inv) == out.end())
      out.push_back(*inv);
    i = end;
  }
  return out;
}

namespace {

std::string money_text(std::int64_t minor, Currency c) {
  return fmt::format("{} {}", c.name(), Money{minor, c}.to_display());
}

// How a receipt is recognised once posted: its customer, date, amount and
// reference.
std::string fingerprint(std::uint32_t customer, Date date, std::int64_t amount,
                        std::string_view reference) {
  return fmt::format("{}|{}|{}|{}", customer, format_date(date), amount,
                     reference);
}

// One candidate of an automatic application.
struct Candidate {
  std::uint32_t invoice;
  std::int64_t open;
  std::int64_t discount; // available on the payment's date, else 0
};

class Poster {
public:
  Poster(const Books& books, Date today, const ReceiptOptions& options)
      : m_books(books), m_today(today), m_options(options), m_balances(books),
        m_out(books.dir, m_plan.planned), m_numbers(books) {}

  void post(const Receipt& r);
  Result<ReceiptPlan> finish();

private:
  struct Checked {
    std::uint32_t customer = k_none;
    Currency currency;
    Date date;
    std::int64_t amount = 0;
    PaymentMethod method = PaymentMethod::unknown;
  };
  std::optional<Checked> check(const Receipt& r);
  // Whether `r` is in the books already or repeats an earlier receipt;
  // false when it is to be posted.
  bool seen(const Receipt& r, const Checked& c);
  std::optional<std::uint32_t> target(const Receipt& r, const Checked& c,
                                      const DraftField& invoice);
  // The discount an application of `amount` to `invoice` takes, or 0, with
  // a note when one was within reach but is not taken.
  std::int64_t discount(std::uint32_t invoice, const Checked& c,
                        std::int64_t amount, std::int64_t open,
                        bool own_invoice, PostedReceipt& posted);
  void apply(std::uint32_t invoice, std::int64_t amount, std::int64_t disc,
             const Checked& c, PostedReceipt& posted);
  // The write-off an application asks for, checked: 0 when none is.
  std::optional<std::int64_t> writeoff(const ReceiptApplication& a,
                                       std::uint32_t invoice, Currency cur,
                                       std::int64_t left_open);
  void automatic(const Receipt& r, const Checked& c, std::int64_t& left,
                 PostedReceipt& posted);
  const std::vector<std::uint32_t>& invoices_of(std::uint32_t customer);
  // A value the books refuse.
  void problem(const Origin& at, std::string code, std::string message,
               std::string hint = {}) {
    m_problems.add(origin_error(at, std::move(code), std::move(message),
                                std::move(hint), ExitCode::data));
  }
  // A value that is not what it should be at all (from an option: a
  // usage error).
  void malformed(const Origin& at, std::string code, std::string message,
                 std::string hint = {}) {
    m_problems.add(origin_error(at, std::move(code), std::move(message),
                                std::move(hint), ExitCode::usage));
  }

  const Books& m_books;
  Date m_today;
  const ReceiptOptions& m_options;
  Balances m_balances;
  ReceiptPlan m_plan;
  RecordAppender m_out;
  Problems m_problems;
  Numberer m_numbers;
  // What identifies a receipt: in the books (built when first needed) and
  // in this change (the line or option that gave it).
  std::optional<std::unordered_map<std::string_view, std::uint32_t>> m_bank_txs;
  std::optional<std::vector<std::vector<std::uint32_t>>> m_payments_by_customer;
  std::unordered_map<std::string, Origin> m_batch_keys;
  std::optional<std::vector<std::vector<std::uint32_t>>> m_by_customer;
};

std::optional<Poster::Checked> Poster::check(const Receipt& r) {
  const auto before = m_problems.count;
  const auto failed = [&] { return m_problems.count != before; };
  Checked c;
  if (!r.customer.given || r.customer.text.empty()) {
    malformed(r.customer.given ? r.customer.at : r.at, "missing-value",
              "a payment needs a customer");
    return std::nullopt;
  }
  const auto customer = m_books.find_customer(r.customer.text);
  if (!customer) {
    problem(r.customer.at, "unknown-customer",
            fmt::format("unknown customer \"{}\"", r.customer.text),
            "'arctl customer list' shows the customers");
    return std::nullopt;
  }
  c.customer = *customer;
  c.currency = m_books.customers[*customer].currency;
  if (r.currency.given && r.currency.text != c.currency.name())
    problem(r.currency.at, "currency-mismatch",
            fmt::format("customer {} pays in {}, not {}", r.customer.text,
                        c.currency.name(), r.currency.text));
  if (!r.amount.given) {
    malformed(r.at, "missing-value", "a payment needs an amount");
  } else if (auto m = Money::parse(r.amount.text, c.currency); !m) {
    malformed(r.amount.at, "amount-syntax", m.error().message, m.error().hint);
  } else if (m->minor() <= 0) {
    malformed(r.amount.at, "amount-not-positive",
            fmt::format("a payment is for more than zero, not {}",
                        r.amount.text),
            "money paid back is a refund: 'arctl post refund'");
  } else {
    c.amount = m->minor();
  }
  if (auto d = draft_date(r.date, m_today); !d)
    m_problems.add(std::move(d.error()));
  else
    c.date = *d;
  if (r.method.given) {
    if (auto m = parse_payment_method(r.method.text);
        m && *m != PaymentMethod::unknown)
      c.method = *m;
    else
      malformed(r.method.at, "unknown-method",
              fmt::format("unknown payment method \"{}\"", r.method.text),
              "methods are check, card, ach, wire, cash and other");
  }
  if (r.id.given)
    if (auto why = id_problem(r.id.text))
      malformed(r.id.at, "id-syntax",
              fmt::format("payment id \"{}\" {}", r.id.text, *why));
  for (const auto* f : {&r.reference, &r.bank_tx, &r.memo})
    if (auto why = utf8_problem(f->text))
      malformed(f->at, "text", *why);
  if (r.bank_tx.text.size() > 255)
    malformed(r.bank_tx.at, "value-too-long",
            "bank transaction id is longer than 255 characters");
  if (failed())
    return std::nullopt;
  if (m_options.require_key && !r.id.given && !r.bank_tx.given &&
      !r.reference.given) {
    problem(r.at, "no-key",
            "a receipt in a batch needs an id, a bank_tx or a reference",
            "without one, posting the same file twice could not be told "
            "from two payments");
    return std::nullopt;
  }
  return c;
}

bool Poster::seen(const Receipt& r, const Checked& c) {
  const auto& b = m_books;
  const auto at_line = [&](const Payment& p) {
    return fmt::format("{}:{}", b.dir.shown(schema(Table::payments).file),
                       p.line);
  };
  // In the books already: the same id, the same bank transaction, or,
  // with neither given, the same customer, date, amount and reference.
  std::optional<std::string> found;
  const Origin* found_at = nullptr;
  if (r.id.given) {
    const auto ref = b.find_document(r.id.text);
    if (ref.valid() && ref.kind == DocKind::payment) {
      found = fmt::format("payment {} is in the books already ({})", r.id.text,
                          at_line(b.payments[ref.index]));
      found_at = &r.id.at;
    } else if (auto where = id_taken(b, r.id.text, m_numbers.ids())) {
      problem(r.id.at, "duplicate-id",
              fmt::format("id \"{}\" is in use already ({})", r.id.text,
                          *where));
      return true;
    }
  }
  if (!found && r.bank_tx.given) {
    if (!m_bank_txs) {
      m_bank_txs.emplace();
      for (std::uint32_t i = 0; i < b.payments.size(); ++i)
        if (!b.payments[i].bank_tx.empty())
          m_bank_txs->emplace(b.payments[i].bank_tx, i);
    }
    if (const auto it = m_bank_txs->find(r.bank_tx.text);
        it != m_bank_txs->end()) {
      const auto& p = b.payments[it->second];
      found = fmt::format(
          "bank transaction {} is in the books already as payment {} ({})",
          r.bank_tx.text, p.id, at_line(p));
      found_at = &r.bank_tx.at;
    }
  }
  const bool by_fingerprint =
      !r.id.given && !r.bank_tx.given && r.reference.given;
  if (by_fingerprint) {
    if (!m_payments_by_customer) {
      m_payments_by_customer.emplace(b.customers.size());
      for (std::uint32_t i = 0; i < b.payments.size(); ++i)
        (*m_payments_by_customer)[b.payments[i].customer].push_back(i);
    }
    for (const auto i : (*m_payments_by_customer)[c.customer]) {
      const auto& p = b.payments[i];
      if (p.date != c.date || p.amount != c.amount ||
          p.reference != r.reference.text)
        continue;
      found = fmt::format(
          "a payment of {} from {} on {} with reference \"{}\" is in the "
          "books already as {} ({})",
          money_text(c.amount, c.currency), r.customer.text,
          format_date(c.date), r.reference.text, p.id, at_line(p));
      found_at = &r.reference.at;
      break;
    }
  }
  if (found) {
    if (m_options.skip_existing)
      m_plan.skipped.push_back({*found_at, std::move(*found)});
    else
      problem(*found_at, "posted-already", *found,
              found_at->option.empty()
                  ? "--skip-existing skips receipts that are in the books "
                    "already"
                  : "");
    return true;
  }
  // Repeated within this change, by any of the same keys?
  const auto repeats = [&](std::string key, const Origin& at,
                           std::string_view what) {
    const auto [it, fresh] = m_batch_keys.emplace(std::move(key), r.at);
    if (!fresh)
      problem(at, "duplicate-receipt",
              fmt::format("this receipt repeats the one at {}:{} (same {})",
                          it->second.loc.file, it->second.loc.line, what));
    return !fresh;
  };
  if (r.id.given && repeats("id " + r.id.text, r.id.at, "id"))
    return true;
  if (r.bank_tx.given && repeats("bank transaction " + r.bank_tx.text,
                                 r.bank_tx.at, "bank transaction"))
    return true;
  return by_fingerprint &&
         repeats("payment " + fingerprint(c.customer, c.date, c.amount,
                                          r.reference.text),
                 r.reference.at, "customer, date, amount and reference");
}

std::optional<std::uint32_t> Poster::target(const Receipt& r, const Checked& c,
                                            const DraftField& invoice) {
  const auto index = m_books.invoice_index.find(invoice.text);
  if (!index) {
    problem(invoice.at, "unknown-invoice",
            fmt::format("unknown invoice \"{}\"", invoice.text));
    return std::nullopt;
  }
  const auto& inv = m_books.invoices[*index];
  if (inv.date > c.date) {
    problem(invoice.at, "date-order",
            fmt::format("invoice {} is dated {}, after the payment ({})",
                        inv.id, format_date(inv.date), format_date(c.date)));
    return std::nullopt;
  }
  if (inv.currency != c.currency) {
    problem(invoice.at, "currency-mismatch",
            fmt::format("invoice {} is in {}; the payment is in {}", inv.id,
                        inv.currency.name(), c.currency.name()));
    return std::nullopt;
  }
  if (inv.customer != c.customer && !m_options.allow_third_party) {
    problem(invoice.at, "third-party",
            fmt::format("invoice {} is customer {}'s, not {}'s", inv.id,
                        m_books.customers[inv.customer].id, r.customer.text),
            "give --allow-third-party to apply a payment to another "
            "customer's invoice");
    return std::nullopt;
  }
  if (m_balances.on(c.date).invoices[*index].void_ ||
      m_balances.end().invoices[*index].void_) {
    problem(invoice.at, "invoice-void",
            fmt::format("invoice {} is void", inv.id));
    return std::nullopt;
  }
  return *index;
}

std::int64_t Poster::discount(std::uint32_t invoice, const Checked& c,
                              std::int64_t amount, std::int64_t open,
                              bool own_invoice, PostedReceipt& posted) {
  const auto offer = early_discount(m_books, invoice);
  if (!offer || amount + offer->amount.minor() != open)
    return 0;
  const auto& inv = m_books.invoices[invoice];
  const auto cur = inv.currency;
  const auto short_pay = [&](std::string why) {
    posted.notes.push_back(
        fmt::format("invoice {}: {} stays open: {}", inv.id,
                    money_text(offer->amount.minor(), cur), why));
    return 0;
  };
  if (c.date > offer->until)
    return short_pay(fmt::format("the {}% early-payment discount ended on {}",
                                 offer->percent.to_string(),
                                 format_date(offer->until)));
  if (!m_options.discounts)
    return short_pay("no discount is taken (--no-discount)");
  if (!m_books.config.early_payment_discount)
    return short_pay("the books take no early-payment discounts "
                     "(early_payment_discount = false)");
  if (!own_invoice)
    return short_pay("no discount on another customer's invoice");
  if (m_balances.discounted(invoice, c.date))
    return short_pay("a discount was taken on it already");
  return offer->amount.minor();
}

void Poster::apply(std::uint32_t invoice, std::int64_t amount,
                   std::int64_t disc, const Checked& c, PostedReceipt& posted) {
  const auto cur = c.currency;
  m_balances.take(invoice, c.date, amount);
  if (disc != 0)
    m_balances.take(invoice, c.date, disc, true);
  posted.applied.push_back({invoice, Money{amount, cur}, Money{disc, cur}, Money{0, cur}});
}

std::optional<std::int64_t> Poster::writeoff(const ReceiptApplication& a,
                                             std::uint32_t invoice,
                                             Currency cur,
                                             std::int64_t left_open) {
  if (!a.writeoff.given)
    return 0;
  const auto& inv = m_books.invoices[invoice];
  auto m = Money::parse(a.writeoff.text, cur);
  if (!m) {
    malformed(a.writeoff.at, "amount-syntax", m.error().message,
              m.error().hint);
    return std::nullopt;
  }
  if (m->minor() <= 0) {
    malformed(a.writeoff.at, "amount-not-positive",
              fmt::format("a write-off is for more than zero, not {}",
                          a.writeoff.text));
    return std::nullopt;
  }
  if (m->minor() > left_open) {
    problem(a.writeoff.at, "over-applied",
            fmt::format("a write-off of {} is more than the {} the payment "
                        "leaves open on invoice {}",
                        money_text(m->minor(), cur), money_text(left_open, cur),
                        inv.id));
    return std::nullopt;
  }
  if (m_books.config.writeoff_needs_approval(*m)) {
    problem(a.writeoff.at, "writeoff-needs-approval",
            fmt::format("a write-off of {} on invoice {} needs an approver "
                        "(writeoff_limit in arctl.toml)",
                        money_text(m->minor(), cur), inv.id),
            "'arctl post writeoff --approve NAME' writes it off");
    return std::nullopt;
  }
  return m->minor();
}

const std::vector<std::uint32_t>& Poster::invoices_of(std::uint32_t customer) {
  if (!m_by_customer) {
    m_by_customer.emplace(m_books.customers.size());
    for (std::uint32_t i = 0; i < m_books.invoices.size(); ++i)
      (*m_by_customer)[m_books.invoices[i].customer].push_back(i);
  }
  return (*m_by_customer)[customer];
}

void Poster::automatic(const Receipt& r, const Checked& c, std::int64_t& left,
                       PostedReceipt& posted) {
  const auto& b = m_books;
  const auto done = [&](std::uint32_t i) {
    return std::any_of(posted.applied.begin(), posted.applied.end(),
                       [&](const Applied& a) { return a.invoice == i; });
  };
  std::vector<Candidate> candidates;
  const auto consider = [&](std::uint32_t i) {
    const auto open = m_balances.open(i, c.date);
    if (open <= 0 || done(i))
      return;
    for (const auto& k : candidates)
      if (k.invoice == i)
        return;
    const auto offer = early_discount(b, i);
    const bool discount_ok =
        offer && c.date <= offer->until && m_options.discounts &&
        b.config.early_payment_discount && b.invoices[i].customer == c.customer &&
        !m_balances.discounted(i, c.date) && offer->amount.minor() < open;
    candidates.push_back({i, open, discount_ok ? offer->amount.minor() : 0});
  };
  const auto& ledger = m_balances.on(c.date);
  for (const auto i : invoices_named_in(b, r.reference.text)) {
    const auto& inv = b.invoices[i];
    std::string why;
    if (inv.customer != c.customer && !m_options.allow_third_party)
      why = fmt::format("it is customer {}'s (--allow-third-party applies it)",
                        b.customers[inv.customer].id);
    else if (inv.currency != c.currency)
      why = fmt::format("it is in {}", inv.currency.name());
    else if (inv.date > c.date)
      why = fmt::format("it is dated {}, after the payment",
                        format_date(inv.date));
    else if (ledger.invoices[i].void_ || m_balances.end().invoices[i].void_)
      why = "it is void";
    if (!why.empty())
      posted.notes.push_back(fmt::format(
          "invoice {} is named in the reference but not applied to: {}",
          inv.id, why));
    else
      consider(i);
  }
  std::vector<std::uint32_t> own;
  for (const auto i : invoices_of(c.customer)) {
    const auto& inv = b.invoices[i];
    const auto& state = ledger.invoices[i];
    if (inv.currency == c.currency && inv.date <= c.date && !state.void_ &&
        !state.disputed && state.open > 0)
      own.push_back(i);
  }
  std::stable_sort(own.begin(), own.end(), [&](std::uint32_t x, std::uint32_t y) {
    const auto& a = b.invoices[x];
    const auto& z = b.invoices[y];
    return std::tie(a.due, a.date) < std::tie(z.due, z.date);
  });
  for (const auto i : own)
    consider(i);

  // Does what is left pay the first candidates in full, or exactly less
  // their discounts?
  std::int64_t full = 0, net = 0;
  std::optional<std::size_t> net_prefix;
  bool full_match = false;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    full += candidates[k].open;
    net += candidates[k].open - candidates[k].discount;
    if (full == left)
      full_match = true;
    if (net == left && !net_prefix && net != full)
      net_prefix = k + 1;
  }
  if (net_prefix && !full_match) {
    for (std::size_t k = 0; k < *net_prefix; ++k) {
      const auto& x = candidates[k];
      apply(x.invoice, x.open - x.discount, x.discount, c, posted);
      left -= x.open - x.discount;
    }
    return;
  }
  for (const auto& x : candidates) {
    if (left == 0)
      break;
    const auto amount = std::min(left, x.open);
    const auto disc = amount < x.open
                          ? discount(x.invoice, c, amount, x.open,
                                     b.invoices[x.invoice].customer == c.customer,
                                     posted)
                          : 0;
    apply(x.invoice, amount, disc, c, posted);
    left -= amount;
  }
}

void Poster::post(const Receipt& r) {
  const auto checked = check(r);
  // A receipt in the books already is skipped even in a closed period, so
  // that a file can be posted again after the lock date moved.
  if (!checked || seen(r, *checked))
    return;
  const auto& c = *checked;
  if (auto open =
          check_open_period(m_books.dir, m_books.config.lock_date, c.date);
      !open) {
    problem(r.date.given ? r.date.at : r.at, "closed-period",
            open.error().message);
    return;
  }
  const auto cur = c.currency;
  PostedReceipt posted;
  posted.customer = c.customer;
  posted.date = c.date;
  posted.amount = Money{c.amount, cur};
  if (r.id.given) {
    posted.id = r.id.text;
    m_numbers.take(posted.id);
  } else {
    posted.id = m_numbers.next(m_books.config.numbering.payment, c.date);
  }

  std::int64_t left = c.amount;
  const auto before = m_problems.count;
  // Applications with an amount first; those without share what is left,
  // in the order given.
  std::vector<const ReceiptApplication*> asked;
  for (const bool with_amount : {true, false})
    for (const auto& a : r.apply)
      if (a.amount.given == with_amount)
        asked.push_back(&a);
  for (const auto* ask : asked) {
    const auto& a = *ask;
    const auto invoice = target(r, c, a.invoice);
    if (!invoice)
      continue;
    const auto& inv = m_books.invoices[*invoice];
    if (std::any_of(posted.applied.begin(), posted.applied.end(),
                    [&](const Applied& x) { return x.invoice == *invoice; })) {
      problem(a.invoice.at, "duplicate-invoice",
              fmt::format("invoice {} is named twice", inv.id));
      continue;
    }
    const auto open = m_balances.open(*invoice, c.date);
    if (open <= 0) {
      problem(a.invoice.at, "nothing-open",
              fmt::format("nothing is open on invoice {} on {}", inv.id,
                          format_date(c.date)));
      continue;
    }
    std::int64_t amount = std::min(left, open);
    if (a.amount.given) {
      auto m = Money::parse(a.amount.text, cur);
      if (!m) {
        malformed(a.amount.at, "amount-syntax", m.error().message,
                  m.error().hint);
        continue;
      }
      if (m->minor() <= 0) {
        malformed(a.amount.at, "amount-not-positive",
                fmt::format("an application is for more than zero, not {}",
                            a.amount.text));
        continue;
      }
      amount = m->minor();
      if (amount > open) {
        problem(a.amount.at, "over-applied",
                fmt::format("{} is more than the {} open on invoice {} on {}",
                            money_text(amount, cur), money_text(open, cur),
                            inv.id, format_date(c.date)),
                "an application never exceeds the invoice's open balance; "
                "what is not applied stays on account");
        continue;
      }
    }
    if (amount == 0) {
      problem(a.invoice.at, "nothing-left",
              fmt::format("nothing of the payment of {} is left for invoice "
                          "{}",
                          money_text(c.amount, cur), inv.id));
      continue;
    }
    if (amount > left) {
      problem(a.amount.at, "over-allocated",
              fmt::format("the applications come to more than the payment "
                          "of {}",
                          money_text(c.amount, cur)));
      continue;
    }
    const auto disc =
        amount < open ? discount(*invoice, c, amount, open,
                                 inv.customer == c.customer, posted)
                      : 0;
    const auto off = writeoff(a, *invoice, cur, open - amount - disc);
    if (!off)
      continue;
    apply(*invoice, amount, disc, c, posted);
    if (*off != 0) {
      m_balances.take(*invoice, c.date, *off);
      posted.applied.back().writeoff = Money{*off, cur};
    }
    left -= amount;
  }
  if (m_problems.count != before)
    return;
  if (r.auto_apply && left > 0)
    automatic(r, c, left, posted);
  posted.unapplied = Money{left, cur};
  if (left > 0)
    posted.notes.push_back(fmt::format(
        "{} of payment {} stays on customer {}'s account as unapplied credit",
        money_text(left, cur), posted.id, r.customer.text));

  // The records: the payment, its applications, the discounts.
  const auto customer_id = std::string(m_books.customers[c.customer].id);
  const auto day = format_date(c.date);
  const std::array<FieldValue, 9> payment{{
      {"id", posted.id},
      {"date", day},
      {"customer", customer_id},
      {"amount", format_minor_units(c.amount, cur.exponent)},
      {"currency", std::string(cur.name())},
      {"method", c.method == PaymentMethod::unknown
                     ? std::string()
                     : std::string(to_string(c.method))},
      {"reference", r.reference.text},
      {"bank_tx", r.bank_tx.text},
      {"memo", r.memo.text},
  }};
  const auto keep = [&](Result<void> ok) {
    if (!ok)
      m_problems.add(std::move(ok.error()));
  };
  keep(m_out.append(Table::payments, payment, c.date));
  m_plan.planned.ids.push_back(posted.id);
  for (const auto& a : posted.applied) {
    const auto& inv = m_books.invoices[a.invoice];
    const std::array<FieldValue, 4> allocation{{
        {"date", day},
        {"source", posted.id},
        {"invoice", std::string(inv.id)},
        {"amount", a.amount.to_string()},
    }};
    keep(m_out.append(Table::allocations, allocation, c.date));
  }
  for (const auto& a : posted.applied) {
    if (a.discount.is_zero())
      continue;
    const auto& inv = m_books.invoices[a.invoice];
    const auto offer = early_discount(m_books, a.invoice);
    auto id = m_numbers.next(m_books.config.numbering.adjustment, c.date);
    const std::array<FieldValue, 9> adjustment{{
        {"id", id},
        {"date", day},
        {"kind", std::string(to_string(AdjustmentKind::discount))},
        {"customer", customer_id},
        {"invoice", std::string(inv.id)},
        {"source", posted.id},
        {"amount", a.discount.to_string()},
        {"currency", std::string(cur.name())},
        {"reason", fmt::format("early-payment discount {}% ({})",
                               offer->percent.to_string(), inv.terms)},
    }};
    keep(m_out.append(Table::adjustments, adjustment, c.date));
    m_plan.planned.ids.push_back(std::move(id));
  }
  for (const auto& a : posted.applied) {
    if (a.writeoff.is_zero())
      continue;
    const auto& inv = m_books.invoices[a.invoice];
    auto id = m_numbers.next(m_books.config.numbering.adjustment, c.date);
    const std::array<FieldValue, 8> adjustment{{
        {"id", id},
        {"date", day},
        {"kind", std::string(to_string(AdjustmentKind::writeoff))},
        {"customer", std::string(m_books.customers[inv.customer].id)},
        {"invoice", std::string(inv.id)},
        {"amount", a.writeoff.to_string()},
        {"currency", std::string(cur.name())},
        {"reason", fmt::format("short payment {}: bank charges", posted.id)},
    }};
    keep(m_out.append(Table::adjustments, adjustment, c.date));
    m_plan.planned.ids.push_back(std::move(id));
  }
  m_plan.receipts.push_back(std::move(posted));
}

Result<ReceiptPlan> Poster::finish() {
  if (m_problems.any())
    return std::unexpected(m_problems.error());
  return std::move(m_plan);
}

} // namespace

Result<ReceiptPlan> plan_receipts(const Books& books,
                                  std::span<const Receipt> receipts, Date today,
                                  const ReceiptOptions& options) {
  Poster poster(books, today, options);
  for (const auto& r : receipts)
    poster.post(r);
  return poster.finish();
}

// ---- the batch file ----------------------------------------------------------------

namespace {

enum class Column : std::uint8_t {
  date, customer, amount, currency, method, reference, bank_tx, id, memo,
  invoices, amounts,
};

constexpr std::array<std::string_view, 11> k_columns{
    "date",    "customer", "amount", "currency", "method",  "reference",
    "bank_tx", "id",       "memo",   "invoices", "amounts"};

constexpr std::size_t col(Column c) { return static_cast<std::size_t>(c); }

constexpr std::array<std::pair<Column, DraftField Receipt::*>, 9> k_fields{{
    {Column::date, &Receipt::date},
    {Column::customer, &Receipt::customer},
    {Column::amount, &Receipt::amount},
    {Column::currency, &Receipt::currency},
    {Column::method, &Receipt::method},
    {Column::reference, &Receipt::reference},
    {Column::bank_tx, &Receipt::bank_tx},
    {Column::id, &Receipt::id},
    {Column::memo, &Receipt::memo},
}};

// The parts of a list cell ("INV-1; INV-2"), each with its own place when
// the cell is written without quotes (else the cell's).
std::vector<DraftField> split_list(const DraftField& cell) {
  std::vector<DraftField> out;
  const std::string_view text = cell.text;
  const auto& ex = cell.at.excerpt;
  const auto col0 = cell.at.loc.column;
  const bool plain = col0 >= 1 && col0 - 1 < ex.size() && ex[col0 - 1] != '"';
  std::size_t start = 0;
  for (;;) {
    const auto end = std::min(text.find(';', start), text.size());
    auto b = start, e = end;
    while (b < e && text[b] == ' ')
      ++b;
    while (e > b && text[e - 1] == ' ')
      --e;
    DraftField part{std::string(text.substr(b, e - b)), cell.at, b < e};
    if (plain) {
      part.at.loc.column = col0 + static_cast<std::uint32_t>(b);
      part.at.span = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(e - b));
    }
    out.push_back(std::move(part));
    if (end == text.size())
      break;
    start = end + 1;
  }
  return out;
}

} // namespace

Result<std::vector<Receipt>> parse_receipt_batch(std::string_view text,
                                                 const std::string& file,
                                                 bool auto_apply) {
  CsvInput input(file, k_columns);
  std::vector<Receipt> out;
  bool header_seen = false;
  const auto header = [&] {
    header_seen = true;
    bool ok = true;
    for (const auto c : {Column::date, Column::customer, Column::amount})
      if (!input.has(col(c))) {
        input.report(input.at_header(), "missing-column",
                     fmt::format("required column \"{}\" is missing",
                                 k_columns[col(c)]),
                     "a batch needs date, customer and amount");
        ok = false;
      }
    if (input.has(col(Column::amounts)) && !input.has(col(Column::invoices))) {
      input.report(input.at_header(), "missing-column",
                   "column \"amounts\" needs a column \"invoices\"",
                   "amounts are applied to the invoices listed there");
      ok = false;
    }
    return ok;
  };
  const auto row = [&](const CsvRecord& rec) {
    Receipt r;
    r.at = input.at_record(rec);
    r.auto_apply = auto_apply;
    for (const auto& [column, member] : k_fields)
      r.*member = input.field(rec, col(column), r.at);
    for (const auto column : {Column::date, Column::customer, Column::amount})
      if (!(r.*(k_fields[col(column)].second)).given)
        input.report(input.at_column(rec, col(column), r.at), "missing-value",
                     fmt::format("{} is empty", k_columns[col(column)]));
    const auto invoices = input.field(rec, col(Column::invoices), r.at);
    const auto amounts = input.field(rec, col(Column::amounts), r.at);
    if (invoices.given) {
      const auto ids = split_list(invoices);
      const auto sums = amounts.given ? split_list(amounts)
                                      : std::vector<DraftField>{};
      if (amounts.given && sums.size() != ids.size())
        input.report(amounts.at, "amounts-count",
                     fmt::format("{} amount{} for {} invoice{}", sums.size(),
                                 sums.size() == 1 ? "" : "s", ids.size(),
                                 ids.size() == 1 ? "" : "s"),
                     "give one amount per invoice, or none");
      for (std::size_t k = 0; k < ids.size(); ++k) {
        if (!ids[k].given)
          input.report(ids[k].at, "missing-value",
                       "an empty invoice id in the list");
        ReceiptApplication a{ids[k], k < sums.size() ? sums[k] : DraftField{}, {}};
        if (k >= sums.size())
          a.amount.at = invoices.at;
        r.apply.push_back(std::move(a));
      }
    } else if (amounts.given) {
      input.report(amounts.at, "amounts-without-invoices",
                   "amounts are given but no invoices",
                   "list the invoices to apply to in the invoices column");
    }
    out.push_back(std::move(r));
  };
  input.read(text, header, row);
  if (!header_seen && input.problems.empty())
    input.report(input.at_header(), "no-header", "the batch has no header row",
                 "a batch starts with a header such as "
                 "date,customer,amount,reference");
  if (!input.problems.empty())
    return std::unexpected(problems_error(file, std::move(input.problems)));
  return out;
}

} // namespace arctl
