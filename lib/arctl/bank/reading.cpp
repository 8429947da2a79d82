#include "arctl/bank/reading.hpp"

#include "arctl/csv_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace arctl::bank {

Text::Text(std::string_view text, std::string file)
    : m_text(text), m_file(std::move(file)) {
  m_starts.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n' && i + 1 < text.size())
      m_starts.push_back(i + 1);
}

std::string_view Text::line(std::uint32_t n) const {
  if (n == 0 || n > m_starts.size())
    return {};
  const auto start = m_starts[n - 1];
  auto end = m_text.find('\n', start);
  if (end == std::string_view::npos)
    end = m_text.size();
  auto s = m_text.substr(start, end - start);
  if (!s.empty() && s.back() == '\r')
    s.remove_suffix(1);
  return s;
}

std::pair<std::uint32_t, std::uint32_t>
Text::position(std::size_t offset) const {
  const auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
  const auto index = static_cast<std::size_t>(it - m_starts.begin()) - 1;
  return {static_cast<std::uint32_t>(index + 1),
          static_cast<std::uint32_t>(offset - m_starts[index] + 1)};
}

void Problems::add(std::uint32_t line, std::uint32_t column, std::string code,
                   std::string message, std::string hint, std::uint32_t span) {
  Diagnostic d;
  d.loc = {m_text.file(), line, column};
  d.code = std::move(code);
  d.message = std::move(message);
  d.hint = std::move(hint);
  d.excerpt = std::string(m_text.line(line));
  d.span = std::max<std::uint32_t>(1, span);
  m_found.push_back(std::move(d));
}

void Problems::at_offset(std::size_t offset, std::string code,
                         std::string message, std::string hint,
                         std::uint32_t span) {
  const auto [line, column] = m_text.position(offset);
  add(line, column, std::move(code), std::move(message), std::move(hint), span);
}

Error Problems::error() const { return problems_error(m_text.file(), m_found); }

std::expected<std::int64_t, std::string>
unsigned_amount(std::string_view text, char decimal, Currency currency) {
  const auto wrong = [&] {
    return std::unexpected(fmt::format("amount \"{}\" is not a number", text));
  };
  if (text.empty())
    return std::unexpected(std::string("amount is empty"));
  const auto point = text.find(decimal);
  const auto whole = text.substr(0, point);
  const auto fraction = point == std::string_view::npos
                            ? std::string_view{}
                            : text.substr(point + 1);
  if (whole.empty() && fraction.empty())
    return wrong();
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(whole) || !digits(fraction))
    return wrong();
  __int128 value = 0;
  for (const char c : whole) {
    value = value * 10 + (c - '0');
    if (value > std::numeric_limits<std::int64_t>::max())
      return std::unexpected(fmt::format("amount \"{}\" is too large", text));
  }
  const auto exponent = static_cast<std::size_t>(currency.exponent);
  for (std::size_t i = 0; i < exponent; ++i)
    value = value * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  if (value > std::numeric_limits<std::int64_t>::max())
    return std::unexpected(fmt::format("amount \"{}\" is too large", text));
  if (fraction.size() > exponent &&
      fraction.find_first_not_of('0', exponent) != std::string_view::npos)
    return std::unexpected(
        fmt::format("amount \"{}\" has more decimals than {} has ({})", text,
                    currency.name(), currency.exponent));
  return static_cast<std::int64_t>(value);
}

std::expected<std::int64_t, std::string>
signed_amount(std::string_view text, char decimal, Currency currency) {
  const bool negative = text.starts_with('-');
  if (negative || text.starts_with('+'))
    text.remove_prefix(1);
  auto v = unsigned_amount(text, decimal, currency);
  if (v && negative)
    *v = -*v;
  return v;
}

namespace {
std::optional<int> number(std::string_view s) {
  int v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return s.empty() ? std::nullopt : std::optional(v);
}

std::optional<Date> make_date(int y, std::optional<int> m,
                              std::optional<int> d) {
  if (!m || !d)
    return std::nullopt;
  const Date date{date::year{y}, date::month{static_cast<unsigned>(*m)},
                  date::day{static_cast<unsigned>(*d)}};
  return date.ok() ? std::optional(date) : std::nullopt;
}
} // namespace

std::optional<Date> yymmdd(std::string_view text) {
  if (text.size() != 6)
    return std::nullopt;
  const auto y = number(text.substr(0, 2));
  if (!y)
    return std::nullopt;
  return make_date(full_year(*y), number(text.substr(2, 2)),
                   number(text.substr(4, 2)));
}

std::optional<Date> yyyymmdd(std::string_view text) {
  if (text.size() != 8)
    return std::nullopt;
  const auto y = number(text.substr(0, 4));
  if (!y || *y < 1900)
    return std::nullopt;
  return make_date(*y, number(text.substr(4, 2)), number(text.substr(6, 2)));
}

std::string squeeze(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') {
      space = !out.empty();
      continue;
    }
    if (space)
      out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void append_text(std::string& out, std::string_view part) {
  const auto s = squeeze(part);
  if (s.empty())
    return;
  if (!out.empty())
    out += ' ';
  out += s;
}

bool looks_like_iban(std::string_view text) {
  const auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() < 15 || text.size() > 34 || !letter(text[0]) ||
      !letter(text[1]) || !digit(text[2]) || !digit(text[3]))
    return false;
  return std::all_of(text.begin() + 4, text.end(),
                     [&](char c) { return letter(c) || digit(c); });
}

std::optional<Currency> currency_at(std::string_view code, Problems& problems,
                                    std::uint32_t line, std::uint32_t column) {
  if (auto c = find_currency(code))
    return c;
  problems.add(line, column, "currency-unknown",
               code.empty() ? std::string("the currency is missing")
                            : fmt::format("unknown currency \"{}\"", code),
               "currencies are ISO 4217 codes such as USD, EUR, JPY",
               static_cast<std::uint32_t>(code.size()));
  return std::nullopt;
}

} // namespace arctl::bank
