// SWIFT MT940 customer statements. Each statement is a run of tagged
// fields (:20: reference, :25: account, :28C: number, :60F:/:60M: opening
// balance, :61: entry, :86: information to the entry before it,
// :62F:/:62M: closing balance, :64:/:65: available balances), in a file
// one after the other, with or without SWIFT blocks around them.
#include "arctl/bank/reading.hpp"
#include "arctl/bank/statement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace arctl {

namespace {

using bank::append_text;
using bank::Problems;
using bank::squeeze;

// :86: lines are at most 65 characters, ?2x subfields 27, and banks cut
// long text at those widths, often inside a word: a line or subfield that
// fills its width goes on in the next one without a space.
constexpr std::size_t k_line_width = 65;
constexpr std::size_t k_subfield_width = 27;

struct Field {
  std::string tag;                     // "61", "86", "60F"
  std::vector<std::string_view> lines; // the first after ":tag:"
  std::uint32_t line = 0;              // of the tag
  std::uint32_t column = 0;            // where the value starts
};

// A line that starts a field: ":" two digits and an optional letter, or two
// letters (:NS:), then ":".
std::optional<std::string> tag_of(std::string_view line) {
  if (line.size() < 4 || line[0] != ':')
    return std::nullopt;
  const auto close = line.find(':', 1);
  if (close != 3 && close != 4)
    return std::nullopt;
  const auto tag = line.substr(1, close - 1);
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const bool numbered =
      digit(tag[0]) && digit(tag[1]) && (tag.size() == 2 || upper(tag[2]));
  const bool lettered = tag.size() == 2 && upper(tag[0]) && upper(tag[1]);
  if (!numbered && !lettered)
    return std::nullopt;
  return std::string(tag);
}

// The fields of the file in order; an empty tag marks the end of a
// message ("-" or "-}").
std::vector<Field> fields_of(const bank::Text& text) {
  std::vector<Field> out;
  bool open = false; // whether a field takes continuation lines
  for (std::uint32_t n = 1; n <= text.lines(); ++n) {
    auto line = text.line(n);
    std::uint32_t column = 1;
    if (line.starts_with('{')) {
      // SWIFT blocks {1:...}{2:...}{4: before the text block.
      const auto text_block = line.find("{4:");
      if (text_block == std::string_view::npos) {
        open = false;
        continue;
      }
      line.remove_prefix(text_block + 3);
      column += static_cast<std::uint32_t>(text_block + 3);
      if (line.empty())
        continue;
    }
    if (line == "-" || line.starts_with("-}")) {
      out.push_back({{}, {}, n, 1});
      open = false;
      continue;
    }
    if (auto tag = tag_of(line)) {
      const auto value_at = tag->size() + 2;
      out.push_back({std::move(*tag),
                     {line.substr(value_at)},
                     n,
                     column + static_cast<std::uint32_t>(value_at)});
      open = true;
    } else if (open) {
      out.back().lines.push_back(line);
    }
  }
  return out;
}

// Lines joined: without a space after a line that fills `width`, else
// with '\n', which callers read as a space or as a boundary.
std::string joined(const std::vector<std::string_view>& parts,
                   std::size_t width) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0 && parts[i - 1].size() < width)
      out += '\n';
    out += parts[i];
  }
  return out;
}

struct Balance {
  std::int64_t amount = 0; // a credit balance is positive
  Currency currency;
  Date date;
};

// "C110522EUR3236,28": mark, date, currency, amount.
std::optional<Balance> balance_of(const Field& f, Problems& problems) {
  const auto v = f.lines[0];
  const auto bad = [&](std::string message) {
    problems.add(f.line, f.column, "mt940-balance", std::move(message),
                 "balances look like C240131EUR1234,56",
                 static_cast<std::uint32_t>(v.size()));
    return std::nullopt;
  };
  if (v.size() < 11 || (v[0] != 'C' && v[0] != 'D'))
    return bad(fmt::format(":{}: balance \"{}\" is not a balance", f.tag, v));
  const auto date = bank::yymmdd(v.substr(1, 6));
  if (!date)
    return bad(
        fmt::format(":{}: date \"{}\" is not a date", f.tag, v.substr(1, 6)));
  const auto cur =
      bank::currency_at(v.substr(7, 3), problems, f.line, f.column + 7);
  if (!cur)
    return std::nullopt;
  auto amount = bank::unsigned_amount(squeeze(v.substr(10)), ',', *cur);
  if (!amount)
    return bad(fmt::format(":{}: {}", f.tag, amount.error()));
  return Balance{v[0] == 'D' ? -*amount : *amount, *cur, *date};
}

