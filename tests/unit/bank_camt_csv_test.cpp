#include "arctl/bank/statement.hpp"
#include "arctl/config.hpp"
#include "arctl/encoding.hpp"

#include <doctest/doctest.h>

#include "bank_test_util.hpp"

using namespace arctl;
using arctl::testing::parsed;
using arctl::testing::problems;

namespace {

// A camt.053 statement around `entries`, in schema version `version`, the
// namespace given a prefix or not.
std::string camt053(const std::string& entries, const char* version = "02",
                    bool prefixed = false) {
  const std::string p = prefixed ? "c:" : "";
  std::string text = "<?xml version=\"1.0\"?>\n<" + p + "Document xmlns" +
                     (prefixed ? ":c" : "") +
                     "=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001." +
                     version + "\">\n<" + p + "BkToCstmrStmt>\n<" + p +
                     "Stmt>\n<" + p + "Acct><" + p + "Id><" + p +
                     "IBAN>DE89370400440532013000</" + p + "IBAN></" + p +
                     "Id></" + p + "Acct>\n" + entries + "</" + p +
                     "Stmt>\n</" + p + "BkToCstmrStmt>\n</" + p + "Document>\n";
  if (prefixed)
    for (const char* tag :
         {"Ntry", "Amt ", "Amt>", "CdtDbtInd", "BookgDt", "ValDt", "Dt>",
          "NtryDtls", "TxDtls", "Refs", "EndToEndId", "RmtInf", "Ustrd",
          "RvslInd", "AcctSvcrRef", "Sts"})
      for (const std::string open : {"<", "</"})
        for (auto at = text.find(open + tag); at != std::string::npos;
             at = text.find(open + tag, at + 3))
          text.insert(at + open.size(), "c:");
  return text;
}

const std::string k_credit =
    "<Ntry><Amt Ccy=\"EUR\">1250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
    "<Sts>BOOK</Sts><BookgDt><Dt>2024-03-01</Dt></BookgDt>"
    "<ValDt><Dt>2024-03-02</Dt></ValDt><AcctSvcrRef>ACSR-1</AcctSvcrRef>"
    "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT"
    "</SubFmlyCd></Fmly></Domn></BkTxCd>\n"
    "<NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs>"
    "<RltdPties><Dbtr><Nm>ACME GmbH</Nm></Dbtr><DbtrAcct><Id><IBAN>"
    "DE02120300000000202051</IBAN></Id></DbtrAcct><Cdtr><Nm>Us</Nm></Cdtr>"
    "</RltdPties><RmtInf><Ustrd>INV-7</Ustrd><Ustrd>INV-8</Ustrd><Strd>"
    "<RfrdDocInf><Nb>INV-9</Nb></RfrdDocInf><CdtrRefInf><Ref>"
    "RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>"
    "</NtryDtls></Ntry>\n";

} // namespace

TEST_CASE("camt.053: an entry with its details is one transaction") {
  for (const char* version : {"02", "04", "08"}) {
    CAPTURE(version);
    const auto got =
        parsed(camt053(k_credit, version), StatementFormat::camt053);
    REQUIRE(got.size() == 1);
    CHECK(got[0] == "2024-03-01 2024-03-02 1250.00 EUR | ACME GmbH | "
                    "DE02120300000000202051 | INV-7 INV-8 INV-9 "
                    "RF18539007547034 | E2E-1 | RF18539007547034 | "
                    "PMNT/RCDT/ESCT | ACSR-1");
  }
}

TEST_CASE("camt elements are found whatever their namespace prefix") {
  const auto got =
      parsed(camt053(k_credit, "02", true), StatementFormat::camt053);
  REQUIRE(got.size() == 1);
  CHECK(got[0].starts_with("2024-03-01 2024-03-02 1250.00 EUR | ACME GmbH"));
}

TEST_CASE("camt: a batch with amounts per payment gives one transaction each") {
  const auto entry =
      "<Ntry><Amt Ccy=\"EUR\">664.05</Amt><CdtDbtInd>DBIT</CdtDbtInd>"
      "<RvslInd>true</RvslInd><BookgDt><DtTm>2024-03-01T13:15:00+01:00"
      "</DtTm></BookgDt><AcctSvcrRef>B-1</AcctSvcrRef><NtryDtls><Btch>"
      "<NbOfTxs>2</NbOfTxs></Btch>\n"
      "<TxDtls><AmtDtls><TxAmt><Amt Ccy=\"EUR\">564.05</Amt></TxAmt>"
      "</AmtDtls><RltdPties><Cdtr><Pty><Nm>Payee 1</Nm></Pty></Cdtr>"
      "</RltdPties></TxDtls>\n"
      "<TxDtls><Refs><TxId>T-2</TxId></Refs><Amt Ccy=\"EUR\">100.00</Amt>"
      "<CdtDbtInd>CRDT</CdtDbtInd></TxDtls>\n"
      "</NtryDtls></Ntry>\n";
  const auto got = parsed(camt053(entry), StatementFormat::camt053);
  REQUIRE(got.size() == 2);
  // A detail without an id of its own takes the entry's with its number.
  CHECK(got[0] == "2024-03-01 - -564.05 EUR | Payee 1 |  |  |  |  |  | B-1/1 "
                  "| reversal");
  // Its own direction, where it gives one.
  CHECK(got[1] == "2024-03-01 - 100.00 EUR |  |  |  |  |  |  | T-2 | "
                  "reversal");
}

