#include "arctl/bank/import.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "temp_books.hpp"

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

// An MT940 statement of account NL01 with one entry per `entries` line
// ("240301C10,NTRFREF//BANKID" without ":61:"), balances made to fit.
std::string statement(const std::vector<std::string>& entries,
                      const char* account = "NL01") {
  std::string out = fmt::format(":20:S\n:25:{}\n:60F:C240301EUR0,\n", account);
  for (const auto& e : entries)
    out += ":61:" + e + "\n:86:text " + e.substr(0, 6) + "\n";
  return out + "-\n";
}

ImportOptions options() {
  ImportOptions o;
  o.today = day("2026-11-20");
  return o;
}

Result<ImportPlan> import(const TempBooks& b, std::vector<StatementFile> files,
                          const ImportOptions& o = options()) {
  const auto books = b.open();
  return plan_bank_import(*books, files, o);
}

} // namespace

TEST_CASE(
    "a fingerprint is of the account and the bank's id, or of the content") {
  BankTransaction t;
  t.account = "NL01";
  t.date = day("2024-03-01");
  t.amount = 1000;
  t.currency = *find_currency("EUR");
  t.remittance = "INV-1";
  t.bank_tx = "B1";
  const auto by_id = bank_fingerprint(t, true, 0);
  CHECK(by_id.size() == 32);
  // FNV-1a (128 bits) of "arctl-bank-1␟id␟NL01␟B1" (␟ = U+001F), as
  // Python's integers compute it in arctl-reconcile(1).
  CHECK(by_id == "f09fc78aa457231d6c4efeff7c562bf6");
  auto other = t;
  other.amount = 2000; // the bank's id alone identifies it
  CHECK(bank_fingerprint(other, true, 0) == by_id);
  other.account = "NL02";
  CHECK(bank_fingerprint(other, true, 0) != by_id);
  // By content: the occurrence tells identical lines apart.
  const auto first = bank_fingerprint(t, false, 0);
  CHECK(first != by_id);
  CHECK(bank_fingerprint(t, false, 1) != first);
  other = t;
  other.bank_tx = "B9"; // not part of the content
  CHECK(bank_fingerprint(other, false, 0) == first);
  other.remittance = "INV-2";
  CHECK(bank_fingerprint(other, false, 0) != first);
}

TEST_CASE("importing a statement twice, or one that overlaps it, adds nothing "
          "twice") {
  TempBooks b;
  const auto week1 = statement(
      {"240301C10,NTRFNONREF", "240302C20,NTRFNONREF", "240302C20,NTRFNONREF"});
  auto plan = import(b, {{"week1.sta", week1}});
  REQUIRE(plan.has_value());
  CHECK(plan->files[0].added == 3);
  CHECK(plan->planned.ids == std::vector<std::string>{"BTX-2024-000001",
                                                      "BTX-2024-000002",
                                                      "BTX-2024-000003"});
  b.commit_plan(plan->planned);
  // Two identical lines are two transactions; a statement from the 2nd on
  // has both again, and one new one.
  const auto overlap = statement(
      {"240302C20,NTRFNONREF", "240302C20,NTRFNONREF", "240303D5,NTRFNONREF"});
  plan = import(b, {{"overlap.sta", overlap}, {"week1.sta", week1}});
  REQUIRE(plan.has_value());
  CHECK(plan->files[0].added == 1);
  CHECK(plan->files[0].present == 2);
  CHECK(plan->files[1].added == 0);
  CHECK(plan->files[1].present == 3);
  CHECK(plan->planned.ids == std::vector<std::string>{"BTX-2024-000004"});
}

TEST_CASE("a bank's id names a transaction unless the file repeats it") {
  TempBooks b;
  auto plan = import(b, {{"a.sta", statement({"240301C10,NTRFX//ID-1",
                                              "240301C10,NTRFX//ID-2"})}});
  REQUIRE(plan.has_value());
  b.commit_plan(plan->planned);
  // The same ids with another text (a bank that reworded its statement):
  // the same transactions. A repeated id identifies nothing.
  plan = import(b, {{"b.sta", ":20:S\n:25:NL01\n:60F:C240301EUR0,\n"
                              ":61:240301C10,NTRFX//ID-1\n:86:reworded\n"
                              ":61:240301C10,NTRFX//ID-2\n:86:reworded\n"
                              ":61:240301C7,NTRFX//ID-3\n:86:one\n"
                              ":61:240301C7,NTRFX//ID-3\n:86:two\n-\n"}});
  REQUIRE(plan.has_value());
  CHECK(plan->files[0].present == 2);
  CHECK(plan->files[0].added == 2);
}

