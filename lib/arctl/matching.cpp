#include "arctl/matching.hpp"

#include "arctl/posting.hpp"
#include "arctl/receipts.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <unordered_set>

namespace arctl {

namespace {

constexpr std::array k_rules{
    MatchRule::posted,         MatchRule::deposit,
    MatchRule::reference,      MatchRule::reference_discount,
    MatchRule::reference_short, MatchRule::reference_partial,
    MatchRule::reference_typo,
    MatchRule::account_amount, MatchRule::name_amount,
    MatchRule::combination,    MatchRule::customer_only,
};
constexpr std::array<std::string_view, k_match_rule_count> k_rule_names{
    "posted",         "deposit",
    "reference",      "reference-discount", "reference-short",
    "reference-partial", "reference-typo", "account-amount",  "name-amount",
    "combination",    "customer-only",
};

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Words that say what kind of company it is, not which.
constexpr std::array<std::string_view, 28> k_name_noise{
    "llc",  "inc", "ltd",  "gmbh", "co",  "corp", "corporation",
    "company", "the", "and", "plc", "sa", "ag",  "bv",
    "nv",   "pllc", "llp", "lp",  "limited", "incorporated", "kg",
    "mbh",  "srl", "sarl", "oy",  "ab",  "as",  "pty"};

std::uint32_t trigram(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<unsigned char>(s[at + 2]);
}

// The distinct trigrams of a normalised name, padded with a space at both
// ends so that short names still have some; sorted.
std::vector<std::uint32_t> trigrams_of(std::string_view name) {
  std::vector<std::uint32_t> out;
  if (name.empty())
    return out;
  const std::string padded = " " + std::string(name) + " ";
  for (std::size_t i = 0; i + 3 <= padded.size(); ++i)
    out.push_back(trigram(padded, i));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

int dice(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  if (a.empty() || b.empty())
    return 0;
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j]) {
      ++common;
      ++i;
      ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<int>(200 * common / (a.size() + b.size()));
}

std::string account_key(std::string_view account) {
  std::string key;
  for (const char c : account)
    if (is_alnum(c))
      key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

// The text's words, split at spaces and at punctuation that does not join
// the parts of a document number ('-', '.', '_' do, and '/' between
// digits: "2026/18", but not "REMI/INV-18").
std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  const auto digit = [&](std::size_t at) {
    return at < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[at])) != 0;
  };
  const auto joins = [&](std::size_t at) {
    const char c = text[at];
    if (c == '/')
      return at > 0 && digit(at - 1) && digit(at + 1);
    return is_alnum(c) || c == '-' || c == '.' || c == '_';
  };
  while (i < text.size()) {
    while (i < text.size() && !joins(i))
      ++i;
    auto end = i;
    while (end < text.size() && joins(end))
      ++end;
    if (end > i)
      words.push_back(text.substr(i, end - i));
    i = end;
  }
  return words;
}

// How many digits `text` has, leading zeros included: a number written
// with four or more ("0459", "2026-18") is looked for without its prefix.
std::size_t digit_count(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  }));
}

// Whether two document numbers are one slip apart: a character mistyped,
// or two neighbours swapped.
bool one_slip_apart(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a == b)
    return false;
  std::size_t first = 0;
  while (a[first] == b[first])
    ++first;
  std::size_t last = a.size() - 1;
  while (a[last] == b[last])
    --last;
  return first == last || (last == first + 1 && a[first] == b[last] &&
                           a[last] == b[first]);
}

// The digits of `text`, leading zeros and all: "INV-0003547" -> "0003547".
std::string raw_digits(std::string_view text) {
  std::string out;
  for (const char c : text)
    if (std::isdigit(static_cast<unsigned char>(c)))
      out += c;
  return out;
}

// The text's words joined in runs of up to three, as numbers are written
// ("INV 2026 0018"), each passed to `see`.
template <class See>
void word_runs(std::string_view text, See see) {
  const auto words = words_of(text);
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string joined;
    for (std::size_t n = 0; n < 3 && i + n < words.size(); ++n) {
      joined += (n ? " " : "") + std::string(words[i + n]);
      see(joined);
    }
  }
}

// The key without its leading letters: "INV202618" -> "202618".
std::string_view digits_key(std::string_view key) {
  std::size_t i = 0;
  while (i < key.size() && std::isalpha(static_cast<unsigned char>(key[i])))
    ++i;
  return key.substr(i);
}

std::string money(std::int64_t minor, Currency c) {
  return fmt::format("{} {}", c.name(), Money{minor, c}.to_display());
}

class Matcher {
public:
  Matcher(const MatchIndex& index, const MatchOptions& options)
      : m_index(index), m_books(index.books()), m_ledger(index.ledger()),
        m_options(options) {}

