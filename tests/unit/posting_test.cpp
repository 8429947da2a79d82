#include "arctl/ledger.hpp"
#include "arctl/posting.hpp"
#include "arctl/receipts.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "temp_books.hpp"

using namespace arctl;
using arctl::testing::day;
using arctl::testing::given;
using arctl::testing::TempBooks;

namespace {

Receipt receipt(std::string customer, std::string amount, std::string date,
                std::string reference = {}) {
  Receipt r;
  r.at.option = "--amount";
  r.customer = given(std::move(customer), "--customer");
  r.amount = given(std::move(amount), "--amount");
  r.date = given(std::move(date), "--date");
  if (!reference.empty())
    r.reference = given(std::move(reference), "--ref");
  return r;
}

void apply(Receipt& r, std::string invoice, std::string amount = {}) {
  ReceiptApplication a;
  a.invoice = given(std::move(invoice), "--apply");
  if (!amount.empty())
    a.amount = given(std::move(amount), "--apply");
  r.apply.push_back(std::move(a));
}

// invoice=amount[+discount] for each application of the only receipt.
std::string applied(const Books& books, const Result<ReceiptPlan>& plan) {
  REQUIRE(plan.has_value());
  REQUIRE(plan->receipts.size() == 1);
  std::string out;
  for (const auto& a : plan->receipts.front().applied) {
    out += fmt::format("{}{}={}", out.empty() ? "" : " ",
                       books.invoices[a.invoice].id, a.amount.to_string());
    if (!a.discount.is_zero())
      out += "+" + a.discount.to_string();
  }
  return out;
}

// arctl.toml as init writes it with `from` replaced by `to`.
void configure(TempBooks& b, std::string_view from, std::string_view to) {
  auto text = default_config_text("Test Co", *find_currency("USD"));
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  b.write("arctl.toml", text);
}

// ACME on 2/10 net 30 with three open invoices due in this order:
// I2 (due 02-10), I1 (due 02-20), I3 (due 03-01); I4 is disputed.
void acme_books(TempBooks& b) {
  b.add("customers.csv", "ACME,Acme,,,2/10 net 30,,,,\nBETA,Beta,,,,,,,\n");
  b.add("invoices.csv",
        "I1,ACME,2026-01-21,2026-02-20,USD,2/10 net 30,100.00,0.00,100.00,,\n"
        "I2,ACME,2026-01-11,2026-02-10,USD,2/10 net 30,200.00,0.00,200.00,,\n"
        "I3,ACME,2026-01-30,2026-03-01,USD,2/10 net 30,300.00,0.00,300.00,,\n"
        "I4,ACME,2026-01-05,2026-02-04,USD,net 30,50.00,0.00,50.00,,\n"
        "B1,BETA,2026-01-05,2026-02-04,USD,net 30,70.00,0.00,70.00,,\n");
  b.add("events.csv", "2026-01-06,dispute,ACME,I4,,wrong\n");
}

} // namespace

TEST_CASE("invoice ids are found in a reference in the order named") {
  TempBooks b;
  acme_books(b);
  const auto books = b.open();
  const auto ids = [&](std::string_view ref) {
    std::string out;
    for (const auto i : invoices_named_in(*books, ref))
      out += std::string(out.empty() ? "" : " ") +
             std::string(books->invoices[i].id);
    return out;
  };
  CHECK(ids("pays I3, I1 and I3 again.") == "I3 I1");
  CHECK(ids("I1-") == "I1");
  CHECK(ids("XI1 I1x") == "");
  CHECK(ids("") == "");
}

TEST_CASE("--auto pays invoices named in the reference, then the oldest due") {
  TempBooks b;
  acme_books(b);
  const auto books = b.open();
  auto r = receipt("ACME", "450.00", "2026-03-10", "remittance I3");
  r.auto_apply = true;
  const auto plan = plan_receipts(*books, std::span(&r, 1), day("2026-03-10"), {});
  // I3 first (named), then I2 (due 02-10) in full, then what is left to I1;
  // the disputed I4, though due first, is left alone.
  CHECK(applied(*books, plan) == "I3=300.00 I2=150.00");
  CHECK(plan->receipts.front().unapplied.is_zero());
}

