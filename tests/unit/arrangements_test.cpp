#include "arctl/arrangements.hpp"
#include "arctl/check.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "temp_books.hpp"

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

TEST_CASE("instalments are equal and the last one takes the remainder") {
  CHECK(instalment_amounts(100000, 3) ==
        std::vector<std::int64_t>{33333, 33333, 33334});
  CHECK(instalment_amounts(90000, 3) ==
        std::vector<std::int64_t>{30000, 30000, 30000});
  CHECK(instalment_amounts(5, 1) == std::vector<std::int64_t>{5});
}

TEST_CASE("a plan's schedule: due dates one interval apart, equal amounts") {
  Arrangement a;
  a.kind = ArrangementKind::plan;
  a.amount = 100000;
  a.installments = 3;
  a.due = day("2026-01-31");
  a.every = {1, Interval::Unit::months};
  const auto schedule = plan_schedule(a);
  REQUIRE(schedule.size() == 3);
  CHECK(format_date(schedule[1].due) == "2026-02-28");
  CHECK(schedule[2].amount == 33334);
}

namespace {

struct AcmeBooks : TempBooks {
  AcmeBooks() { add("customers.csv", "ACME,Acme Corp,,,,,,,\n"); }
};

} // namespace

TEST_CASE("books made before arrangements.csv read as having none") {
  AcmeBooks b;
  std::filesystem::remove(b.path() / "arrangements.csv");
  CHECK(b.load()->files_read == 10); // arctl.toml and 8 CSV files
  const auto books = b.open();
  CHECK(books->arrangements.empty());
  // The first promise creates the file with its header.
  const auto made = plan_promise(
      *books, {"ACME", "50", day("2026-02-28"), "", day("2026-02-10")});
  REQUIRE(made.has_value());
  b.commit_plan(*made);
  CHECK(b.read("arrangements.csv") ==
        "id,date,kind,customer,currency,amount,due,installments,every,"
        "invoices,note\n"
        "ARR-2026-0001,2026-02-10,promise,ACME,USD,50.00,2026-02-28,,,,\n");
}

TEST_CASE("a promise in a closed period is refused") {
  AcmeBooks b;
  auto config = b.read("arctl.toml");
  config.replace(config.find("# lock_date"), 11, "lock_date");
  b.write("arctl.toml", config);
  const auto books = b.open();
  const auto made = plan_promise(
      *books, {"ACME", "50", day("2026-04-30"), "", day("2026-03-31")});
  REQUIRE_FALSE(made.has_value());
  CHECK(made.error().exit == ExitCode::data);
  CHECK(made.error().message.starts_with("2026-03-31 is in a closed period"));
}
