#include "arctl/books.hpp"

#include "arctl/csv.hpp"
#include "arctl/pricing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fcntl.h>
#include <latch>
#include <optional>
#include <sys/stat.h>
#include <thread>
#include <unordered_set>
#include <unistd.h>

namespace arctl {

// ---- where the books are ---------------------------------------------------

std::string BooksDir::file(std::string_view name) const {
  return (path / name).string();
}

std::string BooksDir::shown(std::string_view name) const {
  return shown_prefix + std::string(name);
}

namespace {

// How to show files of the books in messages: as the user named the
// directory, or relative to the current directory when it was found there.
std::string as_prefix(std::string text) {
  if (text.empty() || text == ".")
    return {};
  if (text.back() != '/')
    text += '/';
  return text;
}

Result<BooksDir> books_at(const std::string& given,
                          const std::filesystem::path& cwd,
                          std::string_view origin) {
  std::filesystem::path p = given;
  if (p.is_relative())
    p = cwd / p;
  std::error_code ec;
  if (!std::filesystem::is_directory(p, ec))
    return fail(ExitCode::no_input,
                fmt::format("books directory {} ({}) does not exist", given,
                            origin));
  if (!std::filesystem::exists(p / k_config_file, ec))
    return fail(ExitCode::no_input,
                fmt::format("{} ({}) holds no {}; create books with "
                            "'arctl init'",
                            given, origin, k_config_file));
  const auto canonical = std::filesystem::weakly_canonical(p, ec);
  return BooksDir{ec ? p : canonical,
                  as_prefix(std::filesystem::path(given).lexically_normal().string())};
}

} // namespace

Result<BooksDir> locate_books(const std::optional<std::string>& flag,
                              const std::optional<std::string>& env,
                              const std::filesystem::path& cwd) {
  if (flag)
    return books_at(*flag, cwd, "from --books");
  if (env && !env->empty())
    return books_at(*env, cwd, "from ARCTL_BOOKS");
  std::error_code ec;
  for (auto dir = cwd;; dir = dir.parent_path()) {
    if (std::filesystem::exists(dir / k_config_file, ec))
      return BooksDir{dir, as_prefix(dir.lexically_relative(cwd).string())};
    if (dir == dir.root_path() || dir.empty())
      break;
  }
  return fail(ExitCode::no_input,
              fmt::format("no books found: neither {} nor any directory above "
                          "holds {}; pass --books DIR, set ARCTL_BOOKS, or "
                          "create books with 'arctl init'",
                          cwd.string(), k_config_file));
}

// ---- files and columns -------------------------------------------------------

namespace {

using namespace std::string_view_literals;

// Column positions, in the order arctl writes them.
namespace col {
enum CustomerColumn { c_id, c_name, c_email, c_currency, c_terms, c_credit_limit, c_tax_id, c_address, c_dunning };
enum InvoiceColumn { i_id, i_customer, i_date, i_due, i_currency, i_terms, i_subtotal, i_tax, i_total, i_po, i_memo };
enum LineColumn { l_invoice, l_line, l_item, l_description, l_qty, l_unit_price, l_discount, l_tax_code, l_amount, l_tax };
enum PaymentColumn { p_id, p_date, p_customer, p_amount, p_currency, p_method, p_reference, p_bank_tx, p_memo };
enum AllocationColumn { a_date, a_source, a_invoice, a_amount, a_memo };
enum AdjustmentColumn { j_id, j_date, j_kind, j_customer, j_invoice, j_source, j_amount, j_currency, j_reason, j_approved_by };
enum EventColumn { e_date, e_kind, e_customer, e_invoice, e_amount, e_reason };
enum NoticeColumn { n_id, n_date, n_customer, n_level, n_invoices, n_amount, n_currency, n_fee, n_interest };
enum ArrangementColumn { r_id, r_date, r_kind, r_customer, r_currency, r_amount, r_due, r_installments, r_every, r_invoices, r_note };
enum BankColumn { b_id, b_account, b_date, b_value_date, b_amount, b_currency, b_counterparty, b_counterparty_account, b_remittance, b_end_to_end, b_reference, b_type, b_reversal, b_bank_tx, b_fingerprint, b_source, b_imported };
enum ReconciliationColumn { q_date, q_bank, q_action, q_payments, q_customer, q_rule, q_confidence, q_third_party, q_reason, q_evidence };
} // namespace col

constexpr std::array customer_columns{"id"sv, "name"sv, "email"sv, "currency"sv, "terms"sv, "credit_limit"sv, "tax_id"sv, "address"sv, "dunning"sv};
constexpr std::array customer_required{"id"sv, "name"sv};
constexpr std::array invoice_columns{"id"sv, "customer"sv, "date"sv, "due"sv, "currency"sv, "terms"sv, "subtotal"sv, "tax"sv, "total"sv, "po"sv, "memo"sv};
constexpr std::array invoice_required{"id"sv, "customer"sv, "date"sv, "due"sv, "currency"sv, "subtotal"sv, "tax"sv, "total"sv};
constexpr std::array line_columns{"invoice"sv, "line"sv, "item"sv, "description"sv, "qty"sv, "unit_price"sv, "discount"sv, "tax_code"sv, "amount"sv, "tax"sv, "note"sv};
constexpr std::array line_required{"invoice"sv, "line"sv, "qty"sv, "unit_price"sv, "amount"sv};
constexpr std::array payment_columns{"id"sv, "date"sv, "customer"sv, "amount"sv, "currency"sv, "method"sv, "reference"sv, "bank_tx"sv, "memo"sv};
constexpr std::array payment_required{"id"sv, "date"sv, "customer"sv, "amount"sv, "currency"sv};
constexpr std::array allocation_columns{"date"sv, "source"sv, "invoice"sv, "amount"sv, "memo"sv};
constexpr std::array allocation_required{"date"sv, "source"sv, "invoice"sv, "amount"sv};
constexpr std::array adjustment_columns{"id"sv, "date"sv, "kind"sv, "customer"sv, "invoice"sv, "source"sv, "amount"sv, "currency"sv, "reason"sv, "approved_by"sv};
constexpr std::array adjustment_required{"id"sv, "date"sv, "kind"sv, "customer"sv, "currency"sv};
constexpr std::array event_columns{"date"sv, "kind"sv, "customer"sv, "invoice"sv, "amount"sv, "reason"sv};
constexpr std::array event_required{"date"sv, "kind"sv, "customer"sv};
constexpr std::array notice_columns{"id"sv, "date"sv, "customer"sv, "level"sv, "invoices"sv, "amount"sv, "currency"sv, "fee"sv, "interest"sv};
constexpr std::array notice_required{"id"sv, "date"sv, "customer"sv, "level"sv, "amount"sv, "currency"sv};
constexpr std::array arrangement_columns{"id"sv, "date"sv, "kind"sv, "customer"sv, "currency"sv, "amount"sv, "due"sv, "installments"sv, "every"sv, "invoices"sv, "note"sv};
constexpr std::array arrangement_required{"id"sv, "date"sv, "kind"sv, "customer"sv, "currency"sv, "amount"sv, "due"sv};
constexpr std::array bank_columns{"id"sv, "account"sv, "date"sv, "value_date"sv, "amount"sv, "currency"sv, "counterparty"sv, "counterparty_account"sv, "remittance"sv, "end_to_end"sv, "reference"sv, "type"sv, "reversal"sv, "bank_tx"sv, "fingerprint"sv, "source"sv, "imported"sv};
constexpr std::array bank_required{"id"sv, "account"sv, "date"sv, "amount"sv, "currency"sv, "fingerprint"sv};
constexpr std::array reconciliation_columns{"date"sv, "bank"sv, "action"sv, "payments"sv, "customer"sv, "rule"sv, "confidence"sv, "third_party"sv, "reason"sv, "evidence"sv};
constexpr std::array reconciliation_required{"date"sv, "bank"sv, "action"sv};

const std::array<TableSchema, k_table_count> k_schemas{{
    {Table::customers, "customers.csv", customer_columns, customer_required, false},
    {Table::invoices, "invoices.csv", invoice_columns, invoice_required, true},
    {Table::invoice_lines, "invoice-lines.csv", line_columns, line_required, true},
    {Table::payments, "payments.csv", payment_columns, payment_required, true},
    {Table::allocations, "allocations.csv", allocation_columns, allocation_required, true},
    {Table::adjustments, "adjustments.csv", adjustment_columns, adjustment_required, true},
    {Table::events, "events.csv", event_columns, event_required, true},
    {Table::notices, "notices.csv", notice_columns, notice_required, true},
    {Table::arrangements, "arrangements.csv", arrangement_columns, arrangement_required, true, true},
    {Table::bank, "bank.csv", bank_columns, bank_required, true, true},
    {Table::reconciliations, "reconciliations.csv", reconciliation_columns, reconciliation_required, true, true},
}};
static_assert(bank_columns.size() <= k_max_columns);

} // namespace

const TableSchema& schema(Table table) {
  return k_schemas[static_cast<std::size_t>(table)];
}

std::span<const TableSchema> all_schemas() { return k_schemas; }

std::string header_line(Table table) {
  std::string out;
  append_csv_record(out, schema(table).columns);
  return out;
}

// ---- values ------------------------------------------------------------------

std::optional<std::string> id_problem(std::string_view id) {
  if (id.empty())
    return std::string("is empty");
  if (id.size() > 64)
    return fmt::format("is {} characters long; ids have at most 64", id.size());
  auto word = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9');
  };
  if (!word(id[0]))
    return std::string("must start with a letter or digit");
  for (char c : id)
    if (!word(c) && c != '.' && c != '_' && c != '-')
      return fmt::format("contains '{}'; ids use only letters, digits, '.', "
                         "'_' and '-'",
                         static_cast<unsigned char>(c) < 0x20
                             ? fmt::format("\\x{:02x}",
                                           static_cast<unsigned char>(c))
                             : std::string(1, c));
  return std::nullopt;
}

