#include "arctl/drafts.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace arctl;

namespace {

Error draft_problems(std::string_view text) {
  auto d = parse_invoice_draft(text, "draft.toml");
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error().exit == ExitCode::data);
  return d.error();
}

// The one problem of a draft.
Diagnostic draft_problem(std::string_view text) {
  const auto e = draft_problems(text);
  REQUIRE(e.diagnostics.size() == 1);
  CHECK(e.message == "draft.toml: 1 problem");
  return e.diagnostics[0];
}

Error import_problems(std::string_view text) {
  auto d = parse_invoice_import(text, "import.csv");
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error().exit == ExitCode::data);
  return d.error();
}

Diagnostic import_problem(std::string_view text) {
  const auto e = import_problems(text);
  REQUIRE(e.diagnostics.size() == 1);
  CHECK(e.message == "import.csv: 1 problem");
  return e.diagnostics[0];
}

void check_at(const Origin& o, std::uint32_t line, std::uint32_t column,
              std::uint32_t span, std::string_view excerpt) {
  CHECK(o.option.empty());
  CHECK(o.loc.line == line);
  CHECK(o.loc.column == column);
  CHECK(o.span == span);
  CHECK(o.excerpt == excerpt);
}

void check_at(const Diagnostic& d, std::uint32_t line, std::uint32_t column,
              std::uint32_t span, std::string_view excerpt) {
  CHECK(d.severity == Severity::error);
  CHECK(d.loc.line == line);
  CHECK(d.loc.column == column);
  CHECK(d.span == span);
  CHECK(d.excerpt == excerpt);
}

// A draft whose only line has `qty = QTY`: the quantity as read.
DraftField quantity_of(const std::string& qty) {
  auto d = parse_invoice_draft("customer = \"ACME\"\n[[line]]\nqty = " + qty +
                                   "\nunit_price = 1\n",
                               "draft.toml");
  REQUIRE(d.has_value());
  REQUIRE(d->lines.size() == 1);
  return d->lines[0].quantity;
}

constexpr std::string_view k_full_draft = R"(customer = "ACME"
id = "INV-2026-00100"
date = 2026-11-23
terms = "net 30"
tax = "ST"
discount = "5%"
po = "PO-7"
memo = "Thank you"
total = 123.45

[[line]]
item = "SKU-1"
description = "Widget"
qty = 3
unit_price = 12.50
discount = "10%"
note = "Delivered"

[[line]]
qty = 0.1
unit_price = "99.99"
tax = ""
)";

} // namespace

TEST_CASE("a full draft with two lines is read exactly as written") {
  auto d = parse_invoice_draft(k_full_draft, "draft.toml");
  REQUIRE(d.has_value());
  CHECK(d->customer.text == "ACME");
  CHECK(d->customer.given);
  check_at(d->customer.at, 1, 12, 6, "customer = \"ACME\"");
  CHECK(d->customer.at.loc.file == "draft.toml");
  CHECK(d->id.text == "INV-2026-00100");
  CHECK(d->date.text == "2026-11-23");
  check_at(d->date.at, 3, 8, 10, "date = 2026-11-23");
  CHECK(d->terms.text == "net 30");
  CHECK(d->tax_code.text == "ST");
  CHECK(d->discount.text == "5%");
  CHECK(d->po.text == "PO-7");
  CHECK(d->memo.text == "Thank you");
  CHECK(d->total.text == "123.45");
  check_at(d->total.at, 9, 9, 6, "total = 123.45");

  // Absent values are not given and point at the start of the draft.
  CHECK_FALSE(d->due.given);
  CHECK(d->due.text.empty());
  check_at(d->due.at, 1, 1, 1, "customer = \"ACME\"");
  CHECK(d->due.at.loc.file == "draft.toml");
  check_at(d->at, 1, 1, 1, "customer = \"ACME\"");
  CHECK(d->at.loc.file == "draft.toml");

  REQUIRE(d->lines.size() == 2);
  const auto& first = d->lines[0];
  check_at(first.at, 11, 1, 8, "[[line]]");
  CHECK(first.at.loc.file == "draft.toml");
  CHECK(first.item.text == "SKU-1");
  CHECK(first.description.text == "Widget");
  CHECK(first.quantity.text == "3");
  CHECK(first.quantity.given);
  check_at(first.quantity.at, 14, 7, 1, "qty = 3");
  CHECK(first.unit_price.text == "12.50");
  check_at(first.unit_price.at, 15, 14, 5, "unit_price = 12.50");
  CHECK(first.discount.text == "10%");
  CHECK(first.note.text == "Delivered");
  CHECK_FALSE(first.tax_code.given);
  check_at(first.tax_code.at, 11, 1, 8, "[[line]]");

  const auto& second = d->lines[1];
  check_at(second.at, 19, 1, 8, "[[line]]");
  CHECK(second.quantity.text == "0.1");
  CHECK(second.unit_price.text == "99.99");
  check_at(second.unit_price.at, 21, 14, 7, "unit_price = \"99.99\"");
  // An empty tax code is given: the line is untaxed.
  CHECK(second.tax_code.given);
  CHECK(second.tax_code.text.empty());
  CHECK_FALSE(second.item.given);
  CHECK_FALSE(second.discount.given);
}

