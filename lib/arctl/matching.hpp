// Matching bank credits to open invoices (`arctl reconcile match`): the
// evidence a credit carries (invoice numbers in its remittance text, the
// payer's name and bank account), the amount against what is open, and a
// list of rules tried in order, the first that fires making the proposal,
// with a confidence and the reason in words. Nothing here writes; a
// proposal is posted through the same engine as `arctl post`.
#pragma once

#include "arctl/books.hpp"
#include "arctl/ledger.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace arctl {

// One bank credit to match.
struct BankCredit {
  std::string_view id; // the bank transaction
  Date date;
  std::int64_t amount = 0; // > 0, in the currency's minor units
  Currency currency;
  std::string_view name;       // the payer as the bank names it
  std::string_view account;    // the payer's account (IBAN, number)
  std::string_view remittance; // free text and references
};

// The rules, in the order of the default list (man arctl-reconcile).
enum class MatchRule : std::uint8_t {
  posted,             // one payment in the books, not yet seen at the bank
  deposit,            // a day's payments in the books, deposited together
  reference,          // invoices named, the amount what is open on them
  reference_discount, // ... less their early-payment discounts
  reference_short,    // ... short by no more than the tolerance
  reference_partial,  // invoices named, less or more than is open
  reference_typo,     // a number one slip from an invoice the amount pays
  account_amount,     // the payer's account known, an amount it owes
  name_amount,        // the payer's name recognised, an amount it owes
  combination,        // the customer known, a unique set of its invoices
  customer_only,      // the customer known, the amount fits nothing
};
inline constexpr std::size_t k_match_rule_count = 11;

[[nodiscard]] std::string_view to_string(MatchRule rule);
[[nodiscard]] std::optional<MatchRule> parse_match_rule(std::string_view name);
// Every rule in the default order.
[[nodiscard]] std::span<const MatchRule> default_match_rules();

struct MatchOptions {
  std::vector<MatchRule> rules{default_match_rules().begin(),
                               default_match_rules().end()};
  // The largest difference between what is open and what was paid that is
  // taken as bank charges (written off), by currency; none: nothing is.
  std::vector<Money> tolerances;
  // How many of a customer's open invoices, the oldest due first, the
  // combination rule considers; subsets are searched exhaustively.
  std::size_t combination_limit = 20;
  // What is to be posted: a proposal of less confidence does not hold
  // what it applies against the credits after it.
  int min_confidence = 90;

  [[nodiscard]] std::int64_t tolerance(Currency currency) const;
};

// How many days a payment in the books may precede the bank line that
// carries it (a check entered when it came, deposited later), and follow
// it (entered from the statement, dated a little late).
inline constexpr int k_deposit_days_before = 7;
inline constexpr int k_deposit_days_after = 2;

struct MatchApplication {
  std::uint32_t invoice = k_none;
  std::int64_t amount = 0;   // applied from the credit
  std::int64_t discount = 0; // early-payment discount taken with it
  std::int64_t short_pay = 0; // written off as bank charges
};

enum class MatchStatus : std::uint8_t {
  proposed,     // a match, with its confidence
  flagged,      // evidence that must not be guessed from (several payers)
  unidentified, // no customer could be told: cash waiting to be identified
};

struct MatchProposal {
  std::size_t credit = 0; // index in the credits given
  MatchStatus status = MatchStatus::unidentified;
  std::uint32_t customer = k_none;
  std::optional<MatchRule> rule;
  int confidence = 0; // 0 to 100
  std::vector<MatchApplication> applications; // the oldest due first
  std::int64_t unapplied = 0; // left on account with the customer
  // posted, deposit: the payments in the books the credit carries.
  std::vector<std::uint32_t> payments;
  // The invoices are named by the remittance but the payer is another
  // customer: posted to the invoices' customer, with the payer noted.
  bool third_party = false;
  std::string reason;               // for people
  std::vector<std::string> evidence; // each fact the decision rests on
};

// What earlier reconciliation taught: payers' bank accounts (account ->
// customer, from bank credits matched to payments), and the payments in
// the books that no bank line carries yet.
struct MatchHistory {
  std::unordered_map<std::string, std::uint32_t> accounts;
  std::vector<std::uint32_t> unseen_payments;
};

