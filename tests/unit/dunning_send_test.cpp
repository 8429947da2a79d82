#include "arctl/dunning_send.hpp"
#include "arctl/ledger.hpp"
#include "temp_books.hpp"
#include "template_tags.hpp"

#include <doctest/doctest.h>

#include <array>
#include <numeric>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

// ACME (with an e-mail address and a name that needs escaping) owes INV-1
// 1,000.00 due 01-31 and INV-2 200.00 due 03-03; BETA, without an
// address, owes INV-3 300.00 due 01-31. Two levels: a reminder from one
// day past due, and a final demand from 30 days, 14 days after the
// reminder, with a fee of 40.00, 12% interest a year and a credit hold.
struct SendBooks : TempBooks {
  SendBooks() {
    auto config = read("arctl.toml");
    config.erase(config.find("[dunning]"));
    const auto company = config.find("[company]\n") + 10;
    config.insert(company, "email = \"ar@test.example\"\n"
                           "payment_instructions = \"Wire to First Bank\\n"
                           "Account 000123\"\n");
    write("arctl.toml", config + R"(
[dunning]
minimum = "25.00"

[[dunning.level]]
name = "reminder"
days = 1

[[dunning.level]]
name = "final"
days = 30
wait = 14
fee = "40.00"
interest = "12"
action = "hold"
)");
    add("customers.csv", "ACME,Acme & <Sons>,ap@acme.example,,,,,,\n"
                         "BETA,Beta Ltd,,,,,,,\n");
    add("invoices.csv",
        "INV-1,ACME,2026-01-01,2026-01-31,USD,,1000.00,0.00,1000.00,,\n"
        "INV-2,ACME,2026-02-01,2026-03-03,USD,,200.00,0.00,200.00,,\n"
        "INV-3,BETA,2026-01-01,2026-01-31,USD,,300.00,0.00,300.00,,\n");
  }

  // Plans, prepares and records every notice due on `as_of`.
  DunningRun send(const char* as_of, bool charge_fees = false) {
    auto books = open();
    const auto ledger = compute_ledger(*books, day(as_of));
    auto run = prepare_dunning(*books, plan_dunning(*books, ledger, {}),
                               {charge_fees, "Mon, 2 Mar 2026 09:00:00 +0000"});
    REQUIRE(run.has_value());
    std::vector<std::size_t> all(run->letters.size());
    std::iota(all.begin(), all.end(), std::size_t{0});
    auto planned = record_dunning(*books, ledger, *run, all);
    REQUIRE(planned.has_value());
    commit_plan(*planned);
    return std::move(*run);
  }
};

