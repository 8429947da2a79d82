#include "arctl/rows.hpp"

#include "arctl/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <unistd.h>

namespace arctl {

std::optional<std::size_t> TableHeader::find(std::string_view column) const {
  const auto it = std::find(columns.begin(), columns.end(), column);
  if (it == columns.end())
    return std::nullopt;
  return static_cast<std::size_t>(it - columns.begin());
}

std::string_view RowRef::get(std::string_view column) const {
  const auto i = header.find(column);
  return i && *i < fields.size() ? fields[*i] : std::string_view{};
}

namespace {

std::unexpected<Error> csv_error(const std::string& file, Diagnostic d) {
  return std::unexpected(
      Error{ExitCode::data,
            fmt::format("{} is not valid CSV; 'arctl check' lists its problems",
                        file),
            {std::move(d)}});
}

// Reads the header row from `reader`.
Result<TableHeader> header_from(CsvReader& reader, Table table,
                                std::string file) {
  CsvRecord rec;
  auto got = reader.next(rec);
  if (!got)
    return csv_error(file, std::move(got.error()));
  if (!*got)
    return fail(ExitCode::data,
                fmt::format("{} is empty; it needs a header row", file));
  TableHeader header;
  header.table = table;
  header.file = std::move(file);
  header.columns.assign(rec.fields.begin(), rec.fields.end());
  return header;
}

// Formats `cells` as a record and checks that no value is lost.
Result<std::string> record_of(const TableHeader& header,
                              std::vector<std::string_view>& cells,
                              std::span<const FieldValue> values,
                              bool overwrite) {
  for (const auto& v : values) {
    const auto i = header.find(v.column);
    if (!i) {
      if (v.value.empty())
        continue;
      return fail(ExitCode::data,
                  fmt::format("{} has no column \"{}\"; add it to the header "
                              "row to give it a value",
                              header.file, v.column));
    }
    if (overwrite || cells[*i].empty())
      cells[*i] = v.value;
  }
  std::string out;
  append_csv_record(out, std::span<const std::string_view>(cells));
  return out;
}

// The length of the line ending that follows a record ending at `after`
// (where the next record begins): the reader ends a record at LF or CRLF,
// and a record's own text never ends in LF, nor in CR right before an LF.
std::size_t line_ending_before(std::string_view text, std::size_t after) {
  if (after == 0 || text[after - 1] != '\n')
    return 0;
  return after >= 2 && text[after - 2] == '\r' ? 2 : 1;
}

Result<std::string> read_whole(const std::string& path,
                               const std::string& shown) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(ExitCode::no_input,
                fmt::format("cannot open {}: {}", shown, std::strerror(errno)));
  std::string text;
  char buf[65536];
  for (;;) {
    const auto n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      return fail(ExitCode::no_input, fmt::format("cannot read {}: {}", shown,
                                                  std::strerror(saved)));
    }
    if (n == 0)
      break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

} // namespace

Result<TableHeader> read_header(const BooksDir& dir, Table table) {
  const auto& s = schema(table);
  auto shown = dir.shown(s.file);
  auto reader = CsvReader::open(dir.file(s.file), shown);
  if (!reader)
    return std::unexpected(std::move(reader.error()));
  return header_from(*reader, table, std::move(shown));
}

Result<std::string> format_record(const TableHeader& header,
                                  std::span<const FieldValue> values) {
  std::vector<std::string_view> cells(header.columns.size());
  return record_of(header, cells, values, false);
}

Result<void> RecordAppender::append(Table table,
                                    std::span<const FieldValue> values,
                                    std::optional<Date> date) {
  const auto t = static_cast<std::size_t>(table);
  auto& header = m_headers[t];
  if (!header) {
    auto read = read_header(m_dir, table);
    if (!read && schema(table).optional &&
        !std::filesystem::exists(m_dir.file(schema(table).file))) {
      const auto& columns = schema(table).columns;
      read = TableHeader{table, m_dir.shown(schema(table).file),
                         {columns.begin(), columns.end()}};
      m_missing[t] = true;
    }
    if (!read)
      return std::unexpected(std::move(read.error()));
    header = std::move(*read);
  }
  auto record = format_record(*header, values);
  if (!record)
    return std::unexpected(std::move(record.error()));
  m_plan.added.push_back(record->substr(0, record->size() - 1));
  if (m_missing[t])
    m_plan.change.append_new(table, std::move(*record), date);
  else
    m_plan.change.append(table, std::move(*record), date);
  return {};
}

Result<std::string> update_record(const RowRef& row,
                                  std::span<const FieldValue> changes) {
  std::vector<std::string_view> cells(row.fields.begin(), row.fields.end());
  cells.resize(row.header.columns.size());
  return record_of(row.header, cells, changes, true);
}

Result<Rewrite> rewrite_records(std::string_view text, Table table,
                                const std::string& file,
                                const RecordEdit& edit) {
  auto reader = CsvReader::from_string(std::string(text), file);
  auto header = header_from(reader, table, file);
  if (!header)
    return std::unexpected(std::move(header.error()));
  Rewrite out;
  std::size_t copied = 0; // text before this offset is in out.content
  CsvRecord rec;
  for (;;) {
    auto got = reader.next(rec);
    if (!got)
      return csv_error(file, std::move(got.error()));
    if (!*got)
      break;
    if (rec.fields.size() != header->columns.size())
      return fail(ExitCode::data,
                  fmt::format("{}:{}: row has {} fields but the header has {}; "
                              "'arctl check' lists the problems of the books",
                              file, rec.line, rec.fields.size(),
                              header->columns.size()));
    const RowRef row{*header, rec.fields, rec.line, rec.raw};
    auto replacement = edit(row);
    if (!replacement)
      return std::unexpected(std::move(replacement.error()));
    if (!*replacement)
      continue;
    std::string_view record = **replacement;
    if (!record.empty() && record.back() == '\n')
      record.remove_suffix(1);
    const auto after = static_cast<std::size_t>(reader.bytes_read());
    const auto eol = line_ending_before(text, after);
    const auto start = after - eol - rec.raw.size();
    if (after < eol + rec.raw.size() || start < copied ||
        text.substr(start, rec.raw.size()) != rec.raw)
      return fail(ExitCode::software,
                  fmt::format("{}:{}: cannot locate the record to replace",
                              file, rec.line));
    out.content.append(text.substr(copied, start - copied));
    out.content.append(record);
    copied = start + rec.raw.size();
    out.replaced.push_back(
        {rec.line, std::string(rec.raw), std::string(record)});
  }
  out.content.append(text.substr(copied));
  return out;
}

Result<Rewrite> rewrite_table(const BooksDir& dir, Table table,
                              const RecordEdit& edit) {
  const auto& s = schema(table);
  const auto shown = dir.shown(s.file);
  auto text = read_whole(dir.file(s.file), shown);
  if (!text)
    return std::unexpected(std::move(text.error()));
  return rewrite_records(*text, table, shown, edit);
}

} // namespace arctl
