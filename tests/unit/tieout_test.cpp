#include "arctl/tieout.hpp"

#include "temp_books.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

const Currency usd = *find_currency("USD");
const Currency eur = *find_currency("EUR");
const std::vector<std::string> k_receivable{"Assets:Receivable"};

// ACME, as of 2026-01-31: INV-1 100.00 (01-05) of which PAY-1 paid 60.00
// on 01-25, INV-4 10.00 (01-15), INV-2 50.00 (01-20): 100.00 open; credit
// memo CM-1 10.00 (01-28) on account. After the date: INV-3 30.00 (02-02).
void add_facts(TempBooks& b) {
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n"
        "INV-4,ACME,2026-01-15,2026-02-14,USD,,10.00,0.00,10.00,,\n"
        "INV-2,ACME,2026-01-20,2026-02-19,USD,,50.00,0.00,50.00,,\n"
        "INV-3,ACME,2026-02-02,2026-03-04,USD,,30.00,0.00,30.00,,\n");
  b.add("payments.csv", "PAY-1,2026-01-25,ACME,60.00,USD,wire,,,\n");
  b.add("allocations.csv", "2026-01-25,PAY-1,INV-1,60.00,\n");
  b.add("adjustments.csv",
        "CM-1,2026-01-28,credit,ACME,,,10.00,USD,goodwill,\n");
}

Money usd_of(std::int64_t minor) { return Money{minor, usd}; }

GlPosting posting(const char* date, std::string code, std::int64_t minor,
                  std::string account = "Assets:Receivable:ACME") {
  return {day(date),          std::move(code), {},
          std::move(account), "entry",         usd_of(minor)};
}

// A journal's statement: its balance at `as_of` is the sum of its postings
// dated on or before it.
GlStatement journal(std::vector<GlPosting> postings, Date as_of) {
  GlStatement gl;
  gl.source = "ledger journal gl.ledger";
  gl.accounts = k_receivable;
  gl.every_currency = true;
  std::int64_t sum = 0;
  for (const auto& p : postings)
    if (p.date <= as_of)
      sum += p.amount.minor();
  gl.balances = {usd_of(sum)};
  gl.postings = std::move(postings);
  return gl;
}

GlStatement figure(std::int64_t minor) {
  GlStatement gl;
  gl.source = "the figure given (--balance)";
  gl.accounts = k_receivable;
  gl.balances = {usd_of(minor)};
  return gl;
}

TieOut run(const TempBooks& b, const GlStatement& gl,
           TieOutBasis basis = TieOutBasis::receivable,
           std::optional<Date> from = std::nullopt) {
  const auto books = b.open();
  TieOutRequest request;
  request.as_of = day("2026-01-31");
  request.basis = basis;
  request.from = from;
  auto t = tie_out(*books, compute_ledger(*books, k_end_of_time), gl, request);
  REQUIRE(t.has_value());
  return std::move(*t);
}

// The arctl export postings of the books as the GL's own, code by code.
std::vector<GlPosting> as_exported() {
  return {posting("2026-01-05", "INV-1", 10000),
          posting("2026-01-15", "INV-4", 1000),
          posting("2026-01-20", "INV-2", 5000),
          posting("2026-01-25", "PAY-1", -6000),
          posting("2026-02-02", "INV-3", 3000)};
}

const TieOutItem* item(const TieOutSection& s, std::string_view document) {
  for (const auto& i : s.items)
    if (i.document == document)
      return &i;
  return nullptr;
}

} // namespace

TEST_CASE("an account covers its sub-accounts, not its namesakes") {
  CHECK(within_accounts("Assets:Receivable", k_receivable));
  CHECK(within_accounts("Assets:Receivable:ACME", k_receivable));
  CHECK(within_accounts("Assets:Receivable:ACME:Old", k_receivable));
  CHECK_FALSE(within_accounts("Assets:Receivables", k_receivable));
  CHECK_FALSE(within_accounts("Assets:ReceivableX:ACME", k_receivable));
  CHECK_FALSE(within_accounts("Assets", k_receivable));
  const std::vector<std::string> two{"1200", "Liabilities:CustomerCredit"};
  CHECK(within_accounts("1200", two));
  CHECK(within_accounts("Liabilities:CustomerCredit:ACME", two));
  CHECK_FALSE(within_accounts("12000", two));
}

