#include "arctl/customers.hpp"

#include "arctl/csv.hpp"
#include "arctl/rows.hpp"
#include "arctl/transaction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace arctl {

namespace {

std::unexpected<Error> usage(std::string_view option, std::string message) {
  return fail(ExitCode::usage, fmt::format("{}: {}", option, message));
}

// A draft's values checked one by one and put in the form the books keep.
struct CheckedFields {
  std::vector<FieldValue> values;
  std::optional<Currency> currency; // when --currency was given
  bool currency_cleared = false;    // --currency "" (the company's)
};

// Checks every value `draft` gives except the id and the credit limit
// (which needs the customer's currency) and puts it into `out`.
Result<void> check_fields(const CustomerDraft& draft, bool is_new,
                          CheckedFields& out) {
  const struct {
    std::string_view option;
    const std::optional<std::string>& value;
  } texts[] = {
      {"--name", draft.name},
      {"--email", draft.email},
      {"--currency", draft.currency},
      {"--terms", draft.terms},
      {"--credit-limit", draft.credit_limit},
      {"--address", draft.address},
      {"--tax-id", draft.tax_id},
  };
  for (const auto& t : texts)
    if (t.value)
      if (auto why = utf8_problem(*t.value))
        return usage(t.option, *why);

  if (is_new ? !draft.name || draft.name->empty()
             : draft.name && draft.name->empty())
    return usage("--name", "a customer needs a name");
  if (draft.name)
    out.values.push_back({"name", *draft.name});

  if (draft.email) {
    if (!draft.email->empty())
      if (auto why = email_problem(*draft.email))
        return usage("--email",
                     *why + "; addresses look like billing@example.com");
    out.values.push_back({"email", *draft.email});
  }

  if (draft.currency) {
    if (draft.currency->empty()) {
      out.currency_cleared = true;
    } else {
      out.currency = find_currency(*draft.currency);
      if (!out.currency)
        return usage("--currency",
                     fmt::format("unknown currency \"{}\"; use an ISO 4217 "
                                 "code such as USD, EUR or JPY",
                                 *draft.currency));
    }
    out.values.push_back({"currency", *draft.currency});
  }

  if (draft.terms) {
    std::string canonical;
    if (!draft.terms->empty()) {
      auto terms = parse_terms(*draft.terms);
      if (!terms)
        return usage("--terms",
                     terms.error().hint.empty()
                         ? terms.error().message
                         : terms.error().message + "; " + terms.error().hint);
      canonical = terms->to_string();
    }
    out.values.push_back({"terms", canonical});
  }

  if (draft.address)
    out.values.push_back({"address", *draft.address});
  if (draft.tax_id)
    out.values.push_back({"tax_id", *draft.tax_id});
  if (draft.dunning)
    out.values.push_back({"dunning", *draft.dunning ? "yes" : "no"});
  return {};
}

// A credit limit given as text, in `currency`: 0 or more, canonical text.
Result<std::string> check_credit_limit(const std::string& text,
                                       Currency currency) {
  if (text.empty())
    return std::string();
  auto limit = Money::parse(text, currency);
  if (!limit)
    return usage("--credit-limit", limit.error().message);
  if (limit->is_negative())
    return usage("--credit-limit",
                 fmt::format("credit limit {} is negative", text));
  return limit->to_string();
}

// `minor` units of an amount with `from` decimals, in `to` decimals, if
// that is exact.
std::optional<std::int64_t> rescale(std::int64_t minor, int from, int to) {
  for (; from < to; ++from) {
    if (minor > INT64_MAX / 10)
      return std::nullopt;
    minor *= 10;
  }
  for (; from > to; --from) {
    if (minor % 10 != 0)
      return std::nullopt;
    minor /= 10;
  }
  return minor;
}

// Where the customer's first fact is, if it has any: money facts are in
// its currency, so that currency is fixed from then on.
std::optional<std::string> first_fact(const Books& books,
                                      std::uint32_t customer) {
  const auto where = [&](Table t, std::uint32_t line) {
    return fmt::format("{}:{}", books.dir.shown(schema(t).file), line);
  };
  for (const auto& x : books.invoices)
    if (x.customer == customer)
      return where(Table::invoices, x.line);
  for (const auto& x : books.payments)
    if (x.customer == customer)
      return where(Table::payments, x.line);
  for (const auto& x : books.adjustments)
    if (x.customer == customer)
      return where(Table::adjustments, x.line);
  for (const auto& x : books.notices)
    if (x.customer == customer)
      return where(Table::notices, x.line);
  for (const auto& x : books.arrangements)
    if (x.customer == customer)
      return where(Table::arrangements, x.line);
  return std::nullopt;
}

std::string money_text(std::int64_t minor, Currency c) {
  return format_minor_units(minor, c.exponent);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

} // namespace

Result<std::uint32_t> find_customer_id(const Books& books,
                                       std::string_view id) {
  if (auto i = books.find_customer(id))
    return *i;
  return fail(ExitCode::data, fmt::format("unknown customer \"{}\"", id));
}

Result<PlannedChange> plan_add_customer(const Books& books,
                                        const CustomerDraft& draft) {
  if (auto why = id_problem(draft.id))
    return fail(ExitCode::usage,
                fmt::format("customer id \"{}\" {}", draft.id, *why));
  if (auto i = books.find_customer(draft.id))
    return fail(ExitCode::usage,
                fmt::format("customer \"{}\" exists already ({}:{})", draft.id,
                            books.dir.shown(schema(Table::customers).file),
                            books.customers[*i].line));
  CheckedFields fields;
  if (auto ok = check_fields(draft, true, fields); !ok)
    return std::unexpected(std::move(ok.error()));
  const auto currency = fields.currency.value_or(books.config.currency);
  if (draft.credit_limit) {
    auto limit = check_credit_limit(*draft.credit_limit, currency);
    if (!limit)
      return std::unexpected(std::move(limit.error()));
    fields.values.push_back({"credit_limit", std::move(*limit)});
  }
  fields.values.push_back({"id", draft.id});

  PlannedChange plan;
  if (auto ok = RecordAppender(books.dir, plan)
                    .append(Table::customers, fields.values);
      !ok)
    return std::unexpected(std::move(ok.error()));
  return plan;
}

Result<PlannedChange> plan_edit_customer(const Books& books,
                                         const CustomerDraft& draft) {
  auto index = find_customer_id(books, draft.id);
  if (!index)
    return std::unexpected(std::move(index.error()));
  const auto& customer = books.customers[*index];
  if (!draft.name && !draft.email && !draft.currency && !draft.terms &&
      !draft.credit_limit && !draft.address && !draft.tax_id && !draft.dunning)
    return fail(ExitCode::usage,
                "nothing to change; give at least one of --name, --email, "
                "--currency, --terms, --credit-limit, --address, --tax-id, "
                "--dunning or --no-dunning");
  CheckedFields fields;
  if (auto ok = check_fields(draft, false, fields); !ok)
    return std::unexpected(std::move(ok.error()));

  const auto currency = fields.currency_cleared
                            ? books.config.currency
                            : fields.currency.value_or(customer.currency);
  if (currency != customer.currency) {
    if (auto fact = first_fact(books, *index))
      return usage("--currency",
                   fmt::format("customer {} has invoices or payments in {} "
                               "already (first at {}); its currency cannot "
                               "change",
                               customer.id, customer.currency.name(), *fact));
  }
  if (draft.credit_limit) {
    auto limit = check_credit_limit(*draft.credit_limit, currency);
    if (!limit)
      return std::unexpected(std::move(limit.error()));
    fields.values.push_back({"credit_limit", std::move(*limit)});
  } else if (currency != customer.currency && customer.credit_limit) {
    // The limit stays the same number, written with the new currency's
    // decimals (5000.00 USD becomes 5000 JPY).
    const auto minor = rescale(*customer.credit_limit,
                               customer.currency.exponent, currency.exponent);
    if (!minor)
      return usage(
          "--currency",
          fmt::format("credit limit {} cannot be written in {}; give "
                      "--credit-limit as well",
                      money_text(*customer.credit_limit, customer.currency),
                      currency.name()));
    fields.values.push_back({"credit_limit", money_text(*minor, currency)});
  }

  auto rewrite = rewrite_table(
      books.dir, Table::customers,
      [&](const RowRef& row) -> Result<std::optional<std::string>> {
        if (row.get("id") != draft.id)
          return std::nullopt;
        auto updated = update_record(row, fields.values);
        if (!updated)
          return std::unexpected(std::move(updated.error()));
        return std::optional<std::string>(std::move(*updated));
      });
  if (!rewrite)
    return std::unexpected(std::move(rewrite.error()));
  if (rewrite->replaced.size() != 1)
    return fail(ExitCode::data,
                fmt::format("customer \"{}\" is in {} {} times; 'arctl check' "
                            "lists the problems of the books",
                            draft.id,
                            books.dir.shown(schema(Table::customers).file),
                            rewrite->replaced.size()));
  PlannedChange plan;
  const auto& r = rewrite->replaced.front();
  if (r.before == r.after)
    return plan;
  plan.removed.push_back(r.before);
  plan.added.push_back(r.after);
  plan.change.replace(std::string(schema(Table::customers).file),
                      std::move(rewrite->content));
  return plan;
}

Result<PlannedChange> plan_customer_event(const Books& books, EventKind kind,
                                          std::string_view id, Date date,
                                          std::string_view reason) {
  return plan_customer_event(books, compute_ledger(books, date), kind, id,
                             date, reason);
}

Result<PlannedChange> plan_customer_event(const Books& books,
                                          const Ledger& ledger, EventKind kind,
                                          std::string_view id, Date date,
                                          std::string_view reason) {
  if (kind != EventKind::hold && kind != EventKind::release)
    return fail(ExitCode::software, "a customer event is a hold or a release");
  auto index = find_customer_id(books, id);
  if (!index)
    return std::unexpected(std::move(index.error()));
  if (auto why = utf8_problem(reason))
    return usage("--reason", *why);
  if (kind == EventKind::hold && reason.empty())
    return usage("--reason", "a hold needs a reason");
  if (auto open = check_open_period(books.dir, books.config.lock_date, date);
      !open)
    return std::unexpected(std::move(open.error()));

  const auto& state = ledger.customers[*index];
  if (kind == EventKind::hold && state.on_hold)
    return fail(ExitCode::data,
                fmt::format("customer {} is on hold already, since {}", id,
                            format_date(state.hold_since)));
  if (kind == EventKind::release && !state.on_hold)
    return fail(ExitCode::data, fmt::format("customer {} is not on hold on {}",
                                            id, format_date(date)));
  // Appended, the new event is the last of its day; a later hold or
  // release would then follow a state it was not written for.
  for (const auto& e : books.events)
    if (e.customer == *index && e.date > date &&
        (e.kind == EventKind::hold || e.kind == EventKind::release))
      return fail(ExitCode::data,
                  fmt::format("customer {} has a later {} on {} ({}:{}); holds "
                              "and releases are recorded in date order",
                              id, to_string(e.kind), format_date(e.date),
                              books.dir.shown(schema(Table::events).file),
                              e.line));

  const std::array<FieldValue, 4> values{{
      {"date", format_date(date)},
      {"kind", std::string(to_string(kind))},
      {"customer", std::string(id)},
      {"reason", std::string(reason)},
  }};
  PlannedChange plan;
  if (auto ok = RecordAppender(books.dir, plan)
                    .append(Table::events, values, date);
      !ok)
    return std::unexpected(std::move(ok.error()));
  return plan;
}

TableData customer_table(const Books& books, const Ledger& ledger) {
  TableData t;
  t.columns = {{"id"},       {"name"},  {"email"},
               {"currency"}, {"terms"}, {"credit_limit", true},
               {"dunning"},  {"hold"}};
  t.rows.reserve(books.customers.size());
  for (std::size_t i = 0; i < books.customers.size(); ++i) {
    const auto& c = books.customers[i];
    t.rows.push_back({
        std::string(c.id),
        std::string(c.name),
        std::string(c.email),
        std::string(c.currency.name()),
        c.terms.to_string(),
        c.credit_limit ? money_text(*c.credit_limit, c.currency) : "",
        c.dunning ? "yes" : "no",
        ledger.customers[i].on_hold ? "yes" : "",
    });
  }
  return t;
}

std::vector<CustomerDetail> customer_details(const Books& books,
                                             const Ledger& ledger,
                                             std::uint32_t customer) {
  const auto& c = books.customers[customer];
  const auto& hold = ledger.customers[customer];
  std::vector<CustomerDetail> out;
  const auto text = [&](std::string field, std::string_view value) {
    out.push_back({std::move(field), std::string(value), false});
  };
  const auto number = [&](std::string field, std::string value) {
    out.push_back({std::move(field), std::move(value), true});
  };
  text("id", c.id);
  text("name", c.name);
  text("email", c.email);
  text("address", c.address);
  text("tax_id", c.tax_id);
  text("currency", c.currency.name());
  text("terms", c.terms.to_string());
  text("dunning", c.dunning ? "yes" : "no");
  text("as_of", format_date(ledger.as_of));

  const auto positions = customer_position(books, ledger, customer);
  const auto used = credit_used(books, ledger, customer);
  number("credit_limit",
         c.credit_limit ? money_text(*c.credit_limit, c.currency) : "");
  number("credit_used", money_text(used, c.currency));
  number("credit_available",
         c.credit_limit ? money_text(*c.credit_limit - used, c.currency) : "");
  for (const auto& p : positions) {
    // The customer's own currency comes first and is named plainly.
    const auto suffix = p.currency == c.currency
                            ? std::string()
                            : "_" + lower(p.currency.name());
    number("open_balance" + suffix, money_text(p.open, p.currency));
    number("unapplied_credit" + suffix, money_text(p.unapplied, p.currency));
    number("disputed" + suffix, money_text(p.disputed, p.currency));
    number("open_invoices" + suffix, std::to_string(p.open_invoices));
    if (p.oldest_overdue) {
      const auto& inv = books.invoices[*p.oldest_overdue];
      text("oldest_overdue" + suffix, inv.id);
      text("oldest_overdue_due" + suffix, format_date(inv.due));
      number("oldest_overdue_days" + suffix,
             std::to_string(days_between(inv.due, ledger.as_of)));
      number("oldest_overdue_open" + suffix,
             money_text(ledger.invoices[*p.oldest_overdue].open, p.currency));
    } else {
      text("oldest_overdue" + suffix, "");
      text("oldest_overdue_due" + suffix, "");
      number("oldest_overdue_days" + suffix, "");
      number("oldest_overdue_open" + suffix, "");
    }
  }
  text("hold", hold.on_hold ? "yes" : "no");
  text("hold_since", hold.on_hold ? format_date(hold.hold_since) : "");
  text("hold_reason", hold.on_hold ? hold.hold_reason : "");
  return out;
}

} // namespace arctl
