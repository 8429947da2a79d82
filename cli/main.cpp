// arctl: accounts receivable from plain-text books.
#include "common.hpp"

#include <algorithm>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  using namespace arctl;
  CLI::App app{"Accounts receivable from plain-text books: invoice, post, "
               "reconcile, age and dun.",
               "arctl"};
  app.set_version_flag("--version", "arctl " ARCTL_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.footer("Exit codes: 0 ok, 1 findings, 64 usage, 65 bad data, 66 no "
             "input, 69 a program arctl runs failed, 70 internal error, 73 "
             "cannot write, 75 books locked.\n"
             "See arctl(1) and arctl-books(5).");

  cli::GlobalOptions global;
  app.add_option("--books", global.books,
                 "The books directory (default: $ARCTL_BOOKS, else the "
                 "nearest directory upwards holding arctl.toml)")
      ->option_text("DIR");
  app.add_option("--wait", global.wait,
                 "Wait up to SECONDS for another arctl command to finish "
                 "with the books (default: a writer does not wait, a "
                 "reader waits 10 seconds)")
      ->option_text("SECONDS")
      ->check(
          [](const std::string& text) -> std::string {
            const bool digits =
                !text.empty() && text.size() <= 5 &&
                std::all_of(text.begin(), text.end(),
                            [](char c) { return c >= '0' && c <= '9'; });
            if (digits && std::stoul(text) <= 86400)
              return {};
            return "expected whole seconds from 0 to 86400, not \"" + text +
                   "\"";
          },
          "SECONDS");

  cli::Commands commands;
  cli::register_init(app, global, commands);
  cli::register_check(app, global, commands);
  cli::register_customer(app, global, commands);
  cli::register_invoice(app, global, commands);
  cli::register_post(app, global, commands);
  cli::register_reconcile(app, global, commands);
  cli::register_age(app, global, commands);
  cli::register_statement(app, global, commands);
  cli::register_export(app, global, commands);
  cli::register_dun(app, global, commands);

  // CLI11 would call an unknown command a missing one; name it instead, at
  // every level ("arctl customer bogus").
  // "arctl dun send"
  const auto path_of = [](const CLI::App* sub) {
    std::string path;
    for (; sub; sub = sub->get_parent())
      path.insert(0, (sub->get_parent() ? " " : "arctl") +
                         (sub->get_parent() ? sub->get_name() : ""));
    return path;
  };
  const auto runnable = [&](const CLI::App* sub) {
    return std::any_of(commands.begin(), commands.end(),
                       [&](const cli::Command& c) { return c.app == sub; });
  };
  {
    CLI::App* level = &app;
    std::string path = "arctl";
    for (int i = 1; i < argc && level; ++i) {
      const std::string_view arg = argv[i];
      if (arg == "--books" || arg == "--wait") {
        ++i;
        continue;
      }
      if (arg.starts_with("-")) {
        // An option's value is no command ("dun --as-of 2026-11-20").
        for (const CLI::App* at = level; at; at = at->get_parent())
          if (const auto* opt = at->get_option_no_throw(std::string(arg))) {
            i += opt->get_type_size_max() > 0 ? 1 : 0;
            break;
          }
        continue;
      }
      const auto known = level->get_subcommands(
          [&](const CLI::App* sub) { return sub->get_name() == arg; });
      const bool takes_arguments =
          !level->get_options([](const CLI::Option* opt) {
                  return opt->get_positional();
                }).empty();
      if (known.empty() && takes_arguments)
        break; // an argument of a command that has subcommands too
      if (known.empty()) {
        std::fprintf(stderr,
                     "arctl: error: unknown command '%s %s'\nRun '%s --help' "
                     "for the list of commands.\n",
                     path.c_str(), argv[i], path.c_str());
        return static_cast<int>(ExitCode::usage);
      }
      level = known.front();
      path += " " + std::string(arg);
      if (level->get_subcommands({}).empty())
        break; // a command that takes arguments, not subcommands
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0)
      return app.exit(e);
    std::fprintf(stderr, "arctl: error: %s\nRun 'arctl --help' for usage.\n",
                 e.what());
    return static_cast<int>(ExitCode::usage);
  }
  try {
    // The deepest command given: "arctl dun send" rather than "arctl dun".
    // Options fall through to the commands above (for --books); those of
    // a command that is not the one run would be ignored, so they are
    // refused.
    for (const auto& command : commands) {
      if (!command.app->parsed() ||
          !command.app
               ->get_subcommands(
                   [](const CLI::App* sub) { return sub->parsed(); })
               .empty())
        continue;
      for (auto* up = command.app->get_parent(); up; up = up->get_parent())
        for (const auto* option : up->get_options())
          if (runnable(up) && option->count() > 0 &&
              option != up->get_help_ptr()) {
            std::fprintf(stderr,
                         "arctl: error: %s is an option of '%s', not of "
                         "'%s'\n",
                         option->get_name().c_str(), path_of(up).c_str(),
                         path_of(command.app).c_str());
            return static_cast<int>(ExitCode::usage);
          }
      return command.run();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "arctl: internal error: %s\n", e.what());
    return static_cast<int>(ExitCode::software);
  }
  return static_cast<int>(ExitCode::usage);
}
