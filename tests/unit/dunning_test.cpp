#include "arctl/dunning.hpp"
#include "temp_books.hpp"

#include <doctest/doctest.h>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

// ACME owes INV-1 1,000.00 due 01-31 and INV-2 200.00 due 03-03; ZED, who
// is not dunned, owes INV-3 500.00 due 01-31. The policy: 5 days' grace,
// 25.00 the least worth a notice; reminder from 1 day, second from 30 days
// (14 days after the notice before, fee 15.00), final from 60 days (14
// days after, fee 40.00, 12% a year).
struct DunBooks : TempBooks {
  DunBooks() {
    auto config = read("arctl.toml");
    config.erase(config.find("[dunning]"));
    write("arctl.toml", config + R"(
[dunning]
grace_days = 5
minimum = "25.00"

[[dunning.level]]
name = "reminder"
days = 1

[[dunning.level]]
name = "second"
days = 30
wait = 14
fee = "15.00"

[[dunning.level]]
name = "final"
days = 60
wait = 14
fee = "40.00"
interest = "12"
action = "hold"
)");
    add("customers.csv", "ACME,Acme Corp,,,,,,,\n"
                         "ZED,Zed Ltd,,,,,,,no\n");
    add("invoices.csv",
        "INV-1,ACME,2026-01-01,2026-01-31,USD,,1000.00,0.00,1000.00,,\n"
        "INV-2,ACME,2026-02-01,2026-03-03,USD,,200.00,0.00,200.00,,\n"
        "INV-3,ZED,2026-01-01,2026-01-31,USD,,500.00,0.00,500.00,,\n");
  }
  void notice(const std::string& row) { add("notices.csv", row + "\n"); }
};

DunningPlan plan(const Books& books, const char* as_of) {
  DunningRequest request;
  request.explain = true;
  return plan_dunning(books, compute_ledger(books, day(as_of)), request);
}

// The notice to ACME, or nothing.
const DunningNotice* to_acme(const Books& books, const DunningPlan& p) {
  for (const auto& n : p.notices)
    if (books.customers[n.customer].id == "ACME")
      return &n;
  return nullptr;
}

std::string why_not(const Books& books, const DunningPlan& p,
                    std::string_view id) {
  for (const auto& s : p.skipped)
    if (books.customers[s.customer].id == id)
      return s.reason;
  return "(a notice)";
}

std::string level_of(const Books& books, const DunningPlan& p) {
  const auto* n = to_acme(books, p);
  return n ? books.config.dunning.levels[n->level].name : why_not(books, p, "ACME");
}

} // namespace

TEST_CASE("levels escalate one at a time, after their days and their wait") {
  DunBooks b;
  {
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-02-05")) ==
          "nothing to claim: 1 late invoice is within the grace of 5 days");
    const auto p = plan(*books, "2026-02-10");
    const auto* n = to_acme(*books, p);
    REQUIRE(n != nullptr);
    CHECK(books->config.dunning.levels[n->level].name == "reminder");
    REQUIRE(n->items.size() == 1);
    CHECK(n->items[0].days_past_due == 10);
    CHECK(n->overdue == 100000);
    CHECK(n->fee == 0);
    CHECK(n->reason ==
          "the oldest item is 10 days past due ('reminder' from 1); USD "
          "1,000.00 overdue");
  }
  b.notice("N-1,2026-02-10,ACME,reminder,INV-1,1000.00,USD,,");
  {
    const auto books = b.open();
    // Notices dated after the as-of date were not sent yet.
    CHECK(level_of(*books, plan(*books, "2026-02-09")) == "reminder");
    CHECK(level_of(*books, plan(*books, "2026-02-10")) ==
          "notice N-1 was sent today");
    CHECK(level_of(*books, plan(*books, "2026-02-20")) ==
          "the oldest item is 20 days past due; 'second' starts at 30");
    const auto p = plan(*books, "2026-03-02");
    const auto* n = to_acme(*books, p);
    REQUIRE(n != nullptr);
    CHECK(books->config.dunning.levels[n->level].name == "second");
    CHECK(n->fee == 1500);
    CHECK(n->reason ==
          "the oldest item is 30 days past due ('second' from 30); USD "
          "1,000.00 overdue; 20 days since 'reminder' on 2026-02-10 (wait 14)");
  }
  b.notice("N-2,2026-03-25,ACME,second,INV-1,1000.00,USD,15.00,");
  {
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-04-01")) ==
          "'second' was sent on 2026-03-25; 'final' waits 14 days after it, "
          "until 2026-04-08");
    const auto p = plan(*books, "2026-04-08");
    const auto* n = to_acme(*books, p);
    REQUIRE(n != nullptr);
    CHECK(books->config.dunning.levels[n->level].name == "final");
    REQUIRE(n->items.size() == 2);
    // 1,000.00 × 12% × 67/365 = 22.03; 200.00 × 12% × 36/365 = 2.37.
    CHECK(n->items[0].interest == 2203);
    CHECK(n->items[1].interest == 237);
    CHECK(n->interest == 2440);
    CHECK(n->fee == 4000);
  }
  b.notice("N-3,2026-04-08,ACME,final,INV-1;INV-2,1200.00,USD,40.00,24.40");
  {
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-05-01")) ==
          "the last level, 'final', has been sent about these items; what "
          "follows is for a person");
  }
}

