#include "arctl/invoices.hpp"
#include "arctl/invoicing.hpp"
#include "arctl/ledger.hpp"

#include <doctest/doctest.h>

#include "temp_books.hpp"

using namespace arctl;
using arctl::testing::day;
using arctl::testing::given;
using arctl::testing::TempBooks;

namespace {

DraftLine line(std::string qty, std::string price, std::string discount = {},
               std::optional<std::string> tax = std::nullopt) {
  DraftLine l;
  l.at.option = "--line";
  l.description = given("item", "--line");
  l.quantity = given(std::move(qty), "--line");
  l.unit_price = given(std::move(price), "--line");
  if (!discount.empty())
    l.discount = given(std::move(discount), "--line");
  if (tax)
    l.tax_code = given(*tax, "--line");
  return l;
}

InvoiceDraft draft(std::string customer, std::vector<DraftLine> lines) {
  InvoiceDraft d;
  d.at.option = "--line";
  d.customer = given(std::move(customer), "--customer");
  d.date = given("2026-03-02", "--date");
  d.lines = std::move(lines);
  return d;
}

constexpr const char* k_taxes =
    "[tax.ST]\nrate = \"8.25\"\n"
    "[tax.VAT20]\nrate = \"20\"\ninclusive = true\n";

const NewInvoice& only(const Result<InvoicePlan>& plan) {
  REQUIRE(plan.has_value());
  REQUIRE(plan->invoices.size() == 1);
  return plan->invoices.front();
}

std::string total(const Result<InvoicePlan>& plan) {
  return only(plan).totals.total.to_string();
}

} // namespace

TEST_CASE("a new invoice takes the customer's terms, else the books'") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme,,,net 15,,,,\nBETA,Beta,,,,,,,\n");
  const auto books = b.open();
  const auto acme = plan_new_invoices(
      *books, {{draft("ACME", {line("1", "10")})}}, day("2026-01-01"));
  CHECK(only(acme).terms == "net 15");
  CHECK(only(acme).due == day("2026-03-17"));
  const auto beta = plan_new_invoices(
      *books, {{draft("BETA", {line("1", "10")})}}, day("2026-01-01"));
  CHECK(only(beta).terms == "net 30");
  CHECK(only(beta).due == day("2026-04-01"));
  CHECK(only(beta).id == "INV-2026-00001");

  auto eom = draft("BETA", {line("1", "10")});
  eom.terms = given("Net 10 EOM", "--terms");
  CHECK(only(plan_new_invoices(*books, {{eom}}, day("2026-01-01"))).due ==
        day("2026-04-10"));
  auto due = draft("BETA", {line("1", "10")});
  due.due = given("2026-03-01", "--due");
  const auto early = plan_new_invoices(*books, {{due}}, day("2026-01-01"));
  REQUIRE_FALSE(early.has_value());
  CHECK(early.error().message ==
        "--due: due date 2026-03-01 is before the invoice date 2026-03-02");
  CHECK_FALSE(plan_new_invoices(*books, {}, day("2026-01-01")));
  auto no_date = draft("BETA", {line("1", "10")});
  no_date.date = {};
  CHECK(only(plan_new_invoices(*books, {{no_date}}, day("2026-05-06"))).date ==
        day("2026-05-06"));
}

TEST_CASE("exclusive tax is added per line, inclusive tax found inside") {
  TempBooks b(k_taxes);
  b.add("customers.csv", "ACME,Acme,,,,,,,\n");
  const auto books = b.open();
  // 3 × 3.33 = 9.99 twice: 0.82 + 0.82 per line.
  auto d = draft("ACME", {line("3", "3.33"), line("3", "3.33")});
  d.tax_code = given("ST", "--tax");
  const auto plan = plan_new_invoices(*books, {{d}}, day("2026-01-01"));
  CHECK(only(plan).totals.tax.to_string() == "1.64");
  CHECK(total(plan) == "21.62");
  // 12.00 gross with VAT 20 % included: 2.00 tax, nothing added.
  const auto vat = plan_new_invoices(
      *books, {{draft("ACME", {line("1", "12", {}, "VAT20")})}},
      day("2026-01-01"));
  CHECK(only(vat).totals.tax.to_string() == "2.00");
  CHECK(only(vat).totals.subtotal.to_string() == "10.00");
  CHECK(total(vat) == "12.00");
}