namespace {
// Names as written in the books, indexed by the enum's value.
constexpr std::array k_method_names{""sv, "check"sv, "card"sv, "ach"sv, "wire"sv, "cash"sv, "other"sv};
constexpr std::array k_adjustment_names{"credit"sv, "discount"sv, "writeoff"sv, "void"sv, "refund"sv, "reversal"sv};
constexpr std::array k_event_names{"dispute"sv, "resolve"sv, "hold"sv, "release"sv, "override"sv};
constexpr std::array k_arrangement_names{"promise"sv, "plan"sv};
constexpr std::array k_reconcile_action_names{"posted"sv, "linked"sv,
                                              "confirmed"sv, "ignored"sv};

template <class E, std::size_t N>
std::optional<E> from_name(const std::array<std::string_view, N>& names,
                           std::string_view text, std::size_t first = 0) {
  for (std::size_t i = first; i < N; ++i)
    if (names[i] == text)
      return static_cast<E>(i);
  return std::nullopt;
}

// "a, b and c", for hints.
template <std::size_t N>
std::string name_list(const std::array<std::string_view, N>& names,
                      std::size_t first = 0) {
  std::string out;
  for (std::size_t i = first; i < N; ++i)
    out += fmt::format("{}{}", i == first ? "" : i + 1 == N ? " and " : ", ",
                       names[i]);
  return out;
}
} // namespace

std::vector<std::string_view> split_list(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    const auto semi = list.find(';');
    out.push_back(list.substr(0, semi));
    list = semi == std::string_view::npos ? std::string_view{}
                                          : list.substr(semi + 1);
  }
  return out;
}

std::optional<std::string> email_problem(std::string_view email) {
  const auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos ||
      email.find('.', at) == std::string_view::npos ||
      email.find_first_of(" ,;<>\"") != std::string_view::npos)
    return fmt::format("e-mail address \"{}\" is not valid", email);
  return std::nullopt;
}

std::string_view to_string(PaymentMethod m) {
  return k_method_names[static_cast<std::size_t>(m)];
}
std::string_view to_string(AdjustmentKind k) {
  return k_adjustment_names[static_cast<std::size_t>(k)];
}
std::string_view to_string(EventKind k) {
  return k_event_names[static_cast<std::size_t>(k)];
}
std::string_view to_string(ArrangementKind k) {
  return k_arrangement_names[static_cast<std::size_t>(k)];
}
std::string_view to_string(ReconcileAction a) {
  return k_reconcile_action_names[static_cast<std::size_t>(a)];
}
std::optional<ReconcileAction> parse_reconcile_action(std::string_view text) {
  return from_name<ReconcileAction>(k_reconcile_action_names, text);
}
std::optional<PaymentMethod> parse_payment_method(std::string_view text) {
  return from_name<PaymentMethod>(k_method_names, text, 1);
}
std::optional<AdjustmentKind> parse_adjustment_kind(std::string_view text) {
  return from_name<AdjustmentKind>(k_adjustment_names, text);
}
std::optional<EventKind> parse_event_kind(std::string_view text) {
  return from_name<EventKind>(k_event_names, text);
}
std::optional<ArrangementKind> parse_arrangement_kind(std::string_view text) {
  return from_name<ArrangementKind>(k_arrangement_names, text);
}

// ---- Books accessors -----------------------------------------------------------

namespace {
constexpr std::uint32_t pack(DocRef ref) {
  return (static_cast<std::uint32_t>(ref.kind) << 30) | ref.index;
}
constexpr DocRef unpack(std::uint32_t v) {
  return {static_cast<DocKind>(v >> 30), v & 0x3FFFFFFFu};
}
} // namespace

std::optional<std::uint32_t> Books::find_customer(std::string_view id) const {
  return customer_index.find(id);
}

DocRef Books::find_document(std::string_view id) const {
  if (auto v = invoice_index.find(id))
    return {DocKind::invoice, *v};
  if (auto v = document_index.find(id))
    return unpack(*v);
  return {};
}

std::string_view Books::document_id(DocRef ref) const {
  switch (ref.kind) {
  case DocKind::invoice: return invoices[ref.index].id;
  case DocKind::payment: return payments[ref.index].id;
  case DocKind::adjustment: return adjustments[ref.index].id;
  }
  return {};
}

std::uint32_t Books::document_customer(DocRef ref) const {
  switch (ref.kind) {
  case DocKind::invoice: return invoices[ref.index].customer;
  case DocKind::payment: return payments[ref.index].customer;
  case DocKind::adjustment: return adjustments[ref.index].customer;
  }
  return k_none;
}

Currency Books::document_currency(DocRef ref) const {
  switch (ref.kind) {
  case DocKind::invoice: return invoices[ref.index].currency;
  case DocKind::payment: return payments[ref.index].currency;
  case DocKind::adjustment: return adjustments[ref.index].currency;
  }
  return {};
}

Date Books::document_date(DocRef ref) const {
  switch (ref.kind) {
  case DocKind::invoice: return invoices[ref.index].date;
  case DocKind::payment: return payments[ref.index].date;
  case DocKind::adjustment: return adjustments[ref.index].date;
  }
  return {};
}

// ---- reading ---------------------------------------------------------------------

namespace {

const char* kind_noun(DocKind k) {
  switch (k) {
  case DocKind::invoice: return "an invoice";
  case DocKind::payment: return "a payment";
  case DocKind::adjustment: return "an adjustment";
  }
  return "";
}

// The file a kind of document is kept in, as the schema names it.
std::string_view kind_file(DocKind k) {
  switch (k) {
  case DocKind::invoice: return schema(Table::invoices).file;
  case DocKind::payment: return schema(Table::payments).file;
  case DocKind::adjustment: return schema(Table::adjustments).file;
  }
  return {};
}

// What a loader may look at while other loaders fill the books beside it
// on other threads.
enum class Share : std::uint8_t {
  all,           // nothing runs beside it
  invoices_only, // it reads invoice-lines.csv: invoice_index, nothing else
  no_invoices,   // it reads payments.csv while invoices.csv is read
  no_documents,  // it reads invoices.csv while payments.csv is read
};

// A part of a file to read: from byte `from`, where a record starts on
// line `line`, up to byte `to` (0: the end). Its header is read at the
// start of the file.
struct Part {
  std::uint64_t from = 0;
  std::uint32_t line = 1;
  std::uint64_t to = 0;
};

// Known column -> field index in a file's header, or -1.
using ColumnMap = std::array<int, k_max_columns>;

// What looking ahead at a row found in the indexes that no longer change
// (customers, and invoices once read): its customer and its invoice, or
// k_none if absent; k_unknown where it did not look.
constexpr std::uint32_t k_unknown = k_none - 1;
struct Hint {
  std::uint32_t customer = k_unknown;
  int invoice_column = -1;
  std::uint32_t invoice = k_unknown;
};

// Reads one file: maps its header to known columns and hands each row to a
// table-specific parser through Row. Text goes to `arena`, which belongs
// to this loader's thread.
class Loader {
public:
  Loader(Books& books, std::vector<Diagnostic>& problems,
         const LoadOptions& options, Arena& arena, Share share = Share::all)
      : m_books(books), m_problems(problems), m_options(options),
        m_arena(arena), m_share(share) {}

  // Reads `part` of the file of `table`; returns whether it ended where
  // asked: at its end, or at `part.to` when a record starts exactly there.
  // Otherwise (a quoted line break at `to`, say) it goes on to the end of
  // the file and returns false. The rows of a part that does not start the
  // file are counted in part_rows(), not in Books::records.
  bool read(Table table, Part part = {});
  void share(Share share) { m_share = share; }
  // Where allocation rows go, instead of Books::allocations.
  void allocations_into(Records<Allocation>& records) {
    m_allocations = &records;
  }
  [[nodiscard]] std::uint64_t part_rows() const { return m_part_rows; }
  [[nodiscard]] std::uint32_t files_read() const { return m_files_read; }

private:
  // A row being read: field access by known column, problem reporting.
  struct Row {
    Loader& loader;
    const CsvRecord& rec;
    const ColumnMap& map;
    const std::string& file;
    const Hint& looked_up;
    bool ok = true;

    [[nodiscard]] bool has(int c) const { return map[c] >= 0; }
    [[nodiscard]] std::string_view get(int c) const {
      return map[c] >= 0 ? rec.fields[map[c]] : std::string_view{};
    }
    void problem(int c, std::string code, std::string message,
                 std::string hint = {}) {
      ok = false;
      Diagnostic d;
      d.code = std::move(code);
      d.message = std::move(message);
      d.hint = std::move(hint);
      const CsvPos pos = map[c] >= 0 ? rec.positions[map[c]]
                                     : CsvPos{rec.line, 1};
      d.loc = {file, pos.line, pos.column};
      d.excerpt = std::string(line_of(rec, pos));
      const auto field = get(c);
      d.span = static_cast<std::uint32_t>(std::max<std::size_t>(1, field.size()));
      loader.m_problems.push_back(std::move(d));
    }
    std::string_view text(int c) { return loader.m_arena.store(get(c)); }
    // "yes" or "no"; empty is no.
    bool yes_no(int c, std::string_view what) {
      const auto v = get(c);
      if (!v.empty() && v != "yes" && v != "no")
        problem(c, "value-unknown",
                fmt::format("{} \"{}\" must be yes or no", what, v));
      return v == "yes";
    }
    // A whole number of at most three digits, or nullopt if it is not one.
    static std::optional<std::uint32_t> small_number(std::string_view v) {
      if (v.empty() || v.size() > 3)
        return std::nullopt;
      std::uint32_t n = 0;
      for (const char ch : v) {
        if (ch < '0' || ch > '9')
          return std::nullopt;
        n = n * 10 + static_cast<std::uint32_t>(ch - '0');
      }
      return n;
    }

