// arctl statement: a customer's statement of account for a period.
#include "common.hpp"

#include "arctl/customers.hpp"
#include "arctl/statement.hpp"

#include <fmt/format.h>

#include <memory>

namespace arctl::cli {

namespace {

struct StatementOptions {
  std::string customer;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::string format;
};

int run_statement(const GlobalOptions& global, const StatementOptions& o) {
  const auto to = date_or_today("--to", o.to);
  if (!to)
    return static_cast<int>(ExitCode::usage);
  Date from = *to;
  if (o.from) {
    const auto d = date_option("--from", *o.from);
    if (!d)
      return static_cast<int>(ExitCode::usage);
    from = *d;
  } else {
    from = to->year() / to->month() / date::day{1};
  }
  if (*to < from)
    return usage_error("--from", fmt::format("{} is after --to {}",
                                             format_date(from),
                                             format_date(*to)));
  return read_books(global, [&](const Books& books) {
    const auto customer = find_customer_id(books, o.customer);
    if (!customer)
      return report(customer.error());
    AgingBuckets buckets{books.config.aging_basis, books.config.aging_buckets};
    const auto st = make_statement(books, *customer, from, *to, buckets);
    if (!st)
      return report(st.error());
    if (o.format == "csv") {
      print(render(statement_table(books, *st), Format::csv));
      return 0;
    }
    auto doc = render_statement(books, *st,
                                o.format == "html" ? DocumentFormat::html
                                                   : DocumentFormat::text);
    if (!doc)
      return report(doc.error());
    print(*doc);
    return 0;
  });
}

} // namespace

void register_statement(CLI::App& app, const GlobalOptions& global,
                        Commands& commands) {
  auto o = std::make_shared<StatementOptions>();
  auto* sub = app.add_subcommand(
      "statement", "A customer's statement of account: opening balance, the "
                   "period's facts with a running balance, closing balance "
                   "and its aging");
  sub->add_option("CUSTOMER", o->customer, "The customer's id")->required();
  sub->add_option("--from", o->from,
                  "First day of the period (default: the first of --to's "
                  "month)")
      ->option_text("YYYY-MM-DD");
  sub->add_option("--to", o->to, "Last day of the period (default: today)")
      ->option_text("YYYY-MM-DD");
  add_format_option(*sub, o->format, {"text", "html", "csv"});
  commands.push_back(
      {sub, [&global, o] { return run_statement(global, *o); }});
}

} // namespace arctl::cli