// ---- :86: -----------------------------------------------------------------

// What :86: tells about an entry.
struct Information {
  std::string counterparty, counterparty_account, remittance, end_to_end,
      reference;
};

bool is_not_a_reference(std::string_view ref) {
  return ref.empty() || ref == "NONREF" || ref == "NOTPROVIDED" ||
         ref == "EREF";
}

// German banks' ?-subfields: a three-digit business code, then ?00 booking
// text, ?10 prima nota, ?20-?29 and ?60-?63 purpose, ?30 bank code, ?31
// account, ?32-?33 name, ?38 IBAN. The purpose may hold SEPA tags, each at
// the start of a subfield: EREF+ (end-to-end id), KREF+ (customer
// reference), SVWZ+ (remittance), MREF+, CRED+ and others.
Information from_subfields(std::string_view text) {
  std::array<std::string, 100> sub;
  std::vector<int> purpose; // subfield numbers in order
  for (std::size_t at = text.find('?'); at != std::string_view::npos;) {
    const auto next = [&](std::size_t from) {
      for (auto q = text.find('?', from); q != std::string_view::npos;
           q = text.find('?', q + 1))
        if (q + 2 < text.size() &&
            std::isdigit(static_cast<unsigned char>(text[q + 1])) &&
            std::isdigit(static_cast<unsigned char>(text[q + 2])))
          return q;
      return std::string_view::npos;
    };
    if (at + 2 >= text.size() ||
        !std::isdigit(static_cast<unsigned char>(text[at + 1])) ||
        !std::isdigit(static_cast<unsigned char>(text[at + 2]))) {
      at = next(at + 1);
      continue;
    }
    const int n = (text[at + 1] - '0') * 10 + (text[at + 2] - '0');
    const auto end = next(at + 3);
    sub[static_cast<std::size_t>(n)] = std::string(text.substr(
        at + 3,
        end == std::string_view::npos ? std::string_view::npos : end - at - 3));
    if ((n >= 20 && n <= 29) || (n >= 60 && n <= 63))
      purpose.push_back(n);
    at = end;
  }
  // Subfields of 27 characters go on in the next one.
  const auto continued = [](const std::vector<std::string>& parts) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0 && parts[i - 1].size() < k_subfield_width)
        out += ' ';
      out += parts[i];
    }
    return squeeze(out);
  };
  Information info;
  // The purpose as tagged parts: a subfield that starts with a tag starts
  // a part; one that does not continues the part before it if that
  // subfield was full, else adds to the untagged text.
  std::vector<std::pair<std::string, std::vector<std::string>>> parts;
  bool full = false;
  for (const int n : purpose) {
    const auto& s = sub[static_cast<std::size_t>(n)];
    const bool tagged = s.size() >= 5 && s[4] == '+' &&
                        std::all_of(s.begin(), s.begin() + 4, [](char c) {
                          return c >= 'A' && c <= 'Z';
                        });
    if (tagged)
      parts.push_back({s.substr(0, 4), {s.substr(5)}});
    else if (full && !parts.empty())
      parts.back().second.push_back(s);
    else if (!parts.empty() && parts.back().first.empty())
      parts.back().second.push_back(s);
    else
      parts.push_back({"", {s}});
    full = s.size() >= k_subfield_width;
  }
  std::string untagged;
  for (const auto& [tag, texts] : parts) {
    const auto value = continued(texts);
    if (tag == "EREF" && !is_not_a_reference(value))
      info.end_to_end = value;
    else if (tag == "KREF" && !is_not_a_reference(value))
      info.reference = value;
    else if (tag == "SVWZ")
      append_text(info.remittance, value);
    else if (tag.empty())
      append_text(untagged, value);
  }
  append_text(info.remittance, untagged);
  info.counterparty = continued({sub[32], sub[33]});
  const auto bank_code = squeeze(sub[30]);
  const auto account = squeeze(sub[31]);
  if (bank::looks_like_iban(squeeze(sub[38])))
    info.counterparty_account = squeeze(sub[38]);
  else if (bank_code.empty() || bank::looks_like_iban(account) ||
           account.empty())
    info.counterparty_account = account;
  else
    info.counterparty_account = bank_code + "/" + account;
  return info;
}