TEST_CASE("--auto leaves an overpayment on account") {
  TempBooks b;
  acme_books(b);
  const auto books = b.open();
  auto r = receipt("ACME", "700.00", "2026-03-10");
  r.auto_apply = true;
  const auto plan = plan_receipts(*books, std::span(&r, 1), day("2026-03-10"), {});
  CHECK(applied(*books, plan) == "I2=200.00 I1=100.00 I3=300.00");
  CHECK(plan->receipts.front().unapplied.to_string() == "100.00");
  REQUIRE(plan->receipts.front().notes.size() == 1);
  CHECK(plan->receipts.front().notes[0].find("USD 100.00") != std::string::npos);
}

TEST_CASE("a payment of the invoice less its discount within the window takes it") {
  TempBooks b;
  acme_books(b);
  const auto books = b.open();
  // I1 dated 01-21: 2% of 100.00 until 01-31.
  auto on_time = receipt("ACME", "98.00", "2026-01-31");
  apply(on_time, "I1");
  const auto plan = plan_receipts(*books, std::span(&on_time, 1),
                                  day("2026-01-31"), {});
  CHECK(applied(*books, plan) == "I1=98.00+2.00");
  CHECK(plan->planned.added.back() ==
        "ADJ-2026-00001,2026-01-31,discount,ACME,I1,PAY-2026-00001,2.00,USD,"
        "early-payment discount 2% (2/10 net 30),");

  SUBCASE("not a day after the window: a short payment, with a note") {
    auto late = receipt("ACME", "98.00", "2026-02-01");
    apply(late, "I1");
    const auto p = plan_receipts(*books, std::span(&late, 1), day("2026-02-01"), {});
    CHECK(applied(*books, p) == "I1=98.00");
    REQUIRE(p->receipts.front().notes.size() == 1);
    CHECK(p->receipts.front().notes[0] ==
          "invoice I1: USD 2.00 stays open: the 2% early-payment discount "
          "ended on 2026-01-31");
  }
  SUBCASE("not with --no-discount") {
    ReceiptOptions options;
    options.discounts = false;
    const auto p = plan_receipts(*books, std::span(&on_time, 1),
                                 day("2026-01-31"), options);
    CHECK(applied(*books, p) == "I1=98.00");
  }
  SUBCASE("not for any other amount") {
    auto other = receipt("ACME", "97.99", "2026-01-31");
    apply(other, "I1");
    const auto p = plan_receipts(*books, std::span(&other, 1), day("2026-01-31"), {});
    CHECK(applied(*books, p) == "I1=97.99");
    CHECK(p->receipts.front().notes.empty());
  }
  SUBCASE("not twice on one invoice") {
    TempBooks again;
    acme_books(again);
    again.add("adjustments.csv",
              "D1,2026-01-25,discount,ACME,I1,,2.00,USD,granted,\n");
    const auto discounted = again.open();
    auto r = receipt("ACME", "96.00", "2026-01-31");
    apply(r, "I1");
    const auto p = plan_receipts(*discounted, std::span(&r, 1),
                                 day("2026-01-31"), {});
    CHECK(applied(*discounted, p) == "I1=96.00");
    CHECK(p->receipts.front().notes[0].ends_with(
        "a discount was taken on it already"));
  }
}

TEST_CASE("the books can turn the early-payment discount off") {
  TempBooks b;
  configure(b, "early_payment_discount = true", "early_payment_discount = false");
  acme_books(b);
  const auto books = b.open();
  auto r = receipt("ACME", "98.00", "2026-01-31");
  apply(r, "I1");
  const auto p = plan_receipts(*books, std::span(&r, 1), day("2026-01-31"), {});
  CHECK(applied(*books, p) == "I1=98.00");
  CHECK(p->receipts.front().notes.front().find("early_payment_discount = "
                                               "false") != std::string::npos);
}

