// The books: where they are, their files and columns, and their facts read
// into compact records. Reading is one streaming pass per file; free text
// lives in one arena and ids in hash indexes, so memory follows the number
// of records, not the bytes of the files.
#pragma once

#include "arctl/config.hpp"
#include "arctl/dates.hpp"
#include "arctl/error.hpp"
#include "arctl/id_index.hpp"
#include "arctl/memory.hpp"
#include "arctl/money.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// ---- where the books are -------------------------------------------------

// A books directory and how to name its files in messages: relative to the
// current directory when the books were given or found relative to it, so
// that "FILE:LINE:COL" can be opened by an editor from where arctl ran.
struct BooksDir {
  std::filesystem::path path;
  std::string shown_prefix; // "" or "examples/books/"

  [[nodiscard]] std::string file(std::string_view name) const;
  [[nodiscard]] std::string shown(std::string_view name) const;
};

// Finds the books: `flag` (--books) if given, else `env` (ARCTL_BOOKS) if
// set and non-empty, else the nearest directory at or above `cwd` holding
// arctl.toml, as git finds .git. Fails with ExitCode::no_input.
[[nodiscard]] Result<BooksDir>
locate_books(const std::optional<std::string>& flag,
             const std::optional<std::string>& env,
             const std::filesystem::path& cwd);

// ---- files and columns ---------------------------------------------------

inline constexpr std::string_view k_config_file = "arctl.toml";

enum class Table : std::uint8_t {
  customers,
  invoices,
  invoice_lines,
  payments,
  allocations,
  adjustments,
  events,
  notices,
  arrangements,
  bank, // bank transactions imported from statements (bank.csv)
  reconciliations, // bank credits matched, confirmed or ignored
};
inline constexpr std::size_t k_table_count = 11;

// The most columns a table of the books has.
inline constexpr std::size_t k_max_columns = 24;

struct TableSchema {
  Table table;
  std::string_view file;                  // "invoices.csv"
  std::span<const std::string_view> columns; // in the order arctl writes them
  std::span<const std::string_view> required;
  bool append_only; // a fact file: only ever appended to
  // A file that books made before arctl knew it lack: missing, it reads
  // as empty, and the first record written creates it.
  bool optional = false;
};

[[nodiscard]] const TableSchema& schema(Table table);
[[nodiscard]] std::span<const TableSchema> all_schemas();

// The header row arctl writes for a new file of this table.
[[nodiscard]] std::string header_line(Table table);

// ---- values ----------------------------------------------------------------

// Ids: 1 to 64 characters of A-Z a-z 0-9 . _ -, starting with a letter or
// digit. They become file names, journal codes and account names in other
// tools, so anything else is refused rather than escaped.
[[nodiscard]] std::optional<std::string> id_problem(std::string_view id);

// The parts of a list of ids separated by ';' ("INV-1;INV-2"), as the
// books' list columns write them; empty gives none.
[[nodiscard]] std::vector<std::string_view> split_list(std::string_view list);

// E-mail addresses: "local@domain.tld" with no spaces or list separators;
// returns why `email` is not one, or nothing.
[[nodiscard]] std::optional<std::string> email_problem(std::string_view email);

inline constexpr std::uint32_t k_none = 0xFFFFFFFFu;

enum class DocKind : std::uint8_t { invoice, payment, adjustment };

// A document (invoice, payment or adjustment) by kind and index.
struct DocRef {
  DocKind kind = DocKind::invoice;
  std::uint32_t index = k_none;
  [[nodiscard]] bool valid() const { return index != k_none; }
  friend bool operator==(const DocRef&, const DocRef&) = default;
};

enum class PaymentMethod : std::uint8_t { unknown, check, card, ach, wire, cash, other };
enum class AdjustmentKind : std::uint8_t { credit, discount, writeoff, void_, refund, reversal };
// override: an invoice issued past credit control (over the limit or on
// hold), with the reason; it moves nothing.
enum class EventKind : std::uint8_t { dispute, resolve, hold, release, override_ };
// A promise to pay an amount by a date, or an instalment plan over invoices.
enum class ArrangementKind : std::uint8_t { promise, plan };
// What became of a bank credit: posted as a new payment by matching,
// linked to payments in the books, confirmed by hand, or ignored.
enum class ReconcileAction : std::uint8_t { posted, linked, confirmed, ignored };

