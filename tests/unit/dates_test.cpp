#include "arctl/dates.hpp"

#include <doctest/doctest.h>

using namespace arctl;

namespace {

Date day(std::string_view text) {
  const auto d = parse_date(text);
  REQUIRE_MESSAGE(d.has_value(), text);
  return *d;
}

Terms terms(std::string_view text) {
  const auto t = parse_terms(text);
  REQUIRE_MESSAGE(t.has_value(), text);
  return *t;
}

Decimal decimal(std::int64_t units, int scale) { return {units, scale}; }

} // namespace

TEST_CASE("a date is read in strict YYYY-MM-DD form") {
  const auto d = day("2026-03-01");
  CHECK(d == Date{date::year{2026}, date::month{3}, date::day{1}});
  CHECK(day("1900-01-01") ==
        Date{date::year{1900}, date::January, date::day{1}});
  CHECK(day("9999-12-31") ==
        Date{date::year{9999}, date::December, date::day{31}});
}

TEST_CASE("a date in another shape is refused with a hint") {
  for (const std::string_view text :
       {"2026/01/05", "2026-1-05", "2026-01-5", "26-01-05", "2026-01-05 ",
        " 2026-01-05", "2026-01-05T00:00", "20260105", "2026-0a-05",
        "2026-01--5", "+026-01-05", "05-01-2026", "yyyy-mm-dd"}) {
    CAPTURE(text);
    const auto d = parse_date(text);
    REQUIRE(!d);
    CHECK(d.error().message ==
          "date \"" + std::string(text) + "\" is not in YYYY-MM-DD form");
    CHECK(d.error().hint == "dates look like 2026-03-31");
  }
  CHECK(parse_date("").error().message == "date is empty");
}

TEST_CASE("a date must be a real day") {
  for (const std::string_view text :
       {"2026-02-30", "2027-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
        "2026-01-00", "2026-01-32", "2100-02-29"}) {
    CAPTURE(text);
    const auto d = parse_date(text);
    REQUIRE(!d);
    CHECK(d.error().message ==
          "date \"" + std::string(text) + "\" is not a real day");
    CHECK(d.error().hint == "dates look like 2026-03-31");
  }
}

TEST_CASE("leap days exist only in leap years") {
  CHECK(parse_date("2028-02-29").has_value());
  CHECK(parse_date("2000-02-29").has_value());
  CHECK(!parse_date("2027-02-29").has_value());
  CHECK(!parse_date("1900-02-29").has_value());
}

TEST_CASE("a date before 1900 is refused") {
  const auto d = parse_date("1899-12-31");
  REQUIRE(!d);
  CHECK(d.error().message == "date \"1899-12-31\" is before the year 1900");
  CHECK(!parse_date("0000-01-01"));
}

TEST_CASE("dates are written as they are read") {
  for (const std::string_view text :
       {"2026-03-01", "1900-01-01", "9999-12-31", "2028-02-29"})
    CHECK(format_date(day(text)) == text);
}

TEST_CASE("days between dates count across months, years and leap days") {
  CHECK(days_between(day("2026-01-01"), day("2026-01-31")) == 30);
  CHECK(days_between(day("2026-01-31"), day("2026-01-01")) == -30);
  CHECK(days_between(day("2026-03-01"), day("2026-03-01")) == 0);
  CHECK(days_between(day("2028-02-28"), day("2028-03-01")) == 2);
  CHECK(days_between(day("2027-02-28"), day("2027-03-01")) == 1);
  CHECK(days_between(day("2026-01-01"), day("2027-01-01")) == 365);
  CHECK(days_between(day("2028-01-01"), day("2029-01-01")) == 366);
}

TEST_CASE("adding days crosses month ends and leap days") {
  CHECK(add_days(day("2027-01-31"), 30) == day("2027-03-02"));
  CHECK(add_days(day("2028-01-31"), 30) == day("2028-03-01"));
  CHECK(add_days(day("2028-02-28"), 1) == day("2028-02-29"));
  CHECK(add_days(day("2026-12-31"), 1) == day("2027-01-01"));
  CHECK(add_days(day("2026-03-01"), -1) == day("2026-02-28"));
  CHECK(add_days(day("2026-03-01"), 0) == day("2026-03-01"));
}

TEST_CASE("the end of the month knows month lengths and leap years") {
  CHECK(end_of_month(day("2028-02-10")) == day("2028-02-29"));
  CHECK(end_of_month(day("2027-02-10")) == day("2027-02-28"));
  CHECK(end_of_month(day("2026-04-01")) == day("2026-04-30"));
  CHECK(end_of_month(day("2026-12-31")) == day("2026-12-31"));
}

TEST_CASE("net terms are due that many days after issue") {
  const auto t = terms("net 30");
  CHECK(t.net_days == 30);
  CHECK(!t.end_of_month);
  CHECK(!t.discount_percent);
  CHECK(!t.discount_until(day("2026-01-01")));
  SUBCASE("from the last day of January") {
    CHECK(t.due_date(day("2027-01-31")) == day("2027-03-02"));
    CHECK(t.due_date(day("2028-01-31")) == day("2028-03-01"));
  }
  SUBCASE("across the year end") {
    CHECK(terms("net 45").due_date(day("2026-12-15")) == day("2027-01-29"));
  }
}

