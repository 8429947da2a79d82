#include "arctl/money.hpp"

#include <doctest/doctest.h>

#include <array>
#include <limits>

using namespace arctl;

namespace {

Currency currency(std::string_view code) {
  const auto c = find_currency(code);
  REQUIRE(c.has_value());
  return *c;
}

Money money(std::string_view text, std::string_view code = "USD") {
  const auto m = Money::parse(text, currency(code));
  REQUIRE(m.has_value());
  return *m;
}

Decimal decimal(std::string_view text) {
  const auto d = parse_decimal(text);
  REQUIRE(d.has_value());
  return *d;
}

constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();

} // namespace

TEST_CASE("currencies are found by their ISO 4217 code with their exponent") {
  const std::pair<std::string_view, int> expected[] = {
      {"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"CHF", 2}, {"JPY", 0},
      {"KRW", 0}, {"ISK", 0}, {"VND", 0}, {"XAF", 0}, {"XOF", 0},
      {"XPF", 0}, {"BHD", 3}, {"KWD", 3}, {"JOD", 3}, {"OMR", 3},
      {"TND", 3}, {"LYD", 3}, {"IQD", 3}, {"CLF", 4}, {"UYW", 4},
      {"AED", 2}, {"ZWG", 2}, {"XCG", 2}, {"CLP", 0}, {"UGX", 0}};
  for (const auto &[code, exponent] : expected) {
    CAPTURE(code);
    const auto c = find_currency(code);
    REQUIRE(c.has_value());
    CHECK(c->name() == code);
    CHECK(c->exponent == exponent);
  }
}

TEST_CASE("a currency code must be three upper-case letters arctl knows") {
  for (const std::string_view code :
       {"", "US", "USDX", "usd", "Usd", "US1", "U D", "ABC", "XAU", "XXX",
        "HRK", "ZZZ", "AAA", "[[["})
    CHECK_MESSAGE(!find_currency(code).has_value(), code);
}

TEST_CASE("rounding modes are named half-up and half-even") {
  CHECK(parse_rounding("half-up") == Rounding::half_up);
  CHECK(parse_rounding("half-even") == Rounding::half_even);
  CHECK(!parse_rounding("half_up"));
  CHECK(!parse_rounding("up"));
  CHECK(!parse_rounding(""));
  CHECK(to_string(Rounding::half_up) == "half-up");
  CHECK(to_string(Rounding::half_even) == "half-even");
}

TEST_CASE("an amount is read as integer minor units of its currency") {
  SUBCASE("fewer decimals than the currency has are padded") {
    CHECK(parse_minor_units("100", 2) == 10000);
    CHECK(parse_minor_units("100.5", 2) == 10050);
    CHECK(parse_minor_units("100.05", 2) == 10005);
    CHECK(money("1234.5").minor() == 123450);
  }
  SUBCASE("negative amounts and negative zero") {
    CHECK(parse_minor_units("-0.07", 2) == -7);
    CHECK(parse_minor_units("-12", 2) == -1200);
    CHECK(parse_minor_units("-0", 2) == 0);
    CHECK(parse_minor_units("-0.00", 2) == 0);
  }
  SUBCASE("leading zeros are accepted") {
    CHECK(parse_minor_units("0.50", 2) == 50);
    CHECK(parse_minor_units("007", 2) == 700);
    CHECK(parse_minor_units("00000000000000000000000001", 0) == 1);
  }
  SUBCASE("yen have no minor units") {
    CHECK(money("1250", "JPY").minor() == 1250);
    CHECK(money("-3", "JPY").minor() == -3);
  }
  SUBCASE("dinars have three decimals") {
    CHECK(money("1.5", "BHD").minor() == 1500);
    CHECK(money("0.125", "BHD").minor() == 125);
    CHECK(money("7", "KWD").minor() == 7000);
  }
  SUBCASE("the largest amount that fits") {
    CHECK(parse_minor_units("92233720368547758.07", 2) == k_max);
    CHECK(parse_minor_units("-92233720368547758.07", 2) == -k_max);
    CHECK(parse_minor_units("9223372036854775807", 0) == k_max);
  }
}

TEST_CASE("text that is not a plain decimal is not an amount") {
  for (const std::string_view text :
       {"12.5O", "abc", "-", "--1", "+1", " 1", "1 ", "1,000", "1,000.00",
        "1e3", "1.", ".5", "-.5", "1..2", "1.2.3", "1.-2", "0x10", "١٢"}) {
    CAPTURE(text);
    const auto m = Money::parse(text, currency("USD"));
    REQUIRE(!m.has_value());
    CHECK(m.error().message ==
          "amount \"" + std::string(text) + "\" is not a number");
    CHECK(m.error().hint == "amounts look like 1250.00");
  }
}

TEST_CASE("the hint shows the currency's own number of decimals") {
  CHECK(Money::parse("x", currency("JPY")).error().hint ==
        "amounts look like 1250");
  CHECK(Money::parse("x", currency("BHD")).error().hint ==
        "amounts look like 1250.000");
  CHECK(Money::parse("x", currency("CLF")).error().hint ==
        "amounts look like 1250.0000");
  CHECK(parse_minor_units("x", 2).error().hint == "amounts look like 1250.00");
}

TEST_CASE("an empty amount is refused") {
  CHECK(Money::parse("", currency("USD")).error().message == "amount is empty");
  CHECK(parse_minor_units("", 2).error().message == "amount is empty");
}

TEST_CASE("an amount with more decimals than the currency allows is refused") {
  SUBCASE("Money::parse names the currency") {
    CHECK(Money::parse("12.345", currency("USD")).error().message ==
          "amount \"12.345\" has 3 decimals but USD allows 2");
    CHECK(Money::parse("1.0001", currency("BHD")).error().message ==
          "amount \"1.0001\" has 4 decimals but BHD allows 3");
  }
  SUBCASE("a currency without minor units refuses any decimal") {
    CHECK(Money::parse("100.0", currency("JPY")).error().message ==
          "amount \"100.0\" has 1 decimal but JPY allows 0");
    CHECK(Money::parse("100.", currency("JPY")).error().message ==
          "amount \"100.\" is not a number");
  }
  SUBCASE("parse_minor_units knows only the exponent") {
    CHECK(parse_minor_units("12.345", 2).error().message ==
          "amount \"12.345\" has more than 2 decimals");
    CHECK(parse_minor_units("1.23", 1).error().message ==
          "amount \"1.23\" has more than 1 decimal");
  }
  SUBCASE("junk after the decimals still reads as not a number") {
    CHECK(parse_minor_units("12.345x", 2).error().message ==
          "amount \"12.345x\" is not a number");
  }
}

TEST_CASE("an amount beyond 64-bit minor units is too large") {
  SUBCASE("one minor unit past the limit") {
    const auto m = parse_minor_units("92233720368547758.08", 2);
    REQUIRE(!m);
    CHECK(m.error().message == "amount \"92233720368547758.08\" is too large");
  }
  SUBCASE("the limit overflows only once padded to the currency") {
    CHECK(!parse_minor_units("9223372036854775807", 2));
    CHECK(!parse_minor_units("92233720368547758.1", 2));
  }
  SUBCASE("far too many digits") {
    CHECK(Money::parse("-123456789012345678901234567890", currency("JPY"))
              .error()
              .message ==
          "amount \"-123456789012345678901234567890\" is too large");
  }
  SUBCASE("the most negative 64-bit value is refused too") {
    CHECK(!parse_minor_units("-9223372036854775808", 0));
  }
}

TEST_CASE("amounts are written with exactly the currency's decimals") {
  CHECK(money("1234.5").to_string() == "1234.50");
  CHECK(money("-0.07").to_string() == "-0.07");
  CHECK(money("0").to_string() == "0.00");
  CHECK(money("-3", "JPY").to_string() == "-3");
  CHECK(money("0.125", "BHD").to_string() == "0.125");
  CHECK(money("1", "CLF").to_string() == "1.0000");
  CHECK(format_minor_units(123450, 2) == "1234.50");
  CHECK(format_minor_units(5, 3) == "0.005");
  CHECK(format_minor_units(k_max, 2) == "92233720368547758.07");
  CHECK(format_minor_units(std::numeric_limits<std::int64_t>::min(), 0) ==
        "-9223372036854775808");
}

TEST_CASE("written amounts read back to the same value") {
  for (const std::string_view code : {"USD", "JPY", "BHD", "CLF"}) {
    const auto c = currency(code);
    for (const std::int64_t minor :
         {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{999},
          std::int64_t{-123456789}, k_max, -k_max}) {
      CAPTURE(code);
      CAPTURE(minor);
      const Money m{minor, c};
      CHECK(Money::parse(m.to_string(), c) == m);
    }
  }
}

TEST_CASE("amounts for people group thousands with commas") {
  CHECK(money("-1234.5").to_display() == "-1,234.50");
  CHECK(money("1234567.89").to_display() == "1,234,567.89");
  CHECK(money("123").to_display() == "123.00");
  CHECK(money("999.99").to_display() == "999.99");
  CHECK(money("100000").to_display() == "100,000.00");
  CHECK(money("0.01").to_display() == "0.01");
  CHECK(money("1000000", "JPY").to_display() == "1,000,000");
  CHECK(money("-1234.567", "BHD").to_display() == "-1,234.567");
  CHECK(Money{k_max, currency("JPY")}.to_display() ==
        "9,223,372,036,854,775,807");
}

TEST_CASE("decimals are read as written and compared by value") {
  SUBCASE("the scale is the number of decimals written") {
    const auto d = decimal("1.50");
    CHECK(d.units == 150);
    CHECK(d.scale == 2);
    CHECK(decimal("-0.125").units == -125);
  }
  SUBCASE("equal values at different scales are equal") {
    CHECK(decimal("1.5") == decimal("1.50"));
    CHECK(decimal("2") == decimal("2.000000000"));
    CHECK(decimal("0") == decimal("-0.0"));
    CHECK(decimal("1.5") != decimal("1.05"));
  }
  SUBCASE("ordering crosses scales") {
    CHECK(decimal("1.5") < decimal("1.51"));
    CHECK(decimal("-1.5") < decimal("-1.49"));
    CHECK(decimal("10") > decimal("9.999999999"));
    CHECK((decimal("3.10") <=> decimal("3.1")) == std::strong_ordering::equal);
  }
  SUBCASE("normalized drops trailing zero decimals") {
    const auto n = decimal("1.500").normalized();
    CHECK(n.units == 15);
    CHECK(n.scale == 1);
    CHECK(decimal("0.000").normalized().scale == 0);
    CHECK(decimal("100").normalized().units == 100);
  }
}

TEST_CASE("decimals are written canonically and read back") {
  CHECK(decimal("-1.50").to_string() == "-1.5");
  CHECK(decimal("3.000").to_string() == "3");
  CHECK(decimal("0.125").to_string() == "0.125");
  CHECK(decimal("-0.0").to_string() == "0");
  CHECK(decimal("100").to_string() == "100");
  CHECK(decimal("0.000000001").to_string() == "0.000000001");
  for (const std::string_view text :
       {"0", "1", "-1", "1.5", "-0.007", "123456789.123456789"}) {
    CAPTURE(text);
    CHECK(decimal(text).to_string() == text);
    CHECK(decimal(decimal(text).to_string()) == decimal(text));
  }
}

TEST_CASE("a decimal that cannot be read says what it was meant to be") {
  SUBCASE("junk") {
    const auto d = parse_decimal("x", 9, "quantity");
    REQUIRE(!d);
    CHECK(d.error().message == "quantity \"x\" is not a number");
    CHECK(!d.error().hint.empty());
  }
  SUBCASE("too many decimals") {
    CHECK(parse_decimal("1.0000000001", 9, "rate").error().message ==
          "rate \"1.0000000001\" has more than 9 decimals");
    CHECK(parse_decimal("1.5", 0, "count").error().message ==
          "count \"1.5\" has more than 0 decimals");
    CHECK(parse_decimal("1.0000001", 6, "rate").error().message ==
          "rate \"1.0000001\" has more than 6 decimals");
  }
  SUBCASE("empty") {
    CHECK(parse_decimal("", 9, "unit price").error().message ==
          "unit price is empty");
  }
  SUBCASE("too large") {
    CHECK(
        parse_decimal("99999999999999999999", 9, "quantity").error().message ==
        "quantity \"99999999999999999999\" is too large");
    CHECK(!parse_decimal("10.000000000000000000", 18));
    CHECK(parse_decimal("9.000000000000000000", 18).has_value());
  }
  SUBCASE("the default noun is number") {
    CHECK(parse_decimal("1e5").error().message ==
          "number \"1e5\" is not a number");
  }
}

TEST_CASE("rounding a shifted value follows the rounding mode") {
  const auto up = Rounding::half_up;
  const auto even = Rounding::half_even;
  SUBCASE("below and above a half") {
    CHECK(round_shift(1249, 2, up) == 12);
    CHECK(round_shift(1251, 2, up) == 13);
    CHECK(round_shift(-1249, 2, even) == -12);
    CHECK(round_shift(-1251, 2, even) == -13);
  }
  SUBCASE("half-up sends ties away from zero") {
    CHECK(round_shift(125, 1, up) == 13);
    CHECK(round_shift(135, 1, up) == 14);
    CHECK(round_shift(-125, 1, up) == -13);
    CHECK(round_shift(-135, 1, up) == -14);
    CHECK(round_shift(5, 1, up) == 1);
    CHECK(round_shift(-5, 1, up) == -1);
  }
  SUBCASE("half-even sends ties to the even neighbour") {
    CHECK(round_shift(125, 1, even) == 12);
    CHECK(round_shift(135, 1, even) == 14);
    CHECK(round_shift(-125, 1, even) == -12);
    CHECK(round_shift(-135, 1, even) == -14);
    CHECK(round_shift(5, 1, even) == 0);
    CHECK(round_shift(15, 1, even) == 2);
    CHECK(round_shift(-5, 1, even) == 0);
  }
  SUBCASE("a shift of zero digits changes nothing") {
    CHECK(round_shift(-7, 0, up) == -7);
  }
  SUBCASE("the widest shift compares the remainder without overflow") {
    const __int128 ten38 = [] {
      __int128 p = 1;
      for (int i = 0; i < 38; ++i)
        p *= 10;
      return p;
    }();
    CHECK(round_shift(ten38 / 2, 38, up) == 1);
    CHECK(round_shift(ten38 / 2, 38, even) == 0);
    CHECK(round_shift(ten38 / 2 - 1, 38, up) == 0);
    CHECK(round_shift(ten38 - 1, 38, even) == 1);
    CHECK(round_shift(-(ten38 - 1), 38, up) == -1);
  }
}

TEST_CASE("quantity times unit price is rounded to the currency") {
  const auto usd = currency("USD");
  const auto up = Rounding::half_up;
  const auto even = Rounding::half_even;
  SUBCASE("an exact product") {
    CHECK(extend(decimal("3"), decimal("19.99"), usd, up) == money("59.97"));
    CHECK(extend(decimal("0.5"), decimal("10"), usd, up) == money("5"));
  }
  SUBCASE("a tie rounds as asked") {
    // 2.5 × 0.25 = 0.625
    CHECK(extend(decimal("2.5"), decimal("0.25"), usd, up) == money("0.63"));
    CHECK(extend(decimal("2.5"), decimal("0.25"), usd, even) == money("0.62"));
    CHECK(extend(decimal("-2.5"), decimal("0.25"), usd, up) == money("-0.63"));
    CHECK(extend(decimal("-2.5"), decimal("0.25"), usd, even) ==
          money("-0.62"));
  }
  SUBCASE("a product with fewer decimals than the currency is scaled up") {
    CHECK(extend(decimal("2"), decimal("3"), currency("BHD"), up) ==
          money("6", "BHD"));
    CHECK(extend(decimal("1.5"), decimal("2"), currency("CLF"), up)->minor() ==
          30000);
  }
  SUBCASE("yen round to whole units") {
    CHECK(extend(decimal("3"), decimal("33.5"), currency("JPY"), up) ==
          money("101", "JPY"));
    CHECK(extend(decimal("1"), decimal("0.5"), currency("JPY"), even) ==
          money("0", "JPY"));
  }
  SUBCASE("a product beyond 64-bit minor units is an overflow") {
    CHECK(!extend(decimal("9223372036854775807"),
                  decimal("9223372036854775807"), usd, up));
    CHECK(!extend(decimal("92233720368547759"), decimal("1"), usd, up));
    CHECK(
        extend(decimal("92233720368547758"), decimal("1"), usd, up)->minor() ==
        9223372036854775800);
    CHECK(!extend(decimal("9223372036854775807"), decimal("1"), currency("BHD"),
                  up));
  }
}

TEST_CASE("a percent of an amount is rounded as asked") {
  const auto up = Rounding::half_up;
  const auto even = Rounding::half_even;
  CHECK(percent_of(money("100"), decimal("20"), up) == money("20"));
  CHECK(percent_of(money("19.99"), decimal("7.5"), up) == money("1.50"));
  SUBCASE("ties") {
    // 0.25 × 10% = 0.025
    CHECK(percent_of(money("0.25"), decimal("10"), up) == money("0.03"));
    CHECK(percent_of(money("0.25"), decimal("10"), even) == money("0.02"));
    CHECK(percent_of(money("-0.25"), decimal("10"), up) == money("-0.03"));
    CHECK(percent_of(money("-0.25"), decimal("10"), even) == money("-0.02"));
    // 0.35 × 10% = 0.035: even neighbour is up
    CHECK(percent_of(money("0.35"), decimal("10"), even) == money("0.04"));
  }
  SUBCASE("keeps the currency") {
    CHECK(percent_of(money("1000", "JPY"), decimal("8"), up) ==
          money("80", "JPY"));
  }
  SUBCASE("overflow") {
    CHECK(!percent_of(Money{k_max, currency("USD")}, decimal("200"), up));
    CHECK(percent_of(Money{k_max, currency("USD")}, decimal("100"), up) ==
          Money{k_max, currency("USD")});
  }
}

TEST_CASE("the tax included in a gross amount is found exactly") {
  const auto up = Rounding::half_up;
  const auto even = Rounding::half_even;
  CHECK(included_tax(money("120"), decimal("20"), up) == money("20"));
  // 100 × 19 / 119 = 15.966...
  CHECK(included_tax(money("100"), decimal("19"), up) == money("15.97"));
  CHECK(included_tax(money("-100"), decimal("19"), up) == money("-15.97"));
  CHECK(included_tax(money("0"), decimal("19"), up) == money("0"));
  SUBCASE("ties") {
    // 0.21 × 20 / 120 = 0.035
    CHECK(included_tax(money("0.21"), decimal("20"), up) == money("0.04"));
    CHECK(included_tax(money("0.21"), decimal("20"), even) == money("0.04"));
    // 0.15 × 50 / 150 = 0.05 exactly
    CHECK(included_tax(money("0.15"), decimal("50"), even) == money("0.05"));
    // 0.45 × 20 / 120 = 0.075
    CHECK(included_tax(money("0.45"), decimal("20"), up) == money("0.08"));
    CHECK(included_tax(money("0.45"), decimal("20"), even) == money("0.08"));
    // 0.27 × 20 / 120 = 0.045
    CHECK(included_tax(money("0.27"), decimal("20"), up) == money("0.05"));
    CHECK(included_tax(money("0.27"), decimal("20"), even) == money("0.04"));
    CHECK(included_tax(money("-0.27"), decimal("20"), up) == money("-0.05"));
    CHECK(included_tax(money("-0.27"), decimal("20"), even) == money("-0.04"));
  }
  SUBCASE("a fractional rate") {
    // 107.7 × 7.7 / 107.7 = 7.7
    CHECK(included_tax(money("107.70"), decimal("7.7"), up) == money("7.70"));
  }
  SUBCASE("the largest gross does not overflow the intermediate") {
    const Money big{k_max, currency("USD")};
    CHECK(included_tax(big, decimal("0.000000001"), up).has_value());
    CHECK(included_tax(big, decimal("99.999999999"), up).has_value());
  }
}

TEST_CASE("checked addition refuses overflow and mixed currencies") {
  const auto usd = currency("USD");
  CHECK(add(money("1.10"), money("2.20")) == money("3.30"));
  CHECK(subtract(money("1.10"), money("2.20")) == money("-1.10"));
  CHECK(!add(money("1"), money("1", "EUR")));
  CHECK(!subtract(money("1"), money("1", "EUR")));
  CHECK(!add(Money{k_max, usd}, Money{1, usd}));
  CHECK(!subtract(Money{-k_max, usd}, Money{1, usd}));
  CHECK(add(Money{k_max, usd}, Money{-1, usd}) == Money{k_max - 1, usd});
  CHECK(negate(money("-5")) == money("5"));
  CHECK(negate(Money{-k_max, usd}) == Money{k_max, usd});
}

TEST_CASE("an allocation adds up to the total exactly") {
  const auto usd = currency("USD");
  SUBCASE("the leftover cent goes to the earliest of equal remainders") {
    const std::array<std::int64_t, 3> w{1, 1, 1};
    const auto parts = allocate(money("100"), w);
    REQUIRE(parts.size() == 3);
    CHECK(parts[0] == money("33.34"));
    CHECK(parts[1] == money("33.33"));
    CHECK(parts[2] == money("33.33"));
  }
  SUBCASE("a negative total splits as the mirror image") {
    const std::array<std::int64_t, 3> w{1, 1, 1};
    const auto parts = allocate(money("-100"), w);
    REQUIRE(parts.size() == 3);
    CHECK(parts[0] == money("-33.34"));
    CHECK(parts[1] == money("-33.33"));
    CHECK(parts[2] == money("-33.33"));
  }
  SUBCASE("leftovers go to the largest remainders") {
    // 0.10 by 3:3:4 splits exactly: no leftover.
    const std::array<std::int64_t, 3> w{3, 3, 4};
    const auto parts = allocate(Money{10, usd}, w);
    CHECK(parts == std::vector<Money>{{3, usd}, {3, usd}, {4, usd}});
    // 10 by 1:1:1:3 = 1.67, 1.67, 1.67, 5: remainders .666 each for the
    // first three, .0 for the last; two leftover units.
    const std::array<std::int64_t, 4> w2{1, 1, 1, 3};
    const auto p2 = allocate(Money{10, usd}, w2);
    CHECK(p2 == std::vector<Money>{{2, usd}, {2, usd}, {1, usd}, {5, usd}});
    // 7 by 1:2 = 2.33 and 4.67: the larger remainder is the second.
    const std::array<std::int64_t, 2> w3{1, 2};
    CHECK(allocate(Money{7, usd}, w3) ==
          std::vector<Money>{{2, usd}, {5, usd}});
  }
  SUBCASE("zero weights get nothing") {
    const std::array<std::int64_t, 3> w{0, 1, 0};
    CHECK(allocate(money("5"), w) ==
          std::vector<Money>{money("0"), money("5"), money("0")});
  }
  SUBCASE("large totals and weights stay exact") {
    const std::array<std::int64_t, 3> w{k_max, k_max, 1};
    const auto parts = allocate(Money{k_max, usd}, w);
    REQUIRE(parts.size() == 3);
    __int128 sum = 0;
    for (const auto &p : parts)
      sum += p.minor();
    CHECK(sum == k_max);
    CHECK(parts[2].minor() <= 1);
  }
  SUBCASE("impossible splits give no parts") {
    CHECK(allocate(money("1"), {}).empty());
    const std::array<std::int64_t, 2> zeros{0, 0};
    CHECK(allocate(money("1"), zeros).empty());
    const std::array<std::int64_t, 2> negative{-1, 2};
    CHECK(allocate(money("1"), negative).empty());
  }
}
