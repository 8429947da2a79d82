#include "arctl/bank/import.hpp"

#include "arctl/csv_input.hpp"
#include "arctl/encoding.hpp"
#include "arctl/numbering.hpp"
#include "arctl/rows.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_set>

namespace arctl {

namespace {

// FNV-1a, 128 bits: enough that two different transactions never share a
// fingerprint in any number of books, simple enough to write down.
std::string fnv1a_128(std::string_view data) {
  using u128 = unsigned __int128;
  u128 hash = (u128{0x6c62272e07bb0142ull} << 64) | 0x62b821756295c58dull;
  const u128 prime = (u128{0x0000000001000000ull} << 64) | 0x13Bull;
  for (const unsigned char c : data) {
    hash ^= c;
    hash *= prime;
  }
  return fmt::format("{:016x}{:016x}", static_cast<std::uint64_t>(hash >> 64),
                     static_cast<std::uint64_t>(hash));
}

// What makes two transactions of one file the same line.
std::string content_key(const BankTransaction& t) {
  return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", t.account,
                     format_date(t.date),
                     format_minor_units(t.amount, t.currency.exponent),
                     t.currency.name(), t.counterparty, t.remittance);
}

// The file's name without its directory, for the source column.
std::string shown_name(const std::string& name) {
  return std::filesystem::path(name).filename().string();
}

// A file that was read: its transactions and what is said about it.
struct Read {
  Transactions transactions;
  ImportedFile summary;
};

void add_credit(std::vector<Money>& credits, const BankTransaction& t) {
  if (t.amount <= 0)
    return;
  for (auto& m : credits)
    if (m.currency() == t.currency) {
      m = Money{m.minor() + t.amount, t.currency};
      return;
    }
  credits.emplace_back(t.amount, t.currency);
}

// The .gitattributes of books made before bank.csv, with its union merge.
std::optional<std::string> attributes_with_bank(const BooksDir& dir) {
  std::ifstream in(dir.file(".gitattributes"), std::ios::binary);
  if (!in)
    return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  auto text = s.str();
  const std::string file(schema(Table::bank).file);
  if (text.find(file + " ") != std::string::npos)
    return std::nullopt;
  if (!text.empty() && text.back() != '\n')
    text += '\n';
  return text + file + " merge=union\n";
}

class Importer {
public:
  Importer(const Books& books, const ImportOptions& options)
      : m_books(books), m_options(options) {}

  Result<ImportPlan> plan(std::span<const StatementFile> files) {
    if (!m_options.profile.empty()) {
      m_profile = m_books.config.find_bank_profile(m_options.profile);
      if (!m_profile)
        return fail(ExitCode::usage, unknown_profile());
    }
    if (m_options.format == StatementFormat::csv && !m_profile)
      return fail(ExitCode::usage,
                  "--format csv: a CSV statement needs --profile NAME, a "
                  "[bank.profile.NAME] of arctl.toml that says how to read it");
    std::vector<Read> reads;
    std::vector<Diagnostic> problems;
    std::size_t failed = 0;
    for (const auto& file : files) {
      auto r = read(file);
      if (!r) {
        if (r.error().diagnostics.empty())
          return std::unexpected(std::move(r.error()));
        ++failed;
        std::move(r.error().diagnostics.begin(), r.error().diagnostics.end(),
                  std::back_inserter(problems));
        continue;
      }
      reads.push_back(std::move(*r));
    }
    if (!problems.empty()) {
      const auto n = problems.size();
      return std::unexpected(Error{
          ExitCode::data,
          fmt::format("{} problem{} in {} of {} file{}; nothing was imported",
                      n, n == 1 ? "" : "s", failed, files.size(),
                      files.size() == 1 ? "" : "s"),
          std::move(problems)});
    }
    return add(reads);
  }

private:
  std::string unknown_profile() const {
    std::string names;
    for (const auto& p : m_books.config.bank_profiles)
      names += fmt::format("{}{}", names.empty() ? "" : ", ", p.name);
    return fmt::format(
        "--profile: arctl.toml has no [bank.profile.{}]{}", m_options.profile,
        names.empty() ? std::string("; it has no profiles")
                      : fmt::format("; its profiles: {}", names));
  }

