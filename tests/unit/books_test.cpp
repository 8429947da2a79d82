#include "arctl/books.hpp"
#include "arctl/check.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <deque>

#include "temp_books.hpp"

using namespace arctl;
using arctl::testing::TempBooks;

namespace {

// One customer, one invoice of 100.00, a payment of 60.00 applied to it.
void add_basic_facts(TempBooks& b) {
  b.add("customers.csv", "ACME,Acme Corp,ap@acme.example,USD,net 30,5000.00,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,net 30,100.00,0.00,100.00,,\n");
  b.add("invoice-lines.csv", "INV-1,1,W1,Widgets,4,25,,,100.00,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,ACME,60.00,USD,check,INV-1,,\n");
  b.add("allocations.csv", "2026-01-20,PAY-1,INV-1,60.00,\n");
}

std::vector<Diagnostic> findings(const TempBooks& b) {
  auto r = run_check(b.dir(), {});
  REQUIRE(r.has_value());
  return r->findings;
}

// What a reading gave, but the invoice lines, as text: its problems in
// order, then its payments, adjustments and applications.
std::string reading(const TempBooks& b, bool invoice_lines) {
  LoadOptions options;
  options.invoice_lines = invoice_lines;
  auto loaded = load_books(b.dir(), options);
  REQUIRE(loaded.has_value());
  std::string out;
  for (const auto& d : loaded->problems)
    out += fmt::format("{}:{}:{} {} {} [{}] {}\n", d.loc.file, d.loc.line,
                       d.loc.column, d.code, d.message, d.excerpt, d.hint);
  const auto& books = *loaded->books;
  for (const auto& p : books.payments)
    out += fmt::format("payment {} {}\n", p.id, p.line);
  for (const auto& j : books.adjustments)
    out += fmt::format("adjustment {} {}\n", j.id, j.line);
  for (const auto& a : books.allocations)
    out += fmt::format(
        "application {} {} {} {} {} {}\n", a.line, books.document_id(a.source),
        books.invoices[a.invoice].id, a.amount, a.memo, format_date(a.date));
  for (const auto& s : all_schemas())
    if (s.table != Table::invoice_lines)
      out +=
          fmt::format("{} ", books.records[static_cast<std::size_t>(s.table)]);
  // The files read but invoice-lines.csv.
  out += fmt::format("in {} files", books.files_read - (invoice_lines ? 1 : 0));
  return out;
}

} // namespace

TEST_CASE("ids use letters, digits, dot, underscore and hyphen") {
  CHECK_FALSE(id_problem("INV-2026-00001"));
  CHECK_FALSE(id_problem("c.1_a"));
  CHECK(id_problem(""));
  CHECK(id_problem("-INV"));
  CHECK(id_problem("INV 1"));
  CHECK(id_problem("INV,1"));
  CHECK(id_problem("../etc"));
  CHECK(id_problem("a\nb"));
  CHECK(id_problem(std::string(65, 'a')));
  CHECK_FALSE(id_problem(std::string(64, 'a')));
}

TEST_CASE("new books from init are clean") {
  TempBooks b;
  auto r = run_check(b.dir(), {});
  REQUIRE(r.has_value());
  CHECK(r->findings.empty());
  CHECK(r->files == 12);
}

TEST_CASE("consistent facts are read into records and pass every rule") {
  TempBooks b;
  add_basic_facts(b);
  LoadOptions options;
  options.invoice_lines = true;
  auto loaded = load_books(b.dir(), options);
  REQUIRE(loaded.has_value());
  CHECK(loaded->problems.empty());
  const auto& books = *loaded->books;
  REQUIRE(books.invoices.size() == 1);
  CHECK(books.invoices[0].total == 10000);
  CHECK(books.invoices[0].line == 2);
  CHECK(books.line_totals[0].count == 1);
  REQUIRE(books.allocations.size() == 1);
  CHECK(books.allocations[0].source == DocRef{DocKind::payment, 0});
  CHECK(books.find_document("PAY-1") == DocRef{DocKind::payment, 0});
  CHECK(check_books(books).empty());
}

