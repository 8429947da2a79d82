// arctl export: the books as a ledger, hledger or beancount journal.
#include "common.hpp"

#include "arctl/export.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace arctl::cli {

namespace {

struct ExportOptions {
  std::string format;
  std::optional<std::string> as_of;
  std::optional<std::string> from;
  std::optional<std::string> out;
};

int run_export(const GlobalOptions& global, const ExportOptions& o) {
  ExportRequest request;
  const auto format = parse_journal_format(o.format);
  if (!format)
    return usage_error(
        "FORMAT",
        fmt::format("\"{}\" is not ledger, hledger or beancount", o.format));
  request.format = *format;
  if (o.as_of) {
    const auto d = date_option("--as-of", *o.as_of);
    if (!d)
      return static_cast<int>(ExitCode::usage);
    request.as_of = *d;
  }
  if (o.from) {
    request.from = date_option("--from", *o.from);
    if (!request.from)
      return static_cast<int>(ExitCode::usage);
    if (request.as_of < *request.from)
      return usage_error("--from", fmt::format("{} is after --as-of {}",
                                               format_date(*request.from),
                                               format_date(request.as_of)));
  }
  return read_ledger(
      global, request.as_of, [&](const Books& books, const Ledger& ledger) {
        if (!o.out || *o.out == "-") {
          auto done = export_journal(books, ledger, request, print);
          if (!done)
            return report(done.error());
          if (std::fflush(stdout) != 0 || std::ferror(stdout))
            return report(Error{
                ExitCode::cannot_write, "cannot write to standard output", {}});
          return 0;
        }
        // Written whole or not at all: a journal cut short would still load.
        auto file = OutputFile::create(*o.out, *o.out);
        if (!file)
          return report_option("--out", std::move(file.error()));
        auto done =
            export_journal(books, ledger, request,
                           [&](std::string_view text) { file->write(text); });
        if (!done)
          return report(done.error());
        if (auto committed = file->commit(); !committed)
          return report_option("--out", std::move(committed.error()));
        return 0;
      });
}

} // namespace

void register_export(CLI::App& app, const GlobalOptions& global,
                     Commands& commands) {
  auto o = std::make_shared<ExportOptions>();
  auto* sub = app.add_subcommand(
      "export", "The books as a journal for ledger, hledger or beancount: "
                "every fact a balanced entry");
  sub->add_option("FORMAT", o->format, "ledger, hledger or beancount")
      ->required()
      ->option_text("ledger|hledger|beancount");
  sub->add_option("--as-of", o->as_of,
                  "Only the facts dated on or before this date (default: "
                  "every fact)")
      ->option_text("YYYY-MM-DD");
  sub->add_option("--from", o->from,
                  "Start with each customer's balances at the end of the day "
                  "before, then the facts from this date on")
      ->option_text("YYYY-MM-DD");
  sub->add_option("--out", o->out,
                  "Write the journal to this file, whole or not at all "
                  "(default: standard output)")
      ->option_text("FILE");
  commands.push_back({sub, [&global, o] { return run_export(global, *o); }});
}

} // namespace arctl::cli
