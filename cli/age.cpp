// arctl age: receivables as of a date, by customer, by invoice or in sum.
#include "common.hpp"

#include "arctl/aging.hpp"
#include "arctl/customers.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace arctl::cli {

namespace {

struct AgeOptions {
  std::optional<std::string> as_of;
  std::string by = "customer";
  std::optional<std::string> basis;
  std::optional<std::string> buckets;
  std::vector<std::string> customers;
  std::optional<std::string> currency;
  std::optional<std::string> min_balance;
  std::vector<std::string> fail_over;
  std::string format;
};

AgingView view_of(const std::string& by) {
  if (by == "summary")
    return AgingView::summary;
  if (by == "invoice")
    return AgingView::invoice;
  return AgingView::customer;
}

int run_age(const GlobalOptions& global, const AgeOptions& o) {
  AgingRequest request;
  if (o.buckets) {
    auto bounds = parse_buckets(*o.buckets);
    if (!bounds)
      return usage_error("--buckets", bounds.error().message);
    request.buckets.bounds = std::move(*bounds);
  }
  if (o.currency) {
    const auto c = find_currency(*o.currency);
    if (!c)
      return usage_error("--currency",
                         fmt::format("unknown currency \"{}\"", *o.currency));
    request.currency = *c;
  }
  if (o.min_balance) {
    auto d = parse_decimal(*o.min_balance, 9, "amount");
    if (!d)
      return usage_error("--min-balance", d.error().message);
    request.min_balance = *d;
  }
  std::vector<PastDueLimit> limits;
  for (const auto& text : o.fail_over) {
    auto limit = parse_past_due_limit(text);
    if (!limit)
      return usage_error("--fail-over", limit.error().message);
    limits.push_back(*limit);
    request.past_due_over.push_back(limit->days);
  }
  const auto view = view_of(o.by);
  request.items = view == AgingView::invoice;
  return read_open_items(global, o.as_of, [&](const Books& books,
                                              const Ledger& ledger) {
    if (!o.buckets)
      request.buckets.bounds = books.config.aging_buckets;
    request.buckets.basis = !o.basis ? books.config.aging_basis
                            : *o.basis == "invoice" ? AgingBasis::invoice_date
                                                    : AgingBasis::due_date;
    for (const auto& id : o.customers) {
      const auto c = find_customer_id(books, id);
      if (!c)
        return report(c.error());
      request.customers.push_back(*c);
    }
    const auto aged = age_receivables(books, ledger, request);
    if (o.format == "html") {
      auto page = aging_html(books, aged, view);
      if (!page)
        return report(page.error());
      print(*page);
    } else if (o.format == "table") {
      print(aging_text(books, aged, view));
    } else if (o.format == "json") {
      print(aging_json(books, aged, view));
    } else {
      print(render(aging_table(books, aged, view, several_currencies(books)),
                   Format::csv));
    }
    const auto alerts = past_due_alerts(aged, limits);
    for (const auto& alert : alerts)
      std::fprintf(stderr, "arctl: alert: %s\n", alert.c_str());
    return static_cast<int>(alerts.empty() ? ExitCode::ok
                                           : ExitCode::findings);
  });
}

} // namespace

void register_age(CLI::App& app, const GlobalOptions& global,
                  Commands& commands) {
  auto o = std::make_shared<AgeOptions>();
  auto* sub = app.add_subcommand(
      "age", "Aged receivables as of a date: by customer, by invoice or in sum, "
             "with DSO");
  sub->add_option("--as-of", o->as_of,
                  "Count only the facts dated on or before this date "
                  "(default: today)")
      ->option_text("YYYY-MM-DD");
  sub->add_option("--by", o->by,
                  "One row per customer (default), per open item, or the "
                  "totals and figures per currency")
      ->check(CLI::IsMember({"summary", "customer", "invoice"}))
      ->option_text("summary|customer|invoice");
  sub->add_option("--basis", o->basis,
                  "Count days from the due date (days past due) or from the "
                  "invoice date (default: the books' [aging] basis, else due)")
      ->check(CLI::IsMember({"due", "invoice"}))
      ->option_text("due|invoice");
  sub->add_option("--buckets", o->buckets,
                  "Bucket bounds in days (default: the books' [aging] "
                  "buckets, else 30,60,90)")
      ->option_text("30,60,90");
  sub->add_option("--customer", o->customers,
                  "Only this customer (repeat for several)")
      ->option_text("ID")
      ->allow_extra_args(false);
  sub->add_option("--currency", o->currency, "Only amounts in this currency")
      ->option_text("CODE");
  sub->add_option("--min-balance", o->min_balance,
                  "Leave out customers whose balance in a currency is below "
                  "AMOUNT")
      ->option_text("AMOUNT");
  sub->add_option("--fail-over", o->fail_over,
                  "Exit 1 when more than AMOUNT is more than DAYS past due "
                  "in any currency (repeatable)")
      ->option_text("DAYS=AMOUNT")
      ->allow_extra_args(false);
  add_format_option(*sub, o->format, {"table", "csv", "json", "html"});
  commands.push_back({sub, [&global, o] { return run_age(global, *o); }});
}

} // namespace arctl::cli