// What the books say about payers, gathered once for many credits: open
// invoices by customer, invoice numbers as remittance texts write them,
// customer names, payers' bank accounts and the payments not yet seen at
// the bank.
class MatchIndex {
public:
  MatchIndex(const Books& books, const Ledger& ledger,
             MatchHistory history = {});

  // Invoices whose numbers the text names, at most 50.
  [[nodiscard]] std::vector<std::uint32_t>
  invoices_named(std::string_view text) const;
  // The customer whose name is most like `name`, with a similarity from 0
  // to 100, when it stands out from the next best.
  [[nodiscard]] std::optional<std::pair<std::uint32_t, int>>
  customer_named(std::string_view name) const;
  // The customer whose name the text contains (a statement without the
  // payer's name in a field of its own writes it in the remittance), with
  // how much of the name is there, 0 to 100, when one stands out.
  [[nodiscard]] std::optional<std::pair<std::uint32_t, int>>
  customer_in_text(std::string_view text) const;
  // The open invoices with exactly `amount` open (before this run).
  [[nodiscard]] std::span<const std::uint32_t>
  open_amounting_to(std::int64_t amount) const;
  // The open invoices with exactly `amount` open whose number is one slip
  // (a digit mistyped, two swapped) from a number of four or more digits
  // in the text.
  [[nodiscard]] std::vector<std::uint32_t>
  one_slip_from(std::string_view text, std::int64_t amount) const;
  // The customers whose names are the same as the customer's once
  // normalised (itself included).
  [[nodiscard]] std::span<const std::uint32_t>
  namesakes(std::uint32_t customer) const;
  // How like the customer's name `name` is (name_similarity), or, for a
  // text, how much of the customer's name it holds, 0 to 100.
  [[nodiscard]] int name_score(std::uint32_t customer, std::string_view name,
                               bool in_text) const;
  [[nodiscard]] std::optional<std::uint32_t>
  customer_of_account(std::string_view account) const;
  // The customer's open invoices in `currency`, the oldest due first.
  [[nodiscard]] std::vector<std::uint32_t> open_of(std::uint32_t customer,
                                                   Currency currency) const;
  // The payments not yet seen at the bank dated from `from` to `to`, in
  // date order.
  [[nodiscard]] std::span<const std::uint32_t> unseen_between(Date from,
                                                              Date to) const;

  [[nodiscard]] const Books& books() const { return m_books; }
  [[nodiscard]] const Ledger& ledger() const { return m_ledger; }

private:
  const Books& m_books;
  const Ledger& m_ledger;
  // Normalised invoice numbers (see matching.cpp) -> open invoices.
  std::unordered_map<std::string, std::vector<std::uint32_t>> m_numbers;
  std::vector<std::vector<std::uint32_t>> m_open; // by customer
  std::vector<std::string> m_names;               // normalised, by customer
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> m_namesakes;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> m_by_open;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> m_trigrams;
  std::unordered_map<std::string, std::uint32_t> m_accounts;
  std::vector<std::uint32_t> m_unseen; // by date
};

// A proposal for each credit, in their order. Credits are matched one
// after the other: what an earlier proposal applies or links is not there
// for a later one.
[[nodiscard]] std::vector<MatchProposal>
match_credits(const MatchIndex& index, std::span<const BankCredit> credits,
              const MatchOptions& options);

// Helpers, public for their tests.
// "INV-2026-0018", "inv 2026/18" -> "INV202618": letters upper-cased,
// digit groups without leading zeros, everything else left out.
[[nodiscard]] std::string normalize_reference(std::string_view text);
// A name reduced to what identifies it: lower case, letters and digits,
// legal forms ("LLC", "GmbH", "Inc.") and "the", "and", "&" left out.
[[nodiscard]] std::string normalize_name(std::string_view name);
// How alike two normalised names are, 0 to 100 (Dice coefficient of their
// letter trigrams).
[[nodiscard]] int name_similarity(std::string_view a, std::string_view b);

} // namespace arctl
