#include "arctl/process.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace arctl;

TEST_CASE("a program's output and errors are captured whole, without a shell") {
  // More than a pipe holds on each stream, so both must be drained at once.
  const std::vector<std::string> argv{
      "sh", "-c",
      "i=0; while [ $i -lt 20000 ]; do echo \"out $i\"; echo \"err $i\" >&2; "
      "i=$((i+1)); done; exit 3"};
  const auto ran = capture_command(argv);
  REQUIRE(ran.has_value());
  CHECK(ran->status == 3);
  CHECK(ran->out.starts_with("out 0\nout 1\n"));
  CHECK(ran->out.ends_with("out 19999\n"));
  CHECK(ran->err.ends_with("err 19999\n"));

  // The words are passed as they are: no globbing, no variables.
  const auto echoed = capture_command(
      std::vector<std::string>{"printf", "%s|", "$HOME", "*", "a b"});
  REQUIRE(echoed.has_value());
  CHECK(echoed->out == "$HOME|*|a b|");
  CHECK(echoed->status == 0);

  // Standard input is empty, not this process's.
  const auto read = capture_command(std::vector<std::string>{"cat"});
  REQUIRE(read.has_value());
  CHECK(read->out.empty());
}

TEST_CASE("a program that cannot be started or is killed is an error") {
  const auto missing =
      capture_command(std::vector<std::string>{"/nonexistent/ledger"});
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().exit == ExitCode::unavailable);
  CHECK(missing.error().message ==
        "cannot run /nonexistent/ledger: No such file or directory");
  const auto killed =
      capture_command(std::vector<std::string>{"sh", "-c", "kill -9 $$"});
  REQUIRE_FALSE(killed.has_value());
  CHECK(killed.error().message == "sh was killed by signal 9");
}
