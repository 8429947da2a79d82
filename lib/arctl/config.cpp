#include "arctl/config.hpp"

#include "arctl/books.hpp"
#include "arctl/csv.hpp"
#include "arctl/encoding.hpp"
#include "arctl/matching.hpp"
#include "arctl/toml_guard.hpp"

#include <toml++/toml.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <sstream>

namespace arctl {

const TaxCode* Config::find_tax_code(std::string_view code) const {
  for (const auto& t : tax_codes)
    if (t.code == code)
      return &t;
  return nullptr;
}

const BankProfile* Config::find_bank_profile(std::string_view name) const {
  for (const auto& p : bank_profiles)
    if (p.name == name)
      return &p;
  return nullptr;
}

bool Config::writeoff_needs_approval(Money amount) const {
  if (writeoff_limits.empty())
    return false;
  for (const auto& limit : writeoff_limits)
    if (limit.currency() == amount.currency())
      return amount.minor() > limit.minor();
  return true;
}

std::optional<std::string> account_name_problem(std::string_view name) {
  if (name.empty())
    return std::string("is empty");
  std::size_t count = 0;
  for (std::string_view rest = name;; ++count) {
    const auto colon = rest.find(':');
    const auto part = rest.substr(0, colon);
    if (part.empty())
      return std::string("has an empty component");
    if (count == 0 && part != "Assets" && part != "Liabilities" &&
        part != "Equity" && part != "Income" && part != "Expenses")
      return fmt::format("starts with \"{}\", not with Assets, Liabilities, "
                         "Equity, Income or Expenses",
                         part);
    const auto upper_or_digit = [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    if (!upper_or_digit(part[0]))
      return fmt::format("has a component \"{}\" that starts with neither "
                         "an uppercase letter nor a digit",
                         part);
    for (const char c : part)
      if (!upper_or_digit(c) && !(c >= 'a' && c <= 'z') && c != '-')
        return fmt::format(
            "has a component \"{}\" with '{}' in it", part,
            static_cast<unsigned char>(c) < 0x20 ||
                    static_cast<unsigned char>(c) >= 0x7f
                ? fmt::format("\\x{:02x}", static_cast<unsigned char>(c))
                : std::string(1, c));
    if (colon == std::string_view::npos)
      break;
    rest.remove_prefix(colon + 1);
  }
  if (count == 0)
    return std::string("has only one component; accounts look like "
                       "Assets:Bank");
  return std::nullopt;
}

std::optional<std::string> numbering_pattern_problem(std::string_view p) {
  bool has_seq = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '}')
      return fmt::format("unmatched '}}' at position {}", i + 1);
    if (p[i] != '{') {
      // The text becomes part of ids: letters, digits, '.', '_', '-'.
      const char c = p[i];
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                      c == '-';
      if (!ok || (i == 0 && (c == '.' || c == '_' || c == '-')))
        return fmt::format("'{}' at position {} cannot be part of an id", c,
                           i + 1);
      continue;
    }
    const auto close = p.find('}', i);
    if (close == std::string_view::npos)
      return fmt::format("unmatched '{{' at position {}", i + 1);
    const auto field = p.substr(i + 1, close - i - 1);
    if (field == "seq") {
      has_seq = true;
    } else if (field.starts_with("seq:0") && field.size() == 6 &&
               field[5] >= '1' && field[5] <= '9') {
      has_seq = true;
    } else if (field != "year") {
      return fmt::format("unknown placeholder {{{}}}; use {{year}}, {{seq}} "
                         "or {{seq:0N}}",
                         field);
    }
    i = close;
  }
  if (!has_seq)
    return std::string("a pattern needs {seq} so that ids never repeat");
  return std::nullopt;
}

namespace {

std::string_view line_text(std::string_view text, std::uint32_t line) {
  std::size_t start = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    const auto nl = text.find('\n', start);
    if (nl == std::string_view::npos)
      return {};
    start = nl + 1;
  }
  auto end = text.find('\n', start);
  if (end == std::string_view::npos)
    end = text.size();
  auto s = text.substr(start, end - start);
  if (!s.empty() && s.back() == '\r')
    s.remove_suffix(1);
  return s;
}

// Walks the parsed document, filling a Config and collecting every problem.
class Reader {
public:
  Reader(std::string_view text, const std::string& file)
      : m_text(text), m_file(file) {}

  std::vector<Diagnostic> problems;

  void report(const toml::source_region& where, std::string code,
              std::string message, std::string hint = {}) {
    Diagnostic d;
    d.loc = {m_file, where.begin.line, where.begin.column};
    d.code = std::move(code);
    d.message = std::move(message);
    d.hint = std::move(hint);
    d.excerpt = std::string(line_text(m_text, where.begin.line));
    problems.push_back(std::move(d));
  }

