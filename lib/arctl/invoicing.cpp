#include "arctl/invoicing.hpp"

#include "arctl/csv.hpp"
#include "arctl/customers.hpp"
#include "arctl/invoices.hpp"
#include "arctl/ledger.hpp"
#include "arctl/numbering.hpp"
#include "arctl/rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace arctl {

Error origin_error(const Origin& at, std::string code, std::string message,
                   std::string hint, ExitCode option_exit) {
  if (!at.option.empty()) {
    auto text = fmt::format("{}: {}", at.option, message);
    if (!hint.empty())
      text += "; " + hint;
    return Error{option_exit, std::move(text), {}};
  }
  Diagnostic d;
  d.loc = at.loc;
  d.code = std::move(code);
  d.message = message;
  d.excerpt = at.excerpt;
  d.span = at.span;
  d.hint = std::move(hint);
  return Error{ExitCode::data, std::move(message), {std::move(d)}};
}

void Problems::add(Error e) {
  ++count;
  if (!first)
    first = e;
  for (auto& d : e.diagnostics)
    found.push_back(std::move(d));
}

Result<Date> draft_date(const DraftField& field, Date fallback) {
  if (!field.given)
    return fallback;
  auto d = parse_date(field.text);
  if (!d)
    return std::unexpected(origin_error(field.at, "date-syntax",
                                        d.error().message, d.error().hint));
  return *d;
}

Error Problems::error() const {
  if (found.empty())
    return *first;
  // Problems of one file are named after it, as its reader names them.
  const auto& file = found.front().loc.file;
  const bool one_file =
      !file.empty() && std::all_of(found.begin(), found.end(),
                                   [&](const Diagnostic& d) {
                                     return d.loc.file == file;
                                   });
  const auto n = found.size();
  if (!one_file && n == 1)
    return *first;
  return Error{ExitCode::data,
               one_file ? fmt::format("{}: {} problem{}", file, n,
                                      n == 1 ? "" : "s")
                        : fmt::format("{} problems", n),
               found};
}

namespace {

std::string money_text(std::int64_t minor, Currency c) {
  return Money{minor, c}.to_display();
}

// A discount as given: "N%" of `of`, or an amount. At most `of`.
Result<Money> parse_discount(const DraftField& field, Money of,
                             Rounding rounding, std::string_view what) {
  const auto currency = of.currency();
  if (!field.given || field.text.empty())
    return Money::zero(currency);
  Money discount;
  if (field.text.ends_with('%')) {
    auto pct = parse_decimal(
        std::string_view(field.text).substr(0, field.text.size() - 1), 9,
        "discount percentage");
    if (!pct)
      return std::unexpected(
          origin_error(field.at, "discount-syntax", pct.error().message,
                       "a discount is an amount such as 25.00 or a "
                       "percentage such as 5%"));
    if (pct->is_negative() || *pct > Decimal{100, 0})
      return std::unexpected(origin_error(
          field.at, "discount-range",
          fmt::format("discount {} is not between 0% and 100%", field.text)));
    auto d = percent_of(of, *pct, rounding);
    if (!d)
      return std::unexpected(origin_error(field.at, "amount-overflow",
                                          "the discount is too large"));
    discount = *d;
  } else {
    auto d = Money::parse(field.text, currency);
    if (!d)
      return std::unexpected(origin_error(
          field.at, "discount-syntax", d.error().message,
          "a discount is an amount such as 25.00 or a percentage such as 5%"));
    if (d->is_negative())
      return std::unexpected(
          origin_error(field.at, "discount-range",
                       fmt::format("discount {} is negative", field.text)));
    discount = *d;
  }
  if (!discount.is_zero() && discount.minor() > of.minor())
    return std::unexpected(
        origin_error(field.at, "discount-range",
                     fmt::format("{} {} is more than the {} it applies to",
                                 what, discount.to_string(), of.to_string())));
  return discount;
}

const TaxCode* lookup_tax_code(const Config& config, const DraftField& field,
                               Problems& problems) {
  if (field.text.empty())
    return nullptr;
  if (const auto* code = config.find_tax_code(field.text))
    return code;
  std::string known;
  for (const auto& c : config.tax_codes)
    known += (known.empty() ? "" : ", ") + c.code;
  problems.add(origin_error(
      field.at, "tax-code-unknown",
      fmt::format("unknown tax code \"{}\"", field.text),
      known.empty() ? "the books define no tax codes; add a [tax.CODE] table "
                      "to arctl.toml"
                    : "the books' tax codes are " + known));
  return nullptr;
}


// One draft checked and priced. Records go into `out` only when the whole
// draft is valid.
class DraftPricer {
public:
  DraftPricer(const Books& books, Date today, Numberer& numbers)
      : m_books(books), m_config(books.config), m_today(today),
        m_numbers(numbers) {
  }

