#include "arctl/reconcile.hpp"
#include "arctl/check.hpp"
#include "temp_books.hpp"

#include <fmt/format.h>

#include <doctest/doctest.h>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

// ACME owes INV-1 (1,000.00, 2/10 net 30) and INV-2 (250.00); BETA owes
// INV-3 (400.00) and paid PAY-1 (120.00, a check entered by hand on
// 2026-03-08) and PAY-2, PAY-3 (30.00 and 45.00, on 2026-03-09). The bank
// has, from 2026-03-10: ACME's 980.00 for INV-1 less its discount, two
// deposits (120.00; 75.00), a loan, a payment by someone unknown, a debit,
// and 240.00 for INV-2 from ACME with 10.00 of charges kept back.
struct BankBooks : TempBooks {
  BankBooks() : TempBooks("\n[reconcile]\ntolerance = \"15.00\"\n") {
    add("customers.csv", "ACME,Acme Widgets Corporation,,,,,,,\n"
                         "BETA,Beta Fasteners GmbH,,,,,,,\n");
    add("invoices.csv",
        "INV-1,ACME,2026-03-01,2026-03-31,USD,2/10 net 30,1000.00,0.00,1000.00,,\n"
        "INV-2,ACME,2026-03-05,2026-04-04,USD,,250.00,0.00,250.00,,\n"
        "INV-3,BETA,2026-03-05,2026-04-04,USD,,400.00,0.00,400.00,,\n");
    add("invoice-lines.csv", "INV-1,1,,Work,1,1000.00,,,1000.00,0.00,\n"
                             "INV-2,1,,Work,1,250.00,,,250.00,0.00,\n"
                             "INV-3,1,,Work,1,400.00,,,400.00,0.00,\n");
    add("payments.csv", "PAY-1,2026-03-08,BETA,120.00,USD,check,Check 101,,\n"
                        "PAY-2,2026-03-09,BETA,30.00,USD,check,,,\n"
                        "PAY-3,2026-03-09,BETA,45.00,USD,check,,,\n");
    add("bank.csv",
        "BTX-1,US1,2026-03-10,,980.00,USD,ACME WIDGETS CORP,US99ACME,Invoice INV-1,,,,,B1,f1,s:1,2026-03-12\n"
        "BTX-2,US1,2026-03-10,,120.00,USD,,,DEPOSIT,,,,,B2,f2,s:2,2026-03-12\n"
        "BTX-3,US1,2026-03-10,,75.00,USD,,,DEPOSIT,,,,,B3,f3,s:3,2026-03-12\n"
        "BTX-4,US1,2026-03-11,,5000.00,USD,FIRST BANK,,LOAN,,,,,B4,f4,s:4,2026-03-12\n"
        "BTX-5,US1,2026-03-11,,64.00,USD,WALK IN,,,,,,,B5,f5,s:5,2026-03-12\n"
        "BTX-6,US1,2026-03-11,,-12.00,USD,,,FEE,,,,,B6,f6,s:6,2026-03-12\n"
        "BTX-7,US1,2026-03-12,,240.00,USD,ACME WIDGETS CORP,US99ACME,INV-2,,,,,B7,f7,s:7,2026-03-12\n");
  }

  MatchRun match(const Books& books, const Ledger& ledger) const {
    return match_bank(books, ledger, day("2026-03-31"),
                      match_options(books.config));
  }
};

