#include "arctl/dunning.hpp"

#include "arctl/arrangements.hpp"
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

// ---- promises to pay and instalment plans ----------------------------------

namespace {

void arrangement(DunBooks& b, const std::string& row) {
  b.add("arrangements.csv", row + "\n");
}

} // namespace

TEST_CASE("an open promise pauses dunning and the plan says which") {
  DunBooks b;
  arrangement(b, "ARR-1,2026-02-10,promise,ACME,USD,500.00,2026-02-28,,,,"
                 "will pay on the 28th");
  const auto books = b.open();
  CHECK(level_of(*books, plan(*books, "2026-02-09")) == "reminder");
  for (const auto* day : {"2026-02-10", "2026-02-20", "2026-02-28"})
    CHECK(level_of(*books, plan(*books, day)) ==
          "promise ARR-1 to pay USD 500.00 by 2026-02-28 is open (0.00 "
          "arrived since 2026-02-10)");
  // Broken the day after: no notice was ever sent, so the first level
  // follows at once.
  const auto p = plan(*books, "2026-03-01");
  const auto* n = to_acme(*books, p);
  REQUIRE(n != nullptr);
  CHECK(n->reason ==
        "promise ARR-1 to pay USD 500.00 by 2026-02-28 was broken (0.00 "
        "arrived); 'reminder' follows at once, its days and wait waived; USD "
        "1,000.00 overdue");
}

TEST_CASE("a kept promise gives way to the usual rules") {
  DunBooks b;
  b.notice("N-1,2026-02-10,ACME,reminder,INV-1,1000.00,USD,,");
  arrangement(b, "ARR-1,2026-02-12,promise,ACME,USD,500.00,2026-02-20,,,,");
  b.add("payments.csv", "PAY-1,2026-02-20,ACME,500.00,USD,wire,,,\n");
  b.add("allocations.csv", "2026-02-20,PAY-1,INV-1,500.00,\n");
  const auto books = b.open();
  // The second level waits for its 30 days, as if no promise was made.
  CHECK(level_of(*books, plan(*books, "2026-02-21")) ==
        "the oldest item is 21 days past due; 'second' starts at 30");
  CHECK(level_of(*books, plan(*books, "2026-03-02")) == "second");
}

TEST_CASE("a broken promise brings the next level at once") {
  DunBooks b;
  b.notice("N-1,2026-02-10,ACME,reminder,INV-1,1000.00,USD,,");
  arrangement(b, "ARR-1,2026-02-12,promise,ACME,USD,500.00,2026-02-20,,,,");
  // Paid before the promise, or reversed: neither counts.
  b.add("payments.csv", "PAY-0,2026-02-11,ACME,100.00,USD,wire,,,\n"
                        "PAY-1,2026-02-15,ACME,200.00,USD,wire,,,\n"
                        "PAY-2,2026-02-16,ACME,300.00,USD,check,,,\n");
  b.add("adjustments.csv",
        "ADJ-1,2026-02-19,reversal,ACME,,PAY-2,,USD,check returned,\n");
  SUBCASE("the days and the wait of the next level are waived") {
    const auto books = b.open();
    const auto p = plan(*books, "2026-02-21");
    const auto* n = to_acme(*books, p);
    REQUIRE(n != nullptr);
    CHECK(books->config.dunning.levels[n->level].name == "second");
    CHECK(n->fee == 1500);
    CHECK(n->overdue == 70000); // 1,000.00 less 300.00 unapplied
    CHECK(n->reason ==
          "promise ARR-1 to pay USD 500.00 by 2026-02-20 was broken (200.00 "
          "arrived); 'second' follows at once, its days and wait waived; USD "
          "700.00 overdue");
  }
  SUBCASE("once a notice followed it, the usual rules apply again") {
    b.notice("N-2,2026-02-21,ACME,second,INV-1,700.00,USD,15.00,");
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-02-25")) ==
          "the oldest item is 25 days past due; 'final' starts at 60");
  }
  SUBCASE("the least worth a notice still holds") {
    b.add("payments.csv", "PAY-3,2026-02-21,ACME,690.00,USD,wire,,,\n");
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-02-22")) ==
          "USD 10.00 overdue, below the least worth a notice (25.00)");
  }
}

