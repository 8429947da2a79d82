// Snapshots: books that were read and passed every rule, kept with their
// ledger as of the end in one binary file, so that the next command on the
// same unchanged books reads that file instead of parsing and checking every
// CSV file again. A snapshot is derived data, like a compiled file: it is
// used only while every file it was made from is exactly as it was, only by
// the arctl that wrote it, and it can be deleted at any time.
#pragma once

#include "arctl/books.hpp"
#include "arctl/ledger.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace arctl {

// Where snapshots are kept, from the environment: ARCTL_CACHE names a
// directory, or "off" for none; unset or empty, $XDG_CACHE_HOME/arctl, else
// $HOME/.cache/arctl; nowhere when neither is set.
struct CacheEnvironment {
  std::optional<std::string> arctl_cache, xdg_cache_home, home;
};

// The snapshot file for the books in `dir` (one per books directory, named
// by a hash of its canonical path), or nothing when snapshots are off.
[[nodiscard]] std::optional<std::filesystem::path>
snapshot_path(const BooksDir& dir, const CacheEnvironment& env);

// A file as a snapshot saw it. Any write to a file changes its modification
// time, and replacing it or changing it while keeping that time (cp -p,
// touch -d) changes its inode or change time: equal stamps mean an
// unchanged file.
struct FileStamp {
  bool exists = false;
  std::uint64_t size = 0, inode = 0, device = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// The files read without invoice lines: arctl.toml and every table but
// invoice-lines.csv.
inline constexpr std::size_t k_stamped_files = k_table_count;

struct BooksStamp {
  std::array<FileStamp, k_stamped_files> files{};
  // Every file was last modified at least 2 seconds before it was stamped.
  // A file written within the same tick of the file system's clock as a
  // write just before it can keep the same stamp, so a snapshot is made
  // only of settled books.
  bool settled = false;
  friend bool operator==(const BooksStamp& a, const BooksStamp& b) {
    return a.files == b.files;
  }
};

// Stamps the files of the books in `dir`, now: before reading them, so that
// a change made while they are read shows as a different stamp.
[[nodiscard]] BooksStamp stamp_books(const BooksDir& dir);

// The books in `dir` and, into `end` if given, their ledger as of the end,
// from the snapshot `file` when it was made from files stamped as `stamp`,
// by this arctl, since the system last started; nothing otherwise.
// arctl.toml is read again (it is small); everything else comes from the
// snapshot, mapped into memory (copy on write) at the address it was
// written for, so that the text its records point to is where they say.
// The records every report walks are copied out of it into huge pages;
// the others are used where they lie, unread until touched. With
// `open_items_on`, for a command that reads no more than the customers and
// the open items of the ledger as of that date (open_items), when no fact
// is dated after it: only those are copied, and every other record is
// used where it lies. Nothing when that address is taken in this process.
[[nodiscard]] std::unique_ptr<Books>
read_snapshot(const std::filesystem::path& file, const BooksDir& dir,
              const BooksStamp& stamp, Ledger* end,
              std::optional<Date> open_items_on = std::nullopt);

// Writes the snapshot of `books` (read without invoice lines, with no
// problem found) and `end`, made from files stamped as `stamp`, to `file`:
// as an unnamed file in the same directory, named and renamed into place
// once whole, so that a reader sees the old snapshot or the new one, never
// a part. It is not flushed to disk: a snapshot records the boot it was
// written in and is never read after a restart, which is when one could be
// found half written. Returns false, leaving no file behind, when it cannot
// be written or `stamp` is not settled; a command goes on without one.
bool write_snapshot(const std::filesystem::path& file, const Books& books,
                    const Ledger& end, const BooksStamp& stamp);

} // namespace arctl
