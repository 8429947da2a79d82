// Writing records into the books' tables by column name. A file's own
// header decides the order of the fields, so users may reorder columns and
// add their own, and arctl keeps them. Rewriting a file (master data)
// changes only the records it must: every other byte stays as it was, so
// `git diff` shows only the edited lines.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/transaction.hpp"

#include <cstddef>
#include <cstdint>
#include <array>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// A table's header row as found in its file: column names in file order.
struct TableHeader {
  Table table = Table::customers;
  std::string file; // as shown in messages ("books/customers.csv")
  std::vector<std::string> columns;

  // The position of `column` in the header, if it is there.
  [[nodiscard]] std::optional<std::size_t> find(std::string_view column) const;
};

// The value of one column in a record to write.
struct FieldValue {
  std::string_view column;
  std::string value;
};

// Reads the header row of `table`'s file. Fails with ExitCode::no_input when
// the file cannot be opened, ExitCode::data when it has no header row or the
// header is not valid CSV.
[[nodiscard]] Result<TableHeader> read_header(const BooksDir& dir, Table table);

// One record in the header's column order, ending in '\n'. Each column takes
// its value from `values`; columns not named there (users' own columns,
// optional ones) are empty. A non-empty value for a column the header lacks
// fails (ExitCode::data) rather than being dropped.
[[nodiscard]] Result<std::string>
format_record(const TableHeader& header, std::span<const FieldValue> values);

// Appends records to a plan, each in the order of its file's header (read
// once per table), and keeps their text for a --dry-run to show.
class RecordAppender {
public:
  RecordAppender(const BooksDir& dir, PlannedChange& plan)
      : m_dir(dir), m_plan(plan) {}

  // A fact passes its date (checked against the lock date on commit);
  // master data passes none. The file of an optional table (TableSchema)
  // that is missing is created, with the header arctl writes.
  [[nodiscard]] Result<void> append(Table table,
                                    std::span<const FieldValue> values,
                                    std::optional<Date> date = std::nullopt);

private:
  const BooksDir& m_dir;
  PlannedChange& m_plan;
  std::array<std::optional<TableHeader>, k_table_count> m_headers;
  std::array<bool, k_table_count> m_missing{};
};

// A record met while rewriting a table. Views are valid during the call.
struct RowRef {
  const TableHeader& header;
  std::span<const std::string_view> fields; // unquoted values, header order
  std::uint32_t line = 0;
  std::string_view raw; // the record as in the file, without line ending

  // The value of `column`; empty when the header lacks it.
  [[nodiscard]] std::string_view get(std::string_view column) const;
};

// `row` with the values of `changes` put in: every other field, users'
// columns included, keeps its value. Formatted as format_record does.
[[nodiscard]] Result<std::string>
update_record(const RowRef& row, std::span<const FieldValue> changes);

// Says what becomes of one record: a new record (ending in '\n', as
// format_record gives it) to put in its place, or nothing to keep it.
using RecordEdit =
    std::function<Result<std::optional<std::string>>(const RowRef&)>;

struct ReplacedRecord {
  std::uint32_t line = 0; // where the record starts
  std::string before;     // the old record, without line ending
  std::string after;      // the new record, without line ending
};

struct Rewrite {
  std::string content; // the file's whole new content
  std::vector<ReplacedRecord> replaced;
};

// Rewrites the text of a table's file record by record through `edit`.
// Every byte outside the replaced records stays as it was: the header, a
// byte-order mark, empty lines, other records exactly as written (quoting,
// CRLF or LF), and a missing final line ending. A replaced record keeps
// the line ending of the one it replaces. Fails with ExitCode::data when
// the text is not valid CSV or a record has more or fewer fields than the
// header, and with whatever `edit` fails with.
[[nodiscard]] Result<Rewrite> rewrite_records(std::string_view text,
                                              Table table,
                                              const std::string& file,
                                              const RecordEdit& edit);

// The same on `table`'s file in the books: reads it whole (no_input if it
// cannot be read) and returns what to write back with Change::replace.
[[nodiscard]] Result<Rewrite> rewrite_table(const BooksDir& dir, Table table,
                                            const RecordEdit& edit);

} // namespace arctl
