// arctl invoice: the invoices of the books.
#include "common.hpp"

#include "arctl/customers.hpp"
#include "arctl/invoices.hpp"
#include "arctl/ledger.hpp"

namespace arctl::cli {

namespace {
struct ListOptions {
  std::vector<std::string> customers;
  bool open = false, overdue = false, disputed = false;
  std::optional<std::string> from, to, as_of;
  std::string format;
};
} // namespace

void register_invoice(CLI::App& app, const GlobalOptions& global,
                      Commands& commands) {
  auto* invoice = app.add_subcommand("invoice", "The invoices of the books");
  invoice->require_subcommand(1);

  auto o = std::make_shared<ListOptions>();
  auto* list = invoice->add_subcommand(
      "list", "List invoices with their open amount and status as of a date");
  list->add_option("--customer", o->customers,
                   "Only this customer's invoices (repeatable)")
      ->option_text("ID");
  list->add_flag("--open", o->open, "Only invoices with something open");
  list->add_flag("--overdue", o->overdue,
                 "Only invoices with something open past their due date");
  list->add_flag("--disputed", o->disputed, "Only disputed invoices");
  list->add_option("--from", o->from, "Only invoices issued on or after")
      ->option_text("YYYY-MM-DD");
  list->add_option("--to", o->to, "Only invoices issued on or before")
      ->option_text("YYYY-MM-DD");
  list->add_option("--as-of", o->as_of,
                   "Balances and status as of this date (default: today)")
      ->option_text("YYYY-MM-DD");
  add_format_option(*list, o->format);

  commands.push_back({list, [&global, o] {
    InvoiceFilter filter;
    filter.open = o->open;
    filter.overdue = o->overdue;
    filter.disputed = o->disputed;
    for (auto [option, text, target] :
         {std::tuple{"--from", &o->from, &filter.from},
          std::tuple{"--to", &o->to, &filter.to}})
      if (*text) {
        *target = date_option(option, **text);
        if (!*target)
          return static_cast<int>(ExitCode::usage);
      }
    return read_ledger(global, o->as_of, [&](const Books& books,
                                             const Ledger& ledger) {
      for (const auto& id : o->customers) {
        auto index = find_customer_id(books, id);
        if (!index)
          return report(index.error());
        filter.customers.push_back(*index);
      }
      print(render(invoice_list(books, ledger, filter),
                   *parse_format(o->format)));
      return 0;
    });
  }});
}

} // namespace arctl::cli
