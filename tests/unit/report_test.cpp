#include "arctl/report.hpp"

#include <doctest/doctest.h>

using namespace arctl;

namespace {
Diagnostic amount_problem() {
  Diagnostic d;
  d.loc = {"books/payments.csv", 14, 23};
  d.code = "amount-syntax";
  d.message = "amount \"12.5O\" is not a number";
  d.excerpt = "PAY-9,2026-01-21,ACME,12.5O,USD,,,,";
  d.span = 5;
  d.hint = "amounts look like 1250.00";
  return d;
}
} // namespace

TEST_CASE("a diagnostic reads like a compiler's, with a caret under the text") {
  CHECK(render_diagnostic(amount_problem(), Style{}) ==
        "books/payments.csv:14:23: error: amount \"12.5O\" is not a number\n"
        " 14 | PAY-9,2026-01-21,ACME,12.5O,USD,,,,\n"
        "    |                       ^^^^^\n"
        "hint: amounts look like 1250.00\n");
}

TEST_CASE("the caret lines up under text after multi-byte characters") {
  auto d = amount_problem();
  d.excerpt = "Café,x";
  d.loc.column = 7; // bytes: "Café," is 6 bytes
  d.span = 1;
  d.hint.clear();
  const auto text = render_diagnostic(d, Style{});
  CHECK(text.find("    |      ^\n") != std::string::npos);
}

TEST_CASE("control characters in the source line do not reach the terminal") {
  auto d = amount_problem();
  d.excerpt = "a\x1b[2Jb";
  CHECK(render_diagnostic(d, Style{}).find('\x1b') == std::string::npos);
}

TEST_CASE("bytes that are not UTF-8 are shown as one '?' each") {
  auto d = amount_problem();
  d.excerpt = "M\xFCller,x";
  d.loc.column = 2;
  d.span = 1;
  d.hint.clear();
  const auto text = render_diagnostic(d, Style{});
  CHECK(text.find(" 14 | M?ller,x\n") != std::string::npos);
  CHECK(text.find("    |  ^\n") != std::string::npos);
}

TEST_CASE("colour is only added when asked for") {
  CHECK(render_diagnostic(amount_problem(), Style{true}).find("\033[") !=
        std::string::npos);
  CHECK(render_diagnostic(amount_problem(), Style{false}).find("\033[") ==
        std::string::npos);
}

TEST_CASE("a diagnostic about a whole file has no line or caret") {
  Diagnostic d;
  d.loc = {"books/notices.csv", 0, 0};
  d.message = "cannot read notices.csv";
  CHECK(render_diagnostic(d, Style{}) ==
        "books/notices.csv: error: cannot read notices.csv\n");
}

TEST_CASE("a table renders in three formats with the same columns") {
  TableData t;
  t.columns = {{"customer"}, {"open", true}};
  t.rows = {{"ACME", "1250.00"}, {"Zoë \"Z\"", "-3.5"}};
  SUBCASE("table: numbers right-aligned, text left-aligned") {
    CHECK(render(t, Format::table) == "customer     open\n"
                                      "--------  -------\n"
                                      "ACME      1250.00\n"
                                      "Zoë \"Z\"      -3.5\n");
  }
  SUBCASE("csv: quoted where needed") {
    CHECK(render(t, Format::csv) ==
          "customer,open\nACME,1250.00\n\"Zoë \"\"Z\"\"\",-3.5\n");
  }
  SUBCASE("json: numbers stay exact decimals, text is escaped") {
    CHECK(render(t, Format::json) ==
          "[\n  {\"customer\": \"ACME\", \"open\": 1250.00},\n"
          "  {\"customer\": \"Zoë \\\"Z\\\"\", \"open\": -3.5}\n]\n");
  }
}

TEST_CASE("formats are parsed by name") {
  CHECK(parse_format("json") == Format::json);
  CHECK_FALSE(parse_format("xml"));
}
