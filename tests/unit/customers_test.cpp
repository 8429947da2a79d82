#include "arctl/customers.hpp"
#include "arctl/check.hpp"
#include "arctl/rows.hpp"

#include "temp_books.hpp"

#include <doctest/doctest.h>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

// ACME (USD, limit 5000.00) with an invoice; BETA without any facts.
void add_customers(TempBooks& b) {
  b.add("customers.csv",
        "ACME,Acme Corp,ap@acme.example,USD,net 30,5000.00,,,\n"
        "BETA,Beta LLC,,,,1200.50,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n");
  b.add("invoice-lines.csv", "INV-1,1,,Widgets,4,25,,,100.00,,\n");
}

CustomerDraft draft(std::string id, std::string name) {
  CustomerDraft c;
  c.id = std::move(id);
  c.name = std::move(name);
  return c;
}

// The record a plan appends, without its line ending.
std::string added(const Result<PlannedChange>& plan) {
  REQUIRE(plan.has_value());
  REQUIRE(plan->added.size() == 1);
  return plan->added.front();
}

std::string refusal(const Result<PlannedChange>& plan, ExitCode exit) {
  REQUIRE_FALSE(plan.has_value());
  CHECK(plan.error().exit == exit);
  return plan.error().message;
}

} // namespace

TEST_CASE("a new customer is written in canonical form") {
  TempBooks b;
  add_customers(b);
  const auto books = b.open();
  auto c = draft("GAMMA", "Gamma, \"the\" Co");
  c.email = "billing@gamma.example";
  c.terms = "2/10 NET 30";
  c.credit_limit = "2500";
  c.dunning = false;
  const auto plan = plan_add_customer(*books, c);
  CHECK(added(plan) == "GAMMA,\"Gamma, \"\"the\"\" Co\",billing@gamma.example,,"
                       "2/10 net 30,2500.00,,,no");
  REQUIRE(plan->change.entries().size() == 1);
  const auto& entry = plan->change.entries().front();
  CHECK(entry.op == Change::Op::append);
  CHECK(entry.file == "customers.csv");
  CHECK(entry.content == added(plan) + "\n");
  CHECK_FALSE(entry.earliest); // master data has no date
}

TEST_CASE("a new customer is refused with the option that is wrong") {
  TempBooks b;
  add_customers(b);
  const auto books = b.open();
  auto c = draft("GAMMA", "Gamma Co");

  SUBCASE("an id that is not an id") {
    c.id = "GAMMA CO";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "customer id \"GAMMA CO\" contains ' '; ids use only letters, "
          "digits, '.', '_' and '-'");
  }
  SUBCASE("an id that is taken") {
    c.id = "ACME";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "customer \"ACME\" exists already (customers.csv:2)");
  }
  SUBCASE("ids are case-sensitive") {
    c.id = "acme";
    CHECK(plan_add_customer(*books, c).has_value());
  }
  SUBCASE("no name") {
    c.name.reset();
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "--name: a customer needs a name");
    c.name = "";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "--name: a customer needs a name");
  }
  SUBCASE("an e-mail address without a domain") {
    c.email = "billing@gamma";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "--email: e-mail address \"billing@gamma\" is not valid; addresses "
          "look like billing@example.com");
  }
  SUBCASE("an unknown currency") {
    c.currency = "XYZ";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "--currency: unknown currency \"XYZ\"; use an ISO 4217 code such "
          "as USD, EUR or JPY");
  }
  SUBCASE("terms that do not parse") {
    c.terms = "net thirty";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage)
              .starts_with("--terms: terms \"net thirty\" are not understood; "
                           "terms look like"));
  }
  SUBCASE("a credit limit that is not a number") {
    c.credit_limit = "12.5O";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "--credit-limit: amount \"12.5O\" is not a number");
  }
  SUBCASE("a negative credit limit") {
    c.credit_limit = "-1";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "--credit-limit: credit limit -1 is negative");
  }
  SUBCASE("a credit limit with more decimals than the customer's currency") {
    c.currency = "JPY";
    c.credit_limit = "1000.5";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "--credit-limit: amount \"1000.5\" has 1 decimal but JPY allows 0");
    c.credit_limit = "1000";
    CHECK(added(plan_add_customer(*books, c)) ==
          "GAMMA,Gamma Co,,JPY,,1000,,,");
  }
  SUBCASE("text that is not UTF-8") {
    c.address = "Stra\xDF"
                "e 1";
    CHECK(refusal(plan_add_customer(*books, c), ExitCode::usage) ==
          "--address: byte 0xDF is not valid UTF-8");
  }
}