TEST_CASE("the items of a plan in good standing are not dunned") {
  DunBooks b;
  arrangement(b, "ARR-1,2026-02-10,plan,ACME,USD,1000.00,2026-03-01,2,1m,"
                 "INV-1,");
  SUBCASE("until the first instalment is missed") {
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-03-06")) ==
          "nothing to claim: 1 late invoice is within the grace of 5 days; 1 "
          "overdue invoice is in plan ARR-1, with no instalment missed");
  }
  SUBCASE("the other items are dunned as usual") {
    b.add("payments.csv", "PAY-1,2026-03-01,ACME,500.00,USD,wire,,,\n");
    b.add("allocations.csv", "2026-03-01,PAY-1,INV-1,500.00,\n");
    const auto books = b.open();
    const auto p = plan(*books, "2026-03-20");
    const auto* n = to_acme(*books, p);
    REQUIRE(n != nullptr);
    REQUIRE(n->items.size() == 1);
    CHECK(books->invoices[n->items[0].invoice].id == "INV-2");
    CHECK(n->overdue == 20000);
  }
}

TEST_CASE("a missed instalment is claimed for its shortfall only") {
  DunBooks b;
  // 1,200.00 over INV-1 and INV-2 in three instalments of 400.00.
  arrangement(b, "ARR-1,2026-02-10,plan,ACME,USD,1200.00,2026-03-01,3,1m,"
                 "INV-2;INV-1,");
  b.add("payments.csv", "PAY-1,2026-03-01,ACME,250.00,USD,wire,,,\n");
  b.add("allocations.csv", "2026-03-01,PAY-1,INV-1,250.00,\n");
  SUBCASE("not before the grace has passed") {
    const auto books = b.open();
    // INV-2, late within the grace, is not counted as overdue.
    CHECK(level_of(*books, plan(*books, "2026-03-06")) ==
          "nothing to claim: 1 overdue invoice is in plan ARR-1, with no "
          "instalment missed");
  }
  SUBCASE("the unpaid part falls on the oldest invoice, due when the "
          "instalment was") {
    const auto books = b.open();
    const auto p = plan(*books, "2026-03-10");
    const auto* n = to_acme(*books, p);
    REQUIRE(n != nullptr);
    CHECK(books->config.dunning.levels[n->level].name == "reminder");
    REQUIRE(n->items.size() == 1);
    CHECK(books->invoices[n->items[0].invoice].id == "INV-1");
    CHECK(n->items[0].amount == 15000);
    CHECK(n->items[0].days_past_due == 9);
    CHECK(format_date(n->items[0].due) == "2026-03-01");
    CHECK(books->arrangements[n->items[0].arrangement].id == "ARR-1");
    CHECK(n->items[0].installment == 1);
    CHECK(n->reason ==
          "the oldest item is 9 days past due ('reminder' from 1); USD 150.00 "
          "overdue; plan ARR-1: instalment 1 of USD 400.00, due 2026-03-01, "
          "missed (USD 150.00 unpaid)");
  }
  SUBCASE("notices before the plan do not count for its escalation") {
    b.notice("N-1,2026-02-05,ACME,second,INV-1,1000.00,USD,15.00,");
    const auto books = b.open();
    CHECK(level_of(*books, plan(*books, "2026-03-10")) == "reminder");
  }
  SUBCASE("two instalments missed: each one's part, oldest invoice first") {
    const auto books = b.open();
    const auto p = plan(*books, "2026-04-07");
    const auto* n = to_acme(*books, p);
    REQUIRE(n != nullptr);
    REQUIRE(n->items.size() == 2);
    CHECK(n->items[0].installment == 1);
    CHECK(n->items[0].amount == 15000);
    CHECK(n->items[1].installment == 2);
    CHECK(format_date(n->items[1].due) == "2026-04-01");
    CHECK(n->items[1].amount == 40000);
    CHECK(n->overdue == 55000);
  }
}