TEST_CASE("a draft keeps the literal text of numbers, never their double") {
  SUBCASE("floats") {
    CHECK(quantity_of("12.50").text == "12.50");
    CHECK(quantity_of("0.1").text == "0.1");
    CHECK(quantity_of("-2.5").text == "-2.5");
    CHECK(quantity_of("0.30000000000000004").text == "0.30000000000000004");
    CHECK(quantity_of("123456789012345678.91").text == "123456789012345678.91");
  }
  SUBCASE("integers") {
    CHECK(quantity_of("3").text == "3");
    CHECK(quantity_of("-4").text == "-4");
    CHECK(quantity_of("0").text == "0");
  }
  SUBCASE("a leading plus is dropped") {
    CHECK(quantity_of("+1.5").text == "1.5");
    CHECK(quantity_of("+7").text == "7");
  }
  SUBCASE("a comment after the value is not part of it") {
    const auto q = quantity_of("2.25   # a quarter more");
    CHECK(q.text == "2.25");
    CHECK(q.at.span == 4);
  }
  SUBCASE("strings are taken as they are, to be checked later") {
    CHECK(quantity_of("\"1e3\"").text == "1e3");
    CHECK(quantity_of("\" 12,5 \"").text == " 12,5 ");
  }
}

TEST_CASE("a draft refuses numbers that are not plain decimals") {
  struct Case {
    std::string_view literal;
    std::string_view message;
    std::string_view hint;
  };
  const Case cases[] = {
      {"1e3", "qty 1e3 is written with an exponent",
       "write the number out in full, such as 1000 or 0.001"},
      {"1.5E-2", "qty 1.5E-2 is written with an exponent", ""},
      {"inf", "qty inf is not a number", ""},
      {"-nan", "qty -nan is not a number", ""},
      {"0x1F", "qty 0x1F is not written in decimal",
       "write it in decimal: qty = 31"},
      {"0o17", "qty 0o17 is not written in decimal",
       "write it in decimal: qty = 15"},
      {"0b101", "qty 0b101 is not written in decimal", ""},
      {"1_000", "qty 1_000 has '_' between its digits",
       "write it without '_': qty = 1000"},
      {"-1_000.5", "qty -1_000.5 has '_' between its digits",
       "write it without '_': qty = -1000.5"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.literal);
    const auto d = draft_problem("customer = \"ACME\"\n[[line]]\nqty = " +
                                 std::string(c.literal) + "\nunit_price = 1\n");
    CHECK(d.code == "number-syntax");
    CHECK(d.message == c.message);
    if (!c.hint.empty())
      CHECK(d.hint == c.hint);
    check_at(d, 3, 7, static_cast<std::uint32_t>(c.literal.size()),
             "qty = " + std::string(c.literal));
  }
}

