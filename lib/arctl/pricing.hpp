// How an invoice is priced: each line's amount, its tax by tax code, and the
// invoice's totals. One place for the rules, used to create invoices and to
// check the ones in the books.
#pragma once

#include "arctl/config.hpp"
#include "arctl/money.hpp"

#include <optional>
#include <span>
#include <vector>

namespace arctl {

// The tax a code levies on `amount`, rounded to the currency: exclusive
// codes add amount × rate / 100; inclusive codes find the tax contained in
// the amount, amount × rate / (100 + rate). nullopt on overflow.
[[nodiscard]] std::optional<Money> tax_of(const TaxCode& code, Money amount,
                                          Rounding rounding);

// One line, priced. `amount` is quantity × unit price rounded, less the
// line discount (gross of tax for an inclusive code). `tax` is the line's
// own rounded tax when tax is rounded per line, else zero.
struct PricedLine {
  Money amount;
  const TaxCode* code = nullptr;
  Money tax;
};

[[nodiscard]] std::optional<PricedLine>
price_line(const Config& config, Currency currency, Decimal quantity,
           Decimal unit_price, Money discount, const TaxCode* code);

// The tax of one code on an invoice: the sum of its lines' amounts (gross
// for an inclusive code) and its tax, rounded per line or once per invoice
// as configured.
struct TaxBreakdown {
  const TaxCode* code = nullptr;
  Money base;
  Money tax;
};

// One entry per tax code, in the order the codes first appear on the
// lines. nullopt on overflow.
[[nodiscard]] std::optional<std::vector<TaxBreakdown>>
tax_by_code(const Config& config, Currency currency,
            std::span<const PricedLine> lines);

struct InvoiceTotals {
  Money subtotal; // total − tax
  Money tax;
  Money total; // Σ line amounts + exclusive tax
};

// The invoice's totals from its priced lines: the tax is the sum of
// tax_by_code.
[[nodiscard]] std::optional<InvoiceTotals>
invoice_totals(const Config& config, Currency currency,
               std::span<const PricedLine> lines);

} // namespace arctl
