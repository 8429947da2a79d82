// arctl customer: add, list, show, edit, hold and release customers.
#include "common.hpp"

#include "arctl/check.hpp"
#include "arctl/customers.hpp"
#include "arctl/ledger.hpp"
#include "arctl/transaction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace arctl::cli {

namespace {

// The options of add and edit, as given.
struct FieldOptions {
  std::string id;
  CustomerDraft draft;
  bool dunning = false;
  bool no_dunning = false;
  bool dry_run = false;

  [[nodiscard]] CustomerDraft to_draft() const {
    CustomerDraft d = draft;
    d.id = id;
    if (dunning)
      d.dunning = true;
    if (no_dunning)
      d.dunning = false;
    return d;
  }
};

struct EventOptions {
  std::string id;
  std::string reason;
  std::optional<std::string> date;
  bool dry_run = false;
};

struct ReportOptions {
  std::string id;
  std::optional<std::string> as_of;
  std::string format;
};

void add_field_options(CLI::App& sub, FieldOptions& o, bool is_edit) {
  const std::string clear = is_edit ? "; an empty value clears it" : "";
  sub.add_option("--name", o.draft.name,
                 is_edit ? "New name" : "The customer's name (required)")
      ->option_text("NAME");
  sub.add_option("--email", o.draft.email,
                 "E-mail address for statements and notices" + clear)
      ->option_text("EMAIL");
  sub.add_option("--terms", o.draft.terms,
                 "Payment terms: \"net 30\", \"2/10 net 30\", \"net 15 eom\", "
                 "\"due on receipt\" (default: the books')" +
                     clear)
      ->option_text("TERMS");
  sub.add_option("--credit-limit", o.draft.credit_limit,
                 "Credit limit in the customer's currency, 0 or more "
                 "(default: no limit)" +
                     clear)
      ->option_text("AMOUNT");
  sub.add_option("--currency", o.draft.currency,
                 "ISO 4217 currency the customer is billed in (default: the "
                 "company's)" +
                     clear)
      ->option_text("CODE");
  sub.add_option("--address", o.draft.address, "Postal address" + clear)
      ->option_text("TEXT");
  sub.add_option("--tax-id", o.draft.tax_id, "VAT or tax number" + clear)
      ->option_text("TEXT");
  auto* yes =
      sub.add_flag("--dunning", o.dunning,
                   "Send dunning notices to the customer (the default)");
  auto* no = sub.add_flag("--no-dunning", o.no_dunning,
                          "Never send dunning notices to the customer");
  yes->excludes(no);
  add_dry_run(sub, o.dry_run);
}

// `customer show` as aligned "field  value" lines; a value of several lines
// (an address) continues under itself.
std::string details_table(const std::vector<CustomerDetail>& details) {
  std::size_t width = 0;
  for (const auto& d : details)
    width = std::max(width, d.field.size());
  std::string out;
  for (const auto& d : details) {
    std::string line = d.field + std::string(width + 2 - d.field.size(), ' ');
    std::string_view value = d.value;
    for (;;) {
      const auto nl = value.find('\n');
      auto part = value.substr(0, nl);
      if (!part.empty() && part.back() == '\r')
        part.remove_suffix(1);
      line += part;
      while (!line.empty() && line.back() == ' ')
        line.pop_back();
      out += line + "\n";
      if (nl == std::string_view::npos)
        break;
      value.remove_prefix(nl + 1);
      line = std::string(width + 2, ' ');
    }
  }
  return out;
}

bool plain_decimal(std::string_view s) {
  if (s.empty())
    return false;
  std::size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size())
    return false;
  bool dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] == '.' && !dot && i > 0 && s[i - 1] != '-' && i + 1 < s.size())
      dot = true;
    else if (s[i] < '0' || s[i] > '9')
      return false;
  }
  return true;
}

// `customer show` as one JSON object: numbers as JSON numbers (null when
// there is none), text as strings.
std::string details_json(const std::vector<CustomerDetail>& details) {
  std::string out = "{";
  for (std::size_t i = 0; i < details.size(); ++i) {
    const auto& d = details[i];
    out += fmt::format("{}\n  {}: ", i ? "," : "", json_string(d.field));
    if (d.numeric)
      out += plain_decimal(d.value) ? d.value : std::string("null");
    else
      out += json_string(d.value);
  }
  out += "\n}\n";
  return out;
}

std::string details_csv(const std::vector<CustomerDetail>& details) {
  TableData t;
  t.columns = {{"field"}, {"value"}};
  for (const auto& d : details)
    t.rows.push_back({d.field, d.value});
  return render(t, Format::csv);
}

} // namespace