TEST_CASE("an unknown customer on the command line is bad data") {
  TempBooks b;
  add_customers(b);
  const auto books = b.open();
  auto c = draft("NOBODY", "Nobody");
  CHECK(refusal(plan_edit_customer(*books, c), ExitCode::data) ==
        "unknown customer \"NOBODY\"");
  CHECK(refusal(plan_customer_event(*books, EventKind::hold, "NOBODY",
                                    day("2026-03-01"), "late"),
                ExitCode::data) == "unknown customer \"NOBODY\"");
  const auto found = find_customer_id(*books, "BETA");
  REQUIRE(found.has_value());
  CHECK(*found == 1u);
}

TEST_CASE("records follow the file's own header, users' columns included") {
  TempBooks b;
  b.write("customers.csv",
          "name,region,id,credit_limit,email,currency,terms,tax_id,address,"
          "dunning\n"
          "Acme Corp,West,ACME,5000.00,,,,,,\n");
  const auto books = b.open();

  SUBCASE("a new customer") {
    auto c = draft("GAMMA", "Gamma Co");
    c.credit_limit = "75";
    c.address = " 1 Main St\nSpringfield";
    CHECK(added(plan_add_customer(*books, c)) ==
          "Gamma Co,,GAMMA,75.00,,,,,\" 1 Main St\nSpringfield\",");
  }
  SUBCASE("an edit keeps the user's column") {
    auto c = draft("ACME", "Acme Corporation");
    const auto plan = plan_edit_customer(*books, c);
    REQUIRE(plan.has_value());
    CHECK(plan->removed ==
          std::vector<std::string>{"Acme Corp,West,ACME,5000.00,,,,,,"});
    CHECK(plan->added ==
          std::vector<std::string>{"Acme Corporation,West,ACME,5000.00,,,,,,"});
  }
}

TEST_CASE("a value for a column the header lacks is refused, not dropped") {
  TableHeader header{Table::customers, "customers.csv", {"id", "name", "note"}};
  const std::vector<FieldValue> empty_tax{
      {"id", "A"}, {"name", "B"}, {"tax_id", ""}};
  const auto ok = format_record(header, empty_tax);
  REQUIRE(ok.has_value());
  CHECK(*ok == "A,B,\n");
  const std::vector<FieldValue> with_tax{
      {"id", "A"}, {"name", "B"}, {"tax_id", "DE1"}};
  const auto bad = format_record(header, with_tax);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().exit == ExitCode::data);
  CHECK(bad.error().message == "customers.csv has no column \"tax_id\"; add "
                               "it to the header row to give it a value");
}

