// Every statement in ../shared/fixtures/bank (real files written by others,
// see SOURCES.md there) imports, with the number of transactions and the
// credits that tests/bank/fixture_figures.py works out from the files
// themselves, without arctl's parsers; and imports once only.
#include "arctl/bank/import.hpp"
#include "arctl/check.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "temp_books.hpp"

using namespace arctl;
using arctl::testing::TempBooks;

namespace {

// How the test reads the banks' CSV exports.
const char* k_profiles = R"(
[bank.profile.oca]
date_format = "%m/%d/%Y"
thousands = ","
[bank.profile.oca.columns]
date = "Date"
amount = "Amount"
currency = "Currency"
counterparty = "Partner Name"
counterparty_account = "Bank Account"
remittance = "Label"

[bank.profile.oca-dc]
date_format = "%m/%d/%Y"
thousands = ","
currency = "USD"
credit_values = ["C"]
debit_values = ["D"]
[bank.profile.oca-dc.columns]
date = "Date"
amount = "Amount"
indicator = "D/C"
counterparty = "Partner Name"
counterparty_account = "Bank Account"
remittance = "Label"

[bank.profile.outbank]
delimiter = ";"
date_format = "%m/%d/%y"
decimal = ","
[bank.profile.outbank.columns]
account = "Account"
date = "Date"
value_date = "Value Date"
amount = "Amount"
currency = "Currency"
counterparty = "Name"
counterparty_account = "Number"
remittance = "Reason"
end_to_end = "SEPA Reference"
reference = "Client Reference"
type = "Posting Text"

[bank.profile.gls]
encoding = "latin1"
delimiter = ";"
date_format = "%d.%m.%Y"
decimal = ","
thousands = "."
[bank.profile.gls.columns]
account = "Kontonummer"
date = "Buchungstag"
value_date = "Wertstellung"
counterparty = "Auftraggeber/Empfänger"
type = "Buchungstext"
remittance = ["VWZ1", "VWZ2", "VWZ3", "VWZ4", "VWZ5", "VWZ6", "VWZ7", "VWZ8",
              "VWZ9", "VWZ10", "VWZ11", "VWZ12", "VWZ13", "VWZ14"]
amount = "Betrag"
currency = "Währung"

[bank.profile.ubs]
delimiter = ";"
date_format = "%d.%m.%Y"
thousands = "'"
[bank.profile.ubs.columns]
account = "Produit"
currency = "Monn."
date = "Date de valeur"
type = "Description"
remittance = ["Description 1", "Description 2", "Description 3"]
bank_tx = "N° de transaction"
debit = "Débit"
credit = "Crédit"

[bank.profile.paypal]
date_format = "%d/%m/%Y"
thousands = ","
[bank.profile.paypal.columns]
date = "Date"
counterparty = "Name"
type = "Type"
currency = "Currency"
amount = "Gross"
bank_tx = "Transaction ID"
reference = "Invoice Number"
remittance = ["Subject", "Note"]

[bank.profile.paypal-es]
date_format = "%d/%m/%Y"
decimal = ","
thousands = "."
[bank.profile.paypal-es.columns]
date = "Fecha"
currency = "Divisa"
amount = "Bruto"
counterparty = "Nombre"
remittance = "Descripción"
bank_tx = "Id. de transacción"
reference = "Id. de factura"
)";

struct Fixture {
  const char* file;    // below the fixtures' bank/
  const char* profile; // CSV only
  const char* account; // for files that name none
  bool unbalanced;     // balances or control totals do not add up
  std::size_t count;
  const char* credits; // by currency
};

