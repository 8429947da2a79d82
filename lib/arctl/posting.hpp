// `arctl post` as functions on the books: money applied to invoices after
// it arrived and the application undone, discounts and write-offs,
// refunds of unapplied credit, and payments reversed. Receipts themselves
// (a payment and its applications) are in receipts.hpp. As everywhere,
// nothing here writes the books or reads the clock: the caller commits the
// PlannedChange under the books' lock.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/ledger.hpp"
#include "arctl/transaction.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace arctl {

// ---- what is open, for a change being planned --------------------------------

// What can be applied to an invoice on a date while a change is planned:
// no more than is open on it that day, nor than is open at the end of the
// books (so later applications still fit), less what the change applies
// already. Ledgers are computed once per date and kept for the last two
// dates asked, so a batch of receipts of one day walks the books twice.
class Balances {
public:
  explicit Balances(const Books& books);

  // The ledger on `date` (facts dated up to it), and at the end of the books.
  [[nodiscard]] const Ledger& on(Date date);
  [[nodiscard]] const Ledger& end() const { return m_end; }

  // What can still be applied to `invoice` on `date`.
  [[nodiscard]] std::int64_t open(std::uint32_t invoice, Date date);
  // What is left of a payment or credit memo on `date` and at the end of
  // the books, whichever is less.
  [[nodiscard]] std::int64_t left(DocRef source, Date date);
  // Records that the change takes `amount` off `invoice` on `date`: an
  // application or, with `discount`, a discount (negative: one undone).
  void take(std::uint32_t invoice, Date date, std::int64_t amount,
            bool discount = false);
  // Whether a discount is taken on `invoice` on `date`, in the books or
  // by the change.
  [[nodiscard]] bool discounted(std::uint32_t invoice, Date date);

private:
  struct Taken {
    Date date;
    std::int64_t amount;
    bool discount;
  };
  const Books& m_books;
  Ledger m_end;
  std::map<Date, Ledger> m_on; // at most two
  Date m_last_asked;
  std::unordered_map<std::uint32_t, std::vector<Taken>> m_taken;
};

// ---- the early-payment discount ---------------------------------------------

// What an invoice's terms ("2/10 net 30") offer for early payment: the
// percentage of the invoice's total, rounded as the books round, and the
// last day of the window.
struct EarlyDiscount {
  Money amount;
  Decimal percent;
  Date until;
};

// The early-payment discount of invoice `invoice`, if its terms offer one.
[[nodiscard]] std::optional<EarlyDiscount>
early_discount(const Books& books, std::uint32_t invoice);

// ---- applying and unapplying -------------------------------------------------

struct ApplyRequest {
  std::string from;   // a payment or credit memo with credit left
  std::string to;     // an invoice
  std::string amount; // empty: all that can be, the lesser of left and open
  Date date;
  std::string memo;
  bool allow_third_party = false; // an invoice of another customer
};

// Applies unapplied credit to an invoice: an allocation dated `date`.
// Refused (ExitCode::data): an unknown or reversed source, a void invoice,
// an invoice in another currency, or another customer's without
// allow_third_party, a date before the source or the invoice, more than is
// left of the source or open on the invoice (on the date and after the
// later facts), and a closed period.
[[nodiscard]] Result<PlannedChange> plan_apply(const Books& books,
                                               const ApplyRequest& request);

// Undoes an application: a negative allocation dated `date` of `amount`
// (empty: all that is applied from `from` to `to`). A discount taken with
// the same payment on the same invoice is taken back too when nothing of
// the payment stays applied there, since it was granted for that payment.
[[nodiscard]] Result<PlannedChange> plan_unapply(const Books& books,
                                                 const ApplyRequest& request);

// ---- discounts and write-offs --------------------------------------------------

struct SettleRequest {
  AdjustmentKind kind = AdjustmentKind::writeoff; // writeoff or discount
  std::string invoice;
  std::string amount; // empty: what is open on the date
  Date date;
  std::string reason;   // required for a write-off
  std::string approver; // for a write-off over the books' writeoff_limit
  std::string from;     // a discount: the payment that took it (optional)
};

// Writes off (or discounts) what is left of an invoice: an adjustment
// numbered with [numbering] adjustment. Refused (ExitCode::data): a void
// invoice, more than is open on the date or after the later facts, and a
// write-off above the writeoff_limit of arctl.toml without an approver
// (ExitCode::usage naming --approve).
[[nodiscard]] Result<PlannedChange> plan_settle(const Books& books,
                                                const SettleRequest& request);

// ---- refunds -----------------------------------------------------------------

struct RefundRequest {
  std::string customer;
  std::string amount;
  std::string from; // empty: the customer's credit, oldest first
  Date date;
  std::string reason;
};

// Pays back unapplied credit: one adjustment of kind refund per payment or
// credit memo it draws on. Refused (ExitCode::data) when the customer's
// unapplied credit on the date (and after the later facts) is less.
[[nodiscard]] Result<PlannedChange> plan_refund(const Books& books,
                                                const RefundRequest& request);

// ---- reversals -----------------------------------------------------------------

struct ReversalRequest {
  std::string payment;
  Date date;
  std::string reason; // required: "check returned NSF", "charge-back"
  std::string fee;    // optional: a fee charged for the returned payment
};

// A payment that did not arrive after all (a bounced check, a
// charge-back): every application of it still standing is undone by a
// negative allocation, every discount it took is taken back, and the
// payment is reversed (an adjustment of kind reversal) for what is left.
// What of it was refunded, and the fee, are charged to the customer on a
// new invoice numbered with [numbering] fee, due on receipt. Refused
// (ExitCode::data): a payment reversed already, a date before the payment
// or before any later fact of it, and a closed period.
[[nodiscard]] Result<PlannedChange>
plan_reversal(const Books& books, const ReversalRequest& request);

} // namespace arctl