TEST_CASE("a rewrite changes the selected record and no other byte") {
  // A byte-order mark, CRLF and LF endings, an empty line, needless quotes,
  // a quoted field over two lines, and no line ending at the very end.
  const std::string text = "\xEF\xBB\xBFid,name,region\r\n"
                           "\"A\",\"Alpha\",x\r\n"
                           "\n"
                           "B,Beta,\"two\nlines\"\n"
                           "C,\"Gam\"\"ma\",z";
  const auto rewrite_one = [&](std::string_view id, std::string_view name) {
    return rewrite_records(
        text, Table::customers, "customers.csv",
        [&](const RowRef& row) -> Result<std::optional<std::string>> {
          if (row.get("id") != id)
            return std::nullopt;
          const std::vector<FieldValue> changes{{"name", std::string(name)}};
          auto r = update_record(row, changes);
          if (!r)
            return std::unexpected(r.error());
          return std::optional<std::string>(*r);
        });
  };
  SUBCASE("a record with CRLF keeps CRLF") {
    const auto r = rewrite_one("A", "Alpha, Inc.");
    REQUIRE(r.has_value());
    CHECK(r->content == "\xEF\xBB\xBFid,name,region\r\n"
                        "A,\"Alpha, Inc.\",x\r\n"
                        "\n"
                        "B,Beta,\"two\nlines\"\n"
                        "C,\"Gam\"\"ma\",z");
    REQUIRE(r->replaced.size() == 1);
    CHECK(r->replaced[0].line == 2);
    CHECK(r->replaced[0].before == "\"A\",\"Alpha\",x");
    CHECK(r->replaced[0].after == "A,\"Alpha, Inc.\",x");
  }
  SUBCASE("a record over two lines") {
    const auto r = rewrite_one("B", "Bet");
    REQUIRE(r.has_value());
    CHECK(r->content == "\xEF\xBB\xBFid,name,region\r\n"
                        "\"A\",\"Alpha\",x\r\n"
                        "\n"
                        "B,Bet,\"two\nlines\"\n"
                        "C,\"Gam\"\"ma\",z");
  }
  SUBCASE("the last record, without a line ending") {
    const auto r = rewrite_one("C", "Gamma");
    REQUIRE(r.has_value());
    CHECK(r->content == "\xEF\xBB\xBFid,name,region\r\n"
                        "\"A\",\"Alpha\",x\r\n"
                        "\n"
                        "B,Beta,\"two\nlines\"\n"
                        "C,Gamma,z");
  }
  SUBCASE("nothing selected leaves the text as it was") {
    const auto r = rewrite_one("Z", "Zeta");
    REQUIRE(r.has_value());
    CHECK(r->content == text);
    CHECK(r->replaced.empty());
  }
  SUBCASE("a row with a field too many is refused") {
    const auto r = rewrite_records(
        "id,name\nA,B,C\n", Table::customers, "customers.csv",
        [](const RowRef&) -> Result<std::optional<std::string>> {
          return std::nullopt;
        });
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().exit == ExitCode::data);
  }
}

TEST_CASE("an edit rewrites only the edited customer") {
  TempBooks b;
  add_customers(b);
  b.add("customers.csv",
        "\"DELTA\",\"Delta\",,,,,,\"1 Main St\r\nSpringfield\",\r\n");
  const auto before = b.read("customers.csv");
  const auto books = b.open();

  auto c = draft("BETA", "Beta Limited");
  c.name.reset();
  c.terms = "Net 15";
  c.credit_limit = "";
  c.email = "ap@beta.example";
  const auto plan = plan_edit_customer(*books, c);
  REQUIRE(plan.has_value());
  REQUIRE(plan->change.entries().size() == 1);
  const auto& entry = plan->change.entries().front();
  CHECK(entry.op == Change::Op::replace);
  CHECK(entry.file == "customers.csv");
  std::string expected = before;
  const std::string old_line = "BETA,Beta LLC,,,,1200.50,,,";
  const std::string new_line = "BETA,Beta LLC,ap@beta.example,,net 15,,,,";
  expected.replace(expected.find(old_line), old_line.size(), new_line);
  CHECK(entry.content == expected);
  CHECK(plan->removed == std::vector<std::string>{old_line});
  CHECK(plan->added == std::vector<std::string>{new_line});

  SUBCASE("an edit that changes nothing plans nothing") {
    auto same = draft("ACME", "Acme Corp");
    const auto p = plan_edit_customer(*books, same);
    REQUIRE(p.has_value());
    CHECK(p->change.empty());
  }
  SUBCASE("an edit needs something to change") {
    CustomerDraft none;
    none.id = "ACME";
    CHECK(refusal(plan_edit_customer(*books, none), ExitCode::usage)
              .starts_with("nothing to change"));
  }
  SUBCASE("a name cannot be cleared") {
    auto no_name = draft("ACME", "");
    CHECK(refusal(plan_edit_customer(*books, no_name), ExitCode::usage) ==
          "--name: a customer needs a name");
  }
}

