// `arctl check`: every rule that spans records, on top of what reading the
// books already verifies row by row.
#pragma once

#include "arctl/books.hpp"
#include "arctl/error.hpp"
#include "arctl/ledger.hpp"

#include <cstdint>
#include <vector>

namespace arctl {

struct CheckReport {
  std::vector<Diagnostic> findings; // in file order, then line order
  std::uint64_t records = 0;        // rows read in all files
  std::uint32_t files = 0;          // files read
  std::uint32_t errors = 0;
  std::uint32_t warnings = 0;
};

// Rules across records: invoice totals against their lines, duplicate bank
// transaction ids, and every rule of the ledger's walk in date order
// (compute_ledger: applications beyond what is open or left, voids and
// reversals of documents in use, dispute and hold sequences).
// `books` must have been read with LoadOptions::invoice_lines. The walk
// computes the ledger as of the end of the books; `end`, if given, receives
// it, for a report to use instead of walking again.
[[nodiscard]] std::vector<Diagnostic> check_books(const Books& books,
                                                  Ledger* end = nullptr);

// Reads the books with everything `check` looks at and runs every rule.
// Fails only when the books cannot be found or their arctl.toml cannot be
// read at all; every other problem is a finding.
[[nodiscard]] Result<CheckReport> run_check(const BooksDir& dir,
                                            const ProgressFn& progress);

// Reads the books for a command that works on them (a report, a posting):
// any problem makes it fail with ExitCode::data and every diagnostic, so no
// command works on books that `check` would reject. `end`, if given,
// receives the ledger as of the end of the books (check_books).
[[nodiscard]] Result<std::unique_ptr<Books>>
open_books(const BooksDir& dir, const LoadOptions& options,
           Ledger* end = nullptr);

} // namespace arctl
