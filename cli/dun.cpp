// arctl dun: the dunning plan as of a date, and why a customer gets no
// notice.
#include "common.hpp"

#include "arctl/customers.hpp"
#include "arctl/dunning.hpp"

#include <memory>

namespace arctl::cli {

namespace {

struct DunOptions {
  std::optional<std::string> as_of;
  std::vector<std::string> customers;
  std::optional<std::string> explain;
  std::string format;
};

int run_dun(const GlobalOptions& global, const DunOptions& o) {
  return read_ledger(global, o.as_of, [&](const Books& books,
                                          const Ledger& ledger) {
    DunningRequest request;
    auto ids = o.customers;
    if (o.explain) {
      ids = {*o.explain};
      request.explain = true;
    }
    for (const auto& id : ids) {
      const auto c = find_customer_id(books, id);
      if (!c)
        return report(c.error());
      request.customers.push_back(*c);
    }
    const auto plan = plan_dunning(books, ledger, request);
    if (o.format == "json")
      print(dunning_json(books, plan));
    else if (o.format == "csv")
      print(render(dunning_table(books, plan), Format::csv));
    else
      print(dunning_text(books, plan));
    return 0;
  });
}

} // namespace

void register_dun(CLI::App& app, const GlobalOptions& global,
                  Commands& commands) {
  auto o = std::make_shared<DunOptions>();
  auto* sub = app.add_subcommand(
      "dun", "The dunning plan: which customers are due a notice, at which "
             "level, for which items, and why; writes nothing");
  sub->add_option("--as-of", o->as_of,
                  "Plan as of this date (default: today)")
      ->option_text("YYYY-MM-DD");
  sub->add_option("--customer", o->customers,
                  "Only this customer (repeat for several)")
      ->option_text("ID")
      ->allow_extra_args(false);
  sub->add_option("--explain", o->explain,
                  "Say why this customer gets a notice, or why none")
      ->option_text("ID")
      ->excludes(sub->get_option("--customer"));
  add_format_option(*sub, o->format, {"table", "csv", "json"});
  // Before the plan's own body: the first parsed command in the list runs.
  commands.push_back({sub, [&global, o] { return run_dun(global, *o); }});
  register_dun_send(*sub, global, commands);
  register_dun_arrangements(*sub, global, commands);
}

} // namespace arctl::cli
