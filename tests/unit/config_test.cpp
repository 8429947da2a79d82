#include "arctl/config.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace arctl;

namespace {
Error problems_of(std::string_view text) {
  auto c = parse_config(text, "arctl.toml");
  REQUIRE_FALSE(c.has_value());
  return c.error();
}
} // namespace

TEST_CASE("the configuration written by init reads back as the defaults") {
  const auto text = default_config_text("Acme \"Tools\"", *find_currency("EUR"));
  auto c = parse_config(text, "arctl.toml");
  REQUIRE(c.has_value());
  CHECK(c->company_name == "Acme \"Tools\"");
  CHECK(c->currency.name() == "EUR");
  CHECK(c->default_terms.to_string() == "net 30");
  CHECK(c->rounding == Rounding::half_up);
  CHECK(c->tax_rounding == TaxRounding::line);
  CHECK(c->numbering.invoice == "INV-{year}-{seq:05}");
  CHECK(c->aging_buckets == std::vector<int>{30, 60, 90});
  CHECK_FALSE(c->lock_date.has_value());
}

TEST_CASE("a company name with control characters still gives valid TOML") {
  auto c = parse_config(default_config_text("Two\nLines\t\\", *find_currency("USD")),
                        "arctl.toml");
  REQUIRE(c.has_value());
  CHECK(c->company_name == "Two\nLines\t\\");
}

TEST_CASE("tax codes keep their exact rate") {
  auto c = parse_config("[tax.ST]\nrate = \"8.25\"\n[tax.ZERO]\nrate = 0\n"
                        "inclusive = true\n",
                        "arctl.toml");
  REQUIRE(c.has_value());
  REQUIRE(c->tax_codes.size() == 2);
  const auto* st = c->find_tax_code("ST");
  REQUIRE(st != nullptr);
  CHECK(st->rate == Decimal{825, 2});
  CHECK_FALSE(st->inclusive);
  CHECK(st->line == 1);
  CHECK(c->find_tax_code("ZERO")->inclusive);
  CHECK(c->find_tax_code("VAT") == nullptr);
}

TEST_CASE("an unknown key is reported at its line and column") {
  const auto e = problems_of("[company]\nname = \"A\"\n  currencyy = \"USD\"\n");
  REQUIRE(e.diagnostics.size() == 1);
  const auto& d = e.diagnostics[0];
  CHECK(d.code == "config-unknown-key");
  CHECK(d.message == "unknown key 'company.currencyy'");
  CHECK(d.loc.line == 3);
  CHECK(d.loc.column == 3);
  CHECK(d.excerpt == "  currencyy = \"USD\"");
  CHECK(e.exit == ExitCode::data);
}

TEST_CASE("every problem in the file is reported, not only the first") {
  const auto e = problems_of("[books]\nlock_date = \"2026-02-30\"\n"
                             "[invoice]\nrounding = \"up\"\n"
                             "terms = \"net thirty\"\n[colour]\n");
  CHECK(e.diagnostics.size() == 4);
}

TEST_CASE("a rate written as a TOML float is refused because it is inexact") {
  const auto e = problems_of("[tax.ST]\nrate = 8.25\n");
  REQUIRE(e.diagnostics.size() == 1);
  CHECK(e.diagnostics[0].code == "config-type");
  CHECK(e.diagnostics[0].loc.line == 2);
  CHECK(e.diagnostics[0].hint.find("inexact") != std::string::npos);
}

TEST_CASE("a syntax error points at where the parser stopped") {
  const auto e = problems_of("[company]\nname = \"unterminated\n");
  REQUIRE(e.diagnostics.size() == 1);
  CHECK(e.diagnostics[0].code == "config-syntax");
  CHECK(e.diagnostics[0].loc.line == 2);
}

TEST_CASE("numbering patterns need a sequence and known placeholders") {
  CHECK_FALSE(numbering_pattern_problem("INV-{year}-{seq:05}"));
  CHECK_FALSE(numbering_pattern_problem("{seq}"));
  CHECK(numbering_pattern_problem("INV-{year}"));
  CHECK(numbering_pattern_problem("INV-{month}-{seq}"));
  CHECK(numbering_pattern_problem("INV-{seq"));
  CHECK(numbering_pattern_problem("INV-seq}"));
  CHECK(numbering_pattern_problem("INV/{seq}"));
  CHECK(numbering_pattern_problem("-{seq}"));
  const auto e = problems_of("[numbering]\ninvoice = \"INV-{year}\"\n");
  CHECK(e.diagnostics[0].loc.line == 2);
}

