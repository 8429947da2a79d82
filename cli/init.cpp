// arctl init: new, empty books.
#include "common.hpp"

#include "arctl/config.hpp"
#include "arctl/dunning_send.hpp"
#include "arctl/transaction.hpp"

#include <fmt/format.h>

namespace arctl::cli {

namespace {
struct InitOptions {
  std::string dir = ".";
  std::optional<std::string> name;
  std::string currency = "USD";
  bool dry_run = false;
};
} // namespace

void register_init(CLI::App& app, const GlobalOptions&, Commands& commands) {
  auto opts = std::make_shared<InitOptions>();
  auto* sub = app.add_subcommand(
      "init", "Create new books: a commented arctl.toml and the empty CSV "
              "files, ready for git");
  sub->add_option("dir", opts->dir, "Where to create them (default: .)")
      ->option_text("DIR");
  sub->add_option("--name", opts->name,
                  "Company name (default: the directory's name)");
  sub->add_option("--currency", opts->currency,
                  "Base currency, an ISO 4217 code (default: USD)");
  sub->add_flag("--dry-run", opts->dry_run,
                "Show what would be written and write nothing");

  commands.push_back({sub, [opts] {
    const auto currency = find_currency(opts->currency);
    if (!currency) {
      std::fprintf(stderr,
                   "arctl: error: --currency: unknown currency \"%s\"; use an "
                   "ISO 4217 code such as USD, EUR or JPY\n",
                   opts->currency.c_str());
      return static_cast<int>(ExitCode::usage);
    }
    std::filesystem::path dir = opts->dir;
    std::string name;
    if (opts->name) {
      name = *opts->name;
    } else {
      std::error_code ec;
      auto abs = std::filesystem::weakly_canonical(
          std::filesystem::absolute(dir, ec), ec);
      if (!abs.has_filename()) // "books/"
        abs = abs.parent_path();
      name = abs.filename().string();
      if (name.empty())
        name = "My Company";
    }
    const auto config = default_config_text(name, *currency);
    if (opts->dry_run) {
      auto files = plan_new_books(dir, config, builtin_letter_files());
      if (!files)
        return report(files.error());
      for (const auto& entry : *files)
        print(fmt::format("would create {}\n",
                          (dir / entry.first).lexically_normal().string()));
      return 0;
    }
    if (auto r = create_books(dir, config, builtin_letter_files()); !r)
      return report(r.error());
    print(fmt::format("created books in {} for {} ({})\n",
                      dir.lexically_normal().string(), name,
                      currency->name()));
    return 0;
  }});
}

} // namespace arctl::cli
