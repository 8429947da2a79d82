#include "arctl/transaction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace arctl {

namespace {

constexpr std::string_view k_tmp_prefix = ".arctl.tmp.";
constexpr std::string_view k_old_prefix = ".arctl.old.";

std::string errno_text() { return std::strerror(errno); }

std::unexpected<Error> write_error(const std::string& what) {
  return fail(ExitCode::cannot_write,
              fmt::format("cannot write {}: {}", what, errno_text()));
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool sync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Writes `content` to `path` (which must not exist) and syncs it.
bool write_new_file(const std::filesystem::path& path,
                    std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                        0644);
  if (fd < 0)
    return false;
  const bool ok = write_all(fd, content) && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    errno = saved;
  }
  return ok;
}

bool file_exists(const std::filesystem::path& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0;
}

// A file of a change that did not finish: a temporary file, a file kept
// aside, the journal or the journal being written.
bool unfinished(std::string_view name) {
  return name.starts_with(k_tmp_prefix) || name.starts_with(k_old_prefix) ||
         name.starts_with(k_journal_file);
}

// True when a writer died midway: its journal, or files of its change,
// are in the books.
bool needs_recovery(const BooksDir& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path, ec))
    if (unfinished(entry.path().filename().native()))
      return true;
  return false;
}

} // namespace

// ---- lock ------------------------------------------------------------------

Result<BooksLock> BooksLock::acquire(const BooksDir& dir, LockMode mode,
                                     std::chrono::milliseconds wait) {
  const auto path = dir.path / k_lock_file;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 && (errno == EROFS || errno == EACCES || errno == EPERM)) {
    if (mode == LockMode::shared)
      return BooksLock(-1, mode);
    return fail(ExitCode::cannot_write,
                fmt::format("cannot write the books in {}: {}",
                            dir.shown_prefix.empty() ? "." : dir.shown_prefix,
                            errno_text()));
  }
  if (fd < 0)
    return fail(ExitCode::cannot_write,
                fmt::format("cannot open {}: {}", dir.shown(k_lock_file),
                            errno_text()));
  const auto deadline = std::chrono::steady_clock::now() + wait;
  const int op = mode == LockMode::shared ? LOCK_SH : LOCK_EX;
  for (;;) {
    if (::flock(fd, op | LOCK_NB) == 0)
      break;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      ::close(fd);
      return fail(ExitCode::cannot_write,
                  fmt::format("cannot lock the books: {}", errno_text()));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      return fail(ExitCode::locked,
                  "the books are locked by another arctl command; try again "
                  "when it has finished");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BooksLock lock(fd, mode);
  // A journal left behind means a writer died midway: roll its change back
  // before anybody reads or writes, and clear away the files of its
  // change. Readers upgrade to do so.
  if (needs_recovery(dir)) {
    if (mode == LockMode::shared) {
      ::flock(fd, LOCK_UN);
      if (::flock(fd, LOCK_EX) != 0)
        return fail(ExitCode::cannot_write,
                    fmt::format("cannot lock the books: {}", errno_text()));
    }
    if (auto r = recover(dir); !r)
      return std::unexpected(std::move(r.error()));
    if (mode == LockMode::shared)
      ::flock(fd, LOCK_SH);
  }
  return lock;
}

BooksLock::BooksLock(BooksLock&& other) noexcept
    : m_fd(other.m_fd), m_mode(other.m_mode) {
  other.m_fd = -1;
}

BooksLock::~BooksLock() {
  if (m_fd >= 0)
    ::close(m_fd); // closing the descriptor releases the flock
}

// ---- change ------------------------------------------------------------------

void Change::append(Table table, std::string record, std::optional<Date> date) {
  const std::string file(schema(table).file);
  for (auto& e : m_ops)
    if (e.op == Op::append && e.file == file) {
      e.content += record;
      if (date && (!e.earliest || *date < *e.earliest))
        e.earliest = date;
      return;
    }
  m_ops.push_back({Op::append, file, std::move(record), date});
}

