// arctl reconcile gl: the receivables tied out to the general ledger's
// control account at a date.
#include "arctl/tieout.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "common.hpp"

namespace arctl::cli {

namespace {

struct GlArgs {
  std::optional<std::string> as_of, journal, tool, trial_balance, from;
  std::vector<std::string> balances, accounts;
  bool net = false;
  std::string format;
};

// The GL's side from the one source given.
Result<GlStatement> gl_statement(const Books& books, const GlArgs& o,
                                 const std::vector<std::string>& accounts,
                                 Date as_of, JournalFormat tool) {
  if (o.journal)
    return read_gl_journal(tool, *o.journal, accounts, as_of);
  const auto currency = books.config.currency;
  if (o.trial_balance) {
    auto text = read_input("--trial-balance", *o.trial_balance);
    if (!text)
      return std::unexpected(std::move(text.error()));
    return read_trial_balance(*text, input_name(*o.trial_balance), accounts,
                              currency);
  }
  GlStatement gl;
  gl.source = "the figure given (--balance)";
  gl.accounts = accounts;
  for (const auto& text : o.balances) {
    auto m = parse_gl_amount(text, currency);
    if (!m)
      return fail(ExitCode::usage,
                  fmt::format("--balance: {}", m.error().message));
    for (const auto& b : gl.balances)
      if (b.currency() == m->currency())
        return fail(ExitCode::usage, fmt::format("--balance: {} is given twice",
                                                 m->currency().name()));
    gl.balances.push_back(*m);
  }
  return gl;
}

int run_gl(const GlobalOptions& global, const GlArgs& o) {
  const int sources = (o.balances.empty() ? 0 : 1) + (o.journal ? 1 : 0) +
                      (o.trial_balance ? 1 : 0);
  if (sources != 1)
    return usage_error("reconcile gl",
                       "give the general ledger's side as one of --balance, "
                       "--journal or --trial-balance");
  if (o.tool && !o.journal)
    return usage_error("--tool", "only with --journal");
  if (o.from && !o.journal)
    return usage_error("--from", "only with --journal");
  auto tool = JournalFormat::ledger;
  if (o.journal) {
    if (*o.journal == "-")
      return usage_error("--journal",
                         "a journal is read by its tool from a file, not "
                         "from standard input");
    const auto told =
        o.tool ? parse_journal_format(*o.tool) : journal_tool_for(*o.journal);
    if (!told)
      return usage_error("--tool",
                         fmt::format("cannot tell the tool from the name "
                                     "\"{}\"; give --tool ledger, hledger "
                                     "or beancount",
                                     *o.journal));
    tool = *told;
  }
  const auto as_of = date_or_today("--as-of", o.as_of);
  if (!as_of)
    return static_cast<int>(ExitCode::usage);
  TieOutRequest request;
  request.as_of = *as_of;
  request.basis = o.net ? TieOutBasis::net : TieOutBasis::receivable;
  if (o.from) {
    request.from = date_option("--from", *o.from);
    if (!request.from)
      return static_cast<int>(ExitCode::usage);
    if (*as_of < *request.from)
      return usage_error("--from", fmt::format("{} is after --as-of {}",
                                               format_date(*request.from),
                                               format_date(*as_of)));
  }
  return read_ledger(
      global, k_end_of_time, [&](const Books& books, const Ledger& end) {
        // The accounts arctl export posts to, unless told otherwise.
        auto accounts = o.accounts;
        if (accounts.empty()) {
          accounts.push_back(books.config.export_accounts.receivable);
          if (o.net)
            accounts.push_back(books.config.export_accounts.customer_credit);
        }
        auto gl = gl_statement(books, o, accounts, *as_of, tool);
        if (!gl)
          return report(gl.error());
        for (const auto& line : gl->warnings)
          std::fprintf(stderr, "arctl: warning: %s: %s\n",
                       std::string(tool_program(tool)).c_str(), line.c_str());
        auto result = tie_out(books, end, *gl, request);
        if (!result)
          return report(result.error());
        switch (*parse_format(o.format)) {
        case Format::table:
          print(tie_out_text(books, *result));
          break;
        case Format::csv:
          print(render(tie_out_table(books, *result), Format::csv));
          break;
        case Format::json:
          print(tie_out_json(books, *result));
          break;
        }
        return static_cast<int>(result->agrees() ? ExitCode::ok
                                                 : ExitCode::findings);
      });
}

} // namespace

void register_reconcile_gl(CLI::App& reconcile, const GlobalOptions& global,
                           Commands& commands) {
  auto o = std::make_shared<GlArgs>();
  auto* sub = reconcile.add_subcommand(
      "gl", "Tie the receivables out to the general ledger's control "
            "account at a date, and list what explains a difference");
  sub->add_option("--as-of", o->as_of,
                  "Compare the figures at the end of this date (default: "
                  "today)")
      ->option_text("YYYY-MM-DD");
  sub->add_option("--balance", o->balances,
                  "The control account's balance as the GL states it, with "
                  "its currency code unless it is the books' currency "
                  "(repeat for several currencies)")
      ->option_text("AMOUNT")
      ->allow_extra_args(false);
  sub->add_option("--journal", o->journal,
                  "A ledger, hledger or beancount journal, read by running "
                  "that tool")
      ->option_text("FILE");
  sub->add_option("--tool", o->tool,
                  "The tool that reads --journal (default: told by the file "
                  "name: .ledger .dat, .hledger .journal, .beancount .bean)")
      ->check(CLI::IsMember({"ledger", "hledger", "beancount"}))
      ->option_text("ledger|hledger|beancount");
  sub->add_option("--trial-balance", o->trial_balance,
                  "A trial balance in CSV: account and balance, or account, "
                  "debit and credit; optionally currency (- for stdin)")
      ->option_text("FILE");
  sub->add_option("--account", o->accounts,
                  "The control account, with its sub-accounts (repeat for "
                  "several; default: the books' [export] receivable account, "
                  "with --net the customer-credit account too)")
      ->option_text("NAME")
      ->allow_extra_args(false);
  sub->add_flag("--net", o->net,
                "Compare with receivables less unapplied credit (default: "
                "open invoices, unapplied credit not deducted)");
  sub->add_option("--from", o->from,
                  "The GL took arctl's journal from this date on (arctl "
                  "export --from): compare its opening balances and the "
                  "documents from then on")
      ->option_text("YYYY-MM-DD");
  add_format_option(*sub, o->format);
  commands.push_back({sub, [&global, o] { return run_gl(global, *o); }});
}

} // namespace arctl::cli