  MatchProposal match(std::size_t k, const BankCredit& credit);

private:
  struct Evidence {
    std::vector<std::uint32_t> named;      // open invoices named, same currency
    std::uint32_t named_customer = k_none; // their customer
    std::uint32_t by_account = k_none;
    std::uint32_t by_name = k_none;
    int name_score = 0;
    bool name_in_text = false; // found in the remittance, not a name field
    bool name_shared = false;  // the name is the named customer's and others'
    bool names_any = false;    // the text names invoices, open or not
  };

  std::optional<MatchProposal> try_rule(MatchRule rule, const BankCredit& c,
                                        const Evidence& e);
  std::optional<MatchProposal> by_reference(MatchRule rule,
                                            const BankCredit& c,
                                            const Evidence& e);
  std::optional<MatchProposal> by_amount(MatchRule rule, const BankCredit& c,
                                         std::uint32_t customer);
  std::optional<MatchProposal> by_combination(const BankCredit& c,
                                              std::uint32_t customer);
  std::optional<MatchProposal> by_typo(const BankCredit& c, const Evidence& e);
  std::optional<MatchProposal> by_payments(MatchRule rule, const BankCredit& c,
                                           const Evidence& e);
  // Whether the amount is exactly what is open on an invoice the text does
  // not name, of the named customer or, when the payer's name is also
  // others', of those, or of anyone when its number is one slip from a
  // number named: then the number named is more likely mistyped.
  [[nodiscard]] bool paid_elsewhere(const BankCredit& c,
                                    const Evidence& e) const;
  // What `p` applies and links is not there for later credits.
  void take(const MatchProposal& p);

  // What is open on the invoice, less its disputed part and what earlier
  // proposals of this run apply; nothing if it is dated after the credit.
  [[nodiscard]] std::int64_t open(std::uint32_t invoice) const {
    if (m_date < m_books.invoices[invoice].date)
      return 0; // not issued when the money came
    const auto& s = m_ledger.invoices[invoice];
    std::int64_t open = s.open;
    if (s.disputed)
      open = s.disputed_part > 0 ? std::max<std::int64_t>(0, open - s.disputed_part)
                                 : 0;
    if (const auto it = m_taken.find(invoice); it != m_taken.end())
      open -= it->second;
    return std::max<std::int64_t>(0, open);
  }
  [[nodiscard]] std::string_view id_of(std::uint32_t invoice) const {
    return m_books.invoices[invoice].id;
  }
  [[nodiscard]] std::string_view customer_id(std::uint32_t c) const {
    return m_books.customers[c].id;
  }
  // How the payer evidence bears on `customer`: corroborates, contradicts
  // or says nothing; for confidences and reasons.
  [[nodiscard]] int payer_agrees(const Evidence& e, std::uint32_t customer) const {
    if (e.by_account == customer)
      return 1;
    if (e.by_account != k_none)
      return -1;
    if (e.by_name == k_none || e.name_shared)
      return 0;
    return e.by_name == customer ? 1 : -1;
  }
  void payer_evidence(const BankCredit& c, const Evidence& e,
                      MatchProposal& p) const;

  const MatchIndex& m_index;
  const Books& m_books;
  const Ledger& m_ledger;
  const MatchOptions& m_options;
  std::unordered_map<std::uint32_t, std::int64_t> m_taken; // invoice -> taken
  std::unordered_set<std::uint32_t> m_linked;              // payments
  Date m_date; // of the credit being matched
};

std::optional<MatchProposal> Matcher::by_typo(const BankCredit& c,
                                              const Evidence& e) {
  // A text that names only invoices with nothing open (paid before, or by
  // an earlier credit) is a second payment of them, not a slip to be
  // moved to a neighbour.
  if (e.named.empty() &&
      (e.names_any || !invoices_named_in(m_books, c.remittance).empty()))
    return std::nullopt;
  std::vector<std::uint32_t> found;
  for (const auto inv : m_index.one_slip_from(c.remittance, c.amount))
    if (open(inv) == c.amount && m_books.invoices[inv].currency == c.currency)
      found.push_back(inv);
  if (found.size() != 1)
    return std::nullopt;
  const auto inv = found.front();
  MatchProposal p;
  p.customer = m_books.invoices[inv].customer;
  const int agree = payer_agrees(e, p.customer);
  if (agree < 0)
    return std::nullopt;
  p.applications.push_back({inv, c.amount, 0, 0});
  p.confidence = agree > 0 ? 95 : 90;
  p.reason = fmt::format("the remittance has a number one slip from {} (a "
                         "digit mistyped or two swapped), and the amount is "
                         "exactly what is open on it",
                         id_of(inv));
  return p;
}