  // Reports every key of `table` not in `known`.
  void only_keys(const toml::table& table, std::string_view prefix,
                 std::initializer_list<std::string_view> known) {
    for (const auto& [key, node] : table) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end())
        continue;
      std::string names;
      for (auto k : known)
        names += fmt::format("{}{}", names.empty() ? "" : ", ", k);
      report(key.source(), "config-unknown-key",
             fmt::format("unknown key '{}{}'", prefix, key.str()),
             known.size() ? fmt::format("known keys here: {}", names)
                          : std::string());
    }
  }

  const toml::table* table(const toml::table& parent, std::string_view key,
                           std::string_view path) {
    const auto* node = parent.get(key);
    if (!node)
      return nullptr;
    if (const auto* t = node->as_table())
      return t;
    report(node->source(), "config-type", fmt::format("'{}' must be a table", path));
    return nullptr;
  }

  std::optional<std::string> string(const toml::table& t, std::string_view key,
                                    std::string_view path) {
    const auto* node = t.get(key);
    if (!node)
      return std::nullopt;
    if (const auto* s = node->as_string())
      return s->get();
    report(node->source(), "config-type",
           fmt::format("'{}' must be a string", path));
    return std::nullopt;
  }

  std::optional<std::int64_t> integer(const toml::table& t,
                                      std::string_view key,
                                      std::string_view path) {
    const auto* node = t.get(key);
    if (!node)
      return std::nullopt;
    if (const auto* i = node->as_integer())
      return i->get();
    report(node->source(), "config-type",
           fmt::format("'{}' must be an integer", path));
    return std::nullopt;
  }

  std::optional<bool> boolean(const toml::table& t, std::string_view key,
                              std::string_view path) {
    const auto* node = t.get(key);
    if (!node)
      return std::nullopt;
    if (const auto* b = node->as_boolean())
      return b->get();
    report(node->source(), "config-type",
           fmt::format("'{}' must be true or false", path));
    return std::nullopt;
  }

  const toml::source_region& where(const toml::table& t, std::string_view key) {
    return t.get(key)->source();
  }

  void read(const toml::table& root, Config& c);

private:
  void read_books(const toml::table& t, Config& c);
  void read_company(const toml::table& t, Config& c);
  void read_invoice(const toml::table& t, Config& c);
  void read_numbering(const toml::table& t, Config& c);
  void read_tax(const toml::table& t, Config& c);
  void read_aging(const toml::table& t, Config& c);
  void read_payments(const toml::table& t, Config& c);
  void read_export(const toml::table& t, Config& c);
  void read_dunning(const toml::table& t, Config& c);
  void read_bank(const toml::table& t, Config& c);
  void read_reconcile(const toml::table& t, Config& c);
  // An amount, or a table of amounts by currency ("2.00", { EUR = "2.00" }).
  std::vector<Money> limits(const toml::table& t, std::string_view key,
                            std::string_view path, Currency currency);
  void read_bank_profile(const toml::table& t, BankProfile& p,
                         const std::string& path);
  void read_profile_columns(const toml::table& t, BankProfile& p,
                            const std::string& path);
  std::optional<ProfileColumn> profile_column(const toml::node& node,
                                              const std::string& path,
                                              bool named);
  std::optional<char> one_of(const toml::table& t, std::string_view key,
                             const std::string& path, std::string_view chars,
                             std::string_view hint);
  std::optional<Decimal> amount(const toml::table& t, std::string_view key,
                                std::string_view path);
  std::optional<int> days(const toml::table& t, std::string_view key,
                          std::string_view path);
  std::optional<Money> limit(const toml::node& node, Currency currency,
                             std::string_view path);

  std::string_view m_text;
  const std::string& m_file;
};

void Reader::read(const toml::table& root, Config& c) {
  only_keys(root, "",
            {"books", "company", "invoice", "numbering", "tax", "aging",
             "payments", "export", "dunning", "bank", "reconcile"});
  if (const auto* t = table(root, "books", "books"))
    read_books(*t, c);
  if (const auto* t = table(root, "company", "company"))
    read_company(*t, c);
  if (const auto* t = table(root, "invoice", "invoice"))
    read_invoice(*t, c);
  if (const auto* t = table(root, "numbering", "numbering"))
    read_numbering(*t, c);
  if (const auto* t = table(root, "tax", "tax"))
    read_tax(*t, c);
  if (const auto* t = table(root, "aging", "aging"))
    read_aging(*t, c);
  if (const auto* t = table(root, "payments", "payments"))
    read_payments(*t, c);
  if (const auto* t = table(root, "export", "export"))
    read_export(*t, c);
  if (const auto* t = table(root, "dunning", "dunning"))
    read_dunning(*t, c);
  if (const auto* t = table(root, "bank", "bank"))
    read_bank(*t, c);
  if (const auto* t = table(root, "reconcile", "reconcile"))
    read_reconcile(*t, c);
}

void Reader::read_books(const toml::table& t, Config& c) {
  only_keys(t, "books.", {"format", "lock_date"});
  if (auto v = integer(t, "format", "books.format")) {
    if (*v != k_books_format)
      report(where(t, "format"), "config-value",
             fmt::format("books format {} is not supported by this arctl "
                         "(it reads format {})",
                         *v, k_books_format));
  }
  if (auto v = string(t, "lock_date", "books.lock_date")) {
    if (auto d = parse_date(*v))
      c.lock_date = *d;
    else
      report(where(t, "lock_date"), "config-value", d.error().message,
             d.error().hint);
  }
}