TEST_CASE("a bad amount is reported at its line and column with the line") {
  TempBooks b;
  add_basic_facts(b);
  b.add("payments.csv", "PAY-2,2026-01-21,ACME,12.5O,USD,,,,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "amount-syntax");
  CHECK(f[0].loc.file == "payments.csv");
  CHECK(f[0].loc.line == 3);
  CHECK(f[0].loc.column == 23);
  CHECK(f[0].excerpt == "PAY-2,2026-01-21,ACME,12.5O,USD,,,,");
  CHECK(f[0].span == 5);
}

TEST_CASE("more decimals than the currency allows is an error") {
  TempBooks b;
  add_basic_facts(b);
  b.add("payments.csv", "PAY-2,2026-01-21,ACME,1.005,USD,,,,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "amount \"1.005\" has 3 decimals but USD allows 2");
}

TEST_CASE("a document id used twice is reported with the first use") {
  TempBooks b;
  add_basic_facts(b);
  b.add("payments.csv", "INV-1,2026-01-21,ACME,5.00,USD,,,,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "duplicate-id");
  CHECK(f[0].message ==
        "duplicate id \"INV-1\": already used at invoices.csv:2");
}

TEST_CASE("a row with the wrong number of fields is reported") {
  TempBooks b;
  add_basic_facts(b);
  b.add("allocations.csv", "2026-01-21,PAY-1,INV-1,5.00\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "field-count");
  CHECK(f[0].message == "row has 4 fields but the header has 5");
}

TEST_CASE("references to unknown customers and documents are reported") {
  TempBooks b;
  add_basic_facts(b);
  b.add("payments.csv", "PAY-2,2026-01-21,NOBODY,5.00,USD,,,,\n");
  b.add("allocations.csv", "2026-01-21,PAY-9,INV-1,5.00,\n");
  b.add("allocations.csv", "2026-01-21,PAY-1,INV-9,5.00,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 3);
  CHECK(f[0].code == "unknown-customer");
  CHECK(f[1].code == "unknown-document");
  CHECK(f[2].message == "unknown invoice \"INV-9\"");
}

TEST_CASE("applications may not exceed what is open on the invoice") {
  TempBooks b;
  add_basic_facts(b);
  b.add("payments.csv", "PAY-2,2026-01-25,ACME,50.00,USD,,,,\n");
  b.add("allocations.csv", "2026-01-25,PAY-2,INV-1,50.00,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "over-applied");
  CHECK(f[0].loc.file == "allocations.csv");
  CHECK(f[0].loc.line == 3);
  CHECK(f[0].loc.column == 24);
  CHECK(f[0].message ==
        "applies 50.00 to INV-1, but only 40.00 is open on it on 2026-01-25");
}

TEST_CASE("applications may not exceed what is left on the payment") {
  TempBooks b;
  add_basic_facts(b);
  b.add("invoices.csv",
        "INV-2,ACME,2026-01-06,2026-02-05,USD,,50.00,0.00,50.00,,\n");
  b.add("invoice-lines.csv", "INV-2,1,,Fee,1,50,,,50.00,,\n");
  b.add("payments.csv", "PAY-2,2026-01-21,ACME,10.00,USD,,,,\n");
  b.add("allocations.csv", "2026-01-21,PAY-2,INV-2,0.01,\n"
                           "2026-01-22,PAY-2,INV-2,9.99,\n");
  CHECK(findings(b).empty());
  b.add("allocations.csv", "2026-01-23,PAY-2,INV-2,0.01,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "over-allocated");
  CHECK(f[0].message ==
        "applies 0.01 from PAY-2, but only 0.00 of it is left on 2026-01-23");
}

TEST_CASE("an application is undone by a negative one, never below zero") {
  TempBooks b;
  add_basic_facts(b);
  b.add("allocations.csv", "2026-01-22,PAY-1,INV-1,-60.00,undo\n");
  CHECK(findings(b).empty());
  b.add("allocations.csv", "2026-01-23,PAY-1,INV-1,-0.01,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "unapply-exceeds");
}

TEST_CASE("an invoice with applications cannot be voided") {
  TempBooks b;
  add_basic_facts(b);
  b.add("adjustments.csv",
        "ADJ-1,2026-01-25,void,ACME,INV-1,,100.00,USD,wrong customer,\n");
  auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "void-applied");
}

TEST_CASE("applications dated before the payment or the invoice are refused") {
  TempBooks b;
  add_basic_facts(b);
  b.add("allocations.csv", "2026-01-19,PAY-1,INV-1,1.00,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "date-order");
}

TEST_CASE("totals must agree with the lines, tax rounded per line") {
  TempBooks b("[tax.ST]\nrate = \"8.25\"\n");
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  // 3 × 3.33 = 9.99; 8.25 % of it is 0.824175 -> 0.82.
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,19.98,1.64,21.62,,\n");
  b.add("invoice-lines.csv", "INV-1,1,,A,3,3.33,,ST,9.99,0.82,\n"
                             "INV-1,2,,B,3,3.33,,ST,9.99,0.82,\n");
  CHECK(findings(b).empty());
}

TEST_CASE("tax rounded per invoice is rounded once per code") {
  TempBooks b("[tax.ST]\nrate = \"8.25\"\n");
  auto text = b.read("arctl.toml");
  text.replace(text.find("tax_rounding = \"line\""), 21,
               "tax_rounding = \"invoice\"");
  b.write("arctl.toml", text);
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  // 19.98 × 8.25 % = 1.648350 -> 1.65 (per line it would be 1.64).
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,19.98,1.65,21.63,,\n");
  b.add("invoice-lines.csv",
        "INV-1,1,,A,3,3.33,,ST,9.99,,\nINV-1,2,,B,3,3.33,,ST,9.99,,\n");
  CHECK(findings(b).empty());
}

TEST_CASE("a line whose amount is not quantity times price is reported") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n");
  b.add("invoice-lines.csv", "INV-1,1,,A,3,33.33,,,100.00,,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "line-amount-mismatch");
  CHECK(f[0].message ==
        "amount 100.00 is not quantity 3 × unit price 33.33 = 99.99");
}

TEST_CASE("an invoice without lines is reported") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "invoice-no-lines");
  CHECK(f[0].loc.column == 1);
}

TEST_CASE("an invoice's currency must be its customer's") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,EUR,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,1.00,0.00,1.00,,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "currency-mismatch");
}

TEST_CASE("refunds and credit memos draw on what is left unapplied") {
  TempBooks b;
  add_basic_facts(b);
  b.add("adjustments.csv",
        "CM-1,2026-01-21,credit,ACME,INV-1,,30.00,USD,damaged,\n"
        "ADJ-1,2026-01-22,refund,ACME,,PAY-1,40.00,USD,overpaid,\n");
  b.add("allocations.csv", "2026-01-21,CM-1,INV-1,30.00,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "over-refunded");
  CHECK(f[0].message ==
        "refunds 40.00 from PAY-1, but only 0.00 of it is unapplied on "
        "2026-01-22");
}

TEST_CASE("disputes and holds must follow each other in order") {
  TempBooks b;
  add_basic_facts(b);
  b.add("events.csv", "2026-01-10,dispute,ACME,INV-1,,price\n"
                      "2026-01-11,resolve,ACME,INV-1,,\n"
                      "2026-01-12,resolve,ACME,INV-1,,\n"
                      "2026-01-12,release,ACME,,,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 2);
  CHECK(f[0].code == "not-disputed");
  CHECK(f[1].code == "not-on-hold");
}

TEST_CASE("a missing required column stops reading that file only") {
  TempBooks b;
  add_basic_facts(b);
  b.write("allocations.csv", "date,source,invoice\n2026-01-20,PAY-1,INV-1\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "header-missing-column");
  CHECK(f[0].message == "required column \"amount\" is missing");
}

TEST_CASE("columns are found by name and unknown ones are allowed") {
  TempBooks b;
  b.write("customers.csv", "name,region,id\nAcme Corp,West,ACME\n");
  auto loaded = load_books(b.dir(), {});
  REQUIRE(loaded.has_value());
  CHECK(loaded->problems.empty());
  CHECK(loaded->books->customers.at(0).id == "ACME");
  CHECK(loaded->books->customers.at(0).name == "Acme Corp");
}

TEST_CASE("books are found upwards from the current directory") {
  TempBooks b;
  const auto sub = b.path() / "a" / "b";
  std::filesystem::create_directories(sub);
  auto found = locate_books(std::nullopt, std::nullopt, sub);
  REQUIRE(found.has_value());
  CHECK(found->shown_prefix == "../../");
  auto flagged = locate_books(b.path().string(), std::string("/nowhere"), sub);
  REQUIRE(flagged.has_value());
  CHECK(flagged->shown_prefix == b.path().string() + "/");
  auto env = locate_books(std::nullopt, std::string("/nowhere"), sub);
  REQUIRE_FALSE(env.has_value());
  CHECK(env.error().exit == ExitCode::no_input);
}

TEST_CASE("an application that was refused cannot be undone") {
  TempBooks b;
  add_basic_facts(b);
  b.add("payments.csv", "PAY-2,2026-01-21,ACME,300.00,USD,,,,\n");
  b.add("allocations.csv", "2026-01-21,PAY-2,INV-1,260.00,\n"
                           "2026-01-22,PAY-2,INV-1,-260.00,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 2);
  CHECK(f[0].code == "over-applied");
  CHECK(f[1].code == "unapply-exceeds");
}

TEST_CASE("a refund of an unknown source is reported and otherwise ignored") {
  TempBooks b;
  add_basic_facts(b);
  b.add("adjustments.csv",
        "ADJ-1,2026-01-22,refund,ACME,,CM-9,1.00,USD,,\n"
        "ADJ-2,2026-01-22,reversal,ACME,,CM-1,,USD,,\n"
        "CM-1,2026-01-21,credit,ACME,,,5.00,USD,,\n"
        "ADJ-3,2026-01-23,refund,ACME,,CM-1,5.00,USD,,\n");
  const auto f = findings(b);
  REQUIRE(f.size() == 2);
  CHECK(f[0].message == "unknown payment or credit memo \"CM-9\"");
  CHECK(f[1].message == "only a payment can be reversed");
}

TEST_CASE("a payment is reversed only once nothing of it is applied") {
  TempBooks b;
  add_basic_facts(b);
  b.add("adjustments.csv", "ADJ-1,2026-01-25,reversal,ACME,,PAY-1,,USD,nsf,\n");
  auto f = findings(b);
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == "reversal-applied");
  // Undone on the same day, before the reversal: accepted.
  b.add("allocations.csv", "2026-01-25,PAY-1,INV-1,-60.00,bounced\n");
  CHECK(findings(b).empty());
}

TEST_CASE("an application and its correction on the same day are accepted") {
  TempBooks b;
  add_basic_facts(b);
  b.add("payments.csv", "PAY-2,2026-01-21,ACME,40.00,USD,,,,\n");
  b.add("allocations.csv", "2026-01-21,PAY-2,INV-1,40.00,\n"
                           "2026-01-21,PAY-2,INV-1,-40.00,wrong invoice\n");
  CHECK(findings(b).empty());
}

TEST_CASE("kinds and methods read back as they are written") {
  for (auto m : {PaymentMethod::check, PaymentMethod::wire, PaymentMethod::other})
    CHECK(parse_payment_method(to_string(m)) == m);
  CHECK_FALSE(parse_payment_method(""));
  CHECK_FALSE(parse_payment_method("bitcoin"));
  CHECK(parse_adjustment_kind("void") == AdjustmentKind::void_);
  CHECK(to_string(AdjustmentKind::writeoff) == "writeoff");
  CHECK(parse_event_kind(to_string(EventKind::release)) == EventKind::release);
  CHECK_FALSE(parse_event_kind("Dispute"));
}

TEST_CASE("a bank transaction is posted once") {
  arctl::testing::TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,ACME,1.00,USD,wire,,BTX-7,\n"
                        "PAY-2,2026-01-21,ACME,2.00,USD,wire,,BTX-8,\n"
                        "PAY-3,2026-01-22,ACME,3.00,USD,wire,,BTX-7,\n"
                        "PAY-4,2026-01-23,ACME,4.00,USD,wire,,,\n"
                        "PAY-5,2026-01-24,ACME,5.00,USD,wire,,,\n"
                        "PAY-6,2026-01-25,ACME,6.00,USD,wire,,BTX-7,\n");
  const auto books = b.load();
  const auto findings = arctl::check_books(*books);
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].code == "duplicate-bank-tx");
  CHECK(findings[0].loc.line == 4);
  CHECK(findings[0].message ==
        "bank transaction \"BTX-7\" is posted already as PAY-1 at "
        "payments.csv:2");
  CHECK(findings[1].loc.line == 7);
}

TEST_CASE("payments read beside the invoices are reported as in sequence") {
  // Without invoice lines, payments.csv is read beside invoices.csv; with
  // them, after it.
  TempBooks b;
  add_basic_facts(b);
  b.add("invoices.csv",
        "INV-2,ACME,2026-01-06,2026-02-05,USD,,50.00,0.00,50.00,,\n");
  SUBCASE("valid books") {}
  SUBCASE("a payment with an invoice's id, twice") {
    b.add("payments.csv", "INV-2,2026-01-21,ACME,5.00,USD,,,,\n"
                          "INV-2,2026-01-22,ACME,6.00,USD,,,,\n"
                          "PAY-2,2026-01-22,ACME,6.00,USD,,,,\n");
    b.add("allocations.csv", "2026-01-22,INV-2,INV-1,5.00,\n"
                             "2026-01-22,PAY-2,INV-2,6.00,\n");
  }
  SUBCASE("a payment id twice") {
    b.add("payments.csv", "PAY-2,2026-01-21,ACME,5.00,USD,,,,\n"
                          "PAY-2,2026-01-22,ACME,6.00,USD,,,,\n");
  }
  SUBCASE("ids of the same shape") {
    b.add("payments.csv", "INV-3,2026-01-21,ACME,5.00,USD,,,,\n");
    b.add("events.csv", "2026-01-25,dispute,ACME,INV-3,,why\n"
                        "2026-01-25,dispute,ACME,PAY-1,,why\n");
  }
  const auto in_sequence = reading(b, true);
  CHECK(reading(b, false) == in_sequence);
}

TEST_CASE("allocations.csv read in two halves reads as one") {
  // From 4 MiB on it is read in two halves, the second from the first line
  // end after the middle, unless a quoted field holds that line end.
  TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  std::string invoices, payments;
  for (int i = 1; i <= 1000; ++i) {
    invoices += fmt::format(
        "INV-{},ACME,2026-01-05,2026-02-04,USD,,1000.00,0.00,1000.00,,\n", i);
    payments += fmt::format("PAY-{},2026-01-20,ACME,1000.00,USD,,,,\n", i);
  }
  b.add("invoices.csv", invoices);
  b.add("payments.csv", payments);
  std::vector<std::string> rows;
  for (int i = 0; i < 80000; ++i)
    rows.push_back(fmt::format("2026-01-{},PAY-{},INV-{},0.01,{}\n",
                               20 + i % 10, 1 + i % 1000, 1 + i / 80,
                               std::string(24, 'm')));
  // Problems on both sides of the middle; line breaks in quotes before it.
  for (const int at : {10, 30000, 60000})
    rows[static_cast<std::size_t>(at)] =
        "2026-01-20,PAY-1,INV-1,0.01,\"two\nlines\"\n";
  for (const int at : {11, 45000, 70000}) {
    rows[static_cast<std::size_t>(at)] = "2026-01-20,PAY-9999,INV-1,0.01,\n";
    rows[static_cast<std::size_t>(at) + 1] = "2026-01-20,PAY-1,INV-1,1.0O,\n";
    rows[static_cast<std::size_t>(at) + 2] =
        "2026-01-20,PAY-1,INV-1,\"0.01\"x,\n";
    rows[static_cast<std::size_t>(at) + 3] = "2026-01-20,PAY-1,INV-1,0.01\n";
  }
  SUBCASE("the halves meet at a record") {}
  SUBCASE("a quoted field holds the line end after the middle") {
    std::size_t size = 0;
    for (const auto& row : rows)
      size += row.size();
    std::size_t at = 0, row = 0;
    while (at + rows[row].size() <= size / 2)
      at += rows[row++].size();
    // The row on the middle becomes a memo of many lines.
    rows[row] = "2026-01-20,PAY-1,INV-1,0.01,\"" + std::string(200, 'q') +
                "\n" + std::string(200, 'r') + "\"\n";
  }
  std::string allocations;
  for (const auto& row : rows)
    allocations += row;
  REQUIRE(allocations.size() > (std::size_t{4} << 20));
  b.add("allocations.csv", allocations);
  const auto in_sequence = reading(b, true);
  CHECK(reading(b, false) == in_sequence);
}

TEST_CASE("bank transactions are read from bank.csv") {
  TempBooks b;
  b.add("bank.csv",
        "BTX-2026-000001,DE89370400440532013000,2026-03-02,2026-03-03,"
        "1250.00,EUR,Acme GmbH,DE02120300000000202051,INV-7 INV-8,E2E-1,"
        "RF18539007547034,PMNT/RCDT/ESCT,,ACSR-1,"
        "0123456789abcdef0123456789abcdef,stmt.xml:40 Stmt[1]/Ntry[1],"
        "2026-03-04\n"
        "BTX-2026-000002,DE89370400440532013000,2026-03-02,,-7.50,EUR,,,"
        "Fee,,,,yes,,fedcba9876543210fedcba9876543210,,\n");
  const auto books = b.load();
  REQUIRE(books->bank_transactions.size() == 2);
  const auto& t = books->bank_transactions[0];
  CHECK(t.id == "BTX-2026-000001");
  CHECK(t.account == "DE89370400440532013000");
  CHECK(format_date(t.date) == "2026-03-02");
  CHECK(t.has_value_date);
  CHECK(format_date(t.value_date) == "2026-03-03");
  CHECK(t.amount == 125000);
  CHECK(t.currency.name() == "EUR");
  CHECK(t.counterparty == "Acme GmbH");
  CHECK(t.remittance == "INV-7 INV-8");
  CHECK(t.reference == "RF18539007547034");
  CHECK(t.bank_tx == "ACSR-1");
  CHECK_FALSE(t.reversal);
  CHECK(format_date(t.imported) == "2026-03-04");
  const auto& fee = books->bank_transactions[1];
  CHECK(fee.amount == -750);
  CHECK(fee.reversal);
  CHECK_FALSE(fee.has_value_date);
  CHECK(books->bank_index.find("BTX-2026-000002") == 1u);
  CHECK(books->records[static_cast<std::size_t>(Table::bank)] == 2);
}

TEST_CASE("books without bank.csv read as books without bank transactions") {
  TempBooks b;
  std::filesystem::remove(b.dir().path / "bank.csv");
  auto r = run_check(b.dir(), {});
  REQUIRE(r.has_value());
  CHECK(r->findings.empty());
  CHECK(r->files == 11);
}

TEST_CASE("bad bank transactions are reported at their line and column") {
  TempBooks b;
  const std::string fp = "0123456789abcdef0123456789abcdef";
  b.add("bank.csv",
        "BTX-1,ACCT,2026-03-02,,12.345,EUR,,,,,,,,,"
        "aaaa,,\n"
        "BTX-2,,2026-02-30,,10,EUR,,,,,,,maybe,,bbbb,,\n"
        "BTX-3,ACCT,2026-03-02,,10,XXX,,,,,,,,,,,\n"
        "BTX-4,ACCT,2026-03-02,,10,EUR,,,,,,,,," + fp + ",,\n"
        "BTX-4,ACCT,2026-03-02,,11,EUR,,,,,,,,,cccc,,\n");
  auto loaded = load_books(b.dir(), {});
  REQUIRE(loaded.has_value());
  std::string got;
  for (const auto& d : loaded->problems)
    got += fmt::format("{}:{} {}\n", d.loc.line, d.loc.column, d.code);
  CHECK(got ==
        "2:24 amount-syntax\n"
        "3:7 missing-value\n"
        "3:8 date-syntax\n"
        "3:33 value-unknown\n"
        "4:27 currency-unknown\n"
        "4:39 missing-value\n"
        "6:1 duplicate-id\n");
}

TEST_CASE("a bank transaction imported twice is found by check") {
  TempBooks b;
  const std::string row =
      ",ACCT,2026-03-02,,10.00,EUR,,,,,,,,,0123456789abcdef0123456789abcdef,,"
      "\n";
  b.add("bank.csv", "BTX-1" + row + "BTX-2,ACCT,2026-03-02,,5.00,EUR,,,,,,,,,"
                    "11112222333344445555666677778888,,\nBTX-3" + row);
  const auto found = findings(b);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "duplicate-bank-transaction");
  CHECK(found[0].loc.file == "bank.csv");
  CHECK(found[0].loc.line == 4);
  CHECK(found[0].message ==
        "bank transaction BTX-3 is BTX-1 again (the same fingerprint, at "
        "bank.csv:2)");
}

// ---- arrangements.csv -----------------------------------------------------

namespace {

// ACME and BETA with an invoice each.
struct ArrangementBooks : TempBooks {
  ArrangementBooks() {
    add("customers.csv", "ACME,Acme Corp,,,,,,,\nBETA,Beta Ltd,,EUR,,,,,\n");
    add("invoices.csv",
        "INV-1,ACME,2026-01-01,2026-01-31,USD,,100.00,0.00,100.00,,\n"
        "INV-2,BETA,2026-01-01,2026-01-31,EUR,,100.00,0.00,100.00,,\n"
        "INV-3,ACME,2026-03-01,2026-03-31,USD,,100.00,0.00,100.00,,\n");
  }
};

std::string problems(const TempBooks& b) {
  auto loaded = load_books(b.dir(), {});
  REQUIRE(loaded.has_value());
  std::string out;
  for (const auto& d : loaded->problems)
    out += fmt::format("{}:{}:{} {} {}\n", d.loc.file, d.loc.line,
                       d.loc.column, d.code, d.message);
  return out;
}

} // namespace

TEST_CASE("arrangements.csv is read and checked row by row") {
  ArrangementBooks b;
  SUBCASE("good rows") {
    b.add("arrangements.csv",
          "ARR-1,2026-02-10,promise,ACME,USD,50.00,2026-02-28,,,,call 2/9\n"
          "ARR-2,2026-02-10,plan,ACME,USD,100.00,2026-03-01,3,2w,INV-1,\n");
    CHECK(problems(b).empty());
    const auto books = b.open();
    REQUIRE(books->arrangements.size() == 2);
    const auto& plan = books->arrangements[1];
    CHECK(plan.kind == ArrangementKind::plan);
    CHECK(plan.installments == 3);
    CHECK(plan.every == Interval{2, Interval::Unit::weeks});
    CHECK(plan.invoices == std::vector<std::uint32_t>{0});
    CHECK(books->arrangement_index.find("ARR-1") == 0u);
  }
  SUBCASE("bad rows, each problem with its line and column") {
    b.add("arrangements.csv",
          "ARR-1,2026-02-10,promise,NOPE,USD,50.00,2026-02-28,,,,\n"
          "ARR-2,2026-02-10,promise,ACME,USD,0,2026-02-01,,,,\n"
          "ARR-3,2026-02-10,pledge,ACME,USD,5,2026-02-28,,,,\n"
          "ARR-4,2026-02-10,promise,ACME,EUR,5.001,2026-02-28,2,,,\n"
          "ARR-5,2026-02-10,plan,ACME,USD,100.00,2026-02-10,0,1y,INV-2;INV-9,\n"
          "ARR-6,2026-02-10,plan,ACME,USD,100.00,2026-03-01,2,1m,INV-1;INV-1;INV-3,\n"
          "ARR-7,2026-02-10,plan,ACME,USD,100.00,2026-03-01,2,1m,,\n"
          "ARR-8,2026-02-10,promise,ACME,USD,5,2026-02-28,,,,\n"
          "ARR-8,2026-02-11,promise,ACME,USD,5,2026-02-28,,,,\n");
    CHECK(problems(b) ==
          "arrangements.csv:2:26 unknown-customer unknown customer \"NOPE\"\n"
          "arrangements.csv:3:35 amount-not-positive an arrangement's amount "
          "must be more than zero\n"
          "arrangements.csv:3:37 date-order due 2026-02-01 is before the "
          "promise's date 2026-02-10\n"
          "arrangements.csv:4:18 value-unknown arrangement kind \"pledge\" is "
          "not known\n"
          "arrangements.csv:5:31 currency-mismatch currency EUR differs from "
          "customer ACME's currency USD\n"
          "arrangements.csv:5:35 amount-syntax amount \"5.001\" has 3 "
          "decimals but EUR allows 2\n"
          "arrangements.csv:5:52 value-unexpected a promise has no "
          "installments\n"
          "arrangements.csv:6:50 value-syntax installments \"0\" is not a "
          "whole number from 1 to 120\n"
          "arrangements.csv:6:52 value-syntax interval \"1y\" is not valid\n"
          "arrangements.csv:6:39 date-order the first instalment is due "
          "2026-02-10, not after the plan's date 2026-02-10\n"
          "arrangements.csv:6:55 unknown-document unknown invoice \"INV-9\"\n"
          "arrangements.csv:6:55 customer-mismatch invoice INV-2 is BETA's, "
          "not ACME's\n"
          "arrangements.csv:7:55 duplicate-invoice invoice INV-1 is listed "
          "twice\n"
          "arrangements.csv:7:55 date-order invoice INV-3 is dated "
          "2026-03-01, after the plan\n"
          "arrangements.csv:8:55 missing-value a plan names the invoices it "
          "pays\n"
          "arrangements.csv:10:1 duplicate-id duplicate arrangement id "
          "\"ARR-8\": already used at arrangements.csv:9\n");
    // arctl check finds them too (and that the invoices have no lines).
    const auto r = run_check(b.dir(), {});
    REQUIRE(r.has_value());
    CHECK(std::count_if(r->findings.begin(), r->findings.end(),
                        [](const Diagnostic& d) {
                          return d.loc.file == "arrangements.csv";
                        }) == 16);
  }
}