TEST_CASE("a GL amount as people and spreadsheets write it") {
  const auto money = [](std::string_view text) {
    auto m = parse_gl_amount(text, usd);
    REQUIRE(m.has_value());
    return *m;
  };
  CHECK(money("12345.67") == usd_of(1234567));
  CHECK(money("12,345.67") == usd_of(1234567));
  CHECK(money("1,234,567") == usd_of(123456700));
  CHECK(money("-5.1") == usd_of(-510));
  CHECK(money("(1,234.50)") == usd_of(-123450));
  CHECK(money(" 0 ") == usd_of(0));
  CHECK(money("782.50 EUR") == Money{78250, eur});
  CHECK(money("EUR 782.50") == Money{78250, eur});
  CHECK(money("1000 JPY") == Money{1000, *find_currency("JPY")});

  SUBCASE("what is refused, with the reason") {
    const auto refused = [](std::string_view text) {
      auto m = parse_gl_amount(text, usd);
      REQUIRE_FALSE(m.has_value());
      return m.error().message;
    };
    CHECK(refused("12.345") == "amount \"12.345\" has 3 decimals but USD "
                               "allows 2");
    CHECK(refused("12,34.00") == "amount \"12,34.00\" is not a number");
    CHECK(refused("1,2345") == "amount \"1,2345\" is not a number");
    CHECK(refused("$12") == "amount \"$12\" is not a number");
    CHECK(refused("12 XXQ") == "unknown currency \"XXQ\"");
    CHECK(refused("12 34") == "amount \"12 34\" is not a number");
    CHECK(refused("--5") == "amount \"--5\" is not a number");
    CHECK(refused("").starts_with("amount"));
  }
}

TEST_CASE("the tool is told by the journal's file name") {
  CHECK(journal_tool_for("gl.beancount") == JournalFormat::beancount);
  CHECK(journal_tool_for("books/2026.bean") == JournalFormat::beancount);
  CHECK(journal_tool_for("gl.hledger") == JournalFormat::hledger);
  CHECK(journal_tool_for("2026.journal") == JournalFormat::hledger);
  CHECK(journal_tool_for("gl.ledger") == JournalFormat::ledger);
  CHECK(journal_tool_for("GL.DAT") == JournalFormat::ledger);
  CHECK_FALSE(journal_tool_for("gl.txt").has_value());
  CHECK_FALSE(journal_tool_for("a.ledger/gl").has_value());
  CHECK_FALSE(journal_tool_for(".ledger").has_value());
  CHECK(tool_program(JournalFormat::beancount) == "bean-query");
}

TEST_CASE("each tool is asked for the balance at the end of the date") {
  const std::vector<std::string> accounts{"Assets:Accounts Receivable",
                                          "Assets:AR(old)'s"};
  SUBCASE("ledger: the end date is exclusive, no init file") {
    const auto argv = gl_balance_command(JournalFormat::ledger, "gl.ledger",
                                         accounts, day("2026-09-30"));
    CHECK(argv[0] == "ledger");
    CHECK(argv[1] == "--args-only");
    CHECK(std::find(argv.begin(), argv.end(), "2026-10-01") != argv.end());
    // Nothing in the patterns is query syntax or a regular expression's.
    CHECK(argv[argv.size() - 2] == "^Assets:Accounts.Receivable");
    CHECK(argv.back() == "^Assets:AR.old..s");
  }
  SUBCASE("hledger: JSON, the end date exclusive") {
    const auto argv = gl_balance_command(JournalFormat::hledger, "gl.journal",
                                         accounts, day("2026-12-31"));
    CHECK(argv[0] == "hledger");
    CHECK(std::find(argv.begin(), argv.end(), "2027-01-01") != argv.end());
    CHECK(std::find(argv.begin(), argv.end(), "json") != argv.end());
  }
  SUBCASE("beancount: the date inclusive, in a query") {
    const auto argv = gl_balance_command(JournalFormat::beancount, "-gl.bean",
                                         accounts, day("2026-09-30"));
    CHECK(argv == std::vector<std::string>{
                      "bean-query", "-f", "csv", "./-gl.bean",
                      "SELECT account, currency, sum(number) AS balance "
                      "WHERE date <= 2026-09-30 AND (account ~ "
                      "'^Assets:Accounts.Receivable' OR account ~ "
                      "'^Assets:AR.old..s') GROUP BY account, currency"});
  }
  SUBCASE("the postings, of every date") {
    const auto argv =
        gl_postings_command(JournalFormat::hledger, "gl.journal", k_receivable);
    CHECK(argv == std::vector<std::string>{"hledger", "-f", "gl.journal",
                                           "register", "-O", "csv",
                                           "^Assets:Receivable"});
    const auto bean =
        gl_postings_command(JournalFormat::beancount, "gl.bean", k_receivable);
    CHECK(bean.back().find("links") != std::string::npos);
  }
}

