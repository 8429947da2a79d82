// Files people give arctl to read in (an invoice import, a batch of
// receipts): CSV whose header names its columns, each value kept with its
// place so a refusal can point at it, and every problem of the file
// reported at once.
#pragma once

#include "arctl/csv.hpp"
#include "arctl/error.hpp"
#include "arctl/invoicing.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arctl {

// A diagnostic about the value at `at` (a place in a file).
[[nodiscard]] Diagnostic diagnostic_at(const Origin& at, std::string code,
                                       std::string message, std::string hint);

// All problems of `file` as one Error (ExitCode::data, "FILE: N problems"),
// in the order of the file so that a reader can work down it.
[[nodiscard]] Error problems_error(const std::string& file,
                                   std::vector<Diagnostic> found);

// The line and byte column of byte `offset` of `text`, whose first line is
// `first_line`.
[[nodiscard]] std::pair<std::uint32_t, std::uint32_t>
line_and_column(std::string_view text, std::size_t offset,
                std::uint32_t first_line);

// "byte 0xE9 is not valid UTF-8" for the byte at `at` of `text`.
[[nodiscard]] std::string invalid_byte_message(std::string_view text,
                                               std::size_t at);

// Reads a CSV input with a header row against a fixed set of known
// columns: unknown and repeated columns are problems, rows are checked for
// UTF-8 and for their number of fields before they reach the caller.
class CsvInput {
public:
  CsvInput(std::string file, std::span<const std::string_view> columns);

  std::vector<Diagnostic> problems;

  // Reads `text` (a byte-order mark is skipped by the CSV reader). `header` is called once
  // the header row is mapped and says whether rows can be read by it (the
  // columns the caller needs are there); `row` is called for every row
  // that passed the checks, in file order. Returns whether any row was
  // there at all, readable or not.
  bool read(std::string_view text, const std::function<bool()>& header,
            const std::function<void(const CsvRecord&)>& row);

  // Whether the header has column `c` (an index into the known columns).
  [[nodiscard]] bool has(std::size_t c) const;
  // The cell of column `c`, given when not empty; without the column, not
  // given, at `fallback`.
  [[nodiscard]] DraftField field(const CsvRecord& rec, std::size_t c,
                                 const Origin& fallback) const;
  // Where column `c` is in `rec` (at `fallback` when the header lacks it).
  [[nodiscard]] Origin at_column(const CsvRecord& rec, std::size_t c,
                                 const Origin& fallback) const;

  [[nodiscard]] Origin at(const CsvRecord& rec, CsvPos pos,
                          std::uint32_t span) const;
  // The record as a whole: its first line.
  [[nodiscard]] Origin at_record(const CsvRecord& rec) const;
  [[nodiscard]] Origin at_cell(const CsvRecord& rec, std::size_t i) const;
  // The header row, or line 1 before it is read.
  [[nodiscard]] const Origin& at_header() const { return m_header_at; }

  void report(const Origin& where, std::string code, std::string message,
              std::string hint = {});

  // "invoice, customer, ..." for hints.
  [[nodiscard]] std::string column_list() const;
  [[nodiscard]] const std::string& file() const { return m_file; }

private:
  bool read_header(const CsvRecord& rec);
  bool check_row(const CsvRecord& rec);

  std::string m_file;
  std::span<const std::string_view> m_columns;
  std::vector<int> m_map; // known column -> field index, or -1
  std::size_t m_header_fields = 0;
  Origin m_header_at;
};

} // namespace arctl