void Change::append_new(Table table, std::string record,
                        std::optional<Date> date) {
  const std::string file(schema(table).file);
  auto e = std::find_if(m_ops.begin(), m_ops.end(), [&](const Entry& o) {
    return o.op == Op::create && o.file == file;
  });
  if (e == m_ops.end()) {
    m_ops.push_back({Op::create, file, header_line(table), {}});
    e = m_ops.end() - 1;
  }
  e->content += record;
  if (date && (!e->earliest || *date < *e->earliest))
    e->earliest = date;
}

void Change::merge(Change other) {
  for (auto& e : other.m_ops) {
    const auto same = std::find_if(m_ops.begin(), m_ops.end(), [&](const Entry& o) {
      return e.op == Op::append && o.op == Op::append && o.file == e.file;
    });
    if (same == m_ops.end()) {
      m_ops.push_back(std::move(e));
      continue;
    }
    same->content += e.content;
    if (e.earliest && (!same->earliest || *e.earliest < *same->earliest))
      same->earliest = e.earliest;
  }
}

void PlannedChange::merge(PlannedChange other) {
  change.merge(std::move(other.change));
  const auto move_to = [](std::vector<std::string>& to,
                          std::vector<std::string>& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()),
              std::make_move_iterator(from.end()));
  };
  move_to(removed, other.removed);
  move_to(added, other.added);
  move_to(ids, other.ids);
  if (!other.summary.empty())
    summary += (summary.empty() ? "" : "\n") + other.summary;
}

void Change::create(std::string file, std::string content) {
  m_ops.push_back({Op::create, std::move(file), std::move(content), {}});
}

void Change::replace(std::string file, std::string content) {
  m_ops.push_back({Op::replace, std::move(file), std::move(content), {}});
}

// ---- recovery ------------------------------------------------------------------

Result<void> recover(const BooksDir& dir) {
  const auto journal = dir.path / k_journal_file;
  std::string text;
  if (const int fd = ::open(journal.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
      text.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
  }
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string op, file;
    words >> op;
    if (op == "append") {
      off_t size = 0;
      words >> size >> file;
      if (file.empty() || file.find('/') != std::string::npos)
        continue;
      const auto path = dir.path / file;
      if (::truncate(path.c_str(), size) != 0 && errno != ENOENT)
        return write_error(dir.shown(file));
    } else if (op == "create" || op == "replace") {
      words >> file;
      if (file.empty() || file.find('/') != std::string::npos)
        continue;
      const auto path = dir.path / file;
      const auto old = dir.path / (std::string(k_old_prefix) + file);
      if (op == "create") {
        ::unlink(path.c_str());
      } else if (file_exists(old)) {
        if (::rename(old.c_str(), path.c_str()) != 0)
          return write_error(dir.shown(file));
      }
    }
  }
  // Leftovers of an interrupted change: temporary and kept-aside files.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path, ec)) {
    const auto name = entry.path().filename().string();
    if (unfinished(name) && name != k_journal_file)
      ::unlink(entry.path().c_str());
  }
  if (::unlink(journal.c_str()) != 0 && errno != ENOENT)
    return write_error(dir.shown(k_journal_file));
  sync_dir(dir.path);
  return {};
}

// ---- commit --------------------------------------------------------------------