TEST_CASE("the balances each tool prints, summed per currency") {
  const auto sums = [](JournalFormat tool, std::string_view output) {
    auto got = parse_gl_balances(tool, output, k_receivable);
    REQUIRE(got.has_value());
    std::sort(got->begin(), got->end(), [](const Money& a, const Money& b) {
      return a.currency().name() < b.currency().name();
    });
    return *got;
  };
  const std::vector<Money> want{Money{700, eur}, usd_of(1550)};
  SUBCASE("ledger") {
    CHECK(sums(JournalFormat::ledger,
               "USD\n"
               "Assets:Receivable\t10\tUSD\n"
               "Assets:Receivable:A\t5.5\tUSD\n"
               "Assets:ReceivableX\t1\tUSD\n"
               "\n"
               "EUR\n"
               "Assets:Receivable:A\t7.000\tEUR\n") == want);
  }
  SUBCASE("hledger") {
    CHECK(sums(JournalFormat::hledger, R"([[
      ["Assets:Receivable", "Assets:Receivable", 0,
       [{"acommodity": "USD", "aquantity": {"decimalMantissa": 1000, "decimalPlaces": 2}}]],
      ["Assets:Receivable:A", "A", 1,
       [{"acommodity": "EUR", "aquantity": {"decimalMantissa": 7, "decimalPlaces": 0}},
        {"acommodity": "USD", "aquantity": {"decimalMantissa": 55, "decimalPlaces": 1}}]],
      ["Assets:ReceivableX", "Assets:ReceivableX", 0,
       [{"acommodity": "USD", "aquantity": {"decimalMantissa": 1, "decimalPlaces": 0}}]]
    ], []])") == want);
  }
  SUBCASE("beancount, padded as bean-query pads it") {
    CHECK(sums(JournalFormat::beancount,
               "account,currency,balance\n"
               "Assets:Receivable:A   ,USD,  15.50\n"
               "Assets:ReceivableX    ,USD,   1.00\n"
               "Assets:Receivable:A   ,EUR,   7   \n") == want);
    CHECK(sums(JournalFormat::beancount, "(empty)\n").empty());
  }
  SUBCASE("what cannot be compared exactly is an error") {
    const auto error = [](JournalFormat tool, std::string_view output) {
      auto got = parse_gl_balances(tool, output, k_receivable);
      REQUIRE_FALSE(got.has_value());
      CHECK(got.error().exit == ExitCode::data);
      return got.error().message;
    };
    CHECK(error(JournalFormat::ledger, "Assets:Receivable\t5\t$\n")
              .starts_with("ledger gives Assets:Receivable an amount in "
                           "\"$\", which is no ISO 4217 currency code"));
    CHECK(error(JournalFormat::ledger, "Assets:Receivable\t0.005\tUSD\n") ==
          "ledger gives Assets:Receivable the amount 0.005 USD, with more "
          "decimals than USD has (2)");
    CHECK(error(JournalFormat::ledger, "Assets:Receivable\tx\tUSD\n")
              .starts_with("cannot read what ledger printed"));
    CHECK(error(JournalFormat::hledger, "<html>")
              .starts_with("cannot read what hledger printed"));
    CHECK(error(JournalFormat::beancount, "date,x\n")
              .starts_with("cannot read what bean-query printed"));
  }
}

