// Rendering for people and for programs: aligned tables, CSV and JSON with
// stable columns, and compiler-style diagnostics with a caret.
#pragma once

#include "arctl/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

enum class Format { table, csv, json };

[[nodiscard]] std::optional<Format> parse_format(std::string_view text);

// A report as data: named columns, rows of cells already formatted as text.
// Numeric columns are right-aligned in tables and become JSON numbers when
// their text is a plain decimal.
struct TableData {
  struct Column {
    std::string name;
    bool numeric = false;
  };
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
};

// Table: columns padded to their widest cell, header underlined.
// CSV: RFC 4180 with a header row. JSON: an array of objects keyed by
// column name.
[[nodiscard]] std::string render(const TableData& table, Format format);
// The same, appended to `out`.
void render_to(std::string& out, const TableData& table, Format format);

// `text` appended to `out` with `prefix` before each of its lines: an
// aligned table under a heading.
void append_indented(std::string& out, std::string_view text,
                     std::string_view prefix = "  ");

struct Style {
  bool color = false; // ANSI colours (only ever on a terminal)
};

// gcc style: "FILE:LINE:COL: error: MESSAGE", then the source line with a
// caret under the offending text, then "hint: ..." when there is one.
[[nodiscard]] std::string render_diagnostic(const Diagnostic& d, Style style);

// Diagnostics as data, one per row: file, line, column, severity, code,
// message, hint.
[[nodiscard]] TableData diagnostics_table(const std::vector<Diagnostic>& ds);

// The JSON text of one diagnostic object (used inside larger documents).
[[nodiscard]] std::string diagnostic_json(const Diagnostic& d);

// "arctl: error: MESSAGE" and every diagnostic of the error.
[[nodiscard]] std::string render_error(const Error& e, Style style);

// Quotes a string for JSON.
[[nodiscard]] std::string json_string(std::string_view text);

} // namespace arctl
