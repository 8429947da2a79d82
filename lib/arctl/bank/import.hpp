// `arctl reconcile import`: statements read into the books' bank
// transactions (bank.csv), all files or none, each transaction once however
// often a statement, or one that overlaps it, is imported.
#pragma once

#include "arctl/bank/statement.hpp"
#include "arctl/books.hpp"
#include "arctl/money.hpp"
#include "arctl/transaction.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace arctl {

// A statement file as given: its name (for messages and the source column)
// and its bytes, in whatever encoding.
struct StatementFile {
  std::string name;
  std::string bytes;
};

struct ImportOptions {
  std::optional<StatementFormat> format; // nothing: tell by the content
  std::string profile;                   // [bank.profile.NAME], for CSV
  std::string account;  // for statements that name none; else checked
  std::string encoding; // empty or "auto": decode_text tells
  bool check_balances = true;
  Date today; // the import date recorded
};

// What one file gave.
struct ImportedFile {
  std::string file;
  StatementFormat format = StatementFormat::csv;
  std::string encoding;
  std::size_t read = 0;    // transactions in it
  std::size_t added = 0;   // new to the books
  std::size_t present = 0; // in the books already (or earlier in this import)
  std::vector<Money> credits; // the sum of its credits, by currency
};

struct ImportPlan {
  PlannedChange planned;
  std::vector<ImportedFile> files;
};

// The fingerprint that identifies `t`, the `occurrence`-th (from 0)
// transaction of its file with the same account, date, amount, currency,
// counterparty and remittance: 32 hexadecimal digits of a 128-bit FNV-1a
// hash. Of the account and the bank's id when `by_bank_id` (the id is
// given and no other transaction of the file on the account has it),
// else of those fields and the occurrence. arctl-reconcile(1) spells it
// out.
[[nodiscard]] std::string bank_fingerprint(const BankTransaction& t,
                                           bool by_bank_id,
                                           std::size_t occurrence);

// Reads every file and plans the bank transactions that are new: numbered
// from [numbering] bank by their booking date, appended to bank.csv (made
// when the books have none). Fails with every problem of every file, so
// that nothing is imported unless all of it is: ExitCode::data for
// statements that do not read, ExitCode::usage for options that do not
// fit them (an unknown profile, an account that is not the statement's).
[[nodiscard]] Result<ImportPlan>
plan_bank_import(const Books& books, std::span<const StatementFile> files,
                 const ImportOptions& options);

} // namespace arctl
