#include "arctl/tieout.hpp"

#include "arctl/aging.hpp"
#include "arctl/csv.hpp"
#include "arctl/process.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <unordered_map>

namespace arctl {

std::string_view to_string(TieOutBasis basis) {
  return basis == TieOutBasis::net ? "net" : "receivable";
}

std::string_view to_string(TieOutFinding finding) {
  switch (finding) {
  case TieOutFinding::missing_in_gl:
    return "missing-in-gl";
  case TieOutFinding::missing_in_arctl:
    return "missing-in-arctl";
  case TieOutFinding::amount_differs:
    return "amount-differs";
  case TieOutFinding::after_cutoff_in_gl:
    return "after-cutoff-in-gl";
  case TieOutFinding::after_cutoff_in_arctl:
    return "after-cutoff-in-arctl";
  case TieOutFinding::no_document:
    return "no-document";
  case TieOutFinding::later_cutoff:
    return "later-cutoff";
  case TieOutFinding::earlier_cutoff:
    return "earlier-cutoff";
  case TieOutFinding::same_amount:
    return "same-amount";
  }
  return "missing-in-gl";
}

bool within_accounts(std::string_view account,
                     std::span<const std::string> accounts) {
  return std::any_of(accounts.begin(), accounts.end(),
                     [&](const std::string& a) {
                       return account == a || (account.size() > a.size() &&
                                               account.starts_with(a) &&
                                               account[a.size()] == ':');
                     });
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool currency_like(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) {
           return c >= 'A' && c <= 'Z';
         });
}

} // namespace

std::expected<Money, ParseError> parse_gl_amount(std::string_view text,
                                                 Currency fallback) {
  const auto hint = "amounts look like 12345.67, -1,234.50, (1,234.50) or "
                    "12345.67 USD";
  auto rest = trim(text);
  Currency currency = fallback;
  // A currency code before or after the number.
  const auto space = rest.find(' ');
  if (space != std::string_view::npos) {
    const auto first = rest.substr(0, space);
    const auto last = rest.substr(rest.rfind(' ') + 1);
    std::string_view code;
    if (currency_like(last)) {
      code = last;
      rest = trim(rest.substr(0, rest.size() - last.size()));
    } else if (currency_like(first)) {
      code = first;
      rest = trim(rest.substr(first.size()));
    }
    if (code.empty())
      return std::unexpected(
          ParseError{fmt::format("amount \"{}\" is not a number", text), hint});
    const auto c = find_currency(code);
    if (!c)
      return std::unexpected(
          ParseError{fmt::format("unknown currency \"{}\"", code), hint});
    currency = *c;
  }
  bool negative = false;
  if (rest.size() >= 2 && rest.front() == '(' && rest.back() == ')') {
    negative = true;
    rest = trim(rest.substr(1, rest.size() - 2));
  }
  if (!rest.empty() && rest.front() == '-' && !negative) {
    negative = true;
    rest.remove_prefix(1);
  }
  // Group separators: only in the whole part, after a digit and before
  // three digits that end it or come before another separator.
  std::string plain;
  const auto whole = rest.substr(0, rest.find('.'));
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] != ',') {
      plain += rest[i];
      continue;
    }
    const bool grouped = i > 0 && is_digit(rest[i - 1]) &&
                         i + 4 <= whole.size() && is_digit(whole[i + 1]) &&
                         is_digit(whole[i + 2]) && is_digit(whole[i + 3]) &&
                         (i + 4 == whole.size() || whole[i + 4] == ',');
    if (!grouped)
      return std::unexpected(
          ParseError{fmt::format("amount \"{}\" is not a number", text), hint});
  }
  if (plain.empty() || plain.front() == '-' || plain.front() == '+')
    return std::unexpected(
        ParseError{fmt::format("amount \"{}\" is not a number", text), hint});
  auto money = Money::parse(plain, currency);
  if (!money)
    return std::unexpected(ParseError{money.error().message, hint});
  return negative ? negate(*money) : *money;
}

std::optional<JournalFormat> journal_tool_for(std::string_view path) {
  const auto slash = path.rfind('/');
  const auto name =
      slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0)
    return std::nullopt;
  std::string ext(name.substr(dot + 1));
  for (auto& c : ext)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  if (ext == "beancount" || ext == "bean")
    return JournalFormat::beancount;
  if (ext == "hledger" || ext == "journal")
    return JournalFormat::hledger;
  if (ext == "ledger" || ext == "dat")
    return JournalFormat::ledger;
  return std::nullopt;
}

std::string_view tool_program(JournalFormat tool) {
  switch (tool) {
  case JournalFormat::ledger:
    return "ledger";
  case JournalFormat::hledger:
    return "hledger";
  case JournalFormat::beancount:
    return "bean-query";
  }
  return "ledger";
}

namespace {

// A regular expression that matches every account name starting with
// `name` in ledger, hledger (POSIX) and beancount (Python) alike: anchored,
// with every character that any of them, or ledger's query syntax or a
// bean-query string, could give a meaning to replaced by '.'. It may
// match more (Assets:Receivables); within_accounts has the last word.
std::string account_pattern(std::string_view name) {
  std::string out = "^";
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool keep = u >= 0x80 || (c >= 'A' && c <= 'Z') ||
                      (c >= 'a' && c <= 'z') || is_digit(c) || c == ':' ||
                      c == '_' || c == '-';
    out += keep ? c : '.';
  }
  return out;
}

// A file name that no tool takes for an option.
std::string file_argument(const std::string& file) {
  return file.starts_with('-') ? "./" + file : file;
}

std::string bean_accounts(std::span<const std::string> accounts) {
  std::string where;
  for (const auto& a : accounts)
    where += fmt::format("{}account ~ '{}'", where.empty() ? "" : " OR ",
                         account_pattern(a));
  return "(" + where + ")";
}

constexpr std::string_view k_ledger_balance_format =
    "%(account)\t%(quantity(scrub(amount)))\t%(commodity(scrub(amount)))\n";
constexpr std::string_view k_ledger_register_format =
    "%(format_date(date, \"%Y-%m-%d\"))\t%(code)\t%(account)\t"
    "%(quantity(scrub(amount)))\t%(commodity(scrub(amount)))\t%(payee)\n";

} // namespace

