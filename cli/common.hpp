// What every subcommand shares: global options, finding the books, colour,
// progress on a terminal, printing errors and mapping them to exit codes.
#pragma once

#include "arctl/books.hpp"
#include "arctl/dates.hpp"
#include "arctl/error.hpp"
#include "arctl/invoicing.hpp"
#include "arctl/ledger.hpp"
#include "arctl/report.hpp"
#include "arctl/transaction.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace arctl::cli {

struct GlobalOptions {
  std::optional<std::string> books; // --books DIR
  std::optional<unsigned> wait;     // --wait SECONDS for the books' lock
};

// How long a command waits for the books' lock: --wait, else not at all
// for a writer and 10 seconds for a reader.
[[nodiscard]] std::chrono::milliseconds lock_wait(const GlobalOptions& global,
                                                  LockMode mode);

// A subcommand's body, run after parsing when that subcommand was given.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

using Commands = std::vector<Command>;

// Registration, one per subcommand file: adds the subcommand and its
// options to `app` and its body to `commands`.
void register_init(CLI::App& app, const GlobalOptions& global, Commands& commands);
void register_check(CLI::App& app, const GlobalOptions& global, Commands& commands);
void register_invoice(CLI::App& app, const GlobalOptions& global, Commands& commands);
void register_customer(CLI::App& app, const GlobalOptions& global, Commands& commands);
void register_post(CLI::App& app, const GlobalOptions& global, Commands& commands);
void register_age(CLI::App& app, const GlobalOptions& global, Commands& commands);
void register_statement(CLI::App& app, const GlobalOptions& global, Commands& commands);
void register_export(CLI::App& app, const GlobalOptions& global, Commands& commands);
void register_dun(CLI::App& app, const GlobalOptions& global, Commands& commands);
void register_reconcile(CLI::App& app, const GlobalOptions& global,
                        Commands& commands);
// `arctl reconcile gl`, under `reconcile` (reconcile_gl.cpp).
void register_reconcile_gl(CLI::App& reconcile, const GlobalOptions& global,
                           Commands& commands);
// `arctl dun send`, under `dun`.
void register_dun_send(CLI::App& dun, const GlobalOptions& global,
                       Commands& commands);
// The subcommands of `arctl dun` for promises, plans and history
// (dun_arrangements.cpp), under `dun`.
void register_dun_arrangements(CLI::App& dun, const GlobalOptions& global,
                               Commands& commands);

// Finds the books from --books, ARCTL_BOOKS or the current directory.
[[nodiscard]] Result<BooksDir> find_books(const GlobalOptions& global);

// True when output to `fd` may be coloured: a terminal, NO_COLOR unset or
// empty, TERM not "dumb".
[[nodiscard]] bool color_for(int fd);

// A progress indicator on stderr when it is a terminal; else an empty
// function, so scripts and cron logs stay clean.
[[nodiscard]] ProgressFn progress_on_stderr();

// For a report: finds the books, takes the shared lock, reads them (bad
// books are reported, exit 65) and runs `run` on them.
int read_books(const GlobalOptions& global,
               const std::function<int(const Books&)>& run);

// For a report as of a date: the --as-of option (else today), then the
// books read as read_books does, then `run` on them and their ledger.
int read_ledger(const GlobalOptions& global,
                const std::optional<std::string>& as_of,
                const std::function<int(const Books&, const Ledger&)>& run);

// The same as of a date already known (k_end_of_time: every fact).
int read_ledger(const GlobalOptions& global, Date as_of,
                const std::function<int(const Books&, const Ledger&)>& run);

// read_ledger for a report that reads no more than the customers and the
// ledger's open items (open_items), such as an aging: from a snapshot, the
// other records are not read unless touched, so such a report costs what
// is open, not the whole history.
int read_open_items(const GlobalOptions& global,
                    const std::optional<std::string>& as_of,
                    const std::function<int(const Books&, const Ledger&)>& run);

// Prints what a change would write: appended records as they are, a
// replaced record as in a diff.
void print_plan(const PlannedChange& plan);

// The path of every command that writes: the books' exclusive lock (fail
// fast: another writer is at work), valid books, a planned change, then
// commit and print what `done` says, or with --dry-run only show the plan.
int write_books(const GlobalOptions& global, bool dry_run,
                const std::function<Result<PlannedChange>(const Books&)>& plan,
                const std::function<std::string(const PlannedChange&)>& done);

// The whole content of a file, or of stdin for "-"; `option` names the
// option or argument in errors (ExitCode::no_input).
[[nodiscard]] Result<std::string> read_input(std::string_view option,
                                             const std::string& path);

// Prints an error with its diagnostics to stderr; returns its exit code.
int report(const Error& error);

// Reports an error about the file an option names, the option first
// ("--out: cannot write x: No space left on device").
int report_option(std::string_view option, Error error);

// Writes `text` to the file `path` named by `option`, whole or not at all
// (OutputFile), or reports why not (ExitCode::cannot_write).
int write_output(std::string_view option, const std::string& path,
                 std::string_view text);

// Adds --format with the given choices (the first is the default).
CLI::Option* add_format_option(CLI::App& app, std::string& target,
                               std::vector<std::string> choices = {
                                   "table", "csv", "json"});

// Writes text to stdout in full.
void print(std::string_view text);

// Today's date on this machine's calendar (local time). Only the command
// line reads the clock; the library is always given its dates.
[[nodiscard]] Date today();

// Parses the value of a date option ("--as-of"); on failure prints
// "arctl: error: --as-of: ..." and returns nullopt (exit with 64).
[[nodiscard]] std::optional<Date> date_option(std::string_view option,
                                              const std::string& text);

// The date an optional date option gives, or today when it was not given;
// nullopt after a usage error naming the option when it is not a date.
[[nodiscard]] std::optional<Date>
date_or_today(std::string_view option, const std::optional<std::string>& text);

// A draft's field from an option: given when the option was.
[[nodiscard]] DraftField option_field(const char* option,
                                      const std::optional<std::string>& value);

// For a command that writes a fact dated by --date (default today): the
// date, then write_books with it. A --date that is not a date is a usage
// error.
int write_dated(
    const GlobalOptions& global, const std::optional<std::string>& date,
    bool dry_run,
    const std::function<Result<PlannedChange>(const Books&, Date)>& plan,
    const std::function<std::string(const PlannedChange&, Date)>& done);

// Adds --date, a date that defaults to today; `what` says what it dates.
void add_date_option(CLI::App& sub, std::optional<std::string>& target,
                     const std::string& what);

// Adds --dry-run.
void add_dry_run(CLI::App& sub, bool& target);

// How a file given as an option is named in messages: "<stdin>" for "-".
[[nodiscard]] std::string input_name(const std::string& path);

// Prints a usage error naming the option; returns 64.
int usage_error(std::string_view option, std::string_view message);

} // namespace arctl::cli