  // The invoice, or nothing after adding its problems to `problems`.
  std::optional<NewInvoice> price(const InvoiceDraft& draft,
                                  Problems& problems);

private:
  bool lines(const InvoiceDraft& draft, NewInvoice& inv, Problems& problems);

  const Books& m_books;
  const Config& m_config;
  Date m_today;
  Numberer& m_numbers;
};

std::optional<NewInvoice> DraftPricer::price(const InvoiceDraft& draft,
                                             Problems& problems) {
  const auto stop = [&](Error e) -> std::optional<NewInvoice> {
    problems.add(std::move(e));
    return std::nullopt;
  };
  NewInvoice inv;
  if (!draft.customer.given || draft.customer.text.empty())
    return stop(
        origin_error(draft.customer.given ? draft.customer.at : draft.at,
                     "missing-value", "an invoice needs a customer"));
  const auto customer = m_books.find_customer(draft.customer.text);
  if (!customer)
    return stop(origin_error(
        draft.customer.at, "customer-unknown",
        fmt::format("unknown customer \"{}\"", draft.customer.text),
        "'arctl customer list' shows the customers; 'arctl customer add' "
        "adds one",
        ExitCode::data));
  const auto& c = m_books.customers[*customer];
  inv.customer = *customer;
  inv.currency = c.currency;

  auto date = draft_date(draft.date, m_today);
  if (!date)
    return stop(std::move(date.error()));
  inv.date = *date;

  if (draft.terms.given && draft.due.given)
    return stop(origin_error(draft.due.at, "terms-and-due",
                             "give terms or a due date, not both"));
  if (draft.due.given) {
    auto due = draft_date(draft.due, inv.date);
    if (!due)
      return stop(std::move(due.error()));
    if (*due < inv.date)
      return stop(
          origin_error(draft.due.at, "due-before-date",
                       fmt::format("due date {} is before the invoice date {}",
                                   format_date(*due), format_date(inv.date))));
    inv.due = *due;
  } else {
    Terms terms = c.terms;
    if (draft.terms.given) {
      auto t = parse_terms(draft.terms.text);
      if (!t)
        return stop(origin_error(draft.terms.at, "terms-syntax",
                                 t.error().message, t.error().hint));
      terms = *t;
    }
    inv.terms = terms.to_string();
    inv.due = terms.due_date(inv.date);
  }

  if (draft.id.given) {
    if (auto why = id_problem(draft.id.text))
      return stop(origin_error(
          draft.id.at, "id-syntax",
          fmt::format("invoice id \"{}\" {}", draft.id.text, *why)));
    if (auto where = id_taken(m_books, draft.id.text, m_numbers.ids()))
      return stop(origin_error(
          draft.id.at, "id-taken",
          fmt::format("id \"{}\" is in use already ({})", draft.id.text,
                      *where),
          "document ids are never reused; leave the id out to take the next "
          "number",
          ExitCode::data));
    inv.id = draft.id.text;
    m_numbers.take(inv.id);
  } else {
    inv.id = m_numbers.next(m_config.numbering.invoice, inv.date);
  }

  for (const auto* text : {&draft.po, &draft.memo})
    if (auto why = utf8_problem(text->text))
      return stop(origin_error(text->at, "utf8", *why));

  if (!lines(draft, inv, problems))
    return std::nullopt;

  if (draft.total.given) {
    auto expected = Money::parse(draft.total.text, inv.currency);
    if (!expected)
      return stop(origin_error(draft.total.at, "amount-syntax",
                               expected.error().message,
                               expected.error().hint));
    if (*expected != inv.totals.total)
      return stop(origin_error(
          draft.total.at, "total-mismatch",
          fmt::format("total {} is not the {} computed from the lines",
                      expected->to_string(), inv.totals.total.to_string()),
          "check the lines' quantities, prices, discounts and tax codes "
          "against the other system"));
  }
  return inv;
}

bool DraftPricer::lines(const InvoiceDraft& draft, NewInvoice& inv,
                        Problems& problems) {
  const auto cur = inv.currency;
  if (draft.lines.empty()) {
    problems.add(origin_error(draft.at, "no-lines",
                              "an invoice needs at least one line",
                              "give --line DESCRIPTION QTY UNIT_PRICE or "
                              "--amount AMOUNT"));
    return false;
  }
  const TaxCode* default_code =
      draft.tax_code.given ? lookup_tax_code(m_config, draft.tax_code, problems)
                           : nullptr;
  if (draft.tax_code.given && !draft.tax_code.text.empty() && !default_code)
    return false;

  struct Parsed {
    Decimal quantity, unit_price;
    const TaxCode* code;
  };
  std::vector<Parsed> parsed;
  bool ok = true;
  for (const auto& line : draft.lines) {
    Parsed p{};
    const auto number = [&](const DraftField& f, std::string_view what,
                            Decimal& out) {
      if (!f.given || f.text.empty()) {
        problems.add(origin_error(f.given ? f.at : line.at, "missing-value",
                                  fmt::format("a line needs a {}", what)));
        return false;
      }
      auto d = parse_decimal(f.text, 9, what);
      if (!d) {
        problems.add(origin_error(f.at, "number-syntax", d.error().message,
                                  d.error().hint));
        return false;
      }
      out = *d;
      return true;
    };
    ok = number(line.quantity, "quantity", p.quantity) && ok;
    if (line.is_amount) {
      auto amount = Money::parse(line.unit_price.text, cur);
      if (!amount) {
        problems.add(origin_error(line.unit_price.at, "amount-syntax",
                                  amount.error().message, amount.error().hint));
        ok = false;
      }
    }
    ok = number(line.unit_price, line.is_amount ? "amount" : "unit price",
                p.unit_price) &&
         ok;
    p.code = line.tax_code.given
                 ? lookup_tax_code(m_config, line.tax_code, problems)
                 : default_code;
    if (line.tax_code.given && !line.tax_code.text.empty() && !p.code)
      ok = false;
    for (const auto* text : {&line.item, &line.description, &line.note})
      if (auto why = utf8_problem(text->text)) {
        problems.add(origin_error(text->at, "utf8", *why));
        ok = false;
      }
    parsed.push_back(p);
  }
  if (!ok)
    return false;

  // Each line's own discount first, then the invoice discount spread over
  // the lines in proportion to what is left of them, so the tax follows
  // the discounted amounts and the parts add up exactly.
  std::vector<std::int64_t> after_own;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    const auto& line = draft.lines[i];
    const auto gross = extend(parsed[i].quantity, parsed[i].unit_price, cur,
                              m_config.rounding);
    if (!gross) {
      problems.add(origin_error(line.unit_price.at, "amount-overflow",
                                "quantity × unit price is too large"));
      return false;
    }
    if (line.discount.given && !line.discount.text.empty() &&
        gross->minor() <= 0) {
      problems.add(origin_error(line.discount.at, "discount-range",
                                "only a line of more than zero can have a "
                                "discount"));
      return false;
    }
    auto own =
        parse_discount(line.discount, *gross, m_config.rounding, "discount");
    if (!own) {
      problems.add(std::move(own.error()));
      return false;
    }
    NewLine l;
    l.description = line.description.text;
    l.quantity = parsed[i].quantity;
    l.unit_price = parsed[i].unit_price;
    l.gross = *gross;
    l.line_discount = *own;
    l.invoice_discount = Money::zero(cur);
    inv.lines.push_back(std::move(l));
    after_own.push_back(
        std::max<std::int64_t>(0, gross->minor() - own->minor()));
  }
  std::int64_t base = 0;
  for (const auto a : after_own)
    base += a;
  auto whole = parse_discount(draft.discount, Money{base, cur},
                              m_config.rounding, "invoice discount");
  if (!whole) {
    problems.add(std::move(whole.error()));
    return false;
  }
  if (!whole->is_zero()) {
    const auto shares = allocate(*whole, after_own);
    for (std::size_t i = 0; i < shares.size(); ++i)
      inv.lines[i].invoice_discount = shares[i];
  }

