// The state of the receivables as of a date, derived from the facts: what is
// open on each invoice, what is left on each payment and credit memo, and
// each invoice's and customer's status. One walk over the money, in date
// order, serves every report and `check` alike.
#pragma once

#include "arctl/books.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace arctl {

// What the walk found wrong with a fact (check reports these; a report on
// valid books never sees one). Such a fact does not count.
struct LedgerProblem {
  Table table;             // allocations, adjustments or events
  std::uint32_t line = 0;  // the fact's line
  std::string_view column; // the column to point at
  std::string code;
  std::string message;
  std::string hint;
};

// 56 bytes: a ledger of a million invoices is walked in one pass, and
// every byte of state is memory first touched.
struct InvoiceState {
  std::int64_t open = 0;     // total less everything applied
  std::int64_t paid = 0;     // applied from payments
  std::int64_t credited = 0; // applied from credit memos
  std::int64_t discounted = 0;
  std::int64_t written_off = 0;
  std::int64_t disputed_part = 0; // the part disputed; 0: all that is open
  bool issued = false;            // dated on or before the as-of date
  bool void_ = false;
  bool disputed = false;
};

struct SourceState {
  std::int64_t left = 0;    // unapplied, not refunded, not reversed
  std::int64_t applied = 0; // net applied to invoices
  std::int64_t refunded = 0;
  bool reversed = false;
};

struct CustomerState {
  bool on_hold = false;
  std::string_view hold_reason;
  Date hold_since;
};

// An invoice among the open items, with all of it that an aging reads, so
// that one need not touch the records and state of the invoices settled
// long ago: in large books they are nearly all, spread over hundreds of MB.
struct OpenInvoice {
  std::uint32_t invoice = k_none; // index in Books::invoices
  std::uint32_t customer = k_none;
  Date date, due;
  Currency currency;
  std::int64_t total = 0;
  std::int64_t open = 0;          // as InvoiceState
  std::int64_t disputed_part = 0; // as InvoiceState
  bool disputed = false;
};

// A payment or credit memo among the open items.
struct OpenCredit {
  DocRef document; // a payment or an adjustment of kind credit
  std::uint32_t customer = k_none;
  Currency currency;
  Date date;
  std::int64_t amount = 0; // of a credit memo; 0 for a payment
  std::int64_t left = 0;   // as SourceState
};

// How many days before its date a ledger's open items also hold every
// document, open or not: the longest run of sales a report looks back on
// (DSO's 90 days, the as-of date included).
inline constexpr int k_recent_days = 90;

// The open items of a ledger: the issued, non-void invoices with something
// open, and the payments and credit memos with something left; and, open
// or not, every such invoice and credit memo dated on or after `since`.
// Each list in the order of its records (payments before credit memos).
// For a ledger as of its latest fact or later, `since` is k_recent_days − 1
// days before that fact, so the same items serve every as-of date on
// which no fact is dated after the latest.
struct OpenItems {
  std::shared_ptr<const Adopted> storage; // as in Books
  Date since;
  Records<OpenInvoice> invoices;
  Records<OpenCredit> credits;
};

// The books as of a date. Vectors are parallel to those of Books
// (sources: payments, and adjustments of kind credit; other entries of
// `credits` stay zero).
struct Ledger {
  std::shared_ptr<const Adopted> storage; // as in Books
  Date as_of;
  std::optional<Date> latest; // of any fact in the books (latest_fact_date)
  Records<InvoiceState> invoices;
  Records<SourceState> payments;
  Records<SourceState> credits;
  Records<CustomerState> customers;
  // Its open items when they were kept with it (the ledger of a snapshot),
  // else null: `open_items` finds them.
  std::shared_ptr<const OpenItems> open;
};

// The open items of `ledger`: those it keeps when they serve its date,
// else found by a pass over every invoice, payment and credit memo.
[[nodiscard]] std::shared_ptr<const OpenItems>
open_items(const Books& books, const Ledger& ledger);

// Walks every fact dated on or before `as_of` in date order (within a day:
// applications in file order, then adjustments in file order, then events
// in file order). `problem`, if given, hears of every fact that breaks a
// rule (an application beyond what is open or left, a void of an invoice in
// use, a release of a customer not on hold, ...); such a fact does not count.
[[nodiscard]] Ledger
compute_ledger(const Books& books, Date as_of,
               const std::function<void(const LedgerProblem&)>& problem = {});

// The latest date a fact can have: for "as of the end of the books".
inline constexpr Date k_end_of_time{date::year{9999}, date::December,
                                    date::day{31}};

// The date of the latest fact in the books (invoice, payment, application,
// adjustment or event), or nothing when they hold none. A ledger as of
// this date or later is the ledger as of the end of the books.
[[nodiscard]] std::optional<Date> latest_fact_date(const Books& books);

// The ledger as of `as_of`, taken from `end` (the ledger as of the end of
// the books) when no fact is dated after `as_of` (end.latest), else
// computed.
[[nodiscard]] Ledger ledger_as_of(const Books& books, Ledger&& end,
                                  Date as_of);

// What a reversal takes back of its payment: its amount when it has one,
// else what was left of the payment when it was reversed, which is its
// amount less its refunds: nothing may stay applied to a reversed payment
// (the walk's rule) and nothing can follow the reversal. `ledger` is as of
// the reversal's date or later.
[[nodiscard]] std::int64_t reversal_amount(const Books& books,
                                           const Ledger& ledger,
                                           const Adjustment& reversal);

// A customer's position as of the ledger's date, per currency.
struct CustomerPosition {
  Currency currency;
  std::int64_t open = 0;      // Σ open on issued, non-void invoices
  std::int64_t unapplied = 0; // Σ left on payments and credit memos
  std::int64_t disputed = 0;  // Σ disputed (part or open) of open invoices
  std::uint32_t open_invoices = 0;
  // The open invoice with the earliest due date that is past due.
  std::optional<std::uint32_t> oldest_overdue;
};

[[nodiscard]] std::vector<CustomerPosition>
customer_position(const Books& books, const Ledger& ledger,
                  std::uint32_t customer);

// Credit used against the limit: open less unapplied, in the customer's
// currency, never below zero.
[[nodiscard]] std::int64_t credit_used(const Books& books, const Ledger& ledger,
                                       std::uint32_t customer);

} // namespace arctl
