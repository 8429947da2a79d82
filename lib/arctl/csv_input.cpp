#include "arctl/csv_input.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arctl {

namespace {

std::uint32_t clamp32(std::size_t v) {
  return v > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(v);
}

// Bytes of the cell as written (quotes included) from `column` of `line`,
// up to the end of that line for a quoted cell that goes on.
std::uint32_t raw_cell_size(std::string_view line, std::uint32_t column) {
  const std::size_t from = column - 1;
  if (from >= line.size())
    return 1;
  std::size_t end = line.size();
  if (line[from] == '"') {
    for (std::size_t k = from + 1; k < line.size(); ++k) {
      if (line[k] != '"')
        continue;
      if (k + 1 < line.size() && line[k + 1] == '"') {
        ++k;
        continue;
      }
      end = k + 1;
      break;
    }
  } else {
    end = std::min(end, line.find(',', from));
  }
  return std::max<std::uint32_t>(1, clamp32(end - from));
}

} // namespace

Diagnostic diagnostic_at(const Origin& at, std::string code,
                         std::string message, std::string hint) {
  Diagnostic d;
  d.loc = at.loc;
  d.code = std::move(code);
  d.message = std::move(message);
  d.excerpt = at.excerpt;
  d.span = at.span;
  d.hint = std::move(hint);
  return d;
}

Error problems_error(const std::string& file, std::vector<Diagnostic> found) {
  std::stable_sort(found.begin(), found.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::pair(a.loc.line, a.loc.column) <
                            std::pair(b.loc.line, b.loc.column);
                   });
  const auto n = found.size();
  return Error{ExitCode::data,
               fmt::format("{}: {} problem{}", file, n, n == 1 ? "" : "s"),
               std::move(found)};
}

std::pair<std::uint32_t, std::uint32_t>
line_and_column(std::string_view text, std::size_t offset,
                std::uint32_t first_line) {
  std::uint32_t line = first_line;
  std::size_t start = 0;
  for (std::size_t k = 0; k < offset && k < text.size(); ++k)
    if (text[k] == '\n') {
      ++line;
      start = k + 1;
    }
  return {line, clamp32(offset - start + 1)};
}

std::string invalid_byte_message(std::string_view text, std::size_t at) {
  return fmt::format("byte 0x{:02X} is not valid UTF-8",
                     static_cast<unsigned char>(text[at]));
}

CsvInput::CsvInput(std::string file, std::span<const std::string_view> columns)
    : m_file(std::move(file)), m_columns(columns),
      m_map(columns.size(), -1) {
  m_header_at.loc = {m_file, 1, 1};
}

bool CsvInput::has(std::size_t c) const { return m_map[c] >= 0; }

DraftField CsvInput::field(const CsvRecord& rec, std::size_t c,
                           const Origin& fallback) const {
  if (!has(c))
    return DraftField{{}, fallback, false};
  const auto i = static_cast<std::size_t>(m_map[c]);
  const auto value = rec.fields[i];
  return DraftField{std::string(value), at_cell(rec, i), !value.empty()};
}

Origin CsvInput::at_column(const CsvRecord& rec, std::size_t c,
                           const Origin& fallback) const {
  return has(c) ? at_cell(rec, static_cast<std::size_t>(m_map[c])) : fallback;
}

Origin CsvInput::at(const CsvRecord& rec, CsvPos pos, std::uint32_t span) const {
  Origin o;
  o.loc = {m_file, pos.line, pos.column};
  o.excerpt = std::string(line_of(rec, pos));
  o.span = std::max<std::uint32_t>(1, span);
  return o;
}

Origin CsvInput::at_record(const CsvRecord& rec) const {
  const CsvPos pos{rec.line, 1};
  return at(rec, pos, clamp32(line_of(rec, pos).size()));
}

Origin CsvInput::at_cell(const CsvRecord& rec, std::size_t i) const {
  const auto pos = rec.positions[i];
  return at(rec, pos, raw_cell_size(line_of(rec, pos), pos.column));
}

void CsvInput::report(const Origin& where, std::string code,
                      std::string message, std::string hint) {
  problems.push_back(
      diagnostic_at(where, std::move(code), std::move(message), std::move(hint)));
}

std::string CsvInput::column_list() const {
  std::string out;
  for (const auto name : m_columns)
    out += fmt::format("{}{}", out.empty() ? "" : ", ", name);
  return out;
}

bool CsvInput::read_header(const CsvRecord& rec) {
  m_header_at = at_record(rec);
  if (const auto bad = invalid_utf8_at(rec.raw); bad != std::string_view::npos) {
    const auto [line, column] = line_and_column(rec.raw, bad, rec.line);
    report(at(rec, {line, column}, 1), "encoding",
           invalid_byte_message(rec.raw, bad), "save the file as UTF-8");
    return false;
  }
  m_header_fields = rec.fields.size();
  const auto before = problems.size();
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    const auto name = rec.fields[i];
    const auto known = std::find(m_columns.begin(), m_columns.end(), name);
    if (known == m_columns.end()) {
      report(at_cell(rec, i), "unknown-column",
             fmt::format("unknown column \"{}\"", name),
             fmt::format("known columns: {}", column_list()));
      continue;
    }
    auto& slot = m_map[static_cast<std::size_t>(known - m_columns.begin())];
    if (slot >= 0) {
      report(at_cell(rec, i), "duplicate-column",
             fmt::format("column \"{}\" appears twice", name),
             fmt::format("it is column {} too", slot + 1));
      continue;
    }
    slot = static_cast<int>(i);
  }
  return problems.size() == before;
}

bool CsvInput::check_row(const CsvRecord& rec) {
  if (const auto bad = invalid_utf8_at(rec.raw); bad != std::string_view::npos) {
    const auto [line, column] = line_and_column(rec.raw, bad, rec.line);
    report(at(rec, {line, column}, 1), "encoding",
           invalid_byte_message(rec.raw, bad),
           "save the file as UTF-8 (a spreadsheet may have written Latin-1 "
           "or Windows-1252)");
    return false;
  }
  if (rec.fields.size() != m_header_fields) {
    const auto last = rec.fields.size() - 1;
    report(at_cell(rec, last), "field-count",
           fmt::format("row has {} field{} but the header has {}",
                       rec.fields.size(), rec.fields.size() == 1 ? "" : "s",
                       m_header_fields),
           "a value that contains a comma must be enclosed in quotes");
    return false;
  }
  return true;
}

bool CsvInput::read(std::string_view text, const std::function<bool()>& header,
                    const std::function<void(const CsvRecord&)>& row) {
  auto csv = CsvReader::from_string(std::string(text), m_file);
  CsvRecord rec;
  bool have_header = false;
  bool any_rows = false;
  for (;;) {
    auto got = csv.next(rec);
    if (!got) {
      problems.push_back(std::move(got.error()));
      if (!have_header)
        break; // without its header, no row can be read
      any_rows = true;
      continue;
    }
    if (!*got)
      break;
    if (!have_header) {
      have_header = true;
      if (!read_header(rec) || !header())
        break;
      continue;
    }
    any_rows = true;
    if (check_row(rec))
      row(rec);
  }
  return any_rows;
}

} // namespace arctl