TEST_CASE("a draft with an unknown key is refused at the key") {
  SUBCASE("at the top, with the known keys") {
    const auto d = draft_problem("customer = \"ACME\"\n  colour = \"red\"\n"
                                 "[[line]]\nqty = 1\nunit_price = 1\n");
    CHECK(d.code == "unknown-key");
    CHECK(d.message == "unknown key 'colour'");
    CHECK(d.hint == "known keys here: customer, id, date, terms, due, tax, "
                    "discount, po, memo, total, line");
    check_at(d, 2, 3, 6, "  colour = \"red\"");
  }
  SUBCASE("a line's key above the first line") {
    const auto d = draft_problem("customer = \"ACME\"\nqty = 2\n"
                                 "[[line]]\nqty = 1\nunit_price = 1\n");
    CHECK(d.code == "unknown-key");
    CHECK(d.hint == "'qty' is a key of a line: put it under a [[line]] header");
    check_at(d, 2, 1, 3, "qty = 2");
  }
  SUBCASE("in a line") {
    const auto d = draft_problem("customer = \"ACME\"\n[[line]]\nqty = 1\n"
                                 "unit_price = 1\nprice = 3\n");
    CHECK(d.code == "unknown-key");
    CHECK(d.message == "unknown key 'price' in a line");
    CHECK(d.hint == "known keys in a line: item, description, qty, "
                    "unit_price, discount, tax, note");
    check_at(d, 5, 1, 5, "price = 3");
  }
  SUBCASE("an invoice's key in a line") {
    const auto d = draft_problem("customer = \"ACME\"\n[[line]]\nqty = 1\n"
                                 "unit_price = 1\npo = \"7\"\n");
    CHECK(d.hint == "'po' is a key of the invoice: put it above the first "
                    "[[line]]");
  }
}

TEST_CASE("a draft with a value of the wrong type is refused at the value") {
  SUBCASE("a number where text belongs, with how to quote it") {
    const auto d = draft_problem("customer = 100\n[[line]]\nqty = 1\n"
                                 "unit_price = 1\n");
    CHECK(d.code == "wrong-type");
    CHECK(d.message == "'customer' must be a string, not an integer");
    CHECK(d.hint == "put it in quotes: customer = \"100\"");
    check_at(d, 1, 12, 3, "customer = 100");
  }
  SUBCASE("a boolean for qty") {
    const auto d = draft_problem("customer = \"ACME\"\n[[line]]\nqty = true\n"
                                 "unit_price = 1\n");
    CHECK(d.code == "wrong-type");
    CHECK(d.message ==
          "'qty' must be a number such as 12.50 or a string, not a boolean");
    check_at(d, 3, 7, 4, "qty = true");
  }
  SUBCASE("a date and time for a date") {
    const auto d = draft_problem("customer = \"ACME\"\ndate = "
                                 "2026-11-23T10:00:00\n[[line]]\nqty = 1\n"
                                 "unit_price = 1\n");
    CHECK(d.code == "wrong-type");
    CHECK(d.message ==
          "'date' must be a date such as 2026-11-23, not a date and time");
    check_at(d, 2, 8, 19, "date = 2026-11-23T10:00:00");
  }
  SUBCASE("a table where a value belongs") {
    const auto d = draft_problem("memo = { text = \"x\" }\n"
                                 "customer = \"ACME\"\n[[line]]\nqty = 1\n"
                                 "unit_price = 1\n");
    CHECK(d.code == "wrong-type");
    CHECK(d.message == "'memo' must be a string, not a table");
    check_at(d, 1, 8, 14, "memo = { text = \"x\" }");
  }
  SUBCASE("a table header for a value") {
    const auto d = draft_problem("[[line]]\nqty = 1\nunit_price = 1\n"
                                 "[customer]\nid = \"ACME\"\n");
    CHECK(d.code == "wrong-type");
    CHECK(d.message == "'customer' must be a string, not a table");
    check_at(d, 4, 1, 10, "[customer]");
  }
  SUBCASE("a single [line] table") {
    const auto d = draft_problem("customer = \"ACME\"\n[line]\nqty = 1\n"
                                 "unit_price = 1\n");
    CHECK(d.code == "wrong-type");
    CHECK(d.message == "'line' must be an array of tables, not a table");
    check_at(d, 2, 1, 6, "[line]");
  }
  SUBCASE("an array of numbers for line") {
    const auto d = draft_problem("customer = \"ACME\"\nline = [1]\n");
    CHECK(d.code == "wrong-type");
    CHECK(d.message == "'line' must be a table, not an integer");
    check_at(d, 2, 9, 1, "line = [1]");
  }
}

