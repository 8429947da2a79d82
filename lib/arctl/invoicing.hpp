// `arctl invoice` as functions on the books: new invoices from drafts (the
// command line, a TOML draft, an import file), voids, credit memos,
// disputes and their resolution. As for customers, nothing here writes the
// books or reads the clock: the caller commits the PlannedChange under the
// books' lock.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/pricing.hpp"
#include "arctl/transaction.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// Where a value of a draft came from, so a refusal can point at it: a
// command-line option, or a place in a draft or import file.
struct Origin {
  std::string option;     // "--line", "--amount"; empty for a file
  SourceLoc loc;          // for a file: file, line and column of the value
  std::string excerpt;    // for a file: the text of that line, for a caret
  std::uint32_t span = 1; // bytes of the excerpt the caret covers
};

// A refusal about the value at `at`: for an option "OPTION: MESSAGE" with
// `option_exit` (ExitCode::usage for a value that is malformed,
// ExitCode::data for one the books refuse); for a file a diagnostic at its
// place, ExitCode::data.
[[nodiscard]] Error origin_error(const Origin& at, std::string code,
                                 std::string message, std::string hint = {},
                                 ExitCode option_exit = ExitCode::usage);

// Problems across many drafts: those with a place in a file are gathered
// so one run reports them all; one about an option stops at once.
struct Problems {
  std::vector<Diagnostic> found;
  std::optional<Error> first;
  std::size_t count = 0; // problems added

  void add(Error e);
  [[nodiscard]] bool any() const { return first.has_value(); }
  // The first problem alone, or all of them (ExitCode::data).
  [[nodiscard]] Error error() const;
};

// Refuses (ExitCode::usage, naming --reason) a reason that is not valid
// text, or that is empty when `required`; `what` names the fact ("a void").
[[nodiscard]] Result<void> check_reason(std::string_view reason, bool required,
                                        std::string_view what);

// One value of a draft, as text, and where it came from.
struct DraftField {
  std::string text;
  Origin at;
  bool given = false; // false: absent, and the default applies
};

// One line of a draft.
struct DraftLine {
  DraftField item, description, note;
  DraftField quantity;   // a decimal; may be negative (a deposit deducted)
  DraftField unit_price; // a decimal in the invoice's currency
  DraftField discount;   // an amount, or "N%" of quantity × unit price
  DraftField tax_code;   // absent: the draft's tax code; empty: untaxed
  Origin at;             // the line as a whole
  // The line is an amount (--amount, an import's amount column): quantity
  // 1 and a unit price that must be an amount in the invoice's currency.
  bool is_amount = false;
};

// The date a field gives, or `fallback` when it is not given.
[[nodiscard]] Result<Date> draft_date(const DraftField& field, Date fallback);

// A new invoice as a user describes it. Every field is text until
// plan_new_invoices checks it against the books.
struct InvoiceDraft {
  DraftField customer; // required
  DraftField id;       // absent: the next number of [numbering] invoice
  DraftField date;     // absent: today
  DraftField terms;    // absent: the customer's, else the books' default
  DraftField due;      // absent: from the terms; excludes terms
  DraftField tax_code; // the tax code of lines without their own
  DraftField discount; // an invoice discount: an amount or "N%"
  DraftField po, memo;
  DraftField total; // import: the total the other system had; must match
  // A charge (a returned payment, a fee) rather than a sale: credit
  // control does not apply.
  bool charge = false;
  std::vector<DraftLine> lines; // at least one
  Origin at;                    // the draft as a whole
};

// A line of a new invoice and how its amount was derived.
struct NewLine {
  std::string description;
  Decimal quantity, unit_price;
  Money gross;            // quantity × unit price, rounded
  Money line_discount;    // the line's own discount
  Money invoice_discount; // its share of the invoice discount
  PricedLine priced;      // amount = gross − both discounts; tax
};

// An invoice as it will be written, with how its figures were derived.
struct NewInvoice {
  std::string id;
  std::uint32_t customer = k_none;
  Date date, due;
  Currency currency;
  std::string terms; // canonical text, as written
  std::vector<NewLine> lines;
  std::vector<TaxBreakdown> taxes;
  InvoiceTotals totals;
  // Credit control, in the customer's currency as of the invoice's date.
  std::optional<std::int64_t> credit_limit;
  std::int64_t credit_used = 0; // before this invoice
  bool on_hold = false;
  bool overridden = false; // passed credit control by --override
};

struct InvoicePlan {
  PlannedChange planned; // ids: the new invoices' ids
  std::vector<NewInvoice> invoices;
};

// New invoices from drafts, all or none: each draft checked against the
// books and those before it (an id given or numbered is unused, the
// customer known, dates, terms, amounts, tax codes and discounts valid,
// the total 0 or more and, when given, equal to the computed one), priced
// (pricing.hpp), numbered in order, and put through credit control: an
// invoice that would take its customer's credit used over the limit, or
// one for a customer on hold on its date, is refused with the figures
// (ExitCode::data) unless `override_reason` is given, which is then
// recorded as an override event per invoice. `today` is the default date.
[[nodiscard]] Result<InvoicePlan>
plan_new_invoices(const Books& books, std::span<const InvoiceDraft> drafts,
                  Date today, std::string_view override_reason = {});

// How the figures of a new invoice were derived, one line per step, for
// people: each line's quantity × unit price, discounts and amount, each
// tax code's base and tax, subtotal, tax and total, and credit control.
[[nodiscard]] std::string explain(const NewInvoice& invoice);

// A void of invoice `invoice` on `date`: an adjustment of kind void for its
// whole total, numbered with [numbering] adjustment. Refused (ExitCode::data)
// when the invoice is void already, when anything is applied to it
// (payments, credits, discounts, write-offs) at any date, when `date` is
// before the invoice's date, and in a closed period. A void needs a reason.
[[nodiscard]] Result<PlannedChange> plan_void_invoice(const Books& books,
                                                      std::string_view invoice,
                                                      Date date,
                                                      std::string_view reason);

// A credit memo. With an invoice: applied to it at once (an adjustment of
// kind credit referring to it and an allocation of the same amount), at
// most what is open on it on `date` and at every later date. With only a
// customer: left on account as unapplied credit. Numbered with
// [numbering] credit unless `id` is given (which must be unused).
struct CreditDraft {
  std::string invoice;  // or empty, with customer
  std::string customer; // or empty, with invoice
  std::string amount;   // more than 0, in the customer's currency
  Date date;
  std::string reason;
  std::string id;
};

[[nodiscard]] Result<PlannedChange> plan_credit_memo(const Books& books,
                                                     const CreditDraft& draft);

// A dispute (kind dispute; `amount`, if not empty, the disputed part) or
// its resolution (kind resolve) of invoice `invoice` on `date`, appended to
// events.csv. Refused (ExitCode::data): a dispute of an invoice disputed
// on `date`, void or not yet issued, a resolve of one not disputed, either
// when a later dispute or resolve of the invoice exists, and a closed
// period. A dispute needs a reason.
[[nodiscard]] Result<PlannedChange>
plan_invoice_event(const Books& books, EventKind kind, std::string_view invoice,
                   Date date, std::string_view reason,
                   std::string_view amount = {});

} // namespace arctl
