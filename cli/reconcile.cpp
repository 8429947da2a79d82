// arctl reconcile: bank statements in (import); matching and the tie-out
// to the general ledger are to come as further subcommands.
#include "arctl/bank/import.hpp"
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

} // namespace

void register_reconcile(CLI::App& app, const GlobalOptions& global,
                        Commands& commands) {
  auto* reconcile = app.add_subcommand(
      "reconcile", "Bank statements in, to be matched to open items");
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
  register_reconcile_gl(*reconcile, global, commands);
}

} // namespace arctl::cli
