#include "arctl/render.hpp"

#include "temp_books.hpp"
#include "template_tags.hpp"

#include <doctest/doctest.h>

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

using namespace arctl;
using arctl::testing::day;
using arctl::testing::TempBooks;
using arctl::testing::template_tags;

namespace {

Currency usd() { return *find_currency("USD"); }
Money usd(std::int64_t minor) { return {minor, usd()}; }
Decimal dec(const char* text) { return *parse_decimal(text); }

// INV-2026-0042 to SMITH: twelve months of service, untaxed, and two
// switches less a discount with Texas sales tax and a note; 1,000.00 paid.
struct Fixture {
  TempBooks b{"\n[tax.ST]\nrate = \"8.25\"\ninclusive = false\n"
              "description = \"Texas sales tax 8.25%\"\n"};
  std::unique_ptr<Books> books;
  std::string customer_name;
  InvoiceDocument doc;

  Fixture() {
    b.add("customers.csv",
          "SMITH,\"Smith & <b>Sons</b> \"\"x\"\" 'y'\",ap@smith.example,USD,"
          "net 30,,74-1234567,\"12 Elm St\nAustin, TX 78701\",\n");
    b.add("invoices.csv", "INV-2026-0042,SMITH,2026-05-04,2026-06-03,USD,"
                          "net 30,3029.10,185.55,3214.65,PO-778,"
                          "Hardware and services for May 2026\n");
    books = b.load();
    books->config.company_name = "Bluebonnet Office & IT Services LLC";
    books->config.company_address =
        "2401 E 6th St, Suite 120\nAustin, TX 78702";
    books->config.company_email = "ar@bluebonnet-it.example";
    books->config.company_phone = "+1 512 555 0142";
    books->config.company_tax_id = "88-3154207";

    const TaxCode* st = books->config.find_tax_code("ST");
    REQUIRE(st != nullptr);
    doc.books = books.get();
    doc.index = 0;
    doc.invoice = &books->invoices[0];
    doc.customer = &books->customers[0];
    InvoiceLine service;
    service.number = 1;
    service.item = "SVC-MSP";
    service.description = "Managed IT services, 12 seats, May 2026";
    service.quantity = dec("12");
    service.unit_price = dec("65");
    service.discount = usd(0);
    service.amount = usd(78000);
    service.tax = usd(0);
    InvoiceLine switches;
    switches.number = 2;
    switches.item = "HW-SW24";
    switches.description = "24-port gigabit switch, rack-mountable, with "
                           "five years of next-business-day replacement";
    switches.note = "Serial numbers on the delivery note";
    switches.quantity = dec("2");
    switches.unit_price = dec("1249.50");
    switches.discount = usd(24990);
    switches.amount = usd(224910);
    switches.code = st;
    switches.tax = usd(18555);
    doc.lines = {service, switches};
    doc.taxes = {{st, usd(224910), usd(18555)}};
    doc.as_of = day("2026-05-20");
    doc.state.issued = true;
    doc.state.paid = 100000;
    doc.state.open = 221465;
    doc.status = InvoiceStatus::open;
  }

  std::string render(DocumentFormat format) const {
    auto out = render_invoice(doc, format);
    if (!out)
      FAIL(out.error().message);
    return *out;
  }
};

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::size_t widest_line(std::string_view text) {
  std::size_t widest = 0, width = 0;
  for (const char ch : text) {
    if (ch == '\n') {
      widest = std::max(widest, width);
      width = 0;
    } else if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) {
      ++width;
    }
  }
  return std::max(widest, width);
}

} // namespace