[[nodiscard]] std::string_view to_string(PaymentMethod m);
[[nodiscard]] std::string_view to_string(AdjustmentKind k);
[[nodiscard]] std::string_view to_string(EventKind k);
[[nodiscard]] std::string_view to_string(ArrangementKind k);
[[nodiscard]] std::string_view to_string(ReconcileAction a);
// The value named as in the books ("wire", "writeoff", "dispute").
[[nodiscard]] std::optional<PaymentMethod> parse_payment_method(std::string_view text);
[[nodiscard]] std::optional<AdjustmentKind> parse_adjustment_kind(std::string_view text);
[[nodiscard]] std::optional<EventKind> parse_event_kind(std::string_view text);
[[nodiscard]] std::optional<ArrangementKind>
parse_arrangement_kind(std::string_view text);
[[nodiscard]] std::optional<ReconcileAction>
parse_reconcile_action(std::string_view text);

// ---- records ---------------------------------------------------------------
// Every record keeps the line it was read from so any later finding can
// point back at it. Indexes (customer, invoice) refer to the vectors in
// Books; text views point into the Books' arena.

struct Customer {
  std::string_view id, name, email;
  Currency currency;
  Terms terms;
  std::optional<std::int64_t> credit_limit; // minor units
  std::string_view tax_id, address;
  bool dunning = true;
  std::uint32_t line = 0;
};

struct Invoice {
  std::string_view id;
  std::uint32_t customer = k_none;
  Date date, due;
  Currency currency;
  std::int64_t subtotal = 0, tax = 0, total = 0;
  std::string_view terms, po, memo;
  std::uint32_t line = 0;
};

// The sums of an invoice's lines, gathered while reading invoice-lines.csv.
struct LineTotals {
  std::uint32_t count = 0;
  std::int64_t amount = 0;        // Σ line amounts (gross for inclusive codes)
  std::int64_t tax = 0;           // Σ line tax
  std::int64_t exclusive_tax = 0; // Σ tax of exclusive codes
  std::uint64_t seen_lines = 0;   // bit n-1 set: line n seen (n <= 64)
};

// With tax rounded per invoice: one taxed line's amount, by tax code (an
// index into Config::tax_codes).
struct TaxBase {
  std::uint32_t invoice = k_none;
  std::uint32_t code = 0;
  std::int64_t amount = 0;
};

struct Payment {
  std::string_view id;
  Date date;
  std::uint32_t customer = k_none;
  std::int64_t amount = 0;
  Currency currency;
  PaymentMethod method = PaymentMethod::unknown;
  std::string_view reference, bank_tx, memo;
  std::uint32_t line = 0;
};

struct Allocation {
  Date date;
  DocRef source;                   // a payment or a credit memo
  std::uint32_t invoice = k_none;
  std::int64_t amount = 0;         // negative: an application undone
  std::string_view memo;
  std::uint32_t line = 0;
};

struct Adjustment {
  std::string_view id;
  Date date;
  AdjustmentKind kind = AdjustmentKind::credit;
  std::uint32_t customer = k_none;
  std::uint32_t invoice = k_none;  // discount, writeoff, void; credit optional
  DocRef source;                   // refund, reversal; discount optional
  std::optional<std::int64_t> amount; // a discount may be negative
  Currency currency;
  std::string_view reason;
  std::string_view approved_by; // who approved a write-off over the limit
  std::uint32_t line = 0;
};

struct Event {
  Date date;
  EventKind kind = EventKind::dispute;
  std::uint32_t customer = k_none;
  std::uint32_t invoice = k_none;
  std::optional<std::int64_t> amount;
  std::string_view reason;
  std::uint32_t line = 0;
};

struct Notice {
  std::string_view id;
  Date date;
  std::uint32_t customer = k_none;
  std::string_view level;
  std::vector<std::uint32_t> invoices;
  std::int64_t amount = 0, fee = 0, interest = 0;
  Currency currency;
  std::uint32_t line = 0;
};

// The most instalments a plan may have.
inline constexpr std::uint32_t k_max_installments = 120;

// A promise to pay `amount` by `due`, or a plan paying `amount` of
// `invoices` in `installments` instalments, the first due on `due` and
// one every `every` after it (arrangements.hpp says what they do).
struct Arrangement {
  std::string_view id;
  Date date;
  ArrangementKind kind = ArrangementKind::promise;
  std::uint32_t customer = k_none;
  Currency currency;
  std::int64_t amount = 0;
  Date due;
  std::uint32_t installments = 0; // plans only
  Interval every;                 // plans only
  std::vector<std::uint32_t> invoices; // plans only, as listed
  std::string_view note;
  std::uint32_t line = 0;
};