std::vector<std::string>
gl_balance_command(JournalFormat tool, const std::string& file,
                   std::span<const std::string> accounts, Date as_of) {
  // ledger's and hledger's end dates are exclusive: the day after.
  const auto end = format_date(add_days(as_of, 1));
  std::vector<std::string> argv;
  switch (tool) {
  case JournalFormat::ledger:
    // --args-only: no ~/.ledgerrc or LEDGER_* settings change the output.
    // Grouped by commodity, every line holds one amount of one account.
    argv = {"ledger",
            "--args-only",
            "-f",
            file,
            "balance",
            "--flat",
            "--no-total",
            "--group-by",
            "commodity",
            "-e",
            end,
            "--balance-format",
            std::string(k_ledger_balance_format)};
    for (const auto& a : accounts)
      argv.push_back(account_pattern(a));
    break;
  case JournalFormat::hledger:
    // Flat, each account's own amounts, exact in JSON.
    argv = {"hledger", "-f", file, "balance", "--flat",
            "-e",      end,  "-O", "json"};
    for (const auto& a : accounts)
      argv.push_back(account_pattern(a));
    break;
  case JournalFormat::beancount:
    argv = {"bean-query", "-f", "csv", file_argument(file),
            fmt::format("SELECT account, currency, sum(number) AS balance "
                        "WHERE date <= {} AND {} GROUP BY account, currency",
                        format_date(as_of), bean_accounts(accounts))};
    break;
  }
  return argv;
}

std::vector<std::string>
gl_postings_command(JournalFormat tool, const std::string& file,
                    std::span<const std::string> accounts) {
  std::vector<std::string> argv;
  switch (tool) {
  case JournalFormat::ledger:
    argv = {"ledger",
            "--args-only",
            "-f",
            file,
            "register",
            "--format",
            std::string(k_ledger_register_format)};
    for (const auto& a : accounts)
      argv.push_back(account_pattern(a));
    break;
  case JournalFormat::hledger:
    // CSV: its JSON has no codes (register) or is tens of times larger
    // (print).
    argv = {"hledger", "-f", file, "register", "-O", "csv"};
    for (const auto& a : accounts)
      argv.push_back(account_pattern(a));
    break;
  case JournalFormat::beancount:
    argv = {"bean-query", "-f", "csv", file_argument(file),
            fmt::format("SELECT date, links, account, number, currency, "
                        "payee, narration WHERE {}",
                        bean_accounts(accounts))};
    break;
  }
  return argv;
}

namespace {

Error output_error(JournalFormat tool, std::string message) {
  return Error{ExitCode::data,
               fmt::format("cannot read what {} printed: {}",
                           tool_program(tool), message),
               {}};
}

// A tool's amount: a plain decimal in a commodity that must be an ISO
// 4217 currency, exact in its minor units.
Result<Money> tool_money(JournalFormat tool, Decimal value,
                         std::string_view commodity, std::string_view account) {
  const auto currency = find_currency(commodity);
  if (!currency)
    return std::unexpected(Error{
        ExitCode::data,
        fmt::format("{} gives {} an amount in \"{}\", which is no ISO 4217 "
                    "currency code; arctl compares amounts by currency code "
                    "(USD, EUR), as arctl export writes them",
                    tool_program(tool), account, commodity),
        {}});
  __int128 units = value.units;
  int scale = value.scale;
  for (; scale > currency->exponent; --scale) {
    if (units % 10 != 0)
      return std::unexpected(
          Error{ExitCode::data,
                fmt::format("{} gives {} the amount {} {}, with more decimals "
                            "than {} has ({})",
                            tool_program(tool), account, value.to_string(),
                            commodity, commodity, currency->exponent),
                {}});
    units /= 10;
  }
  for (; scale < currency->exponent; ++scale)
    units *= 10;
  if (units > INT64_MAX || units < INT64_MIN)
    return std::unexpected(
        output_error(tool, fmt::format("the amount {} {} of {} is too large",
                                       value.to_string(), commodity, account)));
  return Money{static_cast<std::int64_t>(units), *currency};
}

Result<Money> tool_money(JournalFormat tool, std::string_view number,
                         std::string_view commodity, std::string_view account) {
  const auto value = parse_decimal(trim(number), 18, "amount");
  if (!value)
    return std::unexpected(output_error(
        tool, fmt::format("{} of {}", value.error().message, account)));
  return tool_money(tool, *value, commodity, account);
}

// An amount of hledger's JSON: {"acommodity": ..., "aquantity":
// {"decimalMantissa": ..., "decimalPlaces": ...}}.
Result<Money> hledger_money(const nlohmann::json& amount,
                            std::string_view account) {
  const auto& q = amount.at("aquantity");
  const auto places = q.at("decimalPlaces").get<int>();
  if (places < 0 || places > 18 || !q.at("decimalMantissa").is_number_integer())
    return std::unexpected(output_error(
        JournalFormat::hledger,
        fmt::format("an amount of {} that arctl cannot take exactly",
                    account)));
  return tool_money(
      JournalFormat::hledger,
      Decimal{q.at("decimalMantissa").get<std::int64_t>(), places},
      amount.at("acommodity").get<std::string>(), account);
}

// Adds `m` to the balance of its currency in `sums`.
Result<void> accumulate(std::vector<Money>& sums, Money m,
                        std::string_view what) {
  for (auto& s : sums)
    if (s.currency() == m.currency()) {
      const auto sum = add(s, m);
      if (!sum)
        return fail(ExitCode::data, fmt::format("the {} of {} is too large",
                                                what, m.currency().name()));
      s = *sum;
      return {};
    }
  sums.push_back(m);
  return {};
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos)
      break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// Splits at tabs into at most `count` fields, the last one taking the rest.
std::vector<std::string_view> tab_fields(std::string_view line,
                                         std::size_t count) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < count) {
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos)
      break;
    fields.push_back(line.substr(0, tab));
    line.remove_prefix(tab + 1);
  }
  fields.push_back(line);
  return fields;
}

// A tool's CSV (bean-query's, hledger's): records with their fields
// trimmed of the padding bean-query aligns them with; nothing for
// bean-query's "(empty)". The header row must name `columns`.
Result<std::vector<std::vector<std::string>>>
tool_rows(JournalFormat tool, std::string_view output,
          std::span<const std::string_view> columns) {
  std::vector<std::vector<std::string>> rows;
  if (trim(output.substr(0, output.find('\n'))) == "(empty)")
    return rows;
  auto reader = CsvReader::from_string(std::string(output),
                                       std::string(tool_program(tool)));
  CsvRecord record;
  bool header = true;
  for (;;) {
    auto got = reader.next(record);
    if (!got)
      return std::unexpected(output_error(tool, got.error().message));
    if (!*got)
      break;
    std::vector<std::string> fields;
    for (const auto f : record.fields)
      fields.emplace_back(trim(f));
    if (header) {
      if (!std::equal(fields.begin(), fields.end(), columns.begin(),
                      columns.end()))
        return std::unexpected(output_error(
            tool, fmt::format("unexpected columns \"{}\"", record.raw)));
      header = false;
      continue;
    }
    if (fields.size() != columns.size())
      return std::unexpected(output_error(
          tool, fmt::format("line {} has {} fields, not {}", record.line,
                            fields.size(), columns.size())));
    rows.push_back(std::move(fields));
  }
  return rows;
}