TEST_CASE("a draft line may be an inline table") {
  auto d = parse_invoice_draft(
      "customer = \"ACME\"\nline = [{ qty = 2, unit_price = 9.90 }]\n",
      "draft.toml");
  REQUIRE(d.has_value());
  REQUIRE(d->lines.size() == 1);
  CHECK(d->lines[0].quantity.text == "2");
  CHECK(d->lines[0].unit_price.text == "9.90");
  check_at(d->lines[0].unit_price.at, 2, 33, 4,
           "line = [{ qty = 2, unit_price = 9.90 }]");
  CHECK(d->lines[0].at.loc.column == 9);
}

TEST_CASE("a draft without customer or lines is refused at its start") {
  SUBCASE("an empty draft") {
    const auto e = draft_problems("");
    CHECK(e.message == "draft.toml: 2 problems");
    REQUIRE(e.diagnostics.size() == 2);
    CHECK(e.diagnostics[0].code == "missing-key");
    CHECK(e.diagnostics[0].message == "the draft has no customer");
    CHECK(e.diagnostics[1].code == "no-lines");
    CHECK(e.diagnostics[1].message == "the draft has no lines");
    for (const auto& d : e.diagnostics)
      check_at(d, 1, 1, 1, "");
  }
  SUBCASE("no customer") {
    const auto d =
        draft_problem("# for ACME\n[[line]]\nqty = 1\nunit_price = 1\n");
    CHECK(d.code == "missing-key");
    check_at(d, 1, 1, 1, "# for ACME");
  }
  SUBCASE("no [[line]]") {
    const auto d = draft_problem("customer = \"ACME\"\n");
    CHECK(d.code == "no-lines");
    check_at(d, 1, 1, 1, "customer = \"ACME\"");
  }
  SUBCASE("an empty array of lines") {
    const auto d = draft_problem("customer = \"ACME\"\nline = []\n");
    CHECK(d.code == "no-lines");
    check_at(d, 2, 8, 2, "line = []");
  }
}

TEST_CASE("a draft line without qty or unit_price is refused at its header") {
  const auto e = draft_problems("customer = \"ACME\"\n[[line]]\nqty = 1\n"
                                "unit_price = 1\n\n  [[line]]\nitem = \"X\"\n");
  REQUIRE(e.diagnostics.size() == 2);
  CHECK(e.diagnostics[0].code == "missing-key");
  CHECK(e.diagnostics[0].message == "this line has no qty");
  CHECK(e.diagnostics[0].hint == "add qty = 1 under [[line]]");
  check_at(e.diagnostics[0], 6, 3, 8, "  [[line]]");
  CHECK(e.diagnostics[1].message == "this line has no unit_price");
  check_at(e.diagnostics[1], 6, 3, 8, "  [[line]]");
}

TEST_CASE("a draft with both terms and due is refused at due") {
  const auto d = draft_problem("customer = \"ACME\"\nterms = \"net 30\"\n"
                               "due = \"2026-12-23\"\n[[line]]\nqty = 1\n"
                               "unit_price = 1\n");
  CHECK(d.code == "terms-and-due");
  CHECK(d.message == "terms and due exclude each other");
  check_at(d, 3, 7, 12, "due = \"2026-12-23\"");
}

TEST_CASE("a draft's dates may be strings") {
  auto d = parse_invoice_draft("customer = \"ACME\"\ndate = \"2026-11-23\"\n"
                               "due = 2026-12-23\n[[line]]\nqty = 1\n"
                               "unit_price = 1\n",
                               "draft.toml");
  REQUIRE(d.has_value());
  CHECK(d->date.text == "2026-11-23");
  CHECK(d->due.text == "2026-12-23");
  CHECK(d->due.given);
}

TEST_CASE("a draft with a TOML syntax error is refused at its line and "
          "column") {
  const auto d = draft_problem("customer = \"ACME\"\n[[line]]\nqty = 1 2\n");
  CHECK(d.code == "draft-syntax");
  CHECK(d.message.find("saw '2'") != std::string::npos);
  check_at(d, 3, 9, 1, "qty = 1 2");
  CHECK(d.loc.file == "draft.toml");
}

