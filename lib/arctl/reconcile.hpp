// Reconciling the bank with the books (`arctl reconcile match`, `status`,
// `confirm`, `ignore`): which bank credits the books account for, the
// proposals of the matching rules (matching.hpp) for those they do not,
// posting the confident ones through the same engine as `arctl post`, and
// the exceptions left for a person, with every decision recorded in
// reconciliations.csv.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/ledger.hpp"
#include "arctl/matching.hpp"
#include "arctl/report.hpp"
#include "arctl/transaction.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace arctl {

// Money in that is the customers' to account for: a credit that is not the
// bank's reversal of an earlier debit.
[[nodiscard]] bool is_customer_credit(const BankTx& t);

// What the books say about each bank transaction and payment.
struct BankLinks {
  // Per bank transaction: its row of reconciliations.csv, or k_none.
  std::vector<std::uint32_t> decision;
  // Per bank transaction: the payments it carries (those its decision
  // names, and those whose bank_tx names it by its id or the bank's id).
  std::vector<std::vector<std::uint32_t>> payments;
  // Per payment: the bank transaction that carries it, or k_none.
  std::vector<std::uint32_t> payment_bank;

  // Whether the bank transaction is accounted for: decided, or carrying
  // payments.
  [[nodiscard]] bool cleared(std::uint32_t bank) const {
    return decision[bank] != k_none || !payments[bank].empty();
  }
};
[[nodiscard]] BankLinks link_bank(const Books& books);

// The matching rules and tolerances arctl.toml sets ([reconcile]). A
// tolerance never exceeds what payments.writeoff_limit lets be written off
// without an approver.
[[nodiscard]] MatchOptions match_options(const Config& config);

// What matching made of the credits not yet accounted for.
struct MatchRun {
  std::vector<std::uint32_t> bank; // bank transactions, by date
  std::vector<MatchProposal> proposals; // parallel to `bank`
};

// Proposals for every customer credit dated on or before `as_of` that no
// decision or payment accounts for, in date order, against the books'
// state in `ledger` (which must be as of the end: what is open now).
// Payers' accounts are learned from credits accounted for by one
// customer's payments (not a third party's); a payment is unseen at the
// bank when no bank transaction carries it and it is not older than the
// first bank transaction in its currency by more than
// k_deposit_days_before.
[[nodiscard]] MatchRun match_bank(const Books& books, const Ledger& ledger,
                                  Date as_of, const MatchOptions& options);

// Whether a proposal may be posted: proposed, at least `min_confidence`,
// and dated after the books' lock date.
[[nodiscard]] bool postable(const Books& books, const BankTx& t,
                            const MatchProposal& p, int min_confidence);

// What --post writes for the postable proposals of `run`: for the rules
// posted and deposit, a decision linking the payments; for the others, a
// payment (id from [numbering] payment, dated the credit's booking date,
// its bank_tx the bank transaction's id, so never posted twice) with the
// proposal's applications, discounts and write-offs, and the decision
// recording the rule, confidence, reason and evidence. `today` dates the
// decisions.
struct MatchPosting {
  PlannedChange planned;
  std::vector<std::size_t> posted; // indexes in run.proposals
};
[[nodiscard]] Result<MatchPosting> plan_match_post(const Books& books,
                                                   const MatchRun& run,
                                                   int min_confidence,
                                                   Date today);

// A decision by hand on one bank credit.
struct ConfirmRequest {
  std::string bank; // the bank transaction's id in bank.csv
  // Applications "INVOICE" or "INVOICE=AMOUNT", in order; the rest stays
  // on account.
  std::vector<std::string> apply;
  std::string customer;              // with no applications: unapplied cash
  std::vector<std::string> payments; // or payments in the books it carries
  std::string reason;
  Date today;
};

// Posts the credit as a payment applied as asked (of --customer, else of
// the first invoice's customer; invoices of others are a third party's),
// or links it to payments in the books, and records the decision.
// Refused (ExitCode::data): an unknown bank transaction, one that is not
// a customer credit or is accounted for already, a payment carried by
// another bank line or in another currency. ExitCode::usage: neither or
// both of applications/customer and payments.
[[nodiscard]] Result<PlannedChange> plan_confirm(const Books& books,
                                                 const ConfirmRequest& request);

// Records that a bank credit is not for the receivables (a loan, a
// transfer between own accounts), with the reason; refused as
// plan_confirm refuses.
[[nodiscard]] Result<PlannedChange> plan_ignore(const Books& books,
                                                const std::string& bank,
                                                const std::string& reason,
                                                Date today);

// The worklist: what is not reconciled as of a date.
enum class ExceptionKind : std::uint8_t {
  unmatched,   // a customer credit nothing accounts for
  not_at_bank, // a payment no bank line carries, within the statements' span
  difference,  // a bank credit whose payments come to another amount
};
[[nodiscard]] std::string_view to_string(ExceptionKind kind);

struct ReconcileException {
  ExceptionKind kind = ExceptionKind::unmatched;
  std::uint32_t bank = k_none;    // unmatched, difference
  std::uint32_t payment = k_none; // not_at_bank
  Date date;
  Money amount;     // the bank's, or the payment's
  Money difference; // difference: bank less payments
};

// Exceptions dated on or before `as_of`, by date. A payment counts as not
// at the bank only from the first bank transaction in its currency less
// k_deposit_days_before to the last one: earlier ones precede the
// statements, later ones may be on the next.
[[nodiscard]] std::vector<ReconcileException>
reconcile_exceptions(const Books& books, const BankLinks& links, Date as_of);

// The proposals as data: one row per credit, with its status (post: what
// --post would post; review: a proposal below `min_confidence`; flagged;
// unidentified), rule, confidence, applications ("INV=AMOUNT;..."),
// discounts, write-offs, what stays on account, payments linked, reason
// and evidence ("; " between facts).
[[nodiscard]] TableData match_table(const Books& books, const MatchRun& run,
                                    int min_confidence);
// The same for people: each credit with what it pays and why, and a count.
[[nodiscard]] std::string match_text(const Books& books, const MatchRun& run,
                                     int min_confidence);
// The exceptions as data: kind, date, bank transaction, payment, customer,
// amount, currency, difference and what the bank or the payment says.
[[nodiscard]] TableData
exceptions_table(const Books& books,
                 std::span<const ReconcileException> exceptions);

} // namespace arctl