TEST_CASE("aging buckets must increase") {
  CHECK(problems_of("[aging]\nbuckets = [30, 30]\n").diagnostics.size() == 1);
  CHECK(problems_of("[aging]\nbuckets = []\n").diagnostics.size() == 1);
  auto c = parse_config("[aging]\nbuckets = [15, 45]\nbasis = \"invoice\"\n",
                        "arctl.toml");
  REQUIRE(c.has_value());
  CHECK(c->aging_buckets == std::vector<int>{15, 45});
  CHECK(c->aging_basis == AgingBasis::invoice_date);
}

TEST_CASE("a newer books format is refused") {
  const auto e = problems_of("[books]\nformat = 2\n");
  CHECK(e.diagnostics[0].message.find("format 2") != std::string::npos);
}

TEST_CASE("text toml++ cannot read safely is refused before it sees it") {
  // An unquoted name beyond ASCII: toml++ 3.3 has undefined behaviour on
  // it (toml_guard.hpp). The column counts bytes.
  const auto c = parse_config("[company]\nname = Müller\n", "arctl.toml");
  REQUIRE_FALSE(c.has_value());
  REQUIRE(c.error().diagnostics.size() == 1);
  const auto& d = c.error().diagnostics[0];
  CHECK(d.code == "config-syntax");
  CHECK(d.loc.line == 2);
  CHECK(d.loc.column == 9);
  CHECK(d.span == 2);
  CHECK(d.excerpt == "name = Müller");
  CHECK(d.message == "unexpected character 'ü'");
}

TEST_CASE("[payments] sets the discount rule and write-off limits") {
  auto c = parse_config("[payments]\nearly_payment_discount = false\n"
                        "writeoff_limit = { USD = \"100.00\", JPY = \"15000\" }\n",
                        "arctl.toml");
  REQUIRE(c.has_value());
  CHECK_FALSE(c->early_payment_discount);
  const auto usd = *find_currency("USD");
  const auto jpy = *find_currency("JPY");
  const auto eur = *find_currency("EUR");
  CHECK_FALSE(c->writeoff_needs_approval(Money{10000, usd}));
  CHECK(c->writeoff_needs_approval(Money{10001, usd}));
  CHECK_FALSE(c->writeoff_needs_approval(Money{15000, jpy}));
  CHECK(c->writeoff_needs_approval(Money{1, eur})); // no limit for EUR

  auto plain = parse_config("[payments]\nwriteoff_limit = \"25\"\n", "arctl.toml");
  REQUIRE(plain.has_value());
  CHECK(plain->writeoff_limits == std::vector<Money>{Money{2500, usd}});
  auto none = parse_config("", "arctl.toml");
  REQUIRE(none.has_value());
  CHECK(none->early_payment_discount);
  CHECK_FALSE(none->writeoff_needs_approval(Money{100000000, usd}));
}

TEST_CASE("[payments] refuses limits that are not amounts") {
  const auto e = problems_of("[payments]\nwriteoff_limit = 100.5\n");
  CHECK(e.diagnostics[0].message.find("must be an amount in quotes") !=
        std::string::npos);
  const auto f = problems_of(
      "[payments]\nwriteoff_limit = { XXX = \"1\", USD = \"-1\", JPY = \"1.5\" }\n"
      "discounts = true\n");
  REQUIRE(f.diagnostics.size() == 4);
  CHECK(f.diagnostics[0].message == "unknown key 'payments.discounts'");
}

TEST_CASE("account names must be valid in ledger, hledger and beancount") {
  CHECK_FALSE(account_name_problem("Assets:Bank"));
  CHECK_FALSE(account_name_problem("Assets:Bank:Checking-2"));
  CHECK_FALSE(account_name_problem("Equity:Opening-Balances"));
  CHECK_FALSE(account_name_problem("Liabilities:1200"));
  CHECK(*account_name_problem("") == "is empty");
  CHECK(*account_name_problem("Assets") ==
        "has only one component; accounts look like Assets:Bank");
  CHECK(*account_name_problem("Cash:Bank") ==
        "starts with \"Cash\", not with Assets, Liabilities, Equity, Income "
        "or Expenses");
  CHECK(*account_name_problem("assets:Bank") ==
        "starts with \"assets\", not with Assets, Liabilities, Equity, Income "
        "or Expenses");
  CHECK(*account_name_problem("Assets::Bank") == "has an empty component");
  CHECK(*account_name_problem("Assets:Bank:") == "has an empty component");
  CHECK(*account_name_problem("Assets:bank") ==
        "has a component \"bank\" that starts with neither an uppercase "
        "letter nor a digit");
  CHECK(*account_name_problem("Assets:-Bank") ==
        "has a component \"-Bank\" that starts with neither an uppercase "
        "letter nor a digit");
  CHECK(*account_name_problem("Assets:Bank Account") ==
        "has a component \"Bank Account\" with ' ' in it");
  CHECK(*account_name_problem("Assets:Bank_1") ==
        "has a component \"Bank_1\" with '_' in it");
  CHECK(*account_name_problem("Assets:Bänk") ==
        "has a component \"Bänk\" with '\\xc3' in it");
}

