#include "arctl/template.hpp"

#include "arctl/money.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace arctl::tmpl {

// ---------------------------------------------------------------------------
// Text hygiene

constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD

// Length of the UTF-8 sequence starting at s[i] if it is well formed
// (shortest form, no surrogates, at most U+10FFFF), else 0.
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) {
    return static_cast<unsigned char>(s[k]);
  };
  const unsigned char b0 = byte(i);
  const auto cont = [&](std::size_t k, unsigned char lo, unsigned char hi) {
    return k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  if (b0 < 0x80)
    return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF)
    return cont(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2, 0x80, 0xBF) &&
                   cont(i + 3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

// The text with every control character taken out (C0 but tab and newline,
// DEL, and the C1 range, whose CSI a terminal would obey as ESC [) and every
// byte that is not well-formed UTF-8 replaced by U+FFFD. A name in the books
// is then only ever printed, never executed by a terminal.
std::string clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = sequence_length(s, i);
    if (n == 0) {
      out += k_replacement;
      ++i;
      continue;
    }
    const bool c0 = b < 0x20 && b != '\n' && b != '\t';
    const bool c1 =
        n == 2 && b == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (!c0 && !c1 && b != 0x7F)
      out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

// HTML escaping of the five characters that matter in text and in quoted
// attributes, after cleaning (control characters are errors in HTML too).
std::string html_escape(const std::string& s) {
  const std::string c = clean(s);
  std::string out;
  out.reserve(c.size() + c.size() / 8);
  for (const char ch : c) {
    switch (ch) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += ch;
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

// Display columns of cleaned text, counted as code points: right for the
// Latin, Greek and Cyrillic names of the books; wide CJK characters would
// take two, which a terminal table cannot promise anyway.
std::size_t columns(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string pad_right(std::string s, std::size_t width) {
  const std::size_t w = columns(s);
  if (w < width)
    s.append(width - w, ' ');
  return s;
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = columns(s);
  return w < width ? std::string(width - w, ' ') + s : s;
}

void trim_right(std::string& s) {
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
}

// Cleaned text broken into lines of at most `width` columns at spaces; a
// word longer than a line is cut between characters. Runs of white space,
// newlines included, become one space: a table cell is one paragraph.
std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  width = std::max<std::size_t>(width, 1);
  std::vector<std::string> words;
  std::string word;
  for (const char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\n') {
      if (!word.empty())
        words.push_back(std::move(word));
      word.clear();
    } else {
      word += ch;
    }
  }
  if (!word.empty())
    words.push_back(std::move(word));

  std::vector<std::string> lines;
  std::string line;
  std::size_t used = 0;
  for (auto& w : words) {
    std::size_t w_cols = columns(w);
    if (used > 0 && used + 1 + w_cols <= width) {
      line += ' ';
      line += w;
      used += 1 + w_cols;
      continue;
    }
    if (used > 0) {
      lines.push_back(std::move(line));
      line.clear();
      used = 0;
    }
    // Cut an over-long word at code point boundaries.
    std::string_view rest = w;
    while (w_cols > width) {
      std::size_t bytes = 0;
      for (std::size_t n = 0; n < width; ++n) {
        ++bytes;
        while (bytes < rest.size() &&
               (static_cast<unsigned char>(rest[bytes]) & 0xC0) == 0x80)
          ++bytes;
      }
      lines.emplace_back(rest.substr(0, bytes));
      rest.remove_prefix(bytes);
      w_cols -= width;
    }
    line = std::string(rest);
    used = w_cols;
  }
  if (used > 0)
    lines.push_back(std::move(line));
  return lines;
}

std::string join_lines(const std::vector<std::string>& rows) {
  std::string out;
  for (const auto& r : rows) {
    if (!out.empty())
      out += '\n';
    out += r;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Numbers for people

// "-1234567.5" -> "-1,234,567.5".
std::string group_thousands(std::string_view s) {
  const std::size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  const std::size_t end = std::min(s.find('.'), s.size());
  std::string out(s.substr(0, start));
  for (std::size_t i = start; i < end; ++i) {
    out += s[i];
    const std::size_t left = end - i - 1;
    if (left > 0 && left % 3 == 0)
      out += ',';
  }
  out += s.substr(end);
  return out;
}


std::string display(std::int64_t minor, Currency currency) {
  return Money(minor, currency).to_display();
}

// ---------------------------------------------------------------------------
// The template data

mstch::data text_value(std::string_view s) {
  const std::string c = clean(trim(s));
  if (c.empty())
    return mstch::data(false);
  return mstch::data(c);
}

// The address as the books have it, one element per non-empty line.
mstch::data address_lines(std::string_view address) {
  const std::string c = clean(address);
  mstch::data list(mstch::data::type::list);
  bool any = false;
  std::string_view rest = c;
  while (!rest.empty()) {
    const std::size_t nl = std::min(rest.find('\n'), rest.size());
    const auto line = trim(rest.substr(0, nl));
    if (!line.empty()) {
      list.push_back(mstch::data(std::string(line)));
      any = true;
    }
    rest.remove_prefix(std::min(nl + 1, rest.size()));
  }
  return any ? list : mstch::data(false);
}

mstch::data company_data(const Config& config) {
  mstch::data company;
  company.set("name", text_value(config.company_name));
  company.set("address", text_value(config.company_address));
  company.set("address_lines", address_lines(config.company_address));
  company.set("email", text_value(config.company_email));
  company.set("phone", text_value(config.company_phone));
  company.set("tax_id", text_value(config.company_tax_id));
  company.set("payment_instructions", text_value(config.payment_instructions));
  company.set("payment_instructions_lines",
              address_lines(config.payment_instructions));
  return company;
}

mstch::data customer_data(const Customer* c) {
  mstch::data customer;
  customer.set("id", text_value(c ? c->id : ""));
  customer.set("name", text_value(c ? c->name : ""));
  customer.set("address", text_value(c ? c->address : ""));
  customer.set("address_lines", address_lines(c ? c->address : ""));
  customer.set("email", text_value(c ? c->email : ""));
  customer.set("tax_id", text_value(c ? c->tax_id : ""));
  return customer;
}

Result<std::optional<std::string>> books_template(const BooksDir& dir,
                                                  std::string_view name) {
  const std::string path = dir.file(name);
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found)
    return std::nullopt;
  if (ec)
    return fail(ExitCode::no_input, fmt::format("cannot read {}: {}",
                                                dir.shown(name), ec.message()));
  if (std::filesystem::is_directory(status))
    return fail(
        ExitCode::no_input,
        fmt::format("cannot read {}: it is a directory", dir.shown(name)));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(ExitCode::no_input,
                fmt::format("cannot read {}: {}", dir.shown(name),
                            std::generic_category().message(errno)));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    return fail(ExitCode::no_input,
                fmt::format("cannot read {}", dir.shown(name)));
  std::string text = buffer.str();
  // Editors on Windows start UTF-8 files with a byte order mark.
  if (text.starts_with("\xEF\xBB\xBF"))
    text.erase(0, 3);
  return text;
}

namespace {

// ---------------------------------------------------------------------------
// Templates

// Stands for a line break of the template while kainjow renders it; control
// characters never reach the output from the data (clean), and the
// template's own are taken out, so it cannot be confused with anything.
constexpr char k_line_break = '\x1E';

// The template as kainjow is given it. The mustache spec takes a line that
// holds only a section or comment tag (and blanks) out of the output
// entirely; kainjow decides that while rendering, and gets it wrong both
// ways: a section that is not shown and a comment leave a blank line, and a
// blank line right after a shown section is dropped. So the rule is applied
// here, to the text (such a line becomes its bare tag; a comment may span
// lines), and every other line break is hidden from kainjow's line handling
// and put back after rendering. Line ends are written "\n" whatever the
// template used. After a set-delimiter tag, tags can no longer be told from
// text, so the rest is left as it is.
std::string prepare_template(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  std::string out;
  out.reserve(text.size());
  bool standalone_rule = true;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    const bool has_break = nl != std::string_view::npos;
    if (!has_break)
      nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (line.find("{{=") != std::string_view::npos)
      standalone_rule = false;

    std::size_t open = 0;
    while (open < line.size() && blank(line[open]))
      ++open;
    if (standalone_rule && line.substr(open).size() >= 3 &&
        line.substr(open).starts_with("{{") &&
        std::string_view("#^/!").find(line[open + 2]) !=
            std::string_view::npos) {
      const std::size_t start = pos + open;
      const std::size_t close = text.find("}}", start + 2);
      if (close != std::string_view::npos &&
          (line[open + 2] == '!' || close < nl)) {
        std::size_t after = close + 2;
        while (after < text.size() &&
               (blank(text[after]) || text[after] == '\r'))
          ++after;
        if (after == text.size() || text[after] == '\n') {
          out += text.substr(start, close + 2 - start);
          pos = after == text.size() ? after : after + 1;
          continue;
        }
      }
    }
    for (const char ch : line)
      if (ch != k_line_break && ch != '\r')
        out += ch;
    if (has_break)
      out += k_line_break;
    pos = has_break ? nl + 1 : text.size();
  }
  return out;
}

// A kainjow parse error ("Unclosed section \"lines\" at 3") as a
// diagnostic pointing at the tag in the template: file, line, column and
// the line itself.
Error template_error(std::string_view text, std::string_view file,
                     const std::string& problem) {
  Diagnostic d;
  d.loc.file = std::string(file);
  d.code = "template-syntax";
  d.message = problem;
  const auto at = problem.rfind(" at ");
  if (at != std::string::npos) {
    std::size_t offset = 0;
    const auto digits = std::string_view(problem).substr(at + 4);
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), offset);
    if (ec == std::errc{} && end == digits.data() + digits.size() &&
        offset < text.size()) {
      d.message = problem.substr(0, at);
      const auto line_start = text.rfind('\n', offset);
      const std::size_t first =
          line_start == std::string_view::npos ? 0 : line_start + 1;
      const std::size_t last = std::min(text.find('\n', offset), text.size());
      d.loc.line = static_cast<std::uint32_t>(
          std::count(text.begin(),
                     text.begin() + static_cast<std::ptrdiff_t>(first), '\n') +
          1);
      d.loc.column = static_cast<std::uint32_t>(offset - first + 1);
      d.excerpt = std::string(text.substr(first, last - first));
      if (!d.excerpt.empty() && d.excerpt.back() == '\r')
        d.excerpt.pop_back();
      const auto close = text.find("}}", offset);
      d.span = static_cast<std::uint32_t>(
          close != std::string_view::npos && close < last ? close + 2 - offset
                                                          : 1);
    }
  }
  if (!d.message.empty())
    d.message[0] = static_cast<char>(
        std::tolower(static_cast<unsigned char>(d.message[0])));
  std::string message = fmt::format("{}: {}", file, d.message);
  return Error{ExitCode::data, std::move(message), {std::move(d)}};
}

} // namespace