TEST_CASE("the postings each tool prints, with their codes or links") {
  SUBCASE("ledger") {
    auto got = parse_gl_postings(
        JournalFormat::ledger,
        "2026-01-05\tINV-1\tAssets:Receivable:ACME\t100\tUSD\tAcme Corp\n"
        "2026-01-05\tINV-1\tIncome:Sales\t-100\tUSD\tAcme Corp\n"
        "2026-01-31\t\tAssets:Receivable\t5\tUSD\tAccrual\n",
        k_receivable);
    REQUIRE(got.has_value());
    REQUIRE(got->size() == 2);
    CHECK((*got)[0].code == "INV-1");
    CHECK((*got)[0].account == "Assets:Receivable:ACME");
    CHECK((*got)[0].amount == usd_of(10000));
    CHECK((*got)[0].description == "Acme Corp");
    CHECK((*got)[1].code.empty());
    CHECK((*got)[1].date == day("2026-01-31"));
  }
  SUBCASE("hledger: its CSV, decimal commas and commodities either side") {
    auto got = parse_gl_postings(
        JournalFormat::hledger,
        "\"txnidx\",\"date\",\"code\",\"description\",\"account\","
        "\"amount\",\"total\"\n"
        "\"1\",\"2026-01-26\",\"PAY-1\",\"Acme | Payment\","
        "\"Assets:Receivable:ACME\",\"-60.00 USD\",\"-60.00 USD\"\n"
        "\"2\",\"2026-01-27\",\"\",\"Fx\",\"Assets:Receivable:HAAG\","
        "\"1234,5 EUR, USD 7\",\"\"\n"
        "\"3\",\"2026-01-27\",\"\",\"Cash\",\"Assets:Bank\",\"5 USD\","
        "\"\"\n",
        k_receivable);
    REQUIRE(got.has_value());
    REQUIRE(got->size() == 3);
    CHECK((*got)[0].code == "PAY-1");
    CHECK((*got)[0].date == day("2026-01-26"));
    CHECK((*got)[0].amount == usd_of(-6000));
    CHECK((*got)[0].description == "Acme | Payment");
    CHECK((*got)[1].amount == Money{123450, eur});
    CHECK((*got)[2].amount == usd_of(700));
    CHECK((*got)[2].account == "Assets:Receivable:HAAG");
    const auto dollars =
        parse_gl_postings(JournalFormat::hledger,
                          "\"txnidx\",\"date\",\"code\",\"description\","
                          "\"account\",\"amount\",\"total\"\n"
                          "\"1\",\"2026-01-26\",\"\",\"x\","
                          "\"Assets:Receivable\",\"$-5.00\",\"\"\n",
                          k_receivable);
    REQUIRE_FALSE(dollars.has_value());
    CHECK(dollars.error().message.find("\"$\"") != std::string::npos);
  }
  SUBCASE("beancount: links sorted, padding trimmed") {
    auto got = parse_gl_postings(
        JournalFormat::beancount,
        "date,links,account,number,currency,payee,narration\n"
        "2026-01-25,\"PAY-1 , INV-1\",Assets:Receivable:ACME, -60.00,USD,"
        "Acme Corp ,\"Payment, wire\"\n"
        "2026-01-31,   ,Assets:Receivable,   5   ,USD,   ,Accrual  \n",
        k_receivable);
    REQUIRE(got.has_value());
    REQUIRE(got->size() == 2);
    CHECK((*got)[0].code.empty());
    CHECK((*got)[0].links == std::vector<std::string>{"INV-1", "PAY-1"});
    CHECK((*got)[0].description == "Acme Corp | Payment, wire");
    CHECK((*got)[1].links.empty());
    CHECK((*got)[1].description == "Accrual");
    CHECK((*got)[1].amount == usd_of(500));
  }
}

