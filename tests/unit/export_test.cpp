#include "arctl/export.hpp"

#include "arctl/aging.hpp"

#include "temp_books.hpp"

#include <doctest/doctest.h>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

// One fact of every kind. ACME: INV-1 (100.00 + 8.25 tax) on 01-05; PAY-1
// 200.00 on 01-20, 108.25 of it applied to INV-1 that day, 50.00 to BETA's
// INV-2 on 01-25, 20.00 of that undone on 01-26, 10.00 refunded on 02-06;
// INV-3 40.00 on 02-01 and credit memo CM-1 30.00 applied to it that day;
// a discount of 5.00 on INV-3 on 02-02, taken back on 02-03; 5.00 of it
// written off on 02-04. BETA: INV-2 50.00 on 01-10, disputed on 01-11;
// INV-4 10.80 on 02-01, void on 02-05; PAY-2 25.00 on 02-07, returned
// unpaid on 02-08.
void add_facts(TempBooks& b) {
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n"
                         "BETA,Beta LLC,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,8.25,108.25,,\n"
        "INV-2,BETA,2026-01-10,2026-02-09,USD,,50.00,0.00,50.00,,\n"
        "INV-3,ACME,2026-02-01,2026-03-03,USD,,40.00,0.00,40.00,,\n"
        "INV-4,BETA,2026-02-01,2026-03-03,USD,,10.00,0.80,10.80,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,ACME,200.00,USD,wire,R-77,,\n"
                        "PAY-2,2026-02-07,BETA,25.00,USD,card,,,\n");
  b.add("allocations.csv", "2026-01-20,PAY-1,INV-1,108.25,\n"
                           "2026-01-25,PAY-1,INV-2,50.00,\n"
                           "2026-01-26,PAY-1,INV-2,-20.00,\n"
                           "2026-02-01,CM-1,INV-3,30.00,\n");
  b.add("adjustments.csv",
        "CM-1,2026-02-01,credit,ACME,INV-3,,30.00,USD,returned goods,\n"
        "ADJ-1,2026-02-02,discount,ACME,INV-3,,5.00,USD,,\n"
        "ADJ-2,2026-02-03,discount,ACME,INV-3,,-5.00,USD,,\n"
        "ADJ-3,2026-02-04,writeoff,ACME,INV-3,,5.00,USD,small balance,\n"
        "ADJ-4,2026-02-05,void,BETA,INV-4,,,USD,issued twice,\n"
        "ADJ-5,2026-02-06,refund,ACME,,PAY-1,10.00,USD,,\n"
        "ADJ-6,2026-02-08,reversal,BETA,,PAY-2,,USD,charge-back,\n");
  b.add("events.csv", "2026-01-11,dispute,BETA,INV-2,,wrong price\n");
}

std::string journal(const TempBooks& b, ExportRequest request = {}) {
  const auto books = b.open();
  std::string out;
  const auto done =
      export_journal(*books, compute_ledger(*books, request.as_of), request,
                     [&out](std::string_view text) { out += text; });
  REQUIRE(done.has_value());
  return out;
}

ExportRequest as(JournalFormat format) {
  ExportRequest r;
  r.format = format;
  return r;
}

// Whether `journal` holds `entry`, its lines exactly.
bool has(const std::string& journal, const std::string& entry) {
  return journal.find("\n" + entry + "\n") != std::string::npos;
}

} // namespace

TEST_CASE("an id becomes an account component every tool accepts") {
  CHECK(account_component("ACME") == "ACME");
  CHECK(account_component("C000017") == "C000017");
  CHECK(account_component("9lives") == "9lives");
  CHECK(account_component("acme") == "Acme");
  CHECK(account_component("acme.de") == "Acme-de");
  CHECK(account_component("a_b.c-d") == "A-b-c-d");
  CHECK(account_component("x") == "X");
}

