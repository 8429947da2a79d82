// OFX bank and credit card statements: version 1 (SGML, where elements
// holding a value need no closing tag, after header lines of their own)
// and version 2 (XML). One reader takes both: an element with text is a
// value, closed by its closing tag or by whatever tag comes next; any
// other element is an aggregate and must be closed.
#include "arctl/bank/reading.hpp"
#include "arctl/bank/statement.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace arctl {

namespace {

using bank::Problems;

// Text between tags with its entities and CDATA sections resolved.
std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i).starts_with("<![CDATA[")) {
      const auto end = text.find("]]>", i + 9);
      out += text.substr(i + 9, end == std::string_view::npos
                                    ? std::string_view::npos
                                    : end - i - 9);
      if (end == std::string_view::npos)
        break;
      i = end + 2;
      continue;
    }
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const auto semi = text.find(';', i);
    const auto name = semi == std::string_view::npos
                          ? std::string_view{}
                          : text.substr(i + 1, semi - i - 1);
    if (name == "amp")
      out += '&';
    else if (name == "lt")
      out += '<';
    else if (name == "gt")
      out += '>';
    else if (name == "quot")
      out += '"';
    else if (name == "apos")
      out += '\'';
    else if (name.starts_with('#') && name.size() > 1) {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      char32_t c = 0;
      for (const char d : name.substr(hex ? 2 : 1))
        c = c * (hex ? 16 : 10) + static_cast<char32_t>(d >= 'a' ? d - 'a' + 10
                                                        : d >= 'A'
                                                            ? d - 'A' + 10
                                                            : d - '0');
      // As UTF-8.
      if (c < 0x80) {
        out += static_cast<char>(c);
      } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
      } else {
        out += static_cast<char>(0xE0 | ((c >> 12) & 0x0F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
      }
    } else {
      out += '&';
      continue;
    }
    i = semi;
  }
  return out;
}

// A transaction while its elements are read.
struct Pending {
  std::string type, posted, available, amount, fitid, checknum, refnum, name,
      payee, memo, currency, account_to;
  std::size_t at = 0;        // offset of <STMTTRN>
  std::size_t amount_at = 0; // offset of the amount's text
  std::size_t posted_at = 0;
};

struct OpenElement {
  std::string name;
  std::size_t at = 0; // offset of its tag
  bool has_text = false;
  std::string text;
  std::size_t text_at = 0;
};

class Reader {
public:
  explicit Reader(const bank::Text& text) : m_text(text), m_problems(text) {}

  Result<Transactions> read() {
    const auto t = m_text.text();
    auto at = t.find('<');
    while (at != std::string_view::npos && at < t.size()) {
      if (t.substr(at).starts_with("<?") || t.substr(at).starts_with("<!--")) {
        const auto end = t.find(t[at + 1] == '?' ? "?>" : "-->", at);
        at = end == std::string_view::npos ? t.size() : t.find('<', end);
        continue;
      }
      if (t.substr(at).starts_with("<![CDATA[")) {
        at = text_from(at);
        continue;
      }
      const auto close = t.find('>', at);
      if (close == std::string_view::npos) {
        m_problems.at_offset(at, "ofx-syntax", "a tag is not closed by '>'");
        break;
      }
      auto tag = t.substr(at + 1, close - at - 1);
      const bool closing = tag.starts_with('/');
      if (closing)
        tag.remove_prefix(1);
      const bool empty = tag.ends_with('/');
      if (empty)
        tag.remove_suffix(1);
      tag = tag.substr(0, tag.find_first_of(" \t\r\n"));
      if (closing) {
        if (!close_element(std::string(tag), at))
          break;
      } else {
        open_element(std::string(tag), at);
        if (empty)
          close_element(std::string(tag), at);
      }
      at = text_from(close + 1);
    }
    if (m_problems.empty()) {
      if (!m_stack.empty() && m_stack.back().has_text)
        end_top();
      if (!m_stack.empty()) {
        const auto& open = m_stack.back();
        m_problems.at_offset(
            m_text.text().size() - (m_text.text().empty() ? 0 : 1),
            "ofx-truncated",
            fmt::format("the file ends inside <{}>, opened at line {}",
                        open.name, m_text.position(open.at).first),
            "the file is incomplete");
      } else if (!m_seen_ofx) {
        m_problems.add(1, 1, "ofx-syntax", "there is no <OFX> element");
      }
    }
    if (!m_problems.empty())
      return std::unexpected(m_problems.error());
    return std::move(m_out);
  }

private:
  // Reads the text from `at` to the next tag; returns where that is.
  std::size_t text_from(std::size_t at) {
    const auto t = m_text.text();
    auto end = at;
    for (;;) {
      end = t.find('<', end);
      if (end == std::string_view::npos ||
          !t.substr(end).starts_with("<![CDATA["))
        break;
      const auto cdata_end = t.find("]]>", end);
      end = cdata_end == std::string_view::npos ? t.size() : cdata_end + 3;
    }
    const auto raw = t.substr(
        at, end == std::string_view::npos ? std::string_view::npos : end - at);
    // Text belongs to the element whose tag was the last one read.
    if (m_fresh && raw.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      auto& top = m_stack.back();
      top.has_text = true;
      top.text = bank::squeeze(unescape(raw));
      top.text_at = at + raw.find_first_not_of(" \t\r\n");
    }
    return end;
  }

  void open_element(std::string name, std::size_t at) {
    if (!m_stack.empty() && m_stack.back().has_text)
      end_top();
    if (name == "OFX")
      m_seen_ofx = true;
    if (name == "STMTRS" || name == "CCSTMTRS") {
      m_currency.clear();
      m_account.clear();
      m_statement.clear();
    } else if (name == "STMTTRN") {
      m_pending = Pending{};
      m_pending->at = at;
    }
    m_stack.push_back({std::move(name), at, false, {}, 0});
    m_fresh = true;
  }

