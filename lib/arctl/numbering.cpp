#include "arctl/numbering.hpp"

#include <fmt/format.h>

namespace arctl {

namespace {

// Calls `literal(text)`, `year()` and `seq(width)` for the parts of a valid
// pattern, in order.
template <class Literal, class Year, class Seq>
void parse_pattern(std::string_view p, Literal literal, Year year, Seq seq) {
  while (!p.empty()) {
    const auto open = p.find('{');
    if (open != 0) {
      literal(p.substr(0, open));
      if (open == std::string_view::npos)
        return;
      p.remove_prefix(open);
    }
    const auto close = p.find('}');
    const auto field = p.substr(1, close - 1);
    if (field == "year")
      year();
    else
      seq(field.size() > 4 ? field[5] - '0' : 1); // "seq" or "seq:0N"
    p.remove_prefix(close + 1);
  }
}

} // namespace

std::string format_number(std::string_view pattern, int year,
                          std::uint64_t seq) {
  std::string out;
  parse_pattern(
      pattern, [&](std::string_view text) { out += text; },
      [&] { out += fmt::format("{:04}", year); },
      [&](int width) { out += fmt::format("{:0{}}", seq, width); });
  return out;
}

std::optional<std::uint64_t> match_number(std::string_view pattern,
                                          std::string_view id, int year) {
  bool ok = true;
  std::optional<std::uint64_t> seq;
  const auto year_text = fmt::format("{:04}", year);
  parse_pattern(
      pattern,
      [&](std::string_view text) {
        ok = ok && id.starts_with(text);
        if (ok)
          id.remove_prefix(text.size());
      },
      [&] {
        ok = ok && id.starts_with(year_text);
        if (ok)
          id.remove_prefix(year_text.size());
      },
      [&](int width) {
        // The sequence takes the digits up to the next literal; patterns
        // put text or the end after {seq}.
        std::size_t n = 0;
        std::uint64_t value = 0;
        while (ok && n < id.size() && n < 18 && id[n] >= '0' && id[n] <= '9')
          value = value * 10 + static_cast<std::uint64_t>(id[n++] - '0');
        ok = ok && n >= static_cast<std::size_t>(width) && n > 0;
        if (ok) {
          seq = value;
          id.remove_prefix(n);
        }
      });
  if (!ok || !id.empty())
    return std::nullopt;
  return seq;
}

std::string next_number(const Books& books, std::string_view pattern,
                        Date date) {
  const int year = static_cast<int>(date.year());
  std::uint64_t highest = 0;
  auto consider = [&](std::string_view id) {
    if (auto seq = match_number(pattern, id, year); seq && *seq > highest)
      highest = *seq;
  };
  for (const auto& x : books.invoices)
    consider(x.id);
  for (const auto& x : books.payments)
    consider(x.id);
  for (const auto& x : books.adjustments)
    consider(x.id);
  return format_number(pattern, year, highest + 1);
}

} // namespace arctl
