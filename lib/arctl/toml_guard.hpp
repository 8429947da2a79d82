// Text toml++ must not be given. toml++ 3.3, the version Debian ships,
// has undefined behaviour on some ordinary typos; every TOML file arctl
// reads (arctl.toml, invoice drafts) is scanned for them first.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace arctl {

// A character toml++ must not be shown. toml++ 3.3 asks whether a character
// is whitespace through a table with holes for most letters beyond ASCII,
// and reaching a hole is undefined behaviour (marzer/tomlplusplus#190). It
// asks for a character outside strings and comments (a name left unquoted,
// customer = Müller, or anything up to the next space after a digit, even
// in quotes), right after a backslash in a """ string, and at the start of
// a line joined by a line-ending backslash. The first two are errors
// anyway; the third is refused with a way round it.
struct TomlHazard {
  std::size_t offset = 0; // of the character's first byte
  std::size_t size = 1;   // the character's bytes
  std::string message;
  std::string hint;
};

// The first such character of valid UTF-8 `text`, if any. Strings and
// comments are followed as toml++ reads them until its first syntax error;
// what comes after that error is never shown to toml++ anyway.
[[nodiscard]] std::optional<TomlHazard> toml_hazard(std::string_view text);

} // namespace arctl