// From tests/bank/fixture_figures.py; "unbalanced" where it counts
// mismatches (the files are samples, edited or cut by their authors).
const Fixture k_fixtures[] = {
    {"bai2/continuations.bai", "", "", true, 17, "USD 6007.31"},
    {"bai2/moj-citi-gbp.bai2", "", "", false, 1, "GBP 0.01"},
    {"bai2/moj-natwest.bai2", "", "", false, 5, "GBP 0.89"},
    {"bai2/moj-svb-two-groups.bai2", "", "", false, 2, "USD 13959.96"},
    {"bai2/sample1.bai", "", "", false, 17, "CAD 3200.00"},
    {"bai2/sample2.bai", "", "", false, 4, "USD 309500.00"},
    {"camt053/genkgo-v2-multi-statement.xml", "", "", false, 2, "EUR 8.85"},
    {"camt053/genkgo-v2-party-ids-multicurrency.xml", "", "", false, 1,
     "EUR 8.85"},
    {"camt053/genkgo-v8-structured-ref.xml", "", "", false, 1, "EUR 8.85"},
    {"camt053/oca-camt053-no-entries.xml", "", "", false, 0, "-"},
    {"camt053/oca-camt053.xml", "", "", false, 4, "EUR 1405.31"},
    {"camt054/genkgo-v2-batch.xml", "", "", false, 1, "-"},
    {"camt054/genkgo-v4-batch-3tx.xml", "", "", false, 3, "CHF 9.50"},
    {"camt054/oca-camt054.xml", "", "", false, 1, "EUR 5.00"},
    {"csv/gls-de-latin1-vwz.csv", "gls", "", false, 1, "-"},
    {"csv/oca-debit-credit.csv", "oca-dc", "OCA", false, 2, "USD 1533.50"},
    {"csv/oca-multi-currency.csv", "oca", "OCA", false, 2, "EUR 1525.00"},
    {"csv/oca-sample-statement.csv", "oca", "OCA", false, 2, "EUR 1525.00"},
    {"csv/outbank-de-sepa-refs.csv", "outbank", "", false, 4, "EUR 100.00"},
    {"csv/paypal-activity-invoice-numbers.csv", "paypal", "PAYPAL", false, 76,
     "AUD 100.00; EUR 59427.02; USD 74408.02"},
    {"csv/paypal-statement-es-comma-decimal.csv", "paypal-es", "PAYPAL", false,
     4, "EUR 136.44"},
    {"csv/ubs-ch-fr-apostrophe-thousands.csv", "ubs", "", false, 3,
     "CHF 240.00"},
    {"mt940/abnamro.sta", "", "", true, 10, "-"},
    {"mt940/hsbc-hkd-ocmt.sta", "", "", true, 1, "-"},
    {"mt940/ing.sta", "", "", true, 7, "EUR 4.68"},
    {"mt940/kbs-mk-swift-blocks.sta", "", "", false, 3, "MKD 2250.00"},
    {"mt940/knab.sta", "", "", true, 3, "EUR 1000.00"},
    {"mt940/multiline-86.sta", "", "", false, 2, "EUR 119.00"},
    {"mt940/postfinance-chf.sta", "", "", true, 4, "CHF 239.30"},
    {"mt940/rabobank-iban.sta", "", "", false, 4, "-"},
    {"mt940/rabobank-structured-remi.sta", "", "", true, 12, "EUR 19946.42"},
    {"mt940/raiffeisen-hu-cp852.sta", "", "", true, 7, "HUF 2066637.00"},
    {"mt940/sberbank.sta", "", "", false, 3, "-"},
    {"mt940/sepa-mt9401.sta", "", "", false, 97, "EUR 5188474.94"},
    {"mt940/sns-padded-86.sta", "", "", false, 2, "-"},
    {"mt940/sparkasse-subfields-cp850.sta", "", "", false, 10, "EUR 932.00"},
    {"ofx/bank-medium.ofx", "", "", false, 3, "-"},
    {"ofx/checking.ofx", "", "", false, 3, "USD 0.01"},
    {"ofx/multiple-accounts.ofx", "", "", false, 0, "-"},
    {"ofx/oca-ofx.ofx", "", "", false, 4, "-"},
    {"ofx/suncorp.ofx", "", "", false, 1, "-"},
    {"ofx/v102-empty-tags-leading-blank-lines.ofx", "", "", false, 1,
     "AUD 12.34"},
};

std::string credits_of(const ImportedFile& f) {
  auto credits = f.credits;
  std::sort(credits.begin(), credits.end(), [](const Money& a, const Money& b) {
    return a.currency().name() < b.currency().name();
  });
  std::string out;
  for (const auto& m : credits)
    out += fmt::format("{}{} {}", out.empty() ? "" : "; ", m.currency().name(),
                       m.to_string());
  return out.empty() ? "-" : out;
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

TEST_CASE("every fixture statement imports, once, with its count and credits") {
  const std::string dir = std::string(ARCTL_FIXTURES_DIR) + "/bank/";
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.is_directory())
      for (const auto& f : std::filesystem::directory_iterator(e.path()))
        files += f.is_regular_file();
  // A file added to the fixtures needs a row here.
  CHECK(files == std::size(k_fixtures));

  for (const auto& fx : k_fixtures) {
    CAPTURE(fx.file);
    TempBooks b(k_profiles);
    const std::vector<StatementFile> input{
        {dir + fx.file, bytes_of(dir + fx.file)}};
    ImportOptions options;
    options.profile = fx.profile;
    options.account = fx.account;
    options.today = arctl::testing::day("2026-11-20");
    auto books = b.open();
    if (fx.unbalanced) {
      // Refused as they are, every mismatch named.
      const auto refused = plan_bank_import(*books, input, options);
      REQUIRE_FALSE(refused.has_value());
      CHECK(refused.error().exit == ExitCode::data);
      for (const auto& d : refused.error().diagnostics)
        CHECK((d.code == "mt940-balance-mismatch" ||
               d.code.starts_with("bai2-")));
      options.check_balances = false;
    }
    auto plan = plan_bank_import(*books, input, options);
    if (!plan)
      FAIL(plan.error().message << ": "
                                << plan.error().diagnostics.front().message);
    REQUIRE(plan->files.size() == 1);
    const auto& got = plan->files[0];
    CHECK(got.read == fx.count);
    CHECK(credits_of(got) == fx.credits);
    // No two transactions of a file share a fingerprint.
    CHECK(got.added == fx.count);
    b.commit_plan(plan->planned);
    // The books are valid, and a second import adds nothing.
    auto again = b.open();
    CHECK(again->bank_transactions.size() == fx.count);
    const auto second = plan_bank_import(*again, input, options);
    REQUIRE(second.has_value());
    CHECK(second->files[0].added == 0);
    CHECK(second->files[0].present == fx.count);
  }
}