  std::vector<PricedLine> priced_lines;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    auto& l = inv.lines[i];
    auto priced =
        price_line(m_config, cur, l.quantity, l.unit_price,
                   *add(l.line_discount, l.invoice_discount), parsed[i].code);
    if (!priced) {
      problems.add(origin_error(draft.lines[i].at, "amount-overflow",
                                "the line's amount is too large"));
      return false;
    }
    l.priced = *priced;
    priced_lines.push_back(*priced);
  }
  auto totals = invoice_totals(m_config, cur, priced_lines);
  auto taxes = tax_by_code(m_config, cur, priced_lines);
  if (!totals || !taxes) {
    problems.add(origin_error(draft.at, "amount-overflow",
                              "the invoice's total is too large"));
    return false;
  }
  if (totals->total.is_negative()) {
    problems.add(origin_error(
        draft.lines.back().at, "total-negative",
        fmt::format("the invoice's total {} is negative",
                    totals->total.to_string()),
        "a credit is issued as a credit memo: 'arctl invoice credit'"));
    return false;
  }
  inv.totals = *totals;
  inv.taxes = std::move(*taxes);
  return true;
}

// The records of one new invoice: its row, its lines, and an override.
Result<void> append_invoice(RecordAppender& out, const Books& books,
                            const InvoiceDraft& draft, const NewInvoice& inv,
                            std::string_view override_reason) {
  const auto cur = inv.currency;
  const auto amount = [&](Money m) { return m.to_string(); };
  const auto customer = std::string(books.customers[inv.customer].id);
  const std::array<FieldValue, 11> row{{
      {"id", inv.id},
      {"customer", customer},
      {"date", format_date(inv.date)},
      {"due", format_date(inv.due)},
      {"currency", std::string(cur.name())},
      {"terms", inv.terms},
      {"subtotal", amount(inv.totals.subtotal)},
      {"tax", amount(inv.totals.tax)},
      {"total", amount(inv.totals.total)},
      {"po", draft.po.text},
      {"memo", draft.memo.text},
  }};
  if (auto ok = out.append(Table::invoices, row, inv.date); !ok)
    return ok;
  for (std::size_t i = 0; i < inv.lines.size(); ++i) {
    const auto& line = draft.lines[i];
    const auto& l = inv.lines[i];
    const auto discount = *add(l.line_discount, l.invoice_discount);
    const bool own_tax =
        l.priced.code && books.config.tax_rounding == TaxRounding::line;
    const std::array<FieldValue, 11> values{{
        {"invoice", inv.id},
        {"line", std::to_string(i + 1)},
        {"item", line.item.text},
        {"description", line.description.text},
        {"qty", l.quantity.normalized().to_string()},
        {"unit_price", l.unit_price.normalized().to_string()},
        {"discount", discount.is_zero() ? std::string() : amount(discount)},
        {"tax_code", l.priced.code ? l.priced.code->code : std::string()},
        {"amount", amount(l.priced.amount)},
        {"tax", own_tax ? amount(l.priced.tax) : std::string()},
        {"note", line.note.text},
    }};
    if (auto ok = out.append(Table::invoice_lines, values, inv.date); !ok)
      return ok;
  }
  if (inv.overridden) {
    const std::array<FieldValue, 5> values{{
        {"date", format_date(inv.date)},
        {"kind", std::string(to_string(EventKind::override_))},
        {"customer", customer},
        {"invoice", inv.id},
        {"reason", std::string(override_reason)},
    }};
    if (auto ok = out.append(Table::events, values, inv.date); !ok)
      return ok;
  }
  return {};
}

} // namespace