TEST_CASE("a trial balance: balance, or debit less credit, of the accounts") {
  SUBCASE("debit and credit, any case, other columns ignored") {
    auto gl = read_trial_balance("No,Account,Debit,Credit\n"
                                 "1,Assets:Bank,\"10,000.00\",\n"
                                 "2,Assets:Receivable:ACME,\"1,200.00\",\n"
                                 "3,Assets:Receivable:BETA,,50.00\n"
                                 "4,Assets:Receivables,7.00,\n",
                                 "tb.csv", k_receivable, usd);
    REQUIRE(gl.has_value());
    CHECK(gl->balances == std::vector<Money>{usd_of(115000)});
    CHECK_FALSE(gl->every_currency);
    CHECK_FALSE(gl->postings.has_value());
    CHECK(gl->source == "trial balance tb.csv");
  }
  SUBCASE("a balance per currency") {
    auto gl = read_trial_balance("account,currency,balance\n"
                                 "Assets:Receivable,EUR,(5.00)\n"
                                 "Assets:Receivable,USD,5\n"
                                 "Assets:Receivable,,1\n",
                                 "tb.csv", k_receivable, usd);
    REQUIRE(gl.has_value());
    CHECK(gl->balances == std::vector<Money>{Money{-500, eur}, usd_of(600)});
  }
  SUBCASE("every bad row is reported, with its line and column") {
    auto gl = read_trial_balance("account,balance,currency\n"
                                 "Assets:Receivable,12.3.4,USD\n"
                                 "Assets:Bank,junk,USD\n"
                                 "Assets:Receivable,5,XXQ\n",
                                 "tb.csv", k_receivable, usd);
    REQUIRE_FALSE(gl.has_value());
    CHECK(gl.error().exit == ExitCode::data);
    CHECK(gl.error().message == "2 problems in tb.csv; nothing was compared");
    REQUIRE(gl.error().diagnostics.size() == 2);
    const auto& d = gl.error().diagnostics[0];
    CHECK(d.loc.file == "tb.csv");
    CHECK(d.loc.line == 2);
    CHECK(d.loc.column == 19);
    CHECK(d.message == "amount \"12.3.4\" is not a number");
    CHECK(gl.error().diagnostics[1].message == "unknown currency \"XXQ\"");
  }
  SUBCASE("a header without the columns") {
    auto gl =
        read_trial_balance("name,amount\nx,1\n", "tb.csv", k_receivable, usd);
    REQUIRE_FALSE(gl.has_value());
    CHECK(gl.error().diagnostics.at(0).message.starts_with(
        "the header names no column account"));
  }
}

TEST_CASE("a GL that took arctl's journal as it is agrees") {
  TempBooks b;
  add_facts(b);
  const auto t = run(b, journal(as_exported(), day("2026-01-31")));
  CHECK(t.agrees());
  REQUIRE(t.sections.size() == 1);
  const auto& s = t.sections[0];
  CHECK(s.currency == usd);
  CHECK(s.receivable == 10000);
  CHECK(s.unapplied == -1000);
  CHECK(s.arctl == 10000);
  CHECK(s.gl == 10000);
  CHECK(s.items.empty());
  CHECK(s.unexplained == 0);
}