bool Matcher::paid_elsewhere(const BankCredit& c, const Evidence& e) const {
  const auto same = e.name_shared
                        ? m_index.namesakes(e.named_customer)
                        : std::span<const std::uint32_t>(&e.named_customer, 1);
  const auto not_named = [&](std::uint32_t inv) {
    return std::find(e.named.begin(), e.named.end(), inv) == e.named.end();
  };
  for (const auto customer : same)
    for (const auto inv : m_index.open_of(customer, c.currency))
      if (open(inv) == c.amount && not_named(inv))
        return true;
  // Anyone's invoice whose number is one slip from a number in the text.
  for (const auto inv : m_index.one_slip_from(c.remittance, c.amount))
    if (open(inv) == c.amount && not_named(inv) &&
        m_books.invoices[inv].currency == c.currency)
      return true;
  return false;
}

void Matcher::take(const MatchProposal& p) {
  for (const auto& a : p.applications)
    m_taken[a.invoice] += a.amount + a.discount + a.short_pay;
  m_linked.insert(p.payments.begin(), p.payments.end());
}

std::optional<MatchProposal> Matcher::by_payments(MatchRule rule,
                                                  const BankCredit& c,
                                                  const Evidence& e) {
  const auto candidates =
      m_index.unseen_between(add_days(c.date, -k_deposit_days_before),
                             add_days(c.date, k_deposit_days_after));
  const auto& payments = m_books.payments;
  const auto usable = [&](std::uint32_t i) {
    return payments[i].currency == c.currency && !m_linked.contains(i);
  };
  const auto ids = [&](std::span<const std::uint32_t> list) {
    std::vector<std::string_view> out;
    for (const auto i : list)
      out.push_back(payments[i].id);
    return fmt::format("{}", fmt::join(out, ", "));
  };
  MatchProposal p;
  if (rule == MatchRule::posted) {
    // Of the amount, and of a customer the evidence does not rule out.
    std::vector<std::uint32_t> same;
    for (const auto i : candidates)
      if (usable(i) && payments[i].amount == c.amount &&
          payer_agrees(e, payments[i].customer) >= 0 &&
          (e.named_customer == k_none ||
           e.named_customer == payments[i].customer))
        same.push_back(i);
    if (same.empty())
      return std::nullopt;
    // Several of the same amount: the one the payer evidence points to.
    std::vector<std::uint32_t> agreed;
    for (const auto i : same)
      if (payer_agrees(e, payments[i].customer) > 0 ||
          e.named_customer == payments[i].customer)
        agreed.push_back(i);
    if (same.size() > 1 && agreed.size() != 1) {
      p.status = MatchStatus::flagged;
      p.payments = same;
      p.reason = fmt::format("payments {} in the books are each {} and none "
                             "is known to be this one: for a person to tell",
                             ids(same), money(c.amount, c.currency));
      return p;
    }
    const auto i = same.size() == 1 ? same.front() : agreed.front();
    p.payments = {i};
    p.customer = payments[i].customer;
    // By the amount alone: the more payments there are to choose from,
    // the likelier one has the amount by chance.
    const auto choices = std::count_if(candidates.begin(), candidates.end(), usable);
    p.confidence = !agreed.empty() ? 98 : choices <= 25 ? 94 : 85;
    p.reason = fmt::format("payment {} of {} ({}) is in the books, dated {}, "
                           "and no bank line carries it yet",
                           payments[i].id, money(c.amount, c.currency),
                           customer_id(p.customer),
                           format_date(payments[i].date));
    if (same.size() > 1)
      p.evidence.push_back(fmt::format(
          "of the payments of that amount ({}), only {} is the payer's",
          ids(same), payments[i].id));
    return p;
  }
  // deposit: all the payments of one day, together the amount.
  std::vector<std::uint32_t> found;
  int days = 0;
  for (std::size_t k = 0; k < candidates.size();) {
    const auto day = payments[candidates[k]].date;
    std::vector<std::uint32_t> of_day;
    std::int64_t sum = 0;
    for (; k < candidates.size() && payments[candidates[k]].date == day; ++k)
      if (usable(candidates[k])) {
        of_day.push_back(candidates[k]);
        sum += payments[candidates[k]].amount;
      }
    if (of_day.size() >= 2 && sum == c.amount) {
      found = std::move(of_day);
      ++days;
    }
  }
  if (days != 1)
    return std::nullopt;
  p.payments = found;
  p.customer = payments[found.front()].customer;
  for (const auto i : found)
    if (payments[i].customer != p.customer)
      p.customer = k_none;
  p.confidence = 92;
  p.reason = fmt::format("payments {} in the books, all those of {} no bank "
                         "line carries yet, come to {}: one deposit",
                         ids(found), format_date(payments[found.front()].date),
                         money(c.amount, c.currency));
  return p;
}