Result<InvoicePlan> plan_new_invoices(const Books& books,
                                      std::span<const InvoiceDraft> drafts,
                                      Date today,
                                      std::string_view override_reason) {
  if (auto why = utf8_problem(override_reason))
    return fail(ExitCode::usage, "--override: " + *why);
  if (drafts.empty())
    return fail(ExitCode::usage, "no invoices to create");
  InvoicePlan plan;
  Problems problems;
  Numberer numbers(books);
  DraftPricer pricer(books, today, numbers);
  for (const auto& draft : drafts)
    if (auto inv = pricer.price(draft, problems))
      plan.invoices.push_back(std::move(*inv));
  if (problems.any())
    return std::unexpected(problems.error());

  // Credit control on the latest date among the new invoices: the credit
  // used then, plus the new invoices before this one.
  Date latest = plan.invoices.front().date;
  for (const auto& inv : plan.invoices)
    latest = std::max(latest, inv.date);
  const auto ledger = compute_ledger(books, latest);
  // A hold is taken from the ledger at each invoice's own date; that walk
  // is needed only for customers with holds at all, which are few.
  std::vector<bool> has_holds(books.customers.size(), false);
  for (const auto& e : books.events)
    if (e.kind == EventKind::hold)
      has_holds[e.customer] = true;
  std::map<Date, Ledger> ledgers_on;
  const auto hold_on = [&](std::uint32_t customer,
                           Date date) -> const CustomerState& {
    if (date == latest)
      return ledger.customers[customer];
    auto it = ledgers_on.find(date);
    if (it == ledgers_on.end())
      it = ledgers_on.emplace(date, compute_ledger(books, date)).first;
    return it->second.customers[customer];
  };
  std::map<std::uint32_t, std::int64_t> added;
  for (std::size_t k = 0; k < plan.invoices.size(); ++k) {
    auto& inv = plan.invoices[k];
    const auto& c = books.customers[inv.customer];
    auto& before = added[inv.customer];
    inv.credit_limit = c.credit_limit;
    inv.credit_used = credit_used(books, ledger, inv.customer) + before;
    before += inv.totals.total.minor();
    if (drafts[k].charge)
      continue;
    const auto hold_reason =
        has_holds[inv.customer] && hold_on(inv.customer, inv.date).on_hold
            ? std::optional(hold_on(inv.customer, inv.date).hold_reason)
            : std::nullopt;
    inv.on_hold = hold_reason.has_value();
    const bool over =
        c.credit_limit &&
        inv.credit_used + inv.totals.total.minor() > *c.credit_limit;
    if (!over && !inv.on_hold)
      continue;
    if (!override_reason.empty()) {
      inv.overridden = true;
      continue;
    }
    const auto& at = drafts[k].customer.at;
    const auto cur = inv.currency;
    if (inv.on_hold)
      problems.add(origin_error(
          at, "customer-on-hold",
          fmt::format("customer {} is on credit hold on {}{}; invoice {} for "
                      "{} {} is refused",
                      c.id, format_date(inv.date),
                      hold_reason->empty() ? std::string()
                                           : fmt::format(" ({})", *hold_reason),
                      inv.id, cur.name(),
                      money_text(inv.totals.total.minor(), cur)),
          "release the hold with 'arctl customer release', or give "
          "--override REASON to issue it anyway",
          ExitCode::data));
    else
      problems.add(origin_error(
          at, "credit-limit",
          fmt::format("invoice {} would take customer {} over its credit "
                      "limit: limit {} {}, used {}, this invoice {}, {} over",
                      inv.id, c.id, cur.name(),
                      money_text(*c.credit_limit, cur),
                      money_text(inv.credit_used, cur),
                      money_text(inv.totals.total.minor(), cur),
                      money_text(inv.credit_used + inv.totals.total.minor() -
                                     *c.credit_limit,
                                 cur)),
          "give --override REASON to issue it anyway; the reason is "
          "recorded in events.csv",
          ExitCode::data));
  }
  if (problems.any())
    return std::unexpected(problems.error());

  RecordAppender out(books.dir, plan.planned);
  for (std::size_t k = 0; k < plan.invoices.size(); ++k) {
    if (auto ok = append_invoice(out, books, drafts[k], plan.invoices[k],
                                 override_reason);
        !ok)
      return std::unexpected(std::move(ok.error()));
    plan.planned.ids.push_back(plan.invoices[k].id);
  }
  return plan;
}

