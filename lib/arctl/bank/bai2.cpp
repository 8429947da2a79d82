// BAI2 (Cash Management Balance Reporting, version 2): a file (01 ... 99)
// of groups (02 ... 98) of accounts (03 ... 49), each account with summary
// and status amounts in its 03 record and transactions in 16 records; an
// 88 record continues the record before it. Every trailer carries a
// control total and a record count, which are checked.
#include "arctl/bank/reading.hpp"
#include "arctl/bank/statement.hpp"

#include <fmt/format.h>

namespace arctl {

namespace {

using bank::Problems;

// Records are cut at 80 characters unless the file header says otherwise;
// a text cut there (its record exactly that long) goes on in the next 88
// record without a space.
constexpr std::size_t k_record_length = 80;

// One logical record: a physical one and the 88 records that continue it.
struct Record {
  std::string code;          // "01", "16", ...
  std::string text;          // without the code and its comma, continued
  std::uint32_t line = 0;    // of the first physical record
  std::uint32_t records = 1; // physical records in it
};

// A record's fields one after the other, the last possibly ended by '/'.
class Fields {
public:
  explicit Fields(std::string_view text) : m_text(text) {}
  // The next field, or nothing at the end of the record.
  std::optional<std::string_view> next() {
    if (m_done)
      return std::nullopt;
    const auto end = m_text.find_first_of(",/", m_at);
    if (end == std::string_view::npos || m_text[end] == '/') {
      m_done = true;
      auto v = m_text.substr(m_at, end == std::string_view::npos
                                       ? std::string_view::npos
                                       : end - m_at);
      return trim(v);
    }
    auto v = m_text.substr(m_at, end - m_at);
    m_at = end + 1;
    return trim(v);
  }
  // Whatever is left, as text (a 16 record's text field, which may hold
  // commas and slashes): without a final '/' and outer spaces.
  std::optional<std::string_view> rest() {
    if (m_done)
      return std::nullopt;
    m_done = true;
    auto v = trim(m_text.substr(m_at));
    if (v.ends_with('/'))
      v.remove_suffix(1);
    return trim(v);
  }
  [[nodiscard]] bool done() const { return m_done; }

private:
  static std::string_view trim(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
      v.remove_prefix(1);
    while (!v.empty() &&
           (v.back() == ' ' || v.back() == '\t' || v.back() == '\r'))
      v.remove_suffix(1);
    return v;
  }
  std::string_view m_text;
  std::size_t m_at = 0;
  bool m_done = false;
};

// The type codes of money in and out, BAI2's own ranges and the ranges it
// leaves to banks.
enum class Direction { credit, debit, neither };
Direction direction_of(int type) {
  if ((type >= 100 && type <= 399) || (type >= 920 && type <= 959))
    return Direction::credit;
  if ((type >= 400 && type <= 699) || (type >= 960 && type <= 999))
    return Direction::debit;
  return Direction::neither;
}

class Reader {
public:
  Reader(const bank::Text& text, const StatementOptions& options)
      : m_text(text), m_options(options), m_problems(text) {}