TEST_CASE("--auto takes the discounts when the payment is the invoices net of them") {
  TempBooks b;
  acme_books(b);
  const auto books = b.open();
  // On 01-31 I2 (from 01-11) is past its window, I1 (01-21) and I3 (01-30)
  // within: 200.00 + 98.00 + 294.00.
  auto r = receipt("ACME", "592.00", "2026-01-31");
  r.auto_apply = true;
  auto p = plan_receipts(*books, std::span(&r, 1), day("2026-01-31"), {});
  CHECK(applied(*books, p) == "I2=200.00 I1=98.00+2.00 I3=294.00+6.00");
  // Paid in full, the invoices are paid in full.
  r.amount = given("600.00");
  p = plan_receipts(*books, std::span(&r, 1), day("2026-01-31"), {});
  CHECK(applied(*books, p) == "I2=200.00 I1=100.00 I3=300.00");
}

TEST_CASE("explicit applications: amounts first, the rest shared in order") {
  TempBooks b;
  acme_books(b);
  const auto books = b.open();
  auto r = receipt("ACME", "250.00", "2026-03-10");
  apply(r, "I3");
  apply(r, "I1", "60.00");
  const auto p = plan_receipts(*books, std::span(&r, 1), day("2026-03-10"), {});
  CHECK(applied(*books, p) == "I1=60.00 I3=190.00");

  SUBCASE("more than is open is refused") {
    auto over = receipt("ACME", "250.00", "2026-03-10");
    apply(over, "I1", "100.01");
    const auto e = plan_receipts(*books, std::span(&over, 1), day("2026-03-10"), {});
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().message ==
          "--apply: USD 100.01 is more than the USD 100.00 open on invoice I1 "
          "on 2026-03-10; an application never exceeds the invoice's open "
          "balance; what is not applied stays on account");
  }
  SUBCASE("more than the payment together is refused") {
    auto over = receipt("ACME", "150.00", "2026-03-10");
    apply(over, "I1", "100.00");
    apply(over, "I2", "60.00");
    CHECK_FALSE(plan_receipts(*books, std::span(&over, 1), day("2026-03-10"), {})
                    .has_value());
  }
  SUBCASE("another customer's invoice only when allowed, never discounted") {
    auto third = receipt("ACME", "70.00", "2026-03-10");
    apply(third, "B1");
    CHECK_FALSE(plan_receipts(*books, std::span(&third, 1), day("2026-03-10"), {})
                    .has_value());
    ReceiptOptions options;
    options.allow_third_party = true;
    CHECK(applied(*books, plan_receipts(*books, std::span(&third, 1),
                                        day("2026-03-10"), options)) ==
          "B1=70.00");
  }
}

TEST_CASE("a receipt in the books already is refused, or skipped when asked") {
  TempBooks b;
  acme_books(b);
  b.add("payments.csv",
        "P1,2026-03-01,ACME,10.00,USD,check,chk 77,BANK-1,\n");
  const auto books = b.open();
  auto by_bank = receipt("ACME", "99.00", "2026-03-02");
  by_bank.bank_tx = given("BANK-1", "--bank-tx");
  auto by_ref = receipt("ACME", "10.00", "2026-03-01", "chk 77");
  auto by_id = receipt("ACME", "1.00", "2026-03-05");
  by_id.id = given("P1", "--id");
  for (const auto* r : {&by_bank, &by_ref, &by_id}) {
    CAPTURE(r->amount.text);
    const auto e = plan_receipts(*books, std::span(r, 1), day("2026-03-05"), {});
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().message.find("is in the books already") != std::string::npos);
    ReceiptOptions skip;
    skip.skip_existing = true;
    const auto s = plan_receipts(*books, std::span(r, 1), day("2026-03-05"), skip);
    REQUIRE(s.has_value());
    CHECK(s->receipts.empty());
    CHECK(s->skipped.size() == 1);
    CHECK(s->planned.change.empty());
  }
  // A different amount with the same reference is another payment.
  auto other = receipt("ACME", "11.00", "2026-03-01", "chk 77");
  CHECK(plan_receipts(*books, std::span(&other, 1), day("2026-03-05"), {})
            .has_value());
}

