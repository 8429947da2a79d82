#include "arctl/pricing.hpp"

#include <doctest/doctest.h>

using namespace arctl;

namespace {

Config config_with(TaxRounding tax_rounding, Rounding rounding) {
  Config c;
  c.tax_rounding = tax_rounding;
  c.rounding = rounding;
  c.tax_codes = {{"ST", Decimal{825, 2}, false, "sales tax", 1},
                 {"VAT20", Decimal{20, 0}, true, "VAT included", 2}};
  return c;
}

Money usd(std::int64_t minor) { return {minor, *find_currency("USD")}; }

} // namespace

TEST_CASE("a line is quantity times price, rounded, less its discount") {
  const auto c = config_with(TaxRounding::line, Rounding::half_up);
  const auto line = price_line(c, usd(0).currency(), Decimal{25, 1},
                               Decimal{3333, 2}, usd(100), nullptr);
  REQUIRE(line);
  CHECK(line->amount == usd(8233)); // 2.5 × 33.33 = 83.325 -> 83.33 - 1.00
  CHECK(line->tax == usd(0));
}

TEST_CASE("exclusive tax is added, inclusive tax is found inside") {
  const auto c = config_with(TaxRounding::line, Rounding::half_up);
  const auto cur = usd(0).currency();
  const auto st = price_line(c, cur, Decimal{1, 0}, Decimal{999, 2}, usd(0),
                             c.find_tax_code("ST"));
  CHECK(st->tax == usd(82)); // 9.99 × 8.25 % = 0.824175
  const auto vat = price_line(c, cur, Decimal{1, 0}, Decimal{12, 0}, usd(0),
                              c.find_tax_code("VAT20"));
  CHECK(vat->tax == usd(200)); // 12.00 × 20/120
  const PricedLine lines[] = {*st, *vat};
  const auto t = invoice_totals(c, cur, lines);
  REQUIRE(t);
  CHECK(t->tax == usd(282));
  CHECK(t->total == usd(999 + 1200 + 82)); // inclusive tax is not added
  CHECK(t->subtotal == usd(999 + 1200 + 82 - 282));
}

TEST_CASE("per-invoice rounding rounds each code's tax once") {
  const auto cur = usd(0).currency();
  for (auto [mode, expected] : {std::pair{TaxRounding::line, 164},
                                std::pair{TaxRounding::invoice, 165}}) {
    const auto c = config_with(mode, Rounding::half_up);
    const auto line = price_line(c, cur, Decimal{3, 0}, Decimal{333, 2},
                                 usd(0), c.find_tax_code("ST"));
    const PricedLine lines[] = {*line, *line}; // 2 × 9.99 at 8.25 %
    CHECK(invoice_totals(c, cur, lines)->tax == usd(expected));
  }
}

TEST_CASE("half-even and half-up differ only on ties") {
  const auto cur = usd(0).currency();
  // 0.5 × 0.25 = 0.125: a tie.
  const auto up = price_line(config_with(TaxRounding::line, Rounding::half_up),
                             cur, Decimal{5, 1}, Decimal{25, 2}, usd(0), nullptr);
  const auto even =
      price_line(config_with(TaxRounding::line, Rounding::half_even), cur,
                 Decimal{5, 1}, Decimal{25, 2}, usd(0), nullptr);
  CHECK(up->amount == usd(13));
  CHECK(even->amount == usd(12));
}

TEST_CASE("currencies with no or three decimals are priced in their units") {
  const auto c = config_with(TaxRounding::line, Rounding::half_up);
  const auto jpy = *find_currency("JPY");
  const auto bhd = *find_currency("BHD");
  CHECK(price_line(c, jpy, Decimal{3, 0}, Decimal{3335, 1}, Money::zero(jpy),
                   c.find_tax_code("ST"))
            ->tax.minor() == 83); // 1001 (1000.5 up) × 8.25 % = 82.58
  CHECK(price_line(c, bhd, Decimal{1, 0}, Decimal{12345, 4}, Money::zero(bhd),
                   nullptr)
            ->amount.minor() == 1235); // 1.2345 -> 1.235 (half up)
}
