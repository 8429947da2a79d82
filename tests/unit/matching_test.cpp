#include "arctl/matching.hpp"
#include "temp_books.hpp"

#include <doctest/doctest.h>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;

namespace {

// ACME owes INV-2026-0001 (1,000.00, 2/10 net 30), INV-2026-0002
// (250.00) and INV-2026-0003 (400.00); ACMO, a different firm with a
// similar name, owes INV-2026-0004 (250.00); BETA owes INV-2026-0005
// (99.00), disputed in part (40.00).
struct MatchBooks : TempBooks {
  MatchBooks() {
    add("customers.csv", "ACME,Acme Widgets Corporation,,,,,,,\n"
                         "ACMO,Acmo Mobile Ltd,,,,,,,\n"
                         "BETA,Beta Fasteners GmbH,,,,,,,\n");
    add("invoices.csv",
        "INV-2026-0001,ACME,2026-03-01,2026-03-31,USD,2/10 net 30,1000.00,0.00,1000.00,,\n"
        "INV-2026-0002,ACME,2026-03-05,2026-04-04,USD,,250.00,0.00,250.00,,\n"
        "INV-2026-0003,ACME,2026-03-09,2026-04-08,USD,,400.00,0.00,400.00,,\n"
        "INV-2026-0004,ACMO,2026-03-05,2026-04-04,USD,,250.00,0.00,250.00,,\n"
        "INV-2026-0005,BETA,2026-03-01,2026-03-31,USD,,99.00,0.00,99.00,,\n");
    add("events.csv", "2026-03-10,dispute,BETA,INV-2026-0005,40.00,Short shipment\n");
  }
};

struct Run {
  std::unique_ptr<Books> books;
  Ledger ledger;
  std::unique_ptr<MatchIndex> index;
  explicit Run(const TempBooks& b,
               MatchHistory known = {})
      : books(b.open()), ledger(compute_ledger(*books, day("2026-03-20"))),
        index(std::make_unique<MatchIndex>(*books, ledger, std::move(known))) {}

  MatchProposal one(BankCredit c, MatchOptions options = {}) const {
    if (c.date == Date{})
      c.date = day("2026-03-10");
    c.currency = *find_currency("USD");
    return match_credits(*index, std::span(&c, 1), options).front();
  }
  std::string id(std::uint32_t invoice) const {
    return std::string(books->invoices[invoice].id);
  }
  // The invoices the text names, by id.
  std::string named(std::string_view text) const {
    std::string out;
    for (const auto inv : index->invoices_named(text))
      out += (out.empty() ? "" : " ") + id(inv);
    return out;
  }
  std::string customer(const MatchProposal& p) const {
    return p.customer == k_none ? "" : std::string(books->customers[p.customer].id);
  }
};

} // namespace

TEST_CASE("invoice numbers are found as people write them") {
  CHECK(normalize_reference("INV-2026-0018") == "INV202618");
  CHECK(normalize_reference("inv 2026/018") == "INV202618");
  CHECK(normalize_reference("0000") == "0");
  MatchBooks b;
  Run r(b);
  const auto named = [&](std::string_view text) { return r.named(text); };
  CHECK(named("INV-2026-0001") == "INV-2026-0001");
  CHECK(named("Payment for inv 2026 0001 and INV2026-3") ==
        "INV-2026-0001 INV-2026-0003");
  CHECK(named("RE:INV-2026-00002,thanks") == "INV-2026-0002");
  CHECK(named("Rechnung Nr. 2026-0004") == "INV-2026-0004"); // no prefix
  CHECK(named("invoice 2026") == "");
  CHECK(named("nothing here 1000.00") == "");
}

TEST_CASE("customer names are recognised despite case, legal forms and typos") {
  CHECK(normalize_name("Acme Widgets Corporation") == "acme widgets");
  CHECK(normalize_name("O'Brien & Sons, Inc.") == "obrien sons");
  CHECK(name_similarity("acme widgets", "acme widgets") == 100);
  MatchBooks b;
  Run r(b);
  const auto who = [&](std::string_view name) {
    const auto c = r.index->customer_named(name);
    return c ? std::string(r.books->customers[c->first].id) : std::string();
  };
  CHECK(who("ACME WIDGETS CORP") == "ACME");
  CHECK(who("ACME WIDGTS") == "ACME");
  CHECK(who("Acmo Mobile") == "ACMO");
  CHECK(who("BETA FASTENERS") == "BETA");
  CHECK(who("Gamma Industries") == "");
  CHECK(who("ACM") == ""); // too short to tell
}