  Result<Transactions> read() {
    const auto records = records_of();
    for (const auto& r : records)
      if (!record(r))
        break;
    if (m_problems.empty() && !m_file_closed)
      m_problems.add(m_text.lines(), 1, "bai2-truncated",
                     m_file_open ? "the file ends without its 99 trailer"
                                 : "the file has no 01 header",
                     "a BAI2 file runs from its 01 header to its 99 trailer");
    if (!m_problems.empty())
      return std::unexpected(m_problems.error());
    return std::move(m_out);
  }

private:
  // The records with their continuations joined: fields go on after a
  // comma, but the text of a 16 record goes on after a space, or directly
  // when the record before was cut at the record length.
  std::vector<Record> records_of() {
    std::vector<Record> out;
    std::size_t last_length = 0;
    for (std::uint32_t n = 1; n <= m_text.lines(); ++n) {
      auto line = m_text.line(n);
      const auto length = line.size();
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
      if (line.empty())
        continue;
      const auto comma = line.find(',');
      const auto code = line.substr(0, comma);
      const auto rest = comma == std::string_view::npos
                            ? std::string_view{}
                            : line.substr(comma + 1);
      if (code == "88" && !out.empty()) {
        auto& r = out.back();
        if (r.code == "16" && in_text(r.text)) {
          if (r.text.ends_with('/'))
            r.text.pop_back();
          if (last_length != m_record_length)
            r.text += ' ';
          r.text += rest;
        } else {
          if (r.text.ends_with('/'))
            r.text.pop_back();
          r.text += ',';
          r.text += rest;
        }
        ++r.records;
      } else {
        out.push_back({std::string(code), std::string(rest), n, 1});
        if (code == "01")
          m_record_length = record_length(rest);
      }
      last_length = length;
    }
    return out;
  }

  // The physical record length a file header gives (its sixth field), or
  // the usual one.
  static std::size_t record_length(std::string_view header) {
    Fields f(header);
    for (int i = 0; i < 5; ++i)
      f.next();
    const auto length = f.next().value_or("");
    if (length.empty() || length.size() > 4 ||
        length.find_first_not_of("0123456789") != std::string_view::npos)
      return k_record_length;
    return std::stoul(std::string(length));
  }

  // Whether the fields of a 16 record reach its text field.
  static bool in_text(std::string_view text) {
    Fields f(text);
    f.next(); // type
    f.next(); // amount
    const auto funds = f.next();
    if (!funds)
      return false;
    const auto skip = [&](int n) {
      for (int i = 0; i < n; ++i)
        f.next();
    };
    if (*funds == "S")
      skip(3);
    else if (*funds == "V")
      skip(2);
    else if (*funds == "D") {
      const auto count = f.next();
      int n = 0;
      for (const char c : count.value_or(""))
        n = n * 10 + (c - '0');
      skip(2 * n);
    }
    f.next(); // bank reference
    f.next(); // customer reference
    return !f.done();
  }

  void problem(const Record& r, std::string code, std::string message,
               std::string hint = {}) {
    m_problems.add(r.line, 1, std::move(code), std::move(message),
                   std::move(hint), 2);
  }

  std::optional<std::int64_t> amount(const Record& r,
                                     std::optional<std::string_view> text,
                                     std::string_view what) {
    if (!text || text->empty())
      return std::int64_t{0};
    // Amounts are whole minor units with an optional sign.
    Currency units{{'X', 'X', 'X'}, 0};
    auto v = bank::signed_amount(*text, '.', units);
    if (!v || text->find('.') != std::string_view::npos) {
      problem(r, "bai2-amount",
              fmt::format("{} \"{}\" is not a whole number", what, *text));
      return std::nullopt;
    }
    return *v;
  }

  // Skips the funds availability of `funds` and returns whether it is
  // one BAI2 knows.
  bool availability(const Record& r, Fields& f, std::string_view funds) {
    const auto skip = [&](int n) {
      for (int i = 0; i < n; ++i)
        f.next();
    };
    if (funds.empty() || funds == "0" || funds == "1" || funds == "2" ||
        funds == "Z")
      return true;
    if (funds == "S") {
      skip(3);
      return true;
    }
    if (funds == "V") {
      skip(2);
      return true;
    }
    if (funds == "D") {
      const auto count = f.next().value_or("");
      int n = 0;
      for (const char c : count) {
        if (c < '0' || c > '9')
          break;
        n = n * 10 + (c - '0');
      }
      skip(2 * n);
      return true;
    }
    problem(r, "bai2-funds",
            fmt::format("funds type \"{}\" is not one of 0, 1, 2, S, V, D, Z",
                        funds));
    return false;
  }

