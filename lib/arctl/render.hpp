// One invoice as a document fit to send: plain text or a printable HTML page,
// rendered from a mustache template. The books may bring their own templates
// (templates/invoice.txt.mustache, templates/invoice.html.mustache); arctl's
// built-in ones are the fallback and the starting point for writing one.
#pragma once

#include "arctl/error.hpp"
#include "arctl/invoices.hpp"

#include <span>
#include <string>
#include <string_view>

namespace arctl {

enum class DocumentFormat { text, html };

// "text" / "html".
[[nodiscard]] std::string_view to_string(DocumentFormat format);

// Where the books keep the template of a format, relative to the books
// directory: "templates/invoice.txt.mustache" or
// "templates/invoice.html.mustache".
[[nodiscard]] std::string_view invoice_template_file(DocumentFormat format);

// The template arctl uses when the books have none, so that a user can start
// their own from it.
[[nodiscard]] std::string_view builtin_invoice_template(DocumentFormat format);

// One name a template can use, and what it holds. Names with a dot are
// members of an object ({{invoice.id}}); "lines[]." marks the members of
// each element of a list, used inside {{#lines}}…{{/lines}}.
struct TemplateVariable {
  std::string_view name;
  std::string_view meaning;
};

// Every variable an invoice template can use, in the order of the manual.
// A value the books do not have is false rather than text: {{x}} prints
// nothing and {{#x}}…{{/x}} shows its block only when there is a value.
[[nodiscard]] std::span<const TemplateVariable> invoice_template_variables();

// The invoice rendered from the books' template of `format` when the books
// directory (doc.books->dir) has one, else from the built-in template.
// Templates are mustache as its specification has it: a line holding only a
// section or comment tag leaves no line in the output. Every value is
// escaped for the format: HTML-escaped (& < > " ') in HTML, left as it is
// in text; in both, control characters are taken out so that a name in the
// books cannot drive a terminal or break the page. Fails with
// ExitCode::no_input when the books' template exists but cannot be read,
// ExitCode::data when it is not valid mustache: the message names the file
// and a diagnostic points at the tag.
[[nodiscard]] Result<std::string> render_invoice(const InvoiceDocument& doc,
                                                 DocumentFormat format);

// The invoice rendered from `template_text`, a template given by the caller
// (a --template file); `shown_name` names it in messages. Same values and
// escaping as render_invoice; ExitCode::data when the template is invalid.
[[nodiscard]] Result<std::string>
render_invoice_with(const InvoiceDocument& doc, DocumentFormat format,
                    std::string_view template_text,
                    std::string_view shown_name);

} // namespace arctl
