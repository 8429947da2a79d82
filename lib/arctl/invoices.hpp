// Invoices as reports see them: which are open, overdue, disputed or void
// as of a date, listed with their balances.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/ledger.hpp"
#include "arctl/pricing.hpp"
#include "arctl/report.hpp"

#include <optional>
#include <string>
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

// One line of an invoice as invoice-lines.csv holds it.
struct InvoiceLine {
  std::uint32_t number = 0; // the line column
  std::string item, description, note;
  Decimal quantity, unit_price;
  Money discount; // the line's discount (its share of an invoice discount included)
  Money amount;   // quantity × unit price, rounded, less the discount
  const TaxCode* code = nullptr;
  Money tax;      // the line's own tax (zero when tax is rounded per invoice)
  [[nodiscard]] Money gross() const; // amount + discount
};

// The lines of one invoice, in line-number order, read from
// invoice-lines.csv (Books keeps only their sums). The books must be valid.
[[nodiscard]] Result<std::vector<InvoiceLine>>
read_invoice_lines(const Books& books, std::uint32_t invoice);

// One thing that happened to an invoice, for its history.
struct HistoryEntry {
  Date date;
  std::string what;     // issued, payment, credit, unapply, discount,
                        // writeoff, void, dispute, resolve, override
  std::string document; // the payment, credit memo or adjustment, if any
  std::int64_t amount = 0;  // how much it took off the open balance (an
                            // unapply: negative; issued: the total)
  std::int64_t balance = 0; // open after it
  std::string note;         // memo or reason
};

// Everything that happened to an invoice up to the ledger's date, in the
// order the ledger takes it (by date; within a day applications, then
// adjustments, then events, each in file order), with the running balance.
[[nodiscard]] std::vector<HistoryEntry>
invoice_history(const Books& books, const Ledger& ledger,
                std::uint32_t invoice);

// An invoice with all a reader needs: its lines, its tax by code, and its
// standing as of the ledger's date. Views point into the books.
struct InvoiceDocument {
  const Books* books = nullptr;
  std::uint32_t index = 0;
  const Invoice* invoice = nullptr;
  const Customer* customer = nullptr;
  std::vector<InvoiceLine> lines;
  std::vector<TaxBreakdown> taxes;
  Date as_of;
  InvoiceState state; // as of `as_of`
  InvoiceStatus status = InvoiceStatus::open;
  std::vector<HistoryEntry> history;
};

[[nodiscard]] Result<InvoiceDocument>
invoice_document(const Books& books, const Ledger& ledger,
                 std::uint32_t invoice);

// `invoice show`: the invoice's details, its lines with how each amount
// was derived, its tax by code, its totals, and its history with the
// running balance, as text for people (Format::table) or one JSON object
// (Format::json; Format::csv gives the history alone).
[[nodiscard]] std::string show_invoice(const InvoiceDocument& doc,
                                       Format format);

// The index of invoice `id`, or ExitCode::data: unknown invoice "X".
[[nodiscard]] Result<std::uint32_t> find_invoice_id(const Books& books,
                                                    std::string_view id);

// The index of invoice `id`, refusing (ExitCode::data) one dated after
// `date`: nothing can happen to an invoice before it is issued.
[[nodiscard]] Result<std::uint32_t> issued_invoice(const Books& books,
                                                   std::string_view id,
                                                   Date date);

} // namespace arctl