// The keywords of structured :86: text (/EREF/.../REMI/...), as Dutch,
// Swiss and other banks and SWIFT's own usage rules write it.
constexpr std::array<std::string_view, 28> k_keywords{
    "EREF", "REMI", "ORDP", "BENM", "NAME", "ADDR",    "ACCW",
    "IBAN", "BIC",  "ID",   "ISDT", "CSID", "MARF",    "OCMT",
    "CHGS", "EXCH", "PURP", "RTRN", "CREF", "CDTRREF", "CDTRREFTP",
    "PREF", "TRCD", "ULTC", "ULTD", "SVCL", "CNTP",    "TRTP"};

bool is_keyword(std::string_view word) {
  return std::find(k_keywords.begin(), k_keywords.end(), word) !=
         k_keywords.end();
}

// Where the keyword field "/WORD/" starting at `at` ends, or npos when
// there is none there.
std::size_t keyword_end(std::string_view text, std::size_t at) {
  if (at >= text.size() || text[at] != '/')
    return std::string_view::npos;
  const auto close = text.find('/', at + 1);
  if (close == std::string_view::npos ||
      !is_keyword(text.substr(at + 1, close - at - 1)))
    return std::string_view::npos;
  return close + 1;
}

// Structured text: keyword fields one after the other. A party (ORDP the
// payer, BENM the payee) may be followed by NAME, ADDR, ACCW, IBAN, BIC,
// ID of its own; the value of the party itself, when there is one, is its
// account, and lines after it its name and more text (as Macedonian banks
// write it). NAME and IBAN without a party (as ING writes them, after
// /TRTP/) are the counterparty's.
Information from_keywords(std::string_view text, bool credit) {
  struct Party {
    std::string name, account;
  };
  Party payer, payee, loose;
  Party* party = nullptr;
  Information info;
  std::string free, others;
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  for (std::size_t at = 0; at < text.size();) {
    const auto value_at = keyword_end(text, at);
    auto end = value_at;
    while (end < text.size() &&
           keyword_end(text, end) == std::string_view::npos)
      ++end;
    fields.emplace_back(text.substr(at + 1, value_at - at - 2),
                        text.substr(value_at, end - value_at));
    at = end;
  }
  // A party's lines are written "/name", "/text"; others as they are.
  const auto lines_of = [](std::string_view value, bool party_lines) {
    std::vector<std::string> out;
    for (std::size_t from = 0; from <= value.size();) {
      auto nl = value.find('\n', from);
      if (nl == std::string_view::npos)
        nl = value.size();
      auto line = value.substr(from, nl - from);
      if (party_lines && line.starts_with('/'))
        line.remove_prefix(1);
      out.push_back(squeeze(line));
      from = nl + 1;
    }
    return out;
  };
  for (const auto& [key, value] : fields) {
    const bool is_party = key == "ORDP" || key == "BENM";
    const auto lines = lines_of(value, is_party);
    const auto first = lines.empty() ? std::string() : lines[0];
    const auto whole = squeeze(value);
    if (is_party) {
      party = key == "ORDP" ? &payer : &payee;
      if (!first.empty())
        party->account = first;
      for (std::size_t i = 1; i < lines.size(); ++i)
        if (i == 1 && party->name.empty())
          party->name = lines[i];
        else
          append_text(free, lines[i]);
      continue;
    }
    if (key == "NAME") {
      (party ? *party : loose).name = whole;
      continue;
    }
    if (key == "ACCW" || key == "IBAN") {
      // The account of the party before it; before any, the counterparty's.
      (party ? *party : loose).account = first.substr(0, first.find(','));
      continue;
    }
    if (key == "REMI") {
      append_text(info.remittance, whole);
      continue;
    }
    if (key == "ADDR")
      continue;
    if (key == "EREF") {
      if (!is_not_a_reference(first))
        info.end_to_end = first;
    } else if (key == "CREF" || key == "CDTRREF") {
      if (!is_not_a_reference(first))
        info.reference = first;
    } else if (key != "ISDT" && key != "BIC" && key != "TRTP" && key != "ID" &&
               key != "CDTRREFTP") {
      auto shown = std::string_view(first);
      if (shown.ends_with('/'))
        shown.remove_suffix(1);
      append_text(others, fmt::format("/{}/{}", key, shown));
    }
    for (std::size_t i = 1; i < lines.size(); ++i)
      append_text(free, lines[i]);
  }
  append_text(info.remittance, free);
  append_text(info.remittance, others);
  const auto& counterparty =
      credit ? (payer.name.empty() && payer.account.empty() ? payee : payer)
             : (payee.name.empty() && payee.account.empty() ? payer : payee);
  info.counterparty =
      counterparty.name.empty() ? loose.name : counterparty.name;
  info.counterparty_account =
      counterparty.account.empty() ? loose.account : counterparty.account;
  return info;
}