TEST_CASE("all files or none: a bad file stops the import with every problem") {
  TempBooks b;
  const auto good = statement({"240301C10,NTRFNONREF"});
  const auto bad = ":20:S\n:25:NL01\n:60F:C240301EUR0,\n:61:240301C10,NTRF\n"
                   ":62F:C240301EUR11,\n";
  const auto plan = import(b, {{"good.sta", good},
                               {"bad.sta", bad},
                               {"what.txt", "hello\n"},
                               {"bad.bai", "01,A,B,240301,0800,1,,,2/\n"}});
  REQUIRE_FALSE(plan.has_value());
  CHECK(plan.error().exit == ExitCode::data);
  CHECK(plan.error().message ==
        "3 problems in 3 of 4 files; nothing was imported");
  std::vector<std::string> got;
  for (const auto& d : plan.error().diagnostics)
    got.push_back(fmt::format("{}:{}:{} {}", d.loc.file, d.loc.line,
                              d.loc.column, d.code));
  CHECK(got == std::vector<std::string>{"bad.sta:5:6 mt940-balance-mismatch",
                                        "what.txt:0:0 statement-format",
                                        "bad.bai:1:1 bai2-truncated"});
}

TEST_CASE(
    "the account: the statement's, or --account for one that names none") {
  TempBooks b;
  const auto no_account = ":20:S\n:60F:C240301EUR0,\n:61:240301C1,NTRFNONREF\n"
                          ":62F:C240301EUR1,\n";
  auto plan = import(b, {{"x.sta", no_account}});
  REQUIRE_FALSE(plan.has_value());
  CHECK(plan.error().exit == ExitCode::usage);
  CHECK(plan.error().message ==
        "x.sta names no bank account for its transactions; name it with "
        "--account");
  auto o = options();
  o.account = "DE89";
  plan = import(b, {{"x.sta", no_account}}, o);
  REQUIRE(plan.has_value());
  CHECK(plan->planned.added[0].starts_with("BTX-2024-000001,DE89,"));
  plan = import(b, {{"y.sta", statement({"240301C1,NTRFNONREF"})}}, o);
  REQUIRE_FALSE(plan.has_value());
  CHECK(plan.error().exit == ExitCode::usage);
  CHECK(plan.error().message ==
        "y.sta:4: the statement is of account NL01, not --account DE89");
}

TEST_CASE("what bank.csv records of a transaction") {
  TempBooks b;
  auto plan =
      import(b, {{"dir/s.sta", statement({"2403010302D10,5NMSCR1//B1"})}});
  REQUIRE(plan.has_value());
  REQUIRE(plan->planned.added.size() == 1);
  BankTransaction t;
  t.account = "NL01";
  t.bank_tx = "B1";
  // The source is the file's name, without its directory.
  CHECK(plan->planned.added[0] ==
        "BTX-2024-000001,NL01,2024-03-02,2024-03-01,-10.50,EUR,,,text 240301,"
        ",R1,NMSC,,B1," +
            bank_fingerprint(t, true, 0) + ",s.sta:4,2026-11-20");
}

TEST_CASE("books without bank.csv get it on their first import") {
  TempBooks b;
  std::filesystem::remove(b.dir().path / "bank.csv");
  b.write(".gitattributes", "customers.csv merge=union\n");
  auto plan = import(b, {{"s.sta", statement({"240301C10,NTRFNONREF"})}});
  REQUIRE(plan.has_value());
  b.commit_plan(plan->planned);
  CHECK(b.read("bank.csv")
            .starts_with(header_line(Table::bank) + "BTX-2024-000001,NL01,"));
  CHECK(b.read(".gitattributes") ==
        "customers.csv merge=union\nbank.csv merge=union\n");
  CHECK(b.open()->bank_transactions.size() == 1);
}

TEST_CASE("bank transactions in a closed period are refused") {
  TempBooks b;
  auto text = b.read("arctl.toml");
  text.replace(text.find("# lock_date"), 2, "");
  text.replace(text.find("2026-03-31"), 10, "2024-03-01");
  b.write("arctl.toml", text);
  const auto plan = import(b, {{"s.sta", statement({"240301C10,NTRFNONREF"})}});
  REQUIRE_FALSE(plan.has_value());
  CHECK(plan.error().exit == ExitCode::data);
  CHECK(plan.error().message.starts_with(
      "s.sta:4: 2024-03-01 is in a closed period"));
}

TEST_CASE("a CSV statement needs a profile that arctl.toml has") {
  TempBooks b;
  auto o = options();
  o.format = StatementFormat::csv;
  auto plan = import(b, {{"x.csv", "a,b\n"}}, o);
  REQUIRE_FALSE(plan.has_value());
  CHECK(plan.error().exit == ExitCode::usage);
  o.profile = "mybank";
  plan = import(b, {{"x.csv", "a,b\n"}}, o);
  REQUIRE_FALSE(plan.has_value());
  CHECK(plan.error().message ==
        "--profile: arctl.toml has no [bank.profile.mybank]; it has no "
        "profiles");
}