// The amounts of a cell of hledger's CSV: "-1234.56 USD", "USD 1234.56",
// "1234,56 EUR" (its CSV groups no digits, so a lone ',' is the decimal
// mark), several joined by ", ".
Result<std::vector<Money>> hledger_amounts(std::string_view cell,
                                           std::string_view account) {
  std::vector<Money> out;
  for (std::string_view rest = cell; !rest.empty();) {
    const auto end = rest.find(", ");
    const auto text = trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view()
                                         : rest.substr(end + 2);
    const auto number_char = [](char c) {
      return is_digit(c) || c == '-' || c == '+' || c == '.' || c == ',' ||
             c == ' ';
    };
    std::size_t left = 0;
    while (left < text.size() && !number_char(text[left]))
      ++left;
    std::size_t right = text.size();
    while (right > left && !number_char(text[right - 1]))
      --right;
    const auto commodity = left > 0 ? text.substr(0, left) : text.substr(right);
    std::string number(trim(text.substr(left, right - left)));
    if (number.find('.') == std::string::npos)
      std::replace(number.begin(), number.end(), ',', '.');
    if (commodity.empty() && trim(number) == "0")
      continue;
    auto m = tool_money(JournalFormat::hledger, number, commodity, account);
    if (!m)
      return std::unexpected(std::move(m.error()));
    out.push_back(*m);
  }
  return out;
}

Result<nlohmann::json> parse_json(JournalFormat tool, std::string_view text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded())
    return std::unexpected(output_error(tool, "it is not JSON"));
  return json;
}

} // namespace

Result<std::vector<Money>>
parse_gl_balances(JournalFormat tool, std::string_view output,
                  std::span<const std::string> accounts) {
  std::vector<Money> sums;
  const auto add_one = [&](Result<Money> m) -> Result<void> {
    if (!m)
      return std::unexpected(std::move(m.error()));
    return accumulate(sums, *m, "balance");
  };
  switch (tool) {
  case JournalFormat::ledger:
    // Lines "ACCOUNT\tQUANTITY\tCOMMODITY" under a title line per
    // commodity, which has no tab.
    for (const auto line : lines_of(output)) {
      if (line.find('\t') == std::string_view::npos)
        continue;
      const auto f = tab_fields(line, 3);
      if (f.size() != 3)
        return std::unexpected(
            output_error(tool, fmt::format("the line \"{}\"", line)));
      if (!within_accounts(f[0], accounts) ||
          (f[2].empty() && trim(f[1]) == "0"))
        continue;
      if (auto done = add_one(tool_money(tool, f[1], f[2], f[0])); !done)
        return std::unexpected(std::move(done.error()));
    }
    break;
  case JournalFormat::hledger: {
    auto json = parse_json(tool, output);
    if (!json)
      return std::unexpected(std::move(json.error()));
    try {
      // [[[account, display name, indent, [amount...]]...], totals]
      for (const auto& row : json->at(0)) {
        const auto account = row.at(0).get<std::string>();
        if (!within_accounts(account, accounts))
          continue;
        for (const auto& amount : row.at(3))
          if (auto done = add_one(hledger_money(amount, account)); !done)
            return std::unexpected(std::move(done.error()));
      }
    } catch (const nlohmann::json::exception& e) {
      return std::unexpected(output_error(tool, e.what()));
    }
    break;
  }
  case JournalFormat::beancount: {
    static constexpr std::string_view columns[] = {"account", "currency",
                                                   "balance"};
    auto rows = tool_rows(tool, output, columns);
    if (!rows)
      return std::unexpected(std::move(rows.error()));
    for (const auto& r : *rows)
      if (within_accounts(r[0], accounts) && !r[2].empty())
        if (auto done = add_one(tool_money(tool, r[2], r[1], r[0])); !done)
          return std::unexpected(std::move(done.error()));
    break;
  }
  }
  return sums;
}

Result<std::vector<GlPosting>>
parse_gl_postings(JournalFormat tool, std::string_view output,
                  std::span<const std::string> accounts) {
  std::vector<GlPosting> postings;
  const auto date_of = [&](std::string_view text) -> Result<Date> {
    auto d = parse_date(trim(text));
    if (!d)
      return std::unexpected(output_error(tool, d.error().message));
    return *d;
  };
  switch (tool) {
  case JournalFormat::ledger:
    // "DATE\tCODE\tACCOUNT\tQUANTITY\tCOMMODITY\tPAYEE"
    for (const auto line : lines_of(output)) {
      if (line.empty())
        continue;
      const auto f = tab_fields(line, 6);
      if (f.size() != 6)
        return std::unexpected(
            output_error(tool, fmt::format("the line \"{}\"", line)));
      if (!within_accounts(f[2], accounts) ||
          (f[4].empty() && trim(f[3]) == "0"))
        continue;
      auto date = date_of(f[0]);
      if (!date)
        return std::unexpected(std::move(date.error()));
      auto amount = tool_money(tool, f[3], f[4], f[2]);
      if (!amount)
        return std::unexpected(std::move(amount.error()));
      postings.push_back({*date,
                          std::string(f[1]),
                          {},
                          std::string(f[2]),
                          std::string(f[5]),
                          *amount});
    }
    break;
  case JournalFormat::hledger: {
    // The date is the posting's own when it has one.
    static constexpr std::string_view columns[] = {
        "txnidx", "date", "code", "description", "account", "amount", "total"};
    auto rows = tool_rows(tool, output, columns);
    if (!rows)
      return std::unexpected(std::move(rows.error()));
    for (auto& r : *rows) {
      if (!within_accounts(r[4], accounts))
        continue;
      auto date = date_of(r[1]);
      if (!date)
        return std::unexpected(std::move(date.error()));
      auto amounts = hledger_amounts(r[5], r[4]);
      if (!amounts)
        return std::unexpected(std::move(amounts.error()));
      for (const auto& m : *amounts)
        postings.push_back({*date, r[2], {}, r[4], r[3], m});
    }
    break;
  }
  case JournalFormat::beancount: {
    static constexpr std::string_view columns[] = {
        "date", "links", "account", "number", "currency", "payee", "narration"};
    auto rows = tool_rows(tool, output, columns);
    if (!rows)
      return std::unexpected(std::move(rows.error()));
    for (auto& r : *rows) {
      if (!within_accounts(r[2], accounts) || r[3].empty())
        continue;
      auto date = date_of(r[0]);
      if (!date)
        return std::unexpected(std::move(date.error()));
      auto amount = tool_money(tool, r[3], r[4], r[2]);
      if (!amount)
        return std::unexpected(std::move(amount.error()));
      std::vector<std::string> links;
      for (std::string_view rest = r[1]; !rest.empty();) {
        const auto comma = rest.find(',');
        const auto link = trim(rest.substr(0, comma));
        if (!link.empty())
          links.emplace_back(link);
        if (comma == std::string_view::npos)
          break;
        rest.remove_prefix(comma + 1);
      }
      std::sort(links.begin(), links.end());
      auto description = r[5].empty()   ? r[6]
                         : r[6].empty() ? r[5]
                                        : fmt::format("{} | {}", r[5], r[6]);
      postings.push_back({*date,
                          {},
                          std::move(links),
                          std::move(r[2]),
                          std::move(description),
                          *amount});
    }
    break;
  }
  }
  return postings;
}

