// A books directory in a fresh temporary folder, filled from strings, for
// tests of the code that reads and writes files.
#pragma once

#include "arctl/books.hpp"
#include "arctl/check.hpp"
#include "arctl/config.hpp"
#include "arctl/dunning_send.hpp"
#include "arctl/invoicing.hpp"
#include "arctl/transaction.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace arctl::testing {

// A date written as in the books, for short tests.
inline Date day(const char* text) { return *parse_date(text); }

// A draft's field given with `option`.
inline DraftField given(std::string text, const char* option = "--x") {
  DraftField f;
  f.text = std::move(text);
  f.at.option = option;
  f.given = true;
  return f;
}

class TempBooks {
public:
  // New books as `arctl init` makes them (USD, no tax codes) plus `config`
  // appended to arctl.toml.
  explicit TempBooks(const std::string& extra_config = {}) {
    char tmpl[] = "/tmp/arctl-test.XXXXXX";
    m_path = ::mkdtemp(tmpl);
    auto made = create_books(
        m_path,
        default_config_text("Test Co", *find_currency("USD")) + extra_config,
        builtin_letter_files());
    if (!made)
      throw std::runtime_error(made.error().message);
  }
  ~TempBooks() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempBooks(const TempBooks&) = delete;
  TempBooks& operator=(const TempBooks&) = delete;

  // Appends lines (without the header) to a file.
  void add(const std::string& file, const std::string& rows) {
    std::ofstream(m_path / file, std::ios::app) << rows;
  }
  void write(const std::string& file, const std::string& content) {
    std::ofstream(m_path / file, std::ios::trunc) << content;
  }
  [[nodiscard]] std::string read(const std::string& file) const {
    std::ifstream in(m_path / file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  [[nodiscard]] BooksDir dir() const { return {m_path, ""}; }

  // The books read, every row readable (the rules across rows may fail).
  [[nodiscard]] std::unique_ptr<Books> load() const {
    auto loaded = load_books(dir(), {});
    REQUIRE(loaded.has_value());
    REQUIRE(loaded->problems.empty());
    return std::move(loaded->books);
  }
  // The books read and valid, as every command opens them.
  [[nodiscard]] std::unique_ptr<Books> open() const {
    auto books = open_books(dir(), {});
    REQUIRE(books.has_value());
    return std::move(*books);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

  // Commits a planned change, as the command line does.
  void commit_plan(const PlannedChange& plan) const {
    auto lock = BooksLock::acquire(dir(), LockMode::exclusive);
    REQUIRE(lock.has_value());
    REQUIRE(commit(dir(), *lock, plan.change, std::nullopt).has_value());
  }

private:
  std::filesystem::path m_path;
};

} // namespace arctl::testing
