#include "arctl/money.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace arctl {

namespace {

constexpr std::int64_t k_max_minor = std::numeric_limits<std::int64_t>::max();

// ---------------------------------------------------------------------------
// Currencies

struct CurrencyEntry {
  char code[4];
  std::uint8_t exponent;
};

// ISO 4217 list one, alphabetic codes with a minor unit. Funds and metals
// without one (XAU, XDR, XSU, XTS, XXX, ...) are left out: nobody invoices
// in them. ANG is kept while books written before its 2025 replacement by
// XCG are still being read.
constexpr CurrencyEntry k_currencies[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2},
    {"ARS", 2}, {"AUD", 2}, {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2},
    {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
    {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
    {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2},
    {"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2},
    {"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0},
    {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
    {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2},
    {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2},
    {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2},
    {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0},
    {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0},
    {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2},
    {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2},
    {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2},
    {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2},
    {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2},
    {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2},
    {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2},
    {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2},
    {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2},
    {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2},
    {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2}, {"TWD", 2},
    {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0},
    {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2}, {"VND", 0},
    {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0},
    {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
};

constexpr std::uint8_t k_no_currency = 0xff;
constexpr std::size_t k_code_space = 26 * 26 * 26;

constexpr std::size_t code_index(char a, char b, char c) {
  return (static_cast<std::size_t>(a - 'A') * 26 +
          static_cast<std::size_t>(b - 'A')) *
             26 +
         static_cast<std::size_t>(c - 'A');
}

// Every three-letter code maps straight to its exponent, so the lookup done
// for each row of the books is one bounds check and one load (17.5 kB of
// read-only data).
constexpr auto k_exponent_by_code = [] {
  std::array<std::uint8_t, k_code_space> table{};
  table.fill(k_no_currency);
  for (const auto &e : k_currencies) {
    auto &slot = table[code_index(e.code[0], e.code[1], e.code[2])];
    if (slot != k_no_currency)
      throw std::logic_error("duplicate currency code");
    slot = e.exponent;
  }
  return table;
}();

constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ---------------------------------------------------------------------------
// Powers of ten

constexpr auto k_pow10 = [] {
  std::array<__int128, 39> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i)
    p[i] = p[i - 1] * 10;
  return p;
}();

constexpr std::array<std::uint64_t, 20> k_pow10_u64 = [] {
  std::array<std::uint64_t, 20> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i)
    p[i] = p[i - 1] * 10;
  return p;
}();

constexpr int k_max_scale = 18;

// 10^n for n in 0..38; out-of-contract n is clamped so a hand-built value
// with a bad scale gives a wrong answer rather than undefined behaviour.
constexpr __int128 pow10(int n) {
  return k_pow10[static_cast<std::size_t>(std::clamp(n, 0, 38))];
}

constexpr bool valid_scale(int scale) {
  return scale >= 0 && scale <= k_max_scale;
}

constexpr std::optional<std::int64_t> to_minor(__int128 v) {
  // The range is kept symmetric (INT64_MIN is refused) so that negating a
  // checked result can never overflow.
  if (v > k_max_minor || v < -k_max_minor)
    return std::nullopt;
  return static_cast<std::int64_t>(v);
}

constexpr unsigned __int128 magnitude(__int128 v) {
  return v < 0 ? -static_cast<unsigned __int128>(v)
               : static_cast<unsigned __int128>(v);
}

// num / den rounded as asked; den > 0. The remainder is compared with what
// is left of the divisor (rem vs den - rem) instead of 2 * rem vs den, which
// could overflow for divisors near 10^38.
constexpr __int128 divide_rounded(__int128 num, __int128 den,
                                  Rounding rounding) {
  __int128 q = num / den;
  const __int128 r = num % den; // same sign as num
  if (r == 0)
    return q;
  const __int128 rem = r < 0 ? -r : r;
  const __int128 rest = den - rem;
  bool away = rem > rest;
  if (rem == rest)
    away = rounding == Rounding::half_up || (q % 2 != 0);
  if (away)
    q += num < 0 ? -1 : 1;
  return q;
}

// ---------------------------------------------------------------------------
// Parsing

enum class ScanStatus { ok, empty, junk, too_many_decimals, too_large };

struct Scan {
  std::int64_t value = 0;
  ScanStatus status = ScanStatus::ok;
  int decimals = 0; // digits written after the '.'
};

// One pass over "-?[0-9]+(\.[0-9]+)?". With `pad`, the value is scaled to
// exactly `max_decimals` decimals (minor units); otherwise it is the digits
// as written, at scale `decimals`. Allocates nothing.
constexpr Scan scan_fixed(std::string_view text, int max_decimals, bool pad) {
  Scan s;
  const char *p = text.data();
  const char *const end = p + text.size();
  if (p == end) {
    s.status = ScanStatus::empty;
    return s;
  }
  const bool negative = *p == '-';
  if (negative)
    ++p;

  std::uint64_t acc = 0;
  bool overflow = false;
  const char *const int_begin = p;
  for (; p != end && is_digit(*p); ++p) {
    overflow |= __builtin_mul_overflow(acc, 10u, &acc);
    overflow |=
        __builtin_add_overflow(acc, static_cast<std::uint64_t>(*p - '0'), &acc);
  }
  if (p == int_begin) {
    s.status = ScanStatus::junk;
    return s;
  }
  if (p != end) {
    if (*p != '.') {
      s.status = ScanStatus::junk;
      return s;
    }
    ++p;
    const char *const frac_begin = p;
    for (; p != end && is_digit(*p); ++p) {
      overflow |= __builtin_mul_overflow(acc, 10u, &acc);
      overflow |= __builtin_add_overflow(
          acc, static_cast<std::uint64_t>(*p - '0'), &acc);
    }
    if (p == frac_begin || p != end) {
      s.status = ScanStatus::junk;
      return s;
    }
    s.decimals = static_cast<int>(p - frac_begin);
  }
  if (s.decimals > max_decimals) {
    s.status = ScanStatus::too_many_decimals;
    return s;
  }
  if (pad && s.decimals < max_decimals)
    overflow |= __builtin_mul_overflow(
        acc, k_pow10_u64[static_cast<std::size_t>(max_decimals - s.decimals)],
        &acc);
  if (overflow || acc > static_cast<std::uint64_t>(k_max_minor)) {
    s.status = ScanStatus::too_large;
    return s;
  }
  s.value = negative ? -static_cast<std::int64_t>(acc)
                     : static_cast<std::int64_t>(acc);
  return s;
}

std::string decimals_word(int n) {
  return fmt::format("{} decimal{}", n, n == 1 ? "" : "s");
}

std::string amount_hint(int exponent) {
  std::string hint = "amounts look like 1250";
  if (exponent > 0) {
    hint += '.';
    hint.append(static_cast<std::size_t>(exponent), '0');
  }
  return hint;
}

// The message for a failed scan of an amount; `currency` is empty when only
// the exponent is known.
ParseError amount_error(const Scan &s, std::string_view text, int exponent,
                        std::string_view currency) {
  switch (s.status) {
  case ScanStatus::empty:
    return {"amount is empty", amount_hint(exponent)};
  case ScanStatus::too_many_decimals:
    if (currency.empty())
      return {fmt::format("amount \"{}\" has more than {}", text,
                          decimals_word(exponent)),
              amount_hint(exponent)};
    return {fmt::format("amount \"{}\" has {} but {} allows {}", text,
                        decimals_word(s.decimals), currency, exponent),
            amount_hint(exponent)};
  case ScanStatus::too_large:
    return {fmt::format("amount \"{}\" is too large", text), {}};
  case ScanStatus::ok:
  case ScanStatus::junk:
    break;
  }
  return {fmt::format("amount \"{}\" is not a number", text),
          amount_hint(exponent)};
}

// Writes `value` with exactly `exponent` decimals, grouping the whole part
// by thousands when `group` is set.
std::string format_fixed(std::int64_t value, int exponent, bool group) {
  exponent = std::clamp(exponent, 0, k_max_scale);
  const std::uint64_t mag = value < 0 ? 0 - static_cast<std::uint64_t>(value)
                                      : static_cast<std::uint64_t>(value);
  // Digits, least significant first, padded so there is at least one whole
  // digit.
  char digits[24];
  int n = 0;
  for (std::uint64_t m = mag; m != 0; m /= 10)
    digits[n++] = static_cast<char>('0' + m % 10);
  while (n < exponent + 1)
    digits[n++] = '0';

  std::string out;
  out.reserve(static_cast<std::size_t>(n + n / 3 + 2));
  if (value < 0)
    out += '-';
  for (int i = n - 1; i >= exponent; --i) {
    out += digits[i];
    const int left = i - exponent; // whole digits still to write
    if (group && left > 0 && left % 3 == 0)
      out += ',';
  }
  if (exponent > 0) {
    out += '.';
    for (int i = exponent - 1; i >= 0; --i)
      out += digits[i];
  }
  return out;
}

} // namespace

// ---------------------------------------------------------------------------
// Currencies and rounding

std::optional<Currency> find_currency(std::string_view code) {
  if (code.size() != 3 || !is_upper(code[0]) || !is_upper(code[1]) ||
      !is_upper(code[2]))
    return std::nullopt;
  const auto exponent =
      k_exponent_by_code[code_index(code[0], code[1], code[2])];
  if (exponent == k_no_currency)
    return std::nullopt;
  return Currency{{code[0], code[1], code[2]}, exponent};
}

std::optional<Rounding> parse_rounding(std::string_view text) {
  if (text == "half-up")
    return Rounding::half_up;
  if (text == "half-even")
    return Rounding::half_even;
  return std::nullopt;
}

std::string_view to_string(Rounding r) {
  switch (r) {
  case Rounding::half_up:
    return "half-up";
  case Rounding::half_even:
    return "half-even";
  }
  return "half-up";
}

__int128 round_shift(__int128 value, int digits, Rounding rounding) {
  if (digits <= 0)
    return value;
  // |value| < 1.8 × 10^38, so beyond 38 digits everything rounds to 0.
  if (digits > 38)
    return 0;
  return divide_rounded(value, pow10(digits), rounding);
}

// ---------------------------------------------------------------------------
// Decimal

Decimal Decimal::normalized() const {
  Decimal d = *this;
  if (d.units == 0)
    return {0, 0};
  while (d.scale > 0 && d.units % 10 == 0) {
    d.units /= 10;
    --d.scale;
  }
  return d;
}

std::string Decimal::to_string() const {
  const Decimal d = normalized();
  return format_fixed(d.units, d.scale, false);
}

namespace {

// Both values brought to the larger scale; exact for scales 0..18.
std::pair<__int128, __int128> aligned(const Decimal &a, const Decimal &b) {
  const int scale = std::max(a.scale, b.scale);
  return {a.units * pow10(scale - a.scale), b.units * pow10(scale - b.scale)};
}

} // namespace

bool operator==(const Decimal &a, const Decimal &b) {
  const auto [x, y] = aligned(a, b);
  return x == y;
}

std::strong_ordering operator<=>(const Decimal &a, const Decimal &b) {
  const auto [x, y] = aligned(a, b);
  return x <=> y;
}

std::expected<Decimal, ParseError>
parse_decimal(std::string_view text, int max_scale, std::string_view what) {
  max_scale = std::clamp(max_scale, 0, k_max_scale);
  const Scan s = scan_fixed(text, max_scale, false);
  switch (s.status) {
  case ScanStatus::ok:
    return Decimal{s.value, s.decimals};
  case ScanStatus::empty:
    return std::unexpected(ParseError{fmt::format("{} is empty", what), {}});
  case ScanStatus::too_many_decimals:
    return std::unexpected(
        ParseError{fmt::format("{} \"{}\" has more than {}", what, text,
                               decimals_word(max_scale)),
                   {}});
  case ScanStatus::too_large:
    return std::unexpected(
        ParseError{fmt::format("{} \"{}\" is too large", what, text), {}});
  case ScanStatus::junk:
    break;
  }
  return std::unexpected(
      ParseError{fmt::format("{} \"{}\" is not a number", what, text),
                 "numbers look like 12.5 or -0.25"});
}

// ---------------------------------------------------------------------------
// Money

std::expected<std::int64_t, ParseError> parse_minor_units(std::string_view text,
                                                          int exponent) {
  exponent = std::clamp(exponent, 0, k_max_scale);
  const Scan s = scan_fixed(text, exponent, true);
  if (s.status == ScanStatus::ok) [[likely]]
    return s.value;
  return std::unexpected(amount_error(s, text, exponent, {}));
}

std::expected<Money, ParseError> Money::parse(std::string_view text,
                                              Currency currency) {
  const int exponent = std::min<int>(currency.exponent, k_max_scale);
  const Scan s = scan_fixed(text, exponent, true);
  if (s.status == ScanStatus::ok) [[likely]]
    return Money{s.value, currency};
  return std::unexpected(amount_error(s, text, exponent, currency.name()));
}

std::string format_minor_units(std::int64_t minor, int exponent) {
  return format_fixed(minor, exponent, false);
}

std::string Money::to_string() const {
  return format_fixed(m_minor, m_currency.exponent, false);
}

std::string Money::to_display() const {
  return format_fixed(m_minor, m_currency.exponent, true);
}

std::optional<Money> add(Money a, Money b) {
  if (a.currency() != b.currency())
    return std::nullopt;
  const auto sum = to_minor(static_cast<__int128>(a.minor()) + b.minor());
  if (!sum)
    return std::nullopt;
  return Money{*sum, a.currency()};
}

std::optional<Money> subtract(Money a, Money b) {
  if (a.currency() != b.currency())
    return std::nullopt;
  const auto diff = to_minor(static_cast<__int128>(a.minor()) - b.minor());
  if (!diff)
    return std::nullopt;
  return Money{*diff, a.currency()};
}

Money negate(Money a) {
  // Checked results never hold INT64_MIN; a hand-built one saturates rather
  // than overflowing.
  if (a.minor() == std::numeric_limits<std::int64_t>::min())
    return {k_max_minor, a.currency()};
  return {-a.minor(), a.currency()};
}

std::optional<Money> extend(Decimal quantity, Decimal unit_price,
                            Currency currency, Rounding rounding) {
  if (!valid_scale(quantity.scale) || !valid_scale(unit_price.scale))
    return std::nullopt;
  const __int128 product =
      static_cast<__int128>(quantity.units) * unit_price.units;
  const int scale = quantity.scale + unit_price.scale;
  const int exponent = currency.exponent;
  __int128 minor = 0;
  if (scale >= exponent) {
    minor = round_shift(product, scale - exponent, rounding);
  } else {
    // Scaling up only grows the value: anything already beyond int64 stays
    // beyond it, and checking first keeps the multiplication in range.
    if (magnitude(product) > static_cast<unsigned __int128>(k_max_minor))
      return std::nullopt;
    minor = product * pow10(exponent - scale);
  }
  const auto checked = to_minor(minor);
  if (!checked)
    return std::nullopt;
  return Money{*checked, currency};
}

std::optional<Money> percent_of(Money amount, Decimal percent,
                                Rounding rounding) {
  if (!valid_scale(percent.scale))
    return std::nullopt;
  const __int128 product =
      static_cast<__int128>(amount.minor()) * percent.units;
  const auto checked =
      to_minor(round_shift(product, percent.scale + 2, rounding));
  if (!checked)
    return std::nullopt;
  return Money{*checked, amount.currency()};
}

std::optional<Money> included_tax(Money gross, Decimal percent,
                                  Rounding rounding) {
  if (!valid_scale(percent.scale))
    return std::nullopt;
  // gross × p / (100 + p) with p = units / 10^scale, multiplied through by
  // 10^scale so everything stays an integer.
  __int128 num = static_cast<__int128>(gross.minor()) * percent.units;
  __int128 den = 100 * pow10(percent.scale) + percent.units;
  if (den == 0)
    return std::nullopt;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const auto checked = to_minor(divide_rounded(num, den, rounding));
  if (!checked)
    return std::nullopt;
  return Money{*checked, gross.currency()};
}

std::vector<Money> allocate(Money total,
                            std::span<const std::int64_t> weights) {
  __int128 weight_sum = 0;
  for (const auto w : weights) {
    if (w < 0)
      return {};
    weight_sum += w;
  }
  if (weight_sum == 0)
    return {};

  // Split the magnitude and put the sign back, so a negative total (a
  // refund, a reversal) splits as the mirror image of the positive one.
  const bool negative = total.minor() < 0;
  const __int128 whole = magnitude(total.minor());

  std::vector<__int128> shares(weights.size());
  std::vector<__int128> remainders(weights.size());
  __int128 given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const __int128 exact = whole * weights[i];
    shares[i] = exact / weight_sum;
    remainders[i] = exact % weight_sum;
    given += shares[i];
  }

  // Fewer leftover units than parts remain (the remainders are each below
  // the weight sum); they go to the largest remainders, earliest first.
  __int128 leftover = whole - given;
  if (leftover > 0) {
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) {
                       return remainders[a] > remainders[b];
                     });
    for (std::size_t i = 0; leftover > 0; ++i, --leftover)
      ++shares[order[i]];
  }

  std::vector<Money> parts;
  parts.reserve(weights.size());
  for (const auto share : shares) {
    const auto minor = static_cast<std::int64_t>(negative ? -share : share);
    parts.emplace_back(minor, total.currency());
  }
  return parts;
}

} // namespace arctl
