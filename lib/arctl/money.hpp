// Exact decimal numbers and money: integer minor units plus an ISO 4217
// currency. No floating point anywhere; every operation that could overflow
// says so instead of wrapping.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// Why a piece of text is not a valid value, in words for a person.
struct ParseError {
  std::string message; // e.g. `amount "12.5O" is not a number`
  std::string hint;    // e.g. `amounts look like 1250.00`; may be empty
};

// An ISO 4217 currency: its alphabetic code and the number of decimals of
// its minor unit (JPY 0, USD 2, BHD 3).
struct Currency {
  std::array<char, 3> code{};
  std::uint8_t exponent = 2;

  [[nodiscard]] std::string_view name() const {
    return {code.data(), code.size()};
  }
  friend bool operator==(const Currency&, const Currency&) = default;
};

// The currency with this code, if arctl knows it (the active ISO 4217 list).
[[nodiscard]] std::optional<Currency> find_currency(std::string_view code);

// How a value that falls between two representable ones is rounded.
enum class Rounding {
  half_up,   // ties away from zero: commercial rounding, most tax rules
  half_even, // ties to the even neighbour: banker's rounding
};

// Parses "half-up" / "half-even".
[[nodiscard]] std::optional<Rounding> parse_rounding(std::string_view text);
[[nodiscard]] std::string_view to_string(Rounding r);

// An exact decimal number: units × 10^-scale. Used for quantities, unit
// prices and rates, whose precision is not a currency's.
struct Decimal {
  std::int64_t units = 0;
  int scale = 0; // 0..18

  // The same value with trailing zero decimals removed (1.50 -> 1.5).
  [[nodiscard]] Decimal normalized() const;
  // Canonical text: "-1.5", "3", "0.125".
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] bool is_zero() const { return units == 0; }
  [[nodiscard]] bool is_negative() const { return units < 0; }
  // Value comparison regardless of scale (1.5 == 1.50).
  friend bool operator==(const Decimal& a, const Decimal& b);
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
};

// Parses a plain decimal: optional '-', digits, optional '.' and at most
// `max_scale` decimals. No '+', exponent, spaces or thousands separators.
// `what` names the value in messages ("quantity", "rate").
[[nodiscard]] std::expected<Decimal, ParseError>
parse_decimal(std::string_view text, int max_scale = 9,
              std::string_view what = "number");

// An amount of money in one currency, held as integer minor units.
class Money {
public:
  constexpr Money() = default;
  constexpr Money(std::int64_t minor, Currency currency)
      : m_minor(minor), m_currency(currency) {}

  [[nodiscard]] static constexpr Money zero(Currency c) { return {0, c}; }

  // Parses "1234.5" or "-0.07" in `currency`: at most the currency's minor
  // units of decimals (fewer are padded), no thousands separators.
  [[nodiscard]] static std::expected<Money, ParseError>
  parse(std::string_view text, Currency currency);

  [[nodiscard]] constexpr std::int64_t minor() const { return m_minor; }
  [[nodiscard]] constexpr Currency currency() const { return m_currency; }
  [[nodiscard]] constexpr bool is_zero() const { return m_minor == 0; }
  [[nodiscard]] constexpr bool is_negative() const { return m_minor < 0; }

  // Exactly the currency's decimals, '.' separator: "1234.50", "-3", "0.125".
  [[nodiscard]] std::string to_string() const;
  // For people: thousands grouped with ',': "1,234.50".
  [[nodiscard]] std::string to_display() const;

  friend constexpr bool operator==(const Money&, const Money&) = default;

private:
  std::int64_t m_minor = 0;
  Currency m_currency{};
};

// Parses an amount straight to minor units for `exponent` decimals; the hot
// path of reading books. Same rules as Money::parse.
[[nodiscard]] std::expected<std::int64_t, ParseError>
parse_minor_units(std::string_view text, int exponent);

// Formats minor units with `exponent` decimals ("1234.50").
[[nodiscard]] std::string format_minor_units(std::int64_t minor, int exponent);

// Checked arithmetic: nullopt on overflow or when the currencies differ.
[[nodiscard]] std::optional<Money> add(Money a, Money b);
[[nodiscard]] std::optional<Money> subtract(Money a, Money b);
[[nodiscard]] Money negate(Money a);

// quantity × unit price, rounded to the currency's minor units.
[[nodiscard]] std::optional<Money> extend(Decimal quantity, Decimal unit_price,
                                          Currency currency, Rounding rounding);

// amount × percent / 100, rounded (exclusive tax, early-payment discount).
[[nodiscard]] std::optional<Money> percent_of(Money amount, Decimal percent,
                                              Rounding rounding);

// The tax contained in a gross amount: gross × rate / (100 + rate), rounded
// (tax-inclusive prices).
[[nodiscard]] std::optional<Money> included_tax(Money gross, Decimal percent,
                                                Rounding rounding);

// Splits `total` in proportion to `weights` (all >= 0, not all 0) so that
// the parts add up to `total` exactly: each part is rounded down and the
// leftover minor units go to the largest remainders, ties to the earliest.
[[nodiscard]] std::vector<Money> allocate(Money total,
                                          std::span<const std::int64_t> weights);

// Divides value by 10^digits, rounding as asked. digits in 0..38.
[[nodiscard]] __int128 round_shift(__int128 value, int digits,
                                   Rounding rounding);

} // namespace arctl