TEST_CASE("tax rounded per invoice is rounded once per code") {
  TempBooks b(k_taxes);
  auto text = b.read("arctl.toml");
  text.replace(text.find("tax_rounding = \"line\""), 21,
               "tax_rounding = \"invoice\"");
  b.write("arctl.toml", text);
  b.add("customers.csv", "ACME,Acme,,,,,,,\n");
  const auto books = b.open();
  auto d = draft("ACME", {line("3", "3.33"), line("3", "3.33")});
  d.tax_code = given("ST", "--tax");
  const auto plan = plan_new_invoices(*books, {{d}}, day("2026-01-01"));
  // 19.98 × 8.25 % = 1.64835 -> 1.65, where per line it is 1.64.
  CHECK(only(plan).totals.tax.to_string() == "1.65");
  CHECK(total(plan) == "21.63");
  REQUIRE(plan.has_value());
  // The lines carry no tax of their own: the books say so.
  CHECK(plan->planned.added[1].ends_with(",ST,9.99,,"));
}

TEST_CASE("JPY has no decimals and BHD three") {
  TempBooks b(k_taxes);
  b.add("customers.csv",
        "TOKYO,Tokyo KK,,JPY,,,,,\nMANAMA,Manama Co,,BHD,,,,,\n");
  const auto books = b.open();
  const auto yen = plan_new_invoices(
      *books, {{draft("TOKYO", {line("3", "333.5", {}, "ST")})}},
      day("2026-01-01"));
  // 3 × 333.5 = 1000.5 -> 1001 yen; 8.25 % = 82.5825 -> 83.
  CHECK(only(yen).lines[0].gross.to_string() == "1001");
  CHECK(total(yen) == "1084");
  const auto dinar = plan_new_invoices(
      *books, {{draft("MANAMA", {line("1", "10.0005", {}, "ST")})}},
      day("2026-01-01"));
  // 10.0005 -> 10.001 (half up); 8.25 % = 0.82508 -> 0.825.
  CHECK(only(dinar).lines[0].gross.to_string() == "10.001");
  CHECK(total(dinar) == "10.826");
  auto bad = draft("TOKYO", {line("1", "1")});
  bad.total = given("1.5", "--total");
  CHECK_FALSE(plan_new_invoices(*books, {{bad}}, day("2026-01-01")));
}

TEST_CASE("line and invoice discounts come off before tax, exactly") {
  TempBooks b(k_taxes);
  b.add("customers.csv", "ACME,Acme,,,,,,,\n");
  const auto books = b.open();
  auto d = draft("ACME", {line("1", "100", "10%"), line("2", "10", "5.00"),
                          line("1", "0.01")});
  d.discount = given("10.00", "--discount");
  d.tax_code = given("ST", "--tax");
  const auto plan = plan_new_invoices(*books, {{d}}, day("2026-01-01"));
  const auto& inv = only(plan);
  CHECK(inv.lines[0].line_discount.to_string() == "10.00");
  CHECK(inv.lines[1].line_discount.to_string() == "5.00");
  // 10.00 spread over 90.00, 15.00 and 0.01 in proportion.
  CHECK(inv.lines[0].invoice_discount.to_string() == "8.57");
  CHECK(inv.lines[1].invoice_discount.to_string() == "1.43");
  CHECK(inv.lines[2].invoice_discount.to_string() == "0.00");
  CHECK(inv.lines[0].priced.amount.to_string() == "81.43");
  CHECK(inv.lines[1].priced.amount.to_string() == "13.57");
  CHECK(total(plan) == "102.85"); // 95.01 + 6.72 + 1.12 + 0.00
  const auto shown = explain(inv);
  CHECK(shown.find("1 × 100 = 100.00") != std::string::npos);
  CHECK(shown.find("− share of the invoice discount 8.57") !=
        std::string::npos);
  CHECK(shown.find("tax ST: 8.25% of 95.01 = 7.84") != std::string::npos);

  auto too_much = draft("ACME", {line("1", "10", "10.01")});
  const auto refused =
      plan_new_invoices(*books, {{too_much}}, day("2026-01-01"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message ==
        "--line: discount 10.01 is more than the 10.00 it applies to");
  auto pct = draft("ACME", {line("1", "10", "101%")});
  CHECK_FALSE(plan_new_invoices(*books, {{pct}}, day("2026-01-01")));
}

TEST_CASE("a negative line may lower the total, never below zero") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme,,,,,,,\n");
  const auto books = b.open();
  CHECK(total(plan_new_invoices(
            *books, {{draft("ACME", {line("1", "500"), line("-1", "200")})}},
            day("2026-01-01"))) == "300.00");
  const auto negative = plan_new_invoices(
      *books, {{draft("ACME", {line("1", "100"), line("-1", "200")})}},
      day("2026-01-01"));
  REQUIRE_FALSE(negative.has_value());
  CHECK(negative.error().message.starts_with(
      "--line: the invoice's total -100.00 is negative"));
}