TEST_CASE("a draft reports all its problems at once, in the order of the "
          "file") {
  const auto e = draft_problems("customer = 7\nterms = \"net 30\"\n"
                                "due = 2026-12-23\nfoo = 1\n[[line]]\n"
                                "qty = 1e3\nunit_price = inf\nbar = 2\n");
  CHECK(e.message == "draft.toml: 6 problems");
  REQUIRE(e.diagnostics.size() == 6);
  const char* codes[] = {"wrong-type",    "terms-and-due", "unknown-key",
                         "number-syntax", "number-syntax", "unknown-key"};
  const std::uint32_t lines[] = {1, 3, 4, 6, 7, 8};
  for (std::size_t i = 0; i < 6; ++i) {
    CAPTURE(i);
    CHECK(e.diagnostics[i].code == codes[i]);
    CHECK(e.diagnostics[i].loc.line == lines[i]);
    CHECK(e.diagnostics[i].loc.file == "draft.toml");
  }
}

TEST_CASE("a draft counts columns in bytes and accepts a byte-order mark and "
          "CRLF") {
  SUBCASE("byte columns after letters beyond ASCII") {
    const auto d = draft_problem(
        "customer = \"Müller\"\nline = [{ description = \"Ärger €\", "
        "qty = 1e3, unit_price = 1 }]\n");
    CHECK(d.code == "number-syntax");
    // "Ä" is 2 bytes and "€" 3: 1e3 is the 42nd character but starts at
    // byte 45.
    check_at(d, 2, 45, 3,
             "line = [{ description = \"Ärger €\", qty = 1e3, unit_price = "
             "1 }]");
  }
  SUBCASE("a byte-order mark and CRLF") {
    auto d = parse_invoice_draft("\xEF\xBB\xBF"
                                 "customer = \"Müller\"\r\n[[line]]\r\n"
                                 "qty = 1.50\r\nunit_price = 2\r\n",
                                 "<stdin>");
    REQUIRE(d.has_value());
    CHECK(d->customer.text == "Müller");
    check_at(d->customer.at, 1, 12, 9, "customer = \"Müller\"");
    CHECK(d->customer.at.loc.file == "<stdin>");
    CHECK(d->lines[0].quantity.text == "1.50");
    check_at(d->lines[0].quantity.at, 3, 7, 4, "qty = 1.50");
  }
}

TEST_CASE("a draft that is not UTF-8 is refused at the bad byte") {
  const auto d = draft_problem("customer = \"ACME\"\nmemo = \"caf\xE9\"\n");
  CHECK(d.code == "encoding");
  CHECK(d.message == "byte 0xE9 is not valid UTF-8");
  check_at(d, 2, 12, 1, "memo = \"caf\xE9\"");
}

// ---------------------------------------------------------------------------

TEST_CASE("an import reads two invoices of two and one lines") {
  const std::string text =
      "invoice,customer,date,terms,tax,qty,unit_price,description,tax_code,"
      "total\n"
      "INV-1,ACME,2026-11-01,net 30,ST,2,12.50,\"Widget, large\",,30.00\n"
      "INV-1,,,,,1,5.00,Screws,none,\n"
      "INV-2,BETA,2026-11-02,,,3,1.10,Nails,,3.30\n";
  auto d = parse_invoice_import(text, "import.csv");
  REQUIRE(d.has_value());
  REQUIRE(d->size() == 2);

  const auto& one = (*d)[0];
  CHECK(one.id.text == "INV-1");
  CHECK(one.id.given);
  check_at(one.id.at, 2, 1, 5,
           "INV-1,ACME,2026-11-01,net 30,ST,2,12.50,\"Widget, large\",,"
           "30.00");
  CHECK(one.customer.text == "ACME");
  check_at(one.customer.at, 2, 7, 4,
           "INV-1,ACME,2026-11-01,net 30,ST,2,12.50,\"Widget, large\",,"
           "30.00");
  CHECK(one.date.text == "2026-11-01");
  CHECK(one.terms.text == "net 30");
  CHECK(one.tax_code.text == "ST");
  CHECK(one.total.text == "30.00");
  CHECK_FALSE(one.due.given); // no column: the invoice's first row
  CHECK(one.due.at.loc.line == 2);
  CHECK(one.due.at.loc.column == 1);
  CHECK_FALSE(one.po.given);
  CHECK(one.at.loc.line == 2);
  CHECK(one.at.loc.file == "import.csv");
  REQUIRE(one.lines.size() == 2);
  CHECK(one.lines[0].quantity.text == "2");
  CHECK(one.lines[0].unit_price.text == "12.50");
  CHECK(one.lines[0].description.text == "Widget, large");
  // A quoted cell's span covers its quotes.
  CHECK(one.lines[0].description.at.loc.column == 41);
  CHECK(one.lines[0].description.at.span == 15);
  // An empty cell is not given, and points at itself.
  CHECK_FALSE(one.lines[0].tax_code.given);
  CHECK(one.lines[0].tax_code.at.loc.column == 57);
  CHECK(one.lines[0].tax_code.at.span == 1);
  CHECK(one.lines[0].at.loc.line == 2);
  CHECK(one.lines[1].quantity.text == "1");
  CHECK(one.lines[1].unit_price.text == "5.00");
  CHECK(one.lines[1].tax_code.text == "none");
  check_at(one.lines[1].unit_price.at, 3, 13, 4,
           "INV-1,,,,,1,5.00,Screws,none,");
  CHECK(one.lines[1].at.loc.line == 3);

  const auto& two = (*d)[1];
  CHECK(two.id.text == "INV-2");
  CHECK(two.customer.text == "BETA");
  CHECK_FALSE(two.terms.given);
  CHECK(two.total.text == "3.30");
  REQUIRE(two.lines.size() == 1);
  CHECK(two.lines[0].description.text == "Nails");
  CHECK(two.at.loc.line == 4);
}

