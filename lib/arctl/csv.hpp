// RFC 4180 CSV: a streaming reader that reports exact positions and does not
// allocate per field, and a writer that quotes correctly.
#pragma once

#include "arctl/error.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// Where a field starts in the file (1-based line and byte column).
struct CsvPos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// One record. Views point into the reader's buffer and stay valid only until
// the next call to CsvReader::next.
struct CsvRecord {
  std::span<const std::string_view> fields; // unquoted, "" unescaped
  std::span<const CsvPos> positions;        // one per field
  std::uint32_t line = 0;                   // line of the record's first byte
  std::string_view raw;                     // the record's text as in the file
                                            // (without the final line ending)
};

// The physical line of `record` on which a field at `pos` stands (a quoted
// field may span lines), without its line ending: the excerpt under which
// a diagnostic draws its caret.
[[nodiscard]] std::string_view line_of(const CsvRecord& record, CsvPos pos);

// What CsvReader::next_batch read.
struct CsvBatch {
  std::size_t records = 0;         // records filled at the start of `out`
  std::optional<Diagnostic> error; // a malformed record after them
  bool end = false;                // no more input
};

// Reads records one at a time from a file, a file descriptor or a string.
// Accepts LF and CRLF line endings and skips a UTF-8 byte-order mark at the
// start. Quoted fields may contain ',', '""' and line breaks. Empty lines
// are skipped. Memory is one buffer that grows only to the longest record.
class CsvReader {
public:
  // `name` is the file name used in diagnostics.
  static Result<CsvReader> open(const std::string& path, std::string name);
  // As above, starting at byte `from` of the file, where a record starts on
  // line `line`: one part of a file read in parts. bytes_read() and size()
  // count from the start of the file.
  static Result<CsvReader> open(const std::string& path, std::string name,
                                std::uint64_t from, std::uint32_t line);
  // Takes ownership of `fd` (closed on destruction). For stdin: fd 0.
  static CsvReader from_fd(int fd, std::string name);
  // As above, starting with a buffer of `buffer_size` bytes instead of 1 MiB.
  // Tests use tiny buffers to cut the input at every possible place.
  static CsvReader from_fd(int fd, std::string name, std::size_t buffer_size);
  static CsvReader from_string(std::string text, std::string name);

  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  ~CsvReader();

  // Reads the next record into `out`. Returns true when a record was read,
  // false at the end of input, or a Diagnostic (code "csv-syntax") for
  // malformed input: an unterminated quoted field, a quote inside an
  // unquoted field, or text after a closing quote. After an error the
  // reader resynchronises at the next line, so callers may continue to
  // collect further problems.
  [[nodiscard]] std::expected<bool, Diagnostic> next(CsvRecord& out);
  // Reads up to out.size() records, all valid until the next call to next
  // or next_batch, so that a caller can look ahead (and ask early for the
  // memory that using them will touch). Stops early where reading more
  // input would move the buffer, after a malformed record (resynchronised
  // as by next), and before a record that would start at or after byte
  // `stop` of the input.
  [[nodiscard]] CsvBatch next_batch(std::span<CsvRecord> out,
                                    std::uint64_t stop = UINT64_MAX);

  [[nodiscard]] const std::string& name() const;
  // Bytes consumed so far and the total size when known (0 for pipes), for
  // progress indicators.
  [[nodiscard]] std::uint64_t bytes_read() const;
  [[nodiscard]] std::uint64_t size() const;

private:
  struct Impl;
  explicit CsvReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// Appends `field` to `out`, quoted if it contains ',', '"', CR or LF, or
// starts or ends with a space.
void append_csv_field(std::string& out, std::string_view field);

// Appends a whole record and a '\n'.
void append_csv_record(std::string& out,
                       std::span<const std::string_view> fields);
void append_csv_record(std::string& out, std::span<const std::string> fields);

// The offset of the first byte of `text` that is not part of valid UTF-8
// (overlong forms, surrogates and code points above U+10FFFF are invalid),
// or npos when all of it is valid. ASCII is checked 8 bytes at a time.
[[nodiscard]] std::size_t invalid_utf8_at(std::string_view text);

// Why `text` cannot go into a UTF-8 file as it is ("byte 0xE9 is not valid
// UTF-8"), or nothing.
[[nodiscard]] std::optional<std::string> utf8_problem(std::string_view text);

// Spreadsheet formula injection: a cell of user text that starts with '=',
// '+', '-', '@', tab or CR is run as a formula by spreadsheets. Returns the
// text prefixed with a single quote in that case, else unchanged. Apply to
// text from users, never to numbers.
[[nodiscard]] std::string neutralize_formula(std::string_view cell);

} // namespace arctl