TEST_CASE("end-of-month terms count from the last day of the issue month") {
  const auto t = terms("net 15 eom");
  CHECK(t.net_days == 15);
  CHECK(t.end_of_month);
  SUBCASE("issued on the last day of January") {
    CHECK(t.due_date(day("2027-01-31")) == day("2027-02-15"));
  }
  SUBCASE("issued in February of a leap year") {
    CHECK(t.due_date(day("2028-02-10")) == day("2028-03-15"));
    CHECK(terms("net 0 eom").due_date(day("2028-02-10")) == day("2028-02-29"));
    CHECK(terms("net 1 eom").due_date(day("2028-02-29")) == day("2028-03-01"));
  }
  SUBCASE("issued in February of a common year") {
    CHECK(t.due_date(day("2027-02-10")) == day("2027-03-15"));
    CHECK(terms("net 0 eom").due_date(day("2027-02-10")) == day("2027-02-28"));
    CHECK(terms("net 1 eom").due_date(day("2027-02-01")) == day("2027-03-01"));
  }
}

TEST_CASE("due on receipt and net 0 are the same terms") {
  const auto receipt = terms("due on receipt");
  CHECK(receipt == terms("net 0"));
  CHECK(receipt.due_date(day("2026-03-31")) == day("2026-03-31"));
  CHECK(terms("net 0").to_string() == "due on receipt");
  CHECK(terms("Due On Receipt") == receipt);
}

TEST_CASE("an early-payment discount has its own window") {
  SUBCASE("2/10 net 30") {
    const auto t = terms("2/10 net 30");
    REQUIRE(t.discount_percent);
    CHECK(*t.discount_percent == decimal(2, 0));
    CHECK(t.discount_days == 10);
    CHECK(t.net_days == 30);
    CHECK(t.discount_until(day("2026-01-25")) == day("2026-02-04"));
    CHECK(t.due_date(day("2026-01-25")) == day("2026-02-24"));
  }
  SUBCASE("a fractional percent") {
    const auto t = terms("1.5/10 net 30");
    REQUIRE(t.discount_percent);
    CHECK(*t.discount_percent == decimal(15, 1));
    CHECK(t.to_string() == "1.5/10 net 30");
  }
  SUBCASE("with end-of-month the window still counts from the issue date") {
    const auto t = terms("2/10 net 30 eom");
    CHECK(t.discount_until(day("2027-01-31")) == day("2027-02-10"));
    CHECK(t.due_date(day("2027-01-31")) == day("2027-03-02"));
  }
  SUBCASE("the window may last as long as the net period") {
    CHECK(terms("2/30 net 30").discount_days == 30);
    CHECK(terms("2/0 net 30").discount_until(day("2026-05-05")) ==
          day("2026-05-05"));
  }
}

TEST_CASE("terms ignore case but not spelling") {
  CHECK(terms("Net 30") == terms("net 30"));
  CHECK(terms("NET 15 EOM") == terms("net 15 eom"));
  CHECK(terms("2/10 NET 30") == terms("2/10 net 30"));
  CHECK(terms("net 030").net_days == 30);
}

TEST_CASE("terms that are not understood are refused with a hint") {
  const std::string hint = "terms look like \"net 30\", \"2/10 net 30\", "
                           "\"net 15 eom\" or \"due on receipt\"";
  SUBCASE("spellings outside the grammar") {
    for (const std::string_view text : {"net thirty", "net30",
                                        "net  30",    " net 30",
                                        "net 30 ",    "net",
                                        "30",         "net 30 days",
                                        "net -5",     "net 1.5",
                                        "n30",        "2/10 net",
                                        "2/10net 30", "2 / 10 net 30",
                                        "2/10 30",    "2/ net 30",
                                        "/10 net 30", "x/10 net 30",
                                        "2/x net 30", "2/10 net 30 eom eom",
                                        "eom",        "net 30 eom x",
                                        "due on",     "due upon receipt",
                                        "cod",        "2/10 net 30 eom x"}) {
      CAPTURE(text);
      const auto t = parse_terms(text);
      REQUIRE(!t);
      CHECK(t.error().message ==
            "terms \"" + std::string(text) + "\" are not understood");
      CHECK(t.error().hint == hint);
    }
  }
  SUBCASE("the message quotes the text as given") {
    CHECK(parse_terms("net thirty").error().message ==
          "terms \"net thirty\" are not understood");
  }
  SUBCASE("empty") {
    CHECK(parse_terms("").error().message == "terms are empty");
  }
  SUBCASE("day counts above ten years") {
    const auto t = parse_terms("net 3651");
    REQUIRE(!t);
    CHECK(t.error().message == "terms \"net 3651\" are not understood");
    CHECK(t.error().hint == "day counts go from 0 to 3650");
    CHECK(terms("net 3650").net_days == 3650);
    CHECK(!parse_terms("net 99999999999999999999"));
    CHECK(!parse_terms("2/4000 net 30"));
  }
  SUBCASE("a discount outside 0 to 100 percent") {
    for (const std::string_view text :
         {"0/10 net 30", "-2/10 net 30", "100/10 net 30", "150/10 net 30"}) {
      CAPTURE(text);
      const auto t = parse_terms(text);
      REQUIRE(!t);
      CHECK(t.error().hint ==
            "the discount is a percent above 0 and below 100");
    }
  }
  SUBCASE("a discount window longer than the net period") {
    const auto t = parse_terms("2/40 net 30");
    REQUIRE(!t);
    CHECK(t.error().hint ==
          "the discount period cannot be longer than the net period");
    CHECK(parse_terms("2/40 net 30 eom").has_value());
  }
}

