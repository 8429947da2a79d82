// What the statement parsers share: positions and excerpts in a statement's
// text, problems collected into one Error, amounts and dates as banks write
// them, and free text tidied. Internal to lib/arctl/bank.
#pragma once

#include "arctl/bank/statement.hpp"
#include "arctl/error.hpp"

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace arctl::bank {

// A statement's text with the offsets of its lines, so that a parser can
// say where anything is and show its line.
class Text {
public:
  Text(std::string_view text, std::string file);

  [[nodiscard]] std::string_view text() const { return m_text; }
  [[nodiscard]] const std::string& file() const { return m_file; }
  [[nodiscard]] std::uint32_t lines() const {
    return static_cast<std::uint32_t>(m_starts.size());
  }
  // Line `n` (from 1) without its line ending; empty past the end.
  [[nodiscard]] std::string_view line(std::uint32_t n) const;
  // The line and byte column, from 1, of byte `offset`.
  [[nodiscard]] std::pair<std::uint32_t, std::uint32_t>
  position(std::size_t offset) const;

private:
  std::string_view m_text;
  std::string m_file;
  std::vector<std::size_t> m_starts;
};

// Problems of one statement file, each with its place and line.
class Problems {
public:
  explicit Problems(const Text& text) : m_text(text) {}

  void add(std::uint32_t line, std::uint32_t column, std::string code,
           std::string message, std::string hint = {}, std::uint32_t span = 1);
  void at_offset(std::size_t offset, std::string code, std::string message,
                 std::string hint = {}, std::uint32_t span = 1);
  [[nodiscard]] bool empty() const { return m_found.empty(); }
  // All of them as one Error (ExitCode::data), in the order of the file.
  [[nodiscard]] Error error() const;

private:
  const Text& m_text;
  std::vector<Diagnostic> m_found;
};

// An amount without a sign, as statements write it, in minor units of
// `currency`: digits with at most one `decimal` separator ("1234,5",
// "9,", "0012.50"). Decimals beyond the currency's must be zeros. Fails
// with a sentence saying why.
[[nodiscard]] std::expected<std::int64_t, std::string>
unsigned_amount(std::string_view text, char decimal, Currency currency);

// The same with an optional leading '-' or '+'.
[[nodiscard]] std::expected<std::int64_t, std::string>
signed_amount(std::string_view text, char decimal, Currency currency);

// A date written YYMMDD (two-digit years as parse_date_as reads %y).
[[nodiscard]] std::optional<Date> yymmdd(std::string_view text);
// A date written YYYYMMDD.
[[nodiscard]] std::optional<Date> yyyymmdd(std::string_view text);

// `text` with runs of white space (and control characters) made one space
// and none at either end.
[[nodiscard]] std::string squeeze(std::string_view text);

// Appends `part`, squeezed, to `out` with a space between, when not empty.
void append_text(std::string& out, std::string_view part);

// Whether `text` has the shape of an IBAN: two letters, two digits, then
// 11 to 30 letters and digits.
[[nodiscard]] bool looks_like_iban(std::string_view text);

// The currency of an ISO code, or a problem at `line`:`column`.
[[nodiscard]] std::optional<Currency> currency_at(std::string_view code,
                                                  Problems& problems,
                                                  std::uint32_t line,
                                                  std::uint32_t column);

} // namespace arctl::bank
