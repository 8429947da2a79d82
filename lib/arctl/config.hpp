// The books' configuration, arctl.toml, as a plain value.
#pragma once

#include "arctl/dates.hpp"
#include "arctl/error.hpp"
#include "arctl/money.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arctl {

// The books format this version of arctl reads and writes.
inline constexpr int k_books_format = 1;

// How tax is rounded on an invoice: each line's tax rounded and summed
// ("line"), or the tax of each code's summed line amounts rounded once
// ("invoice"). Jurisdictions differ; the books say which applies.
enum class TaxRounding { line, invoice };

enum class AgingBasis { due_date, invoice_date };

struct TaxCode {
  std::string code;
  Decimal rate;           // percent: 8.25 means 8.25 %
  bool inclusive = false; // prices with this code already contain the tax
  std::string description;
  std::uint32_t line = 0; // where it is defined in arctl.toml
};

// Document numbering patterns: literal text with {year} and {seq} or
// {seq:0N} (sequence zero-padded to N digits).
struct Numbering {
  std::string invoice = "INV-{year}-{seq:05}";
  std::string payment = "PAY-{year}-{seq:05}";
  std::string credit = "CM-{year}-{seq:05}";
  std::string adjustment = "ADJ-{year}-{seq:05}";
  std::string fee = "FEE-{year}-{seq:05}"; // invoices for fees and charges
  std::string notice = "DUN-{year}-{seq:05}"; // dunning notices
  // Promises to pay and instalment plans (arrangements.csv).
  std::string arrangement = "ARR-{year}-{seq:04}";
  std::string bank = "BTX-{year}-{seq:06}"; // bank transactions (bank.csv)
};

// [export]: the accounts of the journals `arctl export` writes for ledger,
// hledger and beancount. A customer's accounts are `receivable` and
// `customer_credit` with the customer's account component appended
// (export.hpp).
struct ExportAccounts {
  std::string receivable = "Assets:Receivable";
  std::string customer_credit = "Liabilities:CustomerCredit";
  std::string bank = "Assets:Bank";
  std::string sales = "Income:Sales";
  std::string sales_tax = "Liabilities:SalesTax";
  std::string sales_discounts = "Income:SalesDiscounts";
  std::string bad_debt = "Expenses:BadDebt";
  std::string opening_balances = "Equity:Opening-Balances";
};

// [dunning]: the collections policy `arctl dun` follows (arctl-dun(1)).
enum class DunningAction : std::uint8_t { none, hold };

// One step of the escalation: a level is due when the oldest overdue item
// is at least `days` past due, the amount overdue at least `minimum`, and
// `wait` days have passed since the notice before it. Amounts are in the
// notice's currency, rounded half up to its minor units.
struct DunningLevel {
  std::string name;     // as written to notices.csv: an id
  int days = 1;
  Decimal minimum;
  int wait = 0;
  std::string letter;   // the template: templates/dunning/<letter>.*
  Decimal fee;          // fixed, with each notice of this level
  Decimal interest;     // percent a year, actual/365, on each item
  DunningAction action = DunningAction::none;
  std::uint32_t line = 0; // where it is defined in arctl.toml
};

// [reconcile]: how `arctl reconcile match` matches and what it posts.
struct ReconcilePolicy {
  std::vector<std::string> rules; // names, in order; empty: the default list
  std::vector<Money> tolerances;  // bank charges written off, by currency
  int min_confidence = 90;        // what --post posts
};

struct DunningPolicy {
  int grace_days = 0; // an item is overdue this many days after its due date
  Decimal minimum;    // the least amount overdue worth a notice
  std::vector<DunningLevel> levels; // in escalating order; none: no dunning
};

// [bank.profile.NAME]: how to read one bank's CSV export into bank
// transactions (arctl-reconcile(1)).

// A column of the export: by its name in the header row, or by its
// position, from 1.
struct ProfileColumn {
  std::string name;
  int position = 0;       // from 1; 0 when named
  std::uint32_t line = 0; // where arctl.toml names it
  std::uint32_t column = 0;
};

