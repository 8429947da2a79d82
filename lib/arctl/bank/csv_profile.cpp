// A bank's CSV export, read as its profile in arctl.toml says: which line
// the header is on, which column holds what, how dates and amounts are
// written and which way amounts point.
#include "arctl/bank/reading.hpp"
#include "arctl/bank/statement.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arctl {

namespace {

using bank::Problems;
using bank::squeeze;

struct Cell {
  std::string text;
  std::size_t at = 0; // offset where the cell starts
};

struct Row {
  std::vector<Cell> cells;
  std::size_t at = 0;
};

// The records of delimited text from `at` on: fields may be quoted with
// '"' (a quote inside written twice) and then hold the delimiter and line
// breaks. Blank lines are left out.
std::vector<Row> rows_of(std::string_view text, std::size_t at, char delimiter,
                         Problems& problems) {
  std::vector<Row> rows;
  while (at < text.size()) {
    Row row;
    row.at = at;
    bool end_of_record = false;
    while (!end_of_record) {
      Cell cell;
      cell.at = at;
      if (at < text.size() && text[at] == '"') {
        ++at;
        for (;;) {
          if (at >= text.size()) {
            problems.at_offset(cell.at, "csv-syntax",
                               "a quoted field is not closed");
            return rows;
          }
          if (text[at] == '"') {
            if (at + 1 < text.size() && text[at + 1] == '"') {
              cell.text += '"';
              at += 2;
              continue;
            }
            ++at;
            break;
          }
          cell.text += text[at++];
        }
        // Nothing but spaces may follow the closing quote.
        while (at < text.size() && text[at] == ' ')
          ++at;
        if (at < text.size() && text[at] != delimiter && text[at] != '\r' &&
            text[at] != '\n')
          problems.at_offset(at, "csv-syntax",
                             "text after the closing quote of a field");
      } else {
        while (at < text.size() && text[at] != delimiter && text[at] != '\n')
          cell.text += text[at++];
        if (!cell.text.empty() && cell.text.back() == '\r')
          cell.text.pop_back();
      }
      row.cells.push_back(std::move(cell));
      if (at < text.size() && text[at] == delimiter) {
        ++at;
      } else {
        while (at < text.size() && text[at] != '\n')
          ++at;
        ++at;
        end_of_record = true;
      }
    }
    const bool blank =
        std::all_of(row.cells.begin(), row.cells.end(),
                    [](const Cell& c) { return squeeze(c.text).empty(); });
    if (!blank)
      rows.push_back(std::move(row));
  }
  return rows;
}

class Reader {
public:
  Reader(const bank::Text& text, const StatementOptions& options)
      : m_text(text), m_options(options), m_profile(*options.profile),
        m_problems(text) {}

  Result<Transactions> read() {
    std::size_t at = 0;
    for (int i = 0; i < m_profile.skip_lines && at < m_text.text().size();
         ++i) {
      const auto nl = m_text.text().find('\n', at);
      at = nl == std::string_view::npos ? m_text.text().size() : nl + 1;
    }
    auto rows = rows_of(m_text.text(), at, m_profile.delimiter, m_problems);
    if (!m_problems.empty())
      return std::unexpected(m_problems.error());
    std::size_t first = 0;
    if (m_profile.header) {
      if (rows.empty()) {
        m_problems.add(1, 1, "csv-header",
                       fmt::format("the file has no header row{}",
                                   m_profile.skip_lines
                                       ? fmt::format(" after the {} lines the "
                                                     "profile skips",
                                                     m_profile.skip_lines)
                                       : std::string()));
        return std::unexpected(m_problems.error());
      }
      m_header = &rows[0];
      first = 1;
    }
    if (!map_columns())
      return std::unexpected(m_problems.error());
    for (std::size_t i = first; i < rows.size(); ++i)
      row(rows[i]);
    if (!m_problems.empty())
      return std::unexpected(m_problems.error());
    return std::move(m_out);
  }

private:
  // The index in a row of each column of the profile.
  struct Mapped {
    int date = -1, value_date = -1, amount = -1, debit = -1, credit = -1,
        indicator = -1, currency = -1, account = -1, counterparty = -1,
        counterparty_account = -1, end_to_end = -1, reference = -1, type = -1,
        bank_tx = -1;
    std::vector<int> remittance;
  };

