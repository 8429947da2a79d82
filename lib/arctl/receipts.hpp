// Receipts: payments received and applied to invoices, as told or
// automatically, with early-payment discounts; one from the command line
// or many from a batch file (a lockbox file, a spreadsheet). Posting is
// idempotent: a receipt already in the books is refused or skipped, never
// posted twice.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/invoicing.hpp"
#include "arctl/transaction.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// An application asked for: an invoice, and an amount or, not given, what
// is open on it up to what is left of the payment.
struct ReceiptApplication {
  DraftField invoice;
  DraftField amount;
  // Written off the invoice beside the application (bank charges kept
  // back by the payer's bank): at most what the application leaves open,
  // and within the books' writeoff_limit.
  DraftField writeoff;
};

// A payment as a user describes it. Every field is text until
// plan_receipts checks it against the books.
struct Receipt {
  DraftField id;       // absent: the next number of [numbering] payment
  DraftField date;     // absent: today
  DraftField customer; // required
  DraftField amount;   // required, more than zero
  DraftField currency; // absent: the customer's; given: must be it
  DraftField method;   // check, card, ach, wire, cash or other
  DraftField reference, bank_tx, memo;
  std::vector<ReceiptApplication> apply; // applied first, in this order
  bool auto_apply = false; // then the rest: see plan_receipts
  Origin at;               // the receipt as a whole
};

struct ReceiptOptions {
  bool discounts = true;          // false: never take an early-payment discount
  bool allow_third_party = false; // apply to invoices of other customers
  bool skip_existing = false;     // skip receipts in the books already
  // Each receipt needs an id, a bank transaction id or a reference, so that
  // posting the same file twice is recognised (batches).
  bool require_key = false;
};

struct Applied {
  std::uint32_t invoice = k_none;
  Money amount;
  Money discount; // the early-payment discount taken with it, or zero
  Money writeoff; // written off with it, or zero
};

struct PostedReceipt {
  std::string id;
  std::uint32_t customer = k_none;
  Date date;
  Money amount;
  std::vector<Applied> applied;
  Money unapplied; // left on the customer's account
  // For people: a discount not taken and why, an invoice named in the
  // reference but not applied to, credit left on account.
  std::vector<std::string> notes;
};

struct SkippedReceipt {
  Origin at;
  std::string why; // "bank transaction 0042 is in the books already (...)"
};

struct ReceiptPlan {
  PlannedChange planned; // ids: the new payments', then discounts'
  std::vector<PostedReceipt> receipts;
  std::vector<SkippedReceipt> skipped;
};

// Payments from receipts, all or none, each checked against the books and
// the receipts before it. A receipt is in the books already when its id
// is, when its bank transaction id is, or, with neither given, when a
// payment of the same customer, date, amount and reference is; such a
// receipt is refused (ExitCode::data), or skipped with skip_existing. Two
// receipts of the same batch with the same id, bank transaction id or
// customer, date, amount and reference are refused either way.
//
// Applications: those asked for first (with an amount, then those without
// in the order given, each taking what is open up to what is left), each
// at most what is open on the invoice (on the date and after the books'
// later facts) and together at most the payment; an invoice of another customer only with
// allow_third_party. With auto_apply the rest goes to the invoices whose
// ids the reference names, in the order named, then to the customer's
// other open invoices that are not disputed, oldest due date first. Each
// gets what is open on it, up to what is left; when what is left cannot
// pay the candidates in full but pays the first of them exactly less
// their early-payment discounts, the discounts are taken.
//
// Early-payment discount: an application dated within the window of the
// invoice's terms ("2/10 net 30": 2% of the total, 10 days from the
// invoice's date) that leaves exactly the discount open takes it: an
// adjustment of kind discount closes the invoice. Not after the window,
// not with `discounts` false or early_payment_discount = false in
// arctl.toml, not twice on one invoice, not on another customer's
// invoice; then the difference stays open as a short payment, with a
// note. What no invoice takes stays on the customer's account as
// unapplied credit. An application's write-off is an adjustment of kind
// writeoff dated with the payment; one that needs an approver (above the
// writeoff_limit) is refused.
[[nodiscard]] Result<ReceiptPlan>
plan_receipts(const Books& books, std::span<const Receipt> receipts,
              Date today, const ReceiptOptions& options);

// The invoices whose ids `reference` names, in the order named: words of
// id characters (letters, digits, '.', '_', '-') separated by anything
// else, trailing '.', '-' and '_' ignored, each named once.
[[nodiscard]] std::vector<std::uint32_t>
invoices_named_in(const Books& books, std::string_view reference);

// Receipts from a batch file in CSV, in file order; `file` names it in
// diagnostics. Columns by the header's names, in any order:
//   date, customer, amount     required
//   currency, method, reference, bank_tx, id, memo
//   invoices   invoice ids separated by ';' to apply to, in order
//   amounts    amounts separated by ';', one per invoice; empty: each
//              invoice gets what is open up to what is left
// Unknown and repeated columns are errors; every problem is reported
// (ExitCode::data). A header with no rows gives no receipts. `auto_apply`
// is set on every receipt.
[[nodiscard]] Result<std::vector<Receipt>>
parse_receipt_batch(std::string_view text, const std::string& file,
                    bool auto_apply);

} // namespace arctl
