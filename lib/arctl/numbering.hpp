// Document numbers from the patterns in arctl.toml ("INV-{year}-{seq:05}"):
// gap-free within a pattern (and within a year when the pattern has one),
// never reused, since the next number follows the highest one in use —
// including those of void invoices.
#pragma once

#include "arctl/books.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace arctl {

// The id for sequence `seq` in `year`. The pattern must be valid
// (numbering_pattern_problem).
[[nodiscard]] std::string format_number(std::string_view pattern, int year,
                                        std::uint64_t seq);

// The sequence of `id` if it is a number of `pattern` for `year`: literal
// text equal, {year} equal to `year`, {seq:0N} at least N digits.
[[nodiscard]] std::optional<std::uint64_t>
match_number(std::string_view pattern, std::string_view id, int year);

// The next free number of `pattern` for a document dated `date`: one more
// than the highest sequence among all document ids (invoices, payments,
// adjustments) that match it in that year.
[[nodiscard]] std::string next_number(const Books& books,
                                      std::string_view pattern, Date date);

} // namespace arctl