namespace {

Result<void> apply(const BooksDir& dir, const Change& change) {
  for (const auto& e : change.entries()) {
    const auto path = dir.path / e.file;
    const auto tmp = dir.path / (std::string(k_tmp_prefix) + e.file);
    switch (e.op) {
    case Change::Op::append: {
      const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
      if (fd < 0)
        return write_error(dir.shown(e.file));
      // A file edited by hand may lack its final newline.
      struct stat st;
      std::string data;
      char last = '\n';
      if (::fstat(fd, &st) == 0 && st.st_size > 0 &&
          ::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
        data = "\n";
      data += e.content;
      const bool ok = write_all(fd, data) && ::fsync(fd) == 0;
      const int saved = errno;
      ::close(fd);
      errno = saved;
      if (!ok)
        return write_error(dir.shown(e.file));
      break;
    }
    case Change::Op::create:
    case Change::Op::replace: {
      ::unlink(tmp.c_str());
      if (!write_new_file(tmp, e.content))
        return write_error(dir.shown(e.file));
      if (e.op == Change::Op::replace) {
        const auto old = dir.path / (std::string(k_old_prefix) + e.file);
        ::unlink(old.c_str());
        if (::link(path.c_str(), old.c_str()) != 0)
          return write_error(dir.shown(e.file));
      } else if (file_exists(path)) {
        errno = EEXIST;
        return write_error(dir.shown(e.file));
      }
      if (::rename(tmp.c_str(), path.c_str()) != 0)
        return write_error(dir.shown(e.file));
      break;
    }
    }
  }
  if (!sync_dir(dir.path))
    return write_error(dir.shown_prefix.empty() ? "." : dir.shown_prefix);
  return {};
}

} // namespace

Result<void> check_open_period(const BooksDir& dir,
                               std::optional<Date> lock_date, Date date) {
  if (lock_date && date <= *lock_date)
    return fail(ExitCode::data,
                fmt::format("{} is in a closed period: the books are locked "
                            "up to {} (lock_date in {})",
                            format_date(date), format_date(*lock_date),
                            dir.shown(k_config_file)));
  return {};
}

Result<void> commit(const BooksDir& dir, const BooksLock& lock,
                    const Change& change, std::optional<Date> lock_date) {
  if (lock.mode() != LockMode::exclusive)
    return fail(ExitCode::software, "commit needs the exclusive lock");
  if (change.empty())
    return {};
  for (const auto& e : change.entries())
    if (e.earliest)
      if (auto open = check_open_period(dir, lock_date, *e.earliest); !open)
        return open;
  // The journal: enough to undo every step below.
  std::string journal;
  for (const auto& e : change.entries()) {
    if (e.file.empty() || e.file == "." || e.file == ".." ||
        e.file.find('/') != std::string::npos || e.file.starts_with(".arctl"))
      return fail(ExitCode::software,
                  fmt::format("refusing to write \"{}\"", e.file));
    if (e.op == Change::Op::append) {
      struct stat st;
      if (::stat((dir.path / e.file).c_str(), &st) != 0)
        return fail(ExitCode::cannot_write,
                    fmt::format("cannot append to {}: {}", dir.shown(e.file),
                                errno_text()));
      journal += fmt::format("append {} {}\n", st.st_size, e.file);
    } else {
      // Rolling back a create removes the file, so it must not exist now.
      if (e.op == Change::Op::create && file_exists(dir.path / e.file))
        return fail(ExitCode::cannot_write,
                    fmt::format("cannot create {}: it exists already",
                                dir.shown(e.file)));
      journal += fmt::format("{} {}\n",
                             e.op == Change::Op::create ? "create" : "replace",
                             e.file);
    }
  }
  const auto journal_path = dir.path / k_journal_file;
  const auto journal_tmp = dir.path / (std::string(k_journal_file) + ".tmp");
  ::unlink(journal_tmp.c_str());
  if (!write_new_file(journal_tmp, journal) ||
      ::rename(journal_tmp.c_str(), journal_path.c_str()) != 0 ||
      !sync_dir(dir.path)) {
    auto err = write_error(dir.shown(k_journal_file));
    ::unlink(journal_tmp.c_str());
    return err;
  }

  if (auto applied = apply(dir, change); !applied) {
    (void)recover(dir);
    return applied;
  }

  // The change takes effect when the journal is gone.
  if (::unlink(journal_path.c_str()) != 0 || !sync_dir(dir.path)) {
    auto err = write_error(dir.shown(k_journal_file));
    (void)recover(dir);
    return err;
  }
  for (const auto& e : change.entries())
    if (e.op == Change::Op::replace)
      ::unlink((dir.path / (std::string(k_old_prefix) + e.file)).c_str());
  return {};
}

// ---- new books -------------------------------------------------------------------

Result<NamedFiles>
plan_new_books(const std::filesystem::path& path,
               const std::string& config_text, const NamedFiles& templates) {
  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back(std::string(k_config_file), config_text);
  std::string attributes =
      "# The books' CSV files only grow at the end: a merge of two branches\n"
      "# keeps the new lines of both. Run 'arctl check' after every merge.\n";
  for (const auto& s : all_schemas()) {
    files.emplace_back(std::string(s.file), header_line(s.table));
    attributes += fmt::format("{} merge=union\n", s.file);
  }
  files.emplace_back(".gitattributes", attributes);
  files.emplace_back(".gitignore",
                     "# arctl's lock and the files of an unfinished change\n"
                     ".arctl.*\n");
  for (const auto& file : templates)
    files.push_back(file);
  for (const auto& [name, content] : files)
    if (!name.starts_with(".") && name.find('/') == std::string::npos &&
        file_exists(path / name))
      return fail(ExitCode::cannot_write,
                  fmt::format("cannot create books in {}: {} exists there "
                              "already, and books are never overwritten",
                              path.string(), name));
  return files;
}

Result<void> create_books(const std::filesystem::path& path,
                          const std::string& config_text,
                          const NamedFiles& templates) {
  const auto files = plan_new_books(path, config_text, templates);
  if (!files)
    return std::unexpected(std::move(files.error()));
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec)
    return fail(ExitCode::cannot_write,
                fmt::format("cannot create {}: {}", path.string(),
                            ec.message()));
  const BooksDir dir{path, ""};
  auto lock = BooksLock::acquire(dir, LockMode::exclusive);
  if (!lock)
    return std::unexpected(std::move(lock.error()));
  Change change;
  NamedFiles in_folders;
  for (const auto& [name, content] : *files)
    if (name.find('/') != std::string::npos)
      in_folders.emplace_back(name, content);
    else if (!file_exists(path / name)) // a .gitignore of the user's is kept
      change.create(name, content);
  if (auto done = commit(dir, *lock, change, std::nullopt); !done)
    return done;
  // The letters are the user's to edit, not facts: each is written whole,
  // after the books, and one that is there already is kept.
  for (const auto& [name, content] : in_folders) {
    const auto target = path / name;
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec)
      return fail(ExitCode::cannot_write,
                  fmt::format("cannot create {}: {}",
                              target.parent_path().string(), ec.message()));
    if (file_exists(target))
      continue;
    auto out = OutputFile::create(target, target.string());
    if (!out)
      return std::unexpected(std::move(out.error()));
    out->write(content);
    if (auto ok = out->commit(); !ok)
      return ok;
  }
  return {};
}

