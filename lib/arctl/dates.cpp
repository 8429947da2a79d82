#include "arctl/dates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>

namespace arctl {

namespace {

constexpr std::string_view k_date_hint = "dates look like 2026-03-31";
constexpr std::string_view k_terms_hint =
    "terms look like \"net 30\", \"2/10 net 30\", \"net 15 eom\" or \"due on "
    "receipt\"";

// Terms beyond ten years are a typo, not a credit policy.
constexpr int k_max_term_days = 3650;

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr int digits_value(std::string_view text, std::size_t pos,
                           std::size_t count) {
  int v = 0;
  for (std::size_t i = pos; i < pos + count; ++i)
    v = v * 10 + (text[i] - '0');
  return v;
}

constexpr char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

// A day count: digits only, 0..3650. nullopt when it is not digits at all;
// -1 when it is digits but out of range.
constexpr std::optional<int> day_count(std::string_view text) {
  if (text.empty())
    return std::nullopt;
  int v = 0;
  for (const char c : text) {
    if (!is_digit(c))
      return std::nullopt;
    if (v <= k_max_term_days)
      v = v * 10 + (c - '0');
  }
  return v > k_max_term_days ? -1 : v;
}

std::unexpected<ParseError> terms_error(std::string_view text,
                                        std::string_view hint = k_terms_hint) {
  return std::unexpected(ParseError{
      fmt::format("terms \"{}\" are not understood", text), std::string(hint)});
}

} // namespace

std::expected<Date, ParseError> parse_date(std::string_view text) {
  if (text.empty())
    return std::unexpected(
        ParseError{"date is empty", std::string(k_date_hint)});
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      is_digit(text[0]) && is_digit(text[1]) &&
                      is_digit(text[2]) && is_digit(text[3]) &&
                      is_digit(text[5]) && is_digit(text[6]) &&
                      is_digit(text[8]) && is_digit(text[9]);
  if (!shaped)
    return std::unexpected(
        ParseError{fmt::format("date \"{}\" is not in YYYY-MM-DD form", text),
                   std::string(k_date_hint)});
  const int y = digits_value(text, 0, 4);
  const auto m = static_cast<unsigned>(digits_value(text, 5, 2));
  const auto d = static_cast<unsigned>(digits_value(text, 8, 2));
  // Books are about trade, and years before 1900 are almost always a
  // mistyped century; the upper bound is where four digits end.
  if (y < 1900)
    return std::unexpected(
        ParseError{fmt::format("date \"{}\" is before the year 1900", text),
                   std::string(k_date_hint)});
  const Date date{date::year{y}, date::month{m}, date::day{d}};
  if (!date.ok())
    return std::unexpected(
        ParseError{fmt::format("date \"{}\" is not a real day", text),
                   std::string(k_date_hint)});
  return date;
}

int full_year(int two_digits) {
  return two_digits < 70 ? 2000 + two_digits : 1900 + two_digits;
}

std::optional<std::string> date_pattern_problem(std::string_view pattern) {
  bool day = false, month = false, year = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%')
      continue;
    if (++i == pattern.size())
      return std::string("ends in a lone '%'");
    switch (pattern[i]) {
    case 'd': day = true; break;
    case 'm': month = true; break;
    case 'Y':
    case 'y': year = true; break;
    case '%': break;
    default:
      return fmt::format("has an unknown field %{}; use %d, %m, %Y, %y or %%",
                         pattern[i]);
    }
  }
  if (!day || !month || !year)
    return std::string("needs a day (%d), a month (%m) and a year (%Y or %y)");
  return std::nullopt;
}

std::expected<Date, ParseError> parse_date_as(std::string_view text,
                                              std::string_view pattern) {
  const auto wrong = [&] {
    return std::unexpected(ParseError{
        fmt::format("date \"{}\" does not match the pattern \"{}\"", text,
                    pattern),
        {}});
  };
  int y = 0, m = 0, d = 0;
  std::size_t at = 0;
  // Up to `most` digits, at least `least`.
  const auto number = [&](std::size_t least, std::size_t most, int& out) {
    std::size_t n = 0;
    out = 0;
    while (n < most && at < text.size() && is_digit(text[at])) {
      out = out * 10 + (text[at++] - '0');
      ++n;
    }
    return n >= least;
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] != '%') {
      const char field = pattern[++i];
      const bool ok = field == 'd'   ? number(1, 2, d)
                      : field == 'm' ? number(1, 2, m)
                      : field == 'Y' ? number(4, 4, y)
                      : field == 'y' && number(2, 2, y);
      if (!ok)
        return wrong();
      if (field == 'y')
        y = full_year(y);
      continue;
    }
    if (pattern[i] == '%')
      ++i; // "%%"
    if (at >= text.size() || text[at] != pattern[i])
      return wrong();
    ++at;
  }
  if (at != text.size())
    return wrong();
  const Date date{date::year{y}, date::month{static_cast<unsigned>(m)},
                  date::day{static_cast<unsigned>(d)}};
  if (y < 1900 || !date.ok())
    return std::unexpected(ParseError{
        fmt::format("date \"{}\" is not a real day", text), {}});
  return date;
}