TEST_CASE("ids follow the pattern per year, past ids taken, never reused") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme,,,,,,,\n");
  b.add("invoices.csv",
        "INV-2026-00007,ACME,2026-01-05,2026-02-04,USD,,1.00,0.00,1.00,,\n");
  b.add("invoice-lines.csv", "INV-2026-00007,1,,A,1,1,,,1.00,,\n");
  b.add("adjustments.csv",
        "ADJ-2026-00001,2026-01-06,void,ACME,INV-2026-00007,,1.00,USD,x,\n");
  const auto books = b.open();
  auto in_2027 = draft("ACME", {line("1", "1")});
  in_2027.date = given("2027-01-02", "--date");
  const auto plan =
      plan_new_invoices(*books,
                        {{draft("ACME", {line("1", "1")}),
                          draft("ACME", {line("1", "1")}), in_2027}},
                        day("2026-01-01"));
  REQUIRE(plan.has_value());
  CHECK(plan->planned.ids == std::vector<std::string>{"INV-2026-00008",
                                                      "INV-2026-00009",
                                                      "INV-2027-00001"});
  auto taken = draft("ACME", {line("1", "1")});
  taken.id = given("ADJ-2026-00001", "--id");
  const auto refused = plan_new_invoices(*books, {{taken}}, day("2026-01-01"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().exit == ExitCode::data);
  CHECK(refused.error().message.starts_with(
      "--id: id \"ADJ-2026-00001\" is in use already (adjustments.csv:2)"));
}

TEST_CASE("credit control refuses with the figures unless overridden") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme,,,,1000.00,,,\nBETA,Beta,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,800.00,0.00,800.00,,\n");
  b.add("invoice-lines.csv", "INV-1,1,,A,1,800,,,800.00,,\n");
  b.add("payments.csv", "PAY-1,2026-01-10,ACME,100.00,USD,,,,\n");
  b.add("events.csv", "2026-02-01,hold,BETA,,,slow payer\n");
  const auto books = b.open();
  // Used: 800.00 open less 100.00 unapplied = 700.00; 300.00 fits.
  CHECK(plan_new_invoices(*books, {{draft("ACME", {line("1", "300")})}},
                          day("2026-01-01")));
  const auto over = plan_new_invoices(
      *books, {{draft("ACME", {line("1", "300.01")})}}, day("2026-01-01"));
  REQUIRE_FALSE(over.has_value());
  CHECK(over.error().exit == ExitCode::data);
  CHECK(over.error().message.starts_with(
      "--customer: invoice INV-2026-00001 would take customer ACME over its "
      "credit limit: limit USD 1,000.00, used 700.00, this invoice 300.01, "
      "0.01 over"));
  // Two invoices in one go count together.
  CHECK_FALSE(plan_new_invoices(
      *books,
      {{draft("ACME", {line("1", "200")}), draft("ACME", {line("1", "200")})}},
      day("2026-01-01")));

  const auto hold = plan_new_invoices(
      *books, {{draft("BETA", {line("1", "1")})}}, day("2026-01-01"));
  // The draft is dated 2026-03-02, after the hold of 2026-02-01.
  REQUIRE_FALSE(hold.has_value());
  CHECK(
      hold.error().message.starts_with("--customer: customer BETA is on credit "
                                       "hold on 2026-03-02 (slow payer)"));
  auto before_hold = draft("BETA", {line("1", "1")});
  before_hold.date = given("2026-01-31", "--date");
  CHECK(plan_new_invoices(*books, {{before_hold}}, day("2026-01-01")));

  const auto overridden =
      plan_new_invoices(*books, {{draft("BETA", {line("1", "1")})}},
                        day("2026-01-01"), "CFO approved");
  REQUIRE(overridden.has_value());
  CHECK(overridden->invoices[0].overridden);
  CHECK(overridden->planned.added.back() ==
        "2026-03-02,override,BETA,INV-2026-00001,,CFO approved");
  b.commit_plan(overridden->planned);
  CHECK(b.open()->events.size() == 2);
}

