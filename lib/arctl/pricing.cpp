#include "arctl/pricing.hpp"

#include <algorithm>
#include <vector>

namespace arctl {

std::optional<Money> tax_of(const TaxCode& code, Money amount,
                            Rounding rounding) {
  return code.inclusive ? included_tax(amount, code.rate, rounding)
                        : percent_of(amount, code.rate, rounding);
}

std::optional<PricedLine> price_line(const Config& config, Currency currency,
                                     Decimal quantity, Decimal unit_price,
                                     Money discount, const TaxCode* code) {
  const auto extended = extend(quantity, unit_price, currency, config.rounding);
  if (!extended)
    return std::nullopt;
  const auto amount = subtract(*extended, discount);
  if (!amount)
    return std::nullopt;
  PricedLine line{*amount, code, Money::zero(currency)};
  if (code && config.tax_rounding == TaxRounding::line) {
    const auto tax = tax_of(*code, *amount, config.rounding);
    if (!tax)
      return std::nullopt;
    line.tax = *tax;
  }
  return line;
}

std::optional<std::vector<TaxBreakdown>>
tax_by_code(const Config& config, Currency currency,
            std::span<const PricedLine> lines) {
  std::vector<TaxBreakdown> out;
  for (const auto& line : lines) {
    if (!line.code)
      continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const TaxBreakdown& t) {
      return t.code == line.code;
    });
    if (it == out.end())
      it = out.insert(out.end(), {line.code, Money::zero(currency),
                                  Money::zero(currency)});
    const auto base = add(it->base, line.amount);
    const auto tax = add(it->tax, line.tax);
    if (!base || !tax)
      return std::nullopt;
    it->base = *base;
    it->tax = *tax;
  }
  if (config.tax_rounding == TaxRounding::invoice)
    for (auto& t : out) {
      const auto tax = tax_of(*t.code, t.base, config.rounding);
      if (!tax)
        return std::nullopt;
      t.tax = *tax;
    }
  return out;
}

std::optional<InvoiceTotals> invoice_totals(const Config& config,
                                            Currency currency,
                                            std::span<const PricedLine> lines) {
  auto sum = Money::zero(currency);
  for (const auto& line : lines) {
    const auto s = add(sum, line.amount);
    if (!s)
      return std::nullopt;
    sum = *s;
  }
  const auto taxes = tax_by_code(config, currency, lines);
  if (!taxes)
    return std::nullopt;
  auto tax = Money::zero(currency), total = sum;
  for (const auto& t : *taxes) {
    const auto all = add(tax, t.tax);
    const auto with = t.code->inclusive ? std::optional(total) : add(total, t.tax);
    if (!all || !with)
      return std::nullopt;
    tax = *all;
    total = *with;
  }
  return InvoiceTotals{*subtract(total, tax), tax, total};
}

} // namespace arctl