const MatchProposal& of(const Books& books, const MatchRun& run,
                        std::string_view bank) {
  for (std::size_t k = 0; k < run.bank.size(); ++k)
    if (books.bank_transactions[run.bank[k]].id == bank)
      return run.proposals[k];
  FAIL("no proposal for ", bank);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("matching the bank: each rule on its credit, in date order") {
  BankBooks b;
  const auto books = b.open();
  const auto ledger = compute_ledger(*books, k_end_of_time);
  const auto run = b.match(*books, ledger);
  REQUIRE(run.bank.size() == 6); // credits only, not the debit

  const auto& discount = of(*books, run, "BTX-1");
  CHECK(discount.rule == MatchRule::reference_discount);
  REQUIRE(discount.applications.size() == 1);
  CHECK(discount.applications[0].discount == 2000);

  const auto& check = of(*books, run, "BTX-2");
  CHECK(check.rule == MatchRule::posted);
  REQUIRE(check.payments.size() == 1);
  CHECK(books->payments[check.payments[0]].id == "PAY-1");

  const auto& deposit = of(*books, run, "BTX-3");
  CHECK(deposit.rule == MatchRule::deposit);
  CHECK(deposit.payments.size() == 2);
  CHECK(deposit.confidence == 92);

  CHECK(of(*books, run, "BTX-4").status == MatchStatus::unidentified);
  CHECK(of(*books, run, "BTX-5").status == MatchStatus::unidentified);

  const auto& charges = of(*books, run, "BTX-7");
  CHECK(charges.rule == MatchRule::reference_short);
  REQUIRE(charges.applications.size() == 1);
  CHECK(charges.applications[0].short_pay == 1000);
}

TEST_CASE("posting the matches: payments, links and decisions, once") {
  BankBooks b;
  auto books = b.open();
  auto run = b.match(*books, compute_ledger(*books, k_end_of_time));
  auto posting = plan_match_post(*books, run, 90, day("2026-03-31"));
  REQUIRE(posting.has_value());
  CHECK(posting->posted.size() == 4);
  b.commit_plan(posting->planned);
  const auto report = run_check(b.dir(), {});
  REQUIRE(report.has_value());
  REQUIRE(report->findings.empty());

  books = b.open();
  const auto ledger = compute_ledger(*books, k_end_of_time);
  // INV-1 closed by the payment and its discount, INV-2 by the payment and
  // the write-off of the charges.
  const auto inv = [&](std::string_view id) {
    return ledger.invoices[*books->invoice_index.find(id)];
  };
  CHECK(inv("INV-1").open == 0);
  CHECK(inv("INV-1").discounted == 2000);
  CHECK(inv("INV-2").open == 0);
  CHECK(inv("INV-2").written_off == 1000);
  CHECK(books->payments.size() == 5);
  CHECK(books->payments[3].bank_tx == "BTX-1");
  REQUIRE(books->reconciliations.size() == 4);
  const auto& linked = books->reconciliations[1];
  CHECK(linked.action == ReconcileAction::linked);
  CHECK(linked.payments == "PAY-1");
  CHECK(linked.rule == "posted");
  CHECK(books->reconciliations[0].rule == "reference-discount");
  CHECK(books->reconciliations[0].confidence == 97); // the name agrees
  CHECK_FALSE(books->reconciliations[0].reason.empty());

  // Matching again leaves out what is accounted for; the account learned
  // from BTX-1 is ACME's.
  run = match_bank(*books, ledger, day("2026-03-31"),
                   match_options(books->config));
  CHECK(run.bank.size() == 2);
  posting = plan_match_post(*books, run, 90, day("2026-03-31"));
  REQUIRE(posting.has_value());
  CHECK(posting->posted.empty());
  CHECK(posting->planned.change.empty());
}

TEST_CASE("exceptions: credits unmatched, payments not at the bank, differences") {
  BankBooks b;
  b.add("payments.csv", "PAY-4,2026-03-11,ACME,10.00,USD,cash,,,\n"
                        "PAY-5,2026-02-01,ACME,10.00,USD,cash,,,\n"
                        "PAY-6,2026-03-11,ACME,63.00,USD,wire,,BTX-5,\n");
  const auto books = b.open();
  const auto links = link_bank(*books);
  const auto list = reconcile_exceptions(*books, links, day("2026-03-31"));
  std::vector<std::string> seen;
  for (const auto& x : list)
    seen.push_back(fmt::format(
        "{} {}{}", to_string(x.kind),
        x.bank != k_none ? books->bank_transactions[x.bank].id
                         : books->payments[x.payment].id,
        x.kind == ExceptionKind::difference ? " " + x.difference.to_string()
                                            : std::string()));
  // PAY-5 is from before the statements; PAY-6 names BTX-5 but is 1.00
  // short of it.
  CHECK(seen == std::vector<std::string>{
                    "not-at-bank PAY-1", "not-at-bank PAY-2",
                    "not-at-bank PAY-3", "unmatched BTX-1", "unmatched BTX-2",
                    "unmatched BTX-3", "unmatched BTX-4",
                    "difference BTX-5 1.00", "not-at-bank PAY-4",
                    "unmatched BTX-7"});
  // As of an earlier date, later facts are not exceptions yet: before the
  // first statement nothing is; on its day, its credits and the payments
  // of the week before.
  CHECK(reconcile_exceptions(*books, links, day("2026-03-09")).empty());
  CHECK(reconcile_exceptions(*books, links, day("2026-03-10")).size() == 6);
}

TEST_CASE("confirming and ignoring by hand") {
  BankBooks b;
  auto books = b.open();
  ConfirmRequest r;
  r.bank = "BTX-5";
  r.apply = {"INV-3=64.00"};
  r.customer = "ACME"; // paying BETA's invoice: a third party
  r.reason = "phoned";
  r.today = day("2026-03-31");
  auto planned = plan_confirm(*books, r);
  REQUIRE(planned.has_value());
  b.commit_plan(*planned);

  auto ignored = plan_ignore(*b.open(), "BTX-4", "loan drawdown", day("2026-03-31"));
  REQUIRE(ignored.has_value());
  b.commit_plan(*ignored);

  ConfirmRequest link;
  link.bank = "BTX-3";
  link.payments = {"PAY-2", "PAY-3"};
  link.today = day("2026-03-31");
  planned = plan_confirm(*b.open(), link);
  REQUIRE(planned.has_value());
  b.commit_plan(*planned);

  books = b.open();
  REQUIRE(books->reconciliations.size() == 3);
  const auto& q = books->reconciliations[0];
  CHECK(q.action == ReconcileAction::confirmed);
  CHECK(q.third_party);
  CHECK(q.reason == "phoned");
  CHECK(books->payments.back().bank_tx == "BTX-5");
  CHECK(books->payments[2].bank_tx.empty()); // linked, not rewritten
  CHECK(books->reconciliations[1].action == ReconcileAction::ignored);
  CHECK(books->reconciliations[2].payments == "PAY-2;PAY-3");
  const auto ledger = compute_ledger(*books, k_end_of_time);
  CHECK(ledger.invoices[*books->invoice_index.find("INV-3")].open == 33600);

  SUBCASE("refusals") {
    const auto refused = [&](ConfirmRequest x) {
      x.today = day("2026-03-31");
      const auto p = plan_confirm(*books, x);
      REQUIRE_FALSE(p.has_value());
      return std::pair(p.error().exit, p.error().message);
    };
    CHECK(refused({"BTX-5", {}, "ACME", {}, "", {}}).second.starts_with(
        "bank transaction BTX-5 is confirmed already"));
    CHECK(refused({"BTX-6", {}, "ACME", {}, "", {}}).second.starts_with(
        "bank transaction BTX-6 is not a customer's credit"));
    CHECK(refused({"BTX-9", {}, "ACME", {}, "", {}}).first == ExitCode::data);
    CHECK(refused({"BTX-2", {}, "", {}, "", {}}).first == ExitCode::usage);
    CHECK(refused({"BTX-2", {}, "ACME", {"PAY-1"}, "", {}}).first ==
          ExitCode::usage);
    CHECK(refused({"BTX-2", {}, "", {"PAY-2"}, "", {}}).second ==
          "payment PAY-2 is carried by bank transaction BTX-3 already");
    CHECK(plan_ignore(*books, "BTX-2", "", day("2026-03-31")).error().exit ==
          ExitCode::usage);
  }
}

TEST_CASE("a tolerance is at most what may be written off without approval") {
  TempBooks b("\n[reconcile]\ntolerance = { USD = \"25.00\", EUR = \"5.00\" }\n"
              "rules = [\"reference\", \"posted\"]\nmin_confidence = 95\n");
  auto text = b.read("arctl.toml");
  text.replace(text.find("[payments]"), 10,
               "[payments]\nwriteoff_limit = { USD = \"10.00\" }");
  b.write("arctl.toml", text);
  const auto books = b.open();
  const auto o = match_options(books->config);
  CHECK(o.tolerance(*find_currency("USD")) == 1000);
  CHECK(o.tolerance(*find_currency("EUR")) == 0); // no limit: approval
  CHECK(o.rules == std::vector{MatchRule::reference, MatchRule::posted});
  CHECK(o.min_confidence == 95);
}

TEST_CASE("check: a credit decided twice, a debit decided, an unknown rule, a payment carried twice") {
  BankBooks b;
  b.add("reconciliations.csv",
        "2026-03-31,BTX-2,linked,PAY-1,BETA,posted,94,,,\n"
        "2026-03-31,BTX-2,ignored,,,,,,twice,\n"
        "2026-03-31,BTX-6,ignored,,,,,,a fee,\n"
        "2026-03-31,BTX-3,linked,PAY-1,BETA,guess,50,,,\n");
  const auto report = run_check(b.dir(), {});
  REQUIRE(report.has_value());
  std::vector<std::string> codes;
  for (const auto& d : report->findings)
    if (d.loc.file.ends_with("reconciliations.csv"))
      codes.push_back(fmt::format("{}:{}", d.loc.line, d.code));
  CHECK(codes == std::vector<std::string>{"3:duplicate-decision", "4:not-a-credit",
                                          "5:duplicate-payment", "5:value-unknown"});
}