  // Compares a trailer's control total and record count with what was
  // read.
  void control(const Record& r, std::string_view what, std::int64_t total,
               std::int64_t expected_total, std::uint32_t records,
               std::uint32_t expected_records) {
    if (!m_options.check_balances)
      return;
    if (total != expected_total)
      problem(r, "bai2-total-mismatch",
              fmt::format("the {} control total {} is not the sum of the "
                          "amounts in it, {}",
                          what, total, expected_total),
              "the file is damaged or incomplete; --no-balance-check imports "
              "it as it is");
    else if (records != expected_records)
      problem(r, "bai2-count-mismatch",
              fmt::format("the {} trailer counts {} records, but there are {}",
                          what, records, expected_records),
              "the file is damaged or incomplete; --no-balance-check imports "
              "it as it is");
  }

  // A group's or the file's trailer: its control total, number of accounts
  // or groups and number of records, each checked. Its total, or nothing
  // when it does not read.
  std::optional<std::int64_t>
  trailer(const Record& r, Fields& f, std::string_view what,
          std::string_view parts, std::int64_t expected_total,
          std::int64_t expected_parts, std::uint32_t expected_records) {
    const auto total =
        amount(r, f.next(), fmt::format("{} control total", what));
    const auto count = amount(r, f.next(), fmt::format("number of {}", parts));
    const auto records = amount(r, f.next(), "number of records");
    if (!total || !count || !records)
      return std::nullopt;
    control(r, what, *total, expected_total,
            static_cast<std::uint32_t>(*records), expected_records);
    if (m_options.check_balances && *count != expected_parts)
      problem(r, "bai2-count-mismatch",
              fmt::format("the {} trailer counts {} {}, but there are {}", what,
                          *count, parts, expected_parts));
    return total;
  }

  // Reads one record; false to stop.
  bool record(const Record& r) {
    Fields f(r.text);
    const auto expect = [&](bool ok, std::string_view after) {
      if (!ok)
        problem(r, "bai2-order",
                fmt::format("a {} record cannot come {}", r.code, after));
      return ok;
    };
    m_file_records += r.records;
    m_group_records += r.records;
    m_account_records += r.records;
    if (r.code == "01") {
      if (!expect(!m_file_open, "after the 01 header"))
        return false;
      m_file_open = true;
      m_file_records = r.records;
    } else if (r.code == "02") {
      if (!expect(m_file_open && !m_group_open, "here: a group starts after "
                                                "the file header or a 98"))
        return false;
      m_group_open = true;
      m_group_records = r.records;
      m_group_total = 0;
      m_group_accounts = 0;
      f.next(); // receiver
      f.next(); // originator
      f.next(); // status
      const auto as_of = f.next().value_or("");
      m_group_date = bank::yymmdd(as_of);
      if (!m_group_date) {
        problem(r, "bai2-date",
                fmt::format("as-of date \"{}\" is not a date (YYMMDD)", as_of));
        return false;
      }
      f.next(); // time
      m_group_currency = std::string(f.next().value_or(""));
    } else if (r.code == "03") {
      if (!expect(m_group_open && !m_account_open,
                  "here: an account starts in a group, after a 02 or a 49"))
        return false;
      m_account_open = true;
      m_account_records = r.records;
      m_account_total = 0;
      ++m_group_accounts;
      m_account = std::string(f.next().value_or(""));
      auto code = std::string(f.next().value_or(""));
      if (code.empty())
        code = m_group_currency.empty() ? "USD" : m_group_currency;
      m_currency = bank::currency_at(code, m_problems, r.line, 1);
      if (!m_currency)
        return false;
      // Summary and status: type, amount, item count, funds type.
      // An empty field where a type code would be (a record ending ",/")
      // is skipped.
      while (auto type = f.next()) {
        if (type->empty())
          continue;
        const auto a = amount(r, f.next(), "amount");
        if (!a)
          return false;
        m_account_total += *a;
        f.next(); // item count
        if (!availability(r, f, f.next().value_or("")))
          return false;
      }
    } else if (r.code == "16") {
      if (!expect(m_account_open, "outside an account"))
        return false;
      return detail(r, f);
    } else if (r.code == "49") {
      if (!expect(m_account_open, "outside an account"))
        return false;
      const auto total = amount(r, f.next(), "account control total");
      const auto count = amount(r, f.next(), "number of records");
      if (!total || !count)
        return false;
      control(r, fmt::format("account {}", m_account), *total, m_account_total,
              static_cast<std::uint32_t>(*count), m_account_records);
      m_group_total += *total;
      m_account_open = false;
    } else if (r.code == "98") {
      if (!expect(m_group_open && !m_account_open,
                  "here: a group ends after its accounts' 49 records"))
        return false;
      const auto total = trailer(r, f, "group", "accounts", m_group_total,
                                 m_group_accounts, m_group_records);
      if (!total)
        return false;
      m_file_total += *total;
      ++m_file_groups;
      m_group_open = false;
    } else if (r.code == "99") {
      if (!expect(m_file_open && !m_group_open,
                  "here: the file ends after its groups' 98 records"))
        return false;
      if (!trailer(r, f, "file", "groups", m_file_total, m_file_groups,
                   m_file_records))
        return false;
      m_file_closed = true;
      m_file_open = false;
    } else if (r.code == "88") {
      problem(r, "bai2-order", "an 88 record continues nothing");
      return false;
    } else {
      problem(r, "bai2-record",
              fmt::format("\"{}\" is not a BAI2 record code", r.code),
              "records are 01, 02, 03, 16, 88, 49, 98 and 99");
      return false;
    }
    return true;
  }

