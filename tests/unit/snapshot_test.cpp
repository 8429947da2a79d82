#include "arctl/aging.hpp"
#include "arctl/check.hpp"
#include "arctl/snapshot.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

using namespace arctl;
namespace fs = std::filesystem;

namespace {

// A copy of examples/books whose files were last written an hour ago, and
// a directory for snapshots.
class OldBooks {
public:
  OldBooks() {
    char tmpl[] = "/tmp/arctl-snapshot-test.XXXXXX";
    m_root = ::mkdtemp(tmpl);
    fs::copy(ARCTL_EXAMPLES_DIR, m_root / "books");
    settle();
  }
  ~OldBooks() {
    std::error_code ec;
    fs::remove_all(m_root, ec);
  }
  OldBooks(const OldBooks&) = delete;
  OldBooks& operator=(const OldBooks&) = delete;

  void settle() const {
    for (const auto& e : fs::directory_iterator(m_root / "books"))
      fs::last_write_time(e.path(), fs::file_time_type::clock::now() -
                                        std::chrono::hours(1));
  }
  [[nodiscard]] BooksDir dir() const { return {m_root / "books", ""}; }
  [[nodiscard]] fs::path file() const { return m_root / "cache" / "books.snapshot"; }
  [[nodiscard]] fs::path books() const { return m_root / "books"; }
  [[nodiscard]] LoadOptions options(bool write) const {
    LoadOptions o;
    o.snapshot = file();
    o.write_snapshot = write;
    return o;
  }

private:
  fs::path m_root;
};

// Every field of every record, every id looked up, and the ledger: two
// readings of the same books give the same text.
std::string describe(const Books& b, const Ledger& l) {
  std::string out;
  const auto d = [](Date x) { return format_date(x); };
  for (const auto& c : b.customers)
    out += fmt::format("C {} {} {} {} {} {} {} {} {} {} {}\n", c.id, c.name,
                       c.email, c.currency.name(), c.terms.to_string(),
                       c.credit_limit.value_or(-1), c.tax_id, c.address,
                       c.dunning, c.line, b.find_customer(c.id).value_or(99));
  for (const auto& i : b.invoices)
    out += fmt::format("I {} {} {} {} {} {} {} {} {} {} {} {} {}\n", i.id,
                       i.customer, d(i.date), d(i.due), i.currency.name(),
                       i.subtotal, i.tax, i.total, i.terms, i.po, i.memo, i.line,
                       b.find_document(i.id).index);
  for (const auto& p : b.payments)
    out += fmt::format("P {} {} {} {} {} {} {} {} {} {} {}\n", p.id, d(p.date),
                       p.customer, p.amount, p.currency.name(),
                       to_string(p.method), p.reference, p.bank_tx, p.memo,
                       p.line, b.find_document(p.id).index);
  for (const auto& a : b.allocations)
    out += fmt::format("A {} {} {} {} {} {}\n", d(a.date),
                       b.document_id(a.source), a.invoice, a.amount, a.memo,
                       a.line);
  for (const auto& j : b.adjustments)
    out += fmt::format("J {} {} {} {} {} {} {} {} {} {} {}\n", j.id, d(j.date),
                       to_string(j.kind), j.customer, j.invoice,
                       j.source.valid() ? b.document_id(j.source) : "-",
                       j.amount.value_or(-1), j.currency.name(), j.reason,
                       j.approved_by, j.line);
  for (const auto& e : b.events)
    out += fmt::format("E {} {} {} {} {} {} {}\n", d(e.date), to_string(e.kind),
                       e.customer, e.invoice, e.amount.value_or(-1), e.reason,
                       e.line);
  for (const auto& n : b.notices)
    out += fmt::format("N {} {} {} {} {} {} {} {} {}\n", n.id, d(n.date),
                       n.customer, n.level, fmt::join(n.invoices, "/"),
                       n.amount, n.fee, n.interest, n.line);
  for (const auto& a : b.arrangements)
    out += fmt::format("R {} {} {} {} {} {} {} {} {} {} {} {} {}\n", a.id,
                       d(a.date), to_string(a.kind), a.customer,
                       a.currency.name(), a.amount, d(a.due), a.installments,
                       a.every.to_string(), fmt::join(a.invoices, "/"), a.note,
                       a.line, b.arrangement_index.find(a.id).value_or(99));
  for (const auto& t : b.bank_transactions)
    out += fmt::format("B {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} "
                       "{} {} {}\n",
                       t.id, t.account, d(t.date), d(t.value_date),
                       t.has_value_date, t.reversal, t.amount,
                       t.currency.name(), t.counterparty,
                       t.counterparty_account, t.remittance, t.end_to_end,
                       t.reference, t.type, t.bank_tx, t.fingerprint, t.source,
                       d(t.imported), t.line,
                       b.bank_index.find(t.id).value_or(99));
  for (auto n : b.records)
    out += fmt::format("{} ", n);
  out += fmt::format("in {} files\nas of {}, latest {}\n", b.files_read,
                     d(l.as_of), l.latest ? d(*l.latest) : "-");
  for (const auto& s : l.invoices)
    out += fmt::format("i {} {} {} {} {} {} {} {} {}\n", s.open, s.paid,
                       s.credited, s.discounted, s.written_off, s.disputed_part,
                       s.issued, s.void_, s.disputed);
  for (const auto* sources : {&l.payments, &l.credits})
    for (const auto& s : *sources)
      out += fmt::format("s {} {} {} {}\n", s.left, s.applied, s.refunded,
                         s.reversed);
  for (const auto& c : l.customers)
    out += fmt::format("c {} {} {}\n", c.on_hold, c.hold_reason,
                       c.on_hold ? d(c.hold_since) : "-");
  return out;
}

std::string fresh(const OldBooks& b) {
  Ledger end;
  auto books = open_books(b.dir(), {}, &end);
  REQUIRE(books.has_value());
  return describe(**books, end);
}

void write_snapshot_of(const OldBooks& b) {
  Ledger end;
  REQUIRE(open_books(b.dir(), b.options(true), &end).has_value());
  REQUIRE(fs::exists(b.file()));
}

std::unique_ptr<Books> from_snapshot(const OldBooks& b, Ledger* end = nullptr) {
  return read_snapshot(b.file(), b.dir(), stamp_books(b.dir()), end);
}

} // namespace