std::size_t lines_of(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

TEST_CASE("a notice's letter and message") {
  SendBooks b;
  const auto run = b.send("2026-02-10");
  REQUIRE(run.letters.size() == 2);
  const auto& acme = run.letters[0];
  CHECK(acme.id == "DUN-2026-00001");
  CHECK(run.letters[1].id == "DUN-2026-00002");
  CHECK(acme.subject == "Payment reminder: USD 1,000.00 past due");
  CHECK(acme.has_address);
  CHECK_FALSE(run.letters[1].has_address);

  SUBCASE("the text letter lists the items and how to pay") {
    CHECK(acme.text.starts_with("Test Co\n"));
    CHECK(acme.text.find("Subject:") == std::string::npos);
    CHECK(acme.text.find("Dear Acme & <Sons>,") != std::string::npos);
    CHECK(acme.text.find("INV-1    2026-01-01    2026-01-31         10    "
                         "1,000.00") != std::string::npos);
    CHECK(acme.text.find("INV-2") == std::string::npos); // not overdue
    CHECK(acme.text.find("  Wire to First Bank\n  Account 000123\n") !=
          std::string::npos);
    CHECK(acme.text.find("Fee") == std::string::npos);
  }
  SUBCASE("the HTML letter escapes every value") {
    CHECK(acme.html.find("Acme &amp; &lt;Sons&gt;") != std::string::npos);
    CHECK(acme.html.find("<Sons>") == std::string::npos);
    CHECK(acme.html.find("<td>INV-1</td>") != std::string::npos);
  }
  SUBCASE("the message carries both") {
    const auto& m = acme.message;
    CHECK(m.starts_with("From: \"Test Co\" <ar@test.example>\n"
                        "To: \"Acme & <Sons>\" <ap@acme.example>\n"
                        "Subject: Payment reminder: USD 1,000.00 past due\n"
                        "Date: Mon, 2 Mar 2026 09:00:00 +0000\n"
                        "Message-ID: <DUN-2026-00001.ACME@test.example>\n"
                        "MIME-Version: 1.0\n"
                        "Content-Type: multipart/alternative;\n"));
    CHECK(m.find("Content-Type: text/plain; charset=utf-8") !=
          std::string::npos);
    CHECK(m.find("Content-Type: text/html; charset=utf-8") !=
          std::string::npos);
    CHECK(m.find("Acme &amp; &lt;Sons&gt;") != std::string::npos);
  }
  SUBCASE("the notices are recorded, and not proposed again") {
    CHECK(b.read("notices.csv") ==
          "id,date,customer,level,invoices,amount,currency,fee,interest\n"
          "DUN-2026-00001,2026-02-10,ACME,reminder,INV-1,1000.00,USD,,\n"
          "DUN-2026-00002,2026-02-10,BETA,reminder,INV-3,300.00,USD,,\n");
    auto books = b.open();
    const auto again = plan_dunning(
        *books, compute_ledger(*books, day("2026-02-10")), {});
    CHECK(again.notices.empty());
    CHECK(b.send("2026-02-11").letters.empty());
  }
}

TEST_CASE("fees and interest are charged on fee invoices only when asked") {
  SUBCASE("without charge_fees, none") {
    SendBooks b;
    b.send("2026-02-10");
    const auto run = b.send("2026-03-02");
    REQUIRE(run.letters.size() == 2);
    CHECK(run.plan.notices[0].fee == 0);
    CHECK(run.letters[0].text.find("Fee") == std::string::npos);
    CHECK(b.read("invoices.csv").find("FEE-") == std::string::npos);
    CHECK(b.read("notices.csv").find(
              "DUN-2026-00003,2026-03-02,ACME,final,INV-1,1000.00,USD,,\n") !=
          std::string::npos);
  }
  SUBCASE("with charge_fees, a fee invoice per notice") {
    SendBooks b;
    b.send("2026-02-10");
    const auto run = b.send("2026-03-02", true);
    REQUIRE(run.letters.size() == 2);
    // 1,000.00 × 12% × 30 days / 365 = 9.86.
    CHECK(run.plan.notices[0].interest == 986);
    CHECK(run.letters[0].text.find("Total due USD") != std::string::npos);
    CHECK(run.letters[0].text.find("1,049.86") != std::string::npos);
    CHECK(b.read("notices.csv").find("DUN-2026-00003,2026-03-02,ACME,final,"
                                     "INV-1,1000.00,USD,40.00,9.86\n") !=
          std::string::npos);
    auto books = b.open();
    const auto fee = books->invoice_index.find("FEE-2026-00001");
    REQUIRE(fee.has_value());
    const auto& inv = books->invoices[*fee];
    CHECK(books->customers[inv.customer].id == "ACME");
    CHECK(inv.total == 4986);
    CHECK(inv.due == day("2026-03-02"));
    CHECK(books->invoice_index.find("FEE-2026-00002").has_value());
  }
}

TEST_CASE("a level whose action is hold puts the customer on credit hold once") {
  SendBooks b;
  b.add("events.csv", "2026-02-20,hold,BETA,,,already held\n");
  b.send("2026-02-10");
  b.send("2026-03-02");
  const auto events = b.read("events.csv");
  CHECK(events.find("2026-03-02,hold,ACME,,,dunning notice DUN-2026-00003 "
                    "(final)\n") != std::string::npos);
  CHECK(events.find("hold,BETA,,,dunning") == std::string::npos);
  auto books = b.open();
  CHECK(compute_ledger(*books, day("2026-03-02")).customers[0].on_hold);
}

TEST_CASE("only the notices sent are recorded") {
  SendBooks b;
  auto books = b.open();
  const auto ledger = compute_ledger(*books, day("2026-02-10"));
  auto run = prepare_dunning(*books, plan_dunning(*books, ledger, {}), {});
  REQUIRE(run.has_value());
  const std::size_t second = 1;
  auto planned = record_dunning(*books, ledger, *run, std::span(&second, 1));
  REQUIRE(planned.has_value());
  b.commit_plan(*planned);
  CHECK(lines_of(b.read("notices.csv")) == 2);
  CHECK(b.read("notices.csv").find("DUN-2026-00002,2026-02-10,BETA") !=
        std::string::npos);
  // ACME's notice is due still; it is numbered again, after the highest.
  CHECK(b.send("2026-02-10").letters.at(0).id == "DUN-2026-00003");
}

TEST_CASE("what stops a run before any letter goes out") {
  SendBooks b;
  SUBCASE("no e-mail address of the company") {
    auto config = b.read("arctl.toml");
    const auto at = config.find("email = ");
    config.erase(at, config.find('\n', at) + 1 - at);
    b.write("arctl.toml", config);
    auto books = b.open();
    const auto ledger = compute_ledger(*books, day("2026-02-10"));
    const auto run =
        prepare_dunning(*books, plan_dunning(*books, ledger, {}), {});
    REQUIRE_FALSE(run.has_value());
    CHECK(run.error().exit == ExitCode::data);
    CHECK(run.error().message.find("[company] has no email") !=
          std::string::npos);
  }
  SUBCASE("a closed period") {
    auto config = b.read("arctl.toml");
    const auto books_table = config.find("[books]\n") + 8;
    config.insert(books_table, "lock_date = \"2026-02-28\"\n");
    b.write("arctl.toml", config);
    auto books = b.open();
    const auto ledger = compute_ledger(*books, day("2026-02-10"));
    auto run = prepare_dunning(*books, plan_dunning(*books, ledger, {}), {});
    REQUIRE(run.has_value());
    const std::size_t first = 0;
    const auto planned =
        record_dunning(*books, ledger, *run, std::span(&first, 1));
    REQUIRE_FALSE(planned.has_value());
    CHECK(planned.error().exit == ExitCode::data);
  }
  SUBCASE("a letter without a template") {
    auto config = b.read("arctl.toml");
    config.replace(config.find("days = 1\n"), 9,
                   "days = 1\nletter = \"gentle\"\n");
    b.write("arctl.toml", config);
    auto loaded = load_books(b.dir(), {});
    REQUIRE(loaded.has_value());
    const auto found = check_books(*loaded->books);
    REQUIRE(found.size() == 2); // text and HTML
    CHECK(found[0].code == "dunning-letter");
    CHECK(found[0].loc.file == "arctl.toml");
    CHECK(found[0].message.find("its letter 'gentle' has no template: "
                                "templates/dunning/gentle.txt.mustache is "
                                "missing") != std::string::npos);
    std::filesystem::create_directories(b.path() / "templates/dunning");
    b.write("templates/dunning/gentle.txt.mustache",
            "Subject: Hello\n{{#items}}{{invoice}}\n");
    b.write("templates/dunning/gentle.html.mustache",
            "<p>{{customer.name}}</p>\n");
    const auto again = check_books(*loaded->books);
    REQUIRE(again.size() == 1); // the text template is not valid mustache
    CHECK(again[0].loc.file == "templates/dunning/gentle.txt.mustache");
  }
}

TEST_CASE("new books have the built-in letters to edit") {
  TempBooks b;
  for (const auto& [file, content] : builtin_letter_files())
    CHECK(b.read(file) == content);
  CHECK(builtin_letter_files().size() == 6);
  CHECK(builtin_letter("final", DocumentFormat::html).find("Final demand") !=
        std::string::npos);
  CHECK(builtin_letter("gentle", DocumentFormat::text).empty());
}

TEST_CASE("the built-in letters use only documented variables") {
  constexpr std::array<std::string_view, 3> lists{
      "items", "company.address_lines", "customer.address_lines"};
  for (const auto& [file, content] : builtin_letter_files()) {
    CAPTURE(file);
    for (const auto& tag : arctl::testing::template_tags(content, lists)) {
      CHECK_MESSAGE(tag.sigil != '{', "built-in letters escape every value");
      CHECK_MESSAGE(tag.sigil != '&', "built-in letters escape every value");
      if (tag.name == ".")
        continue;
      bool known = false;
      for (const auto& v : letter_template_variables())
        known |= v.name == tag.name ||
                 (tag.list == "items" && v.name == "items[]." + tag.name);
      CHECK_MESSAGE(known, "undocumented variable ", tag.name);
    }
  }
}

TEST_CASE("letters are written, and mailed when a command is given") {
  SendBooks b;
  auto books = b.open();
  const auto ledger = compute_ledger(*books, day("2026-02-10"));
  auto run = prepare_dunning(*books, plan_dunning(*books, ledger, {}), {});
  REQUIRE(run.has_value());
  const auto out = b.path() / "letters";

  SUBCASE("without a mail command every letter goes out as files") {
    const auto outcomes = deliver_letters(*books, *run, {out, "letters", {}});
    REQUIRE(outcomes.has_value());
    REQUIRE(outcomes->size() == 2);
    CHECK_FALSE((*outcomes)[0].error);
    CHECK_FALSE((*outcomes)[1].error);
    CHECK((*outcomes)[0].message_file == "letters/DUN-2026-00001.eml");
    CHECK(b.read("letters/DUN-2026-00001.txt") == run->letters[0].text);
    CHECK(b.read("letters/DUN-2026-00002.html") == run->letters[1].html);
    CHECK(b.read("letters/DUN-2026-00001.eml") == run->letters[0].message);
  }
  SUBCASE("a refused message and a customer without an address") {
    const auto outcomes =
        deliver_letters(*books, *run, {out, "letters", {"false"}});
    REQUIRE(outcomes.has_value());
    REQUIRE((*outcomes)[0].error);
    CHECK((*outcomes)[0].error->exit == ExitCode::unavailable);
    CHECK((*outcomes)[0].error->message ==
          "notice DUN-2026-00001 to ACME not sent: false exited with status 1");
    REQUIRE((*outcomes)[1].error);
    CHECK((*outcomes)[1].error->exit == ExitCode::data);
    CHECK(std::filesystem::exists(out / "DUN-2026-00002.eml"));
  }
  SUBCASE("a folder that cannot be made") {
    b.write("blocked", "a file, not a folder\n");
    const auto outcomes =
        deliver_letters(*books, *run, {b.path() / "blocked/x", "blocked/x", {}});
    REQUIRE_FALSE(outcomes.has_value());
    CHECK(outcomes.error().exit == ExitCode::cannot_write);
  }
}
