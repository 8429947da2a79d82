#include "arctl/drafts.hpp"

#include "arctl/toml_guard.hpp"

#include "arctl/csv.hpp"
#include "arctl/csv_input.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>

namespace arctl {

namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";

std::uint32_t clamp32(std::size_t v) {
  return v > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(v);
}

// ---------------------------------------------------------------------------
// The TOML draft

// The draft's text by lines. toml++ counts columns in code points; the
// diagnostics count bytes, as every other reader of arctl does, so that a
// caret lands under the same byte whatever the letters before it.
class SourceLines {
public:
  explicit SourceLines(std::string_view text) : m_text(text) {
    m_starts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n')
        m_starts.push_back(i + 1);
  }

  // Line `n` (1-based) without its line ending; empty past the end.
  [[nodiscard]] std::string_view line(std::uint32_t n) const {
    if (n == 0 || n > m_starts.size())
      return {};
    const auto start = m_starts[n - 1];
    auto end = n < m_starts.size() ? m_starts[n] - 1 : m_text.size();
    auto s = m_text.substr(start, end - start);
    if (!s.empty() && s.back() == '\r')
      s.remove_suffix(1);
    return s;
  }

  // The byte column of code point column `column` on line `n`. Columns
  // past the end of the line (the end of the file) count one byte each.
  [[nodiscard]] std::uint32_t byte_column(std::uint32_t n,
                                          std::uint32_t column) const {
    const auto text = line(n);
    column = std::max<std::uint32_t>(column, 1);
    std::size_t i = 0;
    std::uint32_t c = 1;
    while (c < column && i < text.size()) {
      ++i;
      while (i < text.size() &&
             (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
        ++i;
      ++c;
    }
    return clamp32(i + 1 + (column - c));
  }

private:
  std::string_view m_text;
  std::vector<std::size_t> m_starts;
};

enum class Kind {
  text,   // a string
  number, // an integer, a decimal literal (its text) or a string
  date,   // a local date (its literal text) or a string
};

template <class Owner> struct KeySpec {
  std::string_view name;
  Kind kind;
  DraftField Owner::*field;
};

constexpr std::array<KeySpec<InvoiceDraft>, 10> k_draft_keys{{
    {"customer", Kind::text, &InvoiceDraft::customer},
    {"id", Kind::text, &InvoiceDraft::id},
    {"date", Kind::date, &InvoiceDraft::date},
    {"terms", Kind::text, &InvoiceDraft::terms},
    {"due", Kind::date, &InvoiceDraft::due},
    {"tax", Kind::text, &InvoiceDraft::tax_code},
    {"discount", Kind::number, &InvoiceDraft::discount},
    {"po", Kind::text, &InvoiceDraft::po},
    {"memo", Kind::text, &InvoiceDraft::memo},
    {"total", Kind::number, &InvoiceDraft::total},
}};

constexpr std::array<KeySpec<DraftLine>, 7> k_line_keys{{
    {"item", Kind::text, &DraftLine::item},
    {"description", Kind::text, &DraftLine::description},
    {"qty", Kind::number, &DraftLine::quantity},
    {"unit_price", Kind::number, &DraftLine::unit_price},
    {"discount", Kind::number, &DraftLine::discount},
    {"tax", Kind::text, &DraftLine::tax_code},
    {"note", Kind::text, &DraftLine::note},
}};

template <class Owner>
const KeySpec<Owner>* find_key(std::span<const KeySpec<Owner>> keys,
                               std::string_view name) {
  for (const auto& k : keys)
    if (k.name == name)
      return &k;
  return nullptr;
}

template <class Owner>
std::string key_list(std::span<const KeySpec<Owner>> keys) {
  std::string out;
  for (const auto& k : keys)
    out += fmt::format("{}{}", out.empty() ? "" : ", ", k.name);
  return out;
}

// "a string", "an integer": what a value is, for "must be X, not Y".
std::string_view type_noun(const toml::node& node) {
  switch (node.type()) {
  case toml::node_type::string:
    return "a string";
  case toml::node_type::integer:
    return "an integer";
  case toml::node_type::floating_point:
    return "a decimal number";
  case toml::node_type::boolean:
    return "a boolean";
  case toml::node_type::date:
    return "a date";
  case toml::node_type::time:
    return "a time";
  case toml::node_type::date_time:
    return "a date and time";
  case toml::node_type::array:
    return "an array";
  case toml::node_type::table:
    return "a table";
  case toml::node_type::none:
    break;
  }
  return "nothing";
}

// A number written in the draft, or why it is not a plain decimal.
struct NumberText {
  std::string text;
  std::string problem; // empty: `text` is good
  std::string hint;
};

// The decimal text of a TOML integer or decimal from its literal, so that
// a decimal is never turned into binary and 0.1 stays exactly 0.1. Only the
// forms a decimal parser and a person read the same way are kept.
NumberText number_text(std::string_view literal, bool is_float,
                       std::int64_t integer, std::string_view key) {
  std::string_view sign;
  std::string_view body = literal;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    if (body.front() == '-')
      sign = "-";
    body.remove_prefix(1);
  }
  if (body == "inf" || body == "nan")
    return {{},
            fmt::format("{} {} is not a number", key, literal),
            "quantities and amounts are decimals such as 12.50"};
  if (!is_float && body.size() > 1 && body[0] == '0' &&
      (body[1] == 'x' || body[1] == 'o' || body[1] == 'b'))
    return {{},
            fmt::format("{} {} is not written in decimal", key, literal),
            fmt::format("write it in decimal: {} = {}", key, integer)};
  if (body.find_first_of("eE") != std::string_view::npos)
    return {{},
            fmt::format("{} {} is written with an exponent", key, literal),
            "write the number out in full, such as 1000 or 0.001"};
  if (body.find('_') != std::string_view::npos) {
    std::string plain(sign);
    for (const char c : body)
      if (c != '_')
        plain += c;
    return {{},
            fmt::format("{} {} has '_' between its digits", key, literal),
            fmt::format("write it without '_': {} = {}", key, plain)};
  }
  return {fmt::format("{}{}", sign, body), {}, {}};
}


// Walks the parsed draft, filling an InvoiceDraft and collecting every
// problem.
class DraftReader {
public:
  DraftReader(std::string_view text, const std::string& file)
      : m_lines(text), m_file(file) {}

