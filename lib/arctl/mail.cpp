#include "arctl/mail.hpp"
#include "arctl/process.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>


namespace arctl {

namespace {

constexpr std::string_view k_hex = "0123456789ABCDEF";

std::string base64(std::string_view bytes) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  const auto at = [&](std::size_t k) {
    return static_cast<unsigned>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned n = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    for (int shift : {18, 12, 6, 0})
      out += alphabet[n >> shift & 63];
  }
  if (const auto rest = bytes.size() - i; rest > 0) {
    const unsigned n = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += rest == 2 ? alphabet[n >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

bool plain_ascii(std::string_view s) {
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b > 0x7E)
      return false;
  }
  return true;
}

// Header text: as it is when it is printable ASCII, else RFC 2047 encoded
// words of whole UTF-8 characters, each at most 75 characters long and as
// long as the line allows: the first starts `column` characters into it,
// the others on lines of their own after a space.
std::string header_text(std::string_view s, std::size_t column) {
  if (plain_ascii(s))
    return std::string(s);
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    // =?utf-8?B? and ?= take 12 characters; base64 takes 4 for every 3.
    const std::size_t room = std::min<std::size_t>(75, 78 - column) - 12;
    std::size_t end = std::min(s.size(), i + room / 4 * 3);
    while (end < s.size() && end > i &&
           (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty())
      out += "\n ";
    out += "=?utf-8?B?" + base64(s.substr(i, end - i)) + "?=";
    i = end;
    column = 1;
  }
  return out;
}

// A mailbox of a field: the display name as a quoted string when it is
// ASCII, else encoded words.
std::string mailbox_text(std::string_view field, const Mailbox& m) {
  if (m.name.empty())
    return m.address;
  if (!plain_ascii(m.name))
    return header_text(m.name, field.size() + 2) + " <" + m.address + ">";
  std::string quoted = "\"";
  for (const char c : m.name) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\" <" + m.address + ">";
}

// A header field, folded at spaces so that no line passes 78 characters
// where the value allows it.
std::string field(std::string_view name, std::string_view value) {
  std::string out = std::string(name) + ": ";
  std::size_t width = out.size();
  std::size_t at = 0;
  while (at < value.size()) {
    auto end = value.find_first_of(" \n", at + 1);
    if (end == std::string_view::npos)
      end = value.size();
    auto word = value.substr(at, end - at);
    if (word.starts_with('\n')) { // folded already by header_text
      out += '\n';
      width = 0;
      word.remove_prefix(1);
    } else if (width + word.size() > 78 && width > name.size() + 2 &&
               word.starts_with(' ')) {
      out += '\n';
      width = 0;
    }
    out += word;
    width += word.size();
    at = end;
  }
  return out + '\n';
}

} // namespace

std::string rfc5322_date(std::chrono::sys_seconds when,
                         std::chrono::minutes offset) {
  const auto local = when + offset;
  const auto day = std::chrono::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> time{local - day};
  static constexpr std::array<std::string_view, 7> weekdays{
      "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> months{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun",
      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto minutes = offset.count();
  const auto magnitude = minutes < 0 ? -minutes : minutes;
  return fmt::format("{}, {} {} {} {:02}:{:02}:{:02} {}{:02}{:02}",
                     weekdays[date::weekday{day}.c_encoding()],
                     static_cast<unsigned>(ymd.day()),
                     months[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()), time.hours().count(),
                     time.minutes().count(), time.seconds().count(),
                     minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  std::size_t width = 0;
  const auto put = [&](std::string_view piece) {
    if (width + piece.size() > 75) { // room for the soft break's '='
      out += "=\n";
      width = 0;
    }
    out += piece;
    width += piece.size();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\n') {
      out += '\n';
      width = 0;
      continue;
    }
    const bool line_end = i + 1 == text.size() || text[i + 1] == '\n';
    const bool blank = b == ' ' || b == '\t';
    // A line starting with "." or "From " is encoded too: mail transports
    // are known to change both.
    const bool guarded = width == 0 && (b == '.' || text.substr(i).starts_with("From "));
    if ((b >= 0x21 && b <= 0x7E && b != '=' && !guarded) ||
        (blank && !line_end)) {
      put(std::string_view(&text[i], 1));
    } else {
      const char code[3] = {'=', k_hex[b >> 4], k_hex[b & 15]};
      put(std::string_view(code, 3));
    }
  }
  return out;
}

std::string format_message(const MailMessage& m) {
  // The boundary starts with "=_", which quoted-printable never writes.
  const auto boundary = "=_arctl_" + base64(m.message_id).substr(0, 24);
  std::string out;
  out += field("From", mailbox_text("From", m.from));
  if (!m.to.address.empty())
    out += field("To", mailbox_text("To", m.to));
  out += field("Subject", header_text(m.subject, 9));
  out += field("Date", m.date);
  out += field("Message-ID", "<" + m.message_id + ">");
  out += "MIME-Version: 1.0\n";
  out += "Content-Type: multipart/alternative;\n boundary=\"" + boundary +
         "\"\n";
  out += "\nThis is a message in MIME format: plain text and HTML.\n";
  const auto part = [&](std::string_view type, std::string_view body) {
    out += "\n--" + boundary + "\n";
    out += fmt::format("Content-Type: {}; charset=utf-8\n", type);
    out += "Content-Transfer-Encoding: quoted-printable\n\n";
    out += quoted_printable(body);
    if (!out.ends_with('\n'))
      out += '\n';
  };
  part("text/plain", m.text);
  part("text/html", m.html);
  out += "\n--" + boundary + "--\n";
  return out;
}

Result<std::vector<std::string>> split_command(std::string_view command) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < command.size()) {
    if (command[i] == ' ' || command[i] == '\t') {
      ++i;
      continue;
    }
    std::string word;
    while (i < command.size() && command[i] != ' ' && command[i] != '\t') {
      const char c = command[i];
      if (c == '\'' || c == '"') {
        const auto close = command.find(c, i + 1);
        if (close == std::string_view::npos)
          return fail(ExitCode::usage,
                      fmt::format("the quote {} at character {} is not closed",
                                  c, i + 1));
        word.append(command.substr(i + 1, close - i - 1));
        i = close + 1;
      } else {
        word += c;
        ++i;
      }
    }
    words.push_back(std::move(word));
  }
  if (words.empty() || words.front().empty())
    return fail(ExitCode::usage, "the command is empty");
  return words;
}