void Matcher::payer_evidence(const BankCredit& c, const Evidence& e,
                             MatchProposal& p) const {
  if (e.by_account != k_none)
    p.evidence.push_back(fmt::format("the payer's account {} is {}'s, from "
                                     "earlier payments",
                                     c.account, customer_id(e.by_account)));
  if (e.by_name != k_none && e.name_in_text)
    p.evidence.push_back(fmt::format(
        "the remittance has {}'s name, \"{}\" ({}% of it)",
        customer_id(e.by_name), m_books.customers[e.by_name].name,
        e.name_score));
  else if (e.by_name != k_none)
    p.evidence.push_back(fmt::format(
        "the payer's name \"{}\" is like {}'s, \"{}\" ({}% alike)", c.name,
        customer_id(e.by_name), m_books.customers[e.by_name].name,
        e.name_score));
}

std::optional<MatchProposal> Matcher::by_reference(MatchRule rule,
                                                   const BankCredit& c,
                                                   const Evidence& e) {
  if (e.named.empty())
    return std::nullopt;
  std::int64_t open_sum = 0;
  for (const auto inv : e.named)
    open_sum += open(inv);
  if (open_sum <= 0)
    return std::nullopt;
  MatchProposal p;
  p.customer = e.named_customer;
  std::vector<std::string> ids;
  for (const auto inv : e.named)
    ids.emplace_back(id_of(inv));
  const auto names = fmt::format("{}", fmt::join(ids, ", "));
  const int agree = payer_agrees(e, e.named_customer);
  // A payer known to be someone else lowers the confidence: a third party
  // may pay, but a mistyped number may name another customer's invoice.
  // The amount being what is open on the named invoices makes up for most
  // of it; a partial payment does not.
  const int bonus = agree > 0 ? 2 : agree < 0 ? -5 : 0;
  p.third_party = agree < 0;
  // Applications in order, as much as is open, until the money runs out.
  const auto apply_in_order = [&](std::int64_t money_left) {
    for (const auto inv : e.named) {
      const auto take = std::min(open(inv), money_left);
      if (take > 0)
        p.applications.push_back({inv, take, 0, 0});
      money_left -= take;
    }
    return money_left;
  };
  switch (rule) {
  case MatchRule::reference:
    if (c.amount != open_sum)
      return std::nullopt;
    apply_in_order(c.amount);
    p.confidence = 97 + bonus;
    p.reason = fmt::format("the remittance names {}, open {} in all, and the "
                           "amount is exactly that",
                           names, money(open_sum, c.currency));
    break;
  case MatchRule::reference_discount: {
    std::int64_t due = 0, discounts = 0;
    std::vector<std::int64_t> discount(e.named.size(), 0);
    for (std::size_t k = 0; k < e.named.size(); ++k) {
      const auto inv = e.named[k];
      const auto d = early_discount(m_books, inv);
      if (d && c.date <= d->until && m_ledger.invoices[inv].discounted == 0 &&
          d->amount.minor() < open(inv))
        discount[k] = d->amount.minor();
      due += open(inv) - discount[k];
      discounts += discount[k];
    }
    if (discounts == 0 || c.amount != due)
      return std::nullopt;
    for (std::size_t k = 0; k < e.named.size(); ++k) {
      const auto inv = e.named[k];
      p.applications.push_back({inv, open(inv) - discount[k], discount[k], 0});
    }
    p.confidence = 95 + bonus;
    p.reason = fmt::format("the remittance names {}, open {} in all, and the "
                           "amount is that less the early-payment discount of "
                           "{}, paid within its window",
                           names, money(open_sum, c.currency),
                           money(discounts, c.currency));
    break;
  }
  case MatchRule::reference_short: {
    const auto shortfall = open_sum - c.amount;
    const auto tolerance = m_options.tolerance(c.currency);
    if (shortfall <= 0 || shortfall > tolerance || paid_elsewhere(c, e))
      return std::nullopt;
    apply_in_order(c.amount);
    // Charges come off one payment: a named invoice left with nothing is a
    // partial payment, not a short one.
    if (p.applications.size() != e.named.size())
      return std::nullopt;
    p.applications.back().short_pay =
        open(p.applications.back().invoice) - p.applications.back().amount;
    // Charges are a small part of a payment: more than a tenth short may
    // as well be a partial payment, for a person to tell.
    p.confidence = (shortfall * 10 > open_sum ? 84 : 93) + bonus;
    p.reason = fmt::format("the remittance names {}, open {} in all; the "
                           "amount is {} short, within the tolerance of {} "
                           "for bank charges, which are written off",
                           names, money(open_sum, c.currency),
                           money(shortfall, c.currency),
                           money(tolerance, c.currency));
    break;
  }
  case MatchRule::reference_partial: {
    // A payer known to be another customer with an amount that confirms
    // nothing: more likely a mistyped number than a third party.
    if (c.amount == open_sum || agree < 0 || paid_elsewhere(c, e))
      return std::nullopt;
    p.unapplied = apply_in_order(c.amount);
    // Without the amount to confirm it, the number alone could be a typo:
    // the payer must be the invoices' customer for a confident match.
    p.confidence = (c.amount < open_sum ? 90 : 88) +
                   (agree > 0 || e.name_shared ? 2 : -5);
    p.reason =
        c.amount < open_sum
            ? fmt::format("the remittance names {}, open {} in all; {} pays "
                          "part of it, the oldest due first",
                          names, money(open_sum, c.currency),
                          money(c.amount, c.currency))
            : fmt::format("the remittance names {}, open {} in all; {} pays "
                          "them and leaves {} on account",
                          names, money(open_sum, c.currency),
                          money(c.amount, c.currency),
                          money(p.unapplied, c.currency));
    break;
  }
  default:
    return std::nullopt;
  }
  p.evidence.push_back(fmt::format("the remittance names {}", names));
  if (agree < 0)
    p.evidence.push_back(fmt::format(
        "the payer looks like another customer than {}: a third party pays",
        customer_id(e.named_customer)));
  return p;
}