TEST_CASE("a customer's currency is fixed once it has facts") {
  TempBooks b;
  add_customers(b);
  const auto books = b.open();
  SUBCASE("with an invoice it cannot change") {
    CustomerDraft c;
    c.id = "ACME";
    c.currency = "EUR";
    CHECK(refusal(plan_edit_customer(*books, c), ExitCode::usage) ==
          "--currency: customer ACME has invoices or payments in USD already "
          "(first at invoices.csv:2); its currency cannot change");
  }
  SUBCASE("naming the same currency is no change") {
    CustomerDraft c;
    c.id = "ACME";
    c.currency = "USD";
    CHECK(plan_edit_customer(*books, c).has_value());
  }
  SUBCASE("without facts it changes, and the limit follows its decimals") {
    CustomerDraft c;
    c.id = "BETA";
    c.currency = "BHD";
    const auto plan = plan_edit_customer(*books, c);
    REQUIRE(plan.has_value());
    CHECK(plan->added ==
          std::vector<std::string>{"BETA,Beta LLC,,BHD,,1200.500,,,"});
  }
  SUBCASE("a limit that the new currency cannot hold needs a new limit") {
    CustomerDraft c;
    c.id = "BETA";
    c.currency = "JPY";
    CHECK(refusal(plan_edit_customer(*books, c), ExitCode::usage) ==
          "--currency: credit limit 1200.50 cannot be written in JPY; give "
          "--credit-limit as well");
    c.credit_limit = "150000";
    const auto plan = plan_edit_customer(*books, c);
    REQUIRE(plan.has_value());
    CHECK(plan->added ==
          std::vector<std::string>{"BETA,Beta LLC,,JPY,,150000,,,"});
  }
}

TEST_CASE("holds and releases alternate in date order") {
  TempBooks b;
  add_customers(b);
  b.add("events.csv", "2026-03-01,hold,ACME,,,Over the limit\n"
                      "2026-03-10,release,ACME,,,Paid\n");
  const auto books = b.open();
  const auto plan = [&](EventKind kind, const char* date,
                        std::string_view reason = "why") {
    return plan_customer_event(*books, kind, "ACME", day(date), reason);
  };

  SUBCASE("a hold after the release is appended to events.csv") {
    const auto p = plan(EventKind::hold, "2026-03-15", "Cheque bounced");
    CHECK(added(p) == "2026-03-15,hold,ACME,,,Cheque bounced");
    REQUIRE(p->change.entries().size() == 1);
    CHECK(p->change.entries()[0].file == "events.csv");
    CHECK(p->change.entries()[0].earliest == day("2026-03-15"));
  }
  SUBCASE("a hold of a customer on hold is refused") {
    CHECK(refusal(plan(EventKind::hold, "2026-03-05"), ExitCode::data) ==
          "customer ACME is on hold already, since 2026-03-01");
  }
  SUBCASE("a hold on the day of the hold is refused too") {
    CHECK(refusal(plan(EventKind::hold, "2026-03-01"), ExitCode::data) ==
          "customer ACME is on hold already, since 2026-03-01");
  }
  SUBCASE("a release of a customer not on hold is refused") {
    CHECK(refusal(plan(EventKind::release, "2026-03-12"), ExitCode::data) ==
          "customer ACME is not on hold on 2026-03-12");
  }
  SUBCASE("a release on the day of the release is refused") {
    CHECK(refusal(plan(EventKind::release, "2026-03-10"), ExitCode::data) ==
          "customer ACME is not on hold on 2026-03-10");
  }
  SUBCASE("a hold before a later hold or release is refused") {
    CHECK(refusal(plan(EventKind::hold, "2026-02-01"), ExitCode::data) ==
          "customer ACME has a later hold on 2026-03-01 (events.csv:2); holds "
          "and releases are recorded in date order");
  }
  SUBCASE("a release between the hold and its release is refused") {
    CHECK(refusal(plan(EventKind::release, "2026-03-05"), ExitCode::data) ==
          "customer ACME has a later release on 2026-03-10 (events.csv:3); "
          "holds and releases are recorded in date order");
  }
  SUBCASE("a hold needs a reason, a release does not") {
    CHECK(refusal(plan(EventKind::hold, "2026-03-15", ""), ExitCode::usage) ==
          "--reason: a hold needs a reason");
    TempBooks b2;
    add_customers(b2);
    b2.add("events.csv", "2026-03-01,hold,ACME,,,Over the limit\n");
    const auto books2 = b2.open();
    CHECK(added(plan_customer_event(*books2, EventKind::release, "ACME",
                                    day("2026-03-02"), "")) ==
          "2026-03-02,release,ACME,,,");
  }
  SUBCASE("another customer's events do not count") {
    CHECK(added(plan_customer_event(*books, EventKind::hold, "BETA",
                                    day("2026-03-05"), "Late")) ==
          "2026-03-05,hold,BETA,,,Late");
  }
}