TEST_CASE("refusals point at the value, in a file with line and column") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme,,,,,,,\n");
  const auto books = b.open();
  auto d = draft("ACME", {line("x", "1")});
  d.lines[0].quantity.at = Origin{{}, {"draft.toml", 7, 7}, "qty = \"x\"", 3};
  d.customer.at = Origin{{}, {"draft.toml", 1, 12}, "customer = \"NOPE\"", 6};
  const auto bad = plan_new_invoices(*books, {{d}}, day("2026-01-01"));
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().exit == ExitCode::data);
  REQUIRE(bad.error().diagnostics.size() == 1);
  CHECK(bad.error().diagnostics[0].loc.line == 7);
  CHECK(bad.error().diagnostics[0].code == "number-syntax");

  // Several drafts from a file: every problem is reported at once.
  auto other = d;
  other.customer.text = "NOPE";
  const auto both = plan_new_invoices(*books, {{d, other}}, day("2026-01-01"));
  REQUIRE_FALSE(both.has_value());
  CHECK(both.error().diagnostics.size() == 2);
  CHECK(both.error().message == "draft.toml: 2 problems");
}

TEST_CASE("a void needs nothing applied at any date") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n"
        "INV-2,ACME,2026-01-05,2026-02-04,USD,,50.00,0.00,50.00,,\n");
  b.add("invoice-lines.csv", "INV-1,1,,A,1,100,,,100.00,,\n"
                             "INV-2,1,,A,1,50,,,50.00,,\n");
  b.add("payments.csv", "PAY-1,2026-03-01,ACME,10.00,USD,,,,\n");
  b.add("allocations.csv", "2026-03-01,PAY-1,INV-1,10.00,\n");
  const auto books = b.open();
  const auto refused =
      plan_void_invoice(*books, "INV-1", day("2026-01-10"), "typo");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.starts_with(
      "invoice INV-1 cannot be voided: USD 10.00 is applied to it"));
  CHECK_FALSE(plan_void_invoice(*books, "INV-2", day("2026-01-10"), ""));
  CHECK_FALSE(plan_void_invoice(*books, "INV-2", day("2026-01-04"), "early"));
  const auto plan =
      plan_void_invoice(*books, "INV-2", day("2026-01-10"), "typo");
  REQUIRE(plan.has_value());
  CHECK(plan->added[0] ==
        "ADJ-2026-00001,2026-01-10,void,ACME,INV-2,,50.00,USD,typo,");
  b.commit_plan(*plan);
  const auto after = b.open();
  const auto ledger = compute_ledger(*after, day("2026-01-10"));
  CHECK(invoice_status(*after, ledger, 1) == InvoiceStatus::void_);
  CHECK_FALSE(plan_void_invoice(*after, "INV-2", day("2026-01-11"), "again"));
}

