#include "arctl/encoding.hpp"

#include "arctl/csv.hpp"
#include "arctl/csv_input.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <iconv.h>

namespace arctl {

namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";

// An iconv conversion to UTF-8, closed when it goes out of scope.
class Converter {
public:
  explicit Converter(std::string_view from)
      : m_cd(::iconv_open("UTF-8", std::string(from).c_str())) {}
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;
  ~Converter() {
    if (ok())
      ::iconv_close(m_cd);
  }
  [[nodiscard]] bool ok() const {
    return m_cd != reinterpret_cast<iconv_t>(-1);
  }

  // Converts `in` into `out`; on a byte it cannot read, returns its offset.
  std::optional<std::size_t> convert(std::string_view in, std::string& out) {
    out.clear();
    ::iconv(m_cd, nullptr, nullptr, nullptr, nullptr);
    auto* src = const_cast<char*>(in.data());
    std::size_t left = in.size();
    std::array<char, 4096> buffer;
    while (left > 0) {
      char* dst = buffer.data();
      std::size_t room = buffer.size();
      const auto r = ::iconv(m_cd, &src, &left, &dst, &room);
      out.append(buffer.data(), static_cast<std::size_t>(dst - buffer.data()));
      if (r == static_cast<std::size_t>(-1) && errno != E2BIG)
        return static_cast<std::size_t>(src - in.data());
    }
    return std::nullopt;
  }

private:
  iconv_t m_cd;
};

// The first code point of UTF-8 `s` (which is not empty).
char32_t first_code_point(std::string_view s) {
  const auto b = static_cast<unsigned char>(s[0]);
  if (b < 0x80 || s.size() < 2)
    return b;
  const auto c1 = static_cast<unsigned char>(s[1]) & 0x3Fu;
  if (b < 0xE0)
    return ((b & 0x1Fu) << 6) | c1;
  if (s.size() < 3)
    return 0;
  return ((b & 0x0Fu) << 12) | (c1 << 6) |
         (static_cast<unsigned char>(s[2]) & 0x3Fu);
}

// Latin (with its accented forms), Greek and Cyrillic letters: what the
// bytes above 127 of the code pages below stand for in names and words.
bool is_letter(char32_t c) {
  return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x370 && c <= 0x4FF);
}

// How many bytes above 127 of `bytes` read as letters in `encoding`, or
// nothing when it cannot read them all.
std::optional<std::size_t> letters_in(std::string_view bytes,
                                      std::string_view encoding) {
  Converter conv(encoding);
  if (!conv.ok())
    return std::nullopt;
  std::array<int, 128> letter{}; // 1 letter, 0 not, -1 unreadable
  std::string out;
  for (std::size_t b = 0; b < 128; ++b) {
    const char byte = static_cast<char>(0x80 + b);
    if (conv.convert(std::string_view(&byte, 1), out) || out.empty())
      letter[b] = -1;
    else
      letter[b] = is_letter(first_code_point(out)) ? 1 : 0;
  }
  std::size_t count = 0;
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80)
      continue;
    if (letter[u - 0x80] < 0)
      return std::nullopt;
    count += static_cast<std::size_t>(letter[u - 0x80]);
  }
  return count;
}

Error unreadable(std::string_view bytes, std::size_t at,
                 std::string_view encoding, const std::string& file) {
  const auto [line, column] = line_and_column(bytes, at, 1);
  const auto begin = bytes.rfind('\n', at) == std::string_view::npos
                         ? 0
                         : bytes.rfind('\n', at) + 1;
  auto end = bytes.find('\n', at);
  if (end == std::string_view::npos)
    end = bytes.size();
  Diagnostic d;
  d.loc = {file, line, column};
  d.code = "encoding";
  d.message = fmt::format("byte 0x{:02X} is not text in {}",
                          static_cast<unsigned char>(bytes[at]), encoding);
  d.hint = "name the file's encoding with --encoding (or the profile's "
           "encoding), such as latin1, windows-1252, cp850 or cp852";
  d.excerpt = std::string(bytes.substr(begin, end - begin));
  if (!d.excerpt.empty() && d.excerpt.back() == '\r')
    d.excerpt.pop_back();
  return problems_error(file, {std::move(d)});
}

bool is_auto(std::string_view encoding) {
  return encoding.empty() || encoding == "auto";
}

} // namespace

std::optional<std::string> encoding_problem(std::string_view encoding) {
  if (is_auto(encoding) || Converter(encoding).ok())
    return std::nullopt;
  return fmt::format("encoding \"{}\" is not known", encoding);
}

Result<DecodedText> decode_text(std::string_view bytes,
                                std::string_view encoding,
                                const std::string& file) {
  if (bytes.starts_with(k_bom))
    bytes.remove_prefix(k_bom.size());
  std::string chosen(encoding);
  if (is_auto(encoding)) {
    if (invalid_utf8_at(bytes) == std::string_view::npos)
      return DecodedText{std::string(bytes), "UTF-8"};
    chosen.clear();
    std::size_t best = 0;
    for (const std::string_view candidate : {"WINDOWS-1252", "CP850", "CP852"})
      if (const auto n = letters_in(bytes, candidate);
          n && (chosen.empty() || *n > best)) {
        chosen = candidate;
        best = *n;
      }
    if (chosen.empty())
      chosen = "WINDOWS-1252"; // reports the first byte it cannot read
  }
  Converter conv(chosen);
  if (!conv.ok())
    return fail(ExitCode::usage, *encoding_problem(chosen));
  DecodedText out;
  out.encoding = chosen;
  if (const auto bad = conv.convert(bytes, out.text))
    return std::unexpected(unreadable(bytes, *bad, chosen, file));
  if (out.text.starts_with(k_bom))
    out.text.erase(0, k_bom.size());
  return out;
}

} // namespace arctl
