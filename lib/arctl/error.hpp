// Errors, source locations and exit codes shared by the whole library.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// Process exit codes, documented in arctl(1). Values above 1 follow
// sysexits(3) so scripts can tell a usage mistake from bad books.
enum class ExitCode : int {
  ok = 0,
  findings = 1,      // the command ran and found what it was asked to find
  usage = 64,        // bad command line
  data = 65,         // bad input data (books, statements, drafts)
  no_input = 66,     // a file or the books could not be found or opened
  unavailable = 69,  // a program arctl runs (a mail command) failed
  software = 70,     // an internal error: a bug in arctl
  cannot_write = 73, // an output or the books could not be written
  locked = 75,       // another process holds the books' lock; try again
};

// A position in a text file. Line and column are 1-based; column counts
// bytes. line 0 means "the file as a whole".
struct SourceLoc {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

enum class Severity { error, warning };

// One problem found in input, with where it is and, when known, the text of
// the offending line so a caret can be drawn under it.
struct Diagnostic {
  Severity severity = Severity::error;
  SourceLoc loc;
  std::string code;    // stable kebab-case identifier, e.g. "amount-syntax"
  std::string message; // one sentence, no trailing period
  std::string excerpt; // the source line, without its line ending
  std::uint32_t span = 1; // how many bytes of excerpt the caret covers
  std::string hint;    // optional advice
};

// The one error type the library returns. `diagnostics` holds every problem
// when an operation can find several (bad books); `message` summarises.
struct Error {
  ExitCode exit = ExitCode::software;
  std::string message;
  std::vector<Diagnostic> diagnostics;
};

template <class T> using Result = std::expected<T, Error>;

// Shorthand for returning an error with no source location.
[[nodiscard]] inline std::unexpected<Error> fail(ExitCode exit,
                                                 std::string message) {
  return std::unexpected(Error{exit, std::move(message), {}});
}

} // namespace arctl