std::optional<MatchProposal> Matcher::by_amount(MatchRule rule,
                                                const BankCredit& c,
                                                std::uint32_t customer) {
  if (customer == k_none)
    return std::nullopt;
  const auto open_list = m_index.open_of(customer, c.currency);
  std::uint32_t single = k_none;
  int count = 0;
  std::int64_t all = 0;
  for (const auto inv : open_list) {
    const auto o = open(inv);
    all += o;
    if (o == c.amount) {
      single = inv;
      ++count;
    }
  }
  MatchProposal p;
  p.customer = customer;
  const auto how = rule == MatchRule::account_amount ? "account" : "name";
  if (count == 1) {
    p.applications.push_back({single, c.amount, 0, 0});
    p.reason = fmt::format("the payer's {} is {}'s, and the amount is what is "
                           "open on {}, and on no other of its invoices",
                           how, customer_id(customer), id_of(single));
  } else if (open_list.size() > 1 && all == c.amount) {
    for (const auto inv : open_list)
      if (open(inv) > 0)
        p.applications.push_back({inv, open(inv), 0, 0});
    p.reason = fmt::format("the payer's {} is {}'s, and the amount is all it "
                           "owes in {}",
                           how, customer_id(customer), c.currency.name());
  } else {
    return std::nullopt;
  }
  p.confidence = rule == MatchRule::account_amount ? 95 : 90;
  return p;
}

std::optional<MatchProposal> Matcher::by_combination(const BankCredit& c,
                                                     std::uint32_t customer) {
  if (customer == k_none)
    return std::nullopt;
  auto list = m_index.open_of(customer, c.currency);
  std::erase_if(list, [&](std::uint32_t inv) { return open(inv) <= 0; });
  if (list.size() > m_options.combination_limit)
    list.resize(m_options.combination_limit);
  const auto n = list.size();
  if (n < 2)
    return std::nullopt;
  // Meet in the middle: every sum of the first half, then every sum of the
  // second looked up against what is missing. Unique or nothing.
  const auto half = n / 2;
  std::unordered_map<std::int64_t, std::pair<std::uint32_t, int>> left;
  for (std::uint32_t mask = 0; mask < (1u << half); ++mask) {
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < half; ++k)
      if (mask >> k & 1)
        sum += open(list[k]);
    auto [it, fresh] = left.try_emplace(sum, mask, 0);
    ++it->second.second;
  }
  int found = 0;
  std::uint64_t chosen = 0;
  for (std::uint32_t mask = 0; mask < (1u << (n - half)); ++mask) {
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < n - half; ++k)
      if (mask >> k & 1)
        sum += open(list[half + k]);
    const auto it = left.find(c.amount - sum);
    if (it == left.end())
      continue;
    found += it->second.second;
    chosen = std::uint64_t{mask} << half | it->second.first;
    if (found > 1)
      return std::nullopt;
  }
  if (found != 1 || std::popcount(chosen) < 2)
    return std::nullopt;
  MatchProposal p;
  p.customer = customer;
  std::vector<std::string> ids;
  for (std::size_t k = 0; k < n; ++k)
    if (chosen >> k & 1) {
      p.applications.push_back({list[k], open(list[k]), 0, 0});
      ids.emplace_back(id_of(list[k]));
    }
  p.confidence = 85;
  p.reason = fmt::format("the amount is what is open on {} together, and no "
                         "other set of {}'s {} oldest open invoices adds up "
                         "to it",
                         fmt::join(ids, ", "), customer_id(customer), n);
  return p;
}