TEST_CASE("a hold in a closed period is refused before anything is written") {
  TempBooks b;
  b.write("arctl.toml", "[books]\nlock_date = \"2026-03-31\"\n");
  add_customers(b);
  const auto books = b.open();
  CHECK(refusal(plan_customer_event(*books, EventKind::hold, "ACME",
                                    day("2026-03-31"), "Late"),
                ExitCode::data) ==
        "2026-03-31 is in a closed period: the books are locked up to "
        "2026-03-31 (lock_date in arctl.toml)");
  CHECK(plan_customer_event(*books, EventKind::hold, "ACME", day("2026-04-01"),
                            "Late")
            .has_value());
}

TEST_CASE("the list shows hold status as of its date") {
  TempBooks b;
  add_customers(b);
  b.add("events.csv", "2026-03-01,hold,BETA,,,Late\n");
  const auto books = b.open();
  const auto before =
      customer_table(*books, compute_ledger(*books, day("2026-02-28")));
  REQUIRE(before.rows.size() == 2);
  CHECK(before.rows[0] ==
        std::vector<std::string>{"ACME", "Acme Corp", "ap@acme.example", "USD",
                                 "net 30", "5000.00", "yes", ""});
  CHECK(before.rows[1][7] == "");
  const auto after =
      customer_table(*books, compute_ledger(*books, day("2026-03-01")));
  CHECK(after.rows[1] == std::vector<std::string>{"BETA", "Beta LLC", "", "USD",
                                                  "net 30", "1200.50", "yes",
                                                  "yes"});
}

TEST_CASE("the details of a customer follow the ledger's date") {
  TempBooks b;
  add_customers(b);
  b.add("payments.csv", "PAY-1,2026-02-10,ACME,30.00,USD,check,,,\n");
  b.add("allocations.csv", "2026-02-12,PAY-1,INV-1,30.00,\n");
  const auto books = b.open();
  const auto value = [](const std::vector<CustomerDetail>& ds,
                        std::string_view field) {
    for (const auto& x : ds)
      if (x.field == field)
        return x.value;
    FAIL("no field ", field);
    return std::string();
  };
  const auto on = [&](const char* date) {
    return customer_details(*books, compute_ledger(*books, day(date)), 0);
  };
  const auto paid_not_applied = on("2026-02-10");
  CHECK(value(paid_not_applied, "open_balance") == "100.00");
  CHECK(value(paid_not_applied, "unapplied_credit") == "30.00");
  CHECK(value(paid_not_applied, "credit_used") == "70.00");
  CHECK(value(paid_not_applied, "credit_available") == "4930.00");
  CHECK(value(paid_not_applied, "oldest_overdue") == "INV-1");
  CHECK(value(paid_not_applied, "oldest_overdue_days") == "6");
  const auto applied = on("2026-02-12");
  CHECK(value(applied, "open_balance") == "70.00");
  CHECK(value(applied, "unapplied_credit") == "0.00");
  CHECK(value(applied, "oldest_overdue_open") == "70.00");
  CHECK(value(applied, "hold") == "no");
  const auto before_due = on("2026-02-04");
  CHECK(value(before_due, "oldest_overdue") == "");
  CHECK(value(before_due, "oldest_overdue_days") == "");
}
