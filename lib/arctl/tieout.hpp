// The tie-out of the receivables subledger to the general ledger: the
// control account's balance at a date, as the GL states it (a figure, a
// trial balance, or a ledger, hledger or beancount journal read by running
// that tool), against arctl's open receivables at the same date, per
// currency; and, where they differ, the facts that explain the difference
// as far as the GL's side lets arctl tell.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/export.hpp"
#include "arctl/ledger.hpp"
#include "arctl/money.hpp"
#include "arctl/report.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// Which of arctl's figures the GL's control account is compared with.
// arctl export posts invoices and what is applied to them to the
// receivable accounts and unapplied credit (payments and credit memos not
// yet applied) to the customer-credit accounts, a liability; a GL that
// takes that journal holds the receivables gross of unapplied credit.
enum class TieOutBasis : std::uint8_t {
  receivable, // open on invoices (the receivable accounts); the default
  net,        // open on invoices less unapplied credit (both accounts)
};

[[nodiscard]] std::string_view to_string(TieOutBasis basis);

// One posting to the control account as a GL tool reports it.
struct GlPosting {
  Date date;
  std::string code;               // the entry's code (ledger, hledger)
  std::vector<std::string> links; // the entry's links (beancount)
  std::string account;
  std::string description; // payee and description, as the tool has them
  Money amount;
};

// What the general ledger says of its control account.
struct GlStatement {
  // Where the figures came from, for people: "ledger journal gl.ledger".
  std::string source;
  // The control account: each of these accounts with its sub-accounts.
  std::vector<std::string> accounts;
  // Its balance at the as-of date, one per currency.
  std::vector<Money> balances;
  // Whether `balances` covers every currency the GL holds (a journal) or
  // only the ones stated (a figure, a trial balance): then arctl's other
  // currencies are not compared.
  bool every_currency = false;
  // A journal's postings to the control account, of every date.
  std::optional<std::vector<GlPosting>> postings;
  // What the tool wrote on standard error while succeeding, line by line.
  std::vector<std::string> warnings;
};

// Whether `account` is one of `accounts` or below one of them
// (Assets:Receivable covers Assets:Receivable:ACME, not
// Assets:Receivables).
[[nodiscard]] bool within_accounts(std::string_view account,
                                   std::span<const std::string> accounts);

// An amount as a person or a spreadsheet writes it: an optional '-' (or
// the amount in parentheses), digits with optional ',' between groups of
// three, at most the currency's decimals after a '.'; optionally a
// currency code before or after it, separated by a space ("12,345.67
// USD"). Without a code, `fallback`.
[[nodiscard]] std::expected<Money, ParseError>
parse_gl_amount(std::string_view text, Currency fallback);

// The tool that reads a journal, told by its file name: .beancount and
// .bean are beancount, .hledger and .journal hledger, .ledger and .dat
// ledger; anything else nothing.
[[nodiscard]] std::optional<JournalFormat>
journal_tool_for(std::string_view path);

// The program each tool is run as: ledger, hledger, bean-query.
[[nodiscard]] std::string_view tool_program(JournalFormat tool);

// The command line that asks `tool` for the balances of `accounts` (and
// more: the answer is filtered by within_accounts) per account and
// currency at the end of `as_of`.
[[nodiscard]] std::vector<std::string>
gl_balance_command(JournalFormat tool, const std::string& file,
                   std::span<const std::string> accounts, Date as_of);

// The command line that asks `tool` for every posting to `accounts` (and
// more, filtered likewise) with its date, the entry's code or links, the
// account, the amount and the description.
[[nodiscard]] std::vector<std::string>
gl_postings_command(JournalFormat tool, const std::string& file,
                    std::span<const std::string> accounts);

// What the balance command printed, as one balance per currency of the
// accounts within `accounts`. Fails (ExitCode::data) on output it cannot
// read and on a commodity that is no ISO 4217 currency.
[[nodiscard]] Result<std::vector<Money>>
parse_gl_balances(JournalFormat tool, std::string_view output,
                  std::span<const std::string> accounts);

// What the postings command printed, as the postings to accounts within
// `accounts`, in the tool's order.
[[nodiscard]] Result<std::vector<GlPosting>>
parse_gl_postings(JournalFormat tool, std::string_view output,
                  std::span<const std::string> accounts);

// Runs both commands on `file`. Fails with ExitCode::no_input when the
// file cannot be read, ExitCode::unavailable when the tool is not
// installed or fails (its message quoted), ExitCode::data when its output
// cannot be read.
[[nodiscard]] Result<GlStatement>
read_gl_journal(JournalFormat tool, const std::string& file,
                std::span<const std::string> accounts, Date as_of);

// A trial balance in CSV (RFC 4180, a header row first): a column
// `account`, and either a column `balance` or the columns `debit` and
// `credit` (balance = debit − credit), and optionally `currency` (else
// every amount is in `fallback`); names in any case, other columns
// ignored, amounts as parse_gl_amount reads them, an empty cell zero. The
// rows whose account is within `accounts` are summed per currency. `name`
// names the file in messages (ExitCode::data, with line and column).
[[nodiscard]] Result<GlStatement>
read_trial_balance(std::string_view text, const std::string& name,
                   std::span<const std::string> accounts, Currency fallback);