  // Closes the element on top: a value, or an aggregate.
  void end_top() {
    m_fresh = false;
    auto e = std::move(m_stack.back());
    m_stack.pop_back();
    if (e.has_text)
      value(e);
    else
      aggregate_end(e);
  }

  bool close_element(const std::string& name, std::size_t at) {
    m_fresh = false;
    if (!m_stack.empty() && m_stack.back().has_text &&
        m_stack.back().name != name)
      end_top();
    const auto it = std::find_if(m_stack.rbegin(), m_stack.rend(),
                                 [&](const auto& e) { return e.name == name; });
    if (it == m_stack.rend()) {
      m_problems.at_offset(at, "ofx-syntax",
                           fmt::format("</{}> closes no element", name), {},
                           static_cast<std::uint32_t>(name.size() + 3));
      return false;
    }
    // Elements left open inside it had no value (an SGML empty element).
    const auto depth = static_cast<std::size_t>(m_stack.rend() - it);
    while (m_stack.size() >= depth)
      end_top();
    return true;
  }

  [[nodiscard]] std::string_view parent() const {
    return m_stack.empty() ? std::string_view{} : m_stack.back().name;
  }

  void value(const OpenElement& e) {
    const auto up = parent();
    if (e.name == "CURDEF") {
      m_currency = e.text;
    } else if (e.name == "ACCTID" &&
               (up == "BANKACCTFROM" || up == "CCACCTFROM")) {
      m_account = e.text;
    }
    if (!m_pending)
      return;
    auto& p = *m_pending;
    if (e.name == "TRNTYPE")
      p.type = e.text;
    else if (e.name == "DTPOSTED") {
      p.posted = e.text;
      p.posted_at = e.text_at;
    } else if (e.name == "DTAVAIL")
      p.available = e.text;
    else if (e.name == "TRNAMT") {
      p.amount = e.text;
      p.amount_at = e.text_at;
    } else if (e.name == "FITID")
      p.fitid = e.text;
    else if (e.name == "CHECKNUM")
      p.checknum = e.text;
    else if (e.name == "REFNUM")
      p.refnum = e.text;
    else if (e.name == "NAME" && up == "PAYEE")
      p.payee = e.text;
    else if (e.name == "NAME")
      p.name = e.text;
    else if (e.name == "MEMO")
      p.memo = e.text;
    else if (e.name == "CURSYM" && up == "CURRENCY")
      p.currency = e.text;
    else if (e.name == "ACCTID" && (up == "BANKACCTTO" || up == "CCACCTTO"))
      p.account_to = e.text;
  }

  void aggregate_end(const OpenElement& e) {
    if (e.name == "STMTTRN" && m_pending) {
      m_statement.push_back(std::move(*m_pending));
      m_pending.reset();
    } else if (e.name == "STMTRS" || e.name == "CCSTMTRS") {
      for (const auto& p : m_statement)
        transaction(p);
      m_statement.clear();
    }
  }

  void transaction(const Pending& p) {
    const auto [line, column] = m_text.position(p.at);
    // <CURRENCY> in a transaction says its amount is in that currency.
    const auto cur = bank::currency_at(
        p.currency.empty() ? m_currency : p.currency, m_problems, line, column);
    if (p.posted.size() < 8 || !bank::yyyymmdd(p.posted.substr(0, 8))) {
      if (p.posted.empty())
        m_problems.add(line, column, "ofx-transaction",
                       "the transaction has no <DTPOSTED>");
      else
        m_problems.at_offset(
            p.posted_at, "ofx-date",
            fmt::format("<DTPOSTED> \"{}\" is not a date", p.posted),
            "OFX dates look like 20240131 or "
            "20240131120000.000[-5:EST]");
      return;
    }
    if (p.amount.empty()) {
      m_problems.add(line, column, "ofx-transaction",
                     "the transaction has no <TRNAMT>");
      return;
    }
    if (!cur)
      return;
    // OFX allows a decimal comma.
    const char decimal = p.amount.find('.') == std::string::npos &&
                                 p.amount.find(',') != std::string::npos
                             ? ','
                             : '.';
    const auto amount = bank::signed_amount(p.amount, decimal, *cur);
    if (!amount) {
      m_problems.at_offset(p.amount_at, "ofx-amount", amount.error(), {},
                           static_cast<std::uint32_t>(p.amount.size()));
      return;
    }
    BankTransaction t;
    t.account = m_account;
    t.date = *bank::yyyymmdd(p.posted.substr(0, 8));
    if (p.available.size() >= 8)
      t.value_date = bank::yyyymmdd(p.available.substr(0, 8));
    t.amount = *amount;
    t.currency = *cur;
    t.type = p.type;
    t.bank_tx = p.fitid;
    t.counterparty = p.payee.empty() ? p.name : p.payee;
    t.counterparty_account = p.account_to;
    t.remittance = p.memo;
    t.reference = p.checknum.empty() ? p.refnum : p.checknum;
    t.line = line;
    m_out.push_back(std::move(t));
  }

  const bank::Text& m_text;
  Problems m_problems;
  Transactions m_out;
  std::vector<OpenElement> m_stack;
  bool m_seen_ofx = false;
  bool m_fresh = false; // the last tag read opened the element on top
  std::string m_currency, m_account;
  std::optional<Pending> m_pending;
  std::vector<Pending> m_statement;
};

} // namespace

Result<Transactions> parse_ofx(std::string_view text,
                               const StatementOptions& options) {
  const bank::Text lines(text, options.file);
  return Reader(lines).read();
}

} // namespace arctl
