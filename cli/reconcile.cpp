// arctl reconcile: bank statements in (import), matched to open items
// (match, status, confirm, ignore), and tied out to the general ledger (gl).
#include "arctl/bank/import.hpp"
#include "arctl/reconcile.hpp"
#include "arctl/report.hpp"

#include <fmt/format.h>

#include "common.hpp"

namespace arctl::cli {

namespace {

struct ImportArgs {
  std::vector<std::string> files;
  std::optional<std::string> date;
  std::string format = "auto", profile, account, encoding;
  bool no_balance_check = false, dry_run = false;
};

// Per file: what it is, what was read, what is new, and its credits.
std::string summary(const ImportPlan& plan, bool dry_run) {
  TableData t;
  t.columns = {{"file"},
               {"format"},
               {"read", true},
               {"new", true},
               {"already there", true},
               {"credits"}};
  for (const auto& f : plan.files) {
    std::string credits;
    for (const auto& m : f.credits)
      credits += fmt::format("{}{} {}", credits.empty() ? "" : ", ",
                             m.to_display(), m.currency().name());
    t.rows.push_back({f.file, std::string(to_string(f.format)),
                      std::to_string(f.read), std::to_string(f.added),
                      std::to_string(f.present),
                      credits.empty() ? "-" : credits});
  }
  std::size_t added = 0;
  for (const auto& f : plan.files)
    added += f.added;
  return render(t, Format::table) +
         fmt::format(
             "{} {} new bank transaction{}{}\n",
             dry_run ? "would add" : "added", added, added == 1 ? "" : "s",
             added == 0   ? std::string()
             : added == 1 ? fmt::format(" ({})", plan.planned.ids[0])
                          : fmt::format(" ({} to {})", plan.planned.ids.front(),
                                        plan.planned.ids.back()));
}

int run_import(const GlobalOptions& global, const ImportArgs& args) {
  ImportOptions options;
  if (args.format != "auto") {
    options.format = parse_statement_format(args.format);
    if (!options.format)
      return usage_error("--format", "unknown statement format");
  }
  options.profile = args.profile;
  options.account = args.account;
  options.encoding = args.encoding;
  options.check_balances = !args.no_balance_check;
  const auto day = date_or_today("--date", args.date);
  if (!day)
    return static_cast<int>(ExitCode::usage);
  options.today = *day;
  std::vector<StatementFile> files;
  for (const auto& path : args.files) {
    auto bytes = read_input("FILE", path);
    if (!bytes)
      return report(bytes.error());
    files.push_back({path, std::move(*bytes)});
  }
  std::string text;
  const int status = write_books(
      global, args.dry_run,
      [&](const Books& books) -> Result<PlannedChange> {
        auto plan = plan_bank_import(books, files, options);
        if (!plan)
          return std::unexpected(std::move(plan.error()));
        text = summary(*plan, args.dry_run);
        return std::move(plan->planned);
      },
      [&](const PlannedChange&) {
        text.pop_back();
        return text;
      });
  if (status == 0 && args.dry_run)
    print(text);
  return status;
}

struct MatchArgs {
  std::optional<std::string> as_of, date;
  std::string format = "table";
  bool post = false, dry_run = false;
  std::optional<int> min_confidence;
};

// arctl.toml's [reconcile], with --min-confidence over its min_confidence.
MatchOptions options_for(const Books& books, const MatchArgs& args) {
  auto options = match_options(books.config);
  if (args.min_confidence)
    options.min_confidence = *args.min_confidence;
  return options;
}

int run_match(const GlobalOptions& global, const MatchArgs& args) {
  const auto as_of = date_or_today("--as-of", args.as_of);
  if (!as_of)
    return static_cast<int>(ExitCode::usage);
  if (!args.post)
    return read_ledger(global, k_end_of_time,
                       [&](const Books& books, const Ledger& ledger) {
                         const auto options = options_for(books, args);
                         const auto run =
                             match_bank(books, ledger, *as_of, options);
                         const int min = options.min_confidence;
                         if (args.format == "table")
                           print(match_text(books, run, min));
                         else
                           print(render(match_table(books, run, min),
                                        *parse_format(args.format)));
                         return 0;
                       });
  std::string text;
  const int status = write_dated(
      global, args.date, args.dry_run,
      [&](const Books& books, Date today) -> Result<PlannedChange> {
        const auto ledger = compute_ledger(books, k_end_of_time);
        const auto options = options_for(books, args);
        const auto run = match_bank(books, ledger, *as_of, options);
        const int min = options.min_confidence;
        auto posting = plan_match_post(books, run, min, today);
        if (!posting)
          return std::unexpected(std::move(posting.error()));
        for (const auto k : posting->posted) {
          const auto& p = run.proposals[k];
          text += fmt::format("{}: {} ({}%)\n",
                              books.bank_transactions[run.bank[k]].id,
                              to_string(*p.rule), p.confidence);
        }
        const auto left = run.proposals.size() - posting->posted.size();
        text += fmt::format(
            "{} {} of {} bank credit{}{}; {} left for 'arctl reconcile "
            "status'",
            args.dry_run ? "would post" : "posted", posting->posted.size(),
            run.proposals.size(), run.proposals.size() == 1 ? "" : "s",
            posting->planned.ids.empty()
                ? std::string()
                : fmt::format(" ({})", fmt::join(posting->planned.ids, ", ")),
            left);
        if (posting->posted.empty())
          posting->planned.summary = text;
        return std::move(posting->planned);
      },
      [&](const PlannedChange&, Date) { return text; });
  if (status == 0 && args.dry_run)
    print(text + "\n");
  return status;
}

struct StatusArgs {
  std::optional<std::string> as_of;
  std::string format = "table";
};

int run_status(const GlobalOptions& global, const StatusArgs& args) {
  const auto as_of = date_or_today("--as-of", args.as_of);
  if (!as_of)
    return static_cast<int>(ExitCode::usage);
  return read_books(global, [&](const Books& books) {
    const auto exceptions =
        reconcile_exceptions(books, link_bank(books), *as_of);
    const auto table = exceptions_table(books, exceptions);
    if (args.format != "table") {
      print(render(table, *parse_format(args.format)));
      return 0;
    }
    std::string out;
    if (!exceptions.empty())
      out = render(table, Format::table);
    out += fmt::format("{} exception{} as of {}\n", exceptions.size(),
                       exceptions.size() == 1 ? "" : "s", format_date(*as_of));
    print(out);
    return 0;
  });
}

struct DecideArgs {
  std::string bank;
  std::vector<std::string> apply, payments;
  std::string customer, reason;
  std::optional<std::string> date;
  bool dry_run = false;
};

int run_confirm(const GlobalOptions& global, const DecideArgs& args) {
  return write_dated(
      global, args.date, args.dry_run,
      [&](const Books& books, Date today) {
        return plan_confirm(books, {args.bank, args.apply, args.customer,
                                    args.payments, args.reason, today});
      },
      [](const PlannedChange& planned, Date) { return planned.summary; });
}

int run_ignore(const GlobalOptions& global, const DecideArgs& args) {
  return write_dated(
      global, args.date, args.dry_run,
      [&](const Books& books, Date today) {
        return plan_ignore(books, args.bank, args.reason, today);
      },
      [](const PlannedChange& planned, Date) { return planned.summary; });
}

} // namespace

void register_reconcile(CLI::App& app, const GlobalOptions& global,
                        Commands& commands) {
  auto* reconcile = app.add_subcommand(
      "reconcile", "Bank statements in, matched to open items, exceptions "
                   "cleared, the receivables tied out to the general ledger");
  reconcile->require_subcommand(1);

  auto o = std::make_shared<ImportArgs>();
  auto* sub = reconcile->add_subcommand(
      "import", "Read bank statements into bank.csv, all files or none; a "
                "transaction imported before is not added again");
  sub->add_option("FILE", o->files,
                  "Statements: camt.053, camt.054, MT940, OFX, BAI2, or CSV "
                  "with --profile (- for stdin)")
      ->required();
  sub->add_option("--format", o->format,
                  "auto (tell by the content), csv, ofx, camt053, camt054, "
                  "mt940 or bai2 (default: auto)")
      ->check(CLI::IsMember(
          {"auto", "csv", "ofx", "camt053", "camt054", "mt940", "bai2"}))
      ->option_text("FORMAT");
  sub->add_option("--profile", o->profile,
                  "Read a CSV export as [bank.profile.NAME] of arctl.toml says")
      ->option_text("NAME");
  sub->add_option("--account", o->account,
                  "The bank account, for statements that name none; a "
                  "statement of another account is refused")
      ->option_text("ACCOUNT");
  sub->add_option("--encoding", o->encoding,
                  "The files' encoding (latin1, cp850, cp852, ...; default: "
                  "UTF-8 if they are, else told by their bytes)")
      ->option_text("NAME");
  sub->add_flag("--no-balance-check", o->no_balance_check,
                "Import statements whose balances (MT940) or control totals "
                "(BAI2) do not add up");
  add_date_option(*sub, o->date, "The import date bank.csv records");
  add_dry_run(*sub, o->dry_run);
  commands.push_back({sub, [&global, o] { return run_import(global, *o); }});

  auto m = std::make_shared<MatchArgs>();
  sub = reconcile->add_subcommand(
      "match", "Propose what each bank credit not yet accounted for pays, "
               "with the rule, confidence and reason; --post posts the "
               "confident ones");
  sub->add_option("--as-of", m->as_of,
                  "Match the credits booked on or before this date (default: "
                  "today)")
      ->option_text("YYYY-MM-DD");
  add_format_option(*sub, m->format);
  sub->add_flag("--post", m->post,
                "Post the matches of at least --min-confidence as payments "
                "(or links to payments in the books), each bank credit once");
  sub->add_option("--min-confidence", m->min_confidence,
                  "The least confidence posted or shown as 'post' (default: "
                  "[reconcile] min_confidence, else 90)")
      ->check(CLI::Range(1, 100))
      ->option_text("1-100");
  add_date_option(*sub, m->date, "With --post: the date decisions record");
  add_dry_run(*sub, m->dry_run);
  commands.push_back({sub, [&global, m] {
                        if ((m->dry_run || m->date) && !m->post)
                          return usage_error(m->dry_run ? "--dry-run" : "--date",
                                             "only with --post");
                        if (m->post && m->format != "table")
                          return usage_error("--format",
                                             "--post prints what it posted");
                        return run_match(global, *m);
                      }});

  auto st = std::make_shared<StatusArgs>();
  sub = reconcile->add_subcommand(
      "status", "The exceptions: bank credits nothing accounts for, payments "
                "no bank line carries, and differences");
  sub->add_option("--as-of", st->as_of, "As of this date (default: today)")
      ->option_text("YYYY-MM-DD");
  add_format_option(*sub, st->format);
  commands.push_back({sub, [&global, st] { return run_status(global, *st); }});

  auto c = std::make_shared<DecideArgs>();
  sub = reconcile->add_subcommand(
      "confirm", "Say by hand what a bank credit is: a payment applied to "
                 "invoices, unapplied cash of a customer, or payments in the "
                 "books");
  sub->add_option("BANK_TX", c->bank, "The bank transaction (bank.csv id)")
      ->required();
  sub->add_option("--apply", c->apply,
                  "Apply to this invoice, all that is open or AMOUNT "
                  "(repeat, in order)")
      ->option_text("INVOICE[=AMOUNT]")
      ->allow_extra_args(false);
  sub->add_option("--customer", c->customer,
                  "The payer (default: the first invoice's customer); alone: "
                  "unapplied cash on its account")
      ->option_text("ID");
  sub->add_option("--payment", c->payments,
                  "Payments in the books the credit carries (repeat)")
      ->option_text("ID")
      ->allow_extra_args(false);
  sub->add_option("--reason", c->reason, "Why, for the record")
      ->option_text("TEXT");
  add_date_option(*sub, c->date, "The date the decision records");
  add_dry_run(*sub, c->dry_run);
  commands.push_back({sub, [&global, c] { return run_confirm(global, *c); }});

  auto g = std::make_shared<DecideArgs>();
  sub = reconcile->add_subcommand(
      "ignore", "Take a bank credit off the exceptions: it is not the "
                "receivables' (a loan, a transfer), with the reason");
  sub->add_option("BANK_TX", g->bank, "The bank transaction (bank.csv id)")
      ->required();
  sub->add_option("--reason", g->reason, "Why it is not the receivables'")
      ->option_text("TEXT")
      ->required();
  add_date_option(*sub, g->date, "The date the decision records");
  add_dry_run(*sub, g->dry_run);
  commands.push_back({sub, [&global, g] { return run_ignore(global, *g); }});
  register_reconcile_gl(*reconcile, global, commands);
}

} // namespace arctl::cli
