#include "arctl/transaction.hpp"

#include "temp_books.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace arctl;
using arctl::testing::TempBooks;

TEST_CASE("a committed change appends its rows") {
  TempBooks b;
  auto lock = BooksLock::acquire(b.dir(), LockMode::exclusive);
  REQUIRE(lock.has_value());
  Change change;
  change.append(Table::customers, "A,Alpha,,,,,,,\n");
  change.append(Table::customers, "B,Beta,,,,,,,\n");
  REQUIRE(commit(b.dir(), *lock, change, std::nullopt).has_value());
  CHECK(b.read("customers.csv") ==
        header_line(Table::customers) + "A,Alpha,,,,,,,\nB,Beta,,,,,,,\n");
  CHECK_FALSE(std::filesystem::exists(b.path() / k_journal_file));
}

TEST_CASE("appending to a file without a final newline starts a new line") {
  TempBooks b;
  b.write("events.csv", "date,kind,customer,invoice,amount,reason");
  auto lock = BooksLock::acquire(b.dir(), LockMode::exclusive);
  REQUIRE(lock.has_value());
  Change change;
  change.append(Table::events, "2026-01-01,hold,A,,,\n");
  REQUIRE(commit(b.dir(), *lock, change, std::nullopt).has_value());
  CHECK(b.read("events.csv") ==
        "date,kind,customer,invoice,amount,reason\n2026-01-01,hold,A,,,\n");
}

TEST_CASE("a change whose writer died is rolled back by the next lock") {
  TempBooks b;
  const auto before_customers = b.read("customers.csv");
  const auto before_events = b.read("events.csv");
  // What a writer killed midway leaves: its journal, a half-written append,
  // a created file and a replaced file with the old one kept aside.
  b.write(std::string(k_journal_file),
          "append " + std::to_string(before_events.size()) +
              " events.csv\ncreate notes.csv\nreplace customers.csv\n");
  b.add("events.csv", "2026-01-01,hold,A");
  b.write("notes.csv", "half");
  std::filesystem::rename(b.path() / "customers.csv",
                          b.path() / ".arctl.old.customers.csv");
  b.write("customers.csv", "new content");
  b.write(".arctl.tmp.payments.csv", "junk");

  auto lock = BooksLock::acquire(b.dir(), LockMode::shared);
  REQUIRE(lock.has_value());
  CHECK(b.read("events.csv") == before_events);
  CHECK(b.read("customers.csv") == before_customers);
  CHECK_FALSE(std::filesystem::exists(b.path() / "notes.csv"));
  CHECK_FALSE(std::filesystem::exists(b.path() / k_journal_file));
  CHECK_FALSE(std::filesystem::exists(b.path() / ".arctl.tmp.payments.csv"));
  CHECK_FALSE(std::filesystem::exists(b.path() / ".arctl.old.customers.csv"));
}

TEST_CASE("files of a change without its journal are cleared by the next lock") {
  TempBooks b;
  const auto before = b.read("customers.csv");
  // Killed while writing the journal; or after the commit, before the
  // file kept aside was removed.
  b.write(std::string(k_journal_file) + ".tmp", "append 12 ev");
  b.write(".arctl.old.customers.csv", "the replaced version");
  auto lock = BooksLock::acquire(b.dir(), LockMode::shared);
  REQUIRE(lock.has_value());
  CHECK(b.read("customers.csv") == before);
  CHECK_FALSE(std::filesystem::exists(b.path() / ".arctl.journal.tmp"));
  CHECK_FALSE(std::filesystem::exists(b.path() / ".arctl.old.customers.csv"));
  CHECK(std::filesystem::exists(b.path() / k_lock_file));
}

TEST_CASE("a second writer is told the books are locked") {
  TempBooks b;
  auto first = BooksLock::acquire(b.dir(), LockMode::exclusive);
  REQUIRE(first.has_value());
  // flock locks belong to open file descriptions: a second open in this
  // process contends just as another process would.
  auto second = BooksLock::acquire(b.dir(), LockMode::exclusive,
                                   std::chrono::milliseconds(50));
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().exit == ExitCode::locked);
  auto reader = BooksLock::acquire(b.dir(), LockMode::shared);
  CHECK_FALSE(reader.has_value());
}

TEST_CASE("readers share the lock") {
  TempBooks b;
  auto r1 = BooksLock::acquire(b.dir(), LockMode::shared);
  auto r2 = BooksLock::acquire(b.dir(), LockMode::shared);
  CHECK(r1.has_value());
  CHECK(r2.has_value());
}

TEST_CASE("replacing a file is atomic and leaves nothing behind") {
  TempBooks b;
  auto lock = BooksLock::acquire(b.dir(), LockMode::exclusive);
  REQUIRE(lock.has_value());
  Change change;
  change.replace("customers.csv", header_line(Table::customers) + "A,Alpha,,,,,,,\n");
  REQUIRE(commit(b.dir(), *lock, change, std::nullopt).has_value());
  CHECK(b.read("customers.csv").ends_with("A,Alpha,,,,,,,\n"));
  for (const auto& e : std::filesystem::directory_iterator(b.path()))
    CHECK_FALSE(e.path().filename().string().starts_with(".arctl.old"));
}

