#include "arctl/process.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace arctl {

namespace {

// Closes the descriptors it holds, whatever way the function is left.
struct Fds {
  int fd[4] = {-1, -1, -1, -1};
  ~Fds() {
    for (const int f : fd)
      if (f >= 0)
        ::close(f);
  }
  void close(int k) {
    if (fd[k] >= 0)
      ::close(fd[k]);
    fd[k] = -1;
  }
};

} // namespace

Result<pid_t> spawn_command(std::span<const std::string> argv,
                            const posix_spawn_file_actions_t& actions) {
  if (argv.empty())
    return fail(ExitCode::usage, "the command is empty");
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (const int error =
          ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
      error != 0)
    return fail(ExitCode::unavailable, fmt::format("cannot run {}: {}", argv[0],
                                                   std::strerror(error)));
  return pid;
}

Result<int> wait_command(pid_t pid, std::string_view name) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return fail(ExitCode::unavailable,
                  fmt::format("{}: {}", name, std::strerror(errno)));
  return status;
}

Result<CommandOutput> capture_command(std::span<const std::string> argv) {
  if (argv.empty())
    return fail(ExitCode::usage, "the command is empty");
  const auto cannot = [&](int error) {
    return fail(ExitCode::unavailable, fmt::format("cannot run {}: {}", argv[0],
                                                   std::strerror(error)));
  };
  // [0], [1]: standard output's pipe; [2], [3]: standard error's.
  Fds fds;
  if (::pipe2(fds.fd, O_CLOEXEC) != 0 || ::pipe2(fds.fd + 2, O_CLOEXEC) != 0)
    return cannot(errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds.fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds.fd[3], STDERR_FILENO);
  const auto pid = spawn_command(argv, actions);
  posix_spawn_file_actions_destroy(&actions);
  fds.close(1);
  fds.close(3);
  if (!pid)
    return std::unexpected(pid.error());

  // Both pipes are drained together: a program that fills one while this
  // process waits on the other would never finish.
  CommandOutput result;
  std::string* sinks[2] = {&result.out, &result.err};
  char buffer[1 << 16];
  for (;;) {
    pollfd polled[2];
    nfds_t count = 0;
    int which[2];
    for (int k = 0; k < 2; ++k)
      if (fds.fd[2 * k] >= 0) {
        polled[count] = {fds.fd[2 * k], POLLIN, 0};
        which[count++] = k;
      }
    if (count == 0)
      break;
    if (::poll(polled, count, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (nfds_t i = 0; i < count; ++i) {
      if (polled[i].revents == 0)
        continue;
      const auto n = ::read(polled[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        fds.close(2 * which[i]);
      else
        sinks[which[i]]->append(buffer, static_cast<std::size_t>(n));
    }
  }
  const auto waited = wait_command(*pid, argv[0]);
  if (!waited)
    return std::unexpected(waited.error());
  const int status = *waited;
  if (WIFSIGNALED(status))
    return fail(ExitCode::unavailable, fmt::format("{} was killed by signal {}",
                                                   argv[0], WTERMSIG(status)));
  result.status = WEXITSTATUS(status);
  return result;
}

} // namespace arctl
