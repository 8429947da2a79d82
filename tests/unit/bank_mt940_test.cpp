#include "arctl/bank/statement.hpp"

#include <doctest/doctest.h>

#include "bank_test_util.hpp"

using namespace arctl;
using arctl::testing::parsed;
using arctl::testing::problems;

namespace {
std::vector<std::string> mt940(std::string_view text, bool check = true) {
  StatementOptions o;
  o.check_balances = check;
  return parsed(text, StatementFormat::mt940, o);
}
} // namespace

TEST_CASE("an MT940 statement gives one transaction per :61: entry") {
  const auto got = mt940(":20:STMT1\n"
                         ":25:NL91ABNA0417164300\n"
                         ":28C:1/1\n"
                         ":60F:C240301EUR1000,00\n"
                         ":61:2403010302C250,NTRFINV-1//BANK1\n"
                         ":86:Payment INV-1\n"
                         ":61:240302D12,5NMSCNONREF\n"
                         ":86:Fee\n"
                         ":62F:C240302EUR1237,5\n"
                         ":64:C240302EUR1237,5\n"
                         ":65:C240303EUR1237,5\n"
                         ":65:C240304EUR1237,5\n"
                         ":86:statement information\n"
                         "-\n");
  REQUIRE(got.size() == 2);
  // The entry date (MMDD) is the booking date, the first date the value date.
  CHECK(got[0] == "2024-03-02 2024-03-01 250.00 EUR |  |  | Payment INV-1 |  "
                  "| INV-1 | NTRF | BANK1");
  CHECK(got[1] == "2024-03-02 2024-03-02 -12.50 EUR |  |  | Fee |  |  | NMSC "
                  "| ");
}

TEST_CASE(
    "an MT940 entry date in January of a December value date is next year") {
  const auto got = mt940(":20:X\n:25:A\n:60F:C231231EUR0,\n"
                         ":61:2312310102C1,NTRFNONREF\n:62F:C240102EUR1,\n");
  REQUIRE(got.size() == 1);
  CHECK(got[0].starts_with("2024-01-02 2023-12-31 1.00 EUR"));
}

TEST_CASE("MT940 reversals, funds codes and lines without an entry date") {
  const auto got = mt940(":20:X\n:25:A\n:60F:C240301HUF100,00\n"
                         ":61:240301CF10,00N527\n"
                         ":61:240301RC3,00NTRFNONREF\n"
                         ":61:240301RD2,00NTRFNONREF\n"
                         ":61:240301DR1,NMSCNONREF\n"
                         ":62F:C240301HUF108,00\n");
  REQUIRE(got.size() == 4);
  CHECK(got[0].starts_with("2024-03-01 2024-03-01 10.00 HUF"));
  // A reversed credit takes money out, a reversed debit puts it back.
  CHECK(got[1].starts_with("2024-03-01 2024-03-01 -3.00 HUF"));
  CHECK(got[1].ends_with("| reversal"));
  CHECK(got[2].starts_with("2024-03-01 2024-03-01 2.00 HUF"));
  // "DR": a debit with funds code R, not a reversal.
  CHECK(got[3].starts_with("2024-03-01 2024-03-01 -1.00 HUF"));
  CHECK_FALSE(got[3].ends_with("reversal"));
}

TEST_CASE("MT940 inside SWIFT blocks, with a supplementary line") {
  const auto got =
      mt940("{1:F01KOBSMK2XAXXX1201000000}{2:I940KOBSMK2XXXXXN}{4:\n"
            ":20:STM1\n:25:300000002778989\n:28C:1/1\n"
            ":60F:C201201MKD100,\n"
            ":61:2012011201CD2250,NMSCNONREF//25577226\n"
            "NL02INGB0002447973\n"
            ":86:/ORDP/300000000460495\n"
            "/IVOTEHNA DOOEL SKOPJE\n"
            "/Uplata po faktura 747\n"
            ":62F:C201201MKD2350,\n-}");
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "2020-12-01 2020-12-01 2250.00 MKD | IVOTEHNA DOOEL SKOPJE "
                  "| 300000000460495 | Uplata po faktura 747 |  |  | NMSC | "
                  "25577226");
}