// ---- files outside the books ----------------------------------------------------

Result<OutputFile> OutputFile::create(std::filesystem::path path,
                                      std::string shown) {
  // Beside the target, so that the rename stays on one file system; named
  // after it and the process, and never an existing file.
  const auto dir = path.has_parent_path() ? path.parent_path()
                                          : std::filesystem::path(".");
  const auto stem = "." + path.filename().string() + ".arctl.tmp." +
                    std::to_string(::getpid());
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto tmp = dir / (attempt ? stem + "." + std::to_string(attempt) : stem);
    const int fd = ::open(tmp.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0)
      return OutputFile(fd, std::move(path), std::move(tmp), std::move(shown));
    if (errno != EEXIST)
      break;
  }
  return fail(ExitCode::cannot_write,
              fmt::format("cannot write {}: {}", shown, errno_text()));
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_error(other.m_error),
      m_path(std::move(other.m_path)), m_tmp(std::move(other.m_tmp)),
      m_shown(std::move(other.m_shown)) {}

OutputFile::~OutputFile() {
  if (m_fd >= 0) {
    ::close(m_fd);
    ::unlink(m_tmp.c_str());
  }
}

void OutputFile::write(std::string_view data) {
  if (m_error == 0 && !write_all(m_fd, data))
    m_error = errno;
}

Result<void> OutputFile::commit() {
  const auto failed = [this](int error) {
    ::close(std::exchange(m_fd, -1));
    ::unlink(m_tmp.c_str());
    return fail(ExitCode::cannot_write,
                fmt::format("cannot write {}: {}", m_shown,
                            std::strerror(error)));
  };
  if (m_error != 0)
    return failed(m_error);
  if (::fsync(m_fd) != 0)
    return failed(errno);
  if (::rename(m_tmp.c_str(), m_path.c_str()) != 0)
    return failed(errno);
  ::close(std::exchange(m_fd, -1));
  const auto dir = m_path.has_parent_path() ? m_path.parent_path()
                                            : std::filesystem::path(".");
  if (!sync_dir(dir))
    return fail(ExitCode::cannot_write,
                fmt::format("cannot write {}: {}", m_shown, errno_text()));
  return {};
}

} // namespace arctl
