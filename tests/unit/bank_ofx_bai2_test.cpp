#include "arctl/bank/statement.hpp"

#include <doctest/doctest.h>

#include "bank_test_util.hpp"

using namespace arctl;
using arctl::testing::parsed;
using arctl::testing::problems;

namespace {
const char* k_ofx1 =
    "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n"
    "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>CAD<BANKACCTFROM>"
    "<BANKID>16<ACCTID>12300 00012<ACCTTYPE>CHECKING</BANKACCTFROM>\n"
    "<BANKTRANLIST>\n"
    "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20090401122017.000[-5:EST]"
    "<TRNAMT>1250,5<FITID>F1<NAME>ACME &amp; SONS<MEMO>INV-7</STMTTRN>\n"
    "<STMTTRN><TRNTYPE>CHECK<DTPOSTED>20090402<DTAVAIL>20090403"
    "<TRNAMT>-316.67<FITID>F2<CHECKNUM>319<PAYEE><NAME>Joe</PAYEE>"
    "<BANKACCTTO><BANKID>1<ACCTID>999</BANKACCTTO><MEMO></STMTTRN>\n"
    "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
} // namespace

TEST_CASE("OFX 1.x: SGML after its header, values without closing tags") {
  const auto got = parsed(k_ofx1, StatementFormat::ofx);
  REQUIRE(got.size() == 2);
  // A decimal comma is allowed; the account is ACCTID.
  CHECK(got[0] == "2009-04-01 - 1250.50 CAD | ACME & SONS |  | INV-7 |  |  | "
                  "CREDIT | F1");
  CHECK(got[1] == "2009-04-02 2009-04-03 -316.67 CAD | Joe | 999 |  |  | 319 "
                  "| CHECK | F2");
  auto r = parse_ofx(k_ofx1, {"s", true, nullptr, {}});
  REQUIRE(r.has_value());
  CHECK((*r)[0].account == "12300 00012");
  CHECK((*r)[0].line == 7);
}

TEST_CASE("OFX 2.x: XML, CDATA, a transaction in a currency of its own") {
  const auto got = parsed(
      "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"211\"?>\n"
      "<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><CURDEF></CURDEF>\n"
      "<CCACCTFROM><ACCTID>4111</ACCTID></CCACCTFROM><BANKTRANLIST>\n"
      "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20131215</DTPOSTED>"
      "<TRNAMT>-16.85</TRNAMT><FITID></FITID>"
      "<NAME><![CDATA[ALDI <STORE>  ]]></NAME>"
      "<CURRENCY><CURRATE>1.0</CURRATE><CURSYM>AUD</CURSYM></CURRENCY>"
      "</STMTTRN>\n</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS>"
      "</CREDITCARDMSGSRSV1></OFX>\n",
      StatementFormat::ofx);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "2013-12-15 - -16.85 AUD | ALDI <STORE> |  |  |  |  | DEBIT "
                  "| ");
}

TEST_CASE("a truncated or malformed OFX file is an error at its place") {
  CHECK(problems("<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\n"
                 "<BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240101\n"
                 "<TRNAMT>5.00\n",
                 StatementFormat::ofx) ==
        "3:13 the file ends inside <STMTTRN>, opened at line 2\n");
  CHECK(problems("<OFX><STMTRS><CURDEF>USD<BANKTRANLIST>\n"
                 "<STMTTRN><DTPOSTED>2024-01-01<TRNAMT>5,00.1</STMTTRN>\n"
                 "<STMTTRN><TRNAMT>1</STMTTRN>\n"
                 "</BANKTRANLIST></STMTRS></STRMS></OFX>",
                 StatementFormat::ofx) ==
        "2:20 <DTPOSTED> \"2024-01-01\" is not a date\n"
        "3:1 the transaction has no <DTPOSTED>\n"
        "4:25 </STRMS> closes no element\n");
  CHECK(problems("<OFX><STMTRS><CURDEF>USD<BANKTRANLIST>\n"
                 "<STMTTRN><DTPOSTED>2024-01-01<TRNAMT>5.00</STMTTRN>\n"
                 "<STMTTRN><DTPOSTED>20240101<TRNAMT>5,00.1</STMTTRN>\n"
                 "<STMTTRN><TRNAMT>1</STMTTRN>\n"
                 "</BANKTRANLIST></STMTRS></OFX>",
                 StatementFormat::ofx) ==
        "2:20 <DTPOSTED> \"2024-01-01\" is not a date\n"
        "3:36 amount \"5,00.1\" is not a number\n"
        "4:1 the transaction has no <DTPOSTED>\n");
}