TEST_CASE("a snapshot gives back the books and ledger it was made from") {
  OldBooks b;
  std::ofstream(b.books() / "arrangements.csv", std::ios::app)
      << "ARR-1,2026-09-01,promise,PECAN,USD,50.00,2026-09-15,,,,by phone\n"
         "ARR-2,2026-09-01,plan,COLORADO,USD,900.00,2026-10-01,3,2w,"
         "INV-2026-0018;INV-2026-0033,\n";
  b.settle();
  write_snapshot_of(b);
  const auto expected = fresh(b);
  {
    Ledger end;
    const auto books = from_snapshot(b, &end);
    REQUIRE(books != nullptr);
    CHECK(describe(*books, end) == expected);
    CHECK(books->customers.size() > 3);
    CHECK(!books->events.empty());
    CHECK(books->arrangements.size() == 2);
    // Mapped once per process: while these books live, a second reading
    // of the same books comes from their files.
    CHECK(from_snapshot(b) == nullptr);
  }
  // Opening the books goes through it, and gives the same.
  Ledger again;
  auto opened = open_books(b.dir(), b.options(true), &again);
  REQUIRE(opened.has_value());
  CHECK((*opened)->storage != nullptr);
  CHECK(describe(**opened, again) == expected);
  // What is added after reading lives beside what was mapped.
  auto& arena = const_cast<Books&>(**opened).arena;
  CHECK(arena.store("new text") == "new text");
}

namespace {

// An aging of every item and customer as CSV, and its figures.
std::string aged(const Books& books, const Ledger& ledger) {
  AgingRequest request;
  request.items = true;
  const auto report = age_receivables(books, ledger, request);
  std::string out;
  for (const auto view :
       {AgingView::invoice, AgingView::customer, AgingView::summary})
    out += render(aging_table(books, report, view, true), Format::csv);
  return out;
}

std::string describe(const OpenItems& open) {
  std::string out = format_date(open.since) + "\n";
  for (const auto& i : open.invoices)
    out += fmt::format("{} {} {} {} {} {} {} {} {}\n", i.invoice, i.customer,
                       format_date(i.date), format_date(i.due),
                       i.currency.name(), i.total, i.open, i.disputed_part,
                       i.disputed);
  for (const auto& c : open.credits)
    out += fmt::format("{} {} {} {} {} {} {}\n",
                       static_cast<int>(c.document.kind), c.document.index,
                       c.customer, c.currency.name(), format_date(c.date),
                       c.amount, c.left);
  return out;
}

} // namespace

