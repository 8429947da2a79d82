// Document numbers from the patterns in arctl.toml ("INV-{year}-{seq:05}"):
// gap-free within a pattern (and within a year when the pattern has one),
// never reused, since the next number follows the highest one in use —
// including those of void invoices.
#pragma once

#include "arctl/books.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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
// adjustments), notice ids and bank transaction ids that match it in that
// year.
[[nodiscard]] std::string next_number(const Books& books,
                                      std::string_view pattern, Date date);

// Where `id` is in use already: "FILE:LINE" of the document in the books
// that has it, "this change" when it is among `taken` (ids given to
// documents of the same change), or nothing when it is free.
[[nodiscard]] std::optional<std::string>
id_taken(const Books& books, std::string_view id,
         std::span<const std::string> taken = {});

// Numbers for the documents of one change: for each pattern and year the
// next one past the books (found once, by one pass over their ids) and
// past every id the change has taken already, by number or by hand.
class Numberer {
public:
  explicit Numberer(const Books& books) : m_books(books) {}

  // The next number of `pattern` for a document dated `date`; it is taken.
  [[nodiscard]] std::string next(std::string_view pattern, Date date);
  // Takes an id given by hand, so that no number repeats it.
  void take(std::string id);
  // Every id the change has taken, in order.
  [[nodiscard]] std::span<const std::string> ids() const { return m_ids; }

private:
  struct Series {
    std::string pattern;
    int year;
    std::uint64_t next;
  };
  const Books& m_books;
  std::vector<std::string> m_ids;
  std::vector<Series> m_series;
};

} // namespace arctl