TEST_CASE("promises are recorded through the common write path") {
  DunBooks b;
  const auto promise = [&](const char* customer, const char* amount,
                           const char* by, const char* date) {
    const auto books = b.open();
    return plan_promise(*books, {customer, amount, day(by), "", day(date)});
  };
  SUBCASE("a promise made") {
    const auto made = promise("ACME", "500", "2026-02-28", "2026-02-10");
    REQUIRE(made.has_value());
    REQUIRE(made->added.size() == 1);
    CHECK(made->added[0] ==
          "ARR-2026-0001,2026-02-10,promise,ACME,USD,500.00,2026-02-28,,,,");
    CHECK(made->summary ==
          "promise ARR-2026-0001 of ACME: USD 500.00 by 2026-02-28");
    b.commit_plan(*made);
    const auto again = promise("ACME", "100.00", "2026-03-10", "2026-02-20");
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().exit == ExitCode::data);
    CHECK(again.error().message ==
          "customer ACME has promised already: ARR-2026-0001 to pay USD "
          "500.00 by 2026-02-28, of which 0.00 has arrived");
    // After its date, or once paid, another promise may follow.
    CHECK(promise("ACME", "100.00", "2026-03-10", "2026-03-01").has_value());
    b.add("payments.csv", "PAY-1,2026-02-15,ACME,500.00,USD,wire,,,\n");
    CHECK(promise("ACME", "100.00", "2026-03-10", "2026-02-20").has_value());
  }
  SUBCASE("refusals") {
    const auto refused = [&](const char* customer, const char* amount,
                             const char* by, ExitCode exit,
                             const char* message) {
      const auto r = promise(customer, amount, by, "2026-02-10");
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().exit == exit);
      CHECK(r.error().message == message);
    };
    refused("NOPE", "5", "2026-02-28", ExitCode::data,
            "unknown customer \"NOPE\"");
    refused("ACME", "0", "2026-02-28", ExitCode::usage,
            "--amount: a promise is to pay an amount more than zero");
    refused("ACME", "-5", "2026-02-28", ExitCode::usage,
            "--amount: a promise is to pay an amount more than zero");
    refused("ACME", "5.001", "2026-02-28", ExitCode::usage,
            "--amount: amount \"5.001\" has 3 decimals but USD allows 2");
    refused("ACME", "5", "2026-02-09", ExitCode::usage,
            "--by: 2026-02-09 is before the promise's date 2026-02-10");
  }
}