namespace {

// Runs a tool; its failure, with what it said, is an error.
Result<CommandOutput> run_tool(JournalFormat tool,
                               const std::vector<std::string>& argv,
                               const std::string& file) {
  auto ran = capture_command(argv);
  if (!ran) {
    if (ran.error().message.ends_with(std::strerror(ENOENT)))
      ran.error().message += fmt::format(
          " (is {} installed? it reads {} journals)", argv[0], to_string(tool));
    return ran;
  }
  // bean-query reports the errors of a journal (syntax, a failed balance
  // assertion) and answers anyway, with exit status 0; ledger and hledger
  // stop. A journal with errors is refused from all three alike.
  const bool errors =
      tool == JournalFormat::beancount && !trim(ran->err).empty();
  if (ran->status == 0 && !errors)
    return ran;
  std::string said;
  int lines = 0;
  for (const auto line : lines_of(ran->err))
    if (!trim(line).empty() && lines++ < 10)
      said += fmt::format("\n  {}", line);
  return fail(ExitCode::unavailable,
              ran->status == 0
                  ? fmt::format("{} found errors in {}:{}", argv[0], file, said)
                  : fmt::format("{} could not read {} (exit status {}){}",
                                argv[0], file, ran->status,
                                said.empty() ? "" : ":" + said));
}

} // namespace

Result<GlStatement> read_gl_journal(JournalFormat tool, const std::string& file,
                                    std::span<const std::string> accounts,
                                    Date as_of) {
  // bean-query reports a file it cannot read and exits with 0.
  if (std::ifstream probe(file); !probe)
    return fail(ExitCode::no_input, fmt::format("--journal: cannot read {}: {}",
                                                file, std::strerror(errno)));
  GlStatement gl;
  gl.source = fmt::format("{} journal {}", to_string(tool), file);
  gl.accounts.assign(accounts.begin(), accounts.end());
  gl.every_currency = true;
  const auto balance_run =
      run_tool(tool, gl_balance_command(tool, file, accounts, as_of), file);
  if (!balance_run)
    return std::unexpected(balance_run.error());
  auto balances = parse_gl_balances(tool, balance_run->out, accounts);
  if (!balances)
    return std::unexpected(std::move(balances.error()));
  gl.balances = std::move(*balances);
  const auto postings_run =
      run_tool(tool, gl_postings_command(tool, file, accounts), file);
  if (!postings_run)
    return std::unexpected(postings_run.error());
  auto postings = parse_gl_postings(tool, postings_run->out, accounts);
  if (!postings)
    return std::unexpected(std::move(postings.error()));
  gl.postings = std::move(*postings);
  // The same warnings come from both runs: once each.
  for (const auto* run : {&*balance_run, &*postings_run})
    for (const auto line : lines_of(run->err))
      if (!trim(line).empty() &&
          std::find(gl.warnings.begin(), gl.warnings.end(), line) ==
              gl.warnings.end())
        gl.warnings.emplace_back(line);
  return gl;
}

Result<GlStatement> read_trial_balance(std::string_view text,
                                       const std::string& name,
                                       std::span<const std::string> accounts,
                                       Currency fallback) {
  GlStatement gl;
  gl.source = fmt::format("trial balance {}", name);
  gl.accounts.assign(accounts.begin(), accounts.end());
  auto reader = CsvReader::from_string(std::string(text), name);
  CsvRecord record;
  std::vector<Diagnostic> problems;
  const auto problem = [&](const CsvRecord& r, CsvPos pos, std::string message,
                           std::string hint) {
    Diagnostic d;
    d.loc = {name, pos.line, pos.column};
    d.code = "trial-balance";
    d.message = std::move(message);
    d.excerpt = std::string(line_of(r, pos));
    d.hint = std::move(hint);
    problems.push_back(std::move(d));
  };
  enum Column { account, balance, debit, credit, currency, columns };
  std::optional<std::size_t> at[columns];
  bool header = true;
  for (;;) {
    auto got = reader.next(record);
    if (!got) {
      problems.push_back(got.error());
      continue;
    }
    if (!*got)
      break;
    if (header) {
      header = false;
      static constexpr std::string_view names[columns] = {
          "account", "balance", "debit", "credit", "currency"};
      for (std::size_t i = 0; i < record.fields.size(); ++i) {
        std::string field(trim(record.fields[i]));
        for (auto& c : field)
          if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        for (int k = 0; k < columns; ++k)
          if (field == names[k] && !at[k])
            at[k] = i;
      }
      if (!at[account] || (!at[balance] && (!at[debit] || !at[credit]))) {
        problem(record, {record.line, 1},
                "the header names no column account, or neither balance "
                "nor debit and credit",
                "a trial balance's first row names its columns: "
                "account,balance or account,debit,credit (and optionally "
                "currency)");
        break;
      }
      continue;
    }
    const auto cell = [&](Column k) -> std::string_view {
      return at[k] && *at[k] < record.fields.size()
                 ? trim(record.fields[*at[k]])
                 : std::string_view();
    };
    const auto pos = [&](Column k) {
      return at[k] && *at[k] < record.fields.size() ? record.positions[*at[k]]
                                                    : CsvPos{record.line, 1};
    };
    if (!within_accounts(cell(account), accounts))
      continue;
    Currency row_currency = fallback;
    if (!cell(currency).empty()) {
      const auto c = find_currency(cell(currency));
      if (!c) {
        problem(record, pos(currency),
                fmt::format("unknown currency \"{}\"", cell(currency)),
                "currencies are ISO 4217 codes: USD, EUR");
        continue;
      }
      row_currency = *c;
    }
    const auto amount_of = [&](Column k) -> std::optional<Money> {
      if (cell(k).empty())
        return Money::zero(row_currency);
      auto m = parse_gl_amount(cell(k), row_currency);
      if (m && m->currency() != row_currency) {
        problem(record, pos(k),
                fmt::format("the amount is in {}, the row in {}",
                            m->currency().name(), row_currency.name()),
                {});
        return std::nullopt;
      }
      if (!m) {
        problem(record, pos(k), m.error().message, m.error().hint);
        return std::nullopt;
      }
      return *m;
    };
    std::optional<Money> value;
    if (at[balance]) {
      value = amount_of(balance);
    } else {
      const auto d = amount_of(debit);
      const auto c = amount_of(credit);
      if (d && c)
        value = subtract(*d, *c);
    }
    if (!value)
      continue;
    if (auto done = accumulate(gl.balances, *value, "trial balance's sum");
        !done)
      return std::unexpected(std::move(done.error()));
  }
  if (!problems.empty()) {
    const auto n = problems.size();
    return std::unexpected(
        Error{ExitCode::data,
              fmt::format("{} problem{} in {}; nothing was compared", n,
                          n == 1 ? "" : "s", name),
              std::move(problems)});
  }
  return gl;
}