TEST_CASE("customers whose ids would share an account are told apart") {
  using Ids = std::vector<std::string_view>;
  using Names = std::vector<std::string>;
  SUBCASE("a valid id keeps its name, whatever comes first") {
    CHECK(customer_account_components(Ids{"acme", "Acme"}) ==
          Names{"Acme-2", "Acme"});
    CHECK(customer_account_components(Ids{"Acme", "acme"}) ==
          Names{"Acme", "Acme-2"});
  }
  SUBCASE("changed ids are numbered in file order") {
    CHECK(customer_account_components(Ids{"a.b", "a_b", "A-b"}) ==
          Names{"A-b-2", "A-b-3", "A-b"});
  }
  SUBCASE("a number another customer has as its id is skipped") {
    CHECK(customer_account_components(Ids{"a.b", "A-b-2", "a_b", "A-b"}) ==
          Names{"A-b-3", "A-b-2", "A-b-4", "A-b"});
  }
  SUBCASE("ids that need no change are left alone") {
    CHECK(customer_account_components(Ids{"ACME", "BETA", "C1"}) ==
          Names{"ACME", "BETA", "C1"});
  }
}

TEST_CASE("an invoice: receivable against sales and sales tax") {
  TempBooks b;
  add_facts(b);
  CHECK(has(journal(b), R"(2026-01-05 * (INV-1) Acme Corp
    ; Note: Invoice, due 2026-02-04
    Assets:Receivable:ACME   108.25 USD
    Income:Sales            -100.00 USD
    Liabilities:SalesTax      -8.25 USD
)"));
  // No tax: no posting of zero.
  CHECK(has(journal(b), R"(2026-01-10 * (INV-2) Beta LLC
    ; Note: Invoice, due 2026-02-09
    Assets:Receivable:BETA   50.00 USD
    Income:Sales            -50.00 USD
)"));
}

TEST_CASE("a payment: what it applies that day, the rest as credit") {
  TempBooks b;
  add_facts(b);
  CHECK(has(journal(b), R"(2026-01-20 * (PAY-1) Acme Corp
    ; Note: Payment (wire), ref R-77
    Assets:Bank                       200.00 USD
    Assets:Receivable:ACME           -108.25 USD  ; INV-1
    Liabilities:CustomerCredit:ACME   -91.75 USD
)"));
  // Nothing applied: all of it credit.
  CHECK(has(journal(b), R"(2026-02-07 * (PAY-2) Beta LLC
    ; Note: Payment (card)
    Assets:Bank                       25.00 USD
    Liabilities:CustomerCredit:BETA  -25.00 USD
)"));
}

TEST_CASE("a later application moves credit to another customer's invoice") {
  TempBooks b;
  add_facts(b);
  const auto j = journal(b);
  CHECK(has(j, R"(2026-01-25 * (PAY-1) Acme Corp
    ; Note: PAY-1 applied to INV-2 of BETA
    Liabilities:CustomerCredit:ACME   50.00 USD
    Assets:Receivable:BETA           -50.00 USD  ; INV-2
)"));
  // Undone in part: the same accounts the other way.
  CHECK(has(j, R"(2026-01-26 * (PAY-1) Acme Corp
    ; Note: PAY-1 no longer applied to INV-2 of BETA
    Liabilities:CustomerCredit:ACME  -20.00 USD
    Assets:Receivable:BETA            20.00 USD  ; INV-2
)"));
}

TEST_CASE("an application undone on the payment's own day is an entry of its "
          "own") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,ACME,100.00,USD,,,,\n");
  b.add("allocations.csv", "2026-01-20,PAY-1,INV-1,100.00,\n"
                           "2026-01-20,PAY-1,INV-1,-40.00,\n");
  const auto j = journal(b);
  CHECK(has(j, R"(2026-01-20 * (PAY-1) Acme Corp
    ; Note: Payment
    Assets:Bank              100.00 USD
    Assets:Receivable:ACME  -100.00 USD  ; INV-1
)"));
  CHECK(has(j, R"(2026-01-20 * (PAY-1) Acme Corp
    ; Note: PAY-1 no longer applied to INV-1 of ACME
    Liabilities:CustomerCredit:ACME  -40.00 USD
    Assets:Receivable:ACME            40.00 USD  ; INV-1
)"));
}

TEST_CASE("a credit memo: sales back, applied that day or kept as credit") {
  TempBooks b;
  add_facts(b);
  b.add("adjustments.csv",
        "CM-2,2026-02-09,credit,BETA,,,12.00,USD,goodwill,\n");
  const auto j = journal(b);
  CHECK(has(j, R"(2026-02-01 * (CM-1) Acme Corp
    ; Note: Credit memo for INV-3: returned goods
    Income:Sales             30.00 USD
    Assets:Receivable:ACME  -30.00 USD  ; INV-3
)"));
  CHECK(has(j, R"(2026-02-09 * (CM-2) Beta LLC
    ; Note: Credit memo: goodwill
    Income:Sales                      12.00 USD
    Liabilities:CustomerCredit:BETA  -12.00 USD
)"));
}

TEST_CASE("a discount, and one taken back") {
  TempBooks b;
  add_facts(b);
  const auto j = journal(b);
  CHECK(has(j, R"(2026-02-02 * (ADJ-1) Acme Corp
    ; Note: Early-payment discount on INV-3
    Income:SalesDiscounts    5.00 USD
    Assets:Receivable:ACME  -5.00 USD  ; INV-3
)"));
  CHECK(has(j, R"(2026-02-03 * (ADJ-2) Acme Corp
    ; Note: Discount on INV-3 taken back
    Income:SalesDiscounts   -5.00 USD
    Assets:Receivable:ACME   5.00 USD  ; INV-3
)"));
}

TEST_CASE("a write-off: bad debt") {
  TempBooks b;
  add_facts(b);
  CHECK(has(journal(b), R"(2026-02-04 * (ADJ-3) Acme Corp
    ; Note: Written off on INV-3: small balance
    Expenses:BadDebt         5.00 USD
    Assets:Receivable:ACME  -5.00 USD  ; INV-3
)"));
}

TEST_CASE("a void undoes the whole invoice") {
  TempBooks b;
  add_facts(b);
  CHECK(has(journal(b), R"(2026-02-05 * (ADJ-4) Beta LLC
    ; Note: INV-4 void: issued twice
    Income:Sales             10.00 USD
    Liabilities:SalesTax      0.80 USD
    Assets:Receivable:BETA  -10.80 USD  ; INV-4
)"));
}

TEST_CASE("a refund and a reversal take credit out of the bank") {
  TempBooks b;
  add_facts(b);
  const auto j = journal(b);
  CHECK(has(j, R"(2026-02-06 * (ADJ-5) Acme Corp
    ; Note: Refund of credit from PAY-1
    Liabilities:CustomerCredit:ACME   10.00 USD
    Assets:Bank                      -10.00 USD
)"));
  // Without an amount, a reversal takes what was left of the payment.
  CHECK(has(j, R"(2026-02-08 * (ADJ-6) Beta LLC
    ; Note: PAY-2 returned unpaid: charge-back
    Liabilities:CustomerCredit:BETA   25.00 USD
    Assets:Bank                      -25.00 USD
)"));
}

TEST_CASE("a reversal of a payment refunded in part takes the rest") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,ACME,100.00,USD,check,,,\n");
  b.add("adjustments.csv",
        "ADJ-1,2026-01-21,refund,ACME,,PAY-1,30.00,USD,,\n"
        "ADJ-2,2026-01-22,reversal,ACME,,PAY-1,,USD,bounced,\n");
  CHECK(has(journal(b), R"(2026-01-22 * (ADJ-2) Acme Corp
    ; Note: PAY-1 returned unpaid: bounced
    Liabilities:CustomerCredit:ACME   70.00 USD
    Assets:Bank                      -70.00 USD
)"));
}

TEST_CASE("events move no money and give no entry") {
  TempBooks b;
  add_facts(b);
  const auto j = journal(b);
  CHECK(j.find("2026-01-11") == std::string::npos);
  CHECK(j.find("wrong price") == std::string::npos);
}

TEST_CASE("within a day, entries come in the order the ledger walks them") {
  TempBooks b;
  add_facts(b);
  const auto j = journal(b);
  const auto at = [&j](const char* code) { return j.find(code); };
  CHECK(at("(INV-3)") < at("(INV-4)"));
  CHECK(at("(INV-4)") < at("(CM-1)"));
  CHECK(at("(INV-1)") < at("(INV-2)"));
  CHECK(at("(ADJ-6)") > at("(PAY-2)"));
}

TEST_CASE("each format's declarations and syntax") {
  TempBooks b;
  add_facts(b);
  SUBCASE("ledger declares commodities, accounts, its note tag and payees") {
    CHECK(journal(b).starts_with(
        R"(; Receivables of Test Co, exported by arctl: every fact.

commodity USD

account Assets:Bank
account Assets:Receivable:ACME
account Assets:Receivable:BETA
account Expenses:BadDebt
account Income:Sales
account Income:SalesDiscounts
account Liabilities:CustomerCredit:ACME
account Liabilities:CustomerCredit:BETA
account Liabilities:SalesTax

tag Note

payee Acme Corp
payee Beta LLC

2026-01-05 * (INV-1) Acme Corp
)"));
  }
  SUBCASE("hledger: the description after the payee, no tag") {
    const auto j = journal(b, as(JournalFormat::hledger));
    CHECK(j.find("tag Note") == std::string::npos);
    CHECK(j.find("\npayee Beta LLC\n\n2026-01-05") != std::string::npos);
    CHECK(has(j, R"(2026-01-20 * (PAY-1) Acme Corp | Payment (wire), ref R-77
    Assets:Bank                       200.00 USD
    Assets:Receivable:ACME           -108.25 USD  ; INV-1
    Liabilities:CustomerCredit:ACME   -91.75 USD
)"));
  }
  SUBCASE("beancount: options, accounts open from the first entry, links") {
    const auto j = journal(b, as(JournalFormat::beancount));
    CHECK(j.starts_with(
        R"(; Receivables of Test Co, exported by arctl: every fact.
option "title" "Receivables of Test Co"
option "operating_currency" "USD"

2026-01-05 open Assets:Bank
2026-01-05 open Assets:Receivable:ACME
2026-01-05 open Assets:Receivable:BETA
2026-01-05 open Expenses:BadDebt
2026-01-05 open Income:Sales
2026-01-05 open Income:SalesDiscounts
2026-01-05 open Liabilities:CustomerCredit:ACME
2026-01-05 open Liabilities:CustomerCredit:BETA
2026-01-05 open Liabilities:SalesTax

2026-01-05 * "Acme Corp" "Invoice, due 2026-02-04" ^INV-1
  Assets:Receivable:ACME   108.25 USD
)"));
    CHECK(has(
        j, R"(2026-01-20 * "Acme Corp" "Payment (wire), ref R-77" ^PAY-1 ^INV-1
  Assets:Bank                       200.00 USD
  Assets:Receivable:ACME           -108.25 USD  ; INV-1
  Liabilities:CustomerCredit:ACME   -91.75 USD
)"));
    CHECK(has(
        j,
        R"(2026-02-08 * "Beta LLC" "PAY-2 returned unpaid: charge-back" ^ADJ-6 ^PAY-2
  Liabilities:CustomerCredit:BETA   25.00 USD
  Assets:Bank                      -25.00 USD
)"));
  }
}

TEST_CASE("names are written so that each tool reads them back as they are") {
  TempBooks b;
  b.add("customers.csv",
        "ACME,\"Smith; \"\"Jones\"\" | Co \\ Ltd\nBranch\",,,,,,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,ACME,1.00,USD,,a;b|c,,\n");
  SUBCASE("no two spaces in a row: ledger would end the payee at \"  ;\"") {
    b.add("customers.csv", "TWO,\"  Two  ; Spaces\t\tTabs \",,,,,,,\n");
    CHECK(journal(b).find("\npayee Two ; Spaces Tabs\n") != std::string::npos);
  }
  SUBCASE("ledger keeps them; the description is a tag's value") {
    CHECK(
        has(journal(b), R"(2026-01-20 * (PAY-1) Smith; "Jones" | Co \ Ltd Branch
    ; Note: Payment, ref a;b|c
    Assets:Bank                       1.00 USD
    Liabilities:CustomerCredit:ACME  -1.00 USD
)"));
  }
  SUBCASE("hledger: no ';', and no '|' in the payee") {
    const auto j = journal(b, as(JournalFormat::hledger));
    CHECK(j.find("\npayee Smith, \"Jones\" / Co \\ Ltd Branch\n") !=
          std::string::npos);
    CHECK(j.find("\n2026-01-20 * (PAY-1) Smith, \"Jones\" / Co \\ Ltd Branch "
                 "| Payment, ref a,b|c\n") != std::string::npos);
  }
  SUBCASE("beancount: quotes and backslashes escaped") {
    CHECK(journal(b, as(JournalFormat::beancount))
              .find("\n2026-01-20 * \"Smith; \\\"Jones\\\" | Co \\\\ Ltd "
                    "Branch\" \"Payment, ref a;b|c\" ^PAY-1\n") !=
          std::string::npos);
  }
}

TEST_CASE("customers' ids become account components, never shared") {
  TempBooks b;
  b.add("customers.csv", "acme,Small Acme,,,,,,,\n"
                         "Acme,Big Acme,,,,,,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,acme,1.00,USD,,,,\n"
                        "PAY-2,2026-01-20,Acme,2.00,USD,,,,\n");
  const auto j = journal(b);
  CHECK(j.find("\naccount Assets:Receivable:Acme\n"
               "account Assets:Receivable:Acme-2\n") != std::string::npos);
  CHECK(has(j, R"(2026-01-20 * (PAY-1) Small Acme
    ; Note: Payment
    Assets:Bank                         1.00 USD
    Liabilities:CustomerCredit:Acme-2  -1.00 USD
)"));
  CHECK(has(j, R"(2026-01-20 * (PAY-2) Big Acme
    ; Note: Payment
    Assets:Bank                       2.00 USD
    Liabilities:CustomerCredit:Acme  -2.00 USD
)"));
}

TEST_CASE("the accounts come from [export], each declared once") {
  TempBooks b("\n[export]\nreceivable = \"Assets:AR\"\n"
              "customer_credit = \"Assets:AR\"\n"
              "sales_discounts = \"Income:Sales\"\n");
  add_facts(b);
  const auto j = journal(b);
  CHECK(j.find(R"(account Assets:AR:ACME
account Assets:AR:BETA
account Assets:Bank
account Expenses:BadDebt
account Income:Sales
account Liabilities:SalesTax
)") != std::string::npos);
  CHECK(has(j, R"(2026-01-20 * (PAY-1) Acme Corp
    ; Note: Payment (wire), ref R-77
    Assets:Bank      200.00 USD
    Assets:AR:ACME  -108.25 USD  ; INV-1
    Assets:AR:ACME   -91.75 USD
)"));
  const auto beancount = journal(b, as(JournalFormat::beancount));
  CHECK(beancount.find("open Assets:AR:ACME\n2026-01-05 open Assets:AR:BETA\n"
                       "2026-01-05 open Assets:Bank\n") != std::string::npos);
}

TEST_CASE("--as-of leaves out the facts after it") {
  TempBooks b;
  add_facts(b);
  ExportRequest r;
  r.as_of = day("2026-01-20");
  const auto j = journal(b, r);
  CHECK(j.starts_with("; Receivables of Test Co, exported by arctl: every "
                      "fact dated on or before 2026-01-20.\n"));
  CHECK(j.find("(PAY-1)") != std::string::npos);
  CHECK(j.find("2026-01-25") == std::string::npos);
  CHECK(j.find("(INV-3)") == std::string::npos);
}

TEST_CASE("--from opens with each customer's balances of the day before") {
  TempBooks b;
  add_facts(b);
  ExportRequest r;
  r.from = day("2026-01-21");
  r.as_of = day("2026-02-01");
  const auto j = journal(b, r);
  CHECK(j.starts_with("; Receivables of Test Co, exported by arctl: balances "
                      "at the end of 2026-01-20, then every fact from "
                      "2026-01-21 to 2026-02-01.\n"));
  CHECK(j.find("account Equity:Opening-Balances\n") != std::string::npos);
  CHECK(j.find("payee Opening balances\n") != std::string::npos);
  // ACME's INV-1 is paid, 91.75 of PAY-1 is left; BETA owes INV-2.
  CHECK(has(j, R"(
2026-01-21 * Opening balances
    ; Note: Receivables and customer credit at the end of 2026-01-20
    Liabilities:CustomerCredit:ACME  -91.75 USD
    Assets:Receivable:BETA            50.00 USD
    Equity:Opening-Balances           41.75 USD
)"));
  CHECK(j.find("(INV-1)") == std::string::npos);
  CHECK(j.find("(PAY-1) Acme Corp\n    ; Note: Payment") == std::string::npos);
  CHECK(j.find("2026-01-25 * (PAY-1)") != std::string::npos);
  SUBCASE("beancount opens the accounts on the first day") {
    r.format = JournalFormat::beancount;
    const auto bc = journal(b, r);
    CHECK(bc.find("\n2026-01-21 open Equity:Opening-Balances\n") !=
          std::string::npos);
    CHECK(has(
        bc,
        R"(2026-01-21 * "Opening balances" "Receivables and customer credit at the end of 2026-01-20"
  Liabilities:CustomerCredit:ACME  -91.75 USD
  Assets:Receivable:BETA            50.00 USD
  Equity:Opening-Balances           41.75 USD
)"));
  }
}

TEST_CASE("opening balances in several currencies balance in each") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n"
                         "NIHON,Nihon KK,,JPY,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n"
        "INV-2,NIHON,2026-01-06,2026-02-05,JPY,,15000,1500,16500,,\n");
  ExportRequest r;
  r.from = day("2026-02-01");
  const auto j = journal(b, r);
  CHECK(j.find("\ncommodity JPY\ncommodity USD\n") != std::string::npos);
  CHECK(has(j, R"(2026-02-01 * Opening balances
    ; Note: Receivables and customer credit at the end of 2026-01-31
    Assets:Receivable:ACME    100.00 USD
    Equity:Opening-Balances  -100.00 USD
    Assets:Receivable:NIHON    16500 JPY
    Equity:Opening-Balances   -16500 JPY
)"));
}

TEST_CASE("a journal with nothing open at --from has no opening entry") {
  TempBooks b;
  add_facts(b);
  ExportRequest r;
  r.from = day("2026-01-01");
  const auto j = journal(b, r);
  CHECK(j.find("* Opening balances") == std::string::npos);
  CHECK(j.find("2026-01-05 * (INV-1)") != std::string::npos);
}

TEST_CASE("--from after --as-of is refused before anything is written") {
  TempBooks b;
  add_facts(b);
  const auto books = b.open();
  ExportRequest r;
  r.from = day("2026-02-01");
  r.as_of = day("2026-01-31");
  std::string out;
  const auto done =
      export_journal(*books, compute_ledger(*books, r.as_of), r,
                     [&out](std::string_view text) { out += text; });
  REQUIRE_FALSE(done.has_value());
  CHECK(done.error().exit == ExitCode::usage);
  CHECK(done.error().message ==
        "--from 2026-02-01 is after --as-of 2026-01-31");
  CHECK(out.empty());
}

TEST_CASE("a journal that disagrees with the ledger is an error, not a file") {
  TempBooks b;
  add_facts(b);
  const auto books = b.open();
  // The ledger of another date than the request's: the balances differ.
  const auto done =
      export_journal(*books, compute_ledger(*books, day("2026-01-19")),
                     ExportRequest{}, [](std::string_view) {});
  REQUIRE_FALSE(done.has_value());
  CHECK(done.error().exit == ExitCode::software);
  CHECK(done.error().message ==
        "the journal gives customer ACME a balance of USD -46.75 on "
        "9999-12-31, but the ledger has 108.25");
}

TEST_CASE("the customers' postings are the journal's, without its text") {
  TempBooks b;
  add_facts(b);
  const auto books = b.open();
  const auto ledger = compute_ledger(*books, k_end_of_time);
  struct Seen {
    std::string date, code, links, customer;
    bool credit;
    std::int64_t amount;
  };
  std::vector<Seen> seen;
  REQUIRE(export_customer_postings(
              *books, ledger, ExportRequest{},
              [&](const CustomerPosting& p) {
                std::string links;
                for (const auto l : p.links)
                  links += std::string(l) + " ";
                seen.push_back({format_date(p.date), std::string(p.code), links,
                                std::string(books->customers[p.customer].id),
                                p.credit, p.amount});
              })
              .has_value());
  const auto find = [&](std::string_view code, std::string_view date) {
    std::vector<Seen> out;
    for (const auto& s : seen)
      if (s.code == code && s.date == date)
        out.push_back(s);
    return out;
  };
  // PAY-1: what it applies that day from the receivable, the rest credit.
  const auto pay = find("PAY-1", "2026-01-20");
  REQUIRE(pay.size() == 2);
  CHECK(pay[0].links == "PAY-1 INV-1 ");
  CHECK((!pay[0].credit && pay[0].amount == -10825));
  CHECK((pay[1].credit && pay[1].amount == -9175));
  // A later application: the payer's credit, the invoice's customer.
  const auto later = find("PAY-1", "2026-01-25");
  REQUIRE(later.size() == 2);
  CHECK((later[0].credit && later[0].customer == "ACME" &&
         later[0].amount == 5000));
  CHECK((!later[1].credit && later[1].customer == "BETA" &&
         later[1].amount == -5000));
  // The void takes the whole invoice back; events give nothing.
  const auto void_ = find("ADJ-4", "2026-02-05");
  REQUIRE(void_.size() == 1);
  CHECK(void_[0].amount == -1080);
  // Per customer they add up to what arctl says each owes.
  std::int64_t acme = 0, beta = 0;
  for (const auto& s : seen)
    (s.customer == "ACME" ? acme : beta) += s.amount;
  const auto aged = age_receivables(*books, ledger, AgingRequest{});
  std::int64_t want_acme = 0, want_beta = 0;
  for (const auto& r : aged.sections.at(0).rows)
    (books->customers[r.customer].id == "ACME" ? want_acme : want_beta) +=
        r.amounts.total();
  CHECK(acme == want_acme);
  CHECK(beta == want_beta);
  // No text was made for anyone to write.
  CHECK(std::none_of(seen.begin(), seen.end(),
                     [](const Seen& s) { return s.code.empty(); }));
}

TEST_CASE("journal formats are named as on the command line") {
  CHECK(parse_journal_format("ledger") == JournalFormat::ledger);
  CHECK(parse_journal_format("hledger") == JournalFormat::hledger);
  CHECK(parse_journal_format("beancount") == JournalFormat::beancount);
  CHECK_FALSE(parse_journal_format("Ledger"));
  CHECK_FALSE(parse_journal_format("gnucash"));
  CHECK(to_string(JournalFormat::beancount) == "beancount");
}
