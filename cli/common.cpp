#include "common.hpp"

#include "arctl/check.hpp"
#include "arctl/snapshot.hpp"
#include "arctl/transaction.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cerrno>
#include <unistd.h>

namespace arctl::cli {

namespace {

std::optional<std::string> environment(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::optional<std::string>(v) : std::nullopt;
}

} // namespace

Result<BooksDir> find_books(const GlobalOptions& global) {
  const auto env = environment("ARCTL_BOOKS");
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  if (ec)
    return fail(ExitCode::no_input,
                fmt::format("cannot read the current directory: {}",
                            ec.message()));
  return locate_books(global.books, env, cwd);
}

std::chrono::milliseconds lock_wait(const GlobalOptions& global,
                                    LockMode mode) {
  if (global.wait)
    return std::chrono::seconds(*global.wait);
  return mode == LockMode::shared ? std::chrono::seconds(10)
                                  : std::chrono::seconds(0);
}

namespace {

// Options for reading the books through their snapshot, where the
// environment keeps one (arctl(1), ENVIRONMENT).
LoadOptions with_snapshot(const BooksDir& dir, bool write) {
  LoadOptions options;
  options.snapshot = snapshot_path(
      dir, {environment("ARCTL_CACHE"), environment("XDG_CACHE_HOME"),
            environment("HOME")});
  options.write_snapshot = write;
  return options;
}

} // namespace

bool color_for(int fd) {
  if (!::isatty(fd))
    return false;
  if (const char* no = std::getenv("NO_COLOR"); no && *no)
    return false;
  if (const char* term = std::getenv("TERM");
      term && std::string_view(term) == "dumb")
    return false;
  return true;
}

ProgressFn progress_on_stderr() {
  if (!::isatty(2))
    return {};
  using clock = std::chrono::steady_clock;
  auto last = std::make_shared<clock::time_point>();
  return [last](std::string_view file, std::uint64_t done,
                std::uint64_t total) {
    const auto now = clock::now();
    const bool finished = total != 0 && done >= total;
    if (!finished && now - *last < std::chrono::milliseconds(100))
      return;
    *last = now;
    if (finished) {
      std::fputs("\r\033[K", stderr);
    } else if (total) {
      std::fprintf(stderr, "\r\033[Kreading %.*s %3d%%",
                   static_cast<int>(file.size()), file.data(),
                   static_cast<int>(done * 100 / total));
    } else {
      std::fprintf(stderr, "\r\033[Kreading %.*s",
                   static_cast<int>(file.size()), file.data());
    }
    std::fflush(stderr);
  };
}

int report(const Error& error) {
  const auto text = render_error(error, Style{color_for(2)});
  std::fwrite(text.data(), 1, text.size(), stderr);
  return static_cast<int>(error.exit);
}

CLI::Option* add_format_option(CLI::App& app, std::string& target,
                               std::vector<std::string> choices) {
  target = choices.front();
  std::string names;
  for (const auto& c : choices)
    names += (names.empty() ? "" : "|") + c;
  return app.add_option("--format", target,
                        "Output format: " + names + " (default: " +
                            choices.front() + ")")
      ->check(CLI::IsMember(choices))
      ->option_text("FORMAT")
      ->default_val(choices.front());
}

void print(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

Date today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  return Date{date::year{local.tm_year + 1900},
              date::month{static_cast<unsigned>(local.tm_mon + 1)},
              date::day{static_cast<unsigned>(local.tm_mday)}};
}

DraftField option_field(const char* option,
                        const std::optional<std::string>& value) {
  DraftField f;
  f.at.option = option;
  if (value) {
    f.text = *value;
    f.given = true;
  }
  return f;
}

int write_dated(
    const GlobalOptions& global, const std::optional<std::string>& date,
    bool dry_run,
    const std::function<Result<PlannedChange>(const Books&, Date)>& plan,
    const std::function<std::string(const PlannedChange&, Date)>& done) {
  const auto day = date_or_today("--date", date);
  if (!day)
    return static_cast<int>(ExitCode::usage);
  return write_books(
      global, dry_run, [&](const Books& books) { return plan(books, *day); },
      [&](const PlannedChange& planned) { return done(planned, *day); });
}

void add_date_option(CLI::App& sub, std::optional<std::string>& target,
                     const std::string& what) {
  sub.add_option("--date", target, what + " (default: today)")
      ->option_text("YYYY-MM-DD");
}

void add_dry_run(CLI::App& sub, bool& target) {
  sub.add_flag("--dry-run", target,
               "Print what would be written and write nothing");
}

std::string input_name(const std::string& path) {
  return path == "-" ? "<stdin>" : path;
}

int usage_error(std::string_view option, std::string_view message) {
  std::fprintf(stderr, "arctl: error: %.*s: %.*s\n",
               static_cast<int>(option.size()), option.data(),
               static_cast<int>(message.size()), message.data());
  return static_cast<int>(ExitCode::usage);
}

std::optional<Date> date_option(std::string_view option,
                                const std::string& text) {
  auto d = parse_date(text);
  if (!d) {
    usage_error(option, d.error().message);
    return std::nullopt;
  }
  return *d;
}

std::optional<Date> date_or_today(std::string_view option,
                                  const std::optional<std::string>& text) {
  return text ? date_option(option, *text) : std::optional(today());
}

namespace {

// read_books, keeping the ledger as of the end of the books that checking
// them computed when `end` is given; `open_items_on` as in LoadOptions.
int read_valid_books(const GlobalOptions& global, Ledger* end,
                     const std::function<int(const Books&)>& run,
                     std::optional<Date> open_items_on = std::nullopt) {
  auto dir = find_books(global);
  if (!dir)
    return report(dir.error());
  auto lock = BooksLock::acquire(*dir, LockMode::shared,
                                 lock_wait(global, LockMode::shared));
  if (!lock)
    return report(lock.error());
  auto options = with_snapshot(*dir, true);
  options.open_items_on = open_items_on;
  auto books = open_books(*dir, options, end);
  if (!books)
    return report(books.error());
  return run(**books);
}

} // namespace

int read_books(const GlobalOptions& global,
               const std::function<int(const Books&)>& run) {
  return read_valid_books(global, nullptr, run);
}

int read_ledger(const GlobalOptions& global,
                const std::optional<std::string>& as_of,
                const std::function<int(const Books&, const Ledger&)>& run) {
  const auto day = date_or_today("--as-of", as_of);
  if (!day)
    return static_cast<int>(ExitCode::usage);
  return read_ledger(global, *day, run);
}

int read_ledger(const GlobalOptions& global, Date as_of,
                const std::function<int(const Books&, const Ledger&)>& run) {
  Ledger end;
  return read_valid_books(global, &end, [&](const Books& books) {
    return run(books, ledger_as_of(books, std::move(end), as_of));
  });
}

int read_open_items(
    const GlobalOptions& global, const std::optional<std::string>& as_of,
    const std::function<int(const Books&, const Ledger&)>& run) {
  const auto day = date_or_today("--as-of", as_of);
  if (!day)
    return static_cast<int>(ExitCode::usage);
  Ledger end;
  return read_valid_books(
      global, &end,
      [&](const Books& books) {
        return run(books, ledger_as_of(books, std::move(end), *day));
      },
      *day);
}

// Prints what a change would write: appended records as they are, a
// replaced record as in a diff, each line of the old one after '-' and of
// the new one after '+'.
void print_plan(const PlannedChange& plan) {
  std::string out;
  const auto lines = [&out](std::string_view prefix, std::string_view record) {
    for (;;) {
      const auto nl = record.find('\n');
      out += prefix;
      out += record.substr(0, nl);
      out += '\n';
      if (nl == std::string_view::npos)
        break;
      record.remove_prefix(nl + 1);
    }
  };
  const bool replace = !plan.removed.empty();
  for (const auto& r : plan.removed)
    lines("-", r);
  for (const auto& a : plan.added)
    lines(replace ? "+" : "", a);
  print(out);
}

// The path of every command that writes: the books' exclusive lock (fail
// fast: another writer is at work), valid books, a planned change, then
// commit, or only show it with --dry-run.
int write_books(const GlobalOptions& global, bool dry_run,
                const std::function<Result<PlannedChange>(const Books&)>& plan,
                const std::function<std::string(const PlannedChange&)>& done) {
  auto dir = find_books(global);
  if (!dir)
    return report(dir.error());
  auto lock = BooksLock::acquire(*dir, LockMode::exclusive,
                                 lock_wait(global, LockMode::exclusive));
  if (!lock)
    return report(lock.error());
  auto books = open_books(*dir, with_snapshot(*dir, false));
  if (!books)
    return report(books.error());
  auto planned = plan(**books);
  if (!planned)
    return report(planned.error());
  if (dry_run) {
    print_plan(*planned);
    return 0;
  }
  if (auto r = commit(*dir, *lock, planned->change, (*books)->config.lock_date);
      !r)
    return report(r.error());
  if (const auto text = done(*planned); !text.empty())
    print(text + "\n");
  return 0;
}

int report_option(std::string_view option, Error error) {
  error.message = fmt::format("{}: {}", option, error.message);
  return report(error);
}

int write_output(std::string_view option, const std::string& path,
                 std::string_view text) {
  auto file = OutputFile::create(path, path);
  if (!file)
    return report_option(option, std::move(file.error()));
  file->write(text);
  if (auto done = file->commit(); !done)
    return report_option(option, std::move(done.error()));
  return 0;
}

Result<std::string> read_input(std::string_view option,
                               const std::string& path) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f)
    return fail(ExitCode::no_input, fmt::format("{}: cannot open {}: {}",
                                                option, path,
                                                std::strerror(errno)));
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    text.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  if (f != stdin)
    std::fclose(f);
  if (failed)
    return fail(ExitCode::no_input,
                fmt::format("{}: cannot read {}", option, path));
  return text;
}

} // namespace arctl::cli
