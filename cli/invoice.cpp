// arctl invoice: the invoices of the books.
#include "arctl/customers.hpp"
#include "arctl/drafts.hpp"
#include "arctl/invoices.hpp"
#include "arctl/invoicing.hpp"
#include "arctl/ledger.hpp"
#include "arctl/render.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common.hpp"

namespace arctl::cli {

namespace {
struct ListOptions {
  std::vector<std::string> customers;
  bool open = false, overdue = false, disputed = false;
  std::optional<std::string> from, to, as_of;
  std::string format;
};

// The options of `invoice new`, as given.
struct NewOptions {
  std::optional<std::string> customer, id, date, terms, due, amount,
      description, tax, discount, po, memo, from;
  std::vector<std::string> lines; // DESCRIPTION QTY UNIT_PRICE, repeated
  std::string override_reason;
  bool dry_run = false;
};

struct ImportOptions {
  std::string file;
  std::string override_reason;
  bool dry_run = false;
};

struct DocumentOptions {
  std::string id;
  std::optional<std::string> as_of, out;
  std::string format;
};

struct ChangeOptions {
  std::string id;
  std::optional<std::string> date, customer, amount, credit_id;
  std::string reason;
  bool dry_run = false;
};

// A draft from the command line: each value names its option.
InvoiceDraft draft_from_options(const NewOptions& o) {
  InvoiceDraft d;
  d.at.option = "--line";
  d.customer = option_field("--customer", o.customer);
  d.id = option_field("--id", o.id);
  d.date = option_field("--date", o.date);
  d.terms = option_field("--terms", o.terms);
  d.due = option_field("--due", o.due);
  d.tax_code = option_field("--tax", o.tax);
  d.discount = option_field("--discount", o.discount);
  d.po = option_field("--po", o.po);
  d.memo = option_field("--memo", o.memo);
  for (std::size_t i = 0; i + 2 < o.lines.size(); i += 3) {
    DraftLine line;
    const auto name = fmt::format("--line {}", i / 3 + 1);
    line.at.option = name;
    for (auto [field, value] : {std::pair{&line.description, &o.lines[i]},
                                std::pair{&line.quantity, &o.lines[i + 1]},
                                std::pair{&line.unit_price, &o.lines[i + 2]}}) {
      field->at.option = name;
      field->text = *value;
      field->given = true;
    }
    d.lines.push_back(std::move(line));
  }
  if (o.amount) {
    DraftLine line;
    line.at.option = "--amount";
    line.is_amount = true;
    line.description = option_field("--description", o.description);
    line.quantity = option_field("--amount", std::string("1"));
    line.unit_price = option_field("--amount", o.amount);
    d.lines.push_back(std::move(line));
  }
  return d;
}

// Creates the invoices of `drafts` and prints their ids, one per line;
// with --dry-run, how each was derived and the records.
int create_invoices(const GlobalOptions& global, bool dry_run,
                    std::vector<InvoiceDraft> drafts,
                    const std::string& override_reason) {
  const auto day = today();
  std::string explained;
  return write_books(
      global, dry_run,
      [&](const Books& books) -> Result<PlannedChange> {
        auto plan = plan_new_invoices(books, drafts, day, override_reason);
        if (!plan)
          return std::unexpected(std::move(plan.error()));
        if (dry_run) {
          for (const auto& inv : plan->invoices)
            explained += explain(inv) + "\n";
          print(explained);
        }
        return std::move(plan->planned);
      },
      [](const PlannedChange& plan) {
        std::string out;
        for (const auto& id : plan.ids)
          out += (out.empty() ? "" : "\n") + id;
        return out;
      });
}

// Reads an invoice's document as of --as-of and runs `run` on it.
int with_document(const GlobalOptions& global, const DocumentOptions& o,
                  const std::function<int(const InvoiceDocument&)>& run) {
  return read_ledger(global, o.as_of,
                     [&](const Books& books, const Ledger& ledger) {
                       const auto index = find_invoice_id(books, o.id);
                       if (!index)
                         return report(index.error());
                       auto doc = invoice_document(books, ledger, *index);
                       if (!doc)
                         return report(doc.error());
                       return run(*doc);
                     });
}

} // namespace

void register_invoice(CLI::App& app, const GlobalOptions& global,
                      Commands& commands) {
  auto* invoice = app.add_subcommand("invoice", "The invoices of the books");
  invoice->require_subcommand(1);

  // ---- list
  {
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

    commands.push_back(
        {list, [&global, o] {
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
           return read_ledger(
               global, o->as_of, [&](const Books& books, const Ledger& ledger) {
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

  // ---- new
  {
    auto n = std::make_shared<NewOptions>();
    auto* sub =
        invoice->add_subcommand("new", "Issue an invoice and print its id");
    sub->add_option("--customer", n->customer, "The customer's id (required)")
        ->option_text("ID");
    sub->add_option("--id", n->id,
                    "The invoice's id (default: the next number)")
        ->option_text("ID");
    add_date_option(*sub, n->date, "Issue date");
    auto* terms =
        sub->add_option(
               "--terms", n->terms,
               "Payment terms (default: the customer's, else the books')")
            ->option_text("TERMS");
    auto* due =
        sub->add_option("--due", n->due, "Due date (default: from the terms)")
            ->option_text("YYYY-MM-DD");
    terms->excludes(due);
    sub->add_option("--line", n->lines,
                    "A line: description, quantity, unit price (repeatable)")
        ->type_size(3)
        ->expected(0, CLI::detail::expected_max_vector_size)
        ->option_text("DESCRIPTION QTY UNIT_PRICE");
    sub->add_option("--amount", n->amount, "A one-line invoice for this amount")
        ->option_text("AMOUNT");
    sub->add_option("--description", n->description,
                    "The description of the --amount line")
        ->option_text("TEXT");
    sub->add_option("--tax", n->tax, "Tax code of every line")
        ->option_text("CODE");
    sub->add_option("--discount", n->discount,
                    "Invoice discount: an amount or a percentage (5%)")
        ->option_text("AMOUNT|N%");
    sub->add_option("--po", n->po, "The customer's purchase order reference")
        ->option_text("REF");
    sub->add_option("--memo", n->memo, "Free text")->option_text("TEXT");
    auto* from =
        sub->add_option("--from", n->from,
                        "Take the invoice from a TOML draft (- for stdin)")
            ->option_text("FILE");
    for (const char* name :
         {"--customer", "--id", "--date", "--terms", "--due", "--line",
          "--amount", "--description", "--tax", "--discount", "--po", "--memo"})
      from->excludes(sub->get_option(name));
    sub->add_option("--override", n->override_reason,
                    "Issue it past credit control (over the limit or on "
                    "hold); the reason is recorded")
        ->option_text("REASON");
    add_dry_run(*sub, n->dry_run);
    commands.push_back(
        {sub, [&global, n] {
           std::vector<InvoiceDraft> drafts;
           if (n->from) {
             auto text = read_input("--from", *n->from);
             if (!text)
               return report(text.error());
             auto draft = parse_invoice_draft(*text, input_name(*n->from));
             if (!draft)
               return report(draft.error());
             drafts.push_back(std::move(*draft));
           } else {
             if (!n->customer)
               return usage_error("--customer",
                                  "which customer is the invoice for?");
             if (n->lines.size() % 3 != 0)
               return usage_error("--line", "a line is three values: "
                                            "DESCRIPTION QTY UNIT_PRICE");
             if (n->lines.empty() && !n->amount)
               return usage_error("--line",
                                  "give the invoice's lines with --line, or "
                                  "--amount for a one-line invoice");
             if (n->description && !n->amount)
               return usage_error("--description",
                                  "describes the --amount line; give --amount");
             drafts.push_back(draft_from_options(*n));
           }
           return create_invoices(global, n->dry_run, std::move(drafts),
                                  n->override_reason);
         }});
  }

  // ---- import
  {
    auto o = std::make_shared<ImportOptions>();
    auto* sub = invoice->add_subcommand(
        "import", "Create many invoices from a CSV file, all or none");
    sub->add_option("FILE", o->file, "The CSV file (- for stdin)")->required();
    sub->add_option("--override", o->override_reason,
                    "Issue them past credit control; the reason is recorded")
        ->option_text("REASON");
    add_dry_run(*sub, o->dry_run);
    commands.push_back(
        {sub, [&global, o] {
           auto text = read_input("FILE", o->file);
           if (!text)
             return report(text.error());
           auto drafts = parse_invoice_import(*text, input_name(o->file));
           if (!drafts)
             return report(drafts.error());
           return create_invoices(global, o->dry_run, std::move(*drafts),
                                  o->override_reason);
         }});
  }

  // ---- show
  {
    auto o = std::make_shared<DocumentOptions>();
    auto* sub = invoice->add_subcommand(
        "show", "Show an invoice: lines, taxes, totals and its history");
    sub->add_option("ID", o->id, "The invoice's id")->required();
    sub->add_option("--as-of", o->as_of,
                    "Balance and history as of this date (default: today)")
        ->option_text("YYYY-MM-DD");
    add_format_option(*sub, o->format, {"table", "json", "csv"});
    commands.push_back(
        {sub, [&global, o] {
           return with_document(global, *o, [&](const InvoiceDocument& doc) {
             print(show_invoice(doc, *parse_format(o->format)));
             return 0;
           });
         }});
  }

  // ---- render
  {
    auto o = std::make_shared<DocumentOptions>();
    auto* sub = invoice->add_subcommand(
        "render", "Render an invoice as a document to send, from a template");
    sub->add_option("ID", o->id, "The invoice's id")->required();
    sub->add_option("--as-of", o->as_of,
                    "Amount due as of this date (default: today)")
        ->option_text("YYYY-MM-DD");
    sub->add_option("--out", o->out, "Write to this file instead of stdout")
        ->option_text("FILE");
    add_format_option(*sub, o->format, {"text", "html"});
    commands.push_back(
        {sub, [&global, o] {
           return with_document(global, *o, [&](const InvoiceDocument& doc) {
             auto text = render_invoice(doc, o->format == "html"
                                                 ? DocumentFormat::html
                                                 : DocumentFormat::text);
             if (!text)
               return report(text.error());
             if (o->out)
               return write_output("--out", *o->out, *text);
             print(*text);
             return 0;
           });
         }});
  }

  // ---- void
  {
    auto o = std::make_shared<ChangeOptions>();
    auto* sub = invoice->add_subcommand(
        "void", "Cancel an invoice that nothing is applied to");
    sub->add_option("ID", o->id, "The invoice's id")->required();
    add_date_option(*sub, o->date, "The date of the void");
    sub->add_option("--reason", o->reason, "Why (required)")
        ->option_text("TEXT");
    add_dry_run(*sub, o->dry_run);
    commands.push_back(
        {sub, [&global, o] {
           return write_dated(
               global, o->date, o->dry_run,
               [&](const Books& books, Date day) {
                 return plan_void_invoice(books, o->id, day, o->reason);
               },
               [&](const PlannedChange& plan, Date day) {
                 return fmt::format("invoice {} void from {} ({})", o->id,
                                    format_date(day), plan.ids.front());
               });
         }});
  }

  // ---- credit
  {
    auto o = std::make_shared<ChangeOptions>();
    auto* sub = invoice->add_subcommand(
        "credit", "Issue a credit memo, applied to an invoice or left on "
                  "account; prints its id");
    sub->add_option("ID", o->id, "The invoice it is applied to");
    sub->add_option("--customer", o->customer,
                    "Leave the credit on this customer's account")
        ->option_text("ID");
    sub->add_option("--amount", o->amount, "The credit (required)")
        ->option_text("AMOUNT")
        ->required();
    add_date_option(*sub, o->date, "The credit memo's date");
    sub->add_option("--reason", o->reason, "Why")->option_text("TEXT");
    sub->add_option("--id", o->credit_id,
                    "The credit memo's id (default: the next number)")
        ->option_text("ID");
    add_dry_run(*sub, o->dry_run);
    commands.push_back(
        {sub, [&global, o] {
           if (o->id.empty() && !o->customer)
             return usage_error("ID",
                                "give the invoice to credit, or --customer "
                                "for a credit on account");
           return write_dated(
               global, o->date, o->dry_run,
               [&](const Books& books, Date day) {
                 return plan_credit_memo(
                     books, {o->id, o->customer.value_or(""), *o->amount, day,
                             o->reason, o->credit_id.value_or("")});
               },
               [](const PlannedChange& plan, Date) { return plan.ids.front(); });
         }});
  }

  // ---- dispute and resolve
  for (const auto kind : {EventKind::dispute, EventKind::resolve}) {
    const bool dispute = kind == EventKind::dispute;
    auto o = std::make_shared<ChangeOptions>();
    auto* sub = invoice->add_subcommand(
        std::string(to_string(kind)),
        dispute ? "Mark an invoice as disputed by the customer (events.csv)"
                : "Mark an invoice's dispute as settled (events.csv)");
    sub->add_option("ID", o->id, "The invoice's id")->required();
    sub->add_option("--reason", o->reason,
                    dispute ? "What the customer disputes (required)"
                            : "How it was settled")
        ->option_text("TEXT");
    add_date_option(*sub, o->date,
                    dispute ? "The date of the dispute"
                            : "The date it was settled");
    if (dispute)
      sub->add_option("--amount", o->amount,
                      "Only this part is disputed (default: all that is open)")
          ->option_text("AMOUNT");
    add_dry_run(*sub, o->dry_run);
    commands.push_back(
        {sub, [&global, o, kind, dispute] {
           return write_dated(
               global, o->date, o->dry_run,
               [&](const Books& books, Date day) {
                 return plan_invoice_event(books, kind, o->id, day, o->reason,
                                           o->amount.value_or(""));
               },
               [&](const PlannedChange&, Date day) {
                 return fmt::format("invoice {} {} on {}", o->id,
                                    dispute ? "disputed" : "resolved",
                                    format_date(day));
               });
         }});
  }
}

} // namespace arctl::cli