TEST_CASE("instalment plans over invoices or an amount") {
  DunBooks b;
  const auto make = [&](PlanRequest r) {
    const auto books = b.open();
    r.customer = r.customer.empty() ? "ACME" : r.customer;
    if (r.installments == 0)
      r.installments = 2;
    return plan_installments(*books, r);
  };
  PlanRequest r;
  r.date = day("2026-03-10");
  r.first = day("2026-04-01");
  SUBCASE("an amount takes the overdue invoices the oldest first") {
    r.amount = "1100";
    const auto made = make(r);
    REQUIRE(made.has_value());
    CHECK(made->added[0] == "ARR-2026-0001,2026-03-10,plan,ACME,USD,1100.00,"
                            "2026-04-01,2,1m,INV-1;INV-2,");
    CHECK(made->summary == "plan ARR-2026-0001 of ACME: USD 1,100.00 in 2 "
                           "instalments of 550.00 from 2026-04-01, every 1m");
    b.commit_plan(*made);
    const auto books = b.open();
    const auto plans = customer_plans(
        *books, compute_ledger(*books, day("2026-04-02")), 0);
    REQUIRE(plans.size() == 1);
    REQUIRE(plans[0].shares.size() == 2);
    CHECK(plans[0].shares[0].covered == 100000);
    CHECK(plans[0].shares[1].covered == 10000);
    CHECK(plans[0].good_standing());
    // INV-2 in part: the rest of it is dunned as usual.
    const auto p = plan(*books, "2026-04-02");
    const auto* n = to_acme(*books, p);
    REQUIRE(n != nullptr);
    REQUIRE(n->items.size() == 1);
    CHECK(n->items[0].amount == 10000);
    // An invoice in a plan in good standing goes in no other.
    r.amount.reset();
    r.invoices = {"INV-2"};
    r.date = day("2026-04-02");
    r.first = day("2026-05-01");
    const auto again = make(r);
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().message ==
          "--invoices: invoice INV-2 is in plan ARR-2026-0001, in good "
          "standing");
  }
  SUBCASE("invoices are taken for all that is open of them") {
    r.invoices = {"INV-2"};
    r.installments = 3;
    r.every = "2w";
    const auto made = make(r);
    REQUIRE(made.has_value());
    CHECK(made->added[0] == "ARR-2026-0001,2026-03-10,plan,ACME,USD,200.00,"
                            "2026-04-01,3,2w,INV-2,");
    CHECK(made->summary ==
          "plan ARR-2026-0001 of ACME: USD 200.00 in 3 instalments of 66.66 "
          "(the last 66.68) from 2026-04-01, every 2w");
  }
  SUBCASE("refusals") {
    const auto refused = [&](PlanRequest request, ExitCode exit,
                             const char* message) {
      const auto made = make(std::move(request));
      REQUIRE_FALSE(made.has_value());
      CHECK(made.error().exit == exit);
      CHECK(made.error().message == message);
    };
    auto x = r;
    x.amount = "1300";
    refused(x, ExitCode::data,
            "--amount: USD 1,300.00 is more than the USD 1,200.00 of ACME that "
            "is overdue and can go in a plan");
    x = r;
    refused(x, ExitCode::usage,
            "--amount: give either --amount or --invoices: what the plan pays");
    x.invoices = {"INV-3"};
    refused(x, ExitCode::data,
            "--invoices: invoice INV-3 is ZED's, not ACME's");
    x.invoices = {"INV-9"};
    refused(x, ExitCode::data, "--invoices: unknown invoice \"INV-9\"");
    x.invoices = {"INV-1", "INV-1"};
    refused(x, ExitCode::usage, "--invoices: INV-1 is given twice");
    x.invoices = {"INV-1"};
    x.installments = 121;
    refused(x, ExitCode::usage,
            "--installments: 121 is not a number of instalments from 1 to "
            "120");
    x.installments = 2;
    x.first = x.date;
    refused(x, ExitCode::usage,
            "--first: the first instalment falls due after the plan's date "
            "2026-03-10, not on 2026-03-10");
    x.first = r.first;
    x.every = "1y";
    refused(x, ExitCode::usage,
            "--every: interval \"1y\" is not valid; intervals look like 14d, "
            "2w or 1m (days, weeks, months)");
    b.add("events.csv", "2026-03-01,dispute,ACME,INV-1,,wrong rate\n");
    x.every = "1m";
    refused(x, ExitCode::data, "--invoices: invoice INV-1 is disputed");
    b.add("payments.csv", "PAY-1,2026-03-02,ACME,200.00,USD,wire,,,\n");
    b.add("allocations.csv", "2026-03-02,PAY-1,INV-2,200.00,\n");
    x.invoices = {"INV-2"};
    refused(x, ExitCode::data, "--invoices: invoice INV-2 has nothing open");
  }
}

TEST_CASE("a later plan over an invoice of a broken one supersedes it") {
  DunBooks b;
  arrangement(b, "ARR-1,2026-02-10,plan,ACME,USD,1000.00,2026-03-01,2,1m,"
                 "INV-1,");
  arrangement(b, "ARR-2,2026-03-20,plan,ACME,USD,1000.00,2026-04-01,4,1m,"
                 "INV-1,");
  const auto books = b.open();
  const auto ledger = compute_ledger(*books, day("2026-03-25"));
  const auto plans = customer_plans(*books, ledger, 0);
  REQUIRE(plans.size() == 2);
  CHECK(plan_status_text(*books, plans[0]) == "superseded by ARR-2");
  CHECK(plan_status_text(*books, plans[1]) == "in good standing");
  const auto history = dunning_history(*books, ledger, 0);
  CHECK(render(history, Format::csv) ==
        "date,event,reference,currency,amount,detail\n"
        "2026-02-10,plan made,ARR-1,USD,1000.00,2 instalments every 1m from "
        "2026-03-01 over INV-1\n"
        "2026-03-07,instalment missed,ARR-1,USD,500.00,\"instalment 1 of 2, "
        "due 2026-03-01\"\n"
        "2026-03-20,plan made,ARR-2,USD,1000.00,4 instalments every 1m from "
        "2026-04-01 over INV-1\n"
        "2026-03-20,plan superseded,ARR-1,USD,,by ARR-2\n");
}
