#include "arctl/dunning_send.hpp"

#include "arctl/customers.hpp"
#include "arctl/invoicing.hpp"
#include "arctl/mail.hpp"
#include "arctl/numbering.hpp"
#include "arctl/rows.hpp"
#include "arctl/template.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace arctl {

namespace {

// ---- the built-in letters ------------------------------------------------------
// One layout for every level; the levels differ in their words. @NAME@,
// @SUBJECT@, @TITLE@, @OPENING@ and @CLOSING@ are filled in from a
// Wording; the HTML letter takes each paragraph as one line.

constexpr std::string_view k_text_letter =
    R"mustache({{! arctl's @NAME@ letter, plain text. To change it, edit
    templates/dunning/@NAME@.txt.mustache in the books (arctl-dun(1) lists
    the variables). A first line "Subject: ..." is the e-mail's subject. }}
Subject: @SUBJECT@
{{company.name}}
{{#company.address_lines}}
{{.}}
{{/company.address_lines}}
{{#company.email}}
{{company.email}}
{{/company.email}}
{{#company.phone}}
{{company.phone}}
{{/company.phone}}

{{customer.name}}
{{#customer.address_lines}}
{{.}}
{{/customer.address_lines}}

{{notice.date}}

@TITLE@ {{notice.id}}, customer {{customer.id}}

Dear {{customer.name}},

@OPENING@

{{text.rule}}
{{text.header}}
{{text.rule}}
{{#items}}
{{text_row}}
{{/items}}
{{text.rule}}
{{#has_charges}}
{{text.overdue}}
{{#fee}}
{{text.fee}}
{{/fee}}
{{#interest}}
{{text.interest}}
{{/interest}}
{{/has_charges}}
{{text.total}}
{{#credit}}

Unapplied credit of {{notice.currency}} {{credit}} on your account has been
set against the oldest of these invoices.
{{/credit}}

@CLOSING@

{{#company.payment_instructions}}
How to pay:
{{#company.payment_instructions_lines}}
  {{.}}
{{/company.payment_instructions_lines}}
{{/company.payment_instructions}}
Please quote the invoice numbers with your payment.

Yours sincerely,
{{company.name}}
)mustache";

constexpr std::string_view k_html_letter =
    R"mustache({{! arctl's @NAME@ letter, HTML. To change it, edit
    templates/dunning/@NAME@.html.mustache in the books (arctl-dun(1) lists
    the variables). Values in two-brace tags are HTML-escaped. }}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>@TITLE@ {{notice.id}} · {{company.name}}</title>
<style>
@page { size: auto; margin: 18mm; }
* { box-sizing: border-box; }
body { margin: 0; color: #1f2933; background: #fff; font: 10.5pt/1.5 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; }
.letter { max-width: 180mm; margin: 0 auto; padding: 12mm 10mm; }
header { display: flex; justify-content: space-between; gap: 10mm; padding-bottom: 4mm; border-bottom: 2px solid #1d4e89; }
header p, .address p, .pay p { margin: 0; }
.company-name { font-size: 14pt; font-weight: 700; color: #1d4e89; }
.contact { text-align: right; color: #616e7c; }
.address { margin: 8mm 0 6mm; }
.address .name { font-weight: 700; }
h1 { margin: 6mm 0 1mm; font-size: 16pt; font-weight: 600; color: #1d4e89; }
h1.final { color: #b3261e; }
.ref { margin: 0 0 5mm; color: #616e7c; font-size: 9pt; }
table.items { width: 100%; margin: 4mm 0 5mm; border-collapse: collapse; }
table.items th { padding: 1.5mm 2mm; border-bottom: 1.5px solid #1d4e89; font-size: 8pt; font-weight: 700; letter-spacing: .08em; text-align: left; text-transform: uppercase; color: #1d4e89; }
table.items td { padding: 1.8mm 2mm; border-bottom: 1px solid #dde2e8; }
table.items th:first-child, table.items td:first-child { padding-left: 0; }
table.items th:last-child, table.items td:last-child { padding-right: 0; }
table.items .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.items tfoot td { border-bottom: none; }
table.items tr.total td { border-top: 1.5px solid #1f2933; font-size: 11pt; font-weight: 700; }
.pay { margin: 5mm 0; padding: 3mm 4mm; border-left: 4px solid #1d4e89; background: #f3f6fa; }
.pay h2 { margin: 0 0 1mm; font-size: 8pt; letter-spacing: .12em; text-transform: uppercase; color: #1d4e89; }
@media print { .letter { max-width: none; padding: 0; } }
</style>
</head>
<body>
<main class="letter">
<header>
<div>
<p class="company-name">{{company.name}}</p>
{{#company.address_lines}}
<p>{{.}}</p>
{{/company.address_lines}}
</div>
<div class="contact">
{{#company.email}}
<p>{{company.email}}</p>
{{/company.email}}
{{#company.phone}}
<p>{{company.phone}}</p>
{{/company.phone}}
<p>{{notice.date}}</p>
</div>
</header>
<section class="address">
<p class="name">{{customer.name}}</p>
{{#customer.address_lines}}
<p>{{.}}</p>
{{/customer.address_lines}}
</section>
<h1 class="@NAME@">@TITLE@</h1>
<p class="ref">Notice {{notice.id}} · customer {{customer.id}}</p>
<p>Dear {{customer.name}},</p>
<p>@OPENING@</p>
<table class="items">
<thead>
<tr><th>Invoice</th><th>Invoice date</th><th>Due</th><th class="num">Days late</th><th class="num">Amount {{notice.currency}}</th></tr>
</thead>
<tbody>
{{#items}}
<tr><td>{{invoice}}</td><td>{{date}}</td><td>{{due}}</td><td class="num">{{days_past_due}}</td><td class="num">{{amount}}</td></tr>
{{/items}}
</tbody>
<tfoot>
{{#has_charges}}
<tr><td colspan="4">Overdue</td><td class="num">{{overdue}}</td></tr>
{{#fee}}
<tr><td colspan="4">Fee</td><td class="num">{{fee}}</td></tr>
{{/fee}}
{{#interest}}
<tr><td colspan="4">Interest</td><td class="num">{{interest}}</td></tr>
{{/interest}}
{{/has_charges}}
<tr class="total"><td colspan="4">Total due {{notice.currency}}</td><td class="num">{{total}}</td></tr>
</tfoot>
</table>
{{#credit}}
<p>Unapplied credit of {{notice.currency}} {{credit}} on your account has been set against the oldest of these invoices.</p>
{{/credit}}
<p>@CLOSING@</p>
<section class="pay">
<h2>How to pay</h2>
{{#company.payment_instructions_lines}}
<p>{{.}}</p>
{{/company.payment_instructions_lines}}
<p>Please quote the invoice numbers with your payment.</p>
</section>
<p>Yours sincerely,<br>{{company.name}}</p>
</main>
</body>
</html>
)mustache";

struct Wording {
  std::string_view name, subject, title, opening, closing;
};

constexpr std::array k_wordings{
    Wording{"reminder", "Payment reminder: {{notice.currency}} {{total}} past due",
            "Payment reminder",
            "Our records show the invoices below as past due. Perhaps they have\n"
            "been overlooked; we would be grateful for your payment. If you have\n"
            "paid in the last few days, thank you, and please disregard this letter.",
            "If there is a question about any of these invoices, please reply to\n"
            "this letter so that we can settle it."},
    Wording{"second", "Second notice: {{notice.currency}} {{total}} past due",
            "Second notice",
            "We wrote to you about the invoices below and have not yet received\n"
            "your payment. Please pay the total below within seven days.",
            "If you cannot pay in full now, please contact us: we can agree on a\n"
            "date or a payment plan."},
    Wording{"final", "Final demand: {{notice.currency}} {{total}} past due",
            "Final demand",
            "Despite our earlier notices, the invoices below remain unpaid. This is\n"
            "our final demand: please pay the total below within seven days.",
            "{{#hold}}Until it is paid, your account is on credit hold: we cannot\n"
            "accept new orders on credit. {{/hold}}Without payment or word from\n"
            "you, we will have to take further steps to recover the debt."},
};

std::string fill(std::string_view skeleton, const Wording& w,
                 DocumentFormat format) {
  const auto paragraph = [&](std::string_view text) {
    std::string s(text);
    if (format == DocumentFormat::html)
      std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
  };
  const std::array<std::pair<std::string_view, std::string>, 5> marks{{
      {"@NAME@", std::string(w.name)},
      {"@SUBJECT@", std::string(w.subject)},
      {"@TITLE@", std::string(w.title)},
      {"@OPENING@", paragraph(w.opening)},
      {"@CLOSING@", paragraph(w.closing)},
  }};
  std::string out(skeleton);
  for (const auto& [mark, value] : marks)
    for (auto at = out.find(mark); at != std::string::npos;
         at = out.find(mark, at + value.size()))
      out.replace(at, mark.size(), value);
  return out;
}

// ---- template data -------------------------------------------------------------

using tmpl::Data;

std::string amount_text(std::int64_t minor, Currency c) {
  return tmpl::display(minor, c);
}

Data amount_or_false(std::int64_t minor, Currency c) {
  return minor != 0 ? Data(amount_text(minor, c)) : Data(false);
}

// The item table and totals of the text letter, aligned: invoice, invoice
// date, due date, days late, amount.
class TextLayout {
public:
  TextLayout(const Books& books, const DunningNotice& n) : m_currency(n.currency) {
    const auto total = n.overdue + n.fee + n.interest;
    for (const auto& item : n.items) {
      m_id = std::max(m_id, tmpl::columns(books.invoices[item.invoice].id));
      m_amount = std::max(m_amount, amount_text(item.amount, m_currency).size());
    }
    m_amount = std::max(m_amount, amount_text(total, m_currency).size());
    m_width = m_id + 2 + 12 + 2 + 10 + 2 + 9 + 2 + m_amount;
  }

  [[nodiscard]] std::string row(std::string_view a, std::string_view b,
                                std::string_view d, std::string_view e,
                                const std::string& amount) const {
    std::string s = tmpl::pad_right(std::string(a), m_id) + "  " +
                    tmpl::pad_right(std::string(b), 12) + "  " +
                    tmpl::pad_right(std::string(d), 10) + "  " +
                    tmpl::pad_left(std::string(e), 9) + "  " +
                    tmpl::pad_left(amount, m_amount);
    tmpl::trim_right(s);
    return s;
  }

  [[nodiscard]] Data lines(const DunningNotice& n) const {
    const auto label = [&](std::string_view text, std::int64_t minor) {
      return tmpl::pad_right(std::string(text), m_width - m_amount) +
             tmpl::pad_left(amount_text(minor, m_currency), m_amount);
    };
    Data text;
    text.set("rule", std::string(m_width, '-'));
    text.set("header", row("Invoice", "Invoice date", "Due", "Days late",
                           fmt::format("Amount {}", m_currency.name())));
    text.set("overdue", label("Overdue", n.overdue));
    text.set("fee", label("Fee", n.fee));
    text.set("interest", label("Interest", n.interest));
    text.set("total", label(fmt::format("Total due {}", m_currency.name()),
                            n.overdue + n.fee + n.interest));
    return text;
  }

private:
  Currency m_currency;
  std::size_t m_id = 7, m_amount = 10, m_width = 0;
};

Data letter_data(const Books& books, const DunningNotice& n,
                 std::string_view id, Date date) {
  const auto c = n.currency;
  const auto& level = books.config.dunning.levels[n.level];
  const TextLayout layout(books, n);
  Data data;
  data.set("company", tmpl::company_data(books.config));
  data.set("customer", tmpl::customer_data(&books.customers[n.customer]));
  Data notice;
  notice.set("id", std::string(id));
  notice.set("date", format_date(date));
  notice.set("level", level.name);
  notice.set("currency", std::string(c.name()));
  data.set("notice", notice);
  Data items(Data::type::list);
  for (const auto& item : n.items) {
    const auto& inv = books.invoices[item.invoice];
    Data element;
    element.set("invoice", std::string(inv.id));
    element.set("date", format_date(inv.date));
    element.set("due", format_date(item.due));
    element.set("days_past_due", std::to_string(item.days_past_due));
    element.set("amount", amount_text(item.amount, c));
    element.set("interest", amount_or_false(item.interest, c));
    element.set("text_row",
                layout.row(inv.id, format_date(inv.date), format_date(item.due),
                           std::to_string(item.days_past_due),
                           amount_text(item.amount, c)));
    items.push_back(element);
  }
  data.set("items", items);
  data.set("text", layout.lines(n));
  data.set("overdue", amount_text(n.overdue, c));
  data.set("credit", amount_or_false(n.credit, c));
  data.set("fee", amount_or_false(n.fee, c));
  data.set("interest", amount_or_false(n.interest, c));
  data.set("has_charges", n.fee + n.interest != 0);
  data.set("total", amount_text(n.overdue + n.fee + n.interest, c));
  data.set("hold", level.action == DunningAction::hold);
  return data;
}

// The text letter's first line "Subject: ..." taken off as the subject,
// with the blank lines after it.
std::string take_subject(std::string& text) {
  constexpr std::string_view prefix = "Subject:";
  if (!text.starts_with(prefix))
    return {};
  const auto nl = std::min(text.find('\n'), text.size());
  std::string subject(tmpl::trim(std::string_view(text).substr(
      prefix.size(), nl - prefix.size())));
  auto rest = std::min(nl + 1, text.size());
  while (rest < text.size() && text[rest] == '\n')
    ++rest;
  text.erase(0, rest);
  return subject;
}

// The domain of an e-mail address, for message ids.
std::string_view domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? address : address.substr(at + 1);
}

Result<std::string> render_letter(const Books& books, std::string_view letter,
                                  DocumentFormat format, const Data& data) {
  const auto file = letter_template_file(letter, format);
  const auto builtin = builtin_letter(letter, format);
  auto own = tmpl::books_template(books.dir, file);
  if (!own)
    return std::unexpected(std::move(own.error()));
  if (*own)
    return tmpl::render_text(**own, books.dir.shown(file), format, data);
  if (builtin.empty())
    return fail(ExitCode::no_input,
                fmt::format("cannot read {}: the dunning letter '{}' has no "
                            "template in the books and arctl has none built in",
                            books.dir.shown(file), letter));
  return tmpl::render_text(builtin,
                           fmt::format("built-in {} letter '{}'",
                                       to_string(format), letter),
                           format, data);
}

} // namespace

std::string letter_template_file(std::string_view letter,
                                 DocumentFormat format) {
  return fmt::format("templates/dunning/{}.{}.mustache", letter,
                     format == DocumentFormat::html ? "html" : "txt");
}

std::string builtin_letter(std::string_view letter, DocumentFormat format) {
  for (const auto& w : k_wordings)
    if (w.name == letter)
      return fill(format == DocumentFormat::html ? k_html_letter
                                                 : k_text_letter,
                  w, format);
  return {};
}

std::vector<std::pair<std::string, std::string>> builtin_letter_files() {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& w : k_wordings)
    for (const auto format : {DocumentFormat::text, DocumentFormat::html})
      files.emplace_back(letter_template_file(w.name, format),
                         builtin_letter(w.name, format));
  return files;
}

std::span<const TemplateVariable> letter_template_variables() {
  static constexpr std::array variables{
      TemplateVariable{"company.name", "the company's name (arctl.toml)"},
      TemplateVariable{"company.address", "its postal address"},
      TemplateVariable{"company.address_lines", "the address, line by line"},
      TemplateVariable{"company.email", "its e-mail address"},
      TemplateVariable{"company.phone", "its phone number"},
      TemplateVariable{"company.tax_id", "its tax number"},
      TemplateVariable{"company.payment_instructions",
                       "how to pay ([company] payment_instructions)"},
      TemplateVariable{"company.payment_instructions_lines",
                       "the same, line by line"},
      TemplateVariable{"customer.id", "the customer's id"},
      TemplateVariable{"customer.name", "its name"},
      TemplateVariable{"customer.address", "its postal address"},
      TemplateVariable{"customer.address_lines", "the address, line by line"},
      TemplateVariable{"customer.email", "its e-mail address"},
      TemplateVariable{"customer.tax_id", "its tax number"},
      TemplateVariable{"notice.id", "the notice's number ([numbering] notice)"},
      TemplateVariable{"notice.date", "the date of the notice"},
      TemplateVariable{"notice.level", "the level's name"},
      TemplateVariable{"notice.currency", "the currency of every amount"},
      TemplateVariable{"items",
                       "the overdue invoices claimed, the oldest due first"},
      TemplateVariable{"items[].invoice", "the invoice's number"},
      TemplateVariable{"items[].date", "its date"},
      TemplateVariable{"items[].due", "its due date"},
      TemplateVariable{"items[].days_past_due", "days past its due date"},
      TemplateVariable{"items[].amount", "what is claimed of it"},
      TemplateVariable{"items[].interest", "interest charged on it, or false"},
      TemplateVariable{"items[].text_row", "its aligned row (text letters)"},
      TemplateVariable{"overdue", "the sum of the items' amounts"},
      TemplateVariable{"fee", "the level's fee, or false"},
      TemplateVariable{"interest", "the interest charged, or false"},
      TemplateVariable{"has_charges", "true when there is a fee or interest"},
      TemplateVariable{"total", "overdue + fee + interest"},
      TemplateVariable{"credit",
                       "unapplied credit set against the items, or false"},
      TemplateVariable{"hold",
                       "true when the level puts the customer on credit hold"},
      TemplateVariable{"text.rule", "a rule as wide as the item table"},
      TemplateVariable{"text.header", "the item table's heading"},
      TemplateVariable{"text.overdue", "the overdue line, aligned"},
      TemplateVariable{"text.fee", "the fee line, aligned"},
      TemplateVariable{"text.interest", "the interest line, aligned"},
      TemplateVariable{"text.total", "the total line, aligned"},
  };
  return variables;
}

std::vector<Diagnostic> check_letters(const BooksDir& dir,
                                      const Config& config) {
  std::vector<Diagnostic> out;
  const auto shown_config = dir.shown(k_config_file);
  for (const auto& level : config.dunning.levels)
    for (const auto format : {DocumentFormat::text, DocumentFormat::html}) {
      const auto file = letter_template_file(level.letter, format);
      Diagnostic d;
      d.loc = {shown_config, level.line, 1};
      d.code = "dunning-letter";
      auto own = tmpl::books_template(dir, file);
      if (!own) {
        d.message = fmt::format("dunning level '{}': {}", level.name,
                                own.error().message);
      } else if (*own) {
        auto rendered = tmpl::render_text(**own, dir.shown(file), format,
                                          Data(Data::type::object));
        if (rendered)
          continue;
        d.message = fmt::format("dunning level '{}': {}", level.name,
                                rendered.error().message);
        if (!rendered.error().diagnostics.empty())
          d = rendered.error().diagnostics.front();
      } else if (!builtin_letter(level.letter, format).empty()) {
        continue;
      } else {
        d.message = fmt::format(
            "dunning level '{}': its letter '{}' has no template: {} is "
            "missing and arctl has no built-in letter of that name",
            level.name, level.letter, dir.shown(file));
        d.hint = "arctl has built-in letters reminder, second and final; 'arctl "
                 "init' writes them into templates/dunning/ of new books";
      }
      out.push_back(std::move(d));
    }
  return out;
}

Result<DunningRun> prepare_dunning(const Books& books, DunningPlan plan,
                                   const SendOptions& options) {
  DunningRun run;
  run.charge_fees = options.charge_fees;
  if (!options.charge_fees)
    for (auto& n : plan.notices) {
      n.fee = n.interest = 0;
      for (auto& item : n.items)
        item.interest = 0;
    }
  run.plan = std::move(plan);
  if (run.plan.notices.empty())
    return run;
  const auto& config = books.config;
  if (config.company_email.empty())
    return fail(ExitCode::data,
                fmt::format("{}: [company] has no email, which dunning "
                            "messages need for their From: field",
                            books.dir.shown(k_config_file)));
  Numberer numbers(books);
  for (std::size_t k = 0; k < run.plan.notices.size(); ++k) {
    const auto& n = run.plan.notices[k];
    const auto& customer = books.customers[n.customer];
    const auto& level = config.dunning.levels[n.level];
    DunningLetter letter;
    letter.notice = k;
    letter.id = numbers.next(config.numbering.notice, run.plan.as_of);
    const auto data = letter_data(books, n, letter.id, run.plan.as_of);
    auto text = render_letter(books, level.letter, DocumentFormat::text, data);
    if (!text)
      return std::unexpected(std::move(text.error()));
    auto html = render_letter(books, level.letter, DocumentFormat::html, data);
    if (!html)
      return std::unexpected(std::move(html.error()));
    letter.text = std::move(*text);
    letter.html = std::move(*html);
    letter.subject = take_subject(letter.text);
    if (letter.subject.empty())
      letter.subject = fmt::format("{} {}: {} {} past due", level.name,
                                   letter.id, n.currency.name(),
                                   amount_text(n.overdue + n.fee + n.interest,
                                               n.currency));
    letter.has_address = !customer.email.empty();
    MailMessage m;
    m.from = {config.company_name, config.company_email};
    m.to = {std::string(customer.name), std::string(customer.email)};
    m.subject = letter.subject;
    m.message_id = fmt::format("{}.{}@{}", letter.id, customer.id,
                               domain_of(config.company_email));
    m.date = options.date;
    m.text = letter.text;
    m.html = letter.html;
    letter.message = format_message(m);
    run.letters.push_back(std::move(letter));
  }
  return run;
}

Result<std::vector<LetterOutcome>>
deliver_letters(const Books& books, const DunningRun& run,
                const Delivery& delivery) {
  std::vector<LetterOutcome> outcomes;
  if (run.letters.empty())
    return outcomes;
  std::error_code ec;
  std::filesystem::create_directories(delivery.out, ec);
  if (ec)
    return fail(ExitCode::cannot_write,
                fmt::format("cannot create {}: {}", delivery.shown_out,
                            ec.message()));
  for (std::size_t k = 0; k < run.letters.size(); ++k) {
    const auto& letter = run.letters[k];
    const auto& customer =
        books.customers[run.plan.notices[letter.notice].customer];
    LetterOutcome outcome;
    outcome.letter = k;
    for (const auto& [ext, content] :
         {std::pair{".txt", &letter.text}, std::pair{".html", &letter.html},
          std::pair{".eml", &letter.message}}) {
      const auto name = letter.id + ext;
      auto shown = (std::filesystem::path(delivery.shown_out) / name).string();
      auto file = OutputFile::create(delivery.out / name, shown);
      if (!file)
        return std::unexpected(std::move(file.error()));
      file->write(*content);
      if (auto ok = file->commit(); !ok)
        return std::unexpected(std::move(ok.error()));
      outcome.message_file = std::move(shown);
    }
    if (!delivery.mailer.empty()) {
      if (!letter.has_address)
        outcome.error = Error{ExitCode::data,
                              fmt::format("notice {} to {} not sent: the "
                                          "customer has no e-mail address in "
                                          "customers.csv",
                                          letter.id, customer.id),
                              {}};
      else if (auto ok = pipe_to_command(delivery.mailer, letter.message); !ok)
        outcome.error =
            Error{ok.error().exit,
                  fmt::format("notice {} to {} not sent: {}", letter.id,
                              customer.id, ok.error().message),
                  {}};
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

Result<PlannedChange> record_dunning(const Books& books, const Ledger& ledger,
                                     const DunningRun& run,
                                     std::span<const std::size_t> sent) {
  PlannedChange plan;
  if (sent.empty())
    return plan;
  const auto date = run.plan.as_of;
  if (auto open = check_open_period(books.dir, books.config.lock_date, date);
      !open)
    return std::unexpected(std::move(open.error()));
  const auto& config = books.config;
  Numberer numbers(books);
  for (const auto k : sent)
    numbers.take(run.letters[k].id);
  RecordAppender appender(books.dir, plan);
  std::vector<InvoiceDraft> charges;
  std::vector<std::uint32_t> held;
  PlannedChange holds;
  for (const auto k : sent) {
    const auto& letter = run.letters[k];
    const auto& n = run.plan.notices[letter.notice];
    const auto& customer = books.customers[n.customer];
    const auto& level = config.dunning.levels[n.level];
    const auto plain = [&](std::int64_t v) {
      return v == 0 ? std::string()
                    : format_minor_units(v, n.currency.exponent);
    };
    std::string invoices;
    for (const auto& item : n.items)
      invoices += (invoices.empty() ? "" : ";") +
                  std::string(books.invoices[item.invoice].id);
    const std::array<FieldValue, 9> values{{
        {"id", letter.id},
        {"date", format_date(date)},
        {"customer", std::string(customer.id)},
        {"level", level.name},
        {"invoices", invoices},
        {"amount", format_minor_units(n.overdue, n.currency.exponent)},
        {"currency", std::string(n.currency.name())},
        {"fee", plain(n.fee)},
        {"interest", plain(n.interest)},
    }};
    if (auto ok = appender.append(Table::notices, values, date); !ok)
      return std::unexpected(std::move(ok.error()));
    plan.ids.push_back(letter.id);

    if (run.charge_fees && n.fee + n.interest > 0) {
      if (n.currency != customer.currency)
        return fail(ExitCode::data,
                    fmt::format("notice {} to {} charges {} {} in {}, but the "
                                "customer is invoiced in {}; send it without "
                                "--charge-fees or charge it by hand",
                                letter.id, customer.id, n.currency.name(),
                                plain(n.fee + n.interest), n.currency.name(),
                                customer.currency.name()));
      const auto field = [](std::string text) {
        return DraftField{std::move(text), {}, true};
      };
      InvoiceDraft charge;
      charge.charge = true;
      charge.at.option = "--charge-fees";
      charge.customer = field(std::string(customer.id));
      charge.id = field(numbers.next(config.numbering.fee, date));
      charge.date = field(format_date(date));
      charge.terms = field("due on receipt");
      charge.memo = field(fmt::format("dunning notice {} ({})", letter.id,
                                      level.name));
      charge.tax_code = field("");
      const auto line = [&](std::string description, std::int64_t amount) {
        DraftLine l;
        l.description = field(std::move(description));
        l.quantity = field("1");
        l.unit_price = field(format_minor_units(amount, n.currency.exponent));
        l.is_amount = true;
        l.at = charge.at;
        charge.lines.push_back(std::move(l));
      };
      if (n.fee > 0)
        line(fmt::format("Dunning fee, notice {}", letter.id), n.fee);
      if (n.interest > 0)
        line(fmt::format("Interest at {}% a year on overdue invoices, notice {}",
                         level.interest.to_string(), letter.id),
             n.interest);
      charges.push_back(std::move(charge));
    }

    if (level.action == DunningAction::hold &&
        !ledger.customers[n.customer].on_hold &&
        std::find(held.begin(), held.end(), n.customer) == held.end()) {
      auto hold = plan_customer_event(
          books, ledger, EventKind::hold, customer.id, date,
          fmt::format("dunning notice {} ({})", letter.id, level.name));
      if (!hold)
        return std::unexpected(std::move(hold.error()));
      holds.merge(std::move(*hold));
      held.push_back(n.customer);
    }
  }
  if (!charges.empty()) {
    auto invoices = plan_new_invoices(books, charges, date);
    if (!invoices)
      return std::unexpected(std::move(invoices.error()));
    plan.merge(std::move(invoices->planned));
  }
  plan.merge(std::move(holds));
  return plan;
}

} // namespace arctl