TEST_CASE("an import line with only an amount is quantity 1 at that price") {
  auto d = parse_invoice_import("customer,amount,invoice,qty,unit_price\n"
                                "ACME,250.00,INV-9,,\n",
                                "import.csv");
  REQUIRE(d.has_value());
  REQUIRE(d->size() == 1);
  const auto& line = (*d)[0].lines.at(0);
  CHECK(line.quantity.text == "1");
  CHECK(line.quantity.given);
  CHECK(line.unit_price.text == "250.00");
  CHECK(line.unit_price.given);
  CHECK(line.is_amount);
  check_at(line.unit_price.at, 2, 6, 6, "ACME,250.00,INV-9,,");
  check_at(line.quantity.at, 2, 6, 6, "ACME,250.00,INV-9,,");

  SUBCASE("without qty and unit_price columns too") {
    auto e = parse_invoice_import("invoice,customer,amount\nINV-9,ACME,7\n",
                                  "import.csv");
    REQUIRE(e.has_value());
    CHECK(e->at(0).lines.at(0).unit_price.text == "7");
  }
}

TEST_CASE("an import line with amount and qty is refused") {
  const auto d = import_problem("invoice,customer,qty,unit_price,amount\n"
                                "INV-1,ACME,2,,10.00\n");
  CHECK(d.code == "amount-and-quantity");
  CHECK(d.message == "amount excludes qty and unit_price");
  check_at(d, 2, 15, 5, "INV-1,ACME,2,,10.00");
}

TEST_CASE("an import line without qty or unit_price is refused at the cell") {
  const auto e = import_problems("invoice,customer,qty,unit_price\n"
                                 "INV-1,ACME,,3\nINV-2,ACME,1,\n");
  REQUIRE(e.diagnostics.size() == 2);
  CHECK(e.diagnostics[0].code == "missing-value");
  CHECK(e.diagnostics[0].message == "qty is empty");
  check_at(e.diagnostics[0], 2, 12, 1, "INV-1,ACME,,3");
  CHECK(e.diagnostics[1].message == "unit_price is empty");
  check_at(e.diagnostics[1], 3, 14, 1, "INV-2,ACME,1,");
}

TEST_CASE("an import whose invoice rows are not consecutive is refused") {
  const auto d = import_problem("invoice,customer,amount\n"
                                "INV-1,ACME,1\nINV-2,ACME,2\nINV-1,,3\n");
  CHECK(d.code == "invoice-not-consecutive");
  CHECK(d.message ==
        "invoice \"INV-1\" started on line 2, before other invoices");
  check_at(d, 4, 1, 5, "INV-1,,3");
}