TEST_CASE("each document that differs explains its part of the difference") {
  TempBooks b;
  add_facts(b);
  auto postings = as_exported();
  postings.erase(postings.begin() + 1); // INV-4 left out of the GL
  postings[1].amount = usd_of(5500);    // INV-2 booked as 55.00
  postings[2].date = day("2026-02-01"); // PAY-1 booked after the date
  postings[3].date = day("2026-01-30"); // INV-3 booked before it
  postings.push_back(posting("2026-01-10", "INV-9", 2000)); // not arctl's
  postings.push_back(posting("2026-01-31", "", 500, "Assets:Receivable"));
  const auto t = run(b, journal(postings, day("2026-01-31")));
  CHECK_FALSE(t.agrees());
  CHECK(t.per_document);
  const auto& s = t.sections.at(0);
  CHECK(s.gl == 21000);
  CHECK(s.difference() == 11000);
  REQUIRE(s.items.size() == 6);

  const auto* missing = item(s, "INV-4");
  REQUIRE(missing);
  CHECK(missing->finding == TieOutFinding::missing_in_gl);
  CHECK(missing->arctl_date == day("2026-01-15"));
  CHECK(missing->difference == -1000);

  const auto* amount = item(s, "INV-2");
  REQUIRE(amount);
  CHECK(amount->finding == TieOutFinding::amount_differs);
  CHECK((amount->arctl == 5000 && amount->gl == 5500));

  const auto* late = item(s, "PAY-1");
  REQUIRE(late);
  CHECK(late->finding == TieOutFinding::after_cutoff_in_gl);
  CHECK(late->arctl_date == day("2026-01-25"));
  CHECK(late->gl_date == day("2026-02-01"));
  CHECK(late->difference == 6000);

  const auto* early = item(s, "INV-3");
  REQUIRE(early);
  CHECK(early->finding == TieOutFinding::after_cutoff_in_arctl);
  CHECK(early->arctl_date == day("2026-02-02"));
  CHECK(early->gl_date == day("2026-01-30"));

  const auto* extra = item(s, "INV-9");
  REQUIRE(extra);
  CHECK(extra->finding == TieOutFinding::missing_in_arctl);
  CHECK(extra->customer == k_none);
  CHECK(extra->note == "Assets:Receivable:ACME");

  const auto* manual = item(s, "");
  REQUIRE(manual);
  CHECK(manual->finding == TieOutFinding::no_document);
  CHECK(manual->note == "Assets:Receivable: entry");

  // Together they are the whole difference, and in date order.
  CHECK(std::accumulate(s.items.begin(), s.items.end(), std::int64_t{0},
                        [](std::int64_t sum, const TieOutItem& i) {
                          return sum + i.difference;
                        }) == s.difference());
  CHECK(s.unexplained == 0);
  CHECK(s.items.front().document == "INV-9");
  CHECK(s.items.back().document.empty());
}

TEST_CASE("documents dated differently on the same side of the date agree") {
  TempBooks b;
  add_facts(b);
  auto postings = as_exported();
  postings[0].date = day("2026-01-06");
  postings[4].date = day("2026-02-10");
  const auto t = run(b, journal(postings, day("2026-01-31")));
  CHECK(t.agrees());
  CHECK(t.sections.at(0).items.empty());
}

TEST_CASE("a GL balance that is not the sum of its postings is unexplained") {
  TempBooks b;
  add_facts(b);
  auto gl = journal(as_exported(), day("2026-01-31"));
  gl.balances = {usd_of(10100)};
  const auto t = run(b, gl);
  const auto& s = t.sections.at(0);
  CHECK(s.items.empty());
  CHECK(s.unexplained == 100);
}

TEST_CASE("beancount's links name arctl's document whatever their order") {
  TempBooks b;
  add_facts(b);
  auto postings = as_exported();
  for (auto& p : postings) {
    p.links = {p.code};
    p.code.clear();
  }
  postings[3].links = {"INV-1", "PAY-1"}; // as bean-query sorts them
  // The GL's own entry names a payment arctl does not know and an invoice.
  GlPosting own = posting("2026-01-30", "", -700);
  own.links = {"INV-2", "PAY-7"};
  postings.push_back(own);
  const auto t = run(b, journal(postings, day("2026-01-31")));
  const auto& s = t.sections.at(0);
  REQUIRE(s.items.size() == 1);
  CHECK(s.items[0].document == "INV-2");
  CHECK(s.items[0].finding == TieOutFinding::amount_differs);
  // A payment arctl knows is the document rather than the invoice.
  postings.back().links = {"INV-2", "PAY-1"};
  postings.back().date = day("2026-01-25");
  const auto t2 = run(b, journal(postings, day("2026-01-31")));
  REQUIRE(t2.sections.at(0).items.size() == 1);
  CHECK(t2.sections.at(0).items[0].document == "PAY-1");
}

