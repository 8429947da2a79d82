// arctl post: payments received and applied, applications later and
// undone, discounts, write-offs, refunds, reversals, batches of receipts.
#include "arctl/posting.hpp"
#include "arctl/receipts.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "common.hpp"

namespace arctl::cli {

namespace {

struct PostFlags {
  bool no_discount = false, allow_third_party = false, dry_run = false;
};

struct PaymentOptions {
  std::optional<std::string> customer, amount, date, method, ref, id, bank_tx,
      memo;
  std::vector<std::string> apply; // INVOICE or INVOICE=AMOUNT
  bool auto_apply = false;
  PostFlags flags;
};

struct BatchOptions {
  std::string file;
  bool auto_apply = false, skip_existing = false;
  PostFlags flags;
};

struct ApplyOptions {
  std::string from, to;
  std::optional<std::string> amount, date;
  std::string memo;
  bool allow_third_party = false, dry_run = false;
};

struct SettleOptions {
  std::string invoice;
  std::optional<std::string> amount, date;
  std::string reason, approve, from;
  bool dry_run = false;
};

struct RefundOptions {
  std::string customer, amount;
  std::optional<std::string> date;
  std::string from, reason;
  bool dry_run = false;
};

struct ReverseOptions {
  std::string payment;
  std::optional<std::string> date;
  std::string reason, fee;
  bool dry_run = false;
};

Receipt receipt_from_options(const PaymentOptions& o) {
  Receipt r;
  r.at.option = "--amount";
  r.customer = option_field("--customer", o.customer);
  r.amount = option_field("--amount", o.amount);
  r.date = option_field("--date", o.date);
  r.method = option_field("--method", o.method);
  r.reference = option_field("--ref", o.ref);
  r.id = option_field("--id", o.id);
  r.bank_tx = option_field("--bank-tx", o.bank_tx);
  r.memo = option_field("--memo", o.memo);
  for (const auto& a : o.apply) {
    const auto eq = a.find('=');
    ReceiptApplication app;
    app.invoice = option_field("--apply", a.substr(0, eq));
    app.amount = option_field(
        "--apply", eq == std::string::npos ? std::nullopt
                                           : std::optional(a.substr(eq + 1)));
    r.apply.push_back(std::move(app));
  }
  r.auto_apply = o.auto_apply;
  return r;
}

void add_post_flags(CLI::App& sub, PostFlags& flags) {
  sub.add_flag("--no-discount", flags.no_discount,
               "Never take an early-payment discount: a short payment stays "
               "short");
  sub.add_flag("--allow-third-party", flags.allow_third_party,
               "Allow applying to another customer's invoices");
  add_dry_run(sub, flags.dry_run);
}

void print_notes(const std::vector<std::string>& notes) {
  for (const auto& n : notes)
    std::fprintf(stderr, "arctl: note: %s\n", n.c_str());
}

// Posts receipts and prints the new payments' ids, one per line; notes and
// skipped receipts go to stderr.
int post_receipts(const GlobalOptions& global, std::vector<Receipt> receipts,
                  const ReceiptOptions& options, bool dry_run) {
  std::vector<std::string> notes, payments;
  const int status = write_books(
      global, dry_run,
      [&](const Books& books) -> Result<PlannedChange> {
        auto plan = plan_receipts(books, receipts, today(), options);
        if (!plan)
          return std::unexpected(std::move(plan.error()));
        for (const auto& s : plan->skipped)
          notes.push_back(fmt::format("skipped {}: {}",
                                      s.at.option.empty()
                                          ? fmt::format("{}:{}", s.at.loc.file,
                                                        s.at.loc.line)
                                          : std::string("the payment"),
                                      s.why));
        for (const auto& r : plan->receipts) {
          payments.push_back(r.id);
          notes.insert(notes.end(), r.notes.begin(), r.notes.end());
        }
        return std::move(plan->planned);
      },
      [&](const PlannedChange&) {
        std::string out;
        for (const auto& id : payments)
          out += (out.empty() ? "" : "\n") + id;
        return out;
      });
  if (status == 0)
    print_notes(notes);
  return status;
}

// The ids a change creates, one per line.
std::string print_ids(const PlannedChange& plan, Date) {
  std::string out;
  for (const auto& id : plan.ids)
    out += (out.empty() ? "" : "\n") + id;
  return out;
}

} // namespace

void register_post(CLI::App& app, const GlobalOptions& global,
                   Commands& commands) {
  auto* post = app.add_subcommand(
      "post", "Record payments and what becomes of them");
  post->require_subcommand(1);

  // ---- payment
  {
    auto o = std::make_shared<PaymentOptions>();
    auto* sub = post->add_subcommand(
        "payment", "Record a payment received and apply it; prints its id");
    sub->add_option("--customer", o->customer, "Who paid (required)")
        ->option_text("ID")
        ->required();
    sub->add_option("--amount", o->amount, "How much (required)")
        ->option_text("AMOUNT")
        ->required();
    add_date_option(*sub, o->date, "The date it was received");
    sub->add_option("--method", o->method,
                    "check, card, ach, wire, cash or other")
        ->option_text("METHOD");
    sub->add_option("--ref", o->ref,
                    "The payer's reference: a check number, remittance text")
        ->option_text("TEXT");
    sub->add_option("--bank-tx", o->bank_tx,
                    "The bank's transaction id; posting it twice is refused")
        ->option_text("ID");
    sub->add_option("--id", o->id, "The payment's id (default: the next number)")
        ->option_text("ID");
    sub->add_option("--memo", o->memo, "A note")->option_text("TEXT");
    sub->add_option("--apply", o->apply,
                    "Apply to this invoice: all that is open up to what is "
                    "left, or AMOUNT (repeatable)")
        ->option_text("INVOICE[=AMOUNT]");
    sub->add_flag("--auto", o->auto_apply,
                  "Apply the rest to the invoices the reference names, then "
                  "to the oldest due");
    add_post_flags(*sub, o->flags);
    commands.push_back({sub, [&global, o] {
                          ReceiptOptions options;
                          options.discounts = !o->flags.no_discount;
                          options.allow_third_party = o->flags.allow_third_party;
                          return post_receipts(global, {receipt_from_options(*o)},
                                               options, o->flags.dry_run);
                        }});
  }

  // ---- batch
  {
    auto o = std::make_shared<BatchOptions>();
    auto* sub = post->add_subcommand(
        "batch", "Post the receipts of a CSV file (or - for stdin), all or "
                 "none; prints the new payments' ids");
    sub->add_option("FILE", o->file, "The batch file")->required();
    sub->add_flag("--auto", o->auto_apply,
                  "Apply what a row does not apply itself automatically");
    sub->add_flag("--skip-existing", o->skip_existing,
                  "Skip receipts that are in the books already, and say so");
    add_post_flags(*sub, o->flags);
    commands.push_back(
        {sub, [&global, o] {
           auto text = read_input("FILE", o->file);
           if (!text)
             return report(text.error());
           auto receipts =
               parse_receipt_batch(*text, input_name(o->file), o->auto_apply);
           if (!receipts)
             return report(receipts.error());
           ReceiptOptions options;
           options.discounts = !o->flags.no_discount;
           options.allow_third_party = o->flags.allow_third_party;
           options.skip_existing = o->skip_existing;
           options.require_key = true;
           return post_receipts(global, std::move(*receipts), options,
                                o->flags.dry_run);
         }});
  }

  // ---- apply and unapply
  for (const bool undo : {false, true}) {
    auto o = std::make_shared<ApplyOptions>();
    auto* sub = post->add_subcommand(
        undo ? "unapply" : "apply",
        undo ? "Undo an application of a payment or credit memo"
             : "Apply unapplied credit (a payment or credit memo) to an "
               "invoice");
    sub->add_option("--from", o->from, "The payment or credit memo (required)")
        ->option_text("ID")
        ->required();
    sub->add_option("--to", o->to, "The invoice (required)")
        ->option_text("INVOICE")
        ->required();
    sub->add_option("--amount", o->amount,
                    undo ? "How much (default: all that is applied)"
                         : "How much (default: all that can be)")
        ->option_text("AMOUNT");
    add_date_option(*sub, o->date,
                    undo ? "The date it is undone" : "The date of the application");
    sub->add_option("--memo", o->memo, "A note")->option_text("TEXT");
    if (!undo)
      sub->add_flag("--allow-third-party", o->allow_third_party,
                    "Allow applying to another customer's invoice");
    add_dry_run(*sub, o->dry_run);
    commands.push_back(
        {sub, [&global, o, undo] {
           return write_dated(
               global, o->date, o->dry_run,
               [&](const Books& books, Date day) {
                 const ApplyRequest request{o->from, o->to,
                                            o->amount.value_or(""), day,
                                            o->memo, o->allow_third_party};
                 return undo ? plan_unapply(books, request)
                             : plan_apply(books, request);
               },
               [](const PlannedChange& plan, Date) { return plan.summary; });
         }});
  }

  // ---- writeoff and discount
  for (const auto kind : {AdjustmentKind::writeoff, AdjustmentKind::discount}) {
    const bool writeoff = kind == AdjustmentKind::writeoff;
    auto o = std::make_shared<SettleOptions>();
    auto* sub = post->add_subcommand(
        std::string(to_string(kind)),
        writeoff ? "Write off what is left of an invoice; prints the "
                   "adjustment's id"
                 : "Grant a discount on an invoice; prints the adjustment's id");
    sub->add_option("INVOICE", o->invoice, "The invoice")->required();
    sub->add_option("--amount", o->amount,
                    "How much (default: all that is open)")
        ->option_text("AMOUNT");
    sub->add_option("--reason", o->reason,
                    writeoff ? "Why (required)" : "Why")
        ->option_text("TEXT");
    add_date_option(*sub, o->date,
                    writeoff ? "The date of the write-off"
                             : "The date of the discount");
    if (writeoff)
      sub->add_option("--approve", o->approve,
                      "Who approved it: required above writeoff_limit")
          ->option_text("NAME");
    else
      sub->add_option("--from", o->from, "The payment it goes with")
          ->option_text("PAYMENT");
    add_dry_run(*sub, o->dry_run);
    commands.push_back(
        {sub, [&global, o, kind] {
           return write_dated(
               global, o->date, o->dry_run,
               [&](const Books& books, Date day) {
                 return plan_settle(books, {kind, o->invoice,
                                            o->amount.value_or(""), day,
                                            o->reason, o->approve, o->from});
               },
               print_ids);
         }});
  }

  // ---- refund
  {
    auto o = std::make_shared<RefundOptions>();
    auto* sub = post->add_subcommand(
        "refund", "Pay back unapplied credit; prints the refunds' ids");
    sub->add_option("--customer", o->customer, "Whose credit (required)")
        ->option_text("ID")
        ->required();
    sub->add_option("--amount", o->amount, "How much (required)")
        ->option_text("AMOUNT")
        ->required();
    sub->add_option("--from", o->from,
                    "From this payment or credit memo (default: the oldest "
                    "credit first)")
        ->option_text("ID");
    add_date_option(*sub, o->date, "The date it is paid back");
    sub->add_option("--reason", o->reason, "Why")->option_text("TEXT");
    add_dry_run(*sub, o->dry_run);
    commands.push_back(
        {sub, [&global, o] {
           return write_dated(
               global, o->date, o->dry_run,
               [&](const Books& books, Date day) {
                 return plan_refund(books, {o->customer, o->amount, o->from,
                                            day, o->reason});
               },
               print_ids);
         }});
  }

  // ---- reverse
  {
    auto o = std::make_shared<ReverseOptions>();
    auto* sub = post->add_subcommand(
        "reverse", "Reverse a payment that did not arrive (a bounced check, a "
                   "charge-back); prints the reversal's id");
    sub->add_option("PAYMENT", o->payment, "The payment")->required();
    add_date_option(*sub, o->date, "The date it was returned");
    sub->add_option("--reason", o->reason, "Why (required)")
        ->option_text("TEXT");
    sub->add_option("--fee", o->fee,
                    "Charge the customer this fee on a new invoice")
        ->option_text("AMOUNT");
    add_dry_run(*sub, o->dry_run);
    commands.push_back(
        {sub, [&global, o] {
           return write_dated(
               global, o->date, o->dry_run,
               [&](const Books& books, Date day) {
                 return plan_reversal(books,
                                      {o->payment, day, o->reason, o->fee});
               },
               print_ids);
         }});
  }
}

} // namespace arctl::cli