TEST_CASE("render: a text invoice has its lines, discount, tax, note and "
          "totals aligned in 78 columns") {
  Fixture f;
  const std::string text = f.render(DocumentFormat::text);
  CHECK(contains(text, "INVOICE INV-2026-0042"));
  CHECK(contains(text, "Bluebonnet Office & IT Services LLC\n"
                       "2401 E 6th St, Suite 120\nAustin, TX 78702\n"));
  CHECK(contains(text, "Bill to       Smith & <b>Sons</b> \"x\" 'y'\n"
                       "              12 Elm St\n"
                       "              Austin, TX 78701\n"));
  CHECK(contains(text, "PO number     PO-778\n"));
  CHECK(contains(text, "Due date      2026-06-03\n"));
  // The columns: quantity, unit price with the currency's decimals,
  // discount, tax code, amount.
  CHECK(contains(text, "\n1  Managed IT services, 12 seats,     12       "
                       "65.00                    780.00\n"
                       "   May 2026 (SVC-MSP)\n"));
  CHECK(contains(text, "\n2  24-port gigabit switch,             2    "
                       "1,249.50    249.90  ST    2,249.10\n"));
  CHECK(contains(text, "   Note: Serial numbers on the\n   delivery note\n"));
  CHECK(contains(text, "\n#  Description                       Qty  "
                       "Unit price  Discount  Tax     Amount\n"));
  CHECK(contains(text, "Texas sales tax 8.25% on 2,249.10     185.55\n"));
  CHECK(contains(text, "Subtotal   3,029.10\n"));
  CHECK(contains(text, "Total USD   3,214.65\n"));
  CHECK(contains(text, "Payments and credits  -1,000.00\n"));
  CHECK(contains(text, "Amount due USD   2,214.65\n"));
  CHECK(contains(text, "Notes\nHardware and services for May 2026\n"));
  CHECK(contains(text,
                 "balance as of 2026-05-20.\nPlease quote "
                 "INV-2026-0042 with your payment, due by 2026-06-03.\n"));
  CHECK_FALSE(contains(text, "VOID"));
  CHECK_FALSE(contains(text, "&amp;"));
  CHECK(widest_line(text) <= 78);

  SUBCASE("every row of the table ends in the same column") {
    const auto end_of = [&](std::string_view part) {
      const auto at = text.find(part);
      REQUIRE(at != std::string::npos);
      const auto line_start = text.rfind('\n', at) + 1;
      return text.find('\n', at) - line_start;
    };
    const auto amount_end = end_of("780.00\n");
    CHECK(end_of("2,249.10\n") == amount_end);
    CHECK(end_of("Subtotal   3,029.10") == amount_end);
    CHECK(end_of("185.55\n") == amount_end);
    CHECK(end_of("Amount due USD   2,214.65") == amount_end);
    CHECK(end_of("-1,000.00\n") == amount_end);
    CHECK(end_of("Amount\n") == amount_end);
  }
  SUBCASE("a long description wraps inside its column, the item code after "
          "it") {
    CHECK(contains(text, "\n   rack-mountable, with five years\n"
                         "   of next-business-day replacement\n"
                         "   (HW-SW24)\n"));
  }
  SUBCASE("the amount due is ruled off like a sum") {
    CHECK(contains(text, std::string(69, ' ') + "---------\n" +
                             std::string(53, ' ') +
                             "Amount due USD   2,214.65\n" +
                             std::string(69, ' ') + "=========\n"));
  }
}

TEST_CASE("render: an HTML invoice is one self-contained printable page") {
  Fixture f;
  const std::string html = f.render(DocumentFormat::html);
  CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(contains(html, "<meta charset=\"utf-8\">"));
  CHECK(contains(html, "@page"));
  CHECK(contains(html, "@media print"));
  CHECK_FALSE(contains(html, "<script"));
  CHECK_FALSE(contains(html, "src="));
  CHECK_FALSE(contains(html, "href="));
  CHECK(contains(html, "<p class=\"number\">INV-2026-0042</p>"));
  CHECK(contains(html, "Bluebonnet Office &amp; IT Services LLC"));
  CHECK(contains(html, "<td class=\"num\">1,249.50</td>"));
  CHECK(contains(html, "<td class=\"num\">−249.90</td>"));
  CHECK(contains(html, "<th class=\"num\">Discount</th>"));
  CHECK(contains(html, "<td>ST</td>"));
  CHECK(contains(html, "Serial numbers on the delivery note"));
  CHECK(contains(html, "8.25% on 2,249.10"));
  CHECK(contains(html, "<td class=\"num\">3,214.65</td>"));
  CHECK(contains(html, "<tr class=\"due\"><td>Amount due USD</td>"
                       "<td class=\"num\">2,214.65</td></tr>"));
  CHECK_FALSE(contains(html, "badge void"));
  CHECK_FALSE(contains(html, "badge disputed"));
  CHECK(html.ends_with("</html>\n"));

  SUBCASE("without discounts or taxes those columns are left out") {
    f.doc.lines.pop_back();
    f.doc.taxes.clear();
    const std::string plain = f.render(DocumentFormat::html);
    CHECK_FALSE(contains(plain, "Discount</th>"));
    CHECK_FALSE(contains(plain, "<th>Tax</th>"));
    const std::string text = f.render(DocumentFormat::text);
    CHECK_FALSE(contains(text, "Discount"));
  }
}