  int index_of(const std::optional<ProfileColumn>& column) {
    if (!column)
      return -1;
    if (column->position > 0)
      return column->position - 1;
    const auto& cells = m_header->cells;
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (squeeze(cells[i].text) == column->name)
        return static_cast<int>(i);
    const auto [line, col] = m_text.position(m_header->at);
    m_problems.add(line, col, "csv-column",
                   fmt::format("the header has no column \"{}\"", column->name),
                   fmt::format("profile {} names it at arctl.toml:{}:{}; the "
                               "columns are: {}",
                               m_profile.name, column->line, column->column,
                               header_names()));
    return -2;
  }

  std::string header_names() const {
    std::string out;
    for (const auto& c : m_header->cells)
      out += fmt::format("{}\"{}\"", out.empty() ? "" : ", ", c.text);
    return out;
  }

  bool map_columns() {
    const auto& c = m_profile.columns;
    auto& m = m_mapped;
    const std::pair<const std::optional<ProfileColumn>*, int*> all[] = {
        {&c.date, &m.date},
        {&c.value_date, &m.value_date},
        {&c.amount, &m.amount},
        {&c.debit, &m.debit},
        {&c.credit, &m.credit},
        {&c.indicator, &m.indicator},
        {&c.currency, &m.currency},
        {&c.account, &m.account},
        {&c.counterparty, &m.counterparty},
        {&c.counterparty_account, &m.counterparty_account},
        {&c.end_to_end, &m.end_to_end},
        {&c.reference, &m.reference},
        {&c.type, &m.type},
        {&c.bank_tx, &m.bank_tx}};
    for (const auto& [column, index] : all)
      *index = index_of(*column);
    for (const auto& column : c.remittance)
      m.remittance.push_back(index_of(column));
    return m_problems.empty();
  }

  // The cell of column `index` in `r`, or nothing when the column is not
  // mapped; a row too short for it is reported once.
  const Cell* cell(const Row& r, int index) {
    if (index < 0)
      return nullptr;
    if (static_cast<std::size_t>(index) < r.cells.size())
      return &r.cells[static_cast<std::size_t>(index)];
    if (!m_short_reported) {
      const auto [line, col] = m_text.position(r.at);
      m_problems.add(line, col, "csv-field-count",
                     fmt::format("the row has {} fields, too few for column {}",
                                 r.cells.size(), index + 1));
    }
    m_short_reported = true;
    return nullptr;
  }

  std::string value(const Row& r, int index) {
    const auto* c = cell(r, index);
    return c ? squeeze(c->text) : std::string();
  }

  void problem(const Cell& c, std::string code, std::string message,
               std::string hint = {}) {
    m_problems.at_offset(c.at, std::move(code), std::move(message),
                         std::move(hint),
                         static_cast<std::uint32_t>(c.text.size()));
  }

  // An amount as the profile writes it: thousands separators left out, its
  // decimal separator, a sign before or after.
  std::optional<std::int64_t> amount(const Cell& c, Currency currency) {
    std::string t;
    for (const char ch : squeeze(c.text))
      if (m_profile.thousands.empty() || ch != m_profile.thousands[0])
        t += ch;
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    if (t.ends_with('-') && !t.starts_with('-'))
      t = "-" + t.substr(0, t.size() - 1);
    const auto v = bank::signed_amount(t, m_profile.decimal, currency);
    if (!v) {
      problem(c, "csv-amount", v.error(),
              fmt::format("profile {} reads amounts with '{}' for decimals{}",
                          m_profile.name, m_profile.decimal,
                          m_profile.thousands.empty()
                              ? std::string()
                              : fmt::format(" and '{}' between thousands",
                                            m_profile.thousands)));
      return std::nullopt;
    }
    return *v;
  }

  std::optional<Date> date(const Cell& c) {
    const auto d = parse_date_as(squeeze(c.text), m_profile.date_format);
    if (!d) {
      problem(c, "csv-date", d.error().message,
              fmt::format("profile {} reads dates as \"{}\"", m_profile.name,
                          m_profile.date_format));
      return std::nullopt;
    }
    return *d;
  }

