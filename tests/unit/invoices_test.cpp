#include "arctl/invoices.hpp"

#include "temp_books.hpp"

#include <doctest/doctest.h>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {
// INV-1 100.00 due 02-04 partly paid; INV-2 paid in full; INV-3 void;
// INV-4 disputed, due 03-31; INV-5 issued later.
struct Fixture {
  TempBooks b;
  std::unique_ptr<Books> books;
  Fixture() {
    b.add("customers.csv", "ACME,Acme,,,,,,,\nBETA,Beta,,,,,,,\n");
    b.add("invoices.csv",
          "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n"
          "INV-2,ACME,2026-01-06,2026-02-05,USD,,20.00,0.00,20.00,,\n"
          "INV-3,BETA,2026-01-07,2026-02-06,USD,,30.00,0.00,30.00,,\n"
          "INV-4,BETA,2026-03-01,2026-03-31,USD,,40.00,0.00,40.00,,\n"
          "INV-5,BETA,2026-06-01,2026-07-01,USD,,50.00,0.00,50.00,,\n");
    b.add("payments.csv", "PAY-1,2026-01-20,ACME,80.00,USD,,,,\n");
    b.add("allocations.csv", "2026-01-20,PAY-1,INV-1,60.00,\n"
                             "2026-01-20,PAY-1,INV-2,20.00,\n");
    b.add("adjustments.csv", "ADJ-1,2026-01-08,void,BETA,INV-3,,,USD,,\n");
    b.add("events.csv", "2026-03-05,dispute,BETA,INV-4,,wrong price\n");
    books = b.load();
  }
  std::vector<std::string> ids(const InvoiceFilter& f, const char* as_of) {
    std::vector<std::string> out;
    for (const auto& row :
         invoice_list(*books, compute_ledger(*books, day(as_of)), f).rows)
      out.push_back(row[0] + ":" + row[7] + ":" + row[8]);
    return out;
  }
};
} // namespace

TEST_CASE("the invoice list shows every issued invoice with its status") {
  Fixture f;
  CHECK(f.ids({}, "2026-03-10") ==
        std::vector<std::string>{"INV-1:overdue:34", "INV-2:closed:",
                                 "INV-3:void:", "INV-4:open:"});
}

TEST_CASE("the invoice list filters by status, dispute, customer and date") {
  Fixture f;
  InvoiceFilter open;
  open.open = true;
  CHECK(f.ids(open, "2026-03-10") ==
        std::vector<std::string>{"INV-1:overdue:34", "INV-4:open:"});
  InvoiceFilter overdue;
  overdue.overdue = true;
  CHECK(f.ids(overdue, "2026-04-01") ==
        std::vector<std::string>{"INV-1:overdue:56", "INV-4:overdue:1"});
  InvoiceFilter disputed;
  disputed.disputed = true;
  CHECK(f.ids(disputed, "2026-03-10") ==
        std::vector<std::string>{"INV-4:open:"});
  InvoiceFilter beta;
  beta.customers = {1};
  beta.from = day("2026-02-01");
  CHECK(f.ids(beta, "2026-12-31") ==
        std::vector<std::string>{"INV-4:overdue:275", "INV-5:overdue:183"});
}

TEST_CASE("an invoice is due on its due date and overdue the day after") {
  Fixture f;
  InvoiceFilter overdue;
  overdue.overdue = true;
  overdue.customers = {1};
  CHECK(f.ids(overdue, "2026-03-31").empty());
  CHECK(f.ids(overdue, "2026-04-01").size() == 1);
}