    std::optional<Date> date(int c, std::string_view what) {
      const auto v = get(c);
      if (v.empty()) {
        problem(c, "missing-value", fmt::format("{} is empty", what));
        return std::nullopt;
      }
      // Fact files are in date order: most rows have the date of the row
      // before.
      auto& memo = loader.m_last_date[c];
      if (v == std::string_view(memo.text.data(), memo.size))
        return memo.date;
      auto d = parse_date(v);
      if (!d) {
        problem(c, "date-syntax", d.error().message, d.error().hint);
        return std::nullopt;
      }
      if (v.size() <= memo.text.size()) {
        std::copy(v.begin(), v.end(), memo.text.begin());
        memo.size = v.size();
        memo.date = *d;
      }
      return *d;
    }
    // One of `names` (from index `first`), reported as `what` if not.
    template <class E, std::size_t N>
    std::optional<E> choice(int c, const std::array<std::string_view, N>& names,
                            std::size_t first, std::string_view what,
                            std::string_view plural) {
      const auto v = get(c);
      if (auto e = from_name<E>(names, v, first))
        return e;
      problem(c, v.empty() ? "missing-value" : "value-unknown",
              fmt::format("{} \"{}\" is not known", what, v),
              fmt::format("{} are {}", plural, name_list(names, first)));
      return std::nullopt;
    }
    std::optional<Currency> currency(int c) {
      const auto v = get(c);
      if (auto cur = find_currency(v))
        return cur;
      if (v.empty())
        problem(c, "missing-value", "currency is empty");
      else
        problem(c, "currency-unknown", fmt::format("unknown currency \"{}\"", v),
                "currencies are ISO 4217 codes such as USD, EUR, JPY");
      return std::nullopt;
    }
    // An amount in `cur`; empty is nullopt without a problem when optional.
    std::optional<std::int64_t> amount(int c, Currency cur, bool required,
                                       std::string_view what = "amount") {
      const auto v = get(c);
      if (v.empty()) {
        if (required)
          problem(c, "missing-value", fmt::format("{} is empty", what));
        return std::nullopt;
      }
      auto m = Money::parse(v, cur);
      if (!m) {
        problem(c, "amount-syntax", m.error().message, m.error().hint);
        return std::nullopt;
      }
      return m->minor();
    }
    std::optional<std::string_view> id(int c, std::string_view what) {
      const auto v = get(c);
      if (auto why = id_problem(v)) {
        problem(c, v.empty() ? "missing-value" : "id-syntax",
                v.empty() ? fmt::format("{} is empty", what)
                          : fmt::format("{} \"{}\" {}", what, v, *why));
        return std::nullopt;
      }
      return v;
    }
    std::uint32_t customer(int c) {
      const auto v = get(c);
      if (v.empty()) {
        problem(c, "missing-value", "customer is empty");
        return k_none;
      }
      if (looked_up.customer != k_unknown) {
        if (looked_up.customer != k_none)
          return looked_up.customer;
      } else if (auto i = loader.m_books.find_customer(v)) {
        return *i;
      }
      problem(c, "unknown-customer",
              fmt::format("unknown customer \"{}\"", v),
              "customers are defined in customers.csv");
      return k_none;
    }
    // A document of one of `kinds`, named in messages as `what`.
    DocRef document(int c, std::string_view what,
                    std::initializer_list<DocKind> kinds) {
      const auto v = get(c);
      if (v.empty()) {
        problem(c, "missing-value", fmt::format("{} is empty", what));
        return {};
      }
      // Lines and applications mostly name the same document as the row
      // before: remember the last lookup per column.
      auto& memo = loader.m_last_document[c];
      DocRef ref;
      if (memo.first == v) {
        ref = memo.second;
      } else if (loader.m_share == Share::invoices_only) {
        if (auto i = loader.m_books.invoice_index.find(v))
          ref = {DocKind::invoice, *i};
        memo = {std::string(v), ref};
      } else {
        // Look first where the reference most likely is.
        const auto& b = loader.m_books;
        const bool invoice_first =
            std::find(kinds.begin(), kinds.end(), DocKind::invoice) !=
            kinds.end();
        if (invoice_first && looked_up.invoice_column == c &&
            looked_up.invoice != k_unknown && looked_up.invoice != k_none) {
          ref = {DocKind::invoice, looked_up.invoice};
        } else if (invoice_first) {
          ref = b.find_document(v);
        } else if (auto d = b.document_index.find(v)) {
          ref = unpack(*d);
        } else if (auto i = b.invoice_index.find(v)) {
          ref = {DocKind::invoice, *i};
        }
        memo = {std::string(v), ref};
      }
      if (!ref.valid()) {
        problem(c, "unknown-document", fmt::format("unknown {} \"{}\"", what, v));
        return {};
      }
      if (std::find(kinds.begin(), kinds.end(), ref.kind) == kinds.end()) {
        problem(c, "wrong-document",
                fmt::format("\"{}\" is {}, not {} {}", v,
                            kind_noun(ref.kind),
                            what.starts_with("invoice") ? "an" : "a", what));
        return {};
      }
      return ref;
    }
    // Registers a document id; reports a duplicate with where it was first.
    bool register_document(int c, std::string_view id, DocRef ref) {
      auto& books = loader.m_books;
      std::optional<DocRef> first;
      // Beside each other, invoices and payments are registered each in
      // their own index; load_books looks for ids in both afterwards.
      const auto share = loader.m_share;
      if (ref.kind == DocKind::invoice) {
        if (auto i = books.invoice_index.insert(id, ref.index)) {
          first = DocRef{DocKind::invoice, *i};
        } else if (share != Share::no_documents) {
          if (auto d = books.document_index.find(id))
            first = unpack(*d);
        }
      } else if (auto i = share == Share::no_invoices
                              ? std::nullopt
                              : books.invoice_index.find(id)) {
        first = DocRef{DocKind::invoice, *i};
      } else if (auto d = books.document_index.insert(id, pack(ref))) {
        first = unpack(*d);
      }
      if (first) {
        const auto other = *first;
        std::uint32_t line = 0;
        switch (other.kind) {
        case DocKind::invoice: line = books.invoices[other.index].line; break;
        case DocKind::payment: line = books.payments[other.index].line; break;
        case DocKind::adjustment: line = books.adjustments[other.index].line; break;
        }
        problem(c, "duplicate-id",
                fmt::format("duplicate id \"{}\": already used at {}:{}", id,
                            books.dir.shown(kind_file(other.kind)), line),
                "every invoice, payment and adjustment needs its own id");
        return false;
      }
      return true;
    }
  };

  // Makes room for about `rows` records of `table` once their number can be
  // estimated, so large books are read without rehashing or copying. The
  // room is only reserved: a page is first touched, and cleared by the
  // kernel, when a record is written to it.
  void reserve(Table table, std::uint64_t rows) {
    const auto n = static_cast<std::size_t>(rows + rows / 8);
    auto& b = m_books;
    const auto room = [n](auto& records) { records.reserve(n); };
    switch (table) {
    case Table::customers:
      room(b.customers);
      b.customer_index.reserve(n);
      break;
    case Table::invoices:
      room(b.invoices);
      b.invoice_index.reserve(n);
      break;
    case Table::invoice_lines: break;
    case Table::payments:
      room(b.payments);
      b.document_index.reserve(n + n / 8); // and some adjustments
      break;
    case Table::allocations: room(*m_allocations); break;
    case Table::adjustments: room(b.adjustments); break;
    case Table::events: room(b.events); break;
    case Table::notices: room(b.notices); break;
    case Table::arrangements: room(b.arrangements); break;
    case Table::bank:
      room(b.bank_transactions);
      b.bank_index.reserve(n);
      break;
    case Table::reconciliations: room(b.reconciliations); break;
    }
  }

  // Starts loading the memory that using `rec` will touch: at `stage` 1
  // the slots of the ids it names, at stage 2 (a few rows later, when
  // those are in cache) the records they lead to. What stage 2 finds in
  // indexes that no longer change is kept in `hint` for the row. Looks at
  // nothing another thread writes.
  void ahead(Table table, const CsvRecord& rec, const ColumnMap& map, int stage,
             Hint& hint) const {
    if (stage == 1)
      hint = Hint{};
    const auto field = [&](int c) {
      const auto i = map[c];
      return i >= 0 && static_cast<std::size_t>(i) < rec.fields.size()
                 ? rec.fields[static_cast<std::size_t>(i)]
                 : std::string_view{};
    };
    const auto& b = m_books;
    const auto invoice = [&](int c) {
      const auto i = b.invoice_index.find(field(c));
      hint.invoice_column = c;
      hint.invoice = i.value_or(k_none);
      if (i) {
        __builtin_prefetch(&b.invoices[*i].id);
        __builtin_prefetch(&b.invoices[*i].currency);
      }
    };
    const auto customer = [&](int c) {
      if (stage == 1) {
        b.customer_index.prefetch(field(c));
        return;
      }
      hint.customer = b.customer_index.find(field(c)).value_or(k_none);
    };
    switch (table) {
    case Table::invoices:
      customer(col::i_customer);
      if (stage == 1)
        b.invoice_index.prefetch(field(col::i_id));
      break;
    case Table::payments:
      customer(col::p_customer);
      if (stage == 1)
        b.document_index.prefetch(field(col::p_id));
      break;
    case Table::allocations:
      if (stage == 1) {
        b.document_index.prefetch(field(col::a_source));
        b.invoice_index.prefetch(field(col::a_invoice));
      } else {
        invoice(col::a_invoice);
      }
      break;
    case Table::adjustments:
      customer(col::j_customer);
      if (stage == 1) {
        b.invoice_index.prefetch(field(col::j_invoice));
        b.document_index.prefetch(field(col::j_source));
      } else {
        invoice(col::j_invoice);
        if (const auto d = b.document_index.find(field(col::j_source))) {
          const auto ref = unpack(*d);
          if (ref.kind == DocKind::payment && ref.index < b.payments.size())
            __builtin_prefetch(&b.payments[ref.index]);
          else if (ref.kind == DocKind::adjustment &&
                   ref.index < b.adjustments.size())
            __builtin_prefetch(&b.adjustments[ref.index]);
        }
      }
      break;
    default: break;
    }
  }

