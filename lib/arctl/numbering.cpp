#include "arctl/numbering.hpp"

#include <fmt/format.h>

#include <algorithm>

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
  for (const auto& x : books.notices)
    consider(x.id);
  for (const auto& x : books.bank_transactions)
    consider(x.id);
  return format_number(pattern, year, highest + 1);
}

std::optional<std::string> id_taken(const Books& books, std::string_view id,
                                    std::span<const std::string> taken) {
  if (const auto i = books.invoice_index.find(id))
    return fmt::format("{}:{}", books.dir.shown(schema(Table::invoices).file),
                       books.invoices[*i].line);
  if (const auto ref = books.find_document(id); ref.valid()) {
    const auto table =
        ref.kind == DocKind::payment ? Table::payments : Table::adjustments;
    const auto line = ref.kind == DocKind::payment
                          ? books.payments[ref.index].line
                          : books.adjustments[ref.index].line;
    return fmt::format("{}:{}", books.dir.shown(schema(table).file), line);
  }
  if (std::find(taken.begin(), taken.end(), id) != taken.end())
    return std::string("this change");
  return std::nullopt;
}

std::string Numberer::next(std::string_view pattern, Date date) {
  const int year = static_cast<int>(date.year());
  auto series = std::find_if(m_series.begin(), m_series.end(),
                             [&](const Series& x) {
                               return x.year == year && x.pattern == pattern;
                             });
  if (series == m_series.end()) {
    const auto first = next_number(m_books, pattern, date);
    auto seq = match_number(pattern, first, year).value_or(1);
    for (const auto& id : m_ids)
      if (auto s = match_number(pattern, id, year); s && *s >= seq)
        seq = *s + 1;
    m_series.push_back({std::string(pattern), year, seq});
    series = m_series.end() - 1;
  }
  auto id = format_number(pattern, year, series->next++);
  m_ids.push_back(id);
  return id;
}

void Numberer::take(std::string id) {
  for (auto& series : m_series)
    if (auto s = match_number(series.pattern, id, series.year);
        s && *s >= series.next)
      series.next = *s + 1;
  m_ids.push_back(std::move(id));
}

} // namespace arctl
