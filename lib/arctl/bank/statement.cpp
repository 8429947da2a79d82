#include "arctl/bank/statement.hpp"

#include <array>

namespace arctl {

namespace {

using namespace std::string_view_literals;

constexpr std::array k_format_names{"csv"sv,     "ofx"sv,   "camt053"sv,
                                    "camt054"sv, "mt940"sv, "bai2"sv};

// `text` without white space at its start.
std::string_view skip_space(std::string_view text) {
  while (!text.empty() && (text[0] == ' ' || text[0] == '\t' ||
                           text[0] == '\r' || text[0] == '\n'))
    text.remove_prefix(1);
  return text;
}

} // namespace

std::string_view to_string(StatementFormat format) {
  return k_format_names[static_cast<std::size_t>(format)];
}

std::optional<StatementFormat> parse_statement_format(std::string_view text) {
  for (std::size_t i = 0; i < k_format_names.size(); ++i)
    if (k_format_names[i] == text)
      return static_cast<StatementFormat>(i);
  return std::nullopt;
}

std::optional<StatementFormat> detect_statement_format(std::string_view text) {
  const auto start = skip_space(text);
  // The first 64 KiB say it: a header, a root element, the first fields.
  const auto head = start.substr(0, 65536);
  if (start.starts_with("OFXHEADER") || head.find("<?OFX") != head.npos ||
      head.find("<OFX>") != head.npos)
    return StatementFormat::ofx;
  if (start.starts_with('<')) {
    if (head.find("BkToCstmrStmt") != head.npos)
      return StatementFormat::camt053;
    if (head.find("BkToCstmrDbtCdtNtfctn") != head.npos)
      return StatementFormat::camt054;
    return std::nullopt;
  }
  if (start.starts_with("01,"))
    return StatementFormat::bai2;
  if (start.starts_with("{1:") ||
      (head.find(":20:") != head.npos &&
       (head.find(":61:") != head.npos || head.find(":60F:") != head.npos ||
        head.find(":25:") != head.npos)))
    return StatementFormat::mt940;
  return std::nullopt;
}

Result<Transactions> parse_statement(std::string_view text,
                                     StatementFormat format,
                                     const StatementOptions& options) {
  switch (format) {
  case StatementFormat::csv:
    return parse_bank_csv(text, options);
  case StatementFormat::ofx:
    return parse_ofx(text, options);
  case StatementFormat::camt053:
  case StatementFormat::camt054:
    return parse_camt(text, format, options);
  case StatementFormat::mt940:
    return parse_mt940(text, options);
  case StatementFormat::bai2:
    return parse_bai2(text, options);
  }
  return fail(ExitCode::software, "unknown statement format");
}

} // namespace arctl