TEST_CASE("a snapshot keeps the open items, which age as the files do") {
  OldBooks b;
  write_snapshot_of(b);
  Ledger fresh_end;
  const auto files = open_books(b.dir(), {}, &fresh_end);
  REQUIRE(files.has_value());
  const auto expected = describe(**files, fresh_end);
  const auto open = describe(*open_items(**files, fresh_end));
  // The latest fact is dated 2026-11-20. Before it the ledger is walked
  // again from the records; HAAG's INV-2026-0036 was paid on 2026-09-17, so
  // it is open on 09-13 and not on 11-20. From it on, the open items kept
  // in the snapshot serve, and the other records are not copied.
  for (const auto* d :
       {"2026-09-13", "2026-11-19", "2026-11-20", "2027-03-31"}) {
    CAPTURE(d);
    const auto as_of = *parse_date(d);
    Ledger end;
    const auto books =
        read_snapshot(b.file(), b.dir(), stamp_books(b.dir()), &end, as_of);
    REQUIRE(books != nullptr);
    REQUIRE(end.open != nullptr);
    const auto* mapped = books->storage->data();
    const auto* invoices =
        reinterpret_cast<const char*>(books->invoices.data());
    CHECK((mapped <= invoices && invoices < mapped + books->storage->size()) ==
          (*parse_date("2026-11-20") <= as_of));
    CHECK(describe(*books, end) == expected);
    CHECK(describe(*end.open) == open);
    const auto ledger = ledger_as_of(*books, std::move(end), as_of);
    const auto report = aged(*books, ledger);
    CHECK(report == aged(**files, compute_ledger(**files, as_of)));
    CHECK((report.find("INV-2026-0036") != std::string::npos) ==
          (std::string_view(d) == "2026-09-13"));
  }
}

TEST_CASE("a snapshot gives back the bank transactions") {
  OldBooks b;
  std::ofstream(b.books() / "bank.csv", std::ios::app)
      << "BTX-2026-000001,DE89,2026-11-02,2026-11-03,431.24,USD,Pecan Street,"
         "DE02,INV-2026-0065,E2E,RF18,PMNT/RCDT/ESCT,,ACSR-1,"
         "0123456789abcdef0123456789abcdef,s.xml:40 Stmt[1]/Ntry[1],"
         "2026-11-20\n"
         "BTX-2026-000002,DE89,2026-11-02,,-7.50,USD,,,Fee,,,,yes,,"
         "fedcba9876543210fedcba9876543210,s.xml:60,2026-11-20\n";
  b.settle();
  write_snapshot_of(b);
  const auto expected = fresh(b);
  CHECK(expected.find("B BTX-2026-000002 DE89 2026-11-02 2026-11-02 false "
                      "true -750 USD") != std::string::npos);
  Ledger end;
  const auto books = from_snapshot(b, &end);
  REQUIRE(books != nullptr);
  CHECK(books->bank_transactions.size() == 2);
  CHECK(describe(*books, end) == expected);
}

TEST_CASE("books held in a snapshot outlive nothing they need") {
  OldBooks b;
  write_snapshot_of(b);
  Ledger end;
  {
    auto books = from_snapshot(b, &end);
    REQUIRE(books != nullptr);
  }
  // The ledger keeps the mapping alive after the books are gone.
  CHECK(end.storage != nullptr);
  CHECK(!end.invoices.empty());
  auto grown = end.invoices;
  grown.push_back({});
  CHECK(grown.size() == end.invoices.size() + 1);
}

