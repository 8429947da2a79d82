// arctl dun promise, dun plan, dun plan show and dun history: promises to
// pay, instalment plans, and what collections did about a customer.
#include "common.hpp"

#include "arctl/arrangements.hpp"
#include "arctl/customers.hpp"

#include <fmt/format.h>

#include <memory>

namespace arctl::cli {

namespace {

struct PromiseOptions {
  std::string customer;
  std::string amount;
  std::string by;
  std::string note;
  std::optional<std::string> date;
  bool dry_run = false;
};

struct PlanOptions {
  std::string customer;
  std::optional<int> installments;
  std::optional<std::string> first;
  std::string every = "1m";
  std::optional<std::string> amount;
  std::vector<std::string> invoices;
  std::string note;
  std::optional<std::string> date;
  bool dry_run = false;
};

struct CustomerReportOptions {
  std::string customer;
  std::optional<std::string> as_of;
  std::string format;
};

void add_note_option(CLI::App& sub, std::string& target) {
  sub.add_option("--note", target, "A note kept with it")
      ->option_text("TEXT");
}

int run_promise(const GlobalOptions& global, const PromiseOptions& o) {
  const auto by = date_option("--by", o.by);
  if (!by)
    return static_cast<int>(ExitCode::usage);
  return write_dated(
      global, o.date, o.dry_run,
      [&](const Books& books, Date date) {
        return plan_promise(books, {o.customer, o.amount, *by, o.note, date});
      },
      [](const PlannedChange& plan, Date) { return plan.summary; });
}

int run_plan(const GlobalOptions& global, const PlanOptions& o) {
  if (o.customer.empty())
    return usage_error("CUSTOMER", "give the customer of the plan");
  if (!o.installments)
    return usage_error("--installments", "give the number of instalments");
  if (!o.first)
    return usage_error("--first", "give the due date of the first instalment");
  const auto first = date_option("--first", *o.first);
  if (!first)
    return static_cast<int>(ExitCode::usage);
  PlanRequest request;
  request.customer = o.customer;
  request.installments = *o.installments;
  request.first = *first;
  request.every = o.every;
  request.amount = o.amount;
  request.invoices = o.invoices;
  request.note = o.note;
  return write_dated(
      global, o.date, o.dry_run,
      [&](const Books& books, Date date) {
        request.date = date;
        return plan_installments(books, request);
      },
      [](const PlannedChange& plan, Date) { return plan.summary; });
}

// A report about one customer as of a date, in the format asked.
int run_customer_report(
    const GlobalOptions& global, const CustomerReportOptions& o,
    const std::function<std::string(const Books&, const Ledger&,
                                    std::uint32_t, Format)>& report_of) {
  return read_ledger(global, o.as_of,
                     [&](const Books& books, const Ledger& ledger) {
                       const auto c = find_customer_id(books, o.customer);
                       if (!c)
                         return report(c.error());
                       print(report_of(books, ledger, *c,
                                       *parse_format(o.format)));
                       return 0;
                     });
}

std::string plans_report(const Books& books, const Ledger& ledger,
                         std::uint32_t customer, Format format) {
  const auto plans = customer_plans(books, ledger, customer);
  if (format != Format::table)
    return render(plans_table(books, plans), format);
  if (plans.empty())
    return fmt::format("{} has no instalment plan as of {}.\n",
                       books.customers[customer].id, format_date(ledger.as_of));
  return plans_text(books, plans);
}

std::string history_report(const Books& books, const Ledger& ledger,
                           std::uint32_t customer, Format format) {
  const auto history = dunning_history(books, ledger, customer);
  if (format == Format::table && history.rows.empty())
    return fmt::format("Nothing in {}'s dunning history as of {}.\n",
                       books.customers[customer].id, format_date(ledger.as_of));
  return render(history, format);
}

void add_report_options(CLI::App& sub, CustomerReportOptions& o,
                        const std::string& what) {
  sub.add_option("CUSTOMER", o.customer, "The customer's id")->required();
  sub.add_option("--as-of", o.as_of, what + " as of this date (default: today)")
      ->option_text("YYYY-MM-DD");
  add_format_option(sub, o.format);
}

} // namespace

void register_dun_arrangements(CLI::App& dun, const GlobalOptions& global,
                               Commands& commands) {
  // ---- promise
  {
    auto o = std::make_shared<PromiseOptions>();
    auto* sub = dun.add_subcommand(
        "promise", "Record a customer's promise to pay: dunning pauses until "
                   "its date (arrangements.csv)");
    sub->add_option("CUSTOMER", o->customer, "The customer's id")->required();
    sub->add_option("--amount", o->amount,
                    "The amount promised, in the customer's currency")
        ->option_text("AMOUNT")
        ->required();
    sub->add_option("--by", o->by, "The date it is promised by")
        ->option_text("YYYY-MM-DD")
        ->required();
    add_note_option(*sub, o->note);
    add_date_option(*sub, o->date, "The date of the promise");
    add_dry_run(*sub, o->dry_run);
    commands.push_back({sub, [&global, o] { return run_promise(global, *o); }});
  }

  // ---- plan, and plan show
  {
    auto o = std::make_shared<PlanOptions>();
    auto* sub = dun.add_subcommand(
        "plan", "Record an instalment plan over invoices: they are dunned "
                "only for missed instalments (arrangements.csv)");
    // Not required by CLI11, which would then take "show" for it.
    sub->add_option("CUSTOMER", o->customer, "The customer's id");
    sub->add_option("--installments", o->installments,
                    "How many instalments (1 to 120)")
        ->option_text("N");
    sub->add_option("--first", o->first,
                    "The due date of the first instalment, after the plan's "
                    "date")
        ->option_text("YYYY-MM-DD");
    sub->add_option("--every", o->every,
                    "Between instalments: Nd, Nw or Nm (default: 1m)")
        ->option_text("INTERVAL");
    auto* amount = sub->add_option(
        "--amount", o->amount,
        "Pay this much of the customer's overdue invoices, the oldest first");
    amount->option_text("AMOUNT");
    sub->add_option("--invoices", o->invoices,
                    "Pay all that is open of these invoices")
        ->option_text("ID...")
        ->excludes(amount);
    add_note_option(*sub, o->note);
    add_date_option(*sub, o->date, "The date of the plan");
    add_dry_run(*sub, o->dry_run);

    auto r = std::make_shared<CustomerReportOptions>();
    auto* show = sub->add_subcommand(
        "show", "A customer's plans: each instalment paid, due or missed");
    add_report_options(*show, *r, "Payments and status");
    commands.push_back({show, [&global, r] {
                          return run_customer_report(global, *r, plans_report);
                        }});
    commands.push_back({sub, [&global, o] { return run_plan(global, *o); }});
  }

  // ---- history
  {
    auto r = std::make_shared<CustomerReportOptions>();
    auto* sub = dun.add_subcommand(
        "history", "Every notice, promise, plan event and hold of a customer, "
                   "in date order");
    add_report_options(*sub, *r, "History");
    commands.push_back({sub, [&global, r] {
                          return run_customer_report(global, *r, history_report);
                        }});
  }
}

} // namespace arctl::cli