// ---- the comparison ---------------------------------------------------------

bool TieOut::agrees() const {
  return std::all_of(sections.begin(), sections.end(),
                     [](const TieOutSection& s) { return s.agrees(); });
}

namespace {

// What one fact does to arctl's figure: a posting of arctl export to the
// compared accounts.
struct Movement {
  Date date;
  std::string_view code;
  std::uint32_t customer = k_none;
  Currency currency;
  std::int64_t amount = 0;
};

// The facts of a document, or of a GL entry without one, in one currency.
struct DocKey {
  std::string_view code;
  Date date; // only for entries without a code: one key per day
  std::array<char, 3> currency{};
  friend bool operator==(const DocKey&, const DocKey&) = default;
};

struct DocKeyHash {
  std::size_t operator()(const DocKey& k) const {
    auto h = std::hash<std::string_view>{}(k.code);
    h ^= std::hash<int>{}(static_cast<int>(k.date.year())) * 31 +
         static_cast<unsigned>(k.date.month()) * 37 +
         static_cast<unsigned>(k.date.day());
    h ^= std::hash<std::string_view>{}({k.currency.data(), 3}) << 1;
    return h;
  }
};

using Dated = std::vector<std::pair<Date, std::int64_t>>;

struct Document {
  DocKey key;
  Currency currency;
  Dated arctl, gl; // amounts by date
  std::uint32_t customer = k_none;
  std::string_view gl_account; // the one account the GL posted it to
  bool gl_accounts_differ = false;
  std::string_view gl_description;
};

// Amounts of one date summed, dates in order.
void by_date(Dated& d) {
  std::stable_sort(d.begin(), d.end(), [](const auto& a, const auto& b) {
    return a.first < b.first;
  });
  Dated out;
  for (const auto& [date, amount] : d)
    if (!out.empty() && out.back().first == date)
      out.back().second += amount;
    else
      out.emplace_back(date, amount);
  d = std::move(out);
}

std::int64_t sum_until(const Dated& d, std::optional<Date> until) {
  std::int64_t sum = 0;
  for (const auto& [date, amount] : d)
    if (!until || date <= *until)
      sum += amount;
  return sum;
}

// The section of `currency`, added when there is none yet.
TieOutSection& section_of(std::vector<TieOutSection>& sections,
                          Currency currency) {
  for (auto& s : sections)
    if (s.currency == currency)
      return s;
  sections.push_back({});
  sections.back().currency = currency;
  return sections.back();
}

// The explanations of one currency from the journal's postings.
void explain_by_document(const Books& books, std::vector<Document>& docs,
                         Date as_of, TieOutSection& section) {
  for (auto& doc : docs) {
    if (doc.currency != section.currency)
      continue;
    by_date(doc.arctl);
    by_date(doc.gl);
    const auto arctl_at = sum_until(doc.arctl, as_of);
    const auto gl_at = sum_until(doc.gl, as_of);
    if (arctl_at == gl_at)
      continue;
    // The dates on which the two sides do not say the same.
    Dated arctl_left, gl_left;
    for (const auto& e : doc.arctl)
      if (std::find(doc.gl.begin(), doc.gl.end(), e) == doc.gl.end())
        arctl_left.push_back(e);
    for (const auto& e : doc.gl)
      if (std::find(doc.arctl.begin(), doc.arctl.end(), e) == doc.arctl.end())
        gl_left.push_back(e);
    TieOutItem item;
    item.document = std::string(doc.key.code);
    item.customer = doc.customer;
    if (item.customer == k_none && !doc.key.code.empty()) {
      const auto ref = books.find_document(doc.key.code);
      if (ref.valid())
        item.customer = books.document_customer(ref);
    }
    item.arctl = arctl_at;
    item.gl = gl_at;
    item.difference = gl_at - arctl_at;
    const auto first = [](const Dated& left, const Dated& all) {
      return !left.empty()  ? std::optional(left.front().first)
             : !all.empty() ? std::optional(all.front().first)
                            : std::nullopt;
    };
    item.arctl_date = first(arctl_left, doc.arctl);
    item.gl_date = first(gl_left, doc.gl);
    const auto late = [&](const Dated& left) {
      return std::any_of(left.begin(), left.end(),
                         [&](const auto& e) { return as_of < e.first; });
    };
    if (doc.arctl.empty()) {
      item.finding = doc.key.code.empty() ? TieOutFinding::no_document
                                          : TieOutFinding::missing_in_arctl;
    } else if (doc.gl.empty()) {
      item.finding = TieOutFinding::missing_in_gl;
    } else if (sum_until(doc.arctl, std::nullopt) ==
                   sum_until(doc.gl, std::nullopt) &&
               late(gl_left) != late(arctl_left)) {
      item.finding = late(gl_left) ? TieOutFinding::after_cutoff_in_gl
                                   : TieOutFinding::after_cutoff_in_arctl;
    } else {
      item.finding = TieOutFinding::amount_differs;
    }
    if (doc.key.code.empty() && !doc.arctl.empty())
      item.note = "opening balances";
    else if (!doc.gl.empty() && doc.arctl.empty())
      item.note = doc.gl_accounts_differ ? std::string(doc.gl_description)
                  : doc.key.code.empty() ? fmt::format("{}: {}", doc.gl_account,
                                                       doc.gl_description)
                                         : std::string(doc.gl_account);
    section.items.push_back(std::move(item));
  }
}

// A fact of the books as one figure: the movements of one entry.
struct Fact {
  Date date;
  std::string_view code;
  std::uint32_t customer = k_none;
  std::int64_t amount = 0;
};

constexpr int k_cutoff_days = 31;
constexpr std::size_t k_max_guesses = 10;

// The explanations of one currency from a figure: a day within
// k_cutoff_days of the date as of which arctl's figure is the GL's, else
// the facts of the difference's amount.
void explain_by_figure(const std::vector<Movement>& movements, Date as_of,
                       TieOutSection& section) {
  std::vector<Fact> facts;
  for (const auto& m : movements) {
    if (m.currency != section.currency)
      continue;
    if (!facts.empty() && facts.back().date == m.date &&
        facts.back().code == m.code)
      facts.back().amount += m.amount;
    else
      facts.push_back({m.date, m.code, m.customer, m.amount});
  }
  std::stable_sort(
      facts.begin(), facts.end(),
      [](const Fact& a, const Fact& b) { return a.date < b.date; });
  const auto after =
      std::upper_bound(facts.begin(), facts.end(), as_of,
                       [](Date d, const Fact& f) { return d < f.date; });
  const auto target = section.gl;

  // A later cut-off: the GL has the facts up to day `later`.
  std::optional<Date> later;
  {
    std::int64_t balance = section.arctl;
    const auto last = add_days(as_of, k_cutoff_days);
    for (auto it = after; it != facts.end() && it->date <= last; ++it) {
      balance += it->amount;
      const bool day_ends =
          std::next(it) == facts.end() || std::next(it)->date != it->date;
      if (day_ends && balance == target) {
        later = it->date;
        break;
      }
    }
  }
  // An earlier cut-off: the GL lacks the facts from day `earlier` on.
  std::optional<Date> earlier;
  {
    std::int64_t balance = section.arctl;
    const auto first = add_days(as_of, -k_cutoff_days);
    for (auto it = after; it != facts.begin();) {
      --it;
      if (add_days(it->date, -1) < first)
        break;
      balance -= it->amount;
      const bool day_starts =
          it == facts.begin() || std::prev(it)->date != it->date;
      if (day_starts && balance == target) {
        earlier = it->date;
        break;
      }
    }
  }
  const auto distance = [&](Date d) {
    return std::abs(days_between(as_of, d));
  };
  if (earlier &&
      (!later || distance(add_days(*earlier, -1)) <= distance(*later))) {
    for (auto it = after; it != facts.begin();) {
      --it;
      if (it->date < *earlier)
        break;
      section.items.push_back(
          {TieOutFinding::earlier_cutoff, std::string(it->code), it->customer,
           it->date, std::nullopt, it->amount, 0, -it->amount,
           fmt::format("the GL's figure is arctl's as of {}",
                       format_date(add_days(*earlier, -1)))});
    }
    std::reverse(section.items.begin(), section.items.end());
    return;
  }
  if (later) {
    for (auto it = after; it != facts.end() && it->date <= *later; ++it)
      section.items.push_back(
          {TieOutFinding::later_cutoff, std::string(it->code), it->customer,
           it->date, std::nullopt, 0, it->amount, it->amount,
           fmt::format("the GL's figure is arctl's as of {}",
                       format_date(*later))});
    return;
  }
  // Single facts of the difference's amount.
  const auto difference = section.difference();
  std::vector<TieOutItem> guesses;
  const auto last = add_days(as_of, k_cutoff_days);
  for (auto it = facts.begin(); it != facts.end() && it->date <= last; ++it) {
    TieOutItem g{TieOutFinding::same_amount,
                 std::string(it->code),
                 it->customer,
                 it->date,
                 std::nullopt,
                 0,
                 0,
                 difference,
                 {}};
    if (it->date <= as_of && it->amount == -difference) {
      g.arctl = it->amount;
      g.note = "missing from the GL?";
    } else if (it->date <= as_of && it->amount == difference) {
      g.arctl = it->amount;
      g.gl = 2 * it->amount;
      g.note = "in the GL twice?";
    } else if (as_of < it->date && it->amount == difference) {
      g.gl = it->amount;
      g.note = "in the GL before the cut-off?";
    } else {
      continue;
    }
    guesses.push_back(std::move(g));
  }
  std::stable_sort(guesses.begin(), guesses.end(),
                   [&](const TieOutItem& a, const TieOutItem& b) {
                     return distance(*a.arctl_date) < distance(*b.arctl_date);
                   });
  if (guesses.size() > k_max_guesses) {
    section.guesses_left_out = guesses.size() - k_max_guesses;
    guesses.resize(k_max_guesses);
  }
  std::stable_sort(guesses.begin(), guesses.end(),
                   [](const TieOutItem& a, const TieOutItem& b) {
                     return *a.arctl_date < *b.arctl_date;
                   });
  section.items = std::move(guesses);
}

} // namespace