// How a single amount column carries the direction of the money.
enum class AmountSign : std::uint8_t { credit_positive, debit_positive };

struct BankProfile {
  std::string name;
  std::uint32_t line = 0; // where the table is in arctl.toml
  std::string encoding;   // empty: tell by the bytes (decode_text)
  char delimiter = ',';
  int skip_lines = 0;     // lines before the header row (or the first row)
  bool header = true;     // whether the first row names the columns
  std::string date_format = "%Y-%m-%d"; // parse_date_as
  char decimal = '.';
  std::string thousands;  // empty, or one of . , ' and a space
  AmountSign sign = AmountSign::credit_positive;
  // The values of the indicator column that mean money in and money out.
  std::vector<std::string> credit_values{"C", "CR", "CRDT"};
  std::vector<std::string> debit_values{"D", "DR", "DBIT"};
  std::optional<Currency> currency; // for files without a currency column
  std::string account;              // for files without an account column

  // [bank.profile.NAME.columns]
  struct Columns {
    std::optional<ProfileColumn> date, value_date, amount, debit, credit,
        indicator, currency, account, counterparty, counterparty_account,
        end_to_end, reference, type, bank_tx;
    std::vector<ProfileColumn> remittance; // joined with spaces
  } columns;
};

struct Config {
  int format = k_books_format;
  std::optional<Date> lock_date;

  std::string company_name;
  Currency currency{{'U', 'S', 'D'}, 2};
  std::string company_address;
  std::string company_email;
  std::string company_phone;
  std::string company_tax_id;
  std::string payment_instructions; // how to pay, for dunning letters

  Terms default_terms{30, false, std::nullopt, 0};
  Rounding rounding = Rounding::half_up;
  TaxRounding tax_rounding = TaxRounding::line;

  Numbering numbering;
  std::vector<TaxCode> tax_codes;

  std::vector<int> aging_buckets{30, 60, 90};
  AgingBasis aging_basis = AgingBasis::due_date;

  // [payments]: a payment within an invoice's early-payment discount window
  // that equals the invoice less its discount takes the discount.
  bool early_payment_discount = true;
  // Write-offs above the limit of their currency need an approver. Once
  // any limit is set, a currency without one needs approval for every
  // write-off; with none set, no write-off does.
  std::vector<Money> writeoff_limits;

  ExportAccounts export_accounts;
  DunningPolicy dunning;
  std::vector<BankProfile> bank_profiles; // [bank.profile.NAME]
  ReconcilePolicy reconcile;

  // The tax code with this name, or nullptr.
  [[nodiscard]] const TaxCode* find_tax_code(std::string_view code) const;
  // The bank profile with this name, or nullptr.
  [[nodiscard]] const BankProfile*
  find_bank_profile(std::string_view name) const;
  // Whether a write-off of `amount` needs an approver.
  [[nodiscard]] bool writeoff_needs_approval(Money amount) const;
};

// Parses arctl.toml text. `file` names it in diagnostics. Every problem is
// reported (syntax, unknown keys, wrong types, invalid values), each with
// the line and column of the key or value; then the result is an Error with
// ExitCode::data holding them all.
[[nodiscard]] Result<Config> parse_config(std::string_view text,
                                          const std::string& file);

// Reads and parses the file at `path`; `file` names it in diagnostics.
[[nodiscard]] Result<Config> load_config(const std::string& path,
                                         const std::string& file);

// The commented arctl.toml that `arctl init` writes.
[[nodiscard]] std::string default_config_text(std::string_view company_name,
                                              Currency currency);

// Checks an account name for ledger, hledger and beancount alike (the
// strictest rules, beancount's): components separated by ':', at least two,
// the first one of Assets, Liabilities, Equity, Income, Expenses, each
// other starting with an uppercase letter or digit and holding only
// letters, digits and '-'. Returns why `name` is not one, or nothing.
[[nodiscard]] std::optional<std::string>
account_name_problem(std::string_view name);

// Checks a numbering pattern; returns why it is invalid, or nothing.
[[nodiscard]] std::optional<std::string>
numbering_pattern_problem(std::string_view pattern);

} // namespace arctl