TEST_CASE("a credit memo is applied to its invoice or left on account") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n");
  b.add("invoice-lines.csv", "INV-1,1,,A,1,100,,,100.00,,\n");
  b.add("payments.csv", "PAY-1,2026-03-01,ACME,70.00,USD,,,,\n");
  b.add("allocations.csv", "2026-03-01,PAY-1,INV-1,70.00,\n");
  const auto books = b.open();
  // 100.00 open on 02-01, but a later payment leaves only 30.00.
  const auto too_much = plan_credit_memo(
      *books, {"INV-1", "", "30.01", day("2026-02-01"), "damaged", ""});
  REQUIRE_FALSE(too_much.has_value());
  CHECK(too_much.error().message ==
        "a credit of USD 30.01 is more than the 30.00 open on invoice INV-1 "
        "after its later applications");
  const auto plan = plan_credit_memo(
      *books, {"INV-1", "", "30", day("2026-02-01"), "damaged", ""});
  REQUIRE(plan.has_value());
  CHECK(plan->ids == std::vector<std::string>{"CM-2026-00001"});
  CHECK(plan->added == std::vector<std::string>{
                           "CM-2026-00001,2026-02-01,credit,ACME,INV-1,,30.00,"
                           "USD,damaged,",
                           "2026-02-01,CM-2026-00001,INV-1,30.00,"});
  b.commit_plan(*plan);
  const auto after = b.open();
  CHECK(compute_ledger(*after, k_end_of_time).invoices[0].open == 0);

  const auto on_account = plan_credit_memo(
      *after, {"", "ACME", "5", day("2026-04-01"), "", "CM-GOODWILL"});
  REQUIRE(on_account.has_value());
  CHECK(on_account->added.size() == 1);
  b.commit_plan(*on_account);
  const auto later = b.open();
  const auto pos =
      customer_position(*later, compute_ledger(*later, day("2026-04-01")), 0);
  CHECK(pos[0].unapplied == 500);
  CHECK_FALSE(plan_credit_memo(
      *later, {"", "ACME", "5", day("2026-04-01"), "", "CM-GOODWILL"}));
  CHECK_FALSE(
      plan_credit_memo(*later, {"", "ACME", "0", day("2026-04-01"), "", ""}));
}

TEST_CASE("disputes and resolutions follow each other in date order") {
  TempBooks b;
  b.add("customers.csv", "ACME,Acme,,,,,,,\n");
  b.add("invoices.csv",
        "INV-1,ACME,2026-01-05,2026-02-04,USD,,100.00,0.00,100.00,,\n");
  b.add("invoice-lines.csv", "INV-1,1,,A,1,100,,,100.00,,\n");
  b.add("events.csv", "2026-03-01,dispute,ACME,INV-1,,price\n");
  const auto books = b.open();
  CHECK_FALSE(plan_invoice_event(*books, EventKind::dispute, "INV-1",
                                 day("2026-03-02"), "again"));
  // A dispute before the existing one would precede it in the file order.
  const auto earlier = plan_invoice_event(*books, EventKind::dispute, "INV-1",
                                          day("2026-02-01"), "price");
  REQUIRE_FALSE(earlier.has_value());
  CHECK(earlier.error().message.starts_with(
      "invoice INV-1 has a later dispute on 2026-03-01"));
  CHECK_FALSE(plan_invoice_event(*books, EventKind::resolve, "INV-1",
                                 day("2026-02-28"), ""));
  const auto resolve = plan_invoice_event(*books, EventKind::resolve, "INV-1",
                                          day("2026-03-05"), "credit agreed");
  REQUIRE(resolve.has_value());
  b.commit_plan(*resolve);
  const auto part = plan_invoice_event(*b.open(), EventKind::dispute, "INV-1",
                                       day("2026-03-06"), "one item", "25");
  REQUIRE(part.has_value());
  CHECK(part->added[0] == "2026-03-06,dispute,ACME,INV-1,25.00,one item");
  CHECK_FALSE(plan_invoice_event(*b.open(), EventKind::dispute, "INV-1",
                                 day("2026-03-06"), "x", "100.01"));
}