std::string explain(const NewInvoice& inv) {
  const auto cur = inv.currency;
  const auto m = [&](Money x) { return x.to_display(); };
  std::string out =
      fmt::format("invoice {}  date {}  due {}{}\n", inv.id,
                  format_date(inv.date), format_date(inv.due),
                  inv.terms.empty() ? std::string() : "  terms " + inv.terms);
  for (std::size_t i = 0; i < inv.lines.size(); ++i) {
    const auto& l = inv.lines[i];
    const auto* code = l.priced.code;
    out += fmt::format("line {}{}\n", i + 1,
                       l.description.empty() ? "" : ": " + l.description);
    out += fmt::format("  {} × {} = {}\n", l.quantity.to_string(),
                       l.unit_price.to_string(), m(l.gross));
    if (!l.line_discount.is_zero())
      out += fmt::format("  − line discount {}\n", m(l.line_discount));
    if (!l.invoice_discount.is_zero())
      out += fmt::format("  − share of the invoice discount {}\n",
                         m(l.invoice_discount));
    out += fmt::format(
        "  = amount {}{}\n", m(l.priced.amount),
        code ? fmt::format(" ({} {}%{})", code->code, code->rate.to_string(),
                           code->inclusive ? ", tax included" : "")
             : std::string());
  }
  for (const auto& t : inv.taxes)
    out += fmt::format(
        "tax {}: {}% {} {} = {}\n", t.code->code, t.code->rate.to_string(),
        t.code->inclusive ? "contained in" : "of", m(t.base), m(t.tax));
  out +=
      fmt::format("subtotal {}  tax {}  total {} {}\n", m(inv.totals.subtotal),
                  m(inv.totals.tax), cur.name(), m(inv.totals.total));
  if (inv.credit_limit)
    out += fmt::format(
        "credit limit {}, used {}, after this invoice {}{}\n",
        money_text(*inv.credit_limit, cur), money_text(inv.credit_used, cur),
        money_text(inv.credit_used + inv.totals.total.minor(), cur),
        inv.overridden ? " (overridden)" : "");
  if (inv.on_hold)
    out += fmt::format("customer on hold{}\n",
                       inv.overridden ? " (overridden)" : "");
  return out;
}