  std::vector<Diagnostic> problems;

  // Line 1, column 1: where keys that are missing would go.
  [[nodiscard]] Origin start() const { return at_byte(1, 1, 1); }

  [[nodiscard]] Origin at_byte(std::uint32_t line, std::uint32_t column,
                               std::uint32_t span) const {
    Origin o;
    o.loc = {m_file, line, column};
    o.excerpt = std::string(m_lines.line(line));
    o.span = std::max<std::uint32_t>(1, span);
    return o;
  }

  // The place of a value or key: its first line, and the bytes of it there.
  [[nodiscard]] Origin at(const toml::source_region& region) const {
    if (region.begin.line == 0)
      return start();
    const auto line = region.begin.line;
    const auto column = m_lines.byte_column(line, region.begin.column);
    const auto excerpt_size = clamp32(m_lines.line(line).size());
    std::uint32_t end = excerpt_size + 1;
    if (region.end.line == line && region.end.column > region.begin.column)
      end = std::min(end, m_lines.byte_column(line, region.end.column));
    return at_byte(line, column, end > column ? end - column : 1);
  }

  void report(const Origin& where, std::string code, std::string message,
              std::string hint = {}) {
    problems.push_back(diagnostic_at(where, std::move(code), std::move(message),
                                     std::move(hint)));
  }