TEST_CASE("the reference rules") {
  MatchBooks b;
  Run r(b);
  SUBCASE("the amount is what is open on the invoices named") {
    const auto p = r.one({"B1", {}, 65000, {}, "ACME WIDGETS", "", "INV-2026-0002 INV-2026-0003"});
    CHECK(p.status == MatchStatus::proposed);
    CHECK(p.rule == MatchRule::reference);
    CHECK(p.confidence == 99); // the payer's name agrees
    CHECK(r.customer(p) == "ACME");
    REQUIRE(p.applications.size() == 2);
    CHECK(r.id(p.applications[0].invoice) == "INV-2026-0002");
    CHECK(p.applications[0].amount == 25000);
    CHECK(p.unapplied == 0);
    CHECK(p.reason == "the remittance names INV-2026-0002, INV-2026-0003, open "
                      "USD 650.00 in all, and the amount is exactly that");
  }
  SUBCASE("less the early-payment discount, within its window") {
    const auto p = r.one({"B2", {}, 98000, {}, "", "", "INV-2026-0001"});
    CHECK(p.rule == MatchRule::reference_discount);
    REQUIRE(p.applications.size() == 1);
    CHECK(p.applications[0].amount == 98000);
    CHECK(p.applications[0].discount == 2000);
    CHECK(p.confidence == 95);
    // After the window the same amount is a partial payment.
    const auto late = r.one({"B2", day("2026-03-15"), 98000, {}, "", "", "INV-2026-0001"});
    CHECK(late.rule == MatchRule::reference_partial);
  }
  SUBCASE("short by bank charges within the tolerance") {
    MatchOptions o;
    o.tolerances = {Money{1500, *find_currency("USD")}};
    const auto p = r.one({"B3", {}, 63800, {}, "", "", "INV-2026-0002, INV-2026-0003"}, o);
    CHECK(p.rule == MatchRule::reference_short);
    REQUIRE(p.applications.size() == 2);
    CHECK(p.applications[1].amount == 38800);
    CHECK(p.applications[1].short_pay == 1200);
    // Beyond the tolerance it is a partial payment.
    const auto partial = r.one({"B3", {}, 60000, {}, "", "", "INV-2026-0002, INV-2026-0003"}, o);
    CHECK(partial.rule == MatchRule::reference_partial);
    CHECK(partial.applications[1].amount == 35000);
    CHECK(partial.applications[1].short_pay == 0);
  }
  SUBCASE("more than is open leaves the rest on account") {
    const auto p = r.one({"B4", {}, 30000, {}, "", "", "INV-2026-0002"});
    CHECK(p.rule == MatchRule::reference_partial);
    CHECK(p.unapplied == 5000);
    // A partial payment from a payer not known: the number alone could be
    // a typo, so it is below what is posted by default.
    CHECK(p.confidence == 83);
  }
  SUBCASE("a disputed part is not claimed") {
    const auto p = r.one({"B5", {}, 5900, {}, "", "", "INV-2026-0005"});
    CHECK(p.rule == MatchRule::reference);
    CHECK(p.applications.at(0).amount == 5900);
  }
  SUBCASE("a payer who looks like someone else lowers the confidence") {
    const auto p = r.one({"B6", {}, 25000, {}, "Beta Fasteners", "", "INV-2026-0004"});
    CHECK(p.rule == MatchRule::reference);
    CHECK(p.confidence == 92); // the amount is exactly what is open
    CHECK(p.third_party);
    CHECK(r.customer(p) == "ACMO");
  }
  SUBCASE("invoices of two customers in one credit are flagged") {
    const auto p = r.one({"B7", {}, 50000, {}, "", "", "INV-2026-0002 INV-2026-0004"});
    CHECK(p.status == MatchStatus::flagged);
    CHECK_FALSE(p.rule);
    CHECK(p.applications.empty());
    CHECK(p.reason.starts_with("the remittance names invoices of ACME, ACMO"));
  }
}

TEST_CASE("the payer rules") {
  MatchBooks b;
  Run r(b, {{{"DE89 3704 0044 0532 0130 00", 0}}, {}});
  SUBCASE("a known account and the amount of one invoice") {
    const auto p = r.one({"B1", {}, 40000, {}, "", "de89370400440532013000", ""});
    CHECK(p.rule == MatchRule::account_amount);
    CHECK(p.confidence == 95);
    CHECK(r.id(p.applications.at(0).invoice) == "INV-2026-0003");
  }
  SUBCASE("a recognised name and all the customer owes") {
    const auto p = r.one({"B2", {}, 9900 - 4000, {}, "Beta Fasteners", "", ""});
    CHECK(p.rule == MatchRule::name_amount);
    CHECK(p.confidence == 90);
    CHECK(r.customer(p) == "BETA");
  }
  SUBCASE("a unique combination of the customer's invoices") {
    const auto p = r.one({"B3", {}, 140000, {}, "", "DE89370400440532013000", ""});
    CHECK(p.rule == MatchRule::combination);
    CHECK(p.confidence == 85);
    REQUIRE(p.applications.size() == 2);
    CHECK(r.id(p.applications[0].invoice) == "INV-2026-0001");
    CHECK(r.id(p.applications[1].invoice) == "INV-2026-0003");
  }
  SUBCASE("two combinations with the same sum are not guessed") {
    b.add("invoices.csv",
          "INV-2026-0006,ACME,2026-03-09,2026-04-08,USD,,650.00,0.00,650.00,,\n");
    Run again(b, {{{"DE89370400440532013000", 0}}, {}});
    const auto p = again.one({"B4", {}, 165000, {}, "", "DE89370400440532013000", ""});
    CHECK(p.rule == MatchRule::customer_only);
    CHECK(p.unapplied == 165000);
    CHECK(p.confidence == 60);
  }
  SUBCASE("nothing to go on") {
    const auto p = r.one({"B5", {}, 12345, {}, "Unknown Payer", "", "thank you"});
    CHECK(p.status == MatchStatus::unidentified);
    CHECK(p.customer == k_none);
  }
  SUBCASE("the rules run in the order given") {
    MatchOptions o;
    o.rules.assign(1, MatchRule::customer_only);
    const auto p = r.one({"B6", {}, 40000, {}, "", "DE89370400440532013000", ""}, o);
    CHECK(p.rule == MatchRule::customer_only);
    CHECK(parse_match_rule("reference-short") == MatchRule::reference_short);
    CHECK(to_string(MatchRule::name_amount) == "name-amount");
    CHECK_FALSE(parse_match_rule("guess"));
  }
}

