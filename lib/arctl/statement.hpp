// A statement of account: a customer's balance at the start of a period,
// every fact of the period that moved it with the balance after each, the
// balance at the end, and how that balance is aged. The document a customer
// is sent and an auditor asks for.
#pragma once

#include "arctl/aging.hpp"
#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/render.hpp"
#include "arctl/report.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace arctl {

// What moved the balance. `applied` is an application across customers: a
// payment or credit of one customer applied to another's invoice, which
// raises the payer's balance and lowers the invoice customer's.
enum class StatementEntry : std::uint8_t {
  invoice,
  payment,
  credit,
  discount,
  writeoff,
  void_,
  refund,
  reversal,
  applied,
};

[[nodiscard]] std::string_view to_string(StatementEntry entry);

struct StatementLine {
  Date date;
  StatementEntry entry = StatementEntry::invoice;
  DocRef document;                // the fact's document
  std::uint32_t invoice = k_none; // the invoice it concerns, if any
  std::int64_t amount = 0;        // what it adds to the balance owed
  std::int64_t balance = 0;       // the balance after it
  std::uint32_t line = 0;         // the record's line in its file
  // An application across customers on the statement of the payer (not of
  // the invoice's customer).
  bool payer = false;
};

// One currency of a statement. Balances are what the customer owes: open
// on invoices less unapplied credit (negative when in credit).
struct StatementSection {
  Currency currency;
  std::int64_t opening = 0; // at the end of the day before `from`
  std::vector<StatementLine> lines;
  std::int64_t closing = 0; // at the end of `to`
  AgingAmounts aging;       // the closing balance by bucket
};

struct Statement {
  std::uint32_t customer = k_none;
  Date from, to;
  AgingBuckets buckets;
  std::vector<StatementSection> sections; // the customer's currency first
};

// The statement of `customer` for the days from `from` to `to`, both
// included; within a day, invoices, then payments, then adjustments, then
// applications across customers, each in file order. Every balance comes
// from the ledger: the closing balance is checked against the opening one
// plus the lines (ExitCode::software if they ever disagree). `from` after
// `to` is ExitCode::usage.
[[nodiscard]] Result<Statement> make_statement(const Books& books,
                                               std::uint32_t customer,
                                               Date from, Date to,
                                               const AgingBuckets& buckets);

// What a line says to the customer: "Invoice, due 2026-12-01", "Payment
// (wire) ref 4471", "Early-payment discount on INV-2026-00012", ...
[[nodiscard]] std::string describe(const Books& books,
                                   const StatementLine& line);

// The statement as CSV for a spreadsheet: currency, date, kind, document,
// invoice, description, amount, balance; an "opening" row starts and a
// "closing" row ends each currency. Plain decimals.
[[nodiscard]] TableData statement_table(const Books& books,
                                        const Statement& statement);

// Where the books keep their own statement template of a format:
// templates/statement.txt.mustache or templates/statement.html.mustache.
[[nodiscard]] std::string_view statement_template_file(DocumentFormat format);

// The statement as a document to send: plain text in 78 columns or one
// self-contained HTML page, from the books' template when they have one,
// else the built-in one.
[[nodiscard]] Result<std::string> render_statement(const Books& books,
                                                   const Statement& statement,
                                                   DocumentFormat format);

} // namespace arctl
