// Carrying out a dunning plan (`arctl dun send`): each notice numbered,
// its letter rendered from the level's templates as text and HTML, an
// e-mail message holding both, and the change that records the notices
// sent in notices.csv, with their fee invoices and credit holds.
#pragma once

#include "arctl/books.hpp"
#include "arctl/dunning.hpp"
#include "arctl/error.hpp"
#include "arctl/ledger.hpp"
#include "arctl/render.hpp"
#include "arctl/transaction.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arctl {

// One notice ready to go out.
struct DunningLetter {
  std::size_t notice = 0; // in DunningRun::plan.notices
  std::string id;         // its number, from [numbering] notice
  std::string subject;
  std::string text, html; // the letter
  std::string message;    // the e-mail (mail.hpp format_message)
  bool has_address = false; // the customer has an e-mail address
};

struct DunningRun {
  DunningPlan plan; // without charge_fees, every fee and interest is 0
  bool charge_fees = false;
  std::vector<DunningLetter> letters; // one per notice, in plan order
};

struct SendOptions {
  bool charge_fees = false;
  std::string date; // the messages' Date: field (mail.hpp rfc5322_date)
};

// The notices of `plan` numbered, rendered and composed. Without
// charge_fees no fee or interest is charged, and the letters show none.
// Fails with ExitCode::data when the books have no [company] email (the
// messages' From:), ExitCode::no_input or data for a template that cannot
// be read or is not valid mustache, naming it.
[[nodiscard]] Result<DunningRun> prepare_dunning(const Books& books,
                                                 DunningPlan plan,
                                                 const SendOptions& options);

// Where letters go: a folder for their files and, optionally, a mail
// command (its words; mail.hpp split_command) to pipe each message to.
struct Delivery {
  std::filesystem::path out;
  std::string shown_out; // how to name the folder in messages
  std::vector<std::string> mailer;
};

// What became of one letter.
struct LetterOutcome {
  std::size_t letter = 0; // in run.letters
  std::string message_file; // the .eml written
  std::optional<Error> error; // why it was not sent; none: it went out
};

// Writes each letter of `run` into delivery.out as NOTICE.txt, .html and
// .eml (each whole: a temporary file renamed) and, with a mail command,
// pipes its message to the command (mail.hpp pipe_to_command). A letter
// goes out when its files are written and the command, if any, accepted
// it; a letter to a customer without an e-mail address is not mailed
// (ExitCode::data) and a message the command refused is an outcome with
// its error (ExitCode::unavailable). Fails only when the folder or a file
// cannot be written (ExitCode::cannot_write), before the letters after it.
[[nodiscard]] Result<std::vector<LetterOutcome>>
deliver_letters(const Books& books, const DunningRun& run,
                const Delivery& delivery);

// The change recording the letters of `run` whose indexes are in `sent`
// (indexes into run.letters): one row of notices.csv each; with
// charge_fees, an invoice numbered from [numbering] fee, due on receipt,
// for each notice's fee and interest; and a credit hold (events.csv) for
// each notice of a level whose action is hold, for a customer not on hold
// already. `ledger` is as of the plan's date. Refused before anything is
// written when the date is in a closed period.
[[nodiscard]] Result<PlannedChange>
record_dunning(const Books& books, const Ledger& ledger, const DunningRun& run,
               std::span<const std::size_t> sent);

// Where the books keep a letter's templates, relative to the books:
// "templates/dunning/<letter>.txt.mustache" or "….html.mustache".
[[nodiscard]] std::string letter_template_file(std::string_view letter,
                                               DocumentFormat format);

// The built-in letter of that name ("reminder", "second", "final"), or ""
// when arctl has none.
[[nodiscard]] std::string builtin_letter(std::string_view letter,
                                         DocumentFormat format);

// The built-in letters as the files `arctl init` writes: path relative to
// the books, content.
[[nodiscard]] std::vector<std::pair<std::string, std::string>>
builtin_letter_files();

// Every variable a letter template can use, in the order of the manual.
[[nodiscard]] std::span<const TemplateVariable> letter_template_variables();

// For `arctl check`: each dunning level whose letter has no template
// (neither in the books nor built in) or whose template in the books is
// not valid mustache; located at the level in arctl.toml.
[[nodiscard]] std::vector<Diagnostic> check_letters(const BooksDir& dir,
                                                    const Config& config);

} // namespace arctl
