// Promises to pay and instalment plans (arrangements.csv): making them, and
// where each stands as of a date. The dunning planner pauses for an open
// promise, resumes at once after a broken one, and claims of a plan only
// its missed instalments; arctl-dun(1) states every rule.
#pragma once

#include "arctl/books.hpp"
#include "arctl/dates.hpp"
#include "arctl/error.hpp"
#include "arctl/ledger.hpp"
#include "arctl/report.hpp"
#include "arctl/transaction.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace arctl {

// ---- schedules -------------------------------------------------------------

// `amount` (minor units) in `n` equal instalments: each the amount divided
// by n rounded down, the last one taking what that leaves.
[[nodiscard]] std::vector<std::int64_t> instalment_amounts(std::int64_t amount,
                                                           std::uint32_t n);

struct Instalment {
  enum class Status : std::uint8_t { paid, due, missed };
  Date due;
  std::int64_t amount = 0;
  std::int64_t paid = 0; // of this instalment: what the plan was paid
                         // beyond the instalments before it
  Status status = Status::due;
  std::optional<Date> paid_on;   // when what was paid first covered it
  std::optional<Date> missed_on; // the first day it counted as missed
};

[[nodiscard]] std::string_view to_string(Instalment::Status s);

// Plan `a`'s instalments: due on a.due and every a.every after it, amounts
// as instalment_amounts gives them; nothing paid.
[[nodiscard]] std::vector<Instalment> plan_schedule(const Arrangement& a);

// ---- where arrangements stand ----------------------------------------------

enum class PromiseStatus : std::uint8_t { open, kept, broken };

// A promise as of the ledger's date: open from its date through its due
// date; after that kept when the customer's payments in its currency
// dated from its date through its due date, less those reversed by the
// ledger's date, come to its amount, else broken.
struct PromiseState {
  std::uint32_t arrangement = k_none;
  PromiseStatus status = PromiseStatus::open;
  std::int64_t arrived = 0;    // the payments that count, so far
  std::optional<Date> kept_on; // the day they reached the amount
};

[[nodiscard]] std::vector<PromiseState>
promise_states(const Books& books, const Ledger& ledger,
               std::span<const std::uint32_t> promises);

// One invoice of a plan: the part of its open amount on the plan's date
// that the plan covers (its invoices the oldest due first, up to the
// plan's amount), and what of that part has been paid since.
struct PlanShare {
  std::uint32_t invoice = k_none;
  std::int64_t covered = 0;
  std::int64_t paid = 0;
  [[nodiscard]] std::int64_t left() const { return covered - paid; }
};

// A plan as of the ledger's date. Paid toward the plan is, for each of its
// invoices, how much its open amount went down after the plan's date
// (payments and credit memos applied, less applications undone,
// discounts, write-offs, a void), up to the part the plan covers.
// Instalments are paid in order: instalment k is paid when the plan was
// paid at least the sum of instalments 1 to k; missed when not paid and
// its due date plus the policy's grace_days is before the ledger's date.
struct PlanState {
  std::uint32_t arrangement = k_none;
  std::vector<PlanShare> shares; // the oldest due first
  std::vector<Instalment> instalments;
  std::int64_t paid = 0;                // Σ shares' paid
  std::uint32_t superseded_by = k_none; // a later plan over its invoices

  [[nodiscard]] bool active() const { return superseded_by == k_none; }
  [[nodiscard]] bool missed() const;
  [[nodiscard]] bool complete() const;
  // Active with no instalment missed.
  [[nodiscard]] bool good_standing() const { return active() && !missed(); }
};

// The states of `plans`, each dated on or before the ledger's date. A plan
// is superseded by the first later plan of its customer, dated on or before
// the ledger's date, that names one of its invoices: from then on it counts
// for nothing.
[[nodiscard]] std::vector<PlanState>
plan_states(const Books& books, const Ledger& ledger,
            std::span<const std::uint32_t> plans);

// What the missed instalments of a plan leave unpaid, each instalment's
// part falling on what is left of the plan's invoices, the oldest first.
struct Shortfall {
  std::uint32_t installment = 0; // 1 for the first
  std::uint32_t invoice = k_none;
  std::int64_t amount = 0;
};

[[nodiscard]] std::vector<Shortfall> plan_shortfalls(const PlanState& plan);

// ---- making them -------------------------------------------------------------

struct PromiseRequest {
  std::string customer;
  std::string amount; // in the customer's currency, as given
  Date by;
  std::string note;
  Date date; // when it was made
};

// A promise to pay, appended to arrangements.csv (created with its header
// when the books lack it). Refused: an unknown customer (ExitCode::data);
// an amount that is not more than zero in the currency's decimals, a `by`
// before the date (ExitCode::usage, naming the option); a promise while
// another promise of the customer is open and not yet paid, or dated after
// `date`, and a date in a closed period (ExitCode::data).
[[nodiscard]] Result<PlannedChange> plan_promise(const Books& books,
                                                 const PromiseRequest& request);

struct PlanRequest {
  std::string customer;
  int installments = 0;
  Date first;
  std::string every = "1m";
  std::optional<std::string> amount; // or:
  std::vector<std::string> invoices;
  std::string note;
  Date date;
};

// An instalment plan, appended to arrangements.csv. Over `invoices`, for
// all that is open of them on the date; or, given an amount, over the
// customer's overdue invoices (due before the date) the oldest due first
// until they cover it, the last one possibly in part. Refused
// (ExitCode::data): an unknown customer or invoice, an invoice of another
// customer, not open, disputed or in a plan in good standing, an amount
// beyond what is overdue, a date in a closed period. Refused
// (ExitCode::usage, naming the option): no or both of amount and
// invoices, installments not from 1 to k_max_installments, an interval
// that does not parse, a first due date not after the date, an amount
// not more than zero or with too many decimals, instalments smaller than
// the minor unit.
[[nodiscard]] Result<PlannedChange>
plan_installments(const Books& books, const PlanRequest& request);

// ---- reports -----------------------------------------------------------------

// Every plan of `customer` dated on or before the ledger's date, in date
// order.
[[nodiscard]] std::vector<PlanState>
customer_plans(const Books& books, const Ledger& ledger,
               std::uint32_t customer);

// How a plan stands in words: "in good standing", "complete",
// "instalment missed", "superseded by ARR-2026-0004".
[[nodiscard]] std::string plan_status_text(const Books& books,
                                           const PlanState& plan);

// One row per instalment: plan, date, currency, plan_status, installment,
// due, amount, paid, status. Amounts plain.
[[nodiscard]] TableData plans_table(const Books& books,
                                    std::span<const PlanState> plans);

// For a terminal: each plan, what it covers and how it stands, then its
// instalments.
[[nodiscard]] std::string plans_text(const Books& books,
                                     std::span<const PlanState> plans);

// Everything that happened in the collection of a customer's debts, in date
// order up to the ledger's date: notices sent, promises made, kept and
// broken, plans made and superseded, instalments paid and missed, holds
// and releases. Columns: date, event, reference, currency, amount, detail.
[[nodiscard]] TableData dunning_history(const Books& books,
                                        const Ledger& ledger,
                                        std::uint32_t customer);

} // namespace arctl