  void read(const toml::table& root, InvoiceDraft& draft);

private:
  void read_line(const toml::table& table, DraftLine& line);
  void read_value(const toml::node& node, std::string_view key, Kind kind,
                  DraftField& out);
  void wrong_type(const toml::node& node, std::string_view key,
                  std::string_view expected, std::string hint = {}) {
    report(
        at(node.source()), "wrong-type",
        fmt::format("'{}' must be {}, not {}", key, expected, type_noun(node)),
        std::move(hint));
  }

  // The text of a value as written: one line, without what follows it.
  [[nodiscard]] static std::string literal(const Origin& o) {
    auto s = std::string_view(o.excerpt);
    if (o.loc.column - 1 >= s.size())
      return {};
    s = s.substr(o.loc.column - 1, o.span);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
      s.remove_suffix(1);
    return std::string(s);
  }

  SourceLines m_lines;
  const std::string& m_file;
};

void DraftReader::read(const toml::table& root, InvoiceDraft& draft) {
  for (const auto& k : k_draft_keys)
    draft.*k.field = DraftField{{}, draft.at, false};
  bool has_lines = false;
  for (const auto& [key, node] : root) {
    const auto name = key.str();
    if (name == "line") {
      has_lines = true;
      const auto* lines = node.as_array();
      if (!lines) {
        wrong_type(node, "line", "an array of tables",
                   "each line of the invoice starts with [[line]], two "
                   "brackets on each side");
        continue;
      }
      if (lines->empty())
        report(at(node.source()), "no-lines", "the draft has no lines",
               "each line of the invoice starts with [[line]], followed by "
               "its qty and unit_price");
      for (const auto& element : *lines) {
        const auto* table = element.as_table();
        if (!table) {
          wrong_type(element, "line", "a table",
                     "each line of the invoice starts with [[line]], "
                     "followed by its keys");
          continue;
        }
        DraftLine line;
        read_line(*table, line);
        draft.lines.push_back(std::move(line));
      }
      continue;
    }
    if (const auto* spec = find_key<InvoiceDraft>(k_draft_keys, name)) {
      read_value(node, name, spec->kind, draft.*spec->field);
      continue;
    }
    report(at(key.source()), "unknown-key",
           fmt::format("unknown key '{}'", name),
           find_key<DraftLine>(k_line_keys, name)
               ? fmt::format("'{}' is a key of a line: put it under a "
                             "[[line]] header",
                             name)
               : fmt::format("known keys here: {}, line",
                             key_list<InvoiceDraft>(k_draft_keys)));
  }
  if (!root.contains("customer"))
    report(start(), "missing-key", "the draft has no customer",
           "name the customer at the top: customer = \"ACME\"");
  if (!has_lines)
    report(start(), "no-lines", "the draft has no lines",
           "each line of the invoice starts with [[line]], followed by its "
           "qty and unit_price");
  if (draft.terms.given && draft.due.given)
    report(draft.due.at, "terms-and-due", "terms and due exclude each other",
           "give terms to compute the due date, or due to set it");
}

void DraftReader::read_line(const toml::table& table, DraftLine& line) {
  line.at = at(table.source());
  for (const auto& k : k_line_keys)
    line.*k.field = DraftField{{}, line.at, false};
  for (const auto& [key, node] : table) {
    const auto name = key.str();
    if (const auto* spec = find_key<DraftLine>(k_line_keys, name)) {
      read_value(node, name, spec->kind, line.*spec->field);
      continue;
    }
    report(at(key.source()), "unknown-key",
           fmt::format("unknown key '{}' in a line", name),
           find_key<InvoiceDraft>(k_draft_keys, name) || name == "line"
               ? fmt::format("'{}' is a key of the invoice: put it above the "
                             "first [[line]]",
                             name)
               : fmt::format("known keys in a line: {}",
                             key_list<DraftLine>(k_line_keys)));
  }
  for (const std::string_view required : {"qty", "unit_price"})
    if (!table.contains(required))
      report(line.at, "missing-key",
             fmt::format("this line has no {}", required),
             fmt::format("add {} = {} under [[line]]", required,
                         required == "qty" ? "1" : "12.50"));
}

void DraftReader::read_value(const toml::node& node, std::string_view key,
                             Kind kind, DraftField& out) {
  const auto where = at(node.source());
  if (const auto* s = node.as_string()) {
    out = DraftField{s->get(), where, true};
    return;
  }
  switch (kind) {
  case Kind::text: {
    // A bare 100 or 2026-11-23 where text belongs is most likely meant as
    // that text: show how to write it.
    std::string hint;
    if (node.is_number() || node.is_date() || node.is_time() ||
        node.is_date_time())
      hint = fmt::format("put it in quotes: {} = \"{}\"", key, literal(where));
    wrong_type(node, key, "a string", std::move(hint));
    return;
  }
  case Kind::date:
    if (node.is_date()) {
      out = DraftField{literal(where), where, true};
      return;
    }
    wrong_type(node, key, "a date such as 2026-11-23");
    return;
  case Kind::number:
    if (node.is_integer() || node.is_floating_point()) {
      const auto* i = node.as_integer();
      auto number = number_text(literal(where), node.is_floating_point(),
                                i ? i->get() : 0, key);
      if (!number.problem.empty()) {
        report(where, "number-syntax", std::move(number.problem),
               std::move(number.hint));
        return;
      }
      out = DraftField{std::move(number.text), where, true};
      return;
    }
    wrong_type(node, key, "a number such as 12.50 or a string");
    return;
  }
}

// ---------------------------------------------------------------------------
// The CSV import

enum class Column : std::uint8_t {
  // The invoice's, from its first row.
  invoice,
  customer,
  date,
  due,
  terms,
  po,
  memo,
  tax,
  invoice_discount,
  total,
  // The line's, one per row.
  item,
  description,
  qty,
  unit_price,
  discount,
  tax_code,
  note,
  amount,
};

constexpr std::size_t k_column_count = 18;

constexpr std::array<std::string_view, k_column_count> k_column_names{
    "invoice",  "customer",   "date",
    "due",      "terms",      "po",
    "memo",     "tax",        "invoice_discount",
    "total",    "item",       "description",
    "qty",      "unit_price", "discount",
    "tax_code", "note",       "amount"};

// The invoice's columns after `invoice`, and where each goes.
constexpr std::array<std::pair<Column, DraftField InvoiceDraft::*>, 9>
    k_invoice_columns{{
        {Column::customer, &InvoiceDraft::customer},
        {Column::date, &InvoiceDraft::date},
        {Column::due, &InvoiceDraft::due},
        {Column::terms, &InvoiceDraft::terms},
        {Column::po, &InvoiceDraft::po},
        {Column::memo, &InvoiceDraft::memo},
        {Column::tax, &InvoiceDraft::tax_code},
        {Column::invoice_discount, &InvoiceDraft::discount},
        {Column::total, &InvoiceDraft::total},
    }};

// The line's columns but amount, which stands for qty and unit_price.
constexpr std::array<std::pair<Column, DraftField DraftLine::*>, 7>
    k_line_columns{{
        {Column::item, &DraftLine::item},
        {Column::description, &DraftLine::description},
        {Column::qty, &DraftLine::quantity},
        {Column::unit_price, &DraftLine::unit_price},
        {Column::discount, &DraftLine::discount},
        {Column::tax_code, &DraftLine::tax_code},
        {Column::note, &DraftLine::note},
    }};

constexpr std::string_view name_of(Column c) {
  return k_column_names[static_cast<std::size_t>(c)];
}

constexpr std::size_t col(Column c) { return static_cast<std::size_t>(c); }

// Reads the import record by record, collecting every problem.
class ImportReader {
public:
  explicit ImportReader(CsvInput& input) : m_in(input) {}