std::optional<MatchProposal> Matcher::try_rule(MatchRule rule,
                                               const BankCredit& c,
                                               const Evidence& e) {
  switch (rule) {
  case MatchRule::posted:
  case MatchRule::deposit:
    return by_payments(rule, c, e);
  case MatchRule::reference:
  case MatchRule::reference_discount:
  case MatchRule::reference_short:
  case MatchRule::reference_partial:
    return by_reference(rule, c, e);
  case MatchRule::reference_typo:
    return by_typo(c, e);
  case MatchRule::account_amount:
    return by_amount(rule, c, e.by_account);
  case MatchRule::name_amount:
    return e.name_score >= 80 ? by_amount(rule, c, e.by_name) : std::nullopt;
  case MatchRule::combination: {
    const auto customer = e.by_account != k_none ? e.by_account
                          : e.named_customer != k_none ? e.named_customer
                                                       : e.by_name;
    auto p = by_combination(c, customer);
    if (p && customer == e.by_name && e.by_account == k_none &&
        e.named_customer == k_none)
      p->confidence = 80;
    return p;
  }
  case MatchRule::customer_only: {
    const auto customer = e.named_customer != k_none ? e.named_customer
                          : e.by_account != k_none   ? e.by_account
                                                     : e.by_name;
    if (customer == k_none)
      return std::nullopt;
    MatchProposal p;
    p.customer = customer;
    p.unapplied = c.amount;
    p.confidence = e.named_customer != k_none || e.by_account != k_none ? 60
                                                                        : 50;
    p.reason = fmt::format("the payer is {}, but the amount fits none of its "
                           "open invoices: on account, to be applied by hand",
                           customer_id(customer));
    return p;
  }
  }
  return std::nullopt;
}

MatchProposal Matcher::match(std::size_t k, const BankCredit& credit) {
  m_date = credit.date;
  Evidence e;
  std::vector<std::uint32_t> customers;
  // Whose invoices the text names counts every one named, even one an
  // earlier credit of this run pays: two customers' are never guessed at.
  for (const auto inv : m_index.invoices_named(credit.remittance)) {
    e.names_any = true;
    if (m_books.invoices[inv].currency != credit.currency)
      continue;
    const auto c = m_books.invoices[inv].customer;
    if (std::find(customers.begin(), customers.end(), c) == customers.end())
      customers.push_back(c);
    if (open(inv) > 0)
      e.named.push_back(inv);
  }
  if (customers.size() == 1)
    e.named_customer = customers.front();
  if (auto c = m_index.customer_of_account(credit.account))
    e.by_account = *c;
  if (auto c = credit.name.empty() ? m_index.customer_in_text(credit.remittance)
                                  : m_index.customer_named(credit.name)) {
    e.by_name = c->first;
    e.name_score = c->second;
    e.name_in_text = credit.name.empty();
  }
  // Customers may share a name ("Harbor Pediatrics" twice): a name that
  // tells none of them apart does not speak against the one the invoices
  // name (nor, since a mistyped number may name the other's, for it).
  if (e.named_customer != k_none && e.by_name != e.named_customer &&
      e.by_account == k_none) {
    const bool in_text = credit.name.empty();
    const auto score = m_index.name_score(
        e.named_customer, in_text ? credit.remittance : credit.name, in_text);
    if (score >= 80 && score >= e.name_score) {
      e.by_name = e.named_customer;
      e.name_score = score;
      e.name_in_text = in_text;
      e.name_shared = true;
    }
  }
  const auto& inv = m_books.invoices;
  std::sort(e.named.begin(), e.named.end(),
            [&](std::uint32_t a, std::uint32_t b) {
              return std::pair(inv[a].due, a) < std::pair(inv[b].due, b);
            });

  MatchProposal p;
  if (customers.size() > 1) {
    std::vector<std::string> ids;
    for (const auto c : customers)
      ids.emplace_back(customer_id(c));
    p.status = MatchStatus::flagged;
    p.reason = fmt::format("the remittance names invoices of {}: one payment "
                           "for several customers is for a person to split",
                           fmt::join(ids, ", "));
    for (const auto i : e.named)
      p.evidence.push_back(fmt::format("the remittance names {} ({})", id_of(i),
                                       customer_id(inv[i].customer)));
  } else {
    for (const auto rule : m_options.rules)
      if (auto found = try_rule(rule, credit, e)) {
        const auto status = found->status;
        p = std::move(*found);
        p.rule = rule;
        if (status != MatchStatus::flagged) {
          p.status = MatchStatus::proposed;
          if (p.confidence >= m_options.min_confidence)
            take(p);
        }
        break;
      }
    if (!p.rule)
      p.reason = "no invoice number, known account or customer name points to "
                 "a customer: unidentified cash";
  }
  p.credit = k;
  p.confidence = std::clamp(p.confidence, 0, 100);
  payer_evidence(credit, e, p);
  return p;
}

} // namespace

std::string_view to_string(MatchRule rule) {
  return k_rule_names[static_cast<std::size_t>(rule)];
}

std::optional<MatchRule> parse_match_rule(std::string_view name) {
  for (std::size_t k = 0; k < k_rule_names.size(); ++k)
    if (k_rule_names[k] == name)
      return static_cast<MatchRule>(k);
  return std::nullopt;
}

std::span<const MatchRule> default_match_rules() { return k_rules; }

std::int64_t MatchOptions::tolerance(Currency currency) const {
  for (const auto& t : tolerances)
    if (t.currency() == currency)
      return t.minor();
  return 0;
}