TEST_CASE("camt: a batch whose payments have no amounts is one transaction") {
  const auto entry =
      "<Ntry><Amt Ccy=\"SEK\">200000</Amt><CdtDbtInd>DBIT</CdtDbtInd>"
      "<BookgDt><Dt>2024-03-01</Dt></BookgDt><NtryDtls>"
      "<TxDtls><RltdPties><Cdtr><Nm>M</Nm></Cdtr></RltdPties><RmtInf>"
      "<Ustrd>one</Ustrd></RmtInf></TxDtls>"
      "<TxDtls><RltdPties><Cdtr><Nm>M</Nm></Cdtr></RltdPties><RmtInf>"
      "<Ustrd>two</Ustrd></RmtInf></TxDtls></NtryDtls>"
      "<AddtlNtryInf>batch</AddtlNtryInf></Ntry>\n"
      "<Ntry><Amt Ccy=\"EUR\">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG"
      "</Cd></Sts><BookgDt><Dt>2024-03-01</Dt></BookgDt></Ntry>\n";
  const auto got = parsed(camt053(entry), StatementFormat::camt053);
  // The pending entry is not on the account yet.
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "2024-03-01 - -200000.00 SEK | M |  | one two |  |  |  | ");
}

TEST_CASE("camt.054 notifications are read as camt.053 statements are") {
  auto text = camt053(k_credit);
  for (const auto& [from, to] :
       {std::pair{"camt.053", "camt.054"},
        std::pair{"BkToCstmrStmt>", "BkToCstmrDbtCdtNtfctn>"},
        std::pair{"Stmt>", "Ntfctn>"}})
    for (auto at = text.find(from); at != std::string::npos;
         at = text.find(from, at + 1))
      text.replace(at, std::string_view(from).size(), to);
  CHECK(detect_statement_format(text) == StatementFormat::camt054);
  CHECK(parsed(text, StatementFormat::camt054).size() == 1);
  CHECK(problems(text, StatementFormat::camt053) ==
        "2:1 the file is a camt.054 notification, not a camt.053 statement\n");
}

TEST_CASE("truncated or malformed camt XML is an error at its place") {
  const auto whole = camt053(k_credit);
  // Cut short: at its last character.
  const auto cut = whole.substr(0, whole.find("</NtryDtls>"));
  const auto lines = std::count(cut.begin(), cut.end(), '\n');
  CHECK(problems(cut, StatementFormat::camt053) ==
        fmt::format("{}:{} the XML ends before its elements are closed\n",
                    lines + 1, cut.size() - cut.rfind('\n') - 1));
  CHECK(problems(camt053("<Ntry><Amt Ccy=\"EUR\">1</Amt></Nrty>\n"),
                 StatementFormat::camt053) ==
        "6:31 the XML is malformed: Start-end tags mismatch\n");
  auto bad = camt053(k_credit);
  bad.replace(bad.find("1250.00"), 7, "12,50");
  bad.replace(bad.find("CRDT"), 4, "CRED");
  CHECK(problems(bad, StatementFormat::camt053) ==
        "6:33 CdtDbtInd \"CRED\" is not CRDT or DBIT\n");
  bad = camt053(k_credit);
  bad.replace(bad.find("1250.00"), 7, "12,50");
  CHECK(problems(bad, StatementFormat::camt053) ==
        "6:7 amount \"12,50\" is not a number\n");
}

namespace {
BankProfile profile(std::string_view toml) {
  auto c = parse_config(toml, "arctl.toml");
  REQUIRE(c.has_value());
  REQUIRE(c->bank_profiles.size() == 1);
  return c->bank_profiles[0];
}
std::vector<std::string> csv(std::string_view text, const BankProfile& p) {
  StatementOptions o;
  o.profile = &p;
  o.currency = *find_currency("USD");
  return parsed(text, StatementFormat::csv, o);
}
} // namespace

TEST_CASE("a CSV export read through a profile: names, joins, decimal comma") {
  const auto p = profile(R"([bank.profile.gls]
delimiter = ";"
skip_lines = 1
date_format = "%d.%m.%Y"
decimal = ","
thousands = "."
[bank.profile.gls.columns]
date = "Buchungstag"
value_date = "Wertstellung"
amount = "Betrag"
currency = "Währung"
account = 1
counterparty = "Empfänger"
remittance = ["VWZ1", "VWZ2", "VWZ3"]
)");
  const auto got =
      csv("Kontoauszug\n"
          "Konto;Buchungstag;Wertstellung;Empfänger;VWZ1;VWZ2;VWZ3;Betrag;"
          "Währung\n"
          "DE1;10.10.2017;11.10.2017;Drillisch;\"B46; U12\";987 Rech;;"
          "-1.298,76;EUR\n"
          "\n"
          "DE1;1.2.2018;;\"A \"\"B\"\" C\";;;x;12,5-;EUR\n",
          p);
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "2017-10-10 2017-10-11 -1298.76 EUR | Drillisch |  | B46; "
                  "U12 987 Rech |  |  |  | ");
  // A minus after the amount, as some banks write it.
  CHECK(got[1] == "2018-02-01 - -12.50 EUR | A \"B\" C |  | x |  |  |  | ");
}