Information information(const Field& f, bool credit) {
  const auto text = joined(f.lines, k_line_width);
  std::string raw;
  for (const auto line : f.lines)
    raw += line;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (raw.size() >= 6 && digit(raw[0]) && digit(raw[1]) && digit(raw[2]) &&
      raw[3] == '?' && digit(raw[4]) && digit(raw[5]))
    return from_subfields(raw);
  if (keyword_end(text, 0) != std::string_view::npos)
    return from_keywords(text, credit);
  Information info;
  info.remittance = squeeze(text);
  return info;
}

// ---- statements -------------------------------------------------------------

struct Statement {
  std::string account;
  std::optional<Currency> currency;
  std::optional<Balance> opening;
  const Field* opening_field = nullptr;
  std::int64_t moved = 0; // the sum of its entries
  bool any = false;       // whether it has any field at all
};

class Reader {
public:
  Reader(const bank::Text& text, const StatementOptions& options)
      : m_text(text), m_options(options), m_problems(text) {}

  Result<Transactions> read() {
    const auto fields = fields_of(m_text);
    const Field* last = nullptr; // the field before, for :86:
    for (const auto& f : fields) {
      if (f.tag.empty()) {
        finish();
        last = nullptr;
        continue;
      }
      if (f.tag == "20") {
        finish();
        m_statement.any = true;
      } else if (f.tag == "25") {
        m_statement.account = squeeze(joined(f.lines, k_line_width));
      } else if (f.tag == "60F" || f.tag == "60M") {
        if (auto b = balance_of(f, m_problems)) {
          m_statement.opening = b;
          m_statement.opening_field = &f;
          m_statement.currency = b->currency;
        }
      } else if (f.tag == "61") {
        entry(f);
      } else if (f.tag == "86" && last && last->tag == "61" && m_entry_open) {
        auto& t = m_out.back();
        auto info = information(f, t.amount > 0);
        t.counterparty = std::move(info.counterparty);
        if (!info.counterparty_account.empty())
          t.counterparty_account = std::move(info.counterparty_account);
        const auto extra = std::move(t.remittance); // the :61: second line
        t.remittance = std::move(info.remittance);
        append_text(t.remittance, extra);
        if (!info.end_to_end.empty())
          t.end_to_end = std::move(info.end_to_end);
        if (!info.reference.empty())
          t.reference = std::move(info.reference);
      } else if (f.tag == "62F" || f.tag == "62M") {
        closing(f);
      }
      m_statement.any = true;
      last = &f;
    }
    finish();
    if (!m_problems.empty())
      return std::unexpected(m_problems.error());
    return std::move(m_out);
  }

private:
  // A statement ends at its closing balance, the end of its message or the
  // next :20:; one without :25: or :60: takes the account and currency of
  // the statement before it in the file.
  void finish() {
    if (m_statement.any) {
      if (!m_statement.account.empty())
        m_last_account = m_statement.account;
      if (m_statement.currency)
        m_last_currency = m_statement.currency;
    }
    m_statement = Statement{};
    m_entry_open = false;
  }

