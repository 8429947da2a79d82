// New invoices read from files: a TOML draft (`arctl invoice new --draft`)
// and a CSV import from another system. These readers check only the
// files' structure: which keys and columns exist, the type of each value,
// what is required. The values themselves (amounts, dates, terms, tax
// codes, customers) stay text, each with the Origin of its place in the
// file, and plan_new_invoices checks them against the books, pointing back
// at that place when it refuses one.
//
// The TOML draft, one invoice:
//
//   customer = "ACME"          # required
//   id = "INV-2026-00100"      # optional: else the next number
//   date = 2026-11-23          # optional: a TOML local date or a string
//                              # "2026-11-23"; else today
//   terms = "net 30"           # optional: terms, or due, not both
//   due = 2026-12-23           # optional: a date, as for date
//   tax = "ST"                 # optional: tax code of lines without their own
//   discount = "5%"            # optional: invoice discount, "N%" or an
//                              # amount "25.00"
//   po = "PO-7"                # optional
//   memo = "Thank you"         # optional
//   total = "123.45"           # optional: the total expected, checked
//
//   [[line]]                   # one per line, at least one
//   item = "SKU-1"             # optional
//   description = "Widget"     # optional
//   qty = 3                    # required: a number or a string "3"
//   unit_price = 12.50         # required: a number or a string "12.50"
//   discount = "10%"           # optional: line discount, "N%" or an amount
//   tax = "VAT20"              # optional: "" for an untaxed line even when
//                              # the invoice has a tax code
//   note = "Delivered 11-20"   # optional
//
// Numbers (qty, unit_price, discount, total) may be TOML integers or
// decimals, or strings. TOML parsers hold decimals in binary, so their
// value is never used: the text written in the file is taken as it stands, and
// `unit_price = 12.50` reads as "12.50". Forms that are not plain decimals
// are refused: exponents (1e3), inf and nan, hexadecimal, octal and binary
// integers, and '_' between digits; a leading '+' is dropped. Strings are
// taken as they are. Any other key is an error, as is a value of the wrong
// type. The text is UTF-8; a byte-order mark at the start is skipped.
// Inside """ strings, a line joined to the one before by a line-ending
// backslash cannot start with a letter beyond ASCII (the TOML library
// cannot read it safely); write that letter as an escape such as \u00C9.
//
// The CSV import, any number of invoices: a header row naming the columns,
// in any order, then one row per invoice line. The rows of one invoice
// share its id in `invoice` and are consecutive.
//
//   invoice           required: the invoice's id
//   customer          required on an invoice's first row
//   date, due, terms  as in the draft (dates as text); terms excludes due
//   po, memo          as in the draft
//   tax               the tax code of the invoice's lines without their own
//   invoice_discount  the invoice discount: "N%" or an amount
//   total             the total the other system had; checked
//   item, description, note   the line's
//   qty, unit_price   the line's quantity and unit price
//   discount          the line discount: "N%" or an amount
//   tax_code          the line's own tax code
//   amount            a line of quantity 1 at this price; excludes qty and
//                     unit_price
//
// The columns from customer to total are the invoice's: they are read from
// its first row, and a later row of the invoice may leave them empty or
// repeat the same value. An empty cell is a value not given. Every line
// needs qty and unit_price, or amount. Unknown or repeated columns are
// errors. Line endings may be LF or CRLF; a byte-order mark is skipped.
//
// Each value's Origin is its place in the file: line, byte column, the text
// of that line, and how many bytes the value takes there (a string's
// quotes included). A value not given gets the place of its [[line]] or
// row, or, for the invoice, the start of the draft or the invoice's first
// row (and the empty cell when its column exists). The draft as a whole is
// at line 1, column 1 of a TOML draft, or at its first row in an import; a
// line as a whole at its [[line]] header, or at its row.
//
// Both readers report every problem they find, not only the first: one
// Error with ExitCode::data, a message such as "draft.toml: 2 problems",
// and a Diagnostic for each problem, in the order of the file.
#pragma once

#include "arctl/error.hpp"
#include "arctl/invoicing.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// A draft invoice from TOML text; `file` names it in diagnostics
// ("draft.toml" or "<stdin>").
[[nodiscard]] Result<InvoiceDraft> parse_invoice_draft(std::string_view text,
                                                       const std::string& file);

// Invoices to import from CSV text, one draft per invoice, in file order.
// Text with a header row and no invoice rows is an error too: an import
// that imports nothing is a mistake in what was given.
[[nodiscard]] Result<std::vector<InvoiceDraft>>
parse_invoice_import(std::string_view text, const std::string& file);

} // namespace arctl