TEST_CASE("[export] names the accounts of the journals") {
  auto c = parse_config("[export]\nbank = \"Assets:Bank:Operating\"\n"
                        "receivable = \"Assets:AR\"\n"
                        "customer_credit = \"Assets:AR\"\n",
                        "arctl.toml");
  REQUIRE(c.has_value());
  const auto& a = c->export_accounts;
  CHECK(a.bank == "Assets:Bank:Operating");
  CHECK(a.receivable == "Assets:AR");
  CHECK(a.customer_credit == "Assets:AR"); // one account net of credit
  CHECK(a.sales == "Income:Sales");
  CHECK(a.sales_tax == "Liabilities:SalesTax");
  CHECK(a.sales_discounts == "Income:SalesDiscounts");
  CHECK(a.bad_debt == "Expenses:BadDebt");
  CHECK(a.opening_balances == "Equity:Opening-Balances");
  // The defaults, as arctl init writes them (commented out).
  auto d = parse_config(
      default_config_text("Acme", *find_currency("USD")), "arctl.toml");
  REQUIRE(d.has_value());
  CHECK(d->export_accounts.receivable == "Assets:Receivable");
  CHECK(d->export_accounts.customer_credit == "Liabilities:CustomerCredit");
}

TEST_CASE("a bad [export] account is reported at its value") {
  const auto e = problems_of("[export]\nbank = \"Assets:Bank Account\"\n"
                             "sales = 12\ncash = \"Assets:Cash\"\n");
  REQUIRE(e.diagnostics.size() == 3);
  CHECK(e.diagnostics[0].code == "config-unknown-key");
  CHECK(e.diagnostics[0].loc.line == 4);
  CHECK(e.diagnostics[1].message ==
        "'export.bank': account \"Assets:Bank Account\" has a component "
        "\"Bank Account\" with ' ' in it");
  CHECK(e.diagnostics[1].loc.line == 2);
  CHECK(e.diagnostics[1].loc.column == 8);
  CHECK(e.diagnostics[1].hint.find("beancount") != std::string::npos);
  CHECK(e.diagnostics[2].message == "'export.sales' must be a string");
}

TEST_CASE("nothing else may be booked within a customer's accounts") {
  SUBCASE("an account within the receivables") {
    const auto e = problems_of("[export]\nsales = \"Assets:Receivable:Sales\"\n");
    REQUIRE(e.diagnostics.size() == 1);
    CHECK(e.diagnostics[0].message ==
          "'export.sales': account \"Assets:Receivable:Sales\" lies within "
          "'export.receivable' (\"Assets:Receivable\"), where each customer "
          "has its own account");
    CHECK(e.diagnostics[0].loc.line == 2);
  }
  SUBCASE("the receivables moved over another account") {
    const auto e = problems_of("[export]\nreceivable = \"Assets:Bank\"\n");
    REQUIRE(e.diagnostics.size() == 1);
    CHECK(e.diagnostics[0].message.starts_with(
        "'export.bank': account \"Assets:Bank\" lies within "
        "'export.receivable'"));
    CHECK(e.diagnostics[0].loc.line == 2); // where the receivable is set
  }
  SUBCASE("credit within the receivables") {
    const auto e = problems_of("[export]\nreceivable = \"Assets:AR\"\n"
                               "customer_credit = \"Assets:AR:Credit\"\n");
    REQUIRE(e.diagnostics.size() == 1);
    CHECK(e.diagnostics[0].loc.line == 3);
  }
  SUBCASE("a name that only starts the same is another account") {
    CHECK(parse_config("[export]\nsales = \"Assets:ReceivableSales\"\n",
                       "arctl.toml")
              .has_value());
  }
}

TEST_CASE("[dunning] reads the policy, levels in escalating order") {
  auto d = parse_config(default_config_text("Acme", *find_currency("USD")),
                        "arctl.toml");
  REQUIRE(d.has_value());
  const auto& p = d->dunning;
  CHECK(p.grace_days == 5);
  CHECK(p.minimum == Decimal{2500, 2});
  REQUIRE(p.levels.size() == 3);
  CHECK(p.levels[0].name == "reminder");
  CHECK(p.levels[0].letter == "reminder");
  CHECK(p.levels[1].days == 30);
  CHECK(p.levels[1].wait == 14);
  CHECK(p.levels[2].letter == "final"); // the name, when not given
  CHECK(p.levels[2].action == DunningAction::hold);
  CHECK(p.levels[2].line > p.levels[1].line);
}