TEST_CASE("MT940 :86: continuation lines join, full lines without a space") {
  const std::string full(65 - 9, 'x'); // ":86:" then 65 characters
  const auto got = mt940(":20:X\n:25:A\n:60F:C240301EUR0,\n"
                         ":61:240301C1,NTRFNONREF\n"
                         ":86:RECHNUNG 1234 " +
                         full +
                         "\nyz and more\n"
                         "  padded line   \n"
                         ":62F:C240301EUR1,\n");
  REQUIRE(got.size() == 1);
  CHECK(got[0].find("| RECHNUNG 1234 " + full + "yz and more padded line |") !=
        std::string::npos);
}

TEST_CASE("MT940 ?-subfields give the counterparty and SEPA references") {
  const auto got = mt940(
      ":20:X\n:25:20090500/0006853030\n:60F:C240301EUR0,\n"
      ":61:240301C80,N051NONREF\n"
      ":86:166?00GUTSCHRIFT?100399?20EREF+E2E-77?21KREF+CUST-9?22SVWZ+Re\n"
      "chnung 2024-0042 und 20?2324-0043?30PBNKDEFF100?31DE4210010010004392\n"
      "1105?32Richter Renate Fuellzeic?33hen?34914\n"
      ":61:240301C5,N051NONREF\n"
      ":86:051?00Gutschrift?20SPENDE?3020010020?310012345678?32MUELLER, "
      "GRETEL\n"
      ":62F:C240301EUR85,\n");
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "2024-03-01 2024-03-01 80.00 EUR | Richter Renate Fuellzeic "
                  "hen | DE42100100100043921105 | Rechnung 2024-0042 und 20 "
                  "24-0043 | E2E-77 | CUST-9 | N051 | ");
  // Without an IBAN, the bank code and the account.
  CHECK(got[1] == "2024-03-01 2024-03-01 5.00 EUR | MUELLER, GRETEL | "
                  "20010020/0012345678 | SPENDE |  |  | N051 | ");
}

TEST_CASE("MT940 ?-subfields of 27 characters go on without a space") {
  const auto got = mt940(":20:X\n:25:A\n:60F:C240301EUR0,\n"
                         ":61:240301C1,N166NONREF\n"
                         ":86:166?20MTLG:Grund nicht spezifizie?21rt Reject\n"
                         ":62F:C240301EUR1,\n");
  REQUIRE(got.size() == 1);
  CHECK(got[0].find("| MTLG:Grund nicht spezifiziert Reject |") !=
        std::string::npos);
}

TEST_CASE("MT940 /KEYWORD/ structured :86: as Rabobank writes it") {
  const auto got = mt940(
      ":20:X\n:25:NL50RABO0123456789\n:60F:C240301EUR0,\n"
      ":61:240301C169,90N122NONREF\n"
      ":86:/ORDP//NAME/Bedrijf B.V./REMI/NR.201303-111/11.3.2013\n"
      "NR.201303-112/11.3.2013/ISDT/2013-04-03\n"
      ":61:240301D20,N102EREF\n"
      "NL70ABNA0987654321\n"
      ":86:/EREF/E2E-5/BENM//NAME/Shop/REMI/order 5/OCMT/USD21,50/\n"
      ":61:240301C10,N541NONREF\n"
      ":86:/ACCW/NL54INGB0006752576,INGBNL2A/ORDP//NAME/Huibers en/of Mw\n"
      " Huveneers/REMI/1000122-P5549161\n"
      ":62F:C240301EUR159,90\n");
  REQUIRE(got.size() == 3);
  CHECK(got[0] == "2024-03-01 2024-03-01 169.90 EUR | Bedrijf B.V. |  | "
                  "NR.201303-111/11.3.2013 NR.201303-112/11.3.2013 |  |  | "
                  "N122 | ");
  // "EREF" before // says the end-to-end id is in :86:; the IBAN on the
  // second line is the payee's account.
  CHECK(got[1] == "2024-03-01 2024-03-01 -20.00 EUR | Shop | "
                  "NL70ABNA0987654321 | order 5 /OCMT/USD21,50 | E2E-5 |  | "
                  "N102 | ");
  CHECK(got[2] == "2024-03-01 2024-03-01 10.00 EUR | Huibers en/of Mw "
                  "Huveneers | NL54INGB0006752576 | 1000122-P5549161 |  |  | "
                  "N541 | ");
}