Result<void> check_reason(std::string_view reason, bool required,
                          std::string_view what) {
  if (auto why = utf8_problem(reason))
    return fail(ExitCode::usage, fmt::format("--reason: {}", *why));
  if (required && reason.empty())
    return fail(ExitCode::usage,
                fmt::format("--reason: {} needs a reason", what));
  return {};
}

Result<PlannedChange> plan_void_invoice(const Books& books,
                                        std::string_view invoice, Date date,
                                        std::string_view reason) {
  if (auto ok = check_reason(reason, true, "a void"); !ok)
    return std::unexpected(std::move(ok.error()));
  auto index = issued_invoice(books, invoice, date);
  if (!index)
    return std::unexpected(std::move(index.error()));
  if (auto open = check_open_period(books.dir, books.config.lock_date, date);
      !open)
    return std::unexpected(std::move(open.error()));
  const auto& inv = books.invoices[*index];
  // Nothing may be applied at any date: a void before a later payment
  // would leave that payment applied to a cancelled invoice.
  const auto ledger = compute_ledger(books, k_end_of_time);
  const auto& state = ledger.invoices[*index];
  if (state.void_)
    return fail(ExitCode::data,
                fmt::format("invoice {} is void already", inv.id));
  const auto in_use =
      state.paid + state.credited + state.discounted + state.written_off;
  if (in_use != 0)
    return fail(ExitCode::data,
                fmt::format("invoice {} cannot be voided: {} {} is applied to "
                            "it (paid {}, credited {}, discounted {}, written "
                            "off {}); undo the applications first, or issue "
                            "a credit memo with 'arctl invoice credit'",
                            inv.id, inv.currency.name(),
                            money_text(in_use, inv.currency),
                            money_text(state.paid, inv.currency),
                            money_text(state.credited, inv.currency),
                            money_text(state.discounted, inv.currency),
                            money_text(state.written_off, inv.currency)));
  PlannedChange plan;
  const auto id =
      Numberer(books).next(books.config.numbering.adjustment, date);
  const std::array<FieldValue, 8> values{{
      {"id", id},
      {"date", format_date(date)},
      {"kind", std::string(to_string(AdjustmentKind::void_))},
      {"customer", std::string(books.customers[inv.customer].id)},
      {"invoice", std::string(inv.id)},
      {"amount", format_minor_units(inv.total, inv.currency.exponent)},
      {"currency", std::string(inv.currency.name())},
      {"reason", std::string(reason)},
  }};
  if (auto ok = RecordAppender(books.dir, plan)
                    .append(Table::adjustments, values, date);
      !ok)
    return std::unexpected(std::move(ok.error()));
  plan.ids.push_back(id);
  return plan;
}