TEST_CASE("a bad [dunning] policy is reported at its values") {
  const auto e = problems_of(
      "[dunning]\ngrace_days = -1\nminimum = \"1.5.0\"\n"
      "[[dunning.level]]\nname = \"first\"\ndays = 30\n"
      "[[dunning.level]]\nname = \"first\"\ndays = 30\naction = \"sue\"\n"
      "interest = \"120\"\ncolour = \"red\"\n"
      "[[dunning.level]]\ndays = 40\n");
  std::vector<std::string> messages;
  for (const auto& diagnostic : e.diagnostics)
    messages.push_back(fmt::format("{}: {}", diagnostic.loc.line,
                                   diagnostic.message));
  CHECK(messages == std::vector<std::string>{
                        "2: 'dunning.grace_days' must be a number of days "
                        "from 0 to 36500",
                        "3: " + e.diagnostics[1].message,
                        "12: unknown key 'dunning.level[2].colour'",
                        "8: level name \"first\" is used twice",
                        "9: 'dunning.level[2].days' is 30, not more than the "
                        "level before (30)",
                        "11: 'dunning.level[2].interest' is a yearly rate in "
                        "percent, at most 100",
                        "10: action \"sue\" is not known",
                        "13: 'dunning.level[3].name' is missing"});
  CHECK(e.diagnostics[1].code == "config-value");
}

TEST_CASE("bank profiles say how to read a bank's CSV export") {
  auto c = parse_config(R"([numbering]
bank = "B-{seq:04}"

[bank.profile.gls]
encoding = "latin1"
delimiter = ";"
skip_lines = 2
date_format = "%d.%m.%Y"
decimal = ","
thousands = "."
currency = "EUR"

[bank.profile.gls.columns]
date = "Buchungstag"
value_date = 3
amount = "Betrag"
remittance = ["VWZ1", "VWZ2", 7]

[bank.profile.dc]
sign = "debit-positive"
credit_values = ["H"]
debit_values = ["S"]
header = false
[bank.profile.dc.columns]
date = 1
amount = 2
indicator = 3
)",
                        "arctl.toml");
  REQUIRE(c.has_value());
  CHECK(c->numbering.bank == "B-{seq:04}");
  REQUIRE(c->bank_profiles.size() == 2);
  const auto* gls = c->find_bank_profile("gls");
  REQUIRE(gls != nullptr);
  CHECK(gls->line == 4);
  CHECK(gls->encoding == "latin1");
  CHECK(gls->delimiter == ';');
  CHECK(gls->skip_lines == 2);
  CHECK(gls->decimal == ',');
  CHECK(gls->thousands == ".");
  CHECK(gls->currency->name() == "EUR");
  CHECK(gls->columns.date->name == "Buchungstag");
  CHECK(gls->columns.value_date->position == 3);
  CHECK(gls->columns.date->line == 14);
  REQUIRE(gls->columns.remittance.size() == 3);
  CHECK(gls->columns.remittance[1].name == "VWZ2");
  CHECK(gls->columns.remittance[2].position == 7);
  const auto* dc = c->find_bank_profile("dc");
  REQUIRE(dc != nullptr);
  CHECK(dc->sign == AmountSign::debit_positive);
  CHECK(dc->credit_values == std::vector<std::string>{"H"});
  CHECK_FALSE(dc->header);
  CHECK(dc->columns.indicator->position == 3);
  CHECK(c->find_bank_profile("other") == nullptr);
}

TEST_CASE("a bad bank profile is reported key by key") {
  const auto e = problems_of(R"([bank.profile.x]
encoding = "klingon"
delimiter = "::"
decimal = ","
thousands = ","
date_format = "%d/%q/%Y"
sign = "up"
header = false
[bank.profile.x.columns]
date = "Date"
debit = 3
colour = 1

[bank.profile.y]
currency = "EUR"
)");
  std::string got;
  for (const auto& d : e.diagnostics)
    got += fmt::format("{}:{} {}\n", d.loc.line, d.loc.column, d.message);
  CHECK(got ==
        "2:12 encoding \"klingon\" is not known\n"
        "3:13 'bank.profile.x.delimiter' cannot be \"::\"\n"
        "6:15 date format \"%d/%q/%Y\" has an unknown field %q; use %d, %m, "
        "%Y, %y or %%\n"
        "5:13 'bank.profile.x.thousands' is the decimal separator too\n"
        "7:8 sign \"up\" is not known\n"
        "12:1 unknown key 'bank.profile.x.columns.colour'\n"
        "10:8 'bank.profile.x.columns.date' must give the column's position "
        "from 1: the profile has no header row\n"
        "9:1 'bank.profile.x.columns' names neither an amount column nor "
        "debit and credit columns\n"
        "14:1 'bank.profile.y' has no table [bank.profile.y.columns]\n");
}