TEST_CASE("render: a hostile customer name is escaped in HTML and printed "
          "as it is in text, without control characters") {
  Fixture f;
  const std::string html = f.render(DocumentFormat::html);
  CHECK(contains(html, "Smith &amp; &lt;b&gt;Sons&lt;/b&gt; &quot;x&quot; "
                       "&#39;y&#39;"));
  CHECK_FALSE(contains(html, "<b>Sons"));
  CHECK_FALSE(contains(html, "'y'"));

  const std::string text = f.render(DocumentFormat::text);
  CHECK(contains(text, "Smith & <b>Sons</b> \"x\" 'y'"));

  f.customer_name = "Evil\x1b]0;owned\x07 Corp\x1b[2J\x7f\r\xC2\x9B"
                    "1m\xFF";
  f.books->customers[0].name = f.customer_name;
  const auto clean_of_controls = [](std::string_view out) {
    for (const char ch : out) {
      const auto b = static_cast<unsigned char>(ch);
      if ((b < 0x20 && ch != '\n') || b == 0x7f)
        return false;
    }
    return !contains(out, "\xC2\x9B") && !contains(out, "\xFF");
  };
  const std::string hostile_text = f.render(DocumentFormat::text);
  CHECK(contains(hostile_text, "Evil]0;owned Corp[2J1m\xEF\xBF\xBD"));
  CHECK(clean_of_controls(hostile_text));
  const std::string hostile_html = f.render(DocumentFormat::html);
  CHECK(contains(hostile_html, "Evil]0;owned Corp[2J1m"));
  CHECK(clean_of_controls(hostile_html));

  SUBCASE("even a template that asks for unescaped values gets no controls") {
    auto out = render_invoice_with(f.doc, DocumentFormat::text,
                                   "{{{customer.name}}}|{{&customer.name}}",
                                   "mine.mustache");
    REQUIRE(out.has_value());
    CHECK(clean_of_controls(*out));
  }
}

TEST_CASE("render: amounts are grouped by thousands") {
  Fixture f;
  f.doc.lines[0].quantity = dec("1500");
  f.doc.lines[0].unit_price = dec("0.125");
  f.doc.lines[0].amount = usd(18750);
  f.books->invoices[0].total = 123456789012;
  f.doc.state.open = 123456689012;
  const std::string text = f.render(DocumentFormat::text);
  CHECK(contains(text, "1,500"));
  CHECK(contains(text, "0.125"));
  CHECK(contains(text, "Total USD  1,234,567,890.12\n"));
  CHECK(contains(text, "Amount due USD  1,234,566,890.12\n"));
  CHECK(widest_line(text) <= 78);
  const std::string html = f.render(DocumentFormat::html);
  CHECK(contains(html, "<td class=\"num\">1,234,567,890.12</td>"));
}

TEST_CASE("render: a void invoice is marked VOID and owes nothing") {
  Fixture f;
  f.doc.state = {};
  f.doc.state.issued = true;
  f.doc.state.void_ = true;
  f.doc.status = InvoiceStatus::void_;
  const std::string text = f.render(DocumentFormat::text);
  CHECK(contains(text, "*** VOID"));
  CHECK(contains(text, "Amount due USD      0.00\n"));
  CHECK(contains(text, "=\nINVOICE INV-2026-0042\n====="));
  CHECK_FALSE(contains(text, "Payments and credits"));
  CHECK_FALSE(contains(text, "Please quote"));
  const std::string html = f.render(DocumentFormat::html);
  CHECK(contains(html, "<span class=\"badge void\">Void</span>"));
  CHECK(contains(html, "class=\"watermark\""));
  CHECK(contains(html, "This invoice has been voided."));
}

TEST_CASE("render: a disputed invoice says so and how much is in dispute") {
  Fixture f;
  f.doc.state.disputed = true;
  f.doc.state.disputed_part = 50000;
  const std::string text = f.render(DocumentFormat::text);
  CHECK(contains(text, "*** DISPUTED: 500.00 USD under review ***"));
  const std::string html = f.render(DocumentFormat::html);
  CHECK(contains(html, "<span class=\"badge disputed\">Disputed</span>"));
}

TEST_CASE("render: the books' own template is used when there is one") {
  Fixture f;
  std::filesystem::create_directories(f.b.path() / "templates");
  f.b.write("templates/invoice.txt.mustache",
            "\xEF\xBB\xBF{{invoice.id}} for {{customer.name}}: "
            "{{amount_due}} {{invoice.currency}}"
            "{{#lines}}\n{{number}} {{description}}{{/lines}}"
            "{{#invoice.terms}}\nterms {{.}}{{/invoice.terms}}"
            "{{^customer.phone}}{{/customer.phone}}");
  const auto text = render_invoice(f.doc, DocumentFormat::text);
  REQUIRE(text.has_value());
  CHECK(*text == "INV-2026-0042 for Smith & <b>Sons</b> \"x\" 'y': "
                 "2,214.65 USD\n1 Managed IT services, 12 seats, May 2026\n"
                 "2 24-port gigabit switch, rack-mountable, with five years "
                 "of next-business-day replacement\nterms net 30");
  // The HTML template is still the built-in one.
  const auto html = render_invoice(f.doc, DocumentFormat::html);
  REQUIRE(html.has_value());
  CHECK(html->starts_with("<!DOCTYPE html>"));
}