TEST_CASE("terms are written canonically and read back") {
  for (const std::string_view text :
       {"net 30", "net 15 eom", "due on receipt", "2/10 net 30",
        "1.5/10 net 30", "2/10 net 30 eom", "net 0 eom", "0.25/5 net 60"}) {
    CAPTURE(text);
    const auto t = terms(text);
    CHECK(t.to_string() == text);
    CHECK(terms(t.to_string()) == t);
  }
  CHECK(terms("NET 30").to_string() == "net 30");
  CHECK(terms("2.50/10 net 30").to_string() == "2.5/10 net 30");
  CHECK(terms("net 030").to_string() == "net 30");
}

TEST_CASE("dates are read by a pattern as other programs write them") {
  const auto as = [](const char* text, const char* pattern) {
    auto d = parse_date_as(text, pattern);
    return d ? format_date(*d) : "error: " + d.error().message;
  };
  CHECK(as("07.03.2026", "%d.%m.%Y") == "2026-03-07");
  CHECK(as("7.3.2026", "%d.%m.%Y") == "2026-03-07");
  CHECK(as("12/15/18", "%m/%d/%y") == "2018-12-15");
  CHECK(as("1/5/99", "%m/%d/%y") == "1999-01-05");
  CHECK(as("20260307", "%Y%m%d") == "2026-03-07");
  CHECK(as("100% 2026-03-07", "100%% %Y-%m-%d") == "2026-03-07");
  CHECK(as("31.02.2026", "%d.%m.%Y") == "error: date \"31.02.2026\" is not a "
                                        "real day");
  CHECK(as("07-03-2026", "%d.%m.%Y") ==
        "error: date \"07-03-2026\" does not match the pattern \"%d.%m.%Y\"");
  CHECK(as("07.03.2026 10:00", "%d.%m.%Y").starts_with("error"));
  CHECK(as("07.03.26", "%d.%m.%Y").starts_with("error"));
}

TEST_CASE("a date pattern needs a day, a month and a year of known fields") {
  CHECK_FALSE(date_pattern_problem("%d.%m.%Y"));
  CHECK_FALSE(date_pattern_problem("%m/%d/%y"));
  CHECK(*date_pattern_problem("%d.%m") ==
        "needs a day (%d), a month (%m) and a year (%Y or %y)");
  CHECK(*date_pattern_problem("%d.%b.%Y") ==
        "has an unknown field %b; use %d, %m, %Y, %y or %%");
  CHECK(*date_pattern_problem("%d.%m.%Y%") == "ends in a lone '%'");
}

TEST_CASE("monthly instalments keep their day, clamped to the month's end") {
  const Interval monthly{1, Interval::Unit::months};
  SUBCASE("from the 31st") {
    const auto first = day("2026-01-31");
    CHECK(format_date(step(first, monthly, 1)) == "2026-02-28");
    CHECK(format_date(step(first, monthly, 2)) == "2026-03-31");
    CHECK(format_date(step(first, monthly, 3)) == "2026-04-30");
    CHECK(format_date(step(first, monthly, 12)) == "2027-01-31");
  }
  SUBCASE("in a leap year") {
    CHECK(format_date(step(day("2028-01-30"), monthly, 1)) == "2028-02-29");
  }
  SUBCASE("weeks and days") {
    CHECK(format_date(step(day("2026-12-29"), {2, Interval::Unit::weeks}, 1)) ==
          "2027-01-12");
    CHECK(format_date(step(day("2026-02-20"), {14, Interval::Unit::days}, 2)) ==
          "2026-03-20");
    const Interval quarterly{3, Interval::Unit::months};
    CHECK(format_date(step(day("2026-11-30"), quarterly, 1)) == "2027-02-28");
  }
}

TEST_CASE("intervals are written Nd, Nw or Nm") {
  CHECK(parse_interval("1m")->to_string() == "1m");
  CHECK(parse_interval("14d")->unit == Interval::Unit::days);
  CHECK(parse_interval("2w")->count == 2);
  CHECK(parse_interval("999d").has_value());
  for (const auto* bad : {"", "m", "0m", "1y", "1 m", "1000d", "-1m", "m1"})
    CHECK_FALSE(parse_interval(bad).has_value());
  CHECK(parse_interval("1y").error().message == "interval \"1y\" is not valid");
}