void register_customer(CLI::App& app, const GlobalOptions& global,
                       Commands& commands) {
  auto* customer = app.add_subcommand(
      "customer", "Customers: add, list, show, edit, hold and release");
  customer->require_subcommand(1);

  // ---- add
  {
    auto o = std::make_shared<FieldOptions>();
    auto* sub =
        customer->add_subcommand("add", "Add a customer to customers.csv");
    sub->add_option("ID", o->id, "The new customer's id")->required();
    add_field_options(*sub, *o, false);
    commands.push_back({sub, [&global, o] {
                          const auto draft = o->to_draft();
                          return write_books(
                              global, o->dry_run,
                              [&](const Books& books) {
                                return plan_add_customer(books, draft);
                              },
                              [&](const PlannedChange&) {
                                return fmt::format("added customer {}",
                                                   draft.id);
                              });
                        }});
  }

  // ---- edit
  {
    auto o = std::make_shared<FieldOptions>();
    auto* sub = customer->add_subcommand(
        "edit", "Change a customer's master data in customers.csv");
    sub->add_option("ID", o->id, "The customer's id")->required();
    add_field_options(*sub, *o, true);
    commands.push_back(
        {sub, [&global, o] {
           const auto draft = o->to_draft();
           return write_books(
               global, o->dry_run,
               [&](const Books& books) {
                 return plan_edit_customer(books, draft);
               },
               [&](const PlannedChange& plan) {
                 return plan.change.empty()
                            ? fmt::format("customer {} unchanged", draft.id)
                            : fmt::format("updated customer {}", draft.id);
               });
         }});
  }

  // ---- hold and release
  for (const auto kind : {EventKind::hold, EventKind::release}) {
    const bool hold = kind == EventKind::hold;
    auto o = std::make_shared<EventOptions>();
    auto* sub = customer->add_subcommand(
        std::string(to_string(kind)),
        hold ? "Put a customer on credit hold (events.csv)"
             : "Lift a customer's credit hold (events.csv)");
    sub->add_option("ID", o->id, "The customer's id")->required();
    sub->add_option("--reason", o->reason,
                    hold ? "Why (required)" : "Why (optional)")
        ->option_text("TEXT");
    sub->add_option("--date", o->date,
                    "The date of the " + std::string(to_string(kind)) +
                        " (default: today)")
        ->option_text("YYYY-MM-DD");
    sub->add_flag("--dry-run", o->dry_run,
                  "Print the line that would be appended and write nothing");
    commands.push_back(
        {sub, [&global, o, kind, hold] {
           return write_dated(
               global, o->date, o->dry_run,
               [&](const Books& books, Date date) {
                 return plan_customer_event(books, kind, o->id, date,
                                            o->reason);
               },
               [&](const PlannedChange&, Date date) {
                 return hold ? fmt::format("customer {} on hold from {}", o->id,
                                           format_date(date))
                             : fmt::format(
                                   "customer {} released from hold on {}",
                                   o->id, format_date(date));
               });
         }});
  }

  // ---- list
  {
    auto o = std::make_shared<ReportOptions>();
    auto* sub = customer->add_subcommand(
        "list", "List the customers with their terms, limit and hold status");
    sub->add_option("--as-of", o->as_of,
                    "Hold status as of this date (default: today)")
        ->option_text("YYYY-MM-DD");
    add_format_option(*sub, o->format);
    commands.push_back({sub, [&global, o] {
                          return read_ledger(
                              global, o->as_of,
                              [&](const Books& books, const Ledger& ledger) {
                                print(render(customer_table(books, ledger),
                                             *parse_format(o->format)));
                                return 0;
                              });
                        }});
  }

  // ---- show
  {
    auto o = std::make_shared<ReportOptions>();
    auto* sub = customer->add_subcommand(
        "show", "Show a customer's details, balances, credit and hold status");
    sub->add_option("ID", o->id, "The customer's id")->required();
    sub->add_option("--as-of", o->as_of,
                    "Balances and status as of this date (default: today)")
        ->option_text("YYYY-MM-DD");
    add_format_option(*sub, o->format);
    commands.push_back({sub, [&global, o] {
                          return read_ledger(global, o->as_of,
                                             [&](const Books& books,
                                                 const Ledger& ledger) {
                            const auto index = find_customer_id(books, o->id);
                            if (!index)
                              return report(index.error());
                            const auto details =
                                customer_details(books, ledger, *index);
                            switch (*parse_format(o->format)) {
                            case Format::table:
                              print(details_table(details));
                              break;
                            case Format::csv:
                              print(details_csv(details));
                              break;
                            case Format::json:
                              print(details_json(details));
                              break;
                            }
                            return 0;
                          });
                        }});
  }
}

} // namespace arctl::cli
