// Dunning: which customers are due a notice as of a date under the books'
// [dunning] policy, at which level, for which items, with which fees and
// interest, and why; or why a customer gets nothing that day. Planning
// writes nothing (arctl-dun(1) states every rule).
#pragma once

#include "arctl/books.hpp"
#include "arctl/ledger.hpp"
#include "arctl/report.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace arctl {

// An overdue invoice a notice claims: what is open of it, less a disputed
// part and the unapplied credit set against it.
struct DunningItem {
  std::uint32_t invoice = k_none;
  int days_past_due = 0;
  std::int64_t amount = 0;
  std::int64_t interest = 0; // for the days since its due date or since
                             // the last notice that charged it interest
  Date due; // the invoice's due date, or that of the missed instalment
  // For the unpaid part of a missed instalment of a plan: the plan (in
  // Books::arrangements) and the instalment (1 for the first).
  std::uint32_t arrangement = k_none;
  std::uint32_t installment = 0;
};

struct DunningNotice {
  std::uint32_t customer = k_none;
  Currency currency;
  std::size_t level = 0;          // in config.dunning.levels
  std::vector<DunningItem> items; // the oldest due first
  std::int64_t overdue = 0;       // Σ items' amounts
  std::int64_t credit = 0;        // unapplied credit set against items
  std::int64_t fee = 0;
  std::int64_t interest = 0;      // Σ items' interest
  std::string reason;             // the rule that makes the level due
};

// A customer and currency with nothing due today, and why.
struct DunningSkip {
  std::uint32_t customer = k_none;
  Currency currency;
  std::string reason;
};

struct DunningRequest {
  std::vector<std::uint32_t> customers; // only these; empty: all
  bool explain = false; // say why each selected customer gets nothing
};

struct DunningPlan {
  Date as_of;
  std::vector<DunningNotice> notices; // by customer id
  std::vector<DunningSkip> skipped;   // with explain, by customer id
};

// The notices due as of the ledger's date. Only notices dated on or before
// it count as sent.
[[nodiscard]] DunningPlan plan_dunning(const Books& books,
                                       const Ledger& ledger,
                                       const DunningRequest& request);

// One row per item of each notice: customer, name, currency, level,
// invoice, due, days_past_due, amount, interest, then the notice's fee and
// total (overdue + fee + interest) on each of its rows. Amounts plain.
[[nodiscard]] TableData dunning_table(const Books& books,
                                      const DunningPlan& plan);

// For a terminal: each notice with its rule and items, amounts grouped;
// with explain, each customer without a notice and why.
[[nodiscard]] std::string dunning_text(const Books& books,
                                       const DunningPlan& plan);

// One JSON object: as_of, notices (with items and reason), skipped.
[[nodiscard]] std::string dunning_json(const Books& books,
                                       const DunningPlan& plan);

} // namespace arctl
