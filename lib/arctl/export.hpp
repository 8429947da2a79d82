// Journals for plain-text accounting: every fact of the books as a dated,
// balanced entry in the syntax of ledger, hledger or beancount, so that a
// general ledger kept with one of them can take the receivables, and every
// balance arctl computes can be checked by another program.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/ledger.hpp"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

enum class JournalFormat : std::uint8_t { ledger, hledger, beancount };

[[nodiscard]] std::string_view to_string(JournalFormat format);
// "ledger", "hledger" or "beancount".
[[nodiscard]] std::optional<JournalFormat>
parse_journal_format(std::string_view text);

// An id as an account component that every tool accepts (beancount's rule:
// an uppercase letter or digit, then letters, digits and '-'): a lowercase
// first letter is raised, '.' and '_' become '-', the rest is kept.
// "acme.de" gives "Acme-de"; "ACME" stays "ACME".
[[nodiscard]] std::string account_component(std::string_view id);

// The account component of each customer, parallel to `ids`, no two alike.
// An id that is a valid component as it is keeps it. Every other id, in
// order, takes account_component(id), or, when another customer has that
// already, the same with "-2", "-3", ... appended, the first that no
// customer has. So "acme" and "Acme" give "Acme-2" and "Acme".
[[nodiscard]] std::vector<std::string>
customer_account_components(std::span<const std::string_view> ids);

struct ExportRequest {
  JournalFormat format = JournalFormat::ledger;
  // Only the facts dated on or before this date.
  Date as_of = k_end_of_time;
  // With a date: first one entry of opening balances dated `from`, with
  // each customer's receivable and credit at the end of the day before,
  // then only the facts dated from `from` on.
  std::optional<Date> from;
};

// Where the journal goes, a piece at a time.
using JournalSink = std::function<void(std::string_view text)>;

// Writes the journal of `books` to `write`: a comment saying what it holds,
// the declarations the tools' strict modes ask for (commodities, accounts,
// payees; beancount's options and open directives), then one balanced
// entry per fact in date order; within a day invoices, payments, credit
// memos, later applications and other adjustments, each in file order, as
// compute_ledger walks them. Events move no money and give no entry.
// `ledger` is the ledger as of request.as_of: every customer's balance in
// the journal (receivable plus customer credit) is checked against it, and
// a difference, which would be a bug, fails with ExitCode::software. A
// `from` after `as_of` fails with ExitCode::usage before anything is
// written. man arctl-export(1) gives the accounts of every kind of fact.
[[nodiscard]] Result<void> export_journal(const Books& books,
                                          const Ledger& ledger,
                                          const ExportRequest& request,
                                          const JournalSink& write);

// A posting of the journal to a customer's receivable or customer-credit
// account, as export_journal writes it: what other programs (the tie-out
// to a general ledger) compare with a journal the tools read back.
struct CustomerPosting {
  Date date;
  // The entry's document: its code in ledger and hledger, its first link
  // in beancount; empty for the entry of opening balances.
  std::string_view code;
  // Every document the entry links in beancount, the code first.
  std::span<const std::string_view> links;
  std::uint32_t customer = k_none;
  bool credit = false;     // the customer-credit account; else receivable
  std::int64_t amount = 0; // debit positive, in the currency's minor units
  Currency currency;
};

using CustomerPostingSink = std::function<void(const CustomerPosting&)>;

// The postings export_journal would write to the customers' receivable and
// customer-credit accounts for `request`, in the same order (the format
// does not matter), without the journal's text and without its check of
// the balances. An entry that moves nothing gives one posting of zero to
// its customer's receivable, as in the journal. `ledger` is as of
// request.as_of or later.
[[nodiscard]] Result<void>
export_customer_postings(const Books& books, const Ledger& ledger,
                         const ExportRequest& request,
                         const CustomerPostingSink& sink);

} // namespace arctl