Result<TieOut> tie_out(const Books& books, const Ledger& end,
                       const GlStatement& gl, const TieOutRequest& request) {
  const auto as_of = request.as_of;
  if (request.from && as_of < *request.from)
    return fail(ExitCode::usage,
                fmt::format("--from {} is after --as-of {}",
                            format_date(*request.from), format_date(as_of)));
  TieOut t;
  t.as_of = as_of;
  t.basis = request.basis;
  t.from = request.from;
  t.source = gl.source;
  t.accounts = gl.accounts;
  t.per_document = gl.postings.has_value();

  // arctl's figures: the aging's, as of the date.
  std::optional<Ledger> own;
  const Ledger* at = &end;
  if (end.latest && as_of < *end.latest) {
    own = compute_ledger(books, as_of);
    at = &*own;
  }
  const auto aged = age_receivables(books, *at, AgingRequest{});
  for (const auto& s : aged.sections) {
    auto& section = section_of(t.sections, s.currency);
    section.receivable = s.totals.open();
    section.unapplied = s.totals.unapplied;
    section.arctl = request.basis == TieOutBasis::net ? s.totals.total()
                                                      : section.receivable;
  }
  for (const auto& m : gl.balances)
    section_of(t.sections, m.currency()).gl = m.minor();
  if (!gl.every_currency)
    for (auto& s : t.sections)
      s.compared = std::any_of(
          gl.balances.begin(), gl.balances.end(),
          [&](const Money& m) { return m.currency() == s.currency; });

  // The facts, as arctl export posts them, of every date.
  const bool by_links =
      t.per_document && std::any_of(gl.postings->begin(), gl.postings->end(),
                                    [](const GlPosting& p) {
                                      return p.code.empty() && !p.links.empty();
                                    });
  std::unordered_map<std::string, std::string_view> code_of_links;
  std::vector<Movement> movements;
  ExportRequest walk;
  walk.from = request.from;
  auto walked =
      export_customer_postings(books, end, walk, [&](const CustomerPosting& p) {
        if (p.credit && request.basis == TieOutBasis::receivable)
          return;
        movements.push_back({p.date, p.code, p.customer, p.currency, p.amount});
        if (by_links && !p.links.empty()) {
          std::vector<std::string_view> sorted(p.links.begin(), p.links.end());
          std::sort(sorted.begin(), sorted.end());
          std::string key;
          for (const auto l : sorted)
            key += fmt::format("{} ", l);
          code_of_links.emplace(std::move(key), p.code);
        }
      });
  if (!walked)
    return std::unexpected(std::move(walked.error()));
  // They must add up to the aging's figures, or arctl has a bug.
  for (const auto& s : t.sections) {
    std::int64_t sum = 0;
    for (const auto& m : movements)
      if (m.currency == s.currency && m.date <= as_of)
        sum += m.amount;
    if (sum != s.arctl)
      return fail(
          ExitCode::software,
          fmt::format("the facts add up to {} {} on {}, but the "
                      "aging has {}",
                      s.currency.name(),
                      format_minor_units(sum, s.currency.exponent),
                      format_date(as_of),
                      format_minor_units(s.arctl, s.currency.exponent)));
  }

  if (t.per_document) {
    std::vector<Document> docs;
    std::unordered_map<DocKey, std::size_t, DocKeyHash> index;
    const auto doc_of = [&](std::string_view code, Date date,
                            Currency currency) -> Document& {
      DocKey key{code, code.empty() ? date : Date{}, currency.code};
      const auto [it, added] = index.emplace(key, docs.size());
      if (added) {
        docs.push_back({});
        docs.back().key = key;
        docs.back().currency = currency;
      }
      return docs[it->second];
    };
    for (const auto& m : movements) {
      auto& doc = doc_of(m.code, m.date, m.currency);
      doc.arctl.emplace_back(m.date, m.amount);
      // The opening entry is of every customer, not of one.
      if (doc.customer == k_none && !m.code.empty())
        doc.customer = m.customer;
    }
    for (const auto& p : *gl.postings) {
      std::string_view code = p.code;
      if (code.empty() && !p.links.empty()) {
        // beancount: the links of an entry of arctl's are its document and
        // those it concerns; an entry of the GL's own, the payment or
        // adjustment it names, else its first link.
        std::string key;
        for (const auto& l : p.links)
          key += fmt::format("{} ", l);
        if (const auto it = code_of_links.find(key);
            it != code_of_links.end()) {
          code = it->second;
        } else {
          code = p.links.front();
          for (const auto& l : p.links) {
            const auto ref = books.find_document(l);
            if (ref.valid() && ref.kind != DocKind::invoice) {
              code = l;
              break;
            }
          }
        }
      }
      auto& doc = doc_of(code, p.date, p.amount.currency());
      doc.gl.emplace_back(p.date, p.amount.minor());
      if (doc.gl.size() == 1) {
        doc.gl_account = p.account;
        doc.gl_description = p.description;
      } else if (doc.gl_account != p.account) {
        doc.gl_accounts_differ = true;
      }
      section_of(t.sections, p.amount.currency());
    }
    for (auto& s : t.sections)
      if (s.compared)
        explain_by_document(books, docs, as_of, s);
    if (!request.from && !gl.postings->empty()) {
      const auto first =
          std::min_element(gl.postings->begin(), gl.postings->end(),
                           [](const GlPosting& a, const GlPosting& b) {
                             return a.date < b.date;
                           });
      const bool opening = first->code.empty() && first->links.empty();
      for (const auto& s : t.sections)
        for (const auto& i : s.items)
          if (opening && i.finding == TieOutFinding::missing_in_gl &&
              i.arctl_date && *i.arctl_date < first->date)
            t.suggested_from = first->date;
    }
  } else {
    for (auto& s : t.sections)
      if (s.compared && s.difference() != 0)
        explain_by_figure(movements, as_of, s);
  }

  // A currency the GL states no figure in and arctl has nothing in says
  // nothing.
  std::erase_if(t.sections, [](const TieOutSection& s) {
    return !s.compared && s.receivable == 0 && s.unapplied == 0;
  });
  const auto company = books.config.currency;
  std::stable_sort(t.sections.begin(), t.sections.end(),
                   [&](const TieOutSection& a, const TieOutSection& b) {
                     const bool x = a.currency == company;
                     const bool y = b.currency == company;
                     if (x != y)
                       return x;
                     return a.currency.name() < b.currency.name();
                   });
  for (auto& s : t.sections) {
    const auto when = [](const TieOutItem& i) {
      return std::min(i.arctl_date.value_or(k_end_of_time),
                      i.gl_date.value_or(k_end_of_time));
    };
    std::stable_sort(s.items.begin(), s.items.end(),
                     [&](const TieOutItem& a, const TieOutItem& b) {
                       if (when(a) != when(b))
                         return when(a) < when(b);
                       return a.document < b.document;
                     });
    s.unexplained = s.compared ? s.difference() : 0;
    for (const auto& i : s.items)
      if (i.finding != TieOutFinding::same_amount)
        s.unexplained -= i.difference;
  }
  return t;
}

