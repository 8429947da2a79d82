// Text from other programs made UTF-8: a bank's CSV export in Latin-1, an
// MT940 statement in a DOS code page. The books are UTF-8 throughout; what
// is read in another encoding is converted once, on the way in.
#pragma once

#include "arctl/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace arctl {

// What decode_text made of some bytes.
struct DecodedText {
  std::string text;     // UTF-8, without a byte-order mark
  std::string encoding; // the encoding it was read in ("UTF-8", "CP852")
};

// The UTF-8 text of `bytes` read in `encoding`: any name iconv knows
// ("latin1", "windows-1252", "cp850", "cp852", "utf-8"), or "auto" (or
// empty) to tell by the bytes: UTF-8 when they are valid UTF-8; otherwise
// whichever of Windows-1252, CP850 and CP852 reads most of the bytes above
// 127 as letters, ties going to them in that order. A UTF-8 byte-order mark
// is dropped. A byte that is not text in the encoding fails (ExitCode::data)
// naming `file`, its line and column.
[[nodiscard]] Result<DecodedText> decode_text(std::string_view bytes,
                                              std::string_view encoding,
                                              const std::string& file);

// Why `encoding` cannot be used (iconv does not know it), or nothing.
[[nodiscard]] std::optional<std::string>
encoding_problem(std::string_view encoding);

} // namespace arctl