TEST_CASE("an import row that changes an invoice's value is refused") {
  const auto e = import_problems("invoice,customer,total,po,amount\n"
                                 "INV-1,ACME,3.00,,1\n"
                                 "INV-1,ACME,,,1\n"
                                 "INV-1,,4.00,PO-7,1\n");
  REQUIRE(e.diagnostics.size() == 2);
  CHECK(e.diagnostics[0].code == "value-differs");
  CHECK(e.diagnostics[0].message ==
        "total \"4.00\" differs from line 2, which gives \"3.00\"");
  check_at(e.diagnostics[0], 4, 8, 4, "INV-1,,4.00,PO-7,1");
  CHECK(e.diagnostics[1].code == "value-differs");
  CHECK(e.diagnostics[1].message ==
        "po \"PO-7\" differs from line 2, which leaves it empty");
  check_at(e.diagnostics[1], 4, 13, 4, "INV-1,,4.00,PO-7,1");
}

TEST_CASE("an import with an unknown or repeated column is refused at the "
          "header") {
  SUBCASE("unknown") {
    const auto d = import_problem("invoice,customer,colour,amount\n"
                                  "INV-1,ACME,red,1\n");
    CHECK(d.code == "unknown-column");
    CHECK(d.message == "unknown column \"colour\"");
    CHECK(d.hint.starts_with("known columns: invoice, customer, date,"));
    check_at(d, 1, 18, 6, "invoice,customer,colour,amount");
  }
  SUBCASE("repeated") {
    const auto d = import_problem("invoice,customer,amount,customer\n"
                                  "INV-1,ACME,1,ACME\n");
    CHECK(d.code == "duplicate-column");
    CHECK(d.message == "column \"customer\" appears twice");
    check_at(d, 1, 25, 8, "invoice,customer,amount,customer");
  }
  SUBCASE("customer missing") {
    const auto d = import_problem("invoice,amount\nINV-1,1\n");
    CHECK(d.code == "missing-column");
    CHECK(d.message == "required column \"customer\" is missing");
    check_at(d, 1, 1, 14, "invoice,amount");
  }
  SUBCASE("neither amount nor unit_price") {
    const auto d = import_problem("invoice,customer,qty\nINV-1,ACME,1\n");
    CHECK(d.code == "missing-column");
    CHECK(d.message == "column \"unit_price\" is missing");
  }
}

TEST_CASE("an import invoice with an empty customer is refused") {
  const auto d = import_problem("invoice,customer,amount\n"
                                "INV-1,,1\nINV-1,ACME,2\n");
  CHECK(d.code == "missing-value");
  CHECK(d.message == "customer is empty on the invoice's first row");
  check_at(d, 2, 7, 1, "INV-1,,1");
}

TEST_CASE("an import with CRLF line endings and a byte-order mark reads as "
          "with LF") {
  auto d = parse_invoice_import("\xEF\xBB\xBF"
                                "invoice,customer,qty,unit_price\r\n"
                                "INV-1,ACME,1,2.50\r\n"
                                "INV-1,ACME,2,\"3.00\"\r\n",
                                "import.csv");
  REQUIRE(d.has_value());
  REQUIRE(d->size() == 1);
  const auto& inv = (*d)[0];
  CHECK(inv.customer.text == "ACME");
  REQUIRE(inv.lines.size() == 2);
  CHECK(inv.lines[0].unit_price.text == "2.50");
  check_at(inv.lines[0].unit_price.at, 2, 14, 4, "INV-1,ACME,1,2.50");
  CHECK(inv.lines[1].unit_price.text == "3.00");
  check_at(inv.lines[1].unit_price.at, 3, 14, 6, "INV-1,ACME,2,\"3.00\"");

  SUBCASE("an error in the header points past the byte-order mark") {
    const auto e =
        import_problem("\xEF\xBB\xBF"
                       "invoice,customer,amount,amt\r\nINV-1,ACME,1,\r\n");
    CHECK(e.code == "unknown-column");
    check_at(e, 1, 25, 3, "invoice,customer,amount,amt");
  }
}

TEST_CASE("an import with no invoices is refused") {
  SUBCASE("an empty file") {
    const auto d = import_problem("");
    CHECK(d.code == "no-invoices");
    CHECK(d.message == "no invoices to import");
    check_at(d, 1, 1, 1, "");
  }
  SUBCASE("a header only") {
    const auto d = import_problem("invoice,customer,amount\n\n");
    CHECK(d.code == "no-invoices");
    CHECK(d.loc.line == 1);
    CHECK(d.loc.file == "import.csv");
  }
}