std::string format_date(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

int days_between(Date from, Date to) {
  return static_cast<int>((date::sys_days{to} - date::sys_days{from}).count());
}

Date add_days(Date d, int days) {
  return Date{date::sys_days{d} + date::days{days}};
}

Date end_of_month(Date d) { return Date{d.year() / d.month() / date::last}; }

Date Terms::due_date(Date issued) const {
  const Date start = end_of_month ? arctl::end_of_month(issued) : issued;
  return add_days(start, net_days);
}

std::optional<Date> Terms::discount_until(Date issued) const {
  if (!discount_percent)
    return std::nullopt;
  return add_days(issued, discount_days);
}

std::string Terms::to_string() const {
  std::string out;
  if (discount_percent)
    out = fmt::format("{}/{} net {}", discount_percent->to_string(),
                      discount_days, net_days);
  else if (net_days == 0 && !end_of_month)
    return "due on receipt";
  else
    out = fmt::format("net {}", net_days);
  if (end_of_month)
    out += " eom";
  return out;
}

std::expected<Terms, ParseError> parse_terms(std::string_view text) {
  if (text.empty())
    return std::unexpected(
        ParseError{"terms are empty", std::string(k_terms_hint)});

  // Split on single spaces; a doubled, leading or trailing space leaves an
  // empty word, which no form accepts.
  std::array<std::string_view, 4> words;
  std::size_t count = 0;
  for (std::size_t start = 0;;) {
    const auto space = text.find(' ', start);
    if (count == words.size())
      return terms_error(text);
    words[count++] = text.substr(start, space - start);
    if (space == std::string_view::npos)
      break;
    start = space + 1;
  }
  const std::span<const std::string_view> w(words.data(), count);

  if (w.size() == 3 && equals_ignoring_case(w[0], "due") &&
      equals_ignoring_case(w[1], "on") && equals_ignoring_case(w[2], "receipt"))
    return Terms{};

  Terms terms;
  std::size_t at = 0;
  // "D/N" before "net": an early-payment discount.
  if (!w.empty() && !equals_ignoring_case(w[0], "net")) {
    const auto slash = w[0].find('/');
    if (slash == std::string_view::npos)
      return terms_error(text);
    const auto percent = parse_decimal(w[0].substr(0, slash), 9, "discount");
    const auto days = day_count(w[0].substr(slash + 1));
    if (!percent || !days)
      return terms_error(text);
    if (*days < 0)
      return terms_error(text, "day counts go from 0 to 3650");
    if (percent->units <= 0 || *percent >= Decimal{100, 0})
      return terms_error(text,
                         "the discount is a percent above 0 and below 100");
    terms.discount_percent = percent->normalized();
    terms.discount_days = *days;
    at = 1;
  }
  if (w.size() < at + 2 || !equals_ignoring_case(w[at], "net"))
    return terms_error(text);
  const auto net = day_count(w[at + 1]);
  if (!net)
    return terms_error(text);
  if (*net < 0)
    return terms_error(text, "day counts go from 0 to 3650");
  terms.net_days = *net;
  at += 2;
  if (at < w.size()) {
    if (!equals_ignoring_case(w[at], "eom"))
      return terms_error(text);
    terms.end_of_month = true;
    ++at;
  }
  if (at != w.size())
    return terms_error(text);
  if (terms.discount_percent && !terms.end_of_month &&
      terms.discount_days > terms.net_days)
    return terms_error(
        text, "the discount period cannot be longer than the net period");
  return terms;
}

std::string Interval::to_string() const {
  const char unit_letter = unit == Unit::days    ? 'd'
                           : unit == Unit::weeks ? 'w'
                                                 : 'm';
  return std::to_string(count) + unit_letter;
}

std::expected<Interval, ParseError> parse_interval(std::string_view text) {
  const auto bad = [&] {
    return std::unexpected(ParseError{
        "interval \"" + std::string(text) + "\" is not valid",
        "intervals look like 14d, 2w or 1m (days, weeks, months)"});
  };
  if (text.size() < 2 || text.size() > 4)
    return bad();
  Interval every;
  switch (text.back()) {
  case 'd': every.unit = Interval::Unit::days; break;
  case 'w': every.unit = Interval::Unit::weeks; break;
  case 'm': every.unit = Interval::Unit::months; break;
  default: return bad();
  }
  unsigned n = 0;
  for (const char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9')
      return bad();
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  if (n == 0)
    return bad();
  every.count = static_cast<std::uint16_t>(n);
  return every;
}

Date step(Date first, Interval every, std::uint32_t k) {
  const auto n = static_cast<int>(every.count) * static_cast<int>(k);
  switch (every.unit) {
  case Interval::Unit::days: return add_days(first, n);
  case Interval::Unit::weeks: return add_days(first, 7 * n);
  case Interval::Unit::months: break;
  }
  const auto month = date::year_month(first.year(), first.month()) +
                     date::months(n);
  const auto last = date::year_month_day_last(
      month.year(), date::month_day_last(month.month()));
  return Date{month.year(), month.month(),
              std::min(first.day(), last.day())};
}

} // namespace arctl