Result<void> pipe_to_command(std::span<const std::string> argv,
                             std::string_view input) {
  if (argv.empty())
    return fail(ExitCode::usage, "the command is empty");
  int in[2];
  if (::pipe2(in, O_CLOEXEC) != 0)
    return fail(ExitCode::unavailable,
                fmt::format("cannot run {}: {}", argv[0], std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  const auto pid = spawn_command(argv, actions);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  if (!pid) {
    ::close(in[1]);
    return std::unexpected(pid.error());
  }
  // A command that exits without reading all of its input must not kill
  // this process with SIGPIPE; its exit status says what happened.
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  for (std::size_t done = 0; done < input.size();) {
    const auto n = ::write(in[1], input.data() + done, input.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    done += static_cast<std::size_t>(n);
  }
  ::close(in[1]);
  ::sigaction(SIGPIPE, &previous, nullptr);
  const auto waited = wait_command(*pid, argv[0]);
  if (!waited)
    return std::unexpected(waited.error());
  const int status = *waited;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return {};
  if (WIFEXITED(status))
    return fail(ExitCode::unavailable,
                fmt::format("{} exited with status {}", argv[0],
                            WEXITSTATUS(status)));
  return fail(ExitCode::unavailable,
              fmt::format("{} was killed by signal {}", argv[0],
                          WTERMSIG(status)));
}

} // namespace arctl
