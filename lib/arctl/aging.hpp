// Receivables aged as of a date: what each customer owes, how late, in
// buckets of days; the open items behind it; and the figures a team
// watches (days sales outstanding, weighted days past due, the share more
// than 90 days past due). Everything is derived from a Ledger, so only the
// facts dated on or before its date count.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/ledger.hpp"
#include "arctl/money.hpp"
#include "arctl/report.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// The buckets of an aging: upper bounds in days (30, 60, 90), increasing
// and positive, and the basis the days are counted on. On due-date basis
// the days are days past due (as-of − due date) and the buckets are
// "current" (not yet due, 0 days or fewer), "1-30", "31-60", "61-90",
// "91+"; on invoice-date basis the days are the invoice's age (as-of −
// issue date) and the buckets "0-30", "31-60", "61-90", "91+".
struct AgingBuckets {
  AgingBasis basis = AgingBasis::due_date;
  std::vector<int> bounds{30, 60, 90};

  [[nodiscard]] std::size_t count() const;
  // The bucket of an amount `days` old on this basis.
  [[nodiscard]] std::size_t of(int days) const;
  [[nodiscard]] std::vector<std::string> labels() const;
};

// Parses --buckets: day counts separated by commas ("30,60,90"), each
// from 1 to 36500 and each greater than the one before.
[[nodiscard]] std::expected<std::vector<int>, ParseError>
parse_buckets(std::string_view text);

// What to age.
struct AgingRequest {
  AgingBuckets buckets;
  std::vector<std::uint32_t> customers; // only these; empty: every customer
  std::optional<Currency> currency;     // only amounts in this currency
  // Leave out of the rows and totals the customers whose total in a
  // currency is below this; the figures and past_due still count them.
  std::optional<Decimal> min_balance;
  bool items = false; // keep every open item (a list by invoice)
  // For each of these day counts, the amount more than that many days past
  // due in each currency (AgingSection::past_due).
  std::vector<int> past_due_over;
};

// Amounts of one customer, or of all, in one currency, in minor units.
struct AgingAmounts {
  std::vector<std::int64_t> buckets; // open on invoices, by bucket
  std::int64_t unapplied = 0;        // credit not yet applied: 0 or less
  std::int64_t disputed = 0;         // disputed part of the open amount

  [[nodiscard]] std::int64_t open() const;  // Σ buckets
  [[nodiscard]] std::int64_t total() const; // open + unapplied
  void add(const AgingAmounts& other);
};

// An open item: an invoice with something open, or a payment or credit
// memo with credit left (bucket k_unapplied_bucket, amount negative).
struct AgingItem {
  DocRef document;
  std::uint32_t customer = k_none;
  int days = 0; // on the report's basis; 0 for credit
  std::size_t bucket = 0;
  std::int64_t amount = 0;
  std::int64_t disputed = 0;
  Date date; // the document's
  Date due;  // an invoice's due date; a credit's date
};
inline constexpr std::size_t k_unapplied_bucket = static_cast<std::size_t>(-1);

struct AgingRow {
  std::uint32_t customer = k_none;
  AgingAmounts amounts;
  std::int64_t overdue = 0;   // open and past due (1 day or more)
  std::int64_t over_90 = 0;   // open more than 90 days past due
  int most_days_past_due = 0; // of its open invoices; 0 when none is late
};

// Figures of one currency. Ratios are in tenths (of a day, of a percent)
// and absent when their denominator is zero. DSO for N days = open on
// invoices ÷ net credit sales of the N days ending on the as-of date × N;
// net credit sales are the totals of invoices issued in those days (less
// those void by the as-of date) less the credit memos of those days.
struct AgingFigures {
  std::int64_t sales_30 = 0, sales_90 = 0;
  std::optional<std::int64_t> dso_30, dso_90;
  // Σ open × days past due (0 when not yet due) ÷ Σ open.
  std::optional<std::int64_t> weighted_days_past_due;
  std::int64_t overdue = 0;  // open and past due (1 day or more)
  std::int64_t over_90 = 0;  // open more than 90 days past due
  std::optional<std::int64_t> over_90_share; // of the open amount
};

struct AgingSection {
  Currency currency;
  std::vector<AgingRow> rows;   // by customer id
  AgingAmounts totals;          // of the rows
  std::vector<AgingItem> items; // with AgingRequest::items: by customer,
                                // invoices by due date, then credit by date
  AgingFigures figures;         // of every customer selected
  std::vector<std::int64_t> past_due; // parallel to past_due_over
};

struct AgingReport {
  Date as_of;
  AgingBuckets buckets;
  std::vector<AgingSection> sections; // the company's currency first
};

// Ages the receivables of `ledger` (as of its date). A customer appears in
// a currency when it has something open or unapplied in it.
[[nodiscard]] AgingReport age_receivables(const Books& books,
                                          const Ledger& ledger,
                                          const AgingRequest& request);

// An alert threshold, --fail-over DAYS=AMOUNT: more than AMOUNT (in any
// one currency) more than DAYS days past due.
struct PastDueLimit {
  int days = 0;
  Decimal amount;
};

// Parses "DAYS=AMOUNT": DAYS from 0 to 36500, AMOUNT a plain decimal of 0
// or more.
[[nodiscard]] std::expected<PastDueLimit, ParseError>
parse_past_due_limit(std::string_view text);

// One sentence per limit exceeded in a section of `report`, which was made
// with the limits' days as AgingRequest::past_due_over, in that order:
// "USD 12,345.67 is more than 60 days past due, over the limit of
// 5,000.00". Empty when no limit is exceeded.
[[nodiscard]] std::vector<std::string>
past_due_alerts(const AgingReport& report,
                const std::vector<PastDueLimit>& limits);

// Whether the books hold anything in another currency than the company's:
// then a report's CSV has a currency column whatever the date or selection,
// so that its columns do not change from one day to the next.
[[nodiscard]] bool several_currencies(const Books& books);

// ---- rendering ---------------------------------------------------------------

enum class AgingView { summary, customer, invoice };

// The report as one table per view. By customer: customer, name, the
// buckets, unapplied, total, disputed. By invoice: customer, name,
// document, date, due, days, bucket, open, disputed (yes|no). Summary: the
// buckets, unapplied, total, disputed, customers, dso_30,
// dso_90, weighted_days_past_due, over_90_share (the ratios as plain
// decimals, percent for the share). A totals row closes each currency's
// rows; a `currency` column comes first when `currency_column`. Amounts
// are plain decimals in the currency's minor units.
[[nodiscard]] TableData aging_table(const Books& books,
                                    const AgingReport& report,
                                    AgingView view, bool currency_column);

// For a terminal: per currency (headed by its code when there are
// several) the table with grouped amounts, then the figures.
[[nodiscard]] std::string aging_text(const Books& books,
                                     const AgingReport& report, AgingView view);

// One JSON object: as_of, basis, buckets (labels), rows (with currency),
// totals and figures per currency.
[[nodiscard]] std::string aging_json(const Books& books,
                                     const AgingReport& report, AgingView view);

// The Monday report: one self-contained HTML page (no external assets, a
// content security policy that forbids fetching any) with the figures, the
// buckets as an SVG bar chart, the largest and the most overdue customers,
// and the table of `view`. From the books' templates/age.html.mustache when
// they have one, else the built-in template.
[[nodiscard]] Result<std::string>
aging_html(const Books& books, const AgingReport& report, AgingView view);

// A ratio in tenths as text: 415 -> "41.5".
[[nodiscard]] std::string format_tenths(std::int64_t tenths);

} // namespace arctl
