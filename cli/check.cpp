// arctl check: validate the books like a compiler.
#include "common.hpp"

#include "arctl/check.hpp"
#include "arctl/transaction.hpp"

#include <fmt/format.h>

namespace arctl::cli {

namespace {

std::string plural(std::uint64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string summary(const CheckReport& r) {
  const auto scope = fmt::format("{} in {}", plural(r.records, "record"),
                                 plural(r.files, "file"));
  if (r.errors == 0 && r.warnings == 0)
    return fmt::format("ok: no problems ({})", scope);
  return fmt::format("{}, {} ({})", plural(r.errors, "error"),
                     plural(r.warnings, "warning"), scope);
}

} // namespace

void register_check(CLI::App& app, const GlobalOptions& global,
                    Commands& commands) {
  auto format = std::make_shared<std::string>();
  auto* sub = app.add_subcommand(
      "check", "Validate the books and list every problem as "
               "FILE:LINE:COLUMN: error: MESSAGE");
  add_format_option(*sub, *format);

  commands.push_back({sub, [&global, format] {
    auto dir = find_books(global);
    if (!dir)
      return report(dir.error());
    auto lock = BooksLock::acquire(*dir, LockMode::shared,
                                   lock_wait(global, LockMode::shared));
    if (!lock)
      return report(lock.error());
    auto result = run_check(*dir, progress_on_stderr());
    if (!result)
      return report(result.error());
    const auto& r = *result;
    switch (*parse_format(*format)) {
    case Format::table: {
      const Style style{color_for(1)};
      std::string out;
      for (const auto& d : r.findings)
        out += render_diagnostic(d, style);
      out += fmt::format("arctl check: {}\n", summary(r));
      print(out);
      break;
    }
    case Format::csv:
      print(render(diagnostics_table(r.findings), Format::csv));
      break;
    case Format::json: {
      std::string out = "{\n  \"findings\": [";
      for (std::size_t i = 0; i < r.findings.size(); ++i)
        out += fmt::format("{}\n    {}", i ? "," : "",
                           diagnostic_json(r.findings[i]));
      out += fmt::format(
          "{}],\n  \"summary\": {{\"errors\": {}, \"warnings\": {}, "
          "\"records\": {}, \"files\": {}}}\n}}\n",
          r.findings.empty() ? "" : "\n  ", r.errors, r.warnings, r.records,
          r.files);
      print(out);
      break;
    }
    }
    return r.errors ? static_cast<int>(ExitCode::findings) : 0;
  }});
}

} // namespace arctl::cli
