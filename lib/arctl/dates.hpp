// Calendar dates and payment terms, on Howard Hinnant's date library.
// "Today" is never read here: callers pass the dates in.
#pragma once

#include "arctl/money.hpp"

#include <date/date.h>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace arctl {

using Date = date::year_month_day;

// Parses a strict ISO 8601 calendar date, YYYY-MM-DD, that exists
// (2026-02-30 is refused). Years 1900..9999.
[[nodiscard]] std::expected<Date, ParseError> parse_date(std::string_view text);

// "2026-03-01".
[[nodiscard]] std::string format_date(Date d);

// Dates as other programs write them (a bank's CSV export), by a pattern of
// strptime-like fields: %d day and %m month (one or two digits), %Y year
// (four digits), %y year (two digits: 00-69 are 20xx, 70-99 are 19xx, as
// POSIX says) and %% for '%'; every other character stands for itself.
// "%d.%m.%Y" reads 7.3.2026 and 07.03.2026.
[[nodiscard]] std::expected<Date, ParseError>
parse_date_as(std::string_view text, std::string_view pattern);

// Why `pattern` cannot be a date pattern of parse_date_as (an unknown
// field, no day, month or year), or nothing.
[[nodiscard]] std::optional<std::string>
date_pattern_problem(std::string_view pattern);

// The year of a two-digit year (the %y rule above).
[[nodiscard]] int full_year(int two_digits);

// Whole days from `from` to `to` (negative when `to` is earlier).
[[nodiscard]] int days_between(Date from, Date to);

[[nodiscard]] Date add_days(Date d, int days);

// The last day of d's month.
[[nodiscard]] Date end_of_month(Date d);

// Payment terms: when an invoice is due and whether paying early earns a
// discount. Grammar (case-insensitive, single spaces):
//   "due on receipt" | "net N" | "net N eom" | "D/N net M" | "D/N net M eom"
// "net N eom" is due N days after the end of the month of issue.
struct Terms {
  int net_days = 0;
  bool end_of_month = false;
  std::optional<Decimal> discount_percent; // D in "D/N net M"
  int discount_days = 0;                   // N in "D/N net M"

  // The due date of an invoice issued on `issued`.
  [[nodiscard]] Date due_date(Date issued) const;
  // The last day a discounted payment is accepted, if the terms offer one.
  [[nodiscard]] std::optional<Date> discount_until(Date issued) const;
  // Canonical text: "net 30", "2/10 net 30", "net 15 eom", "due on receipt".
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Terms&, const Terms&) = default;
};

[[nodiscard]] std::expected<Terms, ParseError> parse_terms(std::string_view text);

// How often an instalment falls due: every N days, weeks or months
// ("14d", "2w", "1m"), N from 1 to 999.
struct Interval {
  enum class Unit : std::uint8_t { days, weeks, months };
  std::uint16_t count = 1;
  Unit unit = Unit::months;

  // Canonical text: "14d", "2w", "1m".
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const Interval&, const Interval&) = default;
};

[[nodiscard]] std::expected<Interval, ParseError>
parse_interval(std::string_view text);

// `first` moved on by `k` intervals. Months keep the day of `first`,
// clamped to the end of a shorter month, and always count from `first`:
// from 01-31 monthly, 02-28 (or 29), then 03-31, not 03-28.
[[nodiscard]] Date step(Date first, Interval every, std::uint32_t k);

} // namespace arctl
