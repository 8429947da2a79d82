#include "arctl/ledger.hpp"

#include "temp_books.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

// INV-1 100.00 issued 01-05, due 02-04; PAY-1 60.00 received 01-20 and
// applied on 01-25; INV-2 50.00 issued 02-01, due 03-03.
void add_facts(TempBooks& b) {
  b.add("customers.csv", "ACME,Acme Corp,,,,1000.00,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n"
        "INV-2,ACME,2026-02-01,2026-03-03,USD,,50.00,0.00,50.00,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,ACME,60.00,USD,check,,,\n");
  b.add("allocations.csv", "2026-01-25,PAY-1,INV-1,60.00,\n");
}

} // namespace

TEST_CASE("only facts dated on or before the as-of date count") {
  TempBooks b;
  add_facts(b);
  const auto books = b.load();
  SUBCASE("before the invoice") {
    const auto l = compute_ledger(*books, day("2026-01-04"));
    CHECK_FALSE(l.invoices[0].issued);
    CHECK(l.invoices[0].open == 0);
  }
  SUBCASE("before the payment") {
    const auto l = compute_ledger(*books, day("2026-01-19"));
    CHECK(l.invoices[0].open == 10000);
    CHECK(l.payments[0].left == 0);
  }
  SUBCASE("between the payment and its application") {
    const auto l = compute_ledger(*books, day("2026-01-22"));
    CHECK(l.invoices[0].open == 10000);
    CHECK(l.payments[0].left == 6000);
    const auto p = customer_position(*books, l, 0);
    REQUIRE(p.size() == 1);
    CHECK(p[0].open == 10000);
    CHECK(p[0].unapplied == 6000);
    CHECK(credit_used(*books, l, 0) == 4000);
  }
  SUBCASE("after the application") {
    const auto l = compute_ledger(*books, day("2026-01-25"));
    CHECK(l.invoices[0].open == 4000);
    CHECK(l.invoices[0].paid == 6000);
    CHECK(l.payments[0].left == 0);
    CHECK(l.payments[0].applied == 6000);
  }
}

TEST_CASE("the oldest overdue item is the open one due first") {
  TempBooks b;
  add_facts(b);
  const auto books = b.load();
  CHECK_FALSE(customer_position(*books, compute_ledger(*books, day("2026-02-04")),
                                0)[0]
                  .oldest_overdue);
  const auto p =
      customer_position(*books, compute_ledger(*books, day("2026-03-10")), 0);
  REQUIRE(p[0].oldest_overdue);
  CHECK(*p[0].oldest_overdue == 0u);
  CHECK(p[0].open == 4000 + 5000);
  CHECK(p[0].open_invoices == 2);
}

TEST_CASE("write-offs, discounts, credits and voids change what is open") {
  TempBooks b;
  add_facts(b);
  b.add("adjustments.csv",
        "ADJ-1,2026-02-10,writeoff,ACME,INV-1,,40.00,USD,small balance,\n"
        "CM-1,2026-02-11,credit,ACME,INV-2,,20.00,USD,damaged,\n"
        "ADJ-2,2026-02-12,discount,ACME,INV-2,,1.00,USD,,\n");
  b.add("allocations.csv", "2026-02-11,CM-1,INV-2,5.00,\n");
  const auto books = b.load();
  const auto l = compute_ledger(*books, day("2026-02-28"));
  CHECK(l.invoices[0].open == 0);
  CHECK(l.invoices[0].written_off == 4000);
  CHECK(l.invoices[1].open == 5000 - 500 - 100);
  CHECK(l.invoices[1].credited == 500);
  CHECK(l.invoices[1].discounted == 100);
  CHECK(l.credits[1].left == 1500); // parallel to adjustments: CM-1 is second
  const auto p = customer_position(*books, l, 0);
  CHECK(p[0].unapplied == 1500);
}

TEST_CASE("disputes and holds are followed in date order") {
  TempBooks b;
  add_facts(b);
  b.add("events.csv", "2026-02-02,dispute,ACME,INV-2,20.00,price\n"
                      "2026-02-03,hold,ACME,,,over limit\n"
                      "2026-02-20,resolve,ACME,INV-2,,\n");
  const auto books = b.load();
  auto l = compute_ledger(*books, day("2026-02-10"));
  CHECK(l.invoices[1].disputed);
  CHECK(l.invoices[1].disputed_part == 2000);
  CHECK(l.customers[0].on_hold);
  CHECK(l.customers[0].hold_reason == "over limit");
  CHECK(customer_position(*books, l, 0)[0].disputed == 2000);
  l = compute_ledger(*books, day("2026-02-20"));
  CHECK_FALSE(l.invoices[1].disputed);
  CHECK(l.customers[0].on_hold);
}

TEST_CASE("a rule broken is reported and the fact does not count") {
  TempBooks b;
  add_facts(b);
  b.add("allocations.csv", "2026-02-02,PAY-1,INV-2,1.00,\n");
  const auto books = b.load();
  std::vector<LedgerProblem> problems;
  const auto l = compute_ledger(*books, k_end_of_time,
                                [&](const LedgerProblem& p) {
                                  problems.push_back(p);
                                });
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].code == "over-allocated"); // PAY-1 is all applied
  CHECK(problems[0].table == Table::allocations);
  CHECK(problems[0].line == 3);
  CHECK(l.invoices[1].open == 5000);
}