TEST_CASE("render: an invalid or unreadable template of the books is an "
          "error naming the file") {
  Fixture f;
  std::filesystem::create_directories(f.b.path() / "templates");
  f.b.write("templates/invoice.html.mustache",
            "<p>{{#lines}}{{description}}</p>\n");
  const auto html = render_invoice(f.doc, DocumentFormat::html);
  REQUIRE_FALSE(html.has_value());
  CHECK(html.error().exit == ExitCode::data);
  CHECK(html.error().message ==
        "templates/invoice.html.mustache: unclosed section \"lines\"");
  REQUIRE(html.error().diagnostics.size() == 1);
  const Diagnostic& d = html.error().diagnostics[0];
  CHECK(d.loc.file == "templates/invoice.html.mustache");
  CHECK(d.loc.line == 1);
  CHECK(d.loc.column == 4);
  CHECK(d.excerpt == "<p>{{#lines}}{{description}}</p>");
  CHECK(d.span == 10);

  std::filesystem::create_directories(f.b.path() /
                                      "templates/invoice.txt.mustache");
  const auto text = render_invoice(f.doc, DocumentFormat::text);
  REQUIRE_FALSE(text.has_value());
  CHECK(text.error().exit == ExitCode::no_input);
  CHECK(contains(text.error().message, "templates/invoice.txt.mustache"));
}

TEST_CASE("render: the built-in templates use only documented variables") {
  constexpr std::array<std::string_view, 2> lists{"lines", "taxes"};
  for (const auto format : {DocumentFormat::text, DocumentFormat::html}) {
    CAPTURE(to_string(format));
    for (const auto& tag :
         template_tags(builtin_invoice_template(format), lists)) {
      CHECK_MESSAGE(tag.sigil != '{', "built-in templates escape every value");
      CHECK_MESSAGE(tag.sigil != '&', "built-in templates escape every value");
      if (tag.name == ".")
        continue;
      bool known = false;
      for (const auto& v : invoice_template_variables())
        known |= v.name == tag.name ||
                 (!tag.list.empty() && v.name == tag.list + "[]." + tag.name);
      CHECK_MESSAGE(known, "undocumented variable ", tag.name);
    }
  }
}

TEST_CASE("render: a template problem is located by line and column") {
  Fixture f;
  auto unclosed_tag = render_invoice_with(
      f.doc, DocumentFormat::text, "Invoice\r\n  {{invoice.id\n", "mine");
  REQUIRE_FALSE(unclosed_tag.has_value());
  CHECK(unclosed_tag.error().message == "mine: unclosed tag");
  REQUIRE(unclosed_tag.error().diagnostics.size() == 1);
  CHECK(unclosed_tag.error().diagnostics[0].loc.line == 2);
  CHECK(unclosed_tag.error().diagnostics[0].loc.column == 3);
  CHECK(unclosed_tag.error().diagnostics[0].excerpt == "  {{invoice.id");

  auto unopened = render_invoice_with(f.doc, DocumentFormat::html,
                                      "a\nb\n{{/lines}}\n", "mine");
  REQUIRE_FALSE(unopened.has_value());
  CHECK(unopened.error().message == "mine: unopened section \"lines\"");
  CHECK(unopened.error().diagnostics[0].loc.line == 3);
}

TEST_CASE("render: lines holding only a section or comment tag leave no "
          "blank line, as the mustache spec says") {
  Fixture f;
  const auto render = [&](std::string_view tmpl) {
    auto out = render_invoice_with(f.doc, DocumentFormat::text, tmpl, "t");
    REQUIRE(out.has_value());
    return *out;
  };
  CHECK(render("A\n"
               "{{#void}}\n"
               "V\n"
               "{{/void}}\n"
               "  {{! a comment\n"
               "      over two lines }}\n"
               "{{#invoice.po}}\n"
               "P {{.}}\n"
               "{{/invoice.po}}\n"
               "\n"
               "{{^void}}\n"
               "not void\n"
               "{{/void}}\n"
               "B\n") == "A\nP PO-778\n\nnot void\nB\n");
  CHECK(render("A\r\n{{#void}}\r\nV\r\n{{/void}}\r\nB") == "A\nB");
  CHECK(render("{{#lines}}\n{{number}}\n{{/lines}}\n") == "1\n2\n");
  // A tag among text is not alone on its line: the line stays.
  CHECK(render("A {{#void}}V{{/void}}\nB\n") == "A \nB\n");
}