  void customer_row(Row& r);
  void invoice_row(Row& r);
  void line_row(Row& r);
  void payment_row(Row& r);
  void allocation_row(Row& r);
  void adjustment_row(Row& r);
  void event_row(Row& r);
  void notice_row(Row& r);
  void arrangement_row(Row& r);
  // The invoices of a ';'-separated list (notices.csv, arrangements.csv);
  // an id that is not an invoice's is a problem and left out.
  std::vector<std::uint32_t> invoice_list(Row& r, int column);
  void bank_row(Row& r);
  void reconciliation_row(Row& r);

  // Checks `cur` against the currency of customer `c`.
  void same_currency_as_customer(Row& r, int column, std::uint32_t c,
                                 Currency cur) {
    if (c == k_none)
      return;
    // The customers' currencies side by side: a row's customer is any of
    // tens of thousands, whose records would each be a cache miss.
    if (m_customer_currency.size() != m_books.customers.size()) {
      m_customer_currency.clear();
      for (const auto& customer : m_books.customers)
        m_customer_currency.push_back(customer.currency);
    }
    if (m_customer_currency[c] == cur)
      return;
    const auto& customer = m_books.customers[c];
    r.problem(column, "currency-mismatch",
              fmt::format("currency {} differs from customer {}'s currency {}",
                          cur.name(), customer.id, customer.currency.name()));
  }

  Books& m_books;
  std::vector<Diagnostic>& m_problems;
  const LoadOptions& m_options;
  // Adjustment rows whose source is another adjustment not read yet.
  struct Pending {
    std::uint32_t adjustment;
    std::string_view source;
    Diagnostic unresolved;
  };
  std::vector<Pending> m_pending;
  std::unordered_set<std::uint64_t> m_long_lines;
  std::array<std::pair<std::string, DocRef>, k_max_columns> m_last_document;
  // The last date read per column, as written ("2026-01-31") and read.
  struct LastDate {
    std::array<char, 10> text{};
    std::size_t size = 0;
    Date date;
  };
  std::array<LastDate, k_max_columns> m_last_date{};
  // Terms already found valid, as written: a handful of texts recur.
  std::vector<std::string> m_valid_terms;
  std::vector<Currency> m_customer_currency;
  Arena& m_arena;
  Share m_share = Share::all;
  Records<Allocation>* m_allocations = &m_books.allocations;
  std::uint64_t m_part_rows = 0;
  std::uint32_t m_files_read = 0;
};

bool Loader::read(Table table, Part part) {
  const auto& s = schema(table);
  const auto shown = m_books.dir.shown(s.file);
  auto opened = CsvReader::open(m_books.dir.file(s.file), shown);
  if (!opened && s.optional && part.from == 0) {
    std::error_code ec;
    if (!std::filesystem::exists(m_books.dir.file(s.file), ec) && !ec)
      return true; // books from before the file existed: no records
  }
  if (!opened) {
    Diagnostic d;
    d.loc = {shown, 0, 0};
    d.code = "file-missing";
    d.message = fmt::format("cannot read {}", s.file);
    d.hint = "'arctl init' creates every file with its header row";
    m_problems.push_back(std::move(d));
    return false;
  }
  auto& reader = *opened;
  ++m_files_read;
  CsvRecord rec;

  // The header row.
  ColumnMap map;
  map.fill(-1);
  for (;;) {
    auto got = reader.next(rec);
    if (!got) {
      m_problems.push_back(std::move(got.error()));
      continue;
    }
    if (!*got) {
      Diagnostic d;
      d.loc = {shown, 1, 1};
      d.code = "header-missing";
      d.message = "file is empty; it needs a header row";
      d.hint = fmt::format("the header is: {}", header_line(table).substr(
                                                    0, header_line(table).size() - 1));
      m_problems.push_back(std::move(d));
      return false;
    }
    break;
  }
  const auto header_fields = rec.fields.size();
  bool header_ok = true;
  auto header_problem = [&](std::size_t i, std::string code, std::string msg,
                            std::string hint = {}) {
    Diagnostic d;
    const auto pos = i < rec.positions.size() ? rec.positions[i]
                                              : CsvPos{rec.line, 1};
    d.loc = {shown, pos.line, pos.column};
    d.code = std::move(code);
    d.message = std::move(msg);
    d.hint = std::move(hint);
    d.excerpt = std::string(line_of(rec, pos));
    d.span = i < rec.fields.size()
                 ? static_cast<std::uint32_t>(std::max<std::size_t>(1, rec.fields[i].size()))
                 : 1;
    m_problems.push_back(std::move(d));
    header_ok = false;
  };
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    const auto name = rec.fields[i];
    for (std::size_t k = 0; k < s.columns.size(); ++k) {
      if (s.columns[k] != name)
        continue;
      if (map[k] >= 0)
        header_problem(i, "header-duplicate",
                       fmt::format("column \"{}\" appears twice", name));
      else
        map[k] = static_cast<int>(i);
    }
    for (std::size_t j = 0; j < i; ++j)
      if (rec.fields[j] == name &&
          std::find(s.columns.begin(), s.columns.end(), name) == s.columns.end())
        header_problem(i, "header-duplicate",
                       fmt::format("column \"{}\" appears twice", name));
  }
  for (auto req : s.required) {
    const auto k = static_cast<std::size_t>(
        std::find(s.columns.begin(), s.columns.end(), req) - s.columns.begin());
    if (map[k] < 0)
      header_problem(rec.fields.size(), "header-missing-column",
                     fmt::format("required column \"{}\" is missing", req),
                     fmt::format("the header is: {}",
                                 header_line(table).substr(
                                     0, header_line(table).size() - 1)));
  }
  if (!header_ok)
    return false;
  if (part.from > 0) {
    auto rest =
        CsvReader::open(m_books.dir.file(s.file), shown, part.from, part.line);
    if (!rest)
      return false;
    reader = std::move(*rest);
  }

  const auto total = reader.size();
  std::uint64_t count = 0;
  bool at_end_of_part = part.to == 0;
  const auto take = [&](const CsvRecord& record, const Hint& hint) {
    if (const auto bad = invalid_utf8_at(record.raw);
        bad != std::string_view::npos) {
      // Columns count bytes; find the line and column of the bad byte.
      std::uint32_t line = record.line, column = 1;
      for (std::size_t k = 0; k < bad; ++k, ++column)
        if (record.raw[k] == '\n') {
          ++line;
          column = 0;
        }
      Diagnostic d;
      d.loc = {shown, line, column};
      d.code = "encoding";
      d.message = fmt::format("byte 0x{:02X} is not valid UTF-8",
                              static_cast<unsigned char>(record.raw[bad]));
      d.hint = "the books are UTF-8; save the file as UTF-8 (a spreadsheet "
               "may have written Latin-1 or Windows-1252)";
      d.excerpt = std::string(line_of(record, {line, column}));
      m_problems.push_back(std::move(d));
      return;
    }
    if (record.fields.size() != header_fields) {
      Diagnostic d;
      const auto last = record.positions.back();
      d.loc = {shown, last.line, last.column};
      d.code = "field-count";
      d.message = fmt::format(
          "row has {} field{} but the header has {}", record.fields.size(),
          record.fields.size() == 1 ? "" : "s", header_fields);
      d.hint = "a field that contains a comma must be enclosed in quotes";
      d.excerpt = std::string(line_of(record, last));
      m_problems.push_back(std::move(d));
      return;
    }
    Row row{*this, record, map, shown, hint};
    switch (table) {
    case Table::customers: customer_row(row); break;
    case Table::invoices: invoice_row(row); break;
    case Table::invoice_lines: line_row(row); break;
    case Table::payments: payment_row(row); break;
    case Table::allocations: allocation_row(row); break;
    case Table::adjustments: adjustment_row(row); break;
    case Table::events: event_row(row); break;
    case Table::notices: notice_row(row); break;
    case Table::arrangements: arrangement_row(row); break;
    case Table::bank: bank_row(row); break;
    case Table::reconciliations: reconciliation_row(row); break;
    }
  };
  // Rows are read in batches and used a few rows behind where the lookups
  // they will make are started (ahead), so the memory those touch (id
  // tables and records of hundreds of MB, mostly not in any cache) is on
  // its way while earlier rows are used: the waits overlap.
  constexpr std::size_t k_batch = 64, k_lead = 16, k_second = 8;
  std::array<CsvRecord, k_batch> batch;
  std::array<Hint, k_batch> hints;
  for (;;) {
    auto got = reader.next_batch(batch, part.to == 0 ? UINT64_MAX : part.to);
    const auto n = got.records;
    if (count < 4096 && count + n >= 4096 && total > part.from)
      reserve(table,
              (count + n) * (total - part.from) /
                  std::max<std::uint64_t>(1, reader.bytes_read() - part.from));
    if (m_options.progress && (count >> 16) != ((count + n) >> 16))
      m_options.progress(shown, reader.bytes_read(), total);
    for (std::size_t i = 0; i < n + k_lead; ++i) {
      if (i < n)
        ahead(table, batch[i], map, 1, hints[i]);
      if (i >= k_second && i - k_second < n)
        ahead(table, batch[i - k_second], map, 2, hints[i - k_second]);
      if (i >= k_lead)
        take(batch[i - k_lead], hints[i - k_lead]);
    }
    count += n;
    if (got.error)
      m_problems.push_back(std::move(*got.error));
    if (got.end)
      break;
    if (n == 0 && !got.error) {
      // Stopped at part.to: the part ends if a record starts there.
      if (reader.bytes_read() == part.to) {
        at_end_of_part = true;
        break;
      }
      part.to = 0; // a record goes past it: read on to the end
    }
  }
  if (part.from == 0)
    m_books.records[static_cast<std::size_t>(table)] = count;
  else
    m_part_rows = count;
  if (m_options.progress)
    m_options.progress(shown, total, total);