void Reader::read_company(const toml::table& t, Config& c) {
  only_keys(t, "company.",
            {"name", "currency", "address", "email", "phone", "tax_id",
             "payment_instructions"});
  if (auto v = string(t, "name", "company.name"))
    c.company_name = *v;
  if (auto v = string(t, "currency", "company.currency")) {
    if (auto cur = find_currency(*v))
      c.currency = *cur;
    else
      report(where(t, "currency"), "config-value",
             fmt::format("unknown currency \"{}\"", *v),
             "currencies are ISO 4217 codes such as USD, EUR, JPY");
  }
  if (auto v = string(t, "address", "company.address"))
    c.company_address = *v;
  if (auto v = string(t, "email", "company.email"))
    c.company_email = *v;
  if (auto v = string(t, "phone", "company.phone"))
    c.company_phone = *v;
  if (auto v = string(t, "tax_id", "company.tax_id"))
    c.company_tax_id = *v;
  if (auto v = string(t, "payment_instructions", "company.payment_instructions"))
    c.payment_instructions = *v;
}

void Reader::read_invoice(const toml::table& t, Config& c) {
  only_keys(t, "invoice.", {"terms", "rounding", "tax_rounding"});
  if (auto v = string(t, "terms", "invoice.terms")) {
    if (auto terms = parse_terms(*v))
      c.default_terms = *terms;
    else
      report(where(t, "terms"), "config-value", terms.error().message,
             terms.error().hint);
  }
  if (auto v = string(t, "rounding", "invoice.rounding")) {
    if (auto r = parse_rounding(*v))
      c.rounding = *r;
    else
      report(where(t, "rounding"), "config-value",
             fmt::format("rounding \"{}\" is not known", *v),
             "use \"half-up\" or \"half-even\"");
  }
  if (auto v = string(t, "tax_rounding", "invoice.tax_rounding")) {
    if (*v == "line")
      c.tax_rounding = TaxRounding::line;
    else if (*v == "invoice")
      c.tax_rounding = TaxRounding::invoice;
    else
      report(where(t, "tax_rounding"), "config-value",
             fmt::format("tax_rounding \"{}\" is not known", *v),
             "use \"line\" or \"invoice\"");
  }
}

void Reader::read_numbering(const toml::table& t, Config& c) {
  only_keys(t, "numbering.",
            {"invoice", "payment", "credit", "adjustment", "fee", "notice",
             "arrangement", "bank"});
  const std::pair<std::string_view, std::string*> fields[] = {
      {"invoice", &c.numbering.invoice},
      {"payment", &c.numbering.payment},
      {"credit", &c.numbering.credit},
      {"adjustment", &c.numbering.adjustment},
      {"fee", &c.numbering.fee},
      {"notice", &c.numbering.notice},
      {"arrangement", &c.numbering.arrangement},
      {"bank", &c.numbering.bank}};
  for (auto [key, target] : fields) {
    const auto path = fmt::format("numbering.{}", key);
    if (auto v = string(t, key, path)) {
      if (auto problem = numbering_pattern_problem(*v))
        report(where(t, key), "config-value",
               fmt::format("numbering pattern \"{}\": {}", *v, *problem),
               "patterns look like \"INV-{year}-{seq:05}\"");
      else
        *target = *v;
    }
  }
}

void Reader::read_tax(const toml::table& t, Config& c) {
  for (const auto& [key, node] : t) {
    const auto path = fmt::format("tax.{}", key.str());
    const auto* code = node.as_table();
    if (!code) {
      report(node.source(), "config-type",
             fmt::format("'{}' must be a table with rate, inclusive and "
                         "description",
                         path));
      continue;
    }
    only_keys(*code, path + ".", {"rate", "inclusive", "description"});
    TaxCode tax;
    tax.code = std::string(key.str());
    tax.line = key.source().begin.line;
    if (const auto* rate = code->get("rate")) {
      if (const auto* s = rate->as_string()) {
        auto d = parse_decimal(s->get(), 6, "rate");
        if (!d)
          report(rate->source(), "config-value", d.error().message,
                 d.error().hint);
        else if (d->is_negative() || *d >= Decimal{100, 0})
          report(rate->source(), "config-value",
                 fmt::format("rate \"{}\" must be at least 0 and below 100",
                             s->get()));
        else
          tax.rate = *d;
      } else if (const auto* i = rate->as_integer()) {
        if (i->get() < 0 || i->get() >= 100)
          report(rate->source(), "config-value",
                 fmt::format("rate {} must be at least 0 and below 100",
                             i->get()));
        else
          tax.rate = Decimal{i->get(), 0};
      } else {
        report(rate->source(), "config-type",
               fmt::format("'{}.rate' must be a string such as \"8.25\"",
                           path),
               "a TOML float is binary and inexact; write the rate in quotes");
      }
    } else {
      report(key.source(), "config-missing",
             fmt::format("tax code '{}' has no rate", key.str()));
    }
    if (auto v = boolean(*code, "inclusive", path + ".inclusive"))
      tax.inclusive = *v;
    if (auto v = string(*code, "description", path + ".description"))
      tax.description = *v;
    c.tax_codes.push_back(std::move(tax));
  }
}

void Reader::read_aging(const toml::table& t, Config& c) {
  only_keys(t, "aging.", {"buckets", "basis"});
  if (const auto* node = t.get("buckets")) {
    const auto* arr = node->as_array();
    std::vector<int> buckets;
    bool ok = arr != nullptr && !arr->empty();
    if (ok) {
      for (const auto& item : *arr) {
        const auto* i = item.as_integer();
        if (!i || i->get() <= 0 || i->get() > 36500 ||
            (!buckets.empty() && i->get() <= buckets.back())) {
          ok = false;
          break;
        }
        buckets.push_back(static_cast<int>(i->get()));
      }
    }
    if (ok)
      c.aging_buckets = std::move(buckets);
    else
      report(node->source(), "config-value",
             "'aging.buckets' must be a list of increasing day counts",
             "buckets look like [30, 60, 90]");
  }
  if (auto v = string(t, "basis", "aging.basis")) {
    if (*v == "due")
      c.aging_basis = AgingBasis::due_date;
    else if (*v == "invoice")
      c.aging_basis = AgingBasis::invoice_date;
    else
      report(where(t, "basis"), "config-value",
             fmt::format("aging basis \"{}\" is not known", *v),
             "use \"due\" or \"invoice\"");
  }
}

