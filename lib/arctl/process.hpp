// Running another program and reading what it prints: ledger, hledger and
// bean-query asked for a general ledger's figures. No shell is involved.
#pragma once

#include "arctl/error.hpp"

#include <spawn.h>
#include <span>
#include <string>
#include <string_view>

namespace arctl {

// What a program printed and how it ended.
struct CommandOutput {
  std::string out; // its standard output, whole
  std::string err; // its standard error, whole
  int status = 0;  // its exit status
};

// Runs `argv` (argv[0] found on PATH) with standard input from /dev/null,
// reads its standard output and standard error to their ends, and waits
// for it. The words are passed as they are: no shell, no quoting. Fails
// with ExitCode::unavailable when the program cannot be started (the
// message names it and why: "cannot run ledger: No such file or
// directory") or is killed by a signal; any exit status is returned, for
// the caller to judge.
[[nodiscard]] Result<CommandOutput>
capture_command(std::span<const std::string> argv);

// The two halves every way of running a program shares. spawn_command
// starts `argv` (argv[0] found on PATH, no shell) with `actions` arranging
// its standard streams; it fails with ExitCode::unavailable, "cannot run
// NAME: why". wait_command waits for the program and gives its wait
// status (waitpid), failing likewise when it cannot be waited for.
[[nodiscard]] Result<pid_t> spawn_command(std::span<const std::string> argv,
                                          const posix_spawn_file_actions_t& actions);
[[nodiscard]] Result<int> wait_command(pid_t pid, std::string_view name);

} // namespace arctl