  if (table == Table::adjustments) {
    // Only a credit memo further down this file can be a forward source.
    // A source that stays unresolved is left invalid, and the rules that
    // follow the money skip the adjustment.
    for (auto& p : m_pending) {
      auto& j = m_books.adjustments[p.adjustment];
      const auto ref = m_books.find_document(p.source);
      auto& d = p.unresolved;
      if (!ref.valid() || ref.kind != DocKind::adjustment ||
          m_books.adjustments[ref.index].kind != AdjustmentKind::credit) {
        m_problems.push_back(std::move(d));
        continue;
      }
      const auto& credit = m_books.adjustments[ref.index];
      if (j.kind == AdjustmentKind::reversal) {
        d.code = "wrong-document";
        d.message = "only a payment can be reversed";
      } else if (credit.customer != j.customer) {
        d.code = "customer-mismatch";
        d.message = fmt::format("customer {} is not the customer of {} ({})",
                                m_books.customers[j.customer].id, credit.id,
                                m_books.customers[credit.customer].id);
      } else if (credit.currency != j.currency) {
        d.code = "currency-mismatch";
        d.message = fmt::format("currency {} differs from {}'s currency {}",
                                j.currency.name(), credit.id,
                                credit.currency.name());
      } else {
        j.source = ref;
        continue;
      }
      m_problems.push_back(std::move(d));
    }
    m_pending.clear();
  }
  return at_end_of_part;
}

void Loader::customer_row(Row& r) {
  using namespace col;
  Customer c;
  c.line = r.rec.line;
  const auto id = r.id(c_id, "customer id");
  if (r.get(c_name).empty())
    r.problem(c_name, "missing-value", "name is empty");
  if (const auto email = r.get(c_email); !email.empty())
    if (auto why = email_problem(email))
      r.problem(c_email, "email-syntax", *why,
                "addresses look like billing@example.com");
  c.currency = m_books.config.currency;
  if (!r.get(c_currency).empty())
    if (auto cur = r.currency(c_currency))
      c.currency = *cur;
  c.terms = m_books.config.default_terms;
  if (const auto t = r.get(c_terms); !t.empty()) {
    if (auto terms = parse_terms(t))
      c.terms = *terms;
    else
      r.problem(c_terms, "terms-syntax", terms.error().message,
                terms.error().hint);
  }
  if (auto limit = r.amount(c_credit_limit, c.currency, false, "credit limit")) {
    if (*limit < 0)
      r.problem(c_credit_limit, "amount-negative", "credit limit is negative");
    c.credit_limit = limit;
  }
  const auto dunning = r.get(c_dunning);
  if (dunning == "no")
    c.dunning = false;
  else if (!dunning.empty() && dunning != "yes")
    r.problem(c_dunning, "value-unknown",
              fmt::format("dunning \"{}\" must be yes or no", dunning));
  if (!id || !r.ok)
    return;
  c.id = r.text(c_id);
  c.name = r.text(c_name);
  c.email = r.text(c_email);
  c.tax_id = r.text(c_tax_id);
  c.address = r.text(c_address);
  const auto index = static_cast<std::uint32_t>(m_books.customers.size());
  if (auto first = m_books.customer_index.insert(c.id, index)) {
    r.problem(c_id, "duplicate-id",
              fmt::format("duplicate customer id \"{}\": already used at {}:{}",
                          c.id, r.file, m_books.customers[*first].line));
    return;
  }
  m_books.customers.push_back(c);
}

void Loader::invoice_row(Row& r) {
  using namespace col;
  Invoice inv;
  inv.line = r.rec.line;
  const auto id = r.id(i_id, "invoice id");
  inv.customer = r.customer(i_customer);
  const auto date = r.date(i_date, "date");
  const auto due = r.date(i_due, "due date");
  if (date && due && *due < *date)
    r.problem(i_due, "due-before-date",
              fmt::format("due date {} is before the invoice date {}",
                          format_date(*due), format_date(*date)));
  const auto cur = r.currency(i_currency);
  if (cur)
    same_currency_as_customer(r, i_currency, inv.customer, *cur);
  if (const auto t = r.get(i_terms); !t.empty())
    if (std::find(m_valid_terms.begin(), m_valid_terms.end(), t) ==
        m_valid_terms.end()) {
      if (auto terms = parse_terms(t); !terms)
        r.problem(i_terms, "terms-syntax", terms.error().message,
                  terms.error().hint);
      else if (m_valid_terms.size() < 16)
        m_valid_terms.emplace_back(t);
    }
  if (!cur || !id || !date || !due)
    return;
  const auto subtotal = r.amount(i_subtotal, *cur, true, "subtotal");
  const auto tax = r.amount(i_tax, *cur, true, "tax");
  const auto total = r.amount(i_total, *cur, true, "total");
  if (total && *total < 0)
    r.problem(i_total, "amount-negative", "total is negative",
              "a credit is issued as a credit memo in adjustments.csv");
  if (subtotal && tax && total && *subtotal + *tax != *total)
    r.problem(i_total, "total-mismatch",
              fmt::format("total {} is not subtotal {} plus tax {}",
                          format_minor_units(*total, cur->exponent),
                          format_minor_units(*subtotal, cur->exponent),
                          format_minor_units(*tax, cur->exponent)));
  if (!r.ok)
    return;
  inv.date = *date;
  inv.due = *due;
  inv.currency = *cur;
  inv.subtotal = *subtotal;
  inv.tax = *tax;
  inv.total = *total;
  inv.id = r.text(i_id);
  inv.terms = r.text(i_terms);
  inv.po = r.text(i_po);
  inv.memo = r.text(i_memo);
  const DocRef ref{DocKind::invoice,
                   static_cast<std::uint32_t>(m_books.invoices.size())};
  if (r.register_document(i_id, inv.id, ref))
    m_books.invoices.push_back(inv);
}

void Loader::line_row(Row& r) {
  using namespace col;
  const auto ref = r.document(l_invoice, "invoice", {DocKind::invoice});
  const auto line_text = r.get(l_line);
  std::uint32_t line_no = 0;
  bool line_ok = !line_text.empty() && line_text.size() <= 6 && line_text[0] != '0';
  for (char ch : line_text) {
    line_ok = line_ok && ch >= '0' && ch <= '9';
    line_no = line_no * 10 + static_cast<std::uint32_t>(ch - '0');
  }
  if (!line_ok)
    r.problem(l_line, "line-number",
              fmt::format("line number \"{}\" must be a whole number from 1",
                          line_text));
  auto qty = parse_decimal(r.get(l_qty), 9, "quantity");
  if (!qty)
    r.problem(l_qty, "number-syntax", qty.error().message, qty.error().hint);
  auto price = parse_decimal(r.get(l_unit_price), 9, "unit price");
  if (!price)
    r.problem(l_unit_price, "number-syntax", price.error().message,
              price.error().hint);
  const TaxCode* code = nullptr;
  if (const auto c = r.get(l_tax_code); !c.empty()) {
    code = m_books.config.find_tax_code(c);
    if (!code)
      r.problem(l_tax_code, "tax-code-unknown",
                fmt::format("unknown tax code \"{}\"", c),
                "tax codes are tables [tax.CODE] in arctl.toml");
  }
  if (!ref.valid() || !r.ok)
    return;
  const auto& inv = m_books.invoices[ref.index];
  const auto cur = inv.currency;
  const auto discount = r.amount(l_discount, cur, false, "discount").value_or(0);
  const auto amount = r.amount(l_amount, cur, true);
  const auto tax = r.amount(l_tax, cur, false, "tax");
  if (!r.ok)
    return;
  // From here on the row is read; what follows checks that its derived
  // values agree, and the line counts towards its invoice either way so one
  // wrong line is not also reported as a wrong invoice.
  const auto priced = price_line(m_books.config, cur, *qty, *price,
                                 Money{discount, cur}, code);
  if (!priced) {
    r.problem(l_amount, "amount-overflow", "quantity × unit price is too large");
    return;
  }
  if (priced->amount.minor() != *amount)
    r.problem(l_amount, "line-amount-mismatch",
              fmt::format("amount {} is not quantity {} × unit price {}{} = {}",
                          format_minor_units(*amount, cur.exponent),
                          qty->to_string(), price->to_string(),
                          discount ? fmt::format(" − discount {}",
                                                 format_minor_units(discount, cur.exponent))
                                   : std::string(),
                          priced->amount.to_string()));
  std::int64_t line_tax = 0;
  if (code && m_books.config.tax_rounding == TaxRounding::line) {
    // The tax is checked on the amount as written, so that one wrong
    // amount is not also reported as a wrong tax.
    const auto expected =
        tax_of(*code, Money{*amount, cur}, m_books.config.rounding);
    if (!tax)
      r.problem(l_tax, "missing-value",
                fmt::format("tax is empty but tax code {} applies",
                            code->code));
    else if (expected && expected->minor() != *tax)
      r.problem(l_tax, "line-tax-mismatch",
                fmt::format("tax {} is not the {} {}% {} {} = {}",
                            format_minor_units(*tax, cur.exponent), code->code,
                            code->rate.to_string(),
                            code->inclusive ? "contained in" : "of",
                            format_minor_units(*amount, cur.exponent),
                            expected->to_string()));
    line_tax = tax.value_or(0);
  } else if (tax && *tax != 0) {
    r.problem(l_tax, "line-tax-mismatch",
              code ? std::string("a line has no tax of its own when tax is "
                                 "rounded per invoice")
                   : std::string("a line without a tax code has no tax"));
  }
  auto& totals = m_books.line_totals[ref.index];
  // Lines 1..64 are tracked in a bit set per invoice; longer invoices are
  // rare enough for a hash set.
  bool seen = false;
  if (line_no <= 64) {
    const auto bit = std::uint64_t{1} << (line_no - 1);
    seen = (totals.seen_lines & bit) != 0;
    totals.seen_lines |= bit;
  } else {
    seen = !m_long_lines.insert(std::uint64_t{ref.index} << 32 | line_no).second;
  }
  if (seen) {
    r.problem(l_line, "duplicate-line",
              fmt::format("invoice {} has line {} twice", inv.id, line_no));
    return;
  }
  ++totals.count;
  totals.amount += *amount;
  totals.tax += line_tax;
  if (code && !code->inclusive)
    totals.exclusive_tax += line_tax;
  if (code && m_books.config.tax_rounding == TaxRounding::invoice)
    m_books.tax_bases.push_back(
        {ref.index,
         static_cast<std::uint32_t>(code - m_books.config.tax_codes.data()),
         *amount});
}