std::string normalize_reference(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto ch = static_cast<unsigned char>(text[i]);
    if (std::isdigit(ch)) {
      auto end = i;
      while (end < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[end])))
        ++end;
      auto start = i;
      while (start + 1 < end && text[start] == '0')
        ++start;
      out.append(text.substr(start, end - start));
      i = end;
    } else {
      if (std::isalpha(ch))
        out += static_cast<char>(std::toupper(ch));
      ++i;
    }
  }
  return out;
}

std::string normalize_name(std::string_view name) {
  std::string out;
  std::string word;
  const auto flush = [&] {
    if (!word.empty() &&
        std::find(k_name_noise.begin(), k_name_noise.end(), word) ==
            k_name_noise.end())
      out += (out.empty() ? "" : " ") + word;
    word.clear();
  };
  for (const char c : name) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || std::isalnum(b))
      word += static_cast<char>(std::tolower(b));
    else if (c != '.' && c != '\'')
      flush(); // "Inc." and "O'Brien" stay one word, without the mark
  }
  flush();
  return out;
}

int name_similarity(std::string_view a, std::string_view b) {
  return dice(trigrams_of(a), trigrams_of(b));
}

MatchIndex::MatchIndex(const Books& books, const Ledger& ledger,
                       MatchHistory history)
    : m_books(books), m_ledger(ledger), m_open(books.customers.size()),
      m_names(books.customers.size()),
      m_unseen(std::move(history.unseen_payments)) {
  std::stable_sort(m_unseen.begin(), m_unseen.end(),
                   [&](std::uint32_t a, std::uint32_t b) {
                     return books.payments[a].date < books.payments[b].date;
                   });
  for (std::uint32_t i = 0; i < books.invoices.size(); ++i) {
    const auto& s = ledger.invoices[i];
    if (!s.issued || s.void_ || s.open <= 0)
      continue;
    const auto& inv = books.invoices[i];
    m_open[inv.customer].push_back(i);
    m_by_open[s.open].push_back(i);
    auto key = normalize_reference(inv.id);
    const auto digits = digits_key(key);
    if (digit_count(inv.id) >= 4 && digits.size() != key.size())
      m_numbers[std::string(digits)].push_back(i);
    m_numbers[std::move(key)].push_back(i);
  }
  for (auto& list : m_open)
    std::sort(list.begin(), list.end(), [&](std::uint32_t a, std::uint32_t b) {
      return std::pair(books.invoices[a].due, a) <
             std::pair(books.invoices[b].due, b);
    });
  for (std::uint32_t c = 0; c < books.customers.size(); ++c) {
    m_names[c] = normalize_name(books.customers[c].name);
    for (const auto t : trigrams_of(m_names[c]))
      m_trigrams[t].push_back(c);
  }
  for (std::uint32_t c = 0; c < books.customers.size(); ++c)
    m_namesakes[m_names[c]].push_back(c);
  for (auto& [account, customer] : history.accounts)
    m_accounts.emplace(account_key(account), customer);
}

std::span<const std::uint32_t> MatchIndex::unseen_between(Date from,
                                                          Date to) const {
  const auto& payments = m_books.payments;
  const auto first = std::partition_point(
      m_unseen.begin(), m_unseen.end(),
      [&](std::uint32_t i) { return payments[i].date < from; });
  const auto last = std::partition_point(
      first, m_unseen.end(),
      [&](std::uint32_t i) { return payments[i].date <= to; });
  return {first, last};
}

std::vector<std::uint32_t>
MatchIndex::invoices_named(std::string_view text) const {
  std::vector<std::uint32_t> out;
  const auto add = [&](std::string_view key) {
    const auto it = m_numbers.find(std::string(key));
    if (it == m_numbers.end())
      return;
    for (const auto inv : it->second)
      if (out.size() < 50 && std::find(out.begin(), out.end(), inv) == out.end())
        out.push_back(inv);
  };
  // A number may be written in up to three words: "INV 2026 0018".
  word_runs(text, [&](const std::string& joined) {
    const auto key = normalize_reference(joined);
    if (key.empty())
      return;
    add(key);
    if (const auto digits = digits_key(key);
        digit_count(joined) >= 4 && digits.size() != key.size())
      add(digits);
  });
  return out;
}