TEST_CASE("MT940 /KEYWORD/ :86: as ING writes it, without parties") {
  const auto got = mt940(
      ":20:X\n:25:NL69INGB0123456789\n:60F:C240301EUR0,\n"
      ":61:240301C100,NTRFNONREF\n"
      ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL12RABO0001234567/BIC/RABONL2UXX/NAM\n"
      "E/ACME BV/REMI/INV 2024-001/EREF/E2E-9\n"
      ":62F:C240301EUR100,\n");
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "2024-03-01 2024-03-01 100.00 EUR | ACME BV | "
                  "NL12RABO0001234567 | INV 2024-001 | E2E-9 |  | NTRF | ");
}

TEST_CASE("statements follow one another, intermediate balances included") {
  const auto got = mt940(":20:A\n:25:CH1\n:28C:1/1\n:60F:C240301CHF0,\n"
                         ":61:240301C79,7FMSC01916//NONREF\n"
                         ":62M:C240301CHF79,7\n-\n"
                         ":20:B\n:25:CH1\n:28C:1/2\n:60M:C240301CHF79,7\n"
                         ":61:240302D9,7FMSCNONREF\n"
                         ":62F:C240302CHF70,\n-\n");
  REQUIRE(got.size() == 2);
  CHECK(got[1].starts_with("2024-03-02 2024-03-02 -9.70 CHF"));
}

TEST_CASE(
    "an MT940 entry after the end of a message keeps the account before") {
  const auto got = mt940(":20:A\n:25:ACC-1\n:60F:C240301EUR0,\n"
                         ":61:240301C1,NTRFNONREF\n:62F:C240301EUR1,\n-\n"
                         ":61:2403020302C2,NMSCREF//B2\nPaiement\n");
  REQUIRE(got.size() == 2);
  CHECK(got[1] == "2024-03-02 2024-03-02 2.00 EUR |  |  | Paiement |  | REF | "
                  "NMSC | B2");
}

TEST_CASE("an MT940 balance that does not roll forward is an error at the "
          "closing balance") {
  const std::string text = ":20:A\n:25:ACC\n:60F:C240301EUR100,00\n"
                           ":61:240301C50,NTRFNONREF\n"
                           ":61:240301D20,NTRFNONREF\n"
                           ":62F:C240301EUR140,00\n";
  CHECK(problems(text, StatementFormat::mt940) ==
        "6:6 closing balance 140.00 EUR is not the opening balance 100.00 "
        "(line 3) plus the entries 30.00 = 130.00\n");
  // Unless the balances are not to be checked.
  CHECK(mt940(text, false).size() == 2);
}

TEST_CASE("malformed MT940 lines are errors at their place") {
  CHECK(problems(":20:A\n:25:ACC\n:60F:C240301EUR100,00\n"
                 ":61:240399C50,NTRFNONREF\n"
                 ":61:240301X50,NTRFNONREF\n"
                 ":61:240301C5x,NTRFNONREF\n"
                 ":62F:C240301XXX100,00\n",
                 StatementFormat::mt940) ==
        "4:5 value date \"240399\" is not a date (YYMMDD)\n"
        "5:11 the mark is not C, D, RC or RD\n"
        "6:13 the amount is not followed by a transaction type (N, F or S "
        "and three characters)\n"
        "7:13 unknown currency \"XXX\"\n");
}
