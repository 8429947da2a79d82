// Using arctl's library from another program: read the books, find what
// each customer owes as of a date. Build: the arctl-example-balances target.
//
//   arctl-example-balances BOOKS_DIR YYYY-MM-DD
#include "arctl/check.hpp"
#include "arctl/ledger.hpp"

#include <fmt/format.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s BOOKS_DIR YYYY-MM-DD\n", argv[0]);
    return 64;
  }
  const auto as_of = arctl::parse_date(argv[2]);
  if (!as_of) {
    std::fprintf(stderr, "%s\n", as_of.error().message.c_str());
    return 64;
  }
  // open_books refuses books that `arctl check` would reject.
  auto books = arctl::open_books(arctl::BooksDir{argv[1], ""}, {});
  if (!books) {
    std::fprintf(stderr, "%s\n", books.error().message.c_str());
    return static_cast<int>(books.error().exit);
  }
  const auto ledger = arctl::compute_ledger(**books, *as_of);
  for (std::uint32_t c = 0; c < (*books)->customers.size(); ++c)
    for (const auto& p : arctl::customer_position(**books, ledger, c))
      if (p.open != 0 || p.unapplied != 0)
        fmt::print("{:<10} {} {:>12} open {:>10} unapplied\n",
                   (*books)->customers[c].id, p.currency.name(),
                   arctl::format_minor_units(p.open, p.currency.exponent),
                   arctl::format_minor_units(p.unapplied, p.currency.exponent));
  return 0;
}