void Reader::read_payments(const toml::table& t, Config& c) {
  only_keys(t, "payments.", {"early_payment_discount", "writeoff_limit"});
  if (auto v = boolean(t, "early_payment_discount",
                       "payments.early_payment_discount"))
    c.early_payment_discount = *v;
  c.writeoff_limits = limits(t, "writeoff_limit", "payments.writeoff_limit",
                             c.currency);
}

std::vector<Money> Reader::limits(const toml::table& t, std::string_view key,
                                  std::string_view path, Currency currency) {
  std::vector<Money> out;
  const auto* node = t.get(key);
  if (!node)
    return out;
  if (const auto* per_currency = node->as_table()) {
    for (const auto& [name, value] : *per_currency) {
      const auto cur = find_currency(name.str());
      if (!cur) {
        report(name.source(), "config-value",
               fmt::format("unknown currency \"{}\"", name.str()),
               "currencies are ISO 4217 codes such as USD, EUR, JPY");
        continue;
      }
      if (auto m = limit(value, *cur, fmt::format("{}.{}", path, name.str())))
        out.push_back(*m);
    }
  } else if (auto m = limit(*node, currency, path)) {
    out.push_back(*m);
  }
  return out;
}

void Reader::read_reconcile(const toml::table& t, Config& c) {
  only_keys(t, "reconcile.", {"rules", "tolerance", "min_confidence"});
  auto& r = c.reconcile;
  if (const auto* node = t.get("rules")) {
    const auto* arr = node->as_array();
    if (!arr || arr->empty()) {
      report(node->source(), "config-type",
             "'reconcile.rules' must be a list of rule names",
             "such as [\"posted\", \"deposit\", \"reference\"]; "
             "arctl-reconcile(1) lists them");
    } else {
      for (const auto& item : *arr) {
        const auto* name = item.as_string();
        if (!name || !parse_match_rule(name->get())) {
          std::string known;
          for (const auto rule : default_match_rules())
            known += fmt::format("{}{}", known.empty() ? "" : ", ",
                                 to_string(rule));
          report(item.source(), "config-value",
                 name ? fmt::format("unknown matching rule \"{}\"",
                                    name->get())
                      : std::string("a matching rule is a name in quotes"),
                 "the rules are " + known);
        } else if (std::find(r.rules.begin(), r.rules.end(), name->get()) !=
                   r.rules.end()) {
          report(item.source(), "config-value",
                 fmt::format("matching rule \"{}\" is listed twice",
                             name->get()));
        } else {
          r.rules.push_back(name->get());
        }
      }
    }
  }
  r.tolerances = limits(t, "tolerance", "reconcile.tolerance", c.currency);
  if (auto v = integer(t, "min_confidence", "reconcile.min_confidence")) {
    if (*v < 1 || *v > 100)
      report(where(t, "min_confidence"), "config-value",
             "'reconcile.min_confidence' must be from 1 to 100");
    else
      r.min_confidence = static_cast<int>(*v);
  }
}

void Reader::read_export(const toml::table& t, Config& c) {
  auto& a = c.export_accounts;
  // The first two hold one account per customer.
  const std::pair<std::string_view, std::string*> fields[] = {
      {"receivable", &a.receivable},
      {"customer_credit", &a.customer_credit},
      {"bank", &a.bank},
      {"sales", &a.sales},
      {"sales_tax", &a.sales_tax},
      {"sales_discounts", &a.sales_discounts},
      {"bad_debt", &a.bad_debt},
      {"opening_balances", &a.opening_balances}};
  only_keys(t, "export.",
            {"receivable", "customer_credit", "bank", "sales", "sales_tax",
             "sales_discounts", "bad_debt", "opening_balances"});
  for (auto [key, target] : fields) {
    const auto path = fmt::format("export.{}", key);
    if (auto v = string(t, key, path)) {
      if (auto problem = account_name_problem(*v))
        report(where(t, key), "config-value",
               fmt::format("'{}': account \"{}\" {}", path, *v, *problem),
               "accounts look like \"Assets:Bank\": each part starts with "
               "an uppercase letter or digit and holds letters, digits and "
               "'-', as beancount, the strictest of the three tools, asks");
      else
        *target = *v;
    }
  }
  // A customer's balance is what lies under its two accounts: nothing
  // else may be booked there.
  const auto under = [](std::string_view name, std::string_view parent) {
    return name.starts_with(parent) &&
           (name.size() == parent.size() || name[parent.size()] == ':');
  };
  for (std::size_t p = 0; p < 2; ++p) {
    const auto [parent_key, parent] = fields[p];
    for (std::size_t i = 0; i < std::size(fields); ++i) {
      const auto [key, name] = fields[i];
      // The two customer accounts may be one (receivables net of credit).
      if (i == p || (i < 2 && *name == *parent) || !under(*name, *parent))
        continue;
      report(where(t, t.contains(key) ? key : parent_key), "config-value",
             fmt::format("'export.{}': account \"{}\" lies within "
                         "'export.{}' (\"{}\"), where each customer has its "
                         "own account",
                         key, *name, parent_key, *parent),
             "give it an account outside the customers' accounts");
    }
  }
}