TEST_CASE("CSV amounts: debit and credit columns, an indicator, signs") {
  const auto dc = profile(R"([bank.profile.ubs]
thousands = "'"
date_format = "%d.%m.%Y"
currency = "CHF"
[bank.profile.ubs.columns]
date = 1
debit = "Debit"
credit = "Credit"
)");
  const auto got = csv("Date,Debit,Credit\n31.03.2019,10.00,\n"
                       "28.02.2019,,\"11'240.00\"\n01.03.2019,-5,0\n",
                       dc);
  REQUIRE(got.size() == 3);
  CHECK(got[0].starts_with("2019-03-31 - -10.00 CHF"));
  CHECK(got[1].starts_with("2019-02-28 - 11240.00 CHF"));
  CHECK(got[2].starts_with("2019-03-01 - -5.00 CHF"));

  const auto ind = profile(R"([bank.profile.oca]
date_format = "%m/%d/%Y"
thousands = ","
credit_values = ["C"]
debit_values = ["D"]
[bank.profile.oca.columns]
date = "Date"
amount = "Amount"
indicator = "D/C"
)");
  // The indicator gives the direction, whatever the amount's own sign.
  const auto signs = csv("Date,Amount,D/C\n12/15/2018,33.50,D\n"
                         "12/15/2018,\"-1,533.50\",C\n",
                         ind);
  REQUIRE(signs.size() == 2);
  CHECK(signs[0].starts_with("2018-12-15 - -33.50 USD"));
  CHECK(signs[1].starts_with("2018-12-15 - 1533.50 USD"));

  const auto debit_positive = profile(R"([bank.profile.d]
sign = "debit-positive"
header = false
[bank.profile.d.columns]
date = 1
amount = 2
)");
  CHECK(csv("2024-03-01,20.00\n2024-03-02,-5\n", debit_positive) ==
        std::vector<std::string>{"2024-03-01 - -20.00 USD |  |  |  |  |  |  | ",
                                 "2024-03-02 - 5.00 USD |  |  |  |  |  |  | "});
}

TEST_CASE("CSV: a profile's encoding, a space between thousands") {
  const auto p = profile(R"([bank.profile.fr]
encoding = "latin1"
delimiter = "\t"
date_format = "%d/%m/%Y"
decimal = ","
thousands = " "
currency = "EUR"
[bank.profile.fr.columns]
date = "Date"
amount = "Montant"
counterparty = "Libellé"
)");
  // The file as the bank writes it: Latin-1.
  const std::string bytes =
      "Date\tLibell\xE9\tMontant\n02/03/2024\tSoci\xE9t\xE9 "
      "G\xE9n\xE9rale\t1 234,50\n";
  auto text = decode_text(bytes, p.encoding, "fr.csv");
  REQUIRE(text.has_value());
  const auto got = csv(text->text, p);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "2024-03-02 - 1234.50 EUR | Société Générale |  |  |  |  "
                  "|  | ");
}

TEST_CASE("CSV rows that do not read are errors at their cell") {
  const auto p = profile(R"([bank.profile.p]
date_format = "%d.%m.%Y"
[bank.profile.p.columns]
date = "Date"
amount = "Amount"
currency = "Currency"
indicator = "DC"
)");
  StatementOptions o;
  o.profile = &p;
  CHECK(problems("Date,Amount,Currency,DC\n31.02.2019,1,EUR,C\n"
                 "01.03.2019,1.2.3,EUR,C\n01.03.2019,1,EURO,C\n"
                 "01.03.2019,1,EUR,X\n01.03.2019,1,EUR,C,extra\n"
                 "01.03.2019,1,\"EUR\n",
                 StatementFormat::csv,
                 o) == "7:14 a quoted field is not closed\n");
  CHECK(problems("Date,Amount,Currency,DC\n31.02.2019,1,EUR,C\n"
                 "01.03.2019,1.2.3,EUR,C\n01.03.2019,1,EURO,C\n"
                 "01.03.2019,1,EUR,X\n01.03.2019,1,EUR,C,extra\n",
                 StatementFormat::csv, o) ==
        "2:1 date \"31.02.2019\" is not a real day\n"
        "3:12 amount \"1.2.3\" is not a number\n"
        "4:14 unknown currency \"EURO\"\n"
        "5:18 \"X\" is neither a credit nor a debit\n"
        "6:1 the row has 5 fields but the header 4\n");
  CHECK(problems("Datum,Betrag\n1.1.2020,1\n", StatementFormat::csv, o) ==
        "1:1 the header has no column \"Date\"\n"
        "1:1 the header has no column \"Amount\"\n"
        "1:1 the header has no column \"DC\"\n"
        "1:1 the header has no column \"Currency\"\n");
}
