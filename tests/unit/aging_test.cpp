#include "arctl/aging.hpp"
#include "arctl/statement.hpp"

#include "temp_books.hpp"

#include <doctest/doctest.h>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

// ACME: INV-1 100.00 issued 01-05 due 02-04; PAY-1 60.00 received 01-20,
// applied to INV-1 on 01-25; INV-2 50.00 issued 02-01 due 03-03, disputed
// for 20.00 from 02-10. BETA: INV-3 10.00 issued 01-10 due 01-10.
void add_facts(TempBooks& b) {
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n"
                         "BETA,Beta LLC,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n"
        "INV-2,ACME,2026-02-01,2026-03-03,USD,,50.00,0.00,50.00,,\n"
        "INV-3,BETA,2026-01-10,2026-01-10,USD,,10.00,0.00,10.00,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,ACME,60.00,USD,check,,,\n");
  b.add("allocations.csv", "2026-01-25,PAY-1,INV-1,60.00,\n");
  b.add("events.csv", "2026-02-10,dispute,ACME,INV-2,20.00,wrong price\n");
}

AgingReport age(const Books& books, const char* as_of,
                AgingRequest request = {}) {
  return age_receivables(books, compute_ledger(books, day(as_of)), request);
}

const AgingRow& row(const AgingReport& r, const Books& books,
                    std::string_view id) {
  for (const auto& s : r.sections)
    for (const auto& x : s.rows)
      if (books.customers[x.customer].id == id)
        return x;
  FAIL("no row for ", id);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("days fall into the buckets their bounds say") {
  AgingBuckets due;
  CHECK(due.labels() ==
        std::vector<std::string>{"current", "1-30", "31-60", "61-90", "91+"});
  CHECK(due.of(-5) == 0);
  CHECK(due.of(0) == 0);
  CHECK(due.of(1) == 1);
  CHECK(due.of(30) == 1);
  CHECK(due.of(31) == 2);
  CHECK(due.of(90) == 3);
  CHECK(due.of(91) == 4);
  AgingBuckets issued{AgingBasis::invoice_date, {15, 45}};
  CHECK(issued.labels() == std::vector<std::string>{"0-15", "16-45", "46+"});
  CHECK(issued.of(0) == 0);
  CHECK(issued.of(15) == 0);
  CHECK(issued.of(16) == 1);
  CHECK(issued.of(46) == 2);
}

TEST_CASE("--buckets and --fail-over are parsed strictly") {
  CHECK(parse_buckets("30,60,90") == std::vector<int>{30, 60, 90});
  CHECK(parse_buckets("7") == std::vector<int>{7});
  CHECK_FALSE(parse_buckets("60,30"));
  CHECK_FALSE(parse_buckets("30,,60"));
  CHECK_FALSE(parse_buckets("0,30"));
  CHECK_FALSE(parse_buckets("thirty"));
  CHECK_FALSE(parse_buckets(""));
  const auto limit = parse_past_due_limit("60=5000.50");
  REQUIRE(limit);
  CHECK(limit->days == 60);
  CHECK(limit->amount == Decimal{500050, 2});
  CHECK_FALSE(parse_past_due_limit("60"));
  CHECK_FALSE(parse_past_due_limit("=5"));
  CHECK_FALSE(parse_past_due_limit("60=-1"));
  CHECK_FALSE(parse_past_due_limit("60=1e3"));
}

TEST_CASE("only facts dated on or before the as-of date are aged") {
  TempBooks b;
  add_facts(b);
  const auto books = b.open();
  SUBCASE("before the payment: all open, nothing unapplied") {
    const auto r = age(*books, "2026-01-19");
    const auto& acme = row(r, *books, "ACME");
    CHECK(acme.amounts.buckets == std::vector<std::int64_t>{10000, 0, 0, 0, 0});
    CHECK(acme.amounts.unapplied == 0);
  }
  SUBCASE("between the payment and its application: credit unapplied") {
    const auto r = age(*books, "2026-01-22");
    const auto& acme = row(r, *books, "ACME");
    CHECK(acme.amounts.open() == 10000);
    CHECK(acme.amounts.unapplied == -6000);
    CHECK(acme.amounts.total() == 4000);
    CHECK(r.sections[0].totals.total() == 4000 + 1000);
  }
  SUBCASE("later: late amounts move through the buckets") {
    const auto r = age(*books, "2026-03-10");
    const auto& acme = row(r, *books, "ACME");
    // INV-1: 40.00 open, 34 days past due; INV-2: 7 days past due.
    CHECK(acme.amounts.buckets == std::vector<std::int64_t>{0, 5000, 4000, 0, 0});
    CHECK(acme.amounts.unapplied == 0);
    CHECK(acme.amounts.disputed == 2000);
    CHECK(acme.most_days_past_due == 34);
    CHECK(acme.overdue == 9000);
  }
}

TEST_CASE("the figures follow their stated methods") {
  TempBooks b;
  add_facts(b);
  const auto books = b.open();
  const auto r = age(*books, "2026-03-10");
  REQUIRE(r.sections.size() == 1);
  const auto& f = r.sections[0].figures;
  // Sales of the 30 days to 03-10 (02-09..03-10): none; of the 90 days
  // (12-11..03-10): 100 + 50 + 10.
  CHECK(f.sales_30 == 0);
  CHECK_FALSE(f.dso_30);
  CHECK(f.sales_90 == 16000);
  // Open 100.00 (40 + 50 + 10): 100 / 160 × 90 = 56.25 -> 56.3.
  REQUIRE(f.dso_90);
  CHECK(*f.dso_90 == 563);
  // (40 × 34 + 50 × 7 + 10 × 59) / 100 = 23.0 days.
  REQUIRE(f.weighted_days_past_due);
  CHECK(*f.weighted_days_past_due == 230);
  CHECK(f.over_90 == 0);
  REQUIRE(f.over_90_share);
  CHECK(*f.over_90_share == 0);
  CHECK(f.overdue == 10000);
}

TEST_CASE("filters select customers, currency and balances") {
  TempBooks b;
  add_facts(b);
  const auto books = b.open();
  AgingRequest only_beta;
  only_beta.customers = {*books->find_customer("BETA")};
  auto r = age(*books, "2026-03-10", only_beta);
  REQUIRE(r.sections.size() == 1);
  CHECK(r.sections[0].rows.size() == 1);
  CHECK(r.sections[0].totals.total() == 1000);

  AgingRequest big;
  big.min_balance = Decimal{50, 0};
  r = age(*books, "2026-03-10", big);
  REQUIRE(r.sections.size() == 1);
  REQUIRE(r.sections[0].rows.size() == 1);
  CHECK(books->customers[r.sections[0].rows[0].customer].id == "ACME");
  CHECK(r.sections[0].totals.total() == 9000);

  AgingRequest euros;
  euros.currency = *find_currency("EUR");
  CHECK(age(*books, "2026-03-10", euros).sections.empty());
}

TEST_CASE("limits on the amount past due raise alerts") {
  TempBooks b;
  add_facts(b);
  const auto books = b.open();
  AgingRequest request;
  request.past_due_over = {30, 60};
  const auto r = age(*books, "2026-03-10", request);
  // More than 30 days: INV-1's 40.00 and INV-3's 10.00; more than 60: none.
  CHECK(r.sections[0].past_due == std::vector<std::int64_t>{5000, 0});
  const std::vector<PastDueLimit> limits{{30, Decimal{4999, 2}},
                                         {60, Decimal{0, 0}}};
  CHECK(past_due_alerts(r, limits) ==
        std::vector<std::string>{"USD 50.00 is more than 30 days past due, "
                                 "over the limit of 49.99"});
  CHECK(past_due_alerts(r, {{30, Decimal{50, 0}}, {60, Decimal{0, 0}}})
            .empty());
}

TEST_CASE("open items list invoices and unapplied credit, summing to total") {
  TempBooks b;
  add_facts(b);
  const auto books = b.open();
  AgingRequest request;
  request.items = true;
  const auto r = age(*books, "2026-01-22", request);
  const auto& s = r.sections[0];
  REQUIRE(s.items.size() == 3);
  CHECK(books->document_id(s.items[0].document) == "INV-1");
  CHECK(books->document_id(s.items[1].document) == "PAY-1");
  CHECK(s.items[1].bucket == k_unapplied_bucket);
  CHECK(s.items[1].amount == -6000);
  CHECK(books->document_id(s.items[2].document) == "INV-3");
  CHECK(s.items[2].days == 12);
  std::int64_t sum = 0;
  for (const auto& item : s.items)
    sum += item.amount;
  CHECK(sum == s.totals.total());
}

// The example books, aged on every day of the year: each customer's row
// equals its position as `customer show` reports it, and the open items
// add up to the totals. The year holds days before payments and days
// between payments and their later application.
TEST_CASE("aging ties to customer positions and open items every day") {
  const auto books = open_books(BooksDir{ARCTL_EXAMPLES_DIR, ""}, {});
  REQUIRE(books);
  const auto& bk = **books;
  int days_with_unapplied_then_applied = 0;
  for (Date d = day("2026-01-01"); d <= day("2026-11-30"); d = add_days(d, 1)) {
    const auto ledger = compute_ledger(bk, d);
    AgingRequest request;
    request.items = true;
    const auto r = age_receivables(bk, ledger, request);
    for (const auto& s : r.sections) {
      std::int64_t items = 0;
      for (const auto& item : s.items)
        items += item.amount;
      CHECK(items == s.totals.total());
      AgingAmounts sum;
      for (const auto& x : s.rows) {
        sum.add(x.amounts);
        bool found = false;
        for (const auto& p : customer_position(bk, ledger, x.customer))
          if (p.currency == s.currency) {
            found = true;
            CHECK(x.amounts.open() == p.open);
            CHECK(-x.amounts.unapplied == p.unapplied);
            CHECK(x.amounts.disputed == p.disputed);
          }
        CHECK(found);
      }
      CHECK(sum.total() == s.totals.total());
    }
    // A payment with credit left on d that is applied later.
    for (std::uint32_t i = 0; i < bk.payments.size(); ++i)
      if (ledger.payments[i].left > 0)
        for (const auto& a : bk.allocations)
          if (a.source == DocRef{DocKind::payment, i} && d < a.date) {
            ++days_with_unapplied_then_applied;
            break;
          }
  }
  CHECK(days_with_unapplied_then_applied > 0);
}

TEST_CASE("a statement runs from the opening to the closing balance") {
  TempBooks b;
  add_facts(b);
  b.add("customers.csv", "GAMMA,Gamma Inc,,,,,,,\n");
  b.add("payments.csv", "PAY-2,2026-02-15,GAMMA,10.00,USD,wire,,,\n");
  // GAMMA pays BETA's invoice.
  b.add("allocations.csv", "2026-02-16,PAY-2,INV-3,10.00,\n");
  b.add("adjustments.csv",
        "CM-1,2026-02-20,credit,ACME,,,5.00,USD,goodwill,\n"
        "ADJ-1,2026-02-21,writeoff,ACME,INV-1,,40.00,USD,small balance,\n");
  const auto books = b.open();
  const auto acme = *books->find_customer("ACME");
  const auto st =
      make_statement(*books, acme, day("2026-01-21"), day("2026-02-28"), {});
  REQUIRE(st);
  REQUIRE(st->sections.size() == 1);
  const auto& s = st->sections[0];
  CHECK(s.opening == 10000 - 6000);
  std::vector<StatementEntry> kinds;
  for (const auto& l : s.lines)
    kinds.push_back(l.entry);
  CHECK(kinds == std::vector<StatementEntry>{StatementEntry::invoice,
                                             StatementEntry::credit,
                                             StatementEntry::writeoff});
  CHECK(s.lines.back().balance == 4000 + 5000 - 500 - 4000);
  CHECK(s.closing == s.lines.back().balance);
  CHECK(s.aging.total() == s.closing);

  // The application across customers moves both balances.
  const auto beta = make_statement(*books, *books->find_customer("BETA"),
                                   day("2026-02-01"), day("2026-02-28"), {});
  REQUIRE(beta);
  REQUIRE(beta->sections[0].lines.size() == 1);
  CHECK(beta->sections[0].lines[0].entry == StatementEntry::applied);
  CHECK(beta->sections[0].lines[0].amount == -1000);
  CHECK(beta->sections[0].closing == 0);
  const auto gamma = make_statement(*books, *books->find_customer("GAMMA"),
                                    day("2026-02-01"), day("2026-02-28"), {});
  REQUIRE(gamma);
  const auto& g = gamma->sections[0];
  REQUIRE(g.lines.size() == 2);
  CHECK(g.lines[0].entry == StatementEntry::payment);
  CHECK(g.lines[1].entry == StatementEntry::applied);
  CHECK(g.closing == 0);
  CHECK(describe(*books, g.lines[1]) == "PAY-2 applied to INV-3 of BETA");

  CHECK(make_statement(*books, acme, day("2026-03-01"), day("2026-02-01"), {})
            .error()
            .exit == ExitCode::usage);
}

TEST_CASE("statements of the example books add up for every customer") {
  const auto books = open_books(BooksDir{ARCTL_EXAMPLES_DIR, ""}, {});
  REQUIRE(books);
  for (std::uint32_t c = 0; c < (*books)->customers.size(); ++c)
    for (const auto& [from, to] :
         {std::pair{"2026-01-01", "2026-11-20"},
          std::pair{"2026-09-01", "2026-09-30"},
          std::pair{"2026-11-01", "2026-11-20"}}) {
      const auto st = make_statement(**books, c, day(from), day(to), {});
      CHECK(st.has_value());
    }
}

TEST_CASE("an application across customers undone reads so on both sides") {
  TempBooks b;
  add_facts(b);
  b.add("customers.csv", "GAMMA,Gamma Inc,,,,,,,\n");
  b.add("payments.csv", "PAY-2,2026-02-15,GAMMA,10.00,USD,wire,,,\n");
  b.add("allocations.csv", "2026-02-16,PAY-2,INV-3,10.00,\n"
                           "2026-02-17,PAY-2,INV-3,-10.00,\n");
  const auto books = b.open();
  const auto gamma = make_statement(*books, *books->find_customer("GAMMA"),
                                    day("2026-02-01"), day("2026-02-28"), {});
  REQUIRE(gamma);
  const auto& g = gamma->sections[0].lines;
  REQUIRE(g.size() == 3);
  CHECK(describe(*books, g[2]) == "PAY-2 no longer applied to INV-3 of BETA");
  CHECK(g[2].balance == -1000);
  const auto beta = make_statement(*books, *books->find_customer("BETA"),
                                   day("2026-02-01"), day("2026-02-28"), {});
  REQUIRE(beta);
  const auto& l = beta->sections[0].lines;
  REQUIRE(l.size() == 2);
  CHECK(describe(*books, l[0]) == "INV-3 paid by GAMMA with PAY-2");
  CHECK(describe(*books, l[1]) == "INV-3 no longer paid by GAMMA with PAY-2");
  CHECK(beta->sections[0].closing == 1000);
}

TEST_CASE("a reversal without an amount reverses what was left") {
  TempBooks b;
  add_facts(b);
  // PAY-1 is taken off INV-1, 10.00 of it refunded, the rest returned.
  b.add("allocations.csv", "2026-01-28,PAY-1,INV-1,-60.00,\n");
  b.add("adjustments.csv",
        "ADJ-1,2026-01-29,refund,ACME,,PAY-1,10.00,USD,,\n"
        "ADJ-2,2026-01-30,reversal,ACME,,PAY-1,,USD,check returned,\n");
  const auto books = b.open();
  const auto st = make_statement(*books, *books->find_customer("ACME"),
                                 day("2026-01-26"), day("2026-01-31"), {});
  REQUIRE(st);
  const auto& lines = st->sections[0].lines;
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].entry == StatementEntry::refund);
  CHECK(lines[1].entry == StatementEntry::reversal);
  CHECK(lines[1].amount == 5000);
  CHECK(st->sections[0].closing == 10000);
}

TEST_CASE("DSO is 0 when there were sales and nothing is open") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n");
  b.add("payments.csv", "PAY-1,2026-01-20,ACME,100.00,USD,check,,,\n");
  b.add("allocations.csv", "2026-01-20,PAY-1,INV-1,100.00,\n");
  const auto books = b.open();
  const auto r = age(*books, "2026-01-31");
  REQUIRE(r.sections.size() == 1);
  CHECK(r.sections[0].rows.empty());
  const auto& f = r.sections[0].figures;
  CHECK(f.dso_30 == std::optional<std::int64_t>{0});
  CHECK(f.dso_90 == std::optional<std::int64_t>{0});
  CHECK_FALSE(f.weighted_days_past_due);
  CHECK_FALSE(f.over_90_share);
}
