#include "arctl/invoices.hpp"

#include <algorithm>

namespace arctl {

std::string_view to_string(InvoiceStatus s) {
  switch (s) {
  case InvoiceStatus::void_: return "void";
  case InvoiceStatus::closed: return "closed";
  case InvoiceStatus::open: return "open";
  case InvoiceStatus::overdue: return "overdue";
  }
  return {};
}

InvoiceStatus invoice_status(const Books& books, const Ledger& ledger,
                             std::uint32_t invoice) {
  const auto& state = ledger.invoices[invoice];
  if (state.void_)
    return InvoiceStatus::void_;
  if (state.open == 0)
    return InvoiceStatus::closed;
  return books.invoices[invoice].due < ledger.as_of ? InvoiceStatus::overdue
                                                    : InvoiceStatus::open;
}

TableData invoice_list(const Books& books, const Ledger& ledger,
                       const InvoiceFilter& filter) {
  TableData t;
  t.columns = {{"invoice"},          {"customer"},     {"date"},
               {"due"},              {"currency"},     {"total", true},
               {"open", true},       {"status"},       {"days_past_due", true},
               {"disputed"}};
  for (std::uint32_t i = 0; i < books.invoices.size(); ++i) {
    const auto& inv = books.invoices[i];
    const auto& state = ledger.invoices[i];
    if (!state.issued)
      continue;
    if (!filter.customers.empty() &&
        std::find(filter.customers.begin(), filter.customers.end(),
                  inv.customer) == filter.customers.end())
      continue;
    if ((filter.from && inv.date < *filter.from) ||
        (filter.to && inv.date > *filter.to))
      continue;
    const auto status = invoice_status(books, ledger, i);
    const bool is_open =
        status == InvoiceStatus::open || status == InvoiceStatus::overdue;
    if ((filter.open && !is_open) ||
        (filter.overdue && status != InvoiceStatus::overdue) ||
        (filter.disputed && !state.disputed))
      continue;
    const auto exponent = inv.currency.exponent;
    t.rows.push_back(
        {std::string(inv.id), std::string(books.customers[inv.customer].id),
         format_date(inv.date), format_date(inv.due),
         std::string(inv.currency.name()),
         format_minor_units(inv.total, exponent),
         format_minor_units(state.open, exponent),
         std::string(to_string(status)),
         status == InvoiceStatus::overdue
             ? std::to_string(days_between(inv.due, ledger.as_of))
             : std::string(),
         state.disputed ? "yes" : ""});
  }
  return t;
}

} // namespace arctl
