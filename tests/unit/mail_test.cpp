#include "arctl/mail.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace arctl;

TEST_CASE("quoted-printable keeps lines short and bytes safe") {
  CHECK(quoted_printable("plain text\n") == "plain text\n");
  CHECK(quoted_printable("a=b\n") == "a=3Db\n");
  CHECK(quoted_printable("caf\xC3\xA9\n") == "caf=C3=A9\n");
  CHECK(quoted_printable("trailing \nspace\t\n") == "trailing=20\nspace=09\n");
  CHECK(quoted_printable(".\nFrom here\n") == "=2E\n=46rom here\n");
  const std::string long_line(100, 'x');
  const auto encoded = quoted_printable(long_line + "\n");
  CHECK(encoded == std::string(75, 'x') + "=\n" + std::string(25, 'x') + "\n");
  // An escape is never split by a soft break.
  const auto escapes = quoted_printable(std::string(74, 'x') + "==\n");
  CHECK(escapes == std::string(74, 'x') + "=\n=3D=3D\n");
}

TEST_CASE("a message's header fields") {
  MailMessage m;
  m.from = {"Bluebonnet \"IT\"", "ar@blue.example"};
  m.to = {"Müller & Söhne GmbH", "ap@mueller.example"};
  m.subject = "Zahlungserinnerung für Müller: EUR 1.000,00 überfällig — "
              "bitte begleichen Sie die Rechnung";
  m.message_id = "DUN-1.MUELLER@blue.example";
  m.date = rfc5322_date(std::chrono::sys_days{std::chrono::year{2026} /
                                              11 / 23} +
                            std::chrono::hours{7} + std::chrono::minutes{5},
                        std::chrono::minutes{60});
  m.text = "Hallo\n";
  m.html = "<p>Hallo</p>\n";
  const auto text = format_message(m);
  CHECK(m.date == "Mon, 23 Nov 2026 08:05:00 +0100");
  CHECK(text.starts_with("From: \"Bluebonnet \\\"IT\\\"\" <ar@blue.example>\n"
                         "To: =?utf-8?B?"));
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    CHECK(line.size() <= 78);
    for (const char c : line)
      CHECK(static_cast<unsigned char>(c) < 0x80);
  }
  CHECK(text.find("Subject: =?utf-8?B?") != std::string::npos);
  CHECK(text.find("\n =?utf-8?B?") != std::string::npos); // folded
  CHECK(text.find("Content-Transfer-Encoding: quoted-printable\n\nHallo\n") !=
        std::string::npos);
  CHECK(text.ends_with("--\n"));
  // Line breaks in a value cannot add header fields.
  m.subject = "Hello\nBcc: someone@else.example";
  CHECK(format_message(m).find("\nBcc:") == std::string::npos);
}

TEST_CASE("a command line split into words without a shell") {
  CHECK(split_command("sendmail -t") ==
        std::vector<std::string>{"sendmail", "-t"});
  CHECK(split_command("  msmtp  -a 'my account'  -t ") ==
        std::vector<std::string>{"msmtp", "-a", "my account", "-t"});
  CHECK(split_command("echo $HOME;rm") ==
        std::vector<std::string>{"echo", "$HOME;rm"});
  CHECK_FALSE(split_command("mail 'open").has_value());
  CHECK_FALSE(split_command("   ").has_value());
}

TEST_CASE("a command gets the message on its standard input") {
  const auto out = std::filesystem::temp_directory_path() /
                   ("arctl-mail-test-" + std::to_string(::getpid()));
  const std::vector<std::string> tee{"sh", "-c", "cat > \"$0\"", out.string()};
  REQUIRE(pipe_to_command(tee, "To: x@y.example\n\nhello\n").has_value());
  std::ifstream in(out);
  std::stringstream got;
  got << in.rdbuf();
  CHECK(got.str() == "To: x@y.example\n\nhello\n");
  std::filesystem::remove(out);

  const auto refused = pipe_to_command(std::vector<std::string>{"false"}, "x");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().exit == ExitCode::unavailable);
  CHECK(refused.error().message == "false exited with status 1");
  const auto missing =
      pipe_to_command(std::vector<std::string>{"/nonexistent/sendmail"}, "x");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.starts_with("cannot run /nonexistent/sendmail"));
  // A command that reads nothing does not bring this process down.
  CHECK(pipe_to_command(std::vector<std::string>{"true"},
                        std::string(1 << 20, 'x'))
            .has_value());
}