  Result<Read> read(const StatementFile& file) {
    const auto shown = file.name == "-" ? std::string("<stdin>") : file.name;
    // A profile says the format of what it reads unless --format does.
    auto format = m_options.format;
    if (!format && m_profile)
      format = StatementFormat::csv;
    auto encoding = m_options.encoding;
    if (encoding.empty() && format == StatementFormat::csv)
      encoding = m_profile->encoding;
    auto text = decode_text(file.bytes, encoding, shown);
    if (!text)
      return std::unexpected(std::move(text.error()));
    if (!format)
      format = detect_statement_format(text->text);
    if (!format) {
      Diagnostic d;
      d.loc = {shown, 0, 0};
      d.code = "statement-format";
      d.message = "cannot tell what kind of statement this is";
      d.hint = "camt.053/054, MT940, OFX and BAI2 are told by their content; "
               "name the format with --format, or give a CSV export's "
               "profile with --profile";
      return std::unexpected(problems_error(shown, {std::move(d)}));
    }
    StatementOptions options;
    options.file = shown;
    options.check_balances = m_options.check_balances;
    options.profile = m_profile;
    options.currency = m_books.config.currency;
    auto transactions = parse_statement(text->text, *format, options);
    if (!transactions)
      return std::unexpected(std::move(transactions.error()));
    for (auto& t : *transactions) {
      if (t.account.empty()) {
        if (m_options.account.empty())
          return fail(ExitCode::usage,
                      fmt::format("{} names no bank account for its "
                                  "transactions; name it with --account",
                                  shown));
        t.account = m_options.account;
      } else if (!m_options.account.empty() && t.account != m_options.account) {
        return fail(ExitCode::usage,
                    fmt::format("{}:{}: the statement is of account {}, not "
                                "--account {}",
                                shown, t.line, t.account, m_options.account));
      }
    }
    Read r;
    r.summary.file = shown;
    r.summary.format = *format;
    r.summary.encoding = text->encoding;
    r.summary.read = transactions->size();
    for (const auto& t : *transactions)
      add_credit(r.summary.credits, t);
    r.transactions = std::move(*transactions);
    return r;
  }

  Result<ImportPlan> add(std::vector<Read>& reads) {
    ImportPlan plan;
    std::unordered_set<std::string> known;
    for (const auto& b : m_books.bank_transactions)
      known.emplace(b.fingerprint);
    Numberer numbers(m_books);
    RecordAppender appender(m_books.dir, plan.planned);
    const bool create =
        !std::filesystem::exists(m_books.dir.file(schema(Table::bank).file));
    for (auto& r : reads) {
      // A bank's id identifies a transaction only if the file gives it to
      // no other transaction on the account.
      std::map<std::pair<std::string, std::string>, int> ids;
      for (const auto& t : r.transactions)
        if (!t.bank_tx.empty())
          ++ids[{t.account, t.bank_tx}];
      std::map<std::string, std::size_t> occurrences;
      for (const auto& t : r.transactions) {
        const bool by_id =
            !t.bank_tx.empty() && ids[{t.account, t.bank_tx}] == 1;
        const auto occurrence = by_id ? 0 : occurrences[content_key(t)]++;
        auto fingerprint = bank_fingerprint(t, by_id, occurrence);
        if (!known.insert(fingerprint).second) {
          ++r.summary.present;
          continue;
        }
        if (auto open = check_open_period(m_books.dir, m_books.config.lock_date,
                                          t.date);
            !open)
          return std::unexpected(
              Error{ExitCode::data,
                    fmt::format("{}:{}: {}", r.summary.file, t.line,
                                open.error().message),
                    {}});
        const auto id = numbers.next(m_books.config.numbering.bank, t.date);
        const auto source =
            fmt::format("{}:{}{}{}", shown_name(r.summary.file), t.line,
                        t.path.empty() ? "" : " ", t.path);
        const FieldValue values[] = {
            {"id", id},
            {"account", t.account},
            {"date", format_date(t.date)},
            {"value_date", t.value_date ? format_date(*t.value_date) : ""},
            {"amount", format_minor_units(t.amount, t.currency.exponent)},
            {"currency", std::string(t.currency.name())},
            {"counterparty", t.counterparty},
            {"counterparty_account", t.counterparty_account},
            {"remittance", t.remittance},
            {"end_to_end", t.end_to_end},
            {"reference", t.reference},
            {"type", t.type},
            {"reversal", t.reversal ? "yes" : ""},
            {"bank_tx", t.bank_tx},
            {"fingerprint", fingerprint},
            {"source", source},
            {"imported", format_date(m_options.today)}};
        if (auto ok = appender.append(Table::bank, values, t.date); !ok)
          return std::unexpected(std::move(ok.error()));
        plan.planned.ids.push_back(id);
        ++r.summary.added;
      }
      plan.files.push_back(std::move(r.summary));
    }
    if (create && !plan.planned.ids.empty())
      if (auto attributes = attributes_with_bank(m_books.dir))
        plan.planned.change.replace(".gitattributes", std::move(*attributes));
    return plan;
  }

  const Books& m_books;
  const ImportOptions& m_options;
  const BankProfile* m_profile = nullptr;
};

} // namespace

std::string bank_fingerprint(const BankTransaction& t, bool by_bank_id,
                             std::size_t occurrence) {
  if (by_bank_id)
    return fnv1a_128(
        fmt::format("arctl-bank-1\x1fid\x1f{}\x1f{}", t.account, t.bank_tx));
  return fnv1a_128(fmt::format("arctl-bank-1\x1ftx\x1f{}\x1f{}", content_key(t),
                               occurrence));
}

Result<ImportPlan> plan_bank_import(const Books& books,
                                    std::span<const StatementFile> files,
                                    const ImportOptions& options) {
  return Importer(books, options).plan(files);
}

} // namespace arctl