void Loader::payment_row(Row& r) {
  using namespace col;
  Payment p;
  p.line = r.rec.line;
  const auto id = r.id(p_id, "payment id");
  const auto date = r.date(p_date, "date");
  p.customer = r.customer(p_customer);
  const auto cur = r.currency(p_currency);
  if (cur)
    same_currency_as_customer(r, p_currency, p.customer, *cur);
  std::optional<std::int64_t> amount;
  if (cur) {
    amount = r.amount(p_amount, *cur, true);
    if (amount && *amount <= 0)
      r.problem(p_amount, "amount-not-positive",
                "a payment's amount must be more than zero",
                "money paid back is a refund in adjustments.csv");
  }
  if (!r.get(p_method).empty())
    p.method = r.choice<PaymentMethod>(p_method, k_method_names, 1,
                                       "payment method", "methods")
                   .value_or(PaymentMethod::unknown);
  if (r.get(p_bank_tx).size() > 255)
    r.problem(p_bank_tx, "value-too-long",
              "bank transaction id is longer than 255 characters");
  if (!id || !date || !cur || !amount || !r.ok)
    return;
  p.date = *date;
  p.currency = *cur;
  p.amount = *amount;
  p.id = r.text(p_id);
  p.reference = r.text(p_reference);
  p.bank_tx = r.text(p_bank_tx);
  p.memo = r.text(p_memo);
  const DocRef ref{DocKind::payment,
                   static_cast<std::uint32_t>(m_books.payments.size())};
  if (r.register_document(p_id, p.id, ref))
    m_books.payments.push_back(p);
}

void Loader::allocation_row(Row& r) {
  using namespace col;
  Allocation a;
  a.line = r.rec.line;
  const auto date = r.date(a_date, "date");
  a.source = r.document(a_source, "payment or credit memo",
                        {DocKind::payment, DocKind::adjustment});
  if (a.source.valid() && a.source.kind == DocKind::adjustment &&
      m_books.adjustments[a.source.index].kind != AdjustmentKind::credit)
    r.problem(a_source, "wrong-document",
              fmt::format("\"{}\" is a {} adjustment; only payments and "
                          "credit memos are applied to invoices",
                          r.get(a_source),
                          to_string(m_books.adjustments[a.source.index].kind)));
  const auto inv = r.document(a_invoice, "invoice", {DocKind::invoice});
  if (!r.ok || !date)
    return;
  a.invoice = inv.index;
  const auto& invoice = m_books.invoices[a.invoice];
  const auto source_currency = m_books.document_currency(a.source);
  if (source_currency != invoice.currency) {
    r.problem(a_invoice, "currency-mismatch",
              fmt::format("{} in {} cannot be applied to {} in {}",
                          r.get(a_source), source_currency.name(), invoice.id,
                          invoice.currency.name()));
    return;
  }
  const auto amount = r.amount(a_amount, invoice.currency, true);
  if (amount && *amount == 0)
    r.problem(a_amount, "amount-zero", "an application of zero records nothing");
  const auto source_date = m_books.document_date(a.source);
  if (*date < source_date)
    r.problem(a_date, "date-order",
              fmt::format("applied on {}, before {} is dated ({})",
                          format_date(*date), r.get(a_source),
                          format_date(source_date)));
  else if (*date < invoice.date)
    r.problem(a_date, "date-order",
              fmt::format("applied on {}, before invoice {} is dated ({})",
                          format_date(*date), invoice.id,
                          format_date(invoice.date)));
  if (!r.ok || !amount)
    return;
  a.date = *date;
  a.amount = *amount;
  a.memo = r.text(a_memo);
  m_allocations->push_back(a);
}

void Loader::adjustment_row(Row& r) {
  using namespace col;
  Adjustment j;
  j.line = r.rec.line;
  const auto id = r.id(j_id, "adjustment id");
  const auto date = r.date(j_date, "date");
  const auto kind_text = r.get(j_kind);
  const auto kind = r.choice<AdjustmentKind>(j_kind, k_adjustment_names, 0,
                                             "adjustment kind", "kinds");
  if (!kind)
    return;
  j.kind = *kind;
  j.customer = r.customer(j_customer);
  const auto cur = r.currency(j_currency);
  if (cur)
    same_currency_as_customer(r, j_currency, j.customer, *cur);

  const bool needs_invoice = j.kind == AdjustmentKind::discount ||
                             j.kind == AdjustmentKind::writeoff ||
                             j.kind == AdjustmentKind::void_;
  const bool may_have_invoice = needs_invoice || j.kind == AdjustmentKind::credit;
  const bool needs_source = j.kind == AdjustmentKind::refund ||
                            j.kind == AdjustmentKind::reversal;
  const bool may_have_source = needs_source || j.kind == AdjustmentKind::discount;

  if (!r.get(j_invoice).empty() || needs_invoice) {
    if (!may_have_invoice)
      r.problem(j_invoice, "value-unexpected",
                fmt::format("a {} names no invoice", kind_text));
    else if (auto inv = r.document(j_invoice, "invoice", {DocKind::invoice});
             inv.valid())
      j.invoice = inv.index;
  }
  std::optional<Diagnostic> unresolved;
  if (!r.get(j_source).empty() || needs_source) {
    if (!may_have_source) {
      r.problem(j_source, "value-unexpected",
                fmt::format("a {} names no source", kind_text));
    } else if (const auto src = r.get(j_source); !src.empty() &&
               !m_books.find_document(src).valid()) {
      // Possibly a credit memo further down this file: resolved at the end.
      const bool before = r.ok;
      r.problem(j_source, "unknown-document",
                fmt::format("unknown payment or credit memo \"{}\"", src));
      unresolved = std::move(m_problems.back());
      m_problems.pop_back();
      r.ok = before;
    } else if (auto ref = r.document(j_source, "payment or credit memo",
                                     {DocKind::payment, DocKind::adjustment});
               ref.valid()) {
      j.source = ref;
    }
  }
  if (j.kind == AdjustmentKind::reversal && j.source.valid() &&
      j.source.kind != DocKind::payment)
    r.problem(j_source, "wrong-document", "only a payment can be reversed");

  if (cur) {
    j.amount = r.amount(j_amount, *cur,
                        j.kind != AdjustmentKind::void_ &&
                            j.kind != AdjustmentKind::reversal);
    // A negative discount takes back one taken with a payment that was
    // later reversed or unapplied.
    if (j.amount && *j.amount == 0 && j.kind == AdjustmentKind::discount)
      r.problem(j_amount, "amount-zero", "a discount of zero records nothing");
    else if (j.amount && *j.amount <= 0 && j.kind != AdjustmentKind::discount)
      r.problem(j_amount, "amount-not-positive",
                fmt::format("a {}'s amount must be more than zero", kind_text));
  }
  // The customer and currency must be those of the invoice or source.
  const auto check_owner = [&](DocRef ref) {
    if (!ref.valid() || j.customer == k_none || !cur)
      return;
    const auto owner = m_books.document_customer(ref);
    if (owner != j.customer)
      r.problem(j_customer, "customer-mismatch",
                fmt::format("customer {} is not the customer of {} ({})",
                            m_books.customers[j.customer].id,
                            m_books.document_id(ref),
                            m_books.customers[owner].id));
    else if (m_books.document_currency(ref) != *cur)
      r.problem(j_currency, "currency-mismatch",
                fmt::format("currency {} differs from {}'s currency {}",
                            cur->name(), m_books.document_id(ref),
                            m_books.document_currency(ref).name()));
  };
  if (j.invoice != k_none)
    check_owner({DocKind::invoice, j.invoice});
  check_owner(j.source);

  if (!id || !date || !cur || !r.ok)
    return;
  j.id = r.text(j_id);
  j.date = *date;
  j.currency = *cur;
  j.reason = r.text(j_reason);
  j.approved_by = r.text(j_approved_by);
  const auto index = static_cast<std::uint32_t>(m_books.adjustments.size());
  if (!r.register_document(j_id, j.id, {DocKind::adjustment, index}))
    return;
  if (unresolved)
    m_pending.push_back({index, r.text(j_source), std::move(*unresolved)});
  m_books.adjustments.push_back(j);
}