  void entry(const Field& f) {
    m_entry_open = false;
    const auto v = f.lines[0];
    const auto bad = [&](std::size_t at, std::string message) {
      m_problems.add(f.line, f.column + static_cast<std::uint32_t>(at),
                     "mt940-entry", std::move(message),
                     ":61: lines look like 2403150315C1234,56NTRFREF//BANKREF");
    };
    const auto digit = [&](std::size_t i) {
      return i < v.size() && v[i] >= '0' && v[i] <= '9';
    };
    const auto value_date = bank::yymmdd(v.substr(0, 6));
    if (!value_date)
      return bad(0, fmt::format("value date \"{}\" is not a date (YYMMDD)",
                                v.substr(0, 6)));
    std::size_t at = 6;
    Date booked = *value_date;
    if (digit(6) && digit(7) && digit(8) && digit(9)) {
      // The entry date, MMDD, in the year that puts it nearest the value
      // date (a December entry valued in January).
      const auto month =
          static_cast<unsigned>((v[6] - '0') * 10 + (v[7] - '0'));
      const auto day = static_cast<unsigned>((v[8] - '0') * 10 + (v[9] - '0'));
      auto year = value_date->year();
      const int shift =
          static_cast<int>(month) -
          static_cast<int>(static_cast<unsigned>(value_date->month()));
      if (shift > 6)
        year -= date::years(1);
      else if (shift < -6)
        year += date::years(1);
      booked = Date{year, date::month{month}, date::day{day}};
      if (!booked.ok())
        return bad(6, fmt::format("entry date \"{}\" is not a date (MMDD)",
                                  v.substr(6, 4)));
      at = 10;
    }
    bool reversal = false, credit = false;
    if (v.substr(at, 2) == "RC" || v.substr(at, 2) == "RD") {
      reversal = true;
      credit = v[at + 1] == 'D';
      at += 2;
    } else if (at < v.size() && (v[at] == 'C' || v[at] == 'D')) {
      credit = v[at] == 'C';
      ++at;
    } else {
      return bad(at, "the mark is not C, D, RC or RD");
    }
    if (at < v.size() && v[at] >= 'A' && v[at] <= 'Z')
      ++at; // the funds code: the third letter of the currency
    const auto amount_at = at;
    while (at < v.size() && (digit(at) || v[at] == ','))
      ++at;
    // The transaction type: N, F or S and three characters ("NTRF").
    if (at >= v.size() || (v[at] != 'N' && v[at] != 'F' && v[at] != 'S'))
      return bad(at, "the amount is not followed by a transaction type (N, F "
                     "or S and three characters)");
    const auto currency =
        m_statement.currency ? m_statement.currency : m_last_currency;
    if (!currency)
      return bad(0, "the entry has no currency: its statement has no "
                    "opening balance (:60F:)");
    const auto amount = bank::unsigned_amount(
        v.substr(amount_at, at - amount_at), ',', *currency);
    if (!amount)
      return bad(amount_at, amount.error());
    BankTransaction t;
    t.account =
        m_statement.account.empty() ? m_last_account : m_statement.account;
    t.date = booked;
    t.value_date = value_date;
    t.currency = *currency;
    t.amount = credit ? *amount : -*amount;
    t.reversal = reversal;
    t.type = squeeze(v.substr(at, 4));
    const auto refs = v.substr(std::min(at + 4, v.size()));
    const auto slashes = refs.find("//");
    const auto own = squeeze(refs.substr(0, slashes));
    if (!is_not_a_reference(own))
      t.reference = own;
    if (slashes != std::string_view::npos) {
      const auto bank_ref = squeeze(refs.substr(slashes + 2));
      if (!is_not_a_reference(bank_ref))
        t.bank_tx = bank_ref;
    }
    // Supplementary details: an IBAN is the counterparty's account, other
    // text is kept with the remittance.
    std::string details;
    for (std::size_t i = 1; i < f.lines.size(); ++i)
      append_text(details, f.lines[i]);
    if (bank::looks_like_iban(details))
      t.counterparty_account = details;
    else
      t.remittance = details;
    t.line = f.line;
    m_statement.moved += t.amount;
    m_out.push_back(std::move(t));
    m_entry_open = true;
  }

  void closing(const Field& f) {
    m_entry_open = false;
    const auto close = balance_of(f, m_problems);
    const auto& s = m_statement;
    if (!close || !s.opening || !m_options.check_balances)
      return;
    const auto cur = s.opening->currency;
    const auto money = [&](std::int64_t v) {
      return format_minor_units(v, cur.exponent);
    };
    if (close->currency != cur) {
      m_problems.add(f.line, f.column + 7, "mt940-balance",
                     fmt::format("the closing balance is in {}, the opening "
                                 "balance (line {}) in {}",
                                 close->currency.name(), s.opening_field->line,
                                 cur.name()),
                     {}, 3);
      return;
    }
    if (s.opening->amount + s.moved == close->amount)
      return;
    m_problems.add(
        f.line, f.column, "mt940-balance-mismatch",
        fmt::format("closing balance {} {} is not the opening balance {} "
                    "(line {}) plus the entries {} = {}",
                    money(close->amount), cur.name(), money(s.opening->amount),
                    s.opening_field->line, money(s.moved),
                    money(s.opening->amount + s.moved)),
        "an entry is missing or wrong in the statement; --no-balance-check "
        "imports it as it is",
        static_cast<std::uint32_t>(f.lines[0].size()));
  }

  const bank::Text& m_text;
  const StatementOptions& m_options;
  Problems m_problems;
  Transactions m_out;
  Statement m_statement;
  bool m_entry_open = false;
  std::string m_last_account;
  std::optional<Currency> m_last_currency;
};

} // namespace

Result<Transactions> parse_mt940(std::string_view text,
                                 const StatementOptions& options) {
  const bank::Text lines(text, options.file);
  return Reader(lines, options).read();
}

} // namespace arctl
