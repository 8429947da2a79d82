#include "arctl/numbering.hpp"

#include "temp_books.hpp"

#include <doctest/doctest.h>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

TEST_CASE("numbers are formatted from the pattern") {
  CHECK(format_number("INV-{year}-{seq:05}", 2026, 42) == "INV-2026-00042");
  CHECK(format_number("{seq}", 2026, 7) == "7");
  CHECK(format_number("CM{seq:03}.x", 2026, 1234) == "CM1234.x");
}

TEST_CASE("an id matches a pattern only with its literal text and year") {
  const auto p = "INV-{year}-{seq:05}";
  CHECK(match_number(p, "INV-2026-00042", 2026) == 42u);
  CHECK(match_number(p, "INV-2026-123456", 2026) == 123456u);
  CHECK_FALSE(match_number(p, "INV-2025-00042", 2026));
  CHECK_FALSE(match_number(p, "INV-2026-042", 2026)); // fewer digits
  CHECK_FALSE(match_number(p, "INV-2026-00042a", 2026));
  CHECK_FALSE(match_number(p, "PAY-2026-00042", 2026));
  CHECK(match_number("{seq}-X", "17-X", 2026) == 17u);
}

TEST_CASE("the next number follows the highest in use, void or not") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme Corp,,,,,,,\n");
  b.add("invoices.csv",
        "INV-2026-00007,ACME,2026-01-05,2026-02-04,USD,,1.00,0.00,1.00,,\n"
        "INV-2026-00003,ACME,2026-01-06,2026-02-05,USD,,1.00,0.00,1.00,,\n"
        "INV-2025-00090,ACME,2025-12-30,2026-01-29,USD,,1.00,0.00,1.00,,\n");
  b.add("adjustments.csv",
        "ADJ-1,2026-01-07,void,ACME,INV-2026-00007,,,USD,duplicate,\n");
  const auto loaded = b.load();
  const auto& books = *loaded;
  const auto p = "INV-{year}-{seq:05}";
  CHECK(next_number(books, p, day("2026-03-01")) == "INV-2026-00008");
  CHECK(next_number(books, p, day("2025-12-31")) == "INV-2025-00091");
  CHECK(next_number(books, p, day("2027-01-01")) == "INV-2027-00001");
  CHECK(next_number(books, "PAY-{seq:04}", day("2026-03-01")) ==
        "PAY-0001");
}
