// Bank statements read into bank transactions: ISO 20022 camt.053 and
// camt.054, SWIFT MT940, OFX 1.x and 2.x, BAI2, and CSV exports read
// through a profile of arctl.toml. One parser per format, each pure: UTF-8
// text in (decode_text makes it so), transactions or every problem found,
// with file, line and column, out. arctl-reconcile(1) documents how each
// format maps to a transaction.
#pragma once

#include "arctl/config.hpp"
#include "arctl/dates.hpp"
#include "arctl/error.hpp"
#include "arctl/money.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

enum class StatementFormat : std::uint8_t {
  csv,
  ofx,
  camt053,
  camt054,
  mt940,
  bai2
};

// "csv", "ofx", "camt053", "camt054", "mt940", "bai2".
[[nodiscard]] std::string_view to_string(StatementFormat format);
[[nodiscard]] std::optional<StatementFormat>
parse_statement_format(std::string_view text);

// One transaction on one of the company's accounts, as the statement
// gives it. Text is UTF-8 with runs of white space made one space.
struct BankTransaction {
  std::string account; // the company's account, as the statement names it
  Date date;           // booking date
  std::optional<Date> value_date;
  std::int64_t amount = 0; // minor units of `currency`; a credit is positive
  Currency currency;
  bool reversal = false;
  std::string counterparty, counterparty_account;
  std::string remittance; // free text and references, joined by spaces
  std::string end_to_end, reference;
  std::string type;       // the bank's code of the kind of transaction
  std::string bank_tx;    // the bank's id of it
  std::uint32_t line = 0; // where the statement gives it, from 1
  std::string path;       // XML: its element, "Stmt[1]/Ntry[2]/TxDtls[1]"
};

struct StatementOptions {
  std::string file;           // the statement as messages name it
  bool check_balances = true; // MT940 balances, BAI2 control totals
  // CSV: how to read the file, and the currency of files without a
  // currency column when the profile names none.
  const BankProfile* profile = nullptr;
  Currency currency;
};

using Transactions = std::vector<BankTransaction>;

// The format of `text` by its content: XML whose document is a camt.053
// statement or a camt.054 notification, OFX (SGML headers or XML), BAI2
// (a first record "01,"), MT940 (SWIFT blocks or :20:/:25:/:61: fields).
// CSV is never guessed: it needs a profile.
[[nodiscard]] std::optional<StatementFormat>
detect_statement_format(std::string_view text);

// Each parser reads the statements of one file. Failures are
// ExitCode::data with every problem found, located in options.file.
[[nodiscard]] Result<Transactions> parse_camt(std::string_view text,
                                              StatementFormat format,
                                              const StatementOptions& options);
[[nodiscard]] Result<Transactions> parse_mt940(std::string_view text,
                                               const StatementOptions& options);
[[nodiscard]] Result<Transactions> parse_ofx(std::string_view text,
                                             const StatementOptions& options);
[[nodiscard]] Result<Transactions> parse_bai2(std::string_view text,
                                              const StatementOptions& options);
// Needs options.profile.
[[nodiscard]] Result<Transactions>
parse_bank_csv(std::string_view text, const StatementOptions& options);

// The parser of `format`.
[[nodiscard]] Result<Transactions>
parse_statement(std::string_view text, StatementFormat format,
                const StatementOptions& options);

} // namespace arctl