TEST_CASE("a snapshot is not used once a file it was made from changes") {
  OldBooks b;
  write_snapshot_of(b);
  REQUIRE(from_snapshot(b) != nullptr);

  SUBCASE("a row added") {
    std::ofstream(b.books() / "events.csv", std::ios::app)
        << "2026-03-01,hold,BLUEH,,,Late again\n";
  }
  SUBCASE("same size and time, other bytes (cp -p, touch -d)") {
    const auto path = b.books() / "customers.csv";
    const auto time = fs::last_write_time(path);
    std::fstream f(path, std::ios::in | std::ios::out);
    f.seekp(-2, std::ios::end);
    f.put('x');
    f.close();
    fs::last_write_time(path, time);
  }
  SUBCASE("a file removed") { fs::remove(b.books() / "notices.csv"); }
  SUBCASE("arctl.toml edited") {
    std::ofstream(b.books() / "arctl.toml", std::ios::app) << "\n";
    b.settle();
  }
  CHECK(from_snapshot(b) == nullptr);
}

TEST_CASE("a snapshot is made only of settled, valid books") {
  OldBooks b;
  SUBCASE("a file written a moment ago") {
    std::ofstream(b.books() / "events.csv", std::ios::app) << "";
    fs::last_write_time(b.books() / "events.csv",
                        fs::file_time_type::clock::now());
    CHECK(!stamp_books(b.dir()).settled);
    REQUIRE(open_books(b.dir(), b.options(true)).has_value());
    CHECK(!fs::exists(b.file()));
  }
  SUBCASE("books with a problem") {
    std::ofstream(b.books() / "allocations.csv", std::ios::app)
        << "2026-03-01,NO-SUCH,INV-2026-0001,1.00,\n";
    b.settle();
    CHECK(!open_books(b.dir(), b.options(true)).has_value());
    CHECK(!fs::exists(b.file()));
  }
  SUBCASE("only when asked to write") {
    REQUIRE(open_books(b.dir(), b.options(false)).has_value());
    CHECK(!fs::exists(b.file()));
  }
  // No temporary file is left behind either way.
  if (fs::exists(b.file().parent_path()))
    CHECK(fs::is_empty(b.file().parent_path()));
}

TEST_CASE("a damaged or foreign snapshot is not used") {
  OldBooks b;
  write_snapshot_of(b);
  const auto expected = fresh(b);
  SUBCASE("cut short") {
    fs::resize_file(b.file(), fs::file_size(b.file()) / 2);
  }
  SUBCASE("another file's bytes") {
    std::ofstream(b.file(), std::ios::trunc) << "not a snapshot\n";
  }
  CHECK(from_snapshot(b) == nullptr);
  // Opening the books reads the files instead, and writes a new snapshot.
  Ledger end;
  auto books = open_books(b.dir(), b.options(true), &end);
  REQUIRE(books.has_value());
  CHECK(describe(**books, end) == expected);
  CHECK(from_snapshot(b) != nullptr);
}

TEST_CASE("a snapshot of other books is not used") {
  OldBooks b;
  write_snapshot_of(b);
  const auto other = b.books().parent_path() / "other";
  fs::copy(b.books(), other, fs::copy_options::recursive);
  CHECK(read_snapshot(b.file(), {other, ""}, stamp_books({other, ""}),
                      nullptr) == nullptr);
  CHECK(from_snapshot(b) != nullptr);
}

TEST_CASE("where snapshots are kept") {
  OldBooks b;
  const auto dir = b.dir();
  const auto in = [&](CacheEnvironment env) {
    const auto p = snapshot_path(dir, env);
    return p ? p->parent_path().string() : std::string("none");
  };
  CHECK(in({"/var/cache/x", "/xdg", "/home/u"}) == "/var/cache/x");
  CHECK(in({"off", "/xdg", "/home/u"}) == "none");
  CHECK(in({"", "/xdg", "/home/u"}) == "/xdg/arctl");
  CHECK(in({std::nullopt, std::nullopt, "/home/u"}) == "/home/u/.cache/arctl");
  CHECK(in({std::nullopt, std::nullopt, std::nullopt}) == "none");
  // One file per books directory.
  const auto a = snapshot_path(dir, {"/c", {}, {}});
  const auto other = snapshot_path({dir.path / "..", ""}, {"/c", {}, {}});
  REQUIRE(a);
  REQUIRE(other);
  CHECK(*a != *other);
  CHECK(*a == *snapshot_path({dir.path / "." , "x/"}, {"/c", {}, {}}));
}