TEST_CASE("numbers in structured text, and payers named only in it") {
  MatchBooks b;
  Run r(b);
  const auto named = [&](std::string_view text) { return r.named(text); };
  // '/' joins digits ("2026/0003"), not fields ("REMI/INV-...").
  CHECK(named("/ACCT/US12/REMI/INV-2026-0002") == "INV-2026-0002");
  CHECK(named("ref 2026/0003") == "INV-2026-0003");
  // Four digits written, leading zeros included, are enough without the
  // prefix; fewer are not.
  CHECK(named("paying 0004") == "");
  const auto in_text = [&](std::string_view text) {
    const auto c = r.index->customer_in_text(text);
    return c ? std::string(r.books->customers[c->first].id) : std::string();
  };
  CHECK(in_text("WIRE IN ACME WIDGETS CORP REF 77") == "ACME");
  CHECK(in_text("ACH CREDIT BETA FASTENERS INV 5") == "BETA"); // no GmbH
  CHECK(in_text("WIRE IN FROM SOMEONE") == "");
  // A statement without a name field: the name in the text counts.
  const auto p = r.one({"B1", {}, 40000, {}, "", "", "WIRE ACME WIDGETS"});
  CHECK(p.rule == MatchRule::name_amount);
  CHECK(r.id(p.applications.at(0).invoice) == "INV-2026-0003");
}

TEST_CASE("a number one slip from the invoice the amount pays is a typo") {
  MatchBooks b;
  Run r(b);
  // 400.00 is what is open on INV-2026-0003; the text names 0002 (250.00)
  // in a form that is not its id.
  const auto p = r.one({"B1", {}, 40000, {}, "", "", "Inv 2026 0002"});
  CHECK(p.rule == MatchRule::reference_typo);
  CHECK(r.id(p.applications.at(0).invoice) == "INV-2026-0003");
  CHECK(p.confidence == 90);
  // A number one slip from none: nothing to go on.
  const auto none = r.one({"B3", {}, 40000, {}, "", "", "Inv 2026 0071"});
  CHECK(none.status == MatchStatus::unidentified);
}

TEST_CASE("customers sharing a name neither confirm nor contradict") {
  MatchBooks b;
  b.add("customers.csv", "ACME2,Acme Widgets Corp.,,,,,,,\n");
  b.add("invoices.csv",
        "INV-2026-0006,ACME2,2026-03-05,2026-04-04,USD,,300.00,0.00,300.00,,\n");
  Run r(b);
  // The payer's name is ACME's and ACME2's: the exact amount on ACME2's
  // invoice is matched, not flagged as a third party's.
  const auto p = r.one({"B1", {}, 30000, {}, "ACME WIDGETS CORP", "", "INV-2026-0006"});
  CHECK(p.rule == MatchRule::reference);
  CHECK(p.confidence == 97);
  CHECK_FALSE(p.third_party);
}

TEST_CASE("credits matched in one run do not pay the same invoice twice") {
  MatchBooks b;
  Run r(b);
  std::vector<BankCredit> credits{
      {"B1", day("2026-03-10"), 25000, *find_currency("USD"), "", "", "INV-2026-0002"},
      {"B2", day("2026-03-11"), 25000, *find_currency("USD"), "", "", "INV-2026-0002"}};
  const auto run = match_credits(*r.index, credits, {});
  CHECK(run[0].rule == MatchRule::reference);
  CHECK(run[1].rule != MatchRule::reference);
  CHECK(run[1].applications.empty());
  // Below the posting confidence a proposal holds nothing: a payment
  // proposed for review does not take the invoice from a later credit.
  MatchOptions o;
  o.min_confidence = 99;
  const auto review = match_credits(*r.index, credits, o);
  CHECK(review[1].rule == MatchRule::reference);
}
