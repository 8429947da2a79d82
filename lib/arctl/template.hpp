// What every document arctl renders from a mustache template shares
// (invoices, statements, the aging report): finding the books' own template
// or falling back to the built-in one, rendering with the format's escaping,
// and the small text tools that lay out plain-text documents. For the
// library's own documents; users see only the templates and their variables.
#pragma once

#include "arctl/books.hpp"
#include "arctl/config.hpp"
#include "arctl/error.hpp"
#include "arctl/render.hpp"

#include <kainjow/mustache.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arctl::tmpl {

namespace mstch = kainjow::mustache;
using Data = mstch::data;

// ---- text hygiene and layout --------------------------------------------------

// The text with every control character taken out (C0 but tab and newline,
// DEL, C1) and every byte that is not well-formed UTF-8 replaced by U+FFFD.
[[nodiscard]] std::string clean(std::string_view s);
// clean(), then & < > " ' escaped for HTML text and quoted attributes.
[[nodiscard]] std::string html_escape(const std::string& s);
[[nodiscard]] std::string_view trim(std::string_view s);
// Display columns of cleaned text, counted as code points.
[[nodiscard]] std::size_t columns(std::string_view s);
[[nodiscard]] std::string pad_right(std::string s, std::size_t width);
[[nodiscard]] std::string pad_left(const std::string& s, std::size_t width);
void trim_right(std::string& s);
// Cleaned text broken into lines of at most `width` columns at spaces.
[[nodiscard]] std::vector<std::string> wrap(std::string_view text,
                                            std::size_t width);
[[nodiscard]] std::string join_lines(const std::vector<std::string>& rows);
// "-1234567.5" -> "-1,234,567.5".
[[nodiscard]] std::string group_thousands(std::string_view s);
// An amount for people: "1,234.50".
[[nodiscard]] std::string display(std::int64_t minor, Currency currency);

// ---- template data ------------------------------------------------------------

// Cleaned, trimmed text, or false when empty (so {{#x}} hides its block).
[[nodiscard]] Data text_value(std::string_view s);
// An address's non-empty lines as a list, or false.
[[nodiscard]] Data address_lines(std::string_view address);
// company.{name, address, address_lines, email, phone, tax_id,
// payment_instructions, payment_instructions_lines}
[[nodiscard]] Data company_data(const Config& config);
// customer.{id, name, address, address_lines, email, tax_id}
[[nodiscard]] Data customer_data(const Customer* c);

// ---- rendering ----------------------------------------------------------------

// The books' template at `name` (relative to the books): its text, nothing
// when the books have none, or why it cannot be read (ExitCode::no_input).
[[nodiscard]] Result<std::optional<std::string>>
books_template(const BooksDir& dir, std::string_view name);

// `template_text` rendered with `data`, every value escaped for `format`.
// A line holding only a section or comment tag leaves no line, as the
// mustache specification has it. An invalid template is ExitCode::data,
// with a diagnostic naming `shown_name` and pointing at the tag.
[[nodiscard]] Result<std::string> render_text(std::string_view template_text,
                                              std::string_view shown_name,
                                              DocumentFormat format,
                                              const Data& data);

// The books' template at `file` when they have one, else `builtin`.
[[nodiscard]] Result<std::string> render(const BooksDir& dir,
                                         std::string_view file,
                                         std::string_view builtin,
                                         DocumentFormat format,
                                         const Data& data);

} // namespace arctl::tmpl