TEST_CASE("the net basis takes unapplied credit off, on both sides") {
  TempBooks b;
  add_facts(b);
  auto postings = as_exported();
  SUBCASE("a GL whose control account holds the credit too agrees") {
    postings.push_back(posting("2026-01-28", "CM-1", -1000,
                               "Liabilities:CustomerCredit:ACME"));
    const auto t =
        run(b, journal(postings, day("2026-01-31")), TieOutBasis::net);
    CHECK(t.agrees());
    CHECK(t.sections.at(0).arctl == 9000);
  }
  SUBCASE("one without it misses the credit memo") {
    const auto t =
        run(b, journal(postings, day("2026-01-31")), TieOutBasis::net);
    const auto& s = t.sections.at(0);
    REQUIRE(s.items.size() == 1);
    CHECK(s.items[0].document == "CM-1");
    CHECK(s.items[0].finding == TieOutFinding::missing_in_gl);
    CHECK(s.items[0].difference == 1000);
  }
}

TEST_CASE("a GL that took arctl's journal from a date compares its opening") {
  TempBooks b;
  add_facts(b);
  // Balances at the end of 01-19: INV-1 and INV-4, 110.00; then the rest.
  std::vector<GlPosting> postings{posting("2026-01-20", "", 11000),
                                  posting("2026-01-20", "INV-2", 5000),
                                  posting("2026-01-25", "PAY-1", -6000),
                                  posting("2026-02-02", "INV-3", 3000)};
  const auto t = run(b, journal(postings, day("2026-01-31")),
                     TieOutBasis::receivable, day("2026-01-20"));
  CHECK(t.agrees());
  CHECK(t.sections.at(0).items.empty());
  postings[0].amount = usd_of(10000);
  const auto off = run(b, journal(postings, day("2026-01-31")),
                       TieOutBasis::receivable, day("2026-01-20"));
  const auto& s = off.sections.at(0);
  REQUIRE(s.items.size() == 1);
  CHECK(s.items[0].finding == TieOutFinding::amount_differs);
  CHECK(s.items[0].note == "opening balances");
  CHECK(s.items[0].customer == k_none);
  CHECK(s.items[0].difference == -1000);
  CHECK_FALSE(off.suggested_from.has_value());
  // Without --from, the GL's first entry without a document is taken for
  // opening balances when arctl's documents before it are missing.
  const auto without = run(b, journal(postings, day("2026-01-31")));
  CHECK(without.suggested_from == day("2026-01-20"));
  CHECK(tie_out_text(*b.open(), without)
            .find("hint: the general ledger starts on 2026-01-20") !=
        std::string::npos);

  const auto books = b.open();
  TieOutRequest late;
  late.as_of = day("2026-01-19");
  late.from = day("2026-01-20");
  const auto refused = tie_out(*books, compute_ledger(*books, k_end_of_time),
                               journal({}, late.as_of), late);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().exit == ExitCode::usage);
}

TEST_CASE("from a figure: a day as of which arctl's figure is the GL's") {
  TempBooks b;
  add_facts(b);
  SUBCASE("agreeing") {
    const auto t = run(b, figure(10000));
    CHECK(t.agrees());
    CHECK_FALSE(t.per_document);
    CHECK(t.sections.at(0).items.empty());
  }
  SUBCASE("a later cut-off: the facts after the date that make it up") {
    const auto t = run(b, figure(13000));
    const auto& s = t.sections.at(0);
    REQUIRE(s.items.size() == 1);
    CHECK(s.items[0].finding == TieOutFinding::later_cutoff);
    CHECK(s.items[0].document == "INV-3");
    CHECK(s.items[0].difference == 3000);
    CHECK(s.items[0].note == "the GL's figure is arctl's as of 2026-02-02");
    CHECK(s.unexplained == 0);
  }
  SUBCASE("an earlier cut-off: the facts of the last days") {
    const auto t = run(b, figure(16000));
    const auto& s = t.sections.at(0);
    REQUIRE(s.items.size() == 1);
    CHECK(s.items[0].finding == TieOutFinding::earlier_cutoff);
    CHECK(s.items[0].document == "PAY-1");
    CHECK(s.items[0].difference == 6000);
    CHECK(s.items[0].note == "the GL's figure is arctl's as of 2026-01-24");
    CHECK(s.unexplained == 0);
  }
  SUBCASE("else the facts of the difference's amount, as guesses") {
    const auto t = run(b, figure(5000));
    const auto& s = t.sections.at(0);
    REQUIRE(s.items.size() == 1);
    CHECK(s.items[0].finding == TieOutFinding::same_amount);
    CHECK(s.items[0].document == "INV-2");
    CHECK(s.items[0].note == "missing from the GL?");
    // A guess explains nothing for sure.
    CHECK(s.unexplained == -5000);
  }
  SUBCASE("nothing fits") {
    const auto t = run(b, figure(1));
    CHECK(t.sections.at(0).items.empty());
    CHECK(t.sections.at(0).unexplained == -9999);
  }
}