TEST_CASE("an import reports every problem at once") {
  const auto e = import_problems("invoice,customer,amount,qty\n"
                                 "INV-1,ACME,1,2\n"
                                 ",ACME,1,\n"
                                 "INV-2,AC\"ME,1,\n"
                                 "INV-3,ACME,1\n"
                                 "INV-4,,5,\n");
  CHECK(e.message == "import.csv: 5 problems");
  REQUIRE(e.diagnostics.size() == 5);
  CHECK(e.diagnostics[0].code == "amount-and-quantity");
  CHECK(e.diagnostics[0].loc.line == 2);
  CHECK(e.diagnostics[1].code == "missing-value");
  CHECK(e.diagnostics[1].message == "invoice is empty");
  CHECK(e.diagnostics[1].loc.line == 3);
  CHECK(e.diagnostics[2].code == "csv-syntax");
  CHECK(e.diagnostics[2].loc.line == 4);
  CHECK(e.diagnostics[2].loc.file == "import.csv");
  CHECK(e.diagnostics[3].code == "field-count");
  CHECK(e.diagnostics[3].loc.line == 5);
  CHECK(e.diagnostics[4].code == "missing-value");
  CHECK(e.diagnostics[4].loc.line == 6);
}

TEST_CASE("an import that is not UTF-8 is refused at the bad byte") {
  const auto d = import_problem("invoice,customer,amount\n"
                                "INV-1,Caf\xE9,1\n");
  CHECK(d.code == "encoding");
  CHECK(d.message == "byte 0xE9 is not valid UTF-8");
  check_at(d, 2, 10, 1, "INV-1,Caf\xE9,1");
}

TEST_CASE("a draft with letters beyond ASCII outside quotes is refused "
          "before toml++ reads them") {
  SUBCASE("a name left unquoted") {
    const auto d = draft_problem("customer = Müller\n[[line]]\nqty = 1\n"
                                 "unit_price = 1\n");
    CHECK(d.code == "draft-syntax");
    CHECK(d.message == "unexpected character 'ü'");
    CHECK(d.hint == "keys are ASCII letters, digits, '_' and '-'; other text "
                    "goes in quotes: memo = \"ü\"");
    check_at(d, 1, 13, 2, "customer = Müller");
  }
  SUBCASE("after a number, even in quotes") {
    const auto d = draft_problem("customer = \"ACME\"\n[[line]]\nqty = 3'é'\n"
                                 "unit_price = 1\n");
    CHECK(d.message == "unexpected character 'é'");
    check_at(d, 3, 9, 2, "qty = 3'é'");
  }
  SUBCASE("a line joined by a backslash") {
    const auto d = draft_problem("customer = \"ACME\"\nmemo = \"\"\"Dear \\\n"
                                 "  Émile\"\"\"\n[[line]]\nqty = 1\n"
                                 "unit_price = 1\n");
    CHECK(d.message ==
          "a line joined by a line-ending backslash cannot start with 'É'");
    check_at(d, 3, 3, 2, "  Émile\"\"\"");
  }
  SUBCASE("an earlier syntax error is still the one reported") {
    const auto d = draft_problem("id = = 1\ncustomer = Müller\n");
    CHECK(d.code == "draft-syntax");
    CHECK(d.loc.line == 1);
  }
  SUBCASE("in strings, keys in quotes and comments they are text") {
    auto d = parse_invoice_draft(
        "# Rechnung für Jürgen\ncustomer = \"Jürgen\" # é\n"
        "memo = \"\"\"Grüße,\\\n  \\u00C9mile \\\\ ü\"\"\"\"\n"
        "po = '''§'''\n[[line]]\nqty = 1\nunit_price = 1\n"
        "\"beschreibung_für\" = 'x'\n",
        "draft.toml");
    REQUIRE_FALSE(d.has_value());
    REQUIRE(d.error().diagnostics.size() == 1);
    CHECK(d.error().diagnostics[0].message ==
          "unknown key 'beschreibung_für' in a line");
    check_at(d.error().diagnostics[0], 9, 1, 19, "\"beschreibung_für\" = 'x'");
  }
}