std::optional<Decimal> Reader::amount(const toml::table& t,
                                      std::string_view key,
                                      std::string_view path) {
  const auto text = string(t, key, path);
  if (!text)
    return std::nullopt;
  auto d = parse_decimal(*text);
  if (!d) {
    report(where(t, key), "config-value", d.error().message, d.error().hint);
    return std::nullopt;
  }
  if (d->is_negative()) {
    report(where(t, key), "config-value",
           fmt::format("'{}' must not be negative", path));
    return std::nullopt;
  }
  return *d;
}

std::optional<int> Reader::days(const toml::table& t, std::string_view key,
                                std::string_view path) {
  const auto v = integer(t, key, path);
  if (!v)
    return std::nullopt;
  if (*v < 0 || *v > 36500) {
    report(where(t, key), "config-value",
           fmt::format("'{}' must be a number of days from 0 to 36500", path));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

void Reader::read_dunning(const toml::table& t, Config& c) {
  only_keys(t, "dunning.", {"grace_days", "minimum", "level"});
  auto& policy = c.dunning;
  if (auto v = days(t, "grace_days", "dunning.grace_days"))
    policy.grace_days = *v;
  if (auto v = amount(t, "minimum", "dunning.minimum"))
    policy.minimum = *v;
  const auto* node = t.get("level");
  if (!node)
    return;
  const auto* levels = node->as_array();
  if (!levels || !levels->is_array_of_tables()) {
    report(node->source(), "config-type",
           "'dunning.level' must be a list of tables: [[dunning.level]]");
    return;
  }
  for (std::size_t k = 0; k < levels->size(); ++k) {
    const auto& lt = *levels->get(k)->as_table();
    const auto path = [k](std::string_view key) {
      return fmt::format("dunning.level[{}].{}", k + 1, key);
    };
    only_keys(lt, fmt::format("dunning.level[{}].", k + 1),
              {"name", "days", "minimum", "wait", "letter", "fee", "interest",
               "action"});
    DunningLevel level;
    level.line = lt.source().begin.line;
    if (auto v = string(lt, "name", path("name"))) {
      if (auto problem = id_problem(*v))
        report(where(lt, "name"), "config-value",
               fmt::format("level name \"{}\": {}", *v, *problem));
      else if (std::any_of(policy.levels.begin(), policy.levels.end(),
                           [&](const DunningLevel& l) { return l.name == *v; }))
        report(where(lt, "name"), "config-value",
               fmt::format("level name \"{}\" is used twice", *v));
      level.name = *v;
    } else if (!lt.get("name")) {
      report(lt.source(), "config-missing",
             fmt::format("'{}' is missing", path("name")),
             "each level has a name, as notices.csv records it");
    }
    if (auto v = days(lt, "days", path("days"))) {
      level.days = *v;
      if (!policy.levels.empty() && level.days <= policy.levels.back().days)
        report(where(lt, "days"), "config-value",
               fmt::format("'{}' is {}, not more than the level before ({})",
                           path("days"), level.days,
                           policy.levels.back().days),
               "levels escalate: each one later past due than the one before");
    }
    if (auto v = amount(lt, "minimum", path("minimum")))
      level.minimum = *v;
    if (auto v = days(lt, "wait", path("wait")))
      level.wait = *v;
    if (auto v = string(lt, "letter", path("letter"))) {
      if (auto problem = id_problem(*v))
        report(where(lt, "letter"), "config-value",
               fmt::format("letter \"{}\": {}", *v, *problem));
      level.letter = *v;
    } else {
      level.letter = level.name;
    }
    if (auto v = amount(lt, "fee", path("fee")))
      level.fee = *v;
    if (auto v = amount(lt, "interest", path("interest"))) {
      if (*v > Decimal{100, 0})
        report(where(lt, "interest"), "config-value",
               fmt::format("'{}' is a yearly rate in percent, at most 100",
                           path("interest")));
      level.interest = *v;
    }
    if (auto v = string(lt, "action", path("action"))) {
      if (*v == "none")
        level.action = DunningAction::none;
      else if (*v == "hold")
        level.action = DunningAction::hold;
      else
        report(where(lt, "action"), "config-value",
               fmt::format("action \"{}\" is not known", *v),
               "use \"none\" or \"hold\" (put the customer on credit hold)");
    }
    policy.levels.push_back(std::move(level));
  }
}

void Reader::read_bank(const toml::table& t, Config& c) {
  only_keys(t, "bank.", {"profile"});
  const auto* profiles = table(t, "profile", "bank.profile");
  if (!profiles)
    return;
  for (const auto& [key, node] : *profiles) {
    const auto path = fmt::format("bank.profile.{}", key.str());
    const auto* pt = node.as_table();
    if (!pt) {
      report(node.source(), "config-type",
             fmt::format("'{}' must be a table", path),
             "a profile is a table [bank.profile.NAME] with a table "
             "[bank.profile.NAME.columns]");
      continue;
    }
    BankProfile p;
    p.name = std::string(key.str());
    p.line = key.source().begin.line;
    if (auto problem = id_problem(p.name))
      report(key.source(), "config-value",
             fmt::format("profile name \"{}\" {}", p.name, *problem));
    read_bank_profile(*pt, p, path);
    c.bank_profiles.push_back(std::move(p));
  }
}

std::optional<char> Reader::one_of(const toml::table& t, std::string_view key,
                                   const std::string& path,
                                   std::string_view chars,
                                   std::string_view hint) {
  const auto v = string(t, key, path + "." + std::string(key));
  if (!v)
    return std::nullopt;
  if (v->size() != 1 || chars.find((*v)[0]) == std::string_view::npos) {
    report(where(t, key), "config-value",
           fmt::format("'{}.{}' cannot be \"{}\"", path, key, *v),
           std::string(hint));
    return std::nullopt;
  }
  return (*v)[0];
}

void Reader::read_bank_profile(const toml::table& t, BankProfile& p,
                               const std::string& path) {
  only_keys(t, path + ".",
            {"encoding", "delimiter", "skip_lines", "header", "date_format",
             "decimal", "thousands", "sign", "credit_values", "debit_values",
             "currency", "account", "columns"});
  if (auto v = string(t, "encoding", path + ".encoding")) {
    if (auto problem = encoding_problem(*v))
      report(where(t, "encoding"), "config-value", *problem,
             "encodings are names iconv knows: utf-8, latin1, "
             "windows-1252, cp850, cp852, ...");
    p.encoding = *v;
  }
  if (auto v = one_of(t, "delimiter", path, ",;\t|:",
                      "the delimiter is one of \",\", \";\", \"\\t\", \"|\" "
                      "and \":\""))
    p.delimiter = *v;
  if (auto v = integer(t, "skip_lines", path + ".skip_lines")) {
    if (*v < 0 || *v > 1000)
      report(where(t, "skip_lines"), "config-value",
             fmt::format("'{}.skip_lines' must be from 0 to 1000", path));
    else
      p.skip_lines = static_cast<int>(*v);
  }
  if (auto v = boolean(t, "header", path + ".header"))
    p.header = *v;
  if (auto v = string(t, "date_format", path + ".date_format")) {
    if (auto problem = date_pattern_problem(*v))
      report(where(t, "date_format"), "config-value",
             fmt::format("date format \"{}\" {}", *v, *problem),
             "date formats look like \"%d.%m.%Y\" or \"%m/%d/%y\"");
    else
      p.date_format = *v;
  }
  if (auto v = one_of(t, "decimal", path, ".,",
                      "the decimal separator is \".\" or \",\""))
    p.decimal = *v;
  if (auto v = string(t, "thousands", path + ".thousands")) {
    if (!v->empty() &&
        (v->size() != 1 || std::string_view(".,' ").find((*v)[0]) ==
                               std::string_view::npos))
      report(where(t, "thousands"), "config-value",
             fmt::format("'{}.thousands' cannot be \"{}\"", path, *v),
             "the thousands separator is \"\" (none), \".\", \",\", \"'\" or "
             "\" \"");
    else
      p.thousands = *v;
  }
  if (!p.thousands.empty() && p.thousands[0] == p.decimal)
    report(where(t, "thousands"), "config-value",
           fmt::format("'{}.thousands' is the decimal separator too", path));
  if (auto v = string(t, "sign", path + ".sign")) {
    if (*v == "credit-positive")
      p.sign = AmountSign::credit_positive;
    else if (*v == "debit-positive")
      p.sign = AmountSign::debit_positive;
    else
      report(where(t, "sign"), "config-value",
             fmt::format("sign \"{}\" is not known", *v),
             "use \"credit-positive\" (money in is positive) or "
             "\"debit-positive\"");
  }
  for (auto [key, target] :
       {std::pair{"credit_values", &p.credit_values},
        std::pair{"debit_values", &p.debit_values}}) {
    const auto* node = t.get(key);
    if (!node)
      continue;
    const auto* arr = node->as_array();
    std::vector<std::string> values;
    if (arr)
      for (const auto& item : *arr)
        if (const auto* str = item.as_string(); str && !str->get().empty())
          values.push_back(str->get());
    if (!arr || values.empty() || values.size() != arr->size())
      report(node->source(), "config-type",
             fmt::format("'{}.{}' must be a list of texts", path, key),
             "such as [\"C\", \"CR\"]");
    else
      *target = std::move(values);
  }
  if (auto v = string(t, "currency", path + ".currency")) {
    if (auto cur = find_currency(*v))
      p.currency = *cur;
    else
      report(where(t, "currency"), "config-value",
             fmt::format("unknown currency \"{}\"", *v),
             "currencies are ISO 4217 codes such as USD, EUR, JPY");
  }
  if (auto v = string(t, "account", path + ".account"))
    p.account = *v;
  if (const auto* columns = table(t, "columns", path + ".columns"))
    read_profile_columns(*columns, p, path + ".columns");
  else if (!t.contains("columns"))
    report(t.source(), "config-missing",
           fmt::format("'{}' has no table [{}.columns]", path, path),
           "the columns table names the columns of the export: date, amount "
           "(or debit and credit), remittance, ...");
}

std::optional<ProfileColumn> Reader::profile_column(const toml::node& node,
                                                    const std::string& path,
                                                    bool named) {
  ProfileColumn c;
  c.line = node.source().begin.line;
  c.column = node.source().begin.column;
  if (const auto* s = node.as_string(); s && !s->get().empty() && named) {
    c.name = s->get();
    return c;
  }
  if (const auto* i = node.as_integer(); i && i->get() >= 1 && i->get() <= 1000) {
    c.position = static_cast<int>(i->get());
    return c;
  }
  report(node.source(), "config-value",
         named ? fmt::format("'{}' must name a column of the header, or give "
                             "its position from 1",
                             path)
               : fmt::format("'{}' must give the column's position from 1: "
                             "the profile has no header row",
                             path));
  return std::nullopt;
}

void Reader::read_profile_columns(const toml::table& t, BankProfile& p,
                                  const std::string& path) {
  auto& c = p.columns;
  const std::pair<std::string_view, std::optional<ProfileColumn>*> fields[] = {
      {"date", &c.date},
      {"value_date", &c.value_date},
      {"amount", &c.amount},
      {"debit", &c.debit},
      {"credit", &c.credit},
      {"indicator", &c.indicator},
      {"currency", &c.currency},
      {"account", &c.account},
      {"counterparty", &c.counterparty},
      {"counterparty_account", &c.counterparty_account},
      {"end_to_end", &c.end_to_end},
      {"reference", &c.reference},
      {"type", &c.type},
      {"bank_tx", &c.bank_tx}};
  only_keys(t, path + ".",
            {"date", "value_date", "amount", "debit", "credit", "indicator",
             "currency", "account", "counterparty", "counterparty_account",
             "remittance", "end_to_end", "reference", "type", "bank_tx"});
  for (auto [key, target] : fields)
    if (const auto* node = t.get(key))
      *target = profile_column(*node, fmt::format("{}.{}", path, key),
                               p.header);
  if (const auto* node = t.get("remittance")) {
    const auto remittance_path = path + ".remittance";
    if (const auto* arr = node->as_array()) {
      for (const auto& item : *arr)
        if (auto col = profile_column(item, remittance_path, p.header))
          c.remittance.push_back(std::move(*col));
    } else if (auto col = profile_column(*node, remittance_path, p.header)) {
      c.remittance.push_back(std::move(*col));
    }
  }
  const auto needs = [&](std::string_view what, std::string_view hint) {
    report(t.source(), "config-missing",
           fmt::format("'{}' {}", path, what), std::string(hint));
  };
  // What is there but invalid is reported above already.
  if (!t.contains("date"))
    needs("names no date column", "such as date = \"Booking date\"");
  if (!c.amount && !(c.debit && c.credit))
    needs("names neither an amount column nor debit and credit columns",
          "such as amount = \"Amount\", or debit = \"Debit\" and credit = "
          "\"Credit\"");
  else if (c.amount && (c.debit || c.credit))
    needs("names an amount column and debit or credit columns too",
          "use either one amount column or debit and credit columns");
  else if (c.indicator && !c.amount)
    needs("names an indicator column without an amount column",
          "the indicator says whether the amount is a credit or a debit");
}

std::optional<Money> Reader::limit(const toml::node& node, Currency currency,
                                   std::string_view path) {
  const auto* s = node.as_string();
  if (!s) {
    report(node.source(), "config-type",
           fmt::format("'{}' must be an amount in quotes, such as \"100.00\", "
                       "or a table of them by currency",
                       path));
    return std::nullopt;
  }
  auto m = Money::parse(s->get(), currency);
  if (!m) {
    report(node.source(), "config-value", m.error().message, m.error().hint);
    return std::nullopt;
  }
  if (m->is_negative()) {
    report(node.source(), "config-value",
           fmt::format("'{}' must not be negative", path));
    return std::nullopt;
  }
  return *m;
}

} // namespace

Result<Config> parse_config(std::string_view text, const std::string& file) {
  Config config;
  Reader reader(text, file);
  const auto hazard = invalid_utf8_at(text) == std::string_view::npos
                          ? toml_hazard(text)
                          : std::nullopt;
  if (hazard) {
    // Never shown to toml++ (toml_guard.hpp): reported here, in bytes.
    const auto begin = text.rfind('\n', hazard->offset) ==
                               std::string_view::npos
                           ? 0
                           : text.rfind('\n', hazard->offset) + 1;
    const auto end = std::min(text.find('\n', hazard->offset), text.size());
    Diagnostic d;
    d.loc = {file,
             static_cast<std::uint32_t>(
                 std::count(text.begin(),
                            text.begin() + static_cast<std::ptrdiff_t>(begin),
                            '\n') +
                 1),
             static_cast<std::uint32_t>(hazard->offset - begin + 1)};
    d.code = "config-syntax";
    d.message = hazard->message;
    d.hint = hazard->hint;
    d.excerpt = text.substr(begin, end - begin);
    if (!d.excerpt.empty() && d.excerpt.back() == '\r')
      d.excerpt.pop_back();
    d.span = static_cast<std::uint32_t>(hazard->size);
    reader.problems.push_back(std::move(d));
  } else {
    try {
      const auto root = toml::parse(text, file);
      reader.read(root, config);
    } catch (const toml::parse_error& e) {
      reader.report(e.source(), "config-syntax",
                    std::string(e.description()));
    }
  }
  if (!reader.problems.empty()) {
    Error error{ExitCode::data,
                fmt::format("{} has {} problem{}", file,
                            reader.problems.size(),
                            reader.problems.size() == 1 ? "" : "s"),
                std::move(reader.problems)};
    return std::unexpected(std::move(error));
  }
  return config;
}

Result<Config> load_config(const std::string& path, const std::string& file) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(ExitCode::no_input, fmt::format("cannot read {}", file));
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto text = buffer.str();
  if (text.starts_with("\xEF\xBB\xBF"))
    text.erase(0, 3);
  return parse_config(text, file);
}

