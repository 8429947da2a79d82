#include "arctl/report.hpp"

#include "arctl/csv.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace arctl {

std::optional<Format> parse_format(std::string_view text) {
  if (text == "table")
    return Format::table;
  if (text == "csv")
    return Format::csv;
  if (text == "json")
    return Format::json;
  return std::nullopt;
}

namespace {

// Display width of UTF-8 text: code points, which is what a terminal shows
// for the scripts accountants' data is in.
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool plain_number(std::string_view s) {
  if (s.empty())
    return false;
  std::size_t i = s[0] == '-' ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9')
      digits = true;
    else if (s[i] == '.' && !dot && digits)
      dot = true;
    else
      return false;
  }
  return digits && s.back() != '.';
}

} // namespace

std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void render_to(std::string& out, const TableData& t, Format format) {
  switch (format) {
  case Format::csv: {
    std::vector<std::string_view> cells;
    for (const auto& c : t.columns)
      cells.push_back(c.name);
    append_csv_record(out, cells);
    for (const auto& row : t.rows) {
      cells.assign(row.begin(), row.end());
      append_csv_record(out, cells);
    }
    return;
  }
  case Format::json: {
    out += "[";
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      out += r ? ",\n  {" : "\n  {";
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        const auto& cell = t.rows[r][c];
        out += fmt::format("{}{}: ", c ? ", " : "",
                           json_string(t.columns[c].name));
        if (t.columns[c].numeric && plain_number(cell))
          out += cell;
        else if (t.columns[c].numeric && cell.empty())
          out += "null";
        else
          out += json_string(cell);
      }
      out += "}";
    }
    out += t.rows.empty() ? "]\n" : "\n]\n";
    return;
  }
  case Format::table: {
    std::vector<std::size_t> widths;
    for (const auto& c : t.columns)
      widths.push_back(width(c.name));
    for (const auto& row : t.rows)
      for (std::size_t c = 0; c < row.size(); ++c)
        widths[c] = std::max(widths[c], width(row[c]));
    std::size_t line_bytes = 1;
    for (const auto w : widths)
      line_bytes += w + 2;
    out.reserve(out.size() + (t.rows.size() + 2) * line_bytes);
    auto line = [&](const std::vector<std::string>& cells) {
      const auto start = out.size();
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const auto pad = widths[c] - width(cells[c]);
        if (c)
          out += "  ";
        if (t.columns[c].numeric)
          out.append(pad, ' ');
        out += cells[c];
        if (!t.columns[c].numeric)
          out.append(pad, ' ');
      }
      while (out.size() > start && out.back() == ' ')
        out.pop_back();
      out += '\n';
    };
    std::vector<std::string> header, rule;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      header.push_back(t.columns[c].name);
      rule.push_back(std::string(widths[c], '-'));
    }
    line(header);
    line(rule);
    for (const auto& row : t.rows)
      line(row);
    return;
  }
  }
}

void append_indented(std::string& out, std::string_view text,
                     std::string_view prefix) {
  while (!text.empty()) {
    auto line = text.substr(0, text.find('\n'));
    if (line.size() < text.size())
      line = text.substr(0, line.size() + 1); // with its line ending
    out += prefix;
    out += line;
    text.remove_prefix(line.size());
  }
}

std::string render(const TableData& t, Format format) {
  std::string out;
  render_to(out, t, format);
  return out;
}

std::string render_diagnostic(const Diagnostic& d, Style style) {
  const char* bold = style.color ? "\033[1m" : "";
  const char* reset = style.color ? "\033[0m" : "";
  const char* kind_color =
      !style.color ? "" : d.severity == Severity::error ? "\033[1;31m" : "\033[1;35m";
  const char* caret_color = style.color ? "\033[1;32m" : "";
  std::string where = d.loc.file;
  if (d.loc.line > 0) {
    where += fmt::format(":{}", d.loc.line);
    if (d.loc.column > 0)
      where += fmt::format(":{}", d.loc.column);
  }
  std::string out = fmt::format(
      "{}{}:{} {}{}:{} {}\n", bold, where, reset, kind_color,
      d.severity == Severity::error ? "error" : "warning", reset, d.message);
  if (!d.excerpt.empty() && d.loc.line > 0) {
    // Control characters would move the cursor and bytes that are not
    // UTF-8 would garble the line: show each as one '?', so the caret still
    // lines up.
    std::string excerpt = d.excerpt;
    for (auto& c : excerpt)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        c = c == '\t' ? ' ' : '?';
    for (auto at = invalid_utf8_at(excerpt); at != std::string::npos;
         at = invalid_utf8_at(excerpt))
      excerpt[at] = '?';
    const auto number = std::to_string(d.loc.line);
    out += fmt::format(" {} | {}\n", number, excerpt);
    if (d.loc.column > 0) {
      const auto before = std::string_view(excerpt).substr(
          0, std::min<std::size_t>(d.loc.column - 1, excerpt.size()));
      const auto rest = excerpt.size() - before.size();
      const auto span = std::max<std::size_t>(
          1, std::min<std::size_t>(d.span, std::max<std::size_t>(rest, 1)));
      out += fmt::format(" {} | {}{}{}{}\n", std::string(number.size(), ' '),
                         std::string(width(before), ' '), caret_color,
                         std::string(span, '^'), reset);
    }
  }
  if (!d.hint.empty())
    out += fmt::format("{}hint:{} {}\n", bold, reset, d.hint);
  return out;
}

TableData diagnostics_table(const std::vector<Diagnostic>& ds) {
  TableData t;
  t.columns = {{"file"},     {"line", true}, {"column", true}, {"severity"},
               {"code"},     {"message"},    {"hint"}};
  for (const auto& d : ds)
    t.rows.push_back({d.loc.file, std::to_string(d.loc.line),
                      std::to_string(d.loc.column),
                      d.severity == Severity::error ? "error" : "warning",
                      d.code, d.message, d.hint});
  return t;
}

std::string diagnostic_json(const Diagnostic& d) {
  return fmt::format(
      "{{\"file\": {}, \"line\": {}, \"column\": {}, \"severity\": {}, "
      "\"code\": {}, \"message\": {}, \"hint\": {}}}",
      json_string(d.loc.file), d.loc.line, d.loc.column,
      json_string(d.severity == Severity::error ? "error" : "warning"),
      json_string(d.code), json_string(d.message),
      d.hint.empty() ? std::string("null") : json_string(d.hint));
}

std::string render_error(const Error& e, Style style) {
  std::string out;
  for (const auto& d : e.diagnostics)
    out += render_diagnostic(d, style);
  const char* red = style.color ? "\033[1;31m" : "";
  const char* reset = style.color ? "\033[0m" : "";
  out += fmt::format("arctl: {}error:{} {}\n", red, reset, e.message);
  return out;
}

} // namespace arctl