// One transaction on a bank account, as a statement reported it and
// `arctl reconcile import` recorded it in bank.csv. `amount` is signed: a
// credit (money in) is positive.
struct BankTx {
  std::string_view id, account;
  Date date;
  Date value_date; // == date when the statement gives none
  bool has_value_date = false;
  bool reversal = false;
  std::int64_t amount = 0;
  Currency currency;
  std::string_view counterparty, counterparty_account, remittance;
  std::string_view end_to_end, reference, type, bank_tx;
  std::string_view fingerprint, source;
  Date imported;
  std::uint32_t line = 0;
};

// A decision about one bank credit (reconciliations.csv): what it became
// and, for a match, which rule made it, how sure it was and on what
// evidence. `payments` lists the payment ids it became or carries,
// separated by ';' (each one a payment of the books).
struct Reconciliation {
  Date date;
  std::uint32_t bank = k_none; // index in bank_transactions
  ReconcileAction action = ReconcileAction::posted;
  std::string_view payments;
  std::uint32_t customer = k_none; // the payments' customer, if one
  std::string_view rule;
  std::uint8_t confidence = 0;
  bool third_party = false;
  std::string_view reason, evidence;
  std::uint32_t line = 0;
};

// ---- the books -------------------------------------------------------------

struct Books {
  // The snapshot whose mapping the records below may live in (snapshot.hpp);
  // first, so that it goes last.
  std::shared_ptr<const Adopted> storage;
  BooksDir dir;
  Config config;
  Records<Customer> customers;
  Records<Invoice> invoices;
  Records<LineTotals> line_totals; // parallel to invoices; empty unless lines were read
  Records<TaxBase> tax_bases;      // only with TaxRounding::invoice
  Records<Payment> payments;
  Records<Allocation> allocations;
  Records<Adjustment> adjustments;
  Records<Event> events;
  Records<Notice> notices;
  Records<Arrangement> arrangements;
  Records<BankTx> bank_transactions;
  Records<Reconciliation> reconciliations;

  IdIndex customer_index; // id -> index in customers
  // Document ids share one namespace but two indexes: invoices, and
  // payments with adjustments. invoice-lines.csv needs only the first and
  // payments.csv fills only the second, so either is read on a second
  // thread while the other index is being filled.
  IdIndex invoice_index;  // id -> index in invoices
  IdIndex document_index; // id -> packed DocRef of payments and adjustments
  IdIndex notice_index;
  IdIndex arrangement_index;
  IdIndex bank_index; // id -> index in bank_transactions
  Arena arena;

  // How many records each file held and how many files could be read, for
  // summaries.
  std::array<std::uint64_t, k_table_count> records{};
  std::uint32_t files_read = 0;

  [[nodiscard]] std::optional<std::uint32_t>
  find_customer(std::string_view id) const;
  [[nodiscard]] DocRef find_document(std::string_view id) const;
  [[nodiscard]] std::string_view document_id(DocRef ref) const;
  [[nodiscard]] std::uint32_t document_customer(DocRef ref) const;
  [[nodiscard]] Currency document_currency(DocRef ref) const;
  [[nodiscard]] Date document_date(DocRef ref) const;
};

// Progress while reading: the file, bytes done, bytes in all (0 if unknown).
using ProgressFn =
    std::function<void(std::string_view file, std::uint64_t done,
                       std::uint64_t total)>;

struct LoadOptions {
  bool invoice_lines = false; // read invoice-lines.csv (check, invoice show)
  ProgressFn progress;        // may be empty
  // For open_books without invoice lines: a snapshot file (snapshot.hpp)
  // to read the books from while it matches them, and, if
  // `write_snapshot`, to write after reading them afresh.
  std::optional<std::filesystem::path> snapshot;
  bool write_snapshot = false;
  // For a command that reads no more than the customers and the open items
  // of the ledger as of this date (an aging): read from a snapshot, the
  // other records are then not read unless touched (read_snapshot).
  std::optional<Date> open_items_on;
};

// What reading the books gave: the records that could be read, and every
// problem found on the way. Problems do not stop reading: a bad row is left
// out and the next one read, so one run reports them all.
struct LoadResult {
  std::unique_ptr<Books> books;
  std::vector<Diagnostic> problems;
};

// Reads arctl.toml and every CSV file of the books, on two threads.
// Fails (ExitCode::data or no_input) only when nothing sensible can be
// read: arctl.toml missing or invalid. Missing CSV files are problems, not
// failures (but optional ones, which read as empty). Problems come as a
// reading in sequence finds them: file by file, each in line order,
// invoice-lines.csv last.
[[nodiscard]] Result<LoadResult> load_books(const BooksDir& dir,
                                            const LoadOptions& options);

} // namespace arctl