  void row(const Row& r) {
    const auto& m = m_mapped;
    const auto before = m_problems.empty();
    if (m_header && r.cells.size() != m_header->cells.size()) {
      // Unnamed columns at the end of the header may be missing from rows,
      // and empty fields may be left over at the end of them.
      const auto& h = m_header->cells;
      const auto n = std::min(h.size(), r.cells.size());
      const bool fine =
          std::all_of(h.begin() + static_cast<std::ptrdiff_t>(n), h.end(),
                      [](const Cell& c) { return squeeze(c.text).empty(); }) &&
          std::all_of(r.cells.begin() + static_cast<std::ptrdiff_t>(n),
                      r.cells.end(),
                      [](const Cell& c) { return squeeze(c.text).empty(); });
      if (!fine) {
        const auto [line, col] = m_text.position(r.at);
        m_problems.add(line, col, "csv-field-count",
                       fmt::format("the row has {} fields but the header {}",
                                   r.cells.size(), h.size()),
                       fmt::format("profile {} reads fields separated by "
                                   "'{}'; a field holding it must be quoted",
                                   m_profile.name,
                                   m_profile.delimiter == '\t'
                                       ? std::string("\\t")
                                       : std::string(1, m_profile.delimiter)));
        return;
      }
    }
    const auto* date_cell = cell(r, m.date);
    std::optional<Date> booked;
    if (date_cell)
      booked = date(*date_cell);
    std::optional<Date> value_date;
    if (const auto* v = cell(r, m.value_date); v && !squeeze(v->text).empty())
      value_date = date(*v);
    std::optional<Currency> currency = m_profile.currency;
    if (const auto* c = cell(r, m.currency)) {
      const auto [line, col] = m_text.position(c->at);
      currency = bank::currency_at(squeeze(c->text), m_problems, line, col);
    } else if (!currency) {
      currency = m_options.currency;
    }
    if (!booked || !currency)
      return;
    std::optional<std::int64_t> amount_value;
    if (m.amount >= 0) {
      const auto* a = cell(r, m.amount);
      if (!a)
        return;
      amount_value = amount(*a, *currency);
      if (!amount_value)
        return;
      if (const auto* ind = cell(r, m.indicator)) {
        const auto mark = squeeze(ind->text);
        const auto is = [&](const std::vector<std::string>& values) {
          return std::find(values.begin(), values.end(), mark) != values.end();
        };
        const auto size = std::abs(*amount_value);
        if (is(m_profile.credit_values)) {
          amount_value = size;
        } else if (is(m_profile.debit_values)) {
          amount_value = -size;
        } else {
          problem(*ind, "csv-indicator",
                  fmt::format("\"{}\" is neither a credit nor a debit", mark),
                  fmt::format("profile {} takes {} for credits and {} for "
                              "debits (credit_values, debit_values)",
                              m_profile.name,
                              fmt::join(m_profile.credit_values, ", "),
                              fmt::join(m_profile.debit_values, ", ")));
          return;
        }
      } else if (m_profile.sign == AmountSign::debit_positive) {
        amount_value = -*amount_value;
      }
    } else {
      const auto* d = cell(r, m.debit);
      const auto* c = cell(r, m.credit);
      if (!d || !c)
        return;
      const auto part = [&](const Cell& x) -> std::optional<std::int64_t> {
        if (squeeze(x.text).empty())
          return std::int64_t{0};
        const auto v = amount(x, *currency);
        return v ? std::optional(std::abs(*v)) : std::nullopt;
      };
      const auto out = part(*d);
      const auto in = part(*c);
      if (!out || !in)
        return;
      if (*out != 0 && *in != 0) {
        problem(*d, "csv-amount",
                "the row has both a debit and a credit amount");
        return;
      }
      amount_value = *in - *out;
    }
    if (!before && !m_problems.empty())
      return;
    BankTransaction t;
    t.account = value(r, m.account);
    if (t.account.empty())
      t.account = m_profile.account;
    t.date = *booked;
    t.value_date = value_date;
    t.amount = *amount_value;
    t.currency = *currency;
    t.counterparty = value(r, m.counterparty);
    t.counterparty_account = value(r, m.counterparty_account);
    for (const int i : m.remittance)
      bank::append_text(t.remittance, value(r, i));
    t.end_to_end = value(r, m.end_to_end);
    t.reference = value(r, m.reference);
    t.type = value(r, m.type);
    t.bank_tx = value(r, m.bank_tx);
    t.line = m_text.position(r.at).first;
    m_out.push_back(std::move(t));
  }

  const bank::Text& m_text;
  const StatementOptions& m_options;
  const BankProfile& m_profile;
  Problems m_problems;
  Transactions m_out;
  const Row* m_header = nullptr;
  Mapped m_mapped;
  bool m_short_reported = false;
};

} // namespace

Result<Transactions> parse_bank_csv(std::string_view text,
                                    const StatementOptions& options) {
  if (!options.profile)
    return fail(ExitCode::usage,
                "a CSV statement needs a profile: --profile NAME, from "
                "[bank.profile.NAME] in arctl.toml");
  const bank::Text lines(text, options.file);
  return Reader(lines, options).read();
}

} // namespace arctl