TEST_CASE("a batch posts all or nothing and twice posts nothing twice") {
  TempBooks b;
  acme_books(b);
  const std::string batch = "date,customer,amount,reference,invoices,amounts\n"
                            "2026-03-10,ACME,150.00,chk 1,I1;I2,100;50\n"
                            "2026-03-10,ACME,20.00,chk 2,,\n";
  auto receipts = parse_receipt_batch(batch, "batch.csv", false);
  REQUIRE(receipts.has_value());
  REQUIRE(receipts->size() == 2);
  CHECK((*receipts)[0].apply[1].invoice.at.loc.column == 33);
  ReceiptOptions options;
  options.require_key = true;
  {
    const auto books = b.open();
    const auto plan = plan_receipts(*books, *receipts, day("2026-03-10"), options);
    REQUIRE(plan.has_value());
    CHECK(plan->planned.ids ==
          std::vector<std::string>{"PAY-2026-00001", "PAY-2026-00002"});
    b.commit_plan(plan->planned);
  }
  const auto books = b.open();
  const auto again = plan_receipts(*books, *receipts, day("2026-03-10"), options);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().diagnostics.size() == 2);
  options.skip_existing = true;
  const auto skipped = plan_receipts(*books, *receipts, day("2026-03-10"), options);
  REQUIRE(skipped.has_value());
  CHECK(skipped->skipped.size() == 2);
  CHECK(skipped->planned.change.empty());
}

TEST_CASE("a batch reports every problem with its place") {
  const auto e = parse_receipt_batch(
      "date,customer,amount,invoices,amounts\n"
      "2026-03-10,ACME,,I1;I2,5\n"
      "2026-03-10,ACME,1.00,I1;,\n",
      "b.csv", false);
  REQUIRE_FALSE(e.has_value());
  REQUIRE(e.error().diagnostics.size() == 3);
  CHECK(e.error().diagnostics[0].message == "amount is empty");
  CHECK(e.error().diagnostics[1].message == "1 amount for 2 invoices");
  CHECK(e.error().diagnostics[2].message == "an empty invoice id in the list");
  CHECK(e.error().diagnostics[2].loc.line == 3);

  const auto header_only = parse_receipt_batch("date,customer,amount\n", "b.csv", false);
  REQUIRE(header_only.has_value());
  CHECK(header_only->empty());
  CHECK_FALSE(parse_receipt_batch("", "b.csv", false).has_value());
  const auto unknown = parse_receipt_batch("date,customer,amount,ammount\n", "b.csv", false);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().diagnostics[0].message == "unknown column \"ammount\"");
}

TEST_CASE("what can be applied is the least of the day and the end of the books") {
  TempBooks b;
  acme_books(b);
  b.add("payments.csv", "P1,2026-03-20,ACME,80.00,USD,,,,\n");
  b.add("allocations.csv", "2026-03-20,P1,I1,80.00,\n");
  const auto books = b.open();
  Balances balances(*books);
  CHECK(balances.open(0, day("2026-03-01")) == 2000);
  CHECK(balances.open(0, day("2026-01-20")) == 0); // not issued yet
  balances.take(0, day("2026-03-25"), 500);
  CHECK(balances.open(0, day("2026-03-01")) == 1500);
  CHECK(balances.left({DocKind::payment, 0}, day("2026-03-20")) == 0);
}

TEST_CASE("unapplying takes back the discount that came with the payment") {
  TempBooks b;
  acme_books(b);
  b.add("payments.csv", "P1,2026-01-31,ACME,98.00,USD,,,,\n");
  b.add("allocations.csv", "2026-01-31,P1,I1,98.00,\n");
  b.add("adjustments.csv", "D1,2026-01-31,discount,ACME,I1,P1,2.00,USD,early,\n");
  const auto books = b.open();
  const auto part = plan_unapply(*books, {"P1", "I1", "8.00", day("2026-02-05"), "", false});
  REQUIRE(part.has_value());
  CHECK(part->added.size() == 1);
  const auto all = plan_unapply(*books, {"P1", "I1", "", day("2026-02-05"), "", false});
  REQUIRE(all.has_value());
  CHECK(all->added == std::vector<std::string>{
                          "2026-02-05,P1,I1,-98.00,",
                          "ADJ-2026-00001,2026-02-05,discount,ACME,I1,P1,-2.00,"
                          "USD,discount taken back: P1 no longer applied,"});
  b.commit_plan(*all);
  const auto after = b.open();
  const auto ledger = compute_ledger(*after, k_end_of_time);
  CHECK(ledger.invoices[0].open == 10000);
  CHECK(ledger.invoices[0].discounted == 0);
  CHECK(ledger.payments[0].left == 9800);
}

