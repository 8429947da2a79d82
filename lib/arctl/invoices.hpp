// Invoices as reports see them: which are open, overdue, disputed or void
// as of a date, listed with their balances.
#pragma once

#include "arctl/books.hpp"
#include "arctl/ledger.hpp"
#include "arctl/report.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace arctl {

// An invoice's status as of the ledger's date.
enum class InvoiceStatus {
  void_,   // cancelled
  closed,  // nothing open: paid, credited, discounted or written off
  open,    // something open, not yet past due
  overdue, // something open and past its due date
};

[[nodiscard]] std::string_view to_string(InvoiceStatus s);
[[nodiscard]] InvoiceStatus invoice_status(const Books& books,
                                           const Ledger& ledger,
                                           std::uint32_t invoice);

// Which invoices a list shows. Only invoices issued by the ledger's date
// are ever listed.
struct InvoiceFilter {
  std::vector<std::uint32_t> customers; // empty: all customers
  bool open = false;     // open or overdue only
  bool overdue = false;  // overdue only
  bool disputed = false; // disputed only
  std::optional<Date> from, to; // issue dates, inclusive
};

// The invoice list, in the order of invoices.csv. Columns: invoice,
// customer, date, due, currency, total, open, status, days_past_due (empty
// unless overdue), disputed (yes or empty).
[[nodiscard]] TableData invoice_list(const Books& books, const Ledger& ledger,
                                     const InvoiceFilter& filter);

} // namespace arctl
