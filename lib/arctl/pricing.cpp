#include "arctl/pricing.hpp"

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

std::optional<InvoiceTotals> invoice_totals(const Config& config,
                                            Currency currency,
                                            std::span<const PricedLine> lines) {
  auto sum = Money::zero(currency), tax = Money::zero(currency),
       exclusive = Money::zero(currency);
  // With tax rounded per invoice: each code's lines summed first.
  std::vector<std::pair<const TaxCode*, Money>> bases;
  for (const auto& line : lines) {
    auto s = add(sum, line.amount);
    if (!s)
      return std::nullopt;
    sum = *s;
    if (!line.code)
      continue;
    if (config.tax_rounding == TaxRounding::line) {
      auto t = add(tax, line.tax);
      auto e = line.code->inclusive ? std::optional(exclusive)
                                    : add(exclusive, line.tax);
      if (!t || !e)
        return std::nullopt;
      tax = *t;
      exclusive = *e;
      continue;
    }
    auto it = bases.begin();
    while (it != bases.end() && it->first != line.code)
      ++it;
    if (it == bases.end())
      bases.emplace_back(line.code, line.amount);
    else if (auto b = add(it->second, line.amount))
      it->second = *b;
    else
      return std::nullopt;
  }
  for (const auto& [code, base] : bases) {
    const auto t = tax_of(*code, base, config.rounding);
    if (!t)
      return std::nullopt;
    tax = *add(tax, *t);
    if (!code->inclusive)
      exclusive = *add(exclusive, *t);
  }
  const auto total = add(sum, exclusive);
  if (!total)
    return std::nullopt;
  return InvoiceTotals{*subtract(*total, tax), tax, *total};
}

} // namespace arctl