// ---- rendering
// ---------------------------------------------------------------

namespace {

std::string date_text(const std::optional<Date>& d) {
  return d ? format_date(*d) : std::string();
}

std::string customer_text(const Books& books, std::uint32_t customer) {
  return customer == k_none ? std::string()
                            : std::string(books.customers[customer].id);
}

std::string_view status_of(const TieOutSection& s) {
  return !s.compared ? "not compared" : s.agrees() ? "agrees" : "differs";
}

std::string arctl_figure(TieOutBasis basis) {
  return basis == TieOutBasis::net
             ? "open on invoices less unapplied credit (the receivable and "
               "customer-credit accounts of arctl export)"
             : "open on invoices, unapplied credit not deducted (the "
               "receivable accounts of arctl export)";
}

std::string accounts_text(const TieOut& t) {
  std::string out;
  for (const auto& a : t.accounts)
    out += fmt::format("{}{}", out.empty() ? "" : ", ", a);
  return out;
}

} // namespace

TableData tie_out_table(const Books& books, const TieOut& t) {
  TableData table;
  table.columns = {{"currency"},    {"finding"},    {"document"},
                   {"customer"},    {"arctl_date"}, {"gl_date"},
                   {"arctl", true}, {"gl", true},   {"difference", true},
                   {"note"}};
  for (const auto& s : t.sections) {
    const auto money = [&](std::int64_t v) {
      return format_minor_units(v, s.currency.exponent);
    };
    const std::string currency(s.currency.name());
    for (const auto& i : s.items)
      table.rows.push_back({currency, std::string(to_string(i.finding)),
                            i.document, customer_text(books, i.customer),
                            date_text(i.arctl_date), date_text(i.gl_date),
                            money(i.arctl), money(i.gl), money(i.difference),
                            neutralize_formula(i.note)});
    table.rows.push_back({currency, "total", "", "", "", "", money(s.arctl),
                          s.compared ? money(s.gl) : "",
                          s.compared ? money(s.difference()) : "",
                          std::string(status_of(s))});
    if (s.unexplained != 0)
      table.rows.push_back({currency, "unexplained", "", "", "", "", "", "",
                            money(s.unexplained),
                            t.per_document
                                ? "the GL's balance is not the sum of its "
                                  "postings"
                                : "arctl cannot tell from a figure"});
  }
  return table;
}