std::string default_config_text(std::string_view company_name,
                                Currency currency) {
  // Quotes, backslashes and control characters in the name must not break
  // the TOML string.
  std::string name;
  for (char ch : company_name) {
    if (ch == '"' || ch == '\\')
      name += '\\';
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
      name += fmt::format("\\u{:04X}", static_cast<unsigned char>(ch));
    else
      name += ch;
  }
  return fmt::format(R"(# arctl books configuration. Reference: man 5 arctl-books.

[books]
format = {format}
# Facts dated on or before the lock date are refused (closed periods).
# lock_date = "2026-03-31"

[company]
name = "{name}"
currency = "{currency}"          # base currency; customers default to it
# address = "1 Main Street, Springfield"
# email = "billing@example.com"
# phone = "+1 555 0100"
# tax_id = "US-12-3456789"
# How to pay, for dunning letters (man arctl-dun); several lines allowed.
# payment_instructions = "ACH or wire to First Bank, account 000123456, routing 021000021"

[invoice]
terms = "net 30"          # default terms: "net 30", "2/10 net 30", "net 15 eom", "due on receipt"
rounding = "half-up"      # half-up | half-even
tax_rounding = "line"     # round tax per line, or once per "invoice"

[numbering]
# {{year}} is the document's year; {{seq}} or {{seq:05}} a gap-free sequence.
invoice = "INV-{{year}}-{{seq:05}}"
payment = "PAY-{{year}}-{{seq:05}}"
credit = "CM-{{year}}-{{seq:05}}"
adjustment = "ADJ-{{year}}-{{seq:05}}"
fee = "FEE-{{year}}-{{seq:05}}"       # charges: returned payments, dunning fees
notice = "DUN-{{year}}-{{seq:05}}"    # dunning notices (notices.csv)
arrangement = "ARR-{{year}}-{{seq:04}}"  # promises to pay, instalment plans
bank = "BTX-{{year}}-{{seq:06}}"      # bank transactions (bank.csv)

# One table per tax code. Rates are percentages written as strings, so they
# stay exact. A code's rate never changes once used: a new rate gets a new code.
# [tax.ST]
# rate = "8.25"
# inclusive = false
# description = "Sales tax 8.25%"

[aging]
buckets = [30, 60, 90]    # days past due that start each older bucket
basis = "due"             # due | invoice

[payments]
# A payment within an invoice's early-payment discount window ("2/10 net 30")
# that equals the invoice less its discount takes the discount.
early_payment_discount = true
# Write-offs above this amount need --approve NAME, which is recorded.
# writeoff_limit = "100.00"        # or per currency: {{ USD = "100.00", JPY = "15000" }}

# Accounts of the journals 'arctl export' writes for ledger, hledger and
# beancount; these are the defaults. Every customer has an account of its
# own under receivable and under customer_credit (man arctl-export).
# [export]
# receivable = "Assets:Receivable"
# customer_credit = "Liabilities:CustomerCredit"   # unapplied cash, credit memos
# bank = "Assets:Bank"
# sales = "Income:Sales"
# sales_tax = "Liabilities:SalesTax"
# sales_discounts = "Income:SalesDiscounts"
# bad_debt = "Expenses:BadDebt"
# opening_balances = "Equity:Opening-Balances"   # arctl export --from

# Collections: the notices 'arctl dun' plans, one level at a time, each
# level due when the oldest overdue item is 'days' past due, at least
# 'minimum' is overdue and 'wait' days have passed since the notice before
# (man arctl-dun). Amounts are in each customer's currency.
[dunning]
grace_days = 5            # an invoice is overdue 5 days after its due date
minimum = "25.00"         # the least amount overdue worth a notice

[[dunning.level]]
name = "reminder"         # as notices.csv records it
days = 1
letter = "reminder"       # templates/dunning/reminder.*

[[dunning.level]]
name = "second"
days = 30
wait = 14
fee = "0.00"

[[dunning.level]]
name = "final"
days = 60
wait = 14
interest = "0"            # percent a year on each item, actual/365
action = "hold"           # puts the customer on credit hold

# Bank statements: 'arctl reconcile import' reads camt.053 and camt.054,
# MT940, OFX and BAI2 files as they come; a bank's CSV export needs a profile
# that says how to read it (man arctl-reconcile), used with --profile NAME.
# [bank.profile.mybank]
# delimiter = ";"
# encoding = "latin1"          # default: UTF-8, else told by the bytes
# date_format = "%d.%m.%Y"
# decimal = ","
# thousands = "."
# currency = "EUR"             # when the file has no currency column
# [bank.profile.mybank.columns]
# date = "Booking date"
# value_date = "Value date"
# amount = "Amount"            # or debit = "Debit" and credit = "Credit"
# counterparty = "Name"
# counterparty_account = "IBAN"
# remittance = ["Purpose 1", "Purpose 2"]
)",
                     fmt::arg("format", k_books_format), fmt::arg("name", name),
                     fmt::arg("currency", currency.name()));
}

} // namespace arctl