std::optional<std::pair<std::uint32_t, int>>
MatchIndex::customer_named(std::string_view name) const {
  const auto wanted = trigrams_of(normalize_name(name));
  if (wanted.size() < 3)
    return std::nullopt;
  // Candidates share a trigram that few names have; each is then scored
  // on all of its trigrams.
  std::unordered_map<std::uint32_t, int> hits;
  for (const auto t : wanted) {
    const auto it = m_trigrams.find(t);
    if (it == m_trigrams.end() || it->second.size() > 500)
      continue;
    for (const auto c : it->second)
      ++hits[c];
  }
  std::vector<std::pair<int, std::uint32_t>> best;
  for (const auto& [c, n] : hits)
    best.emplace_back(n, c);
  const auto top = std::min<std::size_t>(best.size(), 20);
  std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(top),
                    best.end(), std::greater<>());
  int first = 0, second = 0;
  std::uint32_t who = k_none;
  for (std::size_t k = 0; k < top; ++k) {
    const auto c = best[k].second;
    const int score = dice(wanted, trigrams_of(m_names[c]));
    if (score > first) {
      second = first;
      first = score;
      who = c;
    } else if (score > second) {
      second = score;
    }
  }
  if (who == k_none || first < 60 || first - second < 10)
    return std::nullopt;
  return std::pair{who, first};
}

std::vector<std::uint32_t>
MatchIndex::one_slip_from(std::string_view text, std::int64_t amount) const {
  std::vector<std::uint32_t> out;
  const auto candidates = open_amounting_to(amount);
  if (candidates.empty())
    return out;
  std::vector<std::string> written;
  word_runs(text, [&](const std::string& joined) {
    if (auto digits = raw_digits(joined); digits.size() >= 4)
      written.push_back(std::move(digits));
  });
  for (const auto inv : candidates) {
    const auto own = raw_digits(m_books.invoices[inv].id);
    if (std::any_of(written.begin(), written.end(), [&](const std::string& w) {
          return one_slip_apart(own, w);
        }))
      out.push_back(inv);
  }
  return out;
}

std::span<const std::uint32_t>
MatchIndex::open_amounting_to(std::int64_t amount) const {
  const auto it = m_by_open.find(amount);
  if (it == m_by_open.end())
    return {};
  return it->second;
}

std::span<const std::uint32_t>
MatchIndex::namesakes(std::uint32_t customer) const {
  return m_namesakes.at(m_names[customer]);
}

int MatchIndex::name_score(std::uint32_t customer, std::string_view name,
                           bool in_text) const {
  const auto own = trigrams_of(m_names[customer]);
  if (!in_text)
    return dice(trigrams_of(normalize_name(name)), own);
  const auto present = trigrams_of(normalize_name(name));
  if (own.empty())
    return 0;
  const auto found = std::count_if(own.begin(), own.end(), [&](std::uint32_t t) {
    return std::binary_search(present.begin(), present.end(), t);
  });
  return static_cast<int>(100 * found / static_cast<std::ptrdiff_t>(own.size()));
}

std::optional<std::pair<std::uint32_t, int>>
MatchIndex::customer_in_text(std::string_view text) const {
  const auto present = trigrams_of(normalize_name(text));
  std::unordered_map<std::uint32_t, int> hits;
  for (const auto t : present) {
    const auto it = m_trigrams.find(t);
    if (it == m_trigrams.end() || it->second.size() > 500)
      continue;
    for (const auto c : it->second)
      ++hits[c];
  }
  // The most of a name found, then the longest: "Riverbend Architects"
  // over "Riverbend" when the text has both words.
  std::uint32_t who = k_none;
  int best = 0, best_hits = 0, second_hits = 0;
  for (const auto& [c, n] : hits) {
    const auto own = trigrams_of(m_names[c]);
    if (own.size() < 6)
      continue; // too short to tell from chance
    const int found = static_cast<int>(std::count_if(
        own.begin(), own.end(), [&](std::uint32_t t) {
          return std::binary_search(present.begin(), present.end(), t);
        }));
    const int score = static_cast<int>(100 * found / static_cast<int>(own.size()));
    if (score < 80)
      continue;
    if (found > best_hits) {
      second_hits = best_hits;
      best_hits = found;
      best = score;
      who = c;
    } else if (found > second_hits) {
      second_hits = found;
    }
  }
  if (who == k_none || best_hits - second_hits < 3)
    return std::nullopt;
  return std::pair{who, best};
}

std::optional<std::uint32_t>
MatchIndex::customer_of_account(std::string_view account) const {
  const auto key = account_key(account);
  if (key.empty())
    return std::nullopt;
  const auto it = m_accounts.find(key);
  if (it == m_accounts.end())
    return std::nullopt;
  return it->second;
}

std::vector<std::uint32_t> MatchIndex::open_of(std::uint32_t customer,
                                               Currency currency) const {
  std::vector<std::uint32_t> out;
  for (const auto inv : m_open[customer])
    if (m_books.invoices[inv].currency == currency)
      out.push_back(inv);
  return out;
}

std::vector<MatchProposal> match_credits(const MatchIndex& index,
                                         std::span<const BankCredit> credits,
                                         const MatchOptions& options) {
  Matcher matcher(index, options);
  std::vector<MatchProposal> out;
  out.reserve(credits.size());
  for (std::size_t k = 0; k < credits.size(); ++k)
    out.push_back(matcher.match(k, credits[k]));
  return out;
}

} // namespace arctl