std::string tie_out_text(const Books& books, const TieOut& t) {
  std::string out = fmt::format("Tie-out as of {}\n", format_date(t.as_of));
  out += fmt::format(
      "general ledger: {} in {}{}\n", accounts_text(t), t.source,
      t.from ? fmt::format(" (arctl's journal from {})", format_date(*t.from))
             : "");
  out += fmt::format("arctl: {}\n\n", arctl_figure(t.basis));

  TableData summary;
  summary.columns = {{"currency"},
                     {"arctl", true},
                     {"general ledger", true},
                     {"difference", true},
                     {"status"}};
  for (const auto& s : t.sections) {
    const auto money = [&](std::int64_t v) {
      return Money{v, s.currency}.to_display();
    };
    summary.rows.push_back({std::string(s.currency.name()), money(s.arctl),
                            s.compared ? money(s.gl) : "-",
                            s.compared ? money(s.difference()) : "-",
                            std::string(status_of(s))});
  }
  out += render(summary, Format::table);

  std::vector<std::string_view> differing;
  for (const auto& s : t.sections) {
    if (s.items.empty() && s.agrees())
      continue;
    const auto money = [&](std::int64_t v) {
      return Money{v, s.currency}.to_display();
    };
    if (s.agrees())
      out += fmt::format("\n{}: the totals agree, but documents differ and "
                         "make up for each other:\n",
                         s.currency.name());
    else {
      differing.push_back(s.currency.name());
      out += fmt::format("\n{}: the general ledger has {} {} than arctl",
                         s.currency.name(), money(std::abs(s.difference())),
                         s.difference() > 0 ? "more" : "less");
      if (s.items.empty())
        out += t.per_document ? ".\n"
                              : "; a figure alone tells no more: compare "
                                "with the journal (--journal) to have the "
                                "documents that differ.\n";
      else if (!t.per_document &&
               s.items.front().finding == TieOutFinding::same_amount)
        out += "; facts of that amount:\n";
      else if (!t.per_document)
        out += fmt::format("; {}:\n", s.items.front().note);
      else
        out += ":\n";
    }
    if (!s.items.empty()) {
      TableData items;
      items.columns = {{"finding"},    {"document"},         {"customer"},
                       {"arctl date"}, {"arctl", true},      {"GL date"},
                       {"GL", true},   {"difference", true}, {"note"}};
      const bool cutoff_run = !t.per_document && s.items.front().finding !=
                                                     TieOutFinding::same_amount;
      for (const auto& i : s.items)
        items.rows.push_back(
            {std::string(to_string(i.finding)), i.document,
             customer_text(books, i.customer), date_text(i.arctl_date),
             money(i.arctl), date_text(i.gl_date), money(i.gl),
             money(i.difference), cutoff_run ? std::string() : i.note});
      if (cutoff_run)
        items.columns.pop_back();
      if (cutoff_run)
        for (auto& row : items.rows)
          row.pop_back();
      append_indented(out, render(items, Format::table));
    }
    if (s.guesses_left_out > 0)
      out += fmt::format("  and {} more of that amount\n", s.guesses_left_out);
    // From a figure, guesses explain nothing for sure: no remainder.
    if (s.unexplained != 0 && t.per_document)
      out += fmt::format("  not explained: {} (the GL's balance is not the "
                         "sum of its postings)\n",
                         money(s.unexplained));
  }
  if (t.suggested_from)
    out += fmt::format(
        "\nhint: the general ledger starts on {0} with an entry that names "
        "no document, and lacks arctl's documents before it; if it took "
        "arctl's journal from then on (arctl export --from {0}), tie out "
        "with --from {0}\n",
        format_date(*t.suggested_from));
  out += '\n';
  if (differing.empty()) {
    out += "tie-out: the general ledger agrees with arctl\n";
  } else {
    std::string list;
    for (const auto c : differing)
      list += fmt::format("{}{}", list.empty() ? "" : ", ", c);
    out += fmt::format("tie-out: the general ledger differs from arctl in "
                       "{}\n",
                       list);
  }
  return out;
}

std::string tie_out_json(const Books& books, const TieOut& t) {
  const auto opt_date = [](const std::optional<Date>& d) {
    return d ? json_string(format_date(*d)) : std::string("null");
  };
  std::string out = fmt::format(
      "{{\n  \"as_of\": \"{}\",\n  \"basis\": \"{}\",\n  \"from\": {},\n"
      "  \"suggested_from\": {},\n  \"source\": {},\n  \"accounts\": [",
      format_date(t.as_of), to_string(t.basis), opt_date(t.from),
      opt_date(t.suggested_from), json_string(t.source));
  for (std::size_t i = 0; i < t.accounts.size(); ++i)
    out += fmt::format("{}{}", i ? ", " : "", json_string(t.accounts[i]));
  out += fmt::format("],\n  \"per_document\": {},\n  \"agrees\": {},\n"
                     "  \"currencies\": [",
                     t.per_document, t.agrees());
  for (std::size_t k = 0; k < t.sections.size(); ++k) {
    const auto& s = t.sections[k];
    const auto money = [&](std::int64_t v) {
      return format_minor_units(v, s.currency.exponent);
    };
    out += fmt::format(
        "{}\n    {{\"currency\": \"{}\", \"receivable\": {}, \"unapplied\": "
        "{}, \"arctl\": {}, \"gl\": {}, \"difference\": {}, \"compared\": "
        "{}, \"agrees\": {}, \"unexplained\": {}, \"guesses_left_out\": {}, "
        "\"items\": [",
        k ? "," : "", s.currency.name(), money(s.receivable),
        money(s.unapplied), money(s.arctl), s.compared ? money(s.gl) : "null",
        s.compared ? money(s.difference()) : "null", s.compared, s.agrees(),
        money(s.unexplained), s.guesses_left_out);
    for (std::size_t n = 0; n < s.items.size(); ++n) {
      const auto& i = s.items[n];
      out += fmt::format(
          "{}\n      {{\"finding\": \"{}\", \"document\": {}, \"customer\": "
          "{}, \"arctl_date\": {}, \"gl_date\": {}, \"arctl\": {}, \"gl\": "
          "{}, \"difference\": {}, \"note\": {}}}",
          n ? "," : "", to_string(i.finding), json_string(i.document),
          i.customer == k_none ? std::string("null")
                               : json_string(books.customers[i.customer].id),
          opt_date(i.arctl_date), opt_date(i.gl_date), money(i.arctl),
          money(i.gl), money(i.difference), json_string(i.note));
    }
    out += s.items.empty() ? "]}" : "\n    ]}";
  }
  out += t.sections.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

} // namespace arctl