TEST_CASE("a reversal undoes applications and charges what was refunded") {
  TempBooks b;
  acme_books(b);
  b.add("payments.csv", "P1,2026-03-01,ACME,500.00,USD,check,,,\n");
  b.add("allocations.csv", "2026-03-01,P1,I2,200.00,\n2026-03-01,P1,I3,100.00,\n");
  b.add("adjustments.csv", "R1,2026-03-02,refund,ACME,,P1,150.00,USD,,\n");
  const auto books = b.open();
  CHECK_FALSE(plan_reversal(*books, {"P1", day("2026-03-01"), "NSF", ""})
                  .has_value()); // before the refund
  const auto plan = plan_reversal(*books, {"P1", day("2026-03-05"), "NSF", "25"});
  REQUIRE(plan.has_value());
  CHECK(plan->ids == std::vector<std::string>{"ADJ-2026-00001", "FEE-2026-00001"});
  b.commit_plan(*plan);
  const auto after = b.open();
  const auto ledger = compute_ledger(*after, k_end_of_time);
  CHECK(ledger.invoices[1].open == 20000);
  CHECK(ledger.invoices[2].open == 30000);
  CHECK(ledger.payments[0].reversed);
  CHECK(after->invoices.back().total == 17500); // 150.00 refunded + 25.00 fee
  CHECK(plan_reversal(*after, {"P1", day("2026-03-06"), "again", ""})
            .error()
            .message == "payment P1 is reversed already");
}

TEST_CASE("a write-off above the limit needs an approver, who is recorded") {
  TempBooks b;
  configure(b, "# writeoff_limit = \"100.00\"", "writeoff_limit = \"50.00\"");
  acme_books(b);
  const auto books = b.open();
  SettleRequest r{AdjustmentKind::writeoff, "I1", "50.00", day("2026-03-01"),
                  "small", "", ""};
  CHECK(plan_settle(*books, r).has_value());
  r.amount = "50.01";
  const auto refused = plan_settle(*books, r);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().exit == ExitCode::usage);
  r.approver = "Dana";
  const auto approved = plan_settle(*books, r);
  REQUIRE(approved.has_value());
  CHECK(approved->added.front().ends_with(",50.01,USD,small,Dana"));
  r.amount = "100.01";
  CHECK(plan_settle(*books, r).error().message ==
        "a write-off of USD 100.01 is more than the USD 100.00 open on invoice "
        "I1 on 2026-03-01");
}

TEST_CASE("a refund draws on the oldest credit first") {
  TempBooks b;
  acme_books(b);
  b.add("payments.csv", "P1,2026-03-01,ACME,30.00,USD,,,,\n"
                        "P2,2026-02-01,ACME,20.00,USD,,,,\n");
  const auto books = b.open();
  const auto plan = plan_refund(*books, {"ACME", "45", "", day("2026-03-05"), ""});
  REQUIRE(plan.has_value());
  CHECK(plan->added ==
        std::vector<std::string>{
            "ADJ-2026-00001,2026-03-05,refund,ACME,,P2,20.00,USD,,",
            "ADJ-2026-00002,2026-03-05,refund,ACME,,P1,25.00,USD,,"});
  CHECK(plan_refund(*books, {"ACME", "50.01", "", day("2026-03-05"), ""})
            .error()
            .message == "a refund of USD 50.01 is more than the USD 50.00 of "
                        "unapplied credit customer ACME has on 2026-03-05");
}
