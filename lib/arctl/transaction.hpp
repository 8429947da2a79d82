// The one write path of arctl: every command that changes the books builds a
// Change, validates it, and commits it here under the books' lock. A change
// lands whole or not at all, even if the process is killed midway.
#pragma once

#include "arctl/books.hpp"
#include "arctl/dates.hpp"
#include "arctl/error.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace arctl {

inline constexpr std::string_view k_lock_file = ".arctl.lock";
inline constexpr std::string_view k_journal_file = ".arctl.journal";

enum class LockMode { shared, exclusive };

// An flock(2) on .arctl.lock in the books. The kernel drops it when the
// process dies, so a crashed command never leaves a stale lock behind.
// Acquiring it rolls back any change a crashed writer left half done.
class BooksLock {
public:
  // Waits up to `wait` for the lock, then fails with ExitCode::locked.
  // Books on a read-only file system get a shared "lock" that locks nothing
  // (nobody can write them) and refuse an exclusive one (cannot_write).
  [[nodiscard]] static Result<BooksLock>
  acquire(const BooksDir& dir, LockMode mode,
          std::chrono::milliseconds wait = std::chrono::milliseconds(0));

  BooksLock(BooksLock&& other) noexcept;
  BooksLock& operator=(BooksLock&&) = delete;
  ~BooksLock();

  [[nodiscard]] LockMode mode() const { return m_mode; }

private:
  BooksLock(int fd, LockMode mode) : m_fd(fd), m_mode(mode) {}
  int m_fd = -1;
  LockMode m_mode;
};

// What a command wants to write: rows appended to fact files, new files,
// and whole files replaced (master data). Paths are file names inside the
// books directory.
class Change {
public:
  // Appends one record (a CSV line ending in '\n') to the file of `table`.
  // A fact passes its date, which commit checks against the lock date;
  // master data (a new customer) has none.
  void append(Table table, std::string record,
              std::optional<Date> date = std::nullopt);
  // Appends one record to the file of `table` where it does not exist yet
  // (an optional table, TableSchema): the file is created with its header row.
  void append_new(Table table, std::string record,
                  std::optional<Date> date = std::nullopt);
  // Creates a file that must not exist yet.
  void create(std::string file, std::string content);
  // Replaces a file's whole content (customers.csv after an edit).
  void replace(std::string file, std::string content);

  // Adds what `other` writes after what this change writes.
  void merge(Change other);

  [[nodiscard]] bool empty() const { return m_ops.empty(); }

  enum class Op { append, create, replace };
  struct Entry {
    Op op;
    std::string file;
    std::string content;
    std::optional<Date> earliest; // the earliest fact date appended
  };
  [[nodiscard]] const std::vector<Entry>& entries() const { return m_ops; }

private:
  std::vector<Entry> m_ops;
};

// What a command would write: the Change to commit, the records it takes
// out and puts in (each without line ending), to show for --dry-run, the
// ids of the documents it creates and, where ids do not say it, what it
// does in words, to print when it is done.
struct PlannedChange {
  Change change;
  std::vector<std::string> removed;
  std::vector<std::string> added;
  std::vector<std::string> ids;
  std::string summary;

  // Adds `other` after this plan: its records, what it shows, its ids.
  void merge(PlannedChange other);
};

// Refuses (ExitCode::data) a fact dated on or before the lock date: the
// periods up to it are closed. commit applies it to every dated fact; a
// --dry-run asks it directly.
[[nodiscard]] Result<void> check_open_period(const BooksDir& dir,
                                             std::optional<Date> lock_date,
                                             Date date);

// Writes `change` into the books. `lock` must be exclusive. A fact dated on
// or before `lock_date` is refused (ExitCode::data) before anything is
// written: periods up to the lock date are closed. Order of work:
// a rollback journal naming every file and its size is written and synced;
// files are appended to, created via a temporary file and rename, or
// replaced via a temporary file and rename with the old one kept aside;
// everything is synced; then the journal is removed, which is the moment
// the change takes effect. Failures (disk full, read-only) roll back and
// return ExitCode::cannot_write.
[[nodiscard]] Result<void> commit(const BooksDir& dir, const BooksLock& lock,
                                  const Change& change,
                                  std::optional<Date> lock_date);

// Rolls back a change whose writer died before finishing it. Called by
// BooksLock::acquire; safe to call when there is nothing to recover.
[[nodiscard]] Result<void> recover(const BooksDir& dir);

// Files by path relative to the books, with their content.
using NamedFiles = std::vector<std::pair<std::string, std::string>>;

// Creates new books in `dir` (which may exist but must hold no books):
// arctl.toml from `config_text`, every CSV file with its header row, and
// .gitattributes/.gitignore for keeping the books in git. Atomic like
// commit. Fails with cannot_write if books are there already. Then
// `templates` (paths with folders, such as "templates/dunning/x"), each
// written whole unless a file is there already, which is kept.
[[nodiscard]] Result<void> create_books(const std::filesystem::path& dir,
                                        const std::string& config_text,
                                        const NamedFiles& templates = {});

// What create_books would write, file name -> content; fails as
// create_books would when `dir` holds books already (for --dry-run).
[[nodiscard]] Result<NamedFiles>
plan_new_books(const std::filesystem::path& dir, const std::string& config_text,
               const NamedFiles& templates = {});

// A file outside the books (an export) written whole or not at all: what
// is written goes to a temporary file beside `path`, and commit() syncs it
// and renames it over `path`. Without a commit, the temporary file is
// removed and `path` stays as it was. Errors are ExitCode::cannot_write
// and name the file as `shown`.
class OutputFile {
public:
  [[nodiscard]] static Result<OutputFile> create(std::filesystem::path path,
                                                 std::string shown);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&&) = delete;
  ~OutputFile();

  // Appends `data`; a failure is kept for commit() to report.
  void write(std::string_view data);
  // Syncs, closes and renames the temporary file over the target.
  [[nodiscard]] Result<void> commit();

private:
  OutputFile(int fd, std::filesystem::path path, std::filesystem::path tmp,
             std::string shown)
      : m_fd(fd), m_path(std::move(path)), m_tmp(std::move(tmp)),
        m_shown(std::move(shown)) {}
  int m_fd = -1;
  int m_error = 0; // errno of the first failed write
  std::filesystem::path m_path, m_tmp;
  std::string m_shown;
};

} // namespace arctl
