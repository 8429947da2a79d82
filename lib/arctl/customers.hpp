// `arctl customer` as functions on the books: check what a user asks for
// against the books and their configuration, and say exactly which records
// to write. Nothing here writes the books or reads the clock; the caller
// commits the returned Change under the books' lock.
#pragma once

#include "arctl/books.hpp"
#include "arctl/dates.hpp"
#include "arctl/error.hpp"
#include "arctl/ledger.hpp"
#include "arctl/report.hpp"
#include "arctl/transaction.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// What a user gives for a customer, as text from the command line. For a
// new customer an absent value is an empty field. For an edit, only the
// values given change, and an empty one clears an optional field.
struct CustomerDraft {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> currency;     // ISO 4217 code
  std::optional<std::string> terms;        // "net 30", "2/10 net 30", ...
  std::optional<std::string> credit_limit; // an amount in the currency
  std::optional<std::string> address;
  std::optional<std::string> tax_id;
  std::optional<bool> dunning; // false: never dunned
};

// The index of customer `id`, or ExitCode::data: unknown customer "X".
[[nodiscard]] Result<std::uint32_t> find_customer_id(const Books& books,
                                                     std::string_view id);

// A new customer: the id is valid and unused, the name given, the e-mail
// address, currency, terms and credit limit valid (the limit an amount of
// 0 or more in the customer's currency). Values are written in canonical
// form (terms "net 30", the limit with the currency's decimals) into a
// record appended to customers.csv, in the order of that file's header.
// Every refusal is ExitCode::usage and names the option
// ("--credit-limit: amount \"12.5O\" is not a number").
[[nodiscard]] Result<PlannedChange>
plan_add_customer(const Books& books, const CustomerDraft& draft);

// Changes the fields `draft` gives of customer draft.id, validated as for a
// new customer. customers.csv is rewritten with only that record changed;
// users' own columns keep their values. The currency of a customer with
// invoices, payments, adjustments, notices or arrangements cannot change:
// those facts are in the old currency (ExitCode::usage, naming
// --currency). At least one field must be given. An edit that changes
// nothing plans no change.
[[nodiscard]] Result<PlannedChange>
plan_edit_customer(const Books& books, const CustomerDraft& draft);

// A hold (kind hold) or its release (kind release) of customer `id` on
// `date`, appended to events.csv. Refused with ExitCode::data: a hold of a
// customer on hold as of `date`, a release of one who is not, either when
// a later hold or release of the customer exists (holds and releases are
// recorded in date order), and a date in a closed period (on or before
// `lock_date`). A hold needs a reason.
[[nodiscard]] Result<PlannedChange>
plan_customer_event(const Books& books, EventKind kind, std::string_view id,
                    Date date, std::string_view reason);
// The same with the ledger as of `date` given.
[[nodiscard]] Result<PlannedChange>
plan_customer_event(const Books& books, const Ledger& ledger, EventKind kind,
                    std::string_view id, Date date, std::string_view reason);

// The customer list as of the ledger's date: id, name, email, currency,
// terms, credit_limit, dunning (yes|no), hold (yes or empty). Currency and
// terms are the customer's own or the books' defaults.
[[nodiscard]] TableData customer_table(const Books& books,
                                       const Ledger& ledger);

// One fact about a customer for `customer show`: a stable field name and
// its value as text; numeric values are plain decimals or empty.
struct CustomerDetail {
  std::string field;
  std::string value;
  bool numeric = false;
};

// Everything `customer show` tells about a customer as of the ledger's
// date: contact, terms, credit limit and credit used, open balance,
// unapplied credit, disputed, open invoices, the oldest overdue item, hold
// status. With positions in several currencies, the fields of the others
// follow, named with the currency ("open_balance_eur").
[[nodiscard]] std::vector<CustomerDetail>
customer_details(const Books& books, const Ledger& ledger,
                 std::uint32_t customer);

} // namespace arctl
