// E-mail as files and as input to a mail program: an RFC 5322 message
// with a MIME multipart/alternative body (RFC 2045–2047), and the mail
// program run without a shell, the message on its standard input.
#pragma once

#include "arctl/error.hpp"

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// A mailbox: a display name (any UTF-8) and an address that
// email_problem accepts.
struct Mailbox {
  std::string name;
  std::string address;
};

// A message with a plain-text and an HTML rendering of the same content.
struct MailMessage {
  Mailbox from;
  Mailbox to;
  std::string subject;
  std::string message_id; // without angle brackets: "local@domain"
  std::string date;       // an RFC 5322 date-time (rfc5322_date)
  std::string text;       // UTF-8, lines ending in '\n'
  std::string html;
};

// "Mon, 23 Nov 2026 09:05:00 +0100": `when` as the wall clock shows it at
// `offset` from UTC.
[[nodiscard]] std::string rfc5322_date(std::chrono::sys_seconds when,
                                       std::chrono::minutes offset);

// The message as a file for `sendmail -t`: header fields (non-ASCII text
// as RFC 2047 encoded words, no line longer than 78 characters; no To:
// when `to` has no address), then
// multipart/alternative with text/plain and text/html parts, each UTF-8
// and quoted-printable. Lines end in '\n', as sendmail and mail files on
// this system expect.
[[nodiscard]] std::string format_message(const MailMessage& message);

// `text` as quoted-printable (RFC 2045 6.7): lines of at most 76
// characters, '=' and bytes outside printable ASCII as =XX, a space or
// tab at the end of a line encoded.
[[nodiscard]] std::string quoted_printable(std::string_view text);

// Runs `argv` (argv[0] found on PATH) with `input` on its standard input
// and its standard output sent to this process's standard error, and waits
// for it. No shell is involved: the words are passed as they are. Fails
// with ExitCode::unavailable when it cannot be started, when it exits with
// a status other than 0 (the message names it) or is killed by a signal.
[[nodiscard]] Result<void> pipe_to_command(std::span<const std::string> argv,
                                           std::string_view input);

// A command line split into words at spaces and tabs; a word may be quoted
// with '…' or "…" to hold spaces. No other shell syntax means anything.
// Fails (ExitCode::usage) on an unterminated quote or an empty command.
[[nodiscard]] Result<std::vector<std::string>>
split_command(std::string_view command);

} // namespace arctl