Result<PlannedChange> plan_credit_memo(const Books& books,
                                       const CreditDraft& draft) {
  if (auto ok = check_reason(draft.reason, false, "a credit memo"); !ok)
    return std::unexpected(std::move(ok.error()));
  std::optional<std::uint32_t> invoice;
  std::uint32_t customer = k_none;
  if (!draft.invoice.empty()) {
    auto index = issued_invoice(books, draft.invoice, draft.date);
    if (!index)
      return std::unexpected(std::move(index.error()));
    invoice = *index;
    customer = books.invoices[*index].customer;
    if (!draft.customer.empty() &&
        books.customers[customer].id != draft.customer)
      return fail(ExitCode::usage,
                  fmt::format("--customer: invoice {} is customer {}'s, not "
                              "{}'s",
                              draft.invoice, books.customers[customer].id,
                              draft.customer));
  } else {
    auto index = find_customer_id(books, draft.customer);
    if (!index)
      return std::unexpected(std::move(index.error()));
    customer = *index;
  }
  const auto currency = invoice ? books.invoices[*invoice].currency
                                : books.customers[customer].currency;
  auto amount = Money::parse(draft.amount, currency);
  if (!amount)
    return fail(ExitCode::usage, "--amount: " + amount.error().message);
  if (amount->minor() <= 0)
    return fail(ExitCode::usage,
                fmt::format("--amount: a credit memo is for more than zero, "
                            "not {}",
                            draft.amount));
  if (auto open =
          check_open_period(books.dir, books.config.lock_date, draft.date);
      !open)
    return std::unexpected(std::move(open.error()));
  if (invoice) {
    // At most what is open on the day and at every later date, so that
    // applications made later still fit.
    const auto& inv = books.invoices[*invoice];
    for (const auto as_of : {draft.date, k_end_of_time}) {
      const auto state = compute_ledger(books, as_of).invoices[*invoice];
      if (state.void_)
        return fail(ExitCode::data, fmt::format("invoice {} is void", inv.id));
      if (amount->minor() > state.open)
        return fail(
            ExitCode::data,
            fmt::format("a credit of {} {} is more than the {} open on "
                        "invoice {}{}",
                        currency.name(), amount->to_display(),
                        money_text(state.open, currency), inv.id,
                        as_of == draft.date
                            ? " on " + format_date(as_of)
                            : std::string(" after its later applications")));
    }
  }
  std::string id = draft.id;
  if (!id.empty()) {
    if (auto why = id_problem(id))
      return fail(ExitCode::usage,
                  fmt::format("--id: credit memo id \"{}\" {}", id, *why));
    if (auto where = id_taken(books, id, {}))
      return fail(
          ExitCode::data,
          fmt::format("--id: id \"{}\" is in use already ({})", id, *where));
  } else {
    id = Numberer(books).next(books.config.numbering.credit, draft.date);
  }
  PlannedChange plan;
  RecordAppender out(books.dir, plan);
  const auto customer_id = std::string(books.customers[customer].id);
  const auto invoice_id =
      invoice ? std::string(books.invoices[*invoice].id) : std::string();
  const std::array<FieldValue, 8> memo{{
      {"id", id},
      {"date", format_date(draft.date)},
      {"kind", std::string(to_string(AdjustmentKind::credit))},
      {"customer", customer_id},
      {"invoice", invoice_id},
      {"amount", amount->to_string()},
      {"currency", std::string(currency.name())},
      {"reason", draft.reason},
  }};
  if (auto ok = out.append(Table::adjustments, memo, draft.date); !ok)
    return std::unexpected(std::move(ok.error()));
  if (invoice) {
    const std::array<FieldValue, 4> applied{{
        {"date", format_date(draft.date)},
        {"source", id},
        {"invoice", invoice_id},
        {"amount", amount->to_string()},
    }};
    if (auto ok = out.append(Table::allocations, applied, draft.date); !ok)
      return std::unexpected(std::move(ok.error()));
  }
  plan.ids.push_back(id);
  return plan;
}