void Loader::event_row(Row& r) {
  using namespace col;
  Event e;
  e.line = r.rec.line;
  const auto date = r.date(e_date, "date");
  const auto kind_text = r.get(e_kind);
  const auto kind = r.choice<EventKind>(e_kind, k_event_names, 0,
                                        "event kind", "kinds");
  if (!kind)
    return;
  e.kind = *kind;
  e.customer = r.customer(e_customer);
  const bool about_invoice = e.kind == EventKind::dispute ||
                             e.kind == EventKind::resolve ||
                             e.kind == EventKind::override_;
  if (about_invoice) {
    if (auto inv = r.document(e_invoice, "invoice", {DocKind::invoice});
        inv.valid()) {
      e.invoice = inv.index;
      const auto& invoice = m_books.invoices[inv.index];
      if (e.customer != k_none && invoice.customer != e.customer)
        r.problem(e_customer, "customer-mismatch",
                  fmt::format("customer {} is not the customer of {} ({})",
                              m_books.customers[e.customer].id, invoice.id,
                              m_books.customers[invoice.customer].id));
      if (e.kind == EventKind::dispute) {
        e.amount = r.amount(e_amount, invoice.currency, false);
        if (e.amount && *e.amount <= 0)
          r.problem(e_amount, "amount-not-positive",
                    "a disputed amount must be more than zero");
      }
    }
  } else if (!r.get(e_invoice).empty()) {
    r.problem(e_invoice, "value-unexpected",
              fmt::format("a {} concerns the customer, not an invoice",
                          kind_text));
  }
  if (e.kind != EventKind::dispute)
    if (!r.get(e_amount).empty())
      r.problem(e_amount, "value-unexpected",
                fmt::format("a {} has no amount", kind_text));
  if (!date || !r.ok)
    return;
  e.date = *date;
  e.reason = r.text(e_reason);
  if (e.kind == EventKind::override_ && e.reason.empty())
    r.problem(e_reason, "missing-value",
              "an override of credit control needs its reason");
  if (!r.ok)
    return;
  m_books.events.push_back(e);
}

void Loader::notice_row(Row& r) {
  using namespace col;
  Notice n;
  n.line = r.rec.line;
  const auto id = r.id(n_id, "notice id");
  const auto date = r.date(n_date, "date");
  n.customer = r.customer(n_customer);
  if (r.get(n_level).empty())
    r.problem(n_level, "missing-value", "level is empty");
  const auto cur = r.currency(n_currency);
  if (cur) {
    same_currency_as_customer(r, n_currency, n.customer, *cur);
    n.amount = r.amount(n_amount, *cur, true).value_or(0);
    n.fee = r.amount(n_fee, *cur, false, "fee").value_or(0);
    n.interest = r.amount(n_interest, *cur, false, "interest").value_or(0);
  }
  n.invoices = invoice_list(r, n_invoices);
  if (!id || !date || !cur || !r.ok)
    return;
  n.id = r.text(n_id);
  n.date = *date;
  n.currency = *cur;
  n.level = r.text(n_level);
  const auto index = static_cast<std::uint32_t>(m_books.notices.size());
  if (auto first = m_books.notice_index.insert(n.id, index)) {
    r.problem(n_id, "duplicate-id",
              fmt::format("duplicate notice id \"{}\": already used at {}:{}",
                          n.id, r.file, m_books.notices[*first].line));
    return;
  }
  m_books.notices.push_back(std::move(n));
}

std::vector<std::uint32_t> Loader::invoice_list(Row& r, int column) {
  std::vector<std::uint32_t> out;
  for (const auto one : split_list(r.get(column))) {
    const auto ref = m_books.find_document(one);
    if (!ref.valid() || ref.kind != DocKind::invoice)
      r.problem(column, "unknown-document",
                fmt::format("unknown invoice \"{}\"", one));
    else
      out.push_back(ref.index);
  }
  return out;
}

void Loader::arrangement_row(Row& r) {
  using namespace col;
  Arrangement a;
  a.line = r.rec.line;
  const auto id = r.id(r_id, "arrangement id");
  const auto date = r.date(r_date, "date");
  const auto kind = r.choice<ArrangementKind>(r_kind, k_arrangement_names, 0,
                                              "arrangement kind", "kinds");
  a.customer = r.customer(r_customer);
  const auto cur = r.currency(r_currency);
  if (cur) {
    same_currency_as_customer(r, r_currency, a.customer, *cur);
    if (const auto amount = r.amount(r_amount, *cur, true)) {
      a.amount = *amount;
      if (*amount <= 0)
        r.problem(r_amount, "amount-not-positive",
                  "an arrangement's amount must be more than zero");
    }
  }
  const auto due = r.date(r_due, "due");
  if (kind == ArrangementKind::promise) {
    if (date && due && *due < *date)
      r.problem(r_due, "date-order",
                fmt::format("due {} is before the promise's date {}",
                            format_date(*due), format_date(*date)));
    for (const int c : {r_installments, r_every, r_invoices})
      if (!r.get(c).empty())
        r.problem(c, "value-unexpected",
                  fmt::format("a promise has no {}",
                              arrangement_columns[static_cast<unsigned>(c)]));
  } else if (kind == ArrangementKind::plan) {
    const auto n = r.get(r_installments);
    const auto count = Row::small_number(n).value_or(0);
    if (count < 1 || count > k_max_installments)
      r.problem(r_installments, n.empty() ? "missing-value" : "value-syntax",
                n.empty() ? std::string("a plan needs its installments")
                          : fmt::format("installments \"{}\" is not a whole "
                                        "number from 1 to {}",
                                        n, k_max_installments));
    a.installments = count;
    if (const auto every = parse_interval(r.get(r_every)); every)
      a.every = *every;
    else if (r.get(r_every).empty())
      r.problem(r_every, "missing-value", "a plan needs its interval (every)",
                every.error().hint);
    else
      r.problem(r_every, "value-syntax", every.error().message,
                every.error().hint);
    if (date && due && !(*date < *due))
      r.problem(r_due, "date-order",
                fmt::format("the first instalment is due {}, not after the "
                            "plan's date {}",
                            format_date(*due), format_date(*date)));
    if (r.get(r_invoices).empty())
      r.problem(r_invoices, "missing-value",
                "a plan names the invoices it pays");
    a.invoices = invoice_list(r, r_invoices);
    for (std::size_t k = 0; k < a.invoices.size(); ++k) {
      const auto& inv = m_books.invoices[a.invoices[k]];
      const auto listed = std::span(a.invoices).first(k);
      if (std::find(listed.begin(), listed.end(), a.invoices[k]) !=
          listed.end())
        r.problem(r_invoices, "duplicate-invoice",
                  fmt::format("invoice {} is listed twice", inv.id));
      else if (a.customer != k_none && inv.customer != a.customer)
        r.problem(r_invoices, "customer-mismatch",
                  fmt::format("invoice {} is {}'s, not {}'s", inv.id,
                              m_books.customers[inv.customer].id,
                              m_books.customers[a.customer].id));
      else if (date && *date < inv.date)
        r.problem(r_invoices, "date-order",
                  fmt::format("invoice {} is dated {}, after the plan",
                              inv.id, format_date(inv.date)));
    }
  }
  if (!id || !date || !kind || !cur || !due || !r.ok)
    return;
  a.id = r.text(r_id);
  a.date = *date;
  a.kind = *kind;
  a.currency = *cur;
  a.due = *due;
  a.note = r.text(r_note);
  const auto index = static_cast<std::uint32_t>(m_books.arrangements.size());
  if (auto first = m_books.arrangement_index.insert(a.id, index)) {
    r.problem(r_id, "duplicate-id",
              fmt::format("duplicate arrangement id \"{}\": already used at "
                          "{}:{}",
                          a.id, r.file, m_books.arrangements[*first].line));
    return;
  }
  m_books.arrangements.push_back(std::move(a));
}

void Loader::bank_row(Row& r) {
  using namespace col;
  BankTx b;
  b.line = r.rec.line;
  const auto id = r.id(b_id, "bank transaction id");
  if (r.get(b_account).empty())
    r.problem(b_account, "missing-value", "account is empty");
  const auto date = r.date(b_date, "date");
  std::optional<Date> value_date;
  if (!r.get(b_value_date).empty())
    value_date = r.date(b_value_date, "value date");
  std::optional<Date> imported;
  if (!r.get(b_imported).empty())
    imported = r.date(b_imported, "import date");
  const auto cur = r.currency(b_currency);
  std::optional<std::int64_t> amount;
  if (cur)
    amount = r.amount(b_amount, *cur, true);
  b.reversal = r.yes_no(b_reversal, "reversal");
  if (r.get(b_fingerprint).empty())
    r.problem(b_fingerprint, "missing-value", "fingerprint is empty",
              "arctl reconcile import computes it; see arctl-reconcile(1)");
  if (!id || !date || !cur || !amount || !r.ok)
    return;
  b.date = *date;
  b.value_date = value_date.value_or(*date);
  b.has_value_date = value_date.has_value();
  b.imported = imported.value_or(*date);
  b.amount = *amount;
  b.currency = *cur;
  b.id = r.text(b_id);
  b.account = r.text(b_account);
  b.counterparty = r.text(b_counterparty);
  b.counterparty_account = r.text(b_counterparty_account);
  b.remittance = r.text(b_remittance);
  b.end_to_end = r.text(b_end_to_end);
  b.reference = r.text(b_reference);
  b.type = r.text(b_type);
  b.bank_tx = r.text(b_bank_tx);
  b.fingerprint = r.text(b_fingerprint);
  b.source = r.text(b_source);
  const auto index =
      static_cast<std::uint32_t>(m_books.bank_transactions.size());
  if (auto first = m_books.bank_index.insert(b.id, index)) {
    r.problem(b_id, "duplicate-id",
              fmt::format("duplicate bank transaction id \"{}\": already "
                          "used at {}:{}",
                          b.id, r.file,
                          m_books.bank_transactions[*first].line));
    return;
  }
  m_books.bank_transactions.push_back(b);
}