namespace {
// One group of one account: two details, totals that add up.
const char* k_bai2 =
    "01,BANK,CUST,240301,0800,1,80,,2/\n"
    "02,CUST,BANK,1,240301,,USD,2/\n"
    "03,12345,,010,100000,,,015,,,/\n"
    "16,195,150000,V,240302,,WIRE-1,INV-7,Incoming wire, ACME Corp/\n"
    "88,paying INV-7/\n"
    "16,475,2550,S,1000,1000,550,CHK-9,319,Check paid/\n"
    "16,142,700,D,2,0,500,1,200,,ACH/\n"
    "49,253250,6/\n"
    "98,253250,1,8/\n"
    "99,253250,1,10/\n";
} // namespace

TEST_CASE(
    "BAI2 details: type codes say credit or debit, funds fields skipped") {
  const auto got = parsed(k_bai2, StatementFormat::bai2);
  REQUIRE(got.size() == 3);
  // The text field takes commas; an 88 record goes on after a space.
  CHECK(got[0] == "2024-03-01 2024-03-02 1500.00 USD |  |  | Incoming wire, "
                  "ACME Corp paying INV-7 |  | INV-7 | 195 | WIRE-1");
  CHECK(got[1] == "2024-03-01 - -25.50 USD |  |  | Check paid |  | 319 | 475 "
                  "| CHK-9");
  // Two distributions of availability, then the references; no text.
  CHECK(got[2] == "2024-03-01 - 7.00 USD |  |  |  |  | ACH | 142 | ");
}

TEST_CASE(
    "BAI2 continuations: fields go on, a full record's text without a space") {
  const std::string full = "16,399,89,,,/";
  const std::string text_line = "88,TFR XBANK INTERNATIONAL-5373 CLIE";
  const std::string pad(80 - text_line.size(), 'X');
  const auto got =
      parsed("01,B,C,240301,0800,1,,,2/\n02,C,B,1,240301,,JPY,2/\n"
             "03,9,,010,5,,\n88,,/\n" +
                 full + "\n" + text_line + pad +
                 "\n88,NT SECCY/\n49,94,6/\n98,94,1,8/\n99,94,1,10/\n",
             StatementFormat::bai2);
  REQUIRE(got.size() == 1);
  // JPY has no decimals.
  CHECK(got[0] == "2024-03-01 - 89 JPY |  |  | TFR XBANK INTERNATIONAL-5373 "
                  "CLIE" +
                      pad + "NT SECCY |  |  | 399 | ");
}

TEST_CASE(
    "BAI2 totals and counts that do not add up are errors at the trailer") {
  std::string text = k_bai2;
  text.replace(text.find("49,253250,6/"), 12, "49,253251,6/");
  CHECK(problems(text, StatementFormat::bai2) ==
        "8:1 the account 12345 control total 253251 is not the sum of the "
        "amounts in it, 253250\n"
        "9:1 the group control total 253250 is not the sum of the amounts in "
        "it, 253251\n");
}

TEST_CASE("BAI2 record counts that do not add up are errors too") {
  std::string text = k_bai2;
  text.replace(text.find("98,253250,1,8/"), 14, "98,253250,2,9/");
  CHECK(problems(text, StatementFormat::bai2) ==
        "9:1 the group trailer counts 9 records, but there are 8\n"
        "9:1 the group trailer counts 2 accounts, but there are 1\n");
}

TEST_CASE("a BAI2 file cut short or out of order is an error") {
  std::string text = k_bai2;
  text.resize(text.find("98,"));
  CHECK(problems(text, StatementFormat::bai2) ==
        "8:1 the file ends without its 99 trailer\n");
  CHECK(problems("01,B,C,240301,0800,1,,,2/\n16,195,1,,,,/\n",
                 StatementFormat::bai2) ==
        "2:1 a 16 record cannot come outside an account\n");
  CHECK(problems("01,B,C,240301,0800,1,,,2/\n02,C,B,1,240301,,USD,2/\n"
                 "03,1,,/\n16,801,1,,,,/\n",
                 StatementFormat::bai2) ==
        "4:1 type code \"801\" is not one of a transaction\n");
}