TEST_CASE("a figure in one currency leaves the others uncompared") {
  TempBooks b;
  add_facts(b);
  b.add("customers.csv", "HAAG,Haag GmbH,,EUR,,,,,\n");
  b.add("invoices.csv",
        "INV-5,HAAG,2026-01-10,2026-02-09,EUR,,80.00,0.00,80.00,,\n");
  auto gl = figure(10000);
  auto t = run(b, gl);
  CHECK(t.agrees());
  REQUIRE(t.sections.size() == 2);
  CHECK(t.sections[0].currency == usd);
  CHECK(t.sections[1].currency == eur);
  CHECK_FALSE(t.sections[1].compared);
  CHECK(t.sections[1].arctl == 8000);
  // A currency the GL states a figure in is compared, even at zero.
  gl.balances.push_back(Money{0, *find_currency("GBP")});
  t = run(b, gl);
  CHECK(t.sections.size() == 3);
  gl.balances.pop_back();
  // In a journal every currency counts: no EUR in the GL is zero there.
  auto j = journal(as_exported(), day("2026-01-31"));
  t = run(b, j);
  CHECK_FALSE(t.agrees());
  CHECK(t.sections[1].compared);
  CHECK(t.sections[1].difference() == -8000);
  REQUIRE(t.sections[1].items.size() == 1);
  CHECK(t.sections[1].items[0].document == "INV-5");
}

TEST_CASE("the tie-out as a table, as text and as JSON") {
  TempBooks b;
  add_facts(b);
  auto postings = as_exported();
  postings.erase(postings.begin() + 1);
  const auto books = b.open();
  TieOutRequest request;
  request.as_of = day("2026-01-31");
  const auto t = tie_out(*books, compute_ledger(*books, k_end_of_time),
                         journal(postings, request.as_of), request);
  REQUIRE(t.has_value());
  CHECK(render(tie_out_table(*books, *t), Format::csv) ==
        "currency,finding,document,customer,arctl_date,gl_date,arctl,gl,"
        "difference,note\n"
        "USD,missing-in-gl,INV-4,ACME,2026-01-15,,10.00,0.00,-10.00,\n"
        "USD,total,,,,,100.00,90.00,-10.00,differs\n");
  const auto text = tie_out_text(*books, *t);
  CHECK(text.starts_with("Tie-out as of 2026-01-31\n"
                         "general ledger: Assets:Receivable in ledger "
                         "journal gl.ledger\n"));
  CHECK(text.find("USD: the general ledger has 10.00 less than arctl:\n") !=
        std::string::npos);
  CHECK(text.ends_with("tie-out: the general ledger differs from arctl in "
                       "USD\n"));
  const auto json = tie_out_json(*books, *t);
  CHECK(json.find("\"agrees\": false") != std::string::npos);
  CHECK(json.find("{\"finding\": \"missing-in-gl\", \"document\": \"INV-4\", "
                  "\"customer\": \"ACME\", \"arctl_date\": \"2026-01-15\", "
                  "\"gl_date\": null, \"arctl\": 10.00, \"gl\": 0.00, "
                  "\"difference\": -10.00, \"note\": \"\"}") !=
        std::string::npos);
}