TEST_CASE("a debt paid ends its escalation; a new one starts at the first level") {
  DunBooks b;
  b.notice("N-1,2026-02-10,ACME,reminder,INV-1,1000.00,USD,,");
  b.add("payments.csv", "PAY-1,2026-02-15,ACME,1000.00,USD,wire,,,\n");
  b.add("allocations.csv", "2026-02-15,PAY-1,INV-1,1000.00,\n");
  const auto books = b.open();
  const auto p = plan(*books, "2026-03-15");
  const auto* n = to_acme(*books, p);
  REQUIRE(n != nullptr);
  CHECK(books->config.dunning.levels[n->level].name == "reminder");
  REQUIRE(n->items.size() == 1);
  CHECK(books->invoices[n->items[0].invoice].id == "INV-2");
}

TEST_CASE("disputes, unapplied credit, the minimum and exclusions leave items out") {
  DunBooks b;
  SUBCASE("a disputed invoice is never dunned") {
    b.add("events.csv", "2026-02-01,dispute,ACME,INV-1,,wrong rate\n");
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-02-20")) ==
          "nothing to claim: 1 overdue invoice is disputed");
  }
  SUBCASE("only the undisputed part of an invoice is claimed") {
    b.add("events.csv", "2026-02-01,dispute,ACME,INV-1,300.00,wrong rate\n");
    const auto books = b.open();
    const auto p = plan(*books, "2026-02-20");
    REQUIRE(to_acme(*books, p) != nullptr);
    CHECK(to_acme(*books, p)->overdue == 70000);
  }
  SUBCASE("unapplied credit pays the oldest items first") {
    b.add("payments.csv", "PAY-1,2026-02-01,ACME,400.00,USD,wire,,,\n");
    const auto books = b.open();
    const auto p = plan(*books, "2026-03-20");
    const auto* n = to_acme(*books, p);
    REQUIRE(n != nullptr);
    CHECK(n->credit == 40000);
    REQUIRE(n->items.size() == 2);
    CHECK(n->items[0].amount == 60000);
    CHECK(n->items[1].amount == 20000);
  }
  SUBCASE("credit covering everything overdue") {
    b.add("payments.csv", "PAY-1,2026-02-01,ACME,1000.00,USD,wire,,,\n");
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-02-20")) ==
          "what is overdue is covered by unapplied credit of USD 1,000.00");
  }
  SUBCASE("below the least worth a notice") {
    b.add("payments.csv", "PAY-1,2026-02-01,ACME,990.00,USD,wire,,,\n");
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-02-20")) ==
          "USD 10.00 overdue, below the least worth a notice (25.00)");
  }
  SUBCASE("a customer excluded from dunning") {
    const auto books = b.open();
    CHECK(why_not(*books, plan(*books, "2026-03-20"), "ZED") ==
          "excluded from dunning (dunning = no in customers.csv)");
  }
}

TEST_CASE("interest already charged by a notice is not charged again") {
  DunBooks b;
  b.notice("N-1,2026-03-02,ACME,second,INV-1,1000.00,USD,15.00,5.00");
  const auto books = b.open();
  const auto p = plan(*books, "2026-04-01");
  const auto* n = to_acme(*books, p);
  REQUIRE(n != nullptr);
  // INV-1 from 03-02, not from its due date: 1,000.00 × 12% × 30/365.
  CHECK(n->items[0].interest == 986);
}

TEST_CASE("the plan renders as a table of items, JSON and text") {
  DunBooks b;
  const auto books = b.open();
  const auto p = plan(*books, "2026-03-20");
  CHECK(render(dunning_table(*books, p), Format::csv) ==
        "customer,name,currency,level,invoice,due,days_past_due,amount,"
        "interest,fee,notice_total\n"
        "ACME,Acme Corp,USD,reminder,INV-1,2026-01-31,48,1000.00,0.00,0.00,"
        "1200.00\n"
        "ACME,Acme Corp,USD,reminder,INV-2,2026-03-03,17,200.00,0.00,0.00,"
        "1200.00\n");
  const auto json = dunning_json(*books, p);
  CHECK(json.find("\"total\": 1200.00") != std::string::npos);
  CHECK(json.find("\"skipped\": [") != std::string::npos);
  const auto text = dunning_text(*books, p);
  CHECK(text.find("ACME Acme Corp: 'reminder', USD 1,200.00 overdue") == 0);
  CHECK(text.find("ZED Zed Ltd (USD): no notice today: excluded") !=
        std::string::npos);
}