void Loader::reconciliation_row(Row& r) {
  using namespace col;
  Reconciliation q;
  q.line = r.rec.line;
  const auto date = r.date(q_date, "date");
  const auto bank = r.get(q_bank);
  const auto index = m_books.bank_index.find(bank);
  if (bank.empty())
    r.problem(q_bank, "missing-value", "bank transaction is empty");
  else if (!index)
    r.problem(q_bank, "unknown-bank-transaction",
              fmt::format("unknown bank transaction \"{}\"", bank),
              "bank transactions are in bank.csv");
  const auto action = r.choice<ReconcileAction>(
      q_action, k_reconcile_action_names, 0, "action", "actions");
  // Every payment named is one of the books'.
  const auto listed = split_list(r.get(q_payments));
  const auto named = listed.size();
  for (const auto one : listed) {
    const auto ref = m_books.find_document(one);
    if (!ref.valid() || ref.kind != DocKind::payment)
      r.problem(q_payments, "unknown-document",
                fmt::format("unknown payment \"{}\"", one));
  }
  if (action && *action != ReconcileAction::ignored && named == 0)
    r.problem(q_payments, "missing-value",
              fmt::format("a bank credit {} names its payments",
                          to_string(*action)));
  if (action == ReconcileAction::ignored && named != 0)
    r.problem(q_payments, "value-unexpected",
              "an ignored bank credit has no payments");
  if (action == ReconcileAction::ignored && r.get(q_reason).empty())
    r.problem(q_reason, "missing-value", "an ignored bank credit needs a reason");
  if (!r.get(q_customer).empty())
    q.customer = r.customer(q_customer);
  if (const auto confidence = r.get(q_confidence); !confidence.empty()) {
    const auto value = Row::small_number(confidence);
    if (!value || *value > 100)
      r.problem(q_confidence, "value-syntax",
                fmt::format("confidence \"{}\" is not a whole number from 0 "
                            "to 100",
                            confidence));
    else
      q.confidence = static_cast<std::uint8_t>(*value);
  }
  q.third_party = r.yes_no(q_third_party, "third_party");
  if (!date || !index || !action || !r.ok)
    return;
  q.date = *date;
  q.bank = *index;
  q.action = *action;
  q.payments = r.text(q_payments);
  q.rule = r.text(q_rule);
  q.reason = r.text(q_reason);
  q.evidence = r.text(q_evidence);
  m_books.reconciliations.push_back(q);
}

} // namespace

namespace {

// Where the second half of the file at `path` may start: after the first
// line end from the middle on, with the line number there. A quoted field
// may hold that line end; the reader of the first half finds out. Nothing
// for files under `min_size` or that cannot be read.
std::optional<Part> second_half(const std::string& path,
                                std::uint64_t min_size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::nullopt;
  struct stat st {};
  std::optional<Part> half;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::uint64_t>(st.st_size) >= min_size) {
    const auto middle = static_cast<std::uint64_t>(st.st_size) / 2;
    Records<char> buffer(std::size_t{1} << 20);
    std::uint64_t at = 0, lines = 1;
    for (;;) {
      const auto n =
          ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(at));
      if (n <= 0)
        break;
      const auto* begin = buffer.data();
      const auto* end = begin + n;
      if (at + static_cast<std::uint64_t>(n) > middle) {
        const auto* from = begin + std::max(middle, at) - at;
        if (const auto* nl = static_cast<const char*>(std::memchr(
                from, '\n', static_cast<std::size_t>(end - from)))) {
          lines += static_cast<std::uint64_t>(std::count(begin, nl, '\n'));
          const auto split = at + static_cast<std::uint64_t>(nl + 1 - begin);
          if (split < static_cast<std::uint64_t>(st.st_size) &&
              lines + 1 <= UINT32_MAX)
            half = Part{split, static_cast<std::uint32_t>(lines + 1), 0};
          break;
        }
      }
      lines += static_cast<std::uint64_t>(std::count(begin, end, '\n'));
      at += static_cast<std::uint64_t>(n);
    }
  }
  ::close(fd);
  return half;
}

// Whether a payment read beside the invoices has the id of an invoice.
bool payment_id_is_invoice_id(const Books& books) {
  if (!books.invoice_index.may_share_ids(books.document_index))
    return false;
  return std::any_of(books.payments.begin(), books.payments.end(),
                     [&](const Payment& p) {
                       return books.invoice_index.find(p.id).has_value();
                     });
}

// What a loader on the second thread read in one phase: its problems and
// text, joined to the books in file order once the phase is over.
struct Beside {
  std::vector<Diagnostic> problems;
  Arena arena;
};

void take_in(LoadResult& result, Beside& beside) {
  result.books->arena.absorb(std::move(beside.arena));
  std::move(beside.problems.begin(), beside.problems.end(),
            std::back_inserter(result.problems));
  beside.problems.clear();
}

// Reads the CSV files but invoice-lines.csv on two threads, in phases
// that follow what each file refers to:
//
//   first:   customers  invoices  adjustments  allocations  events, notices
//                                              (1st half)
//   second:             payments  (finds the   allocations  (appends it to
//                                  half)       (2nd half)    the 1st)
//
// Invoices and payments fill each their own index, so a payment id that is
// also an invoice id is looked for once both are read. Problems are
// reported in the order a reading in sequence gives.
void read_on_two_threads(LoadResult& result, const LoadOptions& options) {
  auto& books = *result.books;
  const LoadOptions quiet; // no progress from the second thread
  Loader first(books, result.problems, options, books.arena);
  first.read(Table::customers);

  Beside payments;
  Loader second(books, payments.problems, quiet, payments.arena,
                Share::no_invoices);
  std::thread thread([&second] { second.read(Table::payments); });
  first.share(Share::no_documents);
  first.read(Table::invoices);
  first.share(Share::all);
  thread.join();
  const bool read_again = payment_id_is_invoice_id(books);
  if (read_again) {
    // Books in error: read payments.csv again, after the invoices, for
    // the diagnostics a reading in sequence gives.
    books.payments.clear();
    books.document_index = IdIndex();
    first.read(Table::payments);
  } else {
    take_in(result, payments);
  }

  // allocations.csv, as large as payments.csv, is read in two halves once
  // adjustments.csv (whose credit memos it applies) is read.
  Beside allocations, events;
  Records<Allocation> second_half_records;
  Loader half_loader(books, allocations.problems, quiet, allocations.arena);
  half_loader.allocations_into(second_half_records);
  Loader event_loader(books, events.problems, quiet, events.arena);
  std::optional<Part> half;
  bool halves = false;
  std::latch half_found(1), adjustments_read(1), first_half_read(1);
  thread = std::thread([&] {
    half = second_half(books.dir.file(schema(Table::allocations).file),
                       std::uint64_t{4} << 20);
    half_found.count_down();
    adjustments_read.wait();
    if (!half)
      return;
    half_loader.read(Table::allocations, *half);
    first_half_read.wait();
    if (!halves)
      return;
    books.allocations.insert(books.allocations.end(),
                             second_half_records.begin(),
                             second_half_records.end());
    books.records[static_cast<std::size_t>(Table::allocations)] +=
        half_loader.part_rows();
  });
  first.read(Table::adjustments);
  adjustments_read.count_down();
  half_found.wait();
  if (half)
    halves = first.read(Table::allocations, Part{0, 1, half->from});
  else
    first.read(Table::allocations);
  first_half_read.count_down();
  event_loader.read(Table::events);
  event_loader.read(Table::notices);
  event_loader.read(Table::arrangements);
  event_loader.read(Table::bank);
  event_loader.read(Table::reconciliations);
  thread.join();
  if (halves)
    take_in(result, allocations);
  take_in(result, events);
  books.files_read = 1 + first.files_read() +
                     (read_again ? 0 : second.files_read()) +
                     event_loader.files_read();
}

// Reads the CSV files in sequence but invoice-lines.csv, which needs only
// the invoices and is read beside the rest by a loader of its own that
// touches nothing the main one writes (line_totals, tax_bases; it reads
// invoice_index and config).
void read_with_lines(LoadResult& result, const LoadOptions& options) {
  auto& books = *result.books;
  Loader loader(books, result.problems, options, books.arena);
  loader.read(Table::customers);
  loader.read(Table::invoices);
  Beside lines;
  const LoadOptions quiet;
  Loader line_loader(books, lines.problems, quiet, lines.arena,
                     Share::invoices_only);
  std::thread thread([&line_loader, &books] {
    books.line_totals.resize(books.invoices.size());
    line_loader.read(Table::invoice_lines);
  });
  loader.read(Table::payments);
  loader.read(Table::adjustments);
  loader.read(Table::allocations);
  loader.read(Table::events);
  loader.read(Table::notices);
  loader.read(Table::arrangements);
  loader.read(Table::bank);
  loader.read(Table::reconciliations);
  thread.join();
  take_in(result, lines);
  books.files_read = 1 + loader.files_read() + line_loader.files_read();
}

} // namespace

Result<LoadResult> load_books(const BooksDir& dir, const LoadOptions& options) {
  LoadResult result;
  result.books = std::make_unique<Books>();
  auto& books = *result.books;
  books.dir = dir;
  auto config = load_config(dir.file(k_config_file), dir.shown(k_config_file));
  if (!config)
    return std::unexpected(std::move(config.error()));
  books.config = std::move(*config);
  if (options.invoice_lines)
    read_with_lines(result, options);
  else
    read_on_two_threads(result, options);
  return result;
}

} // namespace arctl