  bool detail(const Record& r, Fields& f) {
    const auto type_text = f.next().value_or("");
    int type = -1;
    if (type_text.size() == 3 &&
        type_text.find_first_not_of("0123456789") == std::string_view::npos)
      type = std::stoi(std::string(type_text));
    const auto direction = direction_of(type);
    if (direction == Direction::neither) {
      problem(r, "bai2-type",
              fmt::format("type code \"{}\" is not one of a transaction",
                          type_text),
              "credits are 100-399 and 920-959, debits 400-699 and 960-999");
      return false;
    }
    const auto minor = amount(r, f.next(), "amount");
    if (!minor)
      return false;
    m_account_total += *minor;
    const auto funds = f.next().value_or("");
    std::optional<Date> value_date;
    if (funds == "V") {
      value_date = bank::yymmdd(f.next().value_or(""));
      f.next(); // time
    } else if (!availability(r, f, funds)) {
      return false;
    }
    BankTransaction t;
    t.account = m_account;
    t.date = *m_group_date;
    t.value_date = value_date;
    t.currency = *m_currency;
    // Amounts are in the currency's minor units.
    t.amount = direction == Direction::credit ? *minor : -*minor;
    t.type = std::string(type_text);
    t.bank_tx = std::string(f.next().value_or(""));
    t.reference = std::string(f.next().value_or(""));
    t.remittance = bank::squeeze(f.rest().value_or(""));
    t.line = r.line;
    m_out.push_back(std::move(t));
    return true;
  }

  const bank::Text& m_text;
  const StatementOptions& m_options;
  Problems m_problems;
  Transactions m_out;
  std::size_t m_record_length = k_record_length;
  bool m_file_open = false, m_file_closed = false;
  bool m_group_open = false, m_account_open = false;
  std::optional<Date> m_group_date;
  std::string m_group_currency, m_account;
  std::optional<Currency> m_currency;
  std::int64_t m_account_total = 0, m_group_total = 0, m_file_total = 0;
  std::uint32_t m_account_records = 0, m_group_records = 0, m_file_records = 0;
  std::int64_t m_group_accounts = 0, m_file_groups = 0;
};

} // namespace

Result<Transactions> parse_bai2(std::string_view text,
                                const StatementOptions& options) {
  const bank::Text lines(text, options.file);
  return Reader(lines, options).read();
}

} // namespace arctl