// ---- the comparison ---------------------------------------------------------

struct TieOutRequest {
  Date as_of;
  TieOutBasis basis = TieOutBasis::receivable;
  // The GL took arctl's journal from this date on (arctl export --from):
  // it opens with an entry of opening balances, which is compared with
  // arctl's as one item, and the documents before it are not compared.
  std::optional<Date> from;
};

// Why a document, or a stretch of facts, makes the two figures differ.
enum class TieOutFinding : std::uint8_t {
  // From a journal's postings, document by document:
  missing_in_gl,         // arctl has it on or before the date, the GL not
  missing_in_arctl,      // the GL has it on or before the date, arctl not
  amount_differs,        // both have it, for different amounts
  after_cutoff_in_gl,    // on or before the date in arctl, after in the GL
  after_cutoff_in_arctl, // on or before the date in the GL, after in arctl
  no_document,           // GL entries of a day that name no document
  // From a figure alone, what fits the difference:
  later_cutoff,   // a fact just after the date: the GL figure is arctl's
                  // as of a later day
  earlier_cutoff, // a fact of the last days: the GL figure is arctl's as
                  // of an earlier day
  same_amount,    // a fact whose amount is the difference
};

// Stable kebab-case names: "missing-in-gl", "after-cutoff-in-gl", ...
[[nodiscard]] std::string_view to_string(TieOutFinding finding);

struct TieOutItem {
  TieOutFinding finding = TieOutFinding::missing_in_gl;
  std::string document;            // arctl's id or the GL's code; may be ""
  std::uint32_t customer = k_none; // when arctl knows the document
  std::optional<Date> arctl_date, gl_date;
  std::int64_t arctl = 0; // what it adds to arctl's figure at the date
  std::int64_t gl = 0;    // what it adds to the GL's figure at the date
  // gl − arctl: what it adds to the difference. A same_amount item is one
  // of several guesses; each would explain `difference` by itself.
  std::int64_t difference = 0;
  std::string note; // the GL's account or description, or a guess's reason
};

struct TieOutSection {
  Currency currency;
  std::int64_t receivable = 0; // arctl: open on invoices
  std::int64_t unapplied = 0;  // arctl: unapplied credit, 0 or less
  std::int64_t arctl = 0;      // arctl's figure on the request's basis
  std::int64_t gl = 0;
  // False when the GL states no figure in this currency (a figure or a
  // trial balance in other currencies): shown, not compared.
  bool compared = true;
  std::vector<TieOutItem> items; // by date
  // The same_amount guesses left out of `items` (it keeps the ten dated
  // nearest the as-of date).
  std::size_t guesses_left_out = 0;
  // The difference less what the items other than guesses add to it.
  std::int64_t unexplained = 0;

  [[nodiscard]] std::int64_t difference() const { return gl - arctl; }
  [[nodiscard]] bool agrees() const { return !compared || gl == arctl; }
};

struct TieOut {
  Date as_of;
  TieOutBasis basis = TieOutBasis::receivable;
  std::optional<Date> from;
  std::string source;
  std::vector<std::string> accounts;
  bool per_document = false; // explained from a journal's postings
  // Without `from`: the day of the GL's first posting when that is an
  // entry without a document and arctl has documents before it that the
  // GL lacks: most likely opening balances, as arctl export --from
  // writes them, and the tie-out is better run with `from` that day.
  std::optional<Date> suggested_from;
  std::vector<TieOutSection> sections; // the company's currency first

  [[nodiscard]] bool agrees() const;
};

// Compares `gl` with the books at request.as_of. `end` is the ledger as of
// the end of the books (k_end_of_time): facts after the date explain a
// cut-off. arctl's figures are the aging's (open on invoices, unapplied
// credit); the explanations compare, document by document, the postings
// arctl export would make to the receivable accounts (and with the net
// basis the customer-credit accounts) with the GL's: a document is the
// code of a ledger or hledger entry, or the links of a beancount one.
// Without postings (a figure, a trial balance) it looks, within 31 days of
// the date, for a day as of which arctl's figure is the GL's (a cut-off
// earlier or later), else for single facts of the difference's amount.
// Fails (ExitCode::usage) on a `from` after the date.
[[nodiscard]] Result<TieOut> tie_out(const Books& books, const Ledger& end,
                                     const GlStatement& gl,
                                     const TieOutRequest& request);

// ---- rendering
// ---------------------------------------------------------------

// One row per item, then per currency a row `total` (note: agrees,
// differs or not compared) and, when not zero, a row `unexplained`.
// Columns: currency, finding, document, customer, arctl_date, gl_date,
// arctl, gl, difference, note; amounts plain decimals.
[[nodiscard]] TableData tie_out_table(const Books& books, const TieOut& t);

// For a terminal: what was compared with what, a table of the figures per
// currency, then per currency that differs its explanations.
[[nodiscard]] std::string tie_out_text(const Books& books, const TieOut& t);

// One JSON object: as_of, basis, from, suggested_from, source, accounts,
// per_document, agrees, and per currency its figures and items.
[[nodiscard]] std::string tie_out_json(const Books& books, const TieOut& t);

} // namespace arctl
