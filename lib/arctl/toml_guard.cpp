#include "arctl/toml_guard.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arctl {

std::optional<TomlHazard> toml_hazard(std::string_view text) {
  constexpr std::string_view k_unquoted_hint =
      "keys are ASCII letters, digits, '_' and '-'; other text goes in "
      "quotes: memo = \"{}\"";
  const auto high = [&](std::size_t i) {
    return i < text.size() && static_cast<unsigned char>(text[i]) >= 0x80;
  };
  const auto hazard = [&](std::size_t i, std::string_view message,
                          std::string_view hint) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t size = lead >= 0xF0   ? 4
                       : lead >= 0xE0 ? 3
                       : lead >= 0xC0 ? 2
                                      : 1;
    size = std::min(size, text.size() - i);
    auto shown = text.substr(i, size);
    return TomlHazard{i, size, fmt::format(fmt::runtime(message), shown),
                      fmt::format(fmt::runtime(hint), shown)};
  };
  // A closing """ or ''' may be followed by up to two more quotes, which
  // belong to the string.
  const auto closing = [&](std::size_t i, char quote) {
    std::size_t n = 0;
    while (i + n < text.size() && text[i + n] == quote && n < 5)
      ++n;
    return n;
  };
  enum class In { code, comment, basic, literal, ml_basic, ml_literal };
  In in = In::code;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (in) {
    case In::code:
      if (c == '#') {
        in = In::comment;
      } else if (c == '"' || c == '\'') {
        const bool triple = text.substr(i, 3) == std::string(3, c);
        in = c == '"' ? (triple ? In::ml_basic : In::basic)
                      : (triple ? In::ml_literal : In::literal);
        if (triple)
          i += 2;
      } else if ((c >= '0' && c <= '9') || c == '+' || c == '-') {
        // To tell a number from a date, toml++ looks at what follows up to
        // the next space, ',', ']', '}' or '#', quotes included.
        constexpr std::string_view k_ends = " \t\r\n,]}#";
        std::size_t k = i;
        while (k < text.size() &&
               k_ends.find(text[k]) == std::string_view::npos) {
          if (high(k))
            return hazard(k, "unexpected character '{}'", k_unquoted_hint);
          ++k;
        }
        i = k - 1;
      } else if (high(i)) {
        return hazard(i, "unexpected character '{}'", k_unquoted_hint);
      }
      break;
    case In::comment:
      if (c == '\n')
        in = In::code;
      break;
    case In::basic:
      if (c == '\\')
        ++i;
      else if (c == '"' || c == '\n')
        in = In::code;
      break;
    case In::literal:
      if (c == '\'' || c == '\n')
        in = In::code;
      break;
    case In::ml_basic:
      if (c == '"') {
        if (const auto n = closing(i, '"'); n >= 3) {
          i += n - 1;
          in = In::code;
        }
      } else if (c == '\\') {
        if (high(i + 1))
          return hazard(i + 1, "unknown escape sequence '\\{}'",
                        "a backslash starts an escape such as \\n or "
                        "\\\"; write \\\\ for a backslash");
        std::size_t k = i + 1;
        while (k < text.size() && (text[k] == ' ' || text[k] == '\t' ||
                                   text[k] == '\r' || text[k] == '\n'))
          ++k;
        if (k == i + 1) {
          ++i; // an escape: its character is not the string's end
          break;
        }
        if (high(k))
          return hazard(k,
                        "a line joined by a line-ending backslash cannot "
                        "start with '{}'",
                        "leave out the backslash, or start the line with "
                        "an escape of '{}' such as \\u00E9");
        i = k - 1;
      }
      break;
    case In::ml_literal:
      if (c == '\'') {
        if (const auto n = closing(i, '\''); n >= 3) {
          i += n - 1;
          in = In::code;
        }
      }
      break;
    }
  }
  return std::nullopt;
}

} // namespace arctl