  std::vector<InvoiceDraft> drafts;

  // Whether the header has the columns an import needs.
  bool header();
  void row(const CsvRecord& rec);

private:
  [[nodiscard]] DraftField field(const CsvRecord& rec, Column c,
                                 const Origin& fallback) const {
    return m_in.field(rec, col(c), fallback);
  }
  void report(const Origin& where, std::string code, std::string message,
              std::string hint = {}) {
    m_in.report(where, std::move(code), std::move(message), std::move(hint));
  }

  void start_invoice(const CsvRecord& rec, std::string id);
  void same_invoice(const CsvRecord& rec);
  void add_line(const CsvRecord& rec);

  CsvInput& m_in;
  // The line of each invoice's first row, to tell a continuation of the
  // current invoice from a stray row of an earlier one.
  std::unordered_map<std::string, std::uint32_t> m_first_rows;
};

bool ImportReader::header() {
  const auto before = m_in.problems.size();
  for (const auto required : {Column::invoice, Column::customer})
    if (!m_in.has(col(required)))
      report(
          m_in.at_header(), "missing-column",
          fmt::format("required column \"{}\" is missing", name_of(required)),
          "the header needs invoice and customer, and qty and unit_price "
          "or amount");
  if (!m_in.has(col(Column::amount)))
    for (const auto needed : {Column::qty, Column::unit_price})
      if (!m_in.has(col(needed)))
        report(m_in.at_header(), "missing-column",
               fmt::format("column \"{}\" is missing", name_of(needed)),
               "each line needs qty and unit_price, or an amount column");
  return m_in.problems.size() == before;
}

void ImportReader::row(const CsvRecord& rec) {
  const auto invoice_at = m_in.at_column(rec, col(Column::invoice), {});
  const auto i = field(rec, Column::invoice, {});
  const std::string id = i.text;
  if (id.empty()) {
    report(invoice_at, "missing-value", "invoice is empty",
           "every row names the invoice it is a line of");
    return;
  }
  if (!drafts.empty() && drafts.back().id.text == id) {
    same_invoice(rec);
    add_line(rec);
    return;
  }
  if (const auto first = m_first_rows.find(id); first != m_first_rows.end()) {
    report(invoice_at, "invoice-not-consecutive",
           fmt::format("invoice \"{}\" started on line {}, before other "
                       "invoices",
                       id, first->second),
           "the rows of one invoice must be consecutive; sort the file by "
           "invoice");
    return;
  }
  start_invoice(rec, id);
  add_line(rec);
}

void ImportReader::start_invoice(const CsvRecord& rec, std::string id) {
  m_first_rows.emplace(id, rec.line);
  InvoiceDraft draft;
  draft.at = m_in.at_record(rec);
  draft.id = field(rec, Column::invoice, draft.at);
  for (const auto& [column, member] : k_invoice_columns)
    draft.*member = field(rec, column, draft.at);
  if (!draft.customer.given)
    report(draft.customer.at, "missing-value",
           "customer is empty on the invoice's first row",
           "the invoice's columns are read from its first row");
  if (draft.terms.given && draft.due.given)
    report(draft.due.at, "terms-and-due", "terms and due exclude each other",
           "give terms to compute the due date, or due to set it");
  drafts.push_back(std::move(draft));
}

// A later row of the current invoice may repeat the invoice's values or
// leave them empty; a different one would be silently lost, so it is an
// error. A customer missing from the first row is reported once, there.
void ImportReader::same_invoice(const CsvRecord& rec) {
  const auto& draft = drafts.back();
  for (const auto& [column, member] : k_invoice_columns) {
    const auto here = field(rec, column, draft.at);
    if (!here.given)
      continue;
    const auto& first = draft.*member;
    if (column == Column::customer && !first.given)
      continue;
    if (first.given && first.text == here.text)
      continue;
    report(here.at, "value-differs",
           first.given
               ? fmt::format("{} \"{}\" differs from line {}, which gives "
                             "\"{}\"",
                             name_of(column), here.text, draft.at.loc.line,
                             first.text)
               : fmt::format("{} \"{}\" differs from line {}, which leaves "
                             "it empty",
                             name_of(column), here.text,
                             draft.at.loc.line),
           "the invoice's columns are read from its first row; later rows "
           "leave them empty or repeat them");
  }
}

void ImportReader::add_line(const CsvRecord& rec) {
  DraftLine line;
  line.at = m_in.at_record(rec);
  for (const auto& [column, member] : k_line_columns)
    line.*member = field(rec, column, line.at);
  const auto amount = field(rec, Column::amount, line.at);
  if (amount.given) {
    if (line.quantity.given || line.unit_price.given) {
      report(amount.at, "amount-and-quantity",
             "amount excludes qty and unit_price",
             "give amount alone for a line of quantity 1, or qty and "
             "unit_price");
    } else {
      // A migrated line often has only its amount: quantity 1 at that
      // price gives the same line, and later refusals point at the amount.
      line.quantity = DraftField{"1", amount.at, true};
      line.unit_price = amount;
      line.is_amount = true;
    }
  } else {
    for (const auto* f : {&line.quantity, &line.unit_price})
      if (!f->given)
        report(f->at, "missing-value",
               fmt::format("{} is empty",
                           f == &line.quantity ? "qty" : "unit_price"),
               m_in.has(col(Column::amount))
                   ? "each line needs qty and unit_price, or an amount"
                   : "each line needs qty and unit_price");
  }
  drafts.back().lines.push_back(std::move(line));
}

} // namespace

Result<InvoiceDraft> parse_invoice_draft(std::string_view text,
                                         const std::string& file) {
  if (text.starts_with(k_bom))
    text.remove_prefix(k_bom.size());
  DraftReader reader(text, file);
  InvoiceDraft draft;
  draft.at = reader.start();
  if (const auto bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    // toml++ would say so too, but at the character before: point at the
    // byte itself.
    const auto [line, column] = line_and_column(text, bad, 1);
    reader.report(reader.at_byte(line, column, 1), "encoding",
                  invalid_byte_message(text, bad),
                  "drafts are UTF-8; save the file as UTF-8");
  } else if (const auto hazard = toml_hazard(text)) {
    // An error before the character is the first one, as toml++ would have
    // reported it; that part of the text is safe to show it.
    const auto [line, column] = line_and_column(text, hazard->offset, 1);
    Diagnostic first =
        diagnostic_at(reader.at_byte(line, column, clamp32(hazard->size)),
                      "draft-syntax", hazard->message, hazard->hint);
    if (hazard->offset > 0) {
      try {
        (void)toml::parse(text.substr(0, hazard->offset),
                          std::string_view(file));
      } catch (const toml::parse_error& e) {
        // An error at the end of the part only says that it was cut.
        const auto where = reader.at(e.source());
        const auto [last_line, last_column] =
            line_and_column(text, hazard->offset - 1, 1);
        if (std::pair(where.loc.line, where.loc.column) <
            std::pair(last_line, last_column))
          first = diagnostic_at(where, "draft-syntax",
                                std::string(e.description()), {});
      }
    }
    reader.problems.push_back(std::move(first));
  } else {
    try {
      const auto root = toml::parse(text, std::string_view(file));
      reader.read(root, draft);
    } catch (const toml::parse_error& e) {
      reader.report(reader.at(e.source()), "draft-syntax",
                    std::string(e.description()));
    }
  }
  if (!reader.problems.empty())
    return std::unexpected(problems_error(file, std::move(reader.problems)));
  return draft;
}

Result<std::vector<InvoiceDraft>>
parse_invoice_import(std::string_view text, const std::string& file) {
  CsvInput input(file, k_column_names);
  ImportReader reader(input);
  const bool any_rows =
      input.read(text, [&] { return reader.header(); },
                 [&](const CsvRecord& rec) { reader.row(rec); });
  if (!any_rows && input.problems.empty())
    input.report(input.at_header(), "no-invoices", "no invoices to import",
                 "an import has a header row and a row for each line of "
                 "each invoice");
  if (!input.problems.empty())
    return std::unexpected(problems_error(file, std::move(input.problems)));
  return std::move(reader.drafts);
}

} // namespace arctl