Result<std::string> render_text(std::string_view template_text,
                                std::string_view shown_name,
                                DocumentFormat format, const Data& data) {
  // The template as written is parsed first, so that a problem is reported
  // where it is in the file.
  if (const mstch::mustache as_written{std::string(template_text)};
      !as_written.is_valid())
    return std::unexpected(
        template_error(template_text, shown_name, as_written.error_message()));
  mstch::mustache tmpl{prepare_template(template_text)};
  if (!tmpl.is_valid())
    return std::unexpected(
        template_error({}, shown_name, tmpl.error_message()));
  // Text is for terminals, files and mail bodies: "Smith & Sons" stays as
  // it is; only control characters go.
  if (format == DocumentFormat::html)
    tmpl.set_custom_escape(html_escape);
  else
    tmpl.set_custom_escape([](const std::string& s) { return clean(s); });
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid())
    return std::unexpected(
        template_error({}, shown_name, tmpl.error_message()));
  std::replace(out.begin(), out.end(), k_line_break, '\n');
  return out;
}

Result<std::string> render(const BooksDir& dir, std::string_view file,
                           std::string_view builtin, DocumentFormat format,
                           const Data& data) {
  auto own = books_template(dir, file);
  if (!own)
    return std::unexpected(std::move(own.error()));
  if (!*own)
    return render_text(builtin, fmt::format("built-in {} template", to_string(format)),
                       format, data);
  return render_text(**own, dir.shown(file), format, data);
}

} // namespace arctl::tmpl