TEST_CASE("the example books' balances agree with figures worked out apart") {
  // examples/README.md: as of 2026-11-20, open USD 10,668.80, unapplied USD
  // 1,498.15, open EUR 782.50 — computed with exact decimals outside arctl.
  auto loaded = load_books(BooksDir{ARCTL_EXAMPLES_DIR, ""}, {});
  REQUIRE(loaded.has_value());
  const auto& books = *loaded->books;
  const auto l = compute_ledger(books, day("2026-11-20"));
  std::int64_t open_usd = 0, unapplied_usd = 0, open_eur = 0;
  for (std::uint32_t c = 0; c < books.customers.size(); ++c)
    for (const auto& p : customer_position(books, l, c)) {
      if (p.currency.name() == "USD") {
        open_usd += p.open;
        unapplied_usd += p.unapplied;
      } else {
        open_eur += p.open;
      }
    }
  CHECK(open_usd == 1066880);
  CHECK(unapplied_usd == 149815);
  CHECK(open_eur == 78250);
}

TEST_CASE("the ledger at the end of the books serves any later date") {
  TempBooks b;
  add_facts(b);
  const auto books = b.load();
  CHECK(latest_fact_date(*books) == day("2026-02-01"));
  const auto same = [](const Ledger& x, const Ledger& y) {
    CHECK(x.as_of == y.as_of);
    REQUIRE(x.invoices.size() == y.invoices.size());
    for (std::size_t i = 0; i < x.invoices.size(); ++i) {
      CHECK(x.invoices[i].open == y.invoices[i].open);
      CHECK(x.invoices[i].issued == y.invoices[i].issued);
    }
    REQUIRE(x.payments.size() == y.payments.size());
    for (std::size_t i = 0; i < x.payments.size(); ++i)
      CHECK(x.payments[i].left == y.payments[i].left);
  };
  for (const auto* d : {"2026-01-22", "2026-02-01", "2026-06-30"})
    same(ledger_as_of(*books, compute_ledger(*books, k_end_of_time), day(d)),
         compute_ledger(*books, day(d)));
  TempBooks empty;
  CHECK_FALSE(latest_fact_date(*empty.load()));
}

TEST_CASE("the open items are what is open and what is recent") {
  TempBooks b;
  add_facts(b);
  b.add("customers.csv", "BETA,Beta LLC,,,,,,,\n");
  b.add("invoices.csv",
        "INV-3,BETA,2025-06-02,2025-07-02,USD,,70.00,0.00,70.00,,\n"
        "INV-4,BETA,2025-06-03,2025-07-03,USD,,30.00,0.00,30.00,,\n");
  b.add("payments.csv", "PAY-2,2025-06-20,BETA,30.00,USD,check,,,\n");
  b.add("allocations.csv", "2025-06-20,PAY-2,INV-4,30.00,\n");
  const auto books = b.load();
  const auto ids = [&](const OpenItems& items) {
    std::string out;
    for (const auto& i : items.invoices)
      out += fmt::format("{}={} ", books->invoices[i.invoice].id, i.open);
    for (const auto& c : items.credits)
      out += fmt::format("{}={} ", books->document_id(c.document), c.left);
    return out;
  };
  SUBCASE("between a payment and its application") {
    const auto l = compute_ledger(*books, day("2026-01-22"));
    const auto items = open_items(*books, l);
    CHECK(items->since == day("2025-10-25"));
    CHECK(ids(*items) == "INV-1=10000 INV-3=7000 PAY-1=6000 ");
  }
  SUBCASE("at the end, an invoice paid in full is kept while recent") {
    const auto end = compute_ledger(*books, k_end_of_time);
    const auto items = open_items(*books, end);
    // 89 days before the latest fact, 2026-02-01.
    CHECK(items->since == day("2025-11-04"));
    CHECK(ids(*items) == "INV-1=4000 INV-2=5000 INV-3=7000 ");
    // Settled long before, INV-4 and PAY-2 are not there; INV-1 is both
    // open and recent.
    const auto& inv1 = items->invoices[0];
    CHECK(inv1.customer == 0);
    CHECK(inv1.due == day("2026-02-04"));
    CHECK(inv1.total == 10000);
  }
  SUBCASE("kept items serve a later date, not an earlier one") {
    auto end = compute_ledger(*books, k_end_of_time);
    end.open = open_items(*books, end);
    const auto later = ledger_as_of(*books, std::move(end), day("2026-06-30"));
    CHECK(open_items(*books, later) == later.open);
    // Items kept from a later ledger are not taken for an earlier one.
    auto earlier = compute_ledger(*books, day("2025-06-19"));
    earlier.open = later.open;
    const auto found = open_items(*books, earlier);
    CHECK(found != later.open);
    CHECK(ids(*found) == "INV-3=7000 INV-4=3000 ");
  }
}