TEST_CASE("a failed write leaves the books as they were") {
  TempBooks b;
  const auto before = b.read("customers.csv");
  auto lock = BooksLock::acquire(b.dir(), LockMode::exclusive);
  REQUIRE(lock.has_value());
  std::filesystem::remove(b.path() / "notices.csv");
  Change change;
  change.append(Table::customers, "A,Alpha,,,,,,,\n");
  change.append(Table::notices, "x\n");
  auto r = commit(b.dir(), *lock, change, std::nullopt);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().exit == ExitCode::cannot_write);
  CHECK(b.read("customers.csv") == before);
}

TEST_CASE("creating a file that exists fails and keeps the file") {
  TempBooks b;
  auto lock = BooksLock::acquire(b.dir(), LockMode::exclusive);
  REQUIRE(lock.has_value());
  Change change;
  change.append(Table::customers, "A,Alpha,,,,,,,\n");
  change.create("notices.csv", "other\n");
  REQUIRE_FALSE(commit(b.dir(), *lock, change, std::nullopt).has_value());
  CHECK(b.read("notices.csv") == header_line(Table::notices));
  CHECK(b.read("customers.csv") == header_line(Table::customers));
}

TEST_CASE("facts dated in a closed period are refused") {
  TempBooks b;
  auto lock = BooksLock::acquire(b.dir(), LockMode::exclusive);
  REQUIRE(lock.has_value());
  const auto lock_date = *parse_date("2026-03-31");
  Change change;
  change.append(Table::events, "2026-04-01,hold,A,,,\n", *parse_date("2026-04-01"));
  change.append(Table::events, "2026-03-31,release,A,,,\n", lock_date);
  auto r = commit(b.dir(), *lock, change, lock_date);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().exit == ExitCode::data);
  CHECK(r.error().message ==
        "2026-03-31 is in a closed period: the books are locked up to "
        "2026-03-31 (lock_date in arctl.toml)");
  CHECK(b.read("events.csv") == header_line(Table::events));
  Change open;
  open.append(Table::events, "2026-04-01,hold,A,,,\n", *parse_date("2026-04-01"));
  CHECK(commit(b.dir(), *lock, open, lock_date).has_value());
}

TEST_CASE("init never overwrites books") {
  TempBooks b;
  auto r = create_books(b.path(), "[company]\n");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().exit == ExitCode::cannot_write);
  CHECK(b.read("arctl.toml").find("Test Co") != std::string::npos);
}

TEST_CASE("commit refuses file names that leave the books") {
  TempBooks b;
  auto lock = BooksLock::acquire(b.dir(), LockMode::exclusive);
  REQUIRE(lock.has_value());
  for (const char* name : {"../x.csv", ".arctl.journal", "", "a/b.csv"}) {
    Change change;
    change.create(name, "x");
    CHECK_FALSE(commit(b.dir(), *lock, change, std::nullopt).has_value());
  }
}

namespace {
// The names in a directory, sorted.
std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}
} // namespace

TEST_CASE("an output file appears whole when committed, over the old one") {
  TempBooks b;
  const auto dir = b.path() / "out";
  std::filesystem::create_directory(dir);
  b.write("out/journal", "old\n");
  auto file = OutputFile::create(dir / "journal", "out/journal");
  REQUIRE(file.has_value());
  file->write("first ");
  CHECK(b.read("out/journal") == "old\n"); // not yet
  file->write("second\n");
  REQUIRE(file->commit().has_value());
  CHECK(b.read("out/journal") == "first second\n");
  CHECK(names_in(dir) == std::vector<std::string>{"journal"});
}

TEST_CASE("an output file dropped without a commit leaves nothing behind") {
  TempBooks b;
  const auto dir = b.path() / "out";
  std::filesystem::create_directory(dir);
  b.write("out/journal", "old\n");
  {
    auto file = OutputFile::create(dir / "journal", "out/journal");
    REQUIRE(file.has_value());
    file->write("half a journal");
  }
  CHECK(b.read("out/journal") == "old\n");
  CHECK(names_in(dir) == std::vector<std::string>{"journal"});
}

TEST_CASE("an output file in a missing directory cannot be written") {
  TempBooks b;
  auto file = OutputFile::create(b.path() / "nowhere" / "journal",
                                 "nowhere/journal");
  REQUIRE_FALSE(file.has_value());
  CHECK(file.error().exit == ExitCode::cannot_write);
  CHECK(file.error().message ==
        "cannot write nowhere/journal: No such file or directory");
}

TEST_CASE("an output file over a directory fails at the commit") {
  TempBooks b;
  std::filesystem::create_directory(b.path() / "journal");
  auto file = OutputFile::create(b.path() / "journal", "journal");
  REQUIRE(file.has_value());
  file->write("text");
  const auto done = file->commit();
  REQUIRE_FALSE(done.has_value());
  CHECK(done.error().exit == ExitCode::cannot_write);
  CHECK(done.error().message == "cannot write journal: Is a directory");
  CHECK(std::filesystem::is_directory(b.path() / "journal"));
  for (const auto& name : names_in(b.path()))
    CHECK_FALSE(name.starts_with(".journal"));
}