Result<PlannedChange> plan_invoice_event(const Books& books, EventKind kind,
                                         std::string_view invoice, Date date,
                                         std::string_view reason,
                                         std::string_view amount) {
  if (kind != EventKind::dispute && kind != EventKind::resolve)
    return fail(ExitCode::software,
                "an invoice event is a dispute or a resolve");
  const bool dispute = kind == EventKind::dispute;
  if (auto ok = check_reason(reason, dispute, "a dispute"); !ok)
    return std::unexpected(std::move(ok.error()));
  auto index = issued_invoice(books, invoice, date);
  if (!index)
    return std::unexpected(std::move(index.error()));
  const auto& inv = books.invoices[*index];
  std::string amount_text;
  if (!amount.empty()) {
    auto part = Money::parse(amount, inv.currency);
    if (!part)
      return fail(ExitCode::usage, "--amount: " + part.error().message);
    if (part->minor() <= 0 || part->minor() > inv.total)
      return fail(ExitCode::usage,
                  fmt::format("--amount: the disputed part must be more than "
                              "zero and at most the invoice's total {}",
                              money_text(inv.total, inv.currency)));
    amount_text = part->to_string();
  }
  if (auto open = check_open_period(books.dir, books.config.lock_date, date);
      !open)
    return std::unexpected(std::move(open.error()));
  const auto state = compute_ledger(books, date).invoices[*index];
  if (dispute && state.void_)
    return fail(ExitCode::data, fmt::format("invoice {} is void", inv.id));
  if (dispute && state.disputed)
    return fail(ExitCode::data,
                fmt::format("invoice {} is disputed already on {}", inv.id,
                            format_date(date)));
  if (!dispute && !state.disputed)
    return fail(ExitCode::data, fmt::format("invoice {} is not disputed on {}",
                                            inv.id, format_date(date)));
  for (const auto& e : books.events)
    if (e.invoice == *index && e.date > date &&
        (e.kind == EventKind::dispute || e.kind == EventKind::resolve))
      return fail(ExitCode::data,
                  fmt::format("invoice {} has a later {} on {} ({}:{}); "
                              "disputes and resolutions are recorded in date "
                              "order",
                              inv.id, to_string(e.kind), format_date(e.date),
                              books.dir.shown(schema(Table::events).file),
                              e.line));
  const std::array<FieldValue, 6> values{{
      {"date", format_date(date)},
      {"kind", std::string(to_string(kind))},
      {"customer", std::string(books.customers[inv.customer].id)},
      {"invoice", std::string(inv.id)},
      {"amount", amount_text},
      {"reason", std::string(reason)},
  }};
  PlannedChange plan;
  if (auto ok =
          RecordAppender(books.dir, plan).append(Table::events, values, date);
      !ok)
    return std::unexpected(std::move(ok.error()));
  return plan;
}

} // namespace arctl
