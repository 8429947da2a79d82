// Statements parsed in tests: each transaction as one line of text, and
// the problems of a statement that does not parse.
#pragma once

#include "arctl/bank/statement.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

namespace arctl::testing {

// "DATE VALUE AMOUNT CUR | counterparty | account | remittance | e2e | ref
// | type | bank_tx [| reversal]", one transaction.
inline std::string describe(const BankTransaction& t) {
  return fmt::format(
      "{} {} {} {} | {} | {} | {} | {} | {} | {} | {}{}", format_date(t.date),
      t.value_date ? format_date(*t.value_date) : "-",
      format_minor_units(t.amount, t.currency.exponent), t.currency.name(),
      t.counterparty, t.counterparty_account, t.remittance, t.end_to_end,
      t.reference, t.type, t.bank_tx, t.reversal ? " | reversal" : "");
}

// The transactions of `text` in `format`, each described; the statement
// must parse.
inline std::vector<std::string> parsed(std::string_view text,
                                       StatementFormat format,
                                       StatementOptions options = {}) {
  if (options.file.empty())
    options.file = "s";
  auto r = parse_statement(text, format, options);
  if (!r)
    FAIL("not parsed: " << r.error().message << ": "
                        << (r.error().diagnostics.empty()
                                ? std::string()
                                : r.error().diagnostics[0].message));
  std::vector<std::string> out;
  for (const auto& t : *r)
    out.push_back(describe(t));
  return out;
}

// "LINE:COLUMN message" of every problem of a statement that must fail.
inline std::string problems(std::string_view text, StatementFormat format,
                            StatementOptions options = {}) {
  if (options.file.empty())
    options.file = "s";
  auto r = parse_statement(text, format, options);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().exit == ExitCode::data);
  std::string out;
  for (const auto& d : r.error().diagnostics)
    out += fmt::format("{}:{} {}\n", d.loc.line, d.loc.column, d.message);
  return out;
}

} // namespace arctl::testing
