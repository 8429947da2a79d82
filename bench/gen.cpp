// arctl-gen: writes the books of a made-up mid-size B2B company, at any
// scale, for benchmarks and tests. The same arguments give the same bytes on
// every machine: one hand-written PRNG, integer arithmetic only, no clock.
//
// One pass over the invoices in date order. Each invoice gets a plan for how
// it will be settled (paid on time or late, short paid, paid with the early
// discount, credited, written off, disputed, ...) whose steps wait in a queue
// ordered by date; before an invoice dated D is written, every step dated
// before D is carried out. So every fact file comes out in date order, ids
// are handed out in date order, and memory follows the invoices still in
// play rather than the whole history. Steps that would fall after --end are
// dropped, which leaves the most recent invoices open, as in real books.
#include "arctl/books.hpp"
#include "arctl/csv.hpp"
#include "arctl/dates.hpp"
#include "arctl/error.hpp"
#include "arctl/money.hpp"
#include "arctl/transaction.hpp"

#include <CLI/CLI.hpp>
#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <queue>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
using arctl::Currency;
using arctl::Date;
using arctl::Decimal;
using arctl::Money;
using arctl::Terms;

constexpr auto k_rounding = arctl::Rounding::half_up;

// ---------------------------------------------------------------------------
// Random numbers: xoshiro256** seeded through splitmix64. The standard
// distributions are implementation-defined, so every draw below is integer
// arithmetic on these 64-bit words.

class Rng {
public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : m_state) {
      seed += 0x9e3779b97f4a7c15;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
      z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
      word = z ^ (z >> 31);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const std::uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
  }

  // Uniform in [0, n), n > 0 (multiply-shift; the bias is below 2^-40).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>(
        (static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  std::int64_t range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(
                    below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  int days(int lo, int hi) { return static_cast<int>(range(lo, hi)); }
  // True with probability p / 1000.
  bool per_mille(int p) { return below(1000) < static_cast<std::uint64_t>(p); }
  // An index drawn with the given weights (not all 0).
  std::size_t weighted(std::span<const int> weights) {
    int sum = 0;
    for (const int w : weights)
      sum += w;
    auto roll = static_cast<int>(below(static_cast<std::uint64_t>(sum)));
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (roll < weights[i])
        return i;
      roll -= weights[i];
    }
    return weights.size() - 1;
  }
  template <class T, std::size_t N> const T& pick(const std::array<T, N>& a) {
    return a[below(N)];
  }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
  }
  std::array<std::uint64_t, 4> m_state{};
};

// ---------------------------------------------------------------------------
// Days as integers (days since 1970-01-01) inside the generator; Date only at
// the edges.

using Day = int;

Day to_day(Date d) {
  return static_cast<Day>(date::sys_days{d}.time_since_epoch().count());
}
Date to_date(Day d) { return Date{date::sys_days{date::days{d}}}; }

bool is_weekend(Day d) {
  const date::weekday w{date::sys_days{date::days{d}}};
  return w == date::Saturday || w == date::Sunday;
}

// Money arrives on business days: a weekend date moves to the Monday.
Day business_day(Day d) {
  while (is_weekend(d))
    ++d;
  return d;
}

// The text of every date the books can mention, made once.
class DateTexts {
public:
  DateTexts(Day first, Day last) : m_first(first) {
    m_texts.reserve(static_cast<std::size_t>(last - first + 1));
    for (Day d = first; d <= last; ++d)
      m_texts.push_back(arctl::format_date(to_date(d)));
  }
  std::string_view operator()(Day d) {
    if (d >= m_first && d - m_first < static_cast<Day>(m_texts.size()))
      return m_texts[static_cast<std::size_t>(d - m_first)];
    m_spare = arctl::format_date(to_date(d));
    return m_spare;
  }

private:
  Day m_first;
  std::vector<std::string> m_texts;
  std::string m_spare;
};

// ---------------------------------------------------------------------------
// Output: one buffer per file, written out in large blocks.

struct WriteError {
  std::string message;
};

class CsvFile {
public:
  static constexpr std::size_t k_flush = std::size_t{1} << 20;

  explicit CsvFile(fs::path path) : m_path(std::move(path)) {
    m_file = std::fopen(m_path.c_str(), "wb");
    if (!m_file)
      throw WriteError{fmt::format("cannot create {}", m_path.string())};
    std::setvbuf(m_file, nullptr, _IONBF, 0);
    m_buf.reserve(k_flush + (std::size_t{64} << 10));
  }
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile() {
    if (m_file)
      std::fclose(m_file);
  }

  void row(std::initializer_list<std::string_view> fields) {
    arctl::append_csv_record(m_buf, std::span(fields.begin(), fields.size()));
    ++m_rows;
    if (m_buf.size() >= k_flush)
      flush();
  }
  void text(std::string_view s) { m_buf += s; }

  void close() {
    flush();
    if (std::fclose(m_file) != 0) {
      m_file = nullptr;
      throw WriteError{fmt::format("cannot write {}", m_path.string())};
    }
    m_file = nullptr;
  }
  std::uint64_t rows() const { return m_rows; }

private:
  void flush() {
    if (!m_buf.empty() &&
        std::fwrite(m_buf.data(), 1, m_buf.size(), m_file) != m_buf.size())
      throw WriteError{fmt::format("cannot write {}", m_path.string())};
    m_buf.clear();
  }

  fs::path m_path;
  std::FILE* m_file = nullptr;
  std::string m_buf;
  std::uint64_t m_rows = 0;
};

void write_small_file(const fs::path& path, std::string_view content) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  bool ok = f != nullptr;
  if (ok)
    ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  if (f && std::fclose(f) != 0)
    ok = false;
  if (!ok)
    throw WriteError{fmt::format("cannot write {}", path.string())};
}

// ---------------------------------------------------------------------------
// The company's books: configuration, tax codes, catalogue.

constexpr std::string_view k_config =
    R"(# Books of Northwind Supplies Inc., written by arctl-gen (bench/gen.cpp):
# made-up data for benchmarks and tests.

[books]
format = 1

[company]
name = "Northwind Supplies Inc."
currency = "USD"
address = "1200 Commerce St, Suite 300, Dallas, TX 75202"
email = "ar@northwind-supplies.example"

[invoice]
terms = "net 30"
rounding = "half-up"
tax_rounding = "line"

[numbering]
invoice = "INV-{seq:07}"
payment = "PAY-{seq:07}"
credit = "CM-{seq:07}"
adjustment = "ADJ-{seq:07}"

[tax.ST]                    # goods sold to US customers
rate = "8.25"
inclusive = false
description = "Texas sales tax 8.25%"

[tax.EX]                    # services, and goods for resale
rate = "0"
inclusive = false
description = "Exempt"

[tax.JCT10]                 # Japanese customers are quoted tax-inclusive
rate = "10"
inclusive = true
description = "Japanese consumption tax 10%, included in prices"

[aging]
buckets = [30, 60, 90]
basis = "due"

[dunning]
grace_days = 5
minimum = "25.00"

[[dunning.level]]
name = "reminder"
days = 1

[[dunning.level]]
name = "second"
days = 30
wait = 14
fee = "15.00"

[[dunning.level]]
name = "final"
days = 60
wait = 14
fee = "40.00"
interest = "12"
action = "hold"
)";

const Decimal k_rate_st{825, 2};
const Decimal k_rate_jct{10, 0};
const Decimal k_rate_zero{0, 0};

enum class Region : std::uint8_t { us, eu, jp };

// How a line's quantity is drawn.
enum class Qty : std::uint8_t {
  units, // 1..12 pieces
  bulk,  // 100..5000 pieces of a cheap part, in 50s
  feet,  // 25..1000 feet of cable
  hours, // quarter hours, 0.25..8
  seats, // 5..80 seats a month
  once,  // 1
};

struct Item {
  std::string_view code;
  std::string_view description;
  bool goods;         // taxable goods, else a service
  std::int64_t price; // list price in USD, 4 decimals
  bool fine_price;    // priced to 4 decimals
  Qty qty;
};

// Texts are plain and varied on purpose: commas and quotes exercise CSV
// quoting, 4-decimal prices and fractional hours exercise rounding.
constexpr std::array<Item, 24> k_items{{
    {"HW-LAPTOP", "Laptop, 14in, 16 GB RAM, 512 GB SSD", true, 11490000, false,
     Qty::units},
    {"HW-MON27", "Monitor 27in QHD", true, 2899900, false, Qty::units},
    {"HW-DOCK", "USB-C docking station", true, 1890000, false, Qty::units},
    {"HW-KBM", "Wireless keyboard and mouse set", true, 599500, false,
     Qty::units},
    {"HW-TONER", "Toner cartridge, black, high yield", true, 1295000, false,
     Qty::units},
    {"HW-CHAIR", "Task chair, mesh back", true, 3490000, false, Qty::units},
    {"HW-SW24", "Network switch, 24-port PoE+", true, 8990000, false,
     Qty::units},
    {"HW-UPSBAT", "UPS replacement battery", true, 742500, false, Qty::units},
    {"SUP-PAPER", "Copy paper, letter, case of 10 reams", true, 549900, false,
     Qty::units},
    {"SUP-SCREW", "Machine screws M4x12, stainless", true, 875, true,
     Qty::bulk},
    {"SUP-ANCHOR", "Drywall anchors #8", true, 1240, true, Qty::bulk},
    {"SUP-CAT6", "Cable, Cat6, plenum, per foot", true, 3125, true, Qty::feet},
    {"SUP-LABEL", "Labels 2x4in, roll of 250", true, 184000, false, Qty::units},
    {"SUP-PENS", "Gel pens, box of 12", true, 114975, true, Qty::units},
    {"SUP-WIPES", "Cleaning wipes, pack of 6", true, 237000, false, Qty::units},
    {"SVC-ONSITE", "On-site support, per hour", false, 1250000, false,
     Qty::hours},
    {"SVC-REMOTE", "Remote support, per hour", false, 950000, false,
     Qty::hours},
    {"SVC-INSTALL", "Installation and setup, per hour", false, 850000, false,
     Qty::hours},
    {"SVC-MSP", "Managed IT services, per seat, monthly", false, 650000, false,
     Qty::seats},
    {"SVC-BACKUP", "Cloud backup, per seat, monthly", false, 120000, false,
     Qty::seats},
    {"SVC-TRAIN", "Training session, half day", false, 4500000, false,
     Qty::once},
    {"SVC-PROJ", "Project \"Falcon\" network design, per hour", false, 1650000,
     false, Qty::hours},
    {"SVC-FREIGHT", "Delivery and freight", false, 350000, false, Qty::once},
    {"SVC-RECYCLE", "E-waste recycling, per device", false, 150000, true,
     Qty::units},
}};

// ---------------------------------------------------------------------------
// Customers

constexpr std::array<std::string_view, 32> k_us_first{
    "Bluebonnet",  "Pecan",     "Lakeway",   "Riverbend",  "Cedar Park",
    "Granite",     "Summit",    "Harbor",    "Prairie",    "Redwood",
    "Silverline",  "Northgate", "Westfield", "Oak Hollow", "Blue Ridge",
    "Iron Creek",  "Maple",     "Copper",    "Sunrise",    "Pinecrest",
    "Stonebridge", "Lone Star", "Evergreen", "Bayside",    "Clearwater",
    "Highland",    "Frontier",  "Meridian",  "Keystone",   "Brazos",
    "Trinity",     "Mesa Verde"};

constexpr std::array<std::string_view, 24> k_us_trade{
    "Dental Group",    "Logistics",    "Architects",       "Veterinary Clinic",
    "Realty Partners", "Law Offices",  "Manufacturing",    "Medical Supply",
    "Engineering",     "Construction", "Coffee Roasters",  "Title Co.",
    "Pediatrics",      "Accounting",   "Print Shop",       "Auto Repair",
    "Hotel",           "Brewing Co.",  "Insurance Agency", "Charter School",
    "Family Practice", "Landscaping",  "Credit Union",     "Animal Hospital"};

constexpr std::array<std::string_view, 8> k_us_suffix{
    "LLC", "Inc.", ", Inc.", "LLP", "Corp.", ", PLLC", "", "& Co."};

constexpr std::array<std::string_view, 10> k_eu_first{
    "Haag",    "Müller", "Schäfer",  "Köhler", "Brandt",
    "Lefèvre", "Dubois", "van Dijk", "Rossi",  "Nováková"};
constexpr std::array<std::string_view, 10> k_eu_slug{
    "haag",    "mueller", "schaefer", "koehler", "brandt",
    "lefevre", "dubois",  "vandijk",  "rossi",   "novakova"};
constexpr std::array<std::string_view, 6> k_eu_trade{
    "Präzisionstechnik GmbH", "Logistik GmbH",   "Maschinenbau AG",
    "Électronique SARL",      "Impianti S.r.l.", "Techniek B.V."};

constexpr std::array<std::string_view, 6> k_jp_name{
    "Sakura Trading K.K. (株式会社さくら商事)",
    "Yamato Seiki Co., Ltd.",
    "Fuji Office Systems K.K.",
    "Hokuto Denki Co., Ltd. (北斗電機株式会社)",
    "Minato Logistics K.K.",
    "Aozora Medical Co., Ltd."};
constexpr std::array<std::string_view, 6> k_jp_slug{
    "sakura-shoji", "yamato-seiki", "fuji-os",
    "hokuto-denki", "minato-logi",  "aozora-med"};

constexpr std::array<std::string_view, 16> k_streets{
    "Commerce St",  "Main St",      "Congress Ave",  "Lamar Blvd",
    "Burnet Rd",    "Oak Lawn Ave", "Westheimer Rd", "Elm St",
    "Preston Rd",   "Guadalupe St", "Broadway",      "Industrial Blvd",
    "Airport Blvd", "Market St",    "Research Blvd", "Ross Ave"};

struct City {
  std::string_view name, state, zip3;
};
constexpr std::array<City, 10> k_cities{{{"Austin", "TX", "787"},
                                         {"Dallas", "TX", "752"},
                                         {"Houston", "TX", "770"},
                                         {"San Antonio", "TX", "782"},
                                         {"Fort Worth", "TX", "761"},
                                         {"Oklahoma City", "OK", "731"},
                                         {"Tulsa", "OK", "741"},
                                         {"Albuquerque", "NM", "871"},
                                         {"Shreveport", "LA", "711"},
                                         {"Little Rock", "AR", "722"}}};

constexpr std::array<std::string_view, 5> k_mailboxes{
    "ap", "accounts.payable", "billing", "finance", "invoices"};

struct TermsChoice {
  std::string_view text;
  int weight; // per mille of customers
};
// Most customers are on the default net 30; 14% are offered an early
// payment discount, which is how some 5% of invoices end up discounted.
constexpr std::array<TermsChoice, 8> k_terms{{{"net 30", 500},
                                              {"net 15", 100},
                                              {"net 45", 50},
                                              {"net 60", 80},
                                              {"2/10 net 30", 120},
                                              {"1.5/10 net 30", 20},
                                              {"net 30 eom", 80},
                                              {"due on receipt", 50}}};

struct CustomerInfo {
  Currency currency;
  Region region = Region::us;
  Terms terms;
  std::string terms_text; // canonical, as written on invoices
  std::string short_name; // what the customer's bank puts in references
  bool tax_exempt = false;
};

// ---------------------------------------------------------------------------
// Plans: how an invoice (or a batch of one customer's invoices) is settled.

enum class Step : std::uint8_t {
  pay,          // a payment of `amount`, `applied` of it to member 0
  pay_batch,    // one payment for all members, each paid in full
  pay_discount, // payment of `amount` plus a discount of `applied`
  credit,       // credit memo of `amount`, `applied` of it to member 0
  refund,       // refund `amount` of the last payment (or credit memo)
  reverse,      // unapply the last payment and reverse it
  writeoff,     // write off `amount`
  void_,        // void member 0
  dispute,      // dispute member 0, `amount` of it (0: all)
  resolve,      // resolve the dispute
  hold,         // put the customer on credit hold
  release,      // release the hold this plan placed
};

enum class PayStyle : std::uint8_t { normal, partial, overpaid, replacement };

struct Action {
  Day day = 0;
  Step step = Step::pay;
  PayStyle style = PayStyle::normal;
  bool from_credit = false; // refund: of the credit memo, not the payment
  std::int64_t amount = 0;
  std::int64_t applied = 0;
};

struct Member {
  std::uint64_t invoice = 0; // sequence number: INV-{invoice:07}
  Day day = 0;
  std::int64_t total = 0;
};

struct Plan {
  static constexpr std::size_t k_max_members = 5;
  static constexpr std::size_t k_max_actions = 6;

  std::uint32_t customer = 0;
  std::array<Member, k_max_members> members{};
  std::uint8_t member_count = 0;
  std::array<Action, k_max_actions> actions{};
  std::uint8_t action_count = 0;
  std::uint8_t next = 0;
  bool reversed = false;    // a batch payment was reversed once already
  bool hold_placed = false; // this plan's hold step put the customer on hold
  std::uint64_t last_payment = 0;
  std::int64_t last_payment_amount = 0;
  std::string_view last_method; // how the last payment was made
  std::uint64_t credit_memo = 0;

  void add(Day day, Step step, std::int64_t amount = 0,
           std::int64_t applied = 0, PayStyle style = PayStyle::normal) {
    // Steps happen in order: none is dated before the one it follows.
    if (action_count > 0)
      day = std::max(day, actions[action_count - 1].day);
    actions[action_count++] = {day, step, style, false, amount, applied};
  }
};

struct Pending {
  Day day;
  std::uint64_t seq;
  std::uint32_t plan;
  friend bool operator>(const Pending& a, const Pending& b) {
    return a.day != b.day ? a.day > b.day : a.seq > b.seq;
  }
};

// ---------------------------------------------------------------------------

struct Options {
  std::int64_t customers = 0; // 0: max(8, invoices / 50)
  std::int64_t invoices = 0;
  std::uint64_t seed = 1;
  std::string out;
  std::string start = "2021-01-01";
  std::string end = "2026-10-31";
};

std::string invoice_id(std::uint64_t n) { return fmt::format("INV-{:07}", n); }
std::string payment_id(std::uint64_t n) { return fmt::format("PAY-{:07}", n); }
std::string credit_id(std::uint64_t n) { return fmt::format("CM-{:07}", n); }

class Generator {
public:
  Generator(const Options& o, Day start, Day end, const fs::path& dir)
      : m_rng(o.seed), m_start(start), m_end(end),
        m_customer_count(static_cast<std::uint64_t>(o.customers)),
        m_invoice_count(static_cast<std::uint64_t>(o.invoices)),
        m_dates(start, end + 400), m_customers_csv(dir / "customers.csv"),
        m_invoices(dir / "invoices.csv"), m_lines(dir / "invoice-lines.csv"),
        m_payments(dir / "payments.csv"),
        m_allocations(dir / "allocations.csv"),
        m_adjustments(dir / "adjustments.csv"), m_events(dir / "events.csv"),
        m_notices(dir / "notices.csv") {}

  void run() {
    using arctl::header_line;
    using arctl::Table;
    m_customers_csv.text(header_line(Table::customers));
    m_invoices.text(header_line(Table::invoices));
    m_lines.text(header_line(Table::invoice_lines));
    m_payments.text(header_line(Table::payments));
    m_allocations.text(header_line(Table::allocations));
    m_adjustments.text(header_line(Table::adjustments));
    m_events.text(header_line(Table::events));
    m_notices.text(header_line(Table::notices));

    for (std::uint64_t c = 0; c < m_customer_count; ++c)
      make_customer(c);
    m_batch_of.assign(m_customers.size(), 0);
    m_on_hold.assign(m_customers.size(), false);

    // Invoices are issued on weekdays, spread evenly over the period.
    std::vector<Day> weekdays;
    for (Day d = m_start; d <= m_end; ++d)
      if (!is_weekend(d))
        weekdays.push_back(d);
    if (weekdays.empty())
      for (Day d = m_start; d <= m_end; ++d)
        weekdays.push_back(d);

    for (std::uint64_t i = 0; i < m_invoice_count; ++i) {
      const auto slot = static_cast<std::size_t>(
          (static_cast<unsigned __int128>(i) * weekdays.size()) /
          m_invoice_count);
      const Day day = weekdays[slot];
      run_until(day);
      make_invoice(i + 1, day);
    }
    run_until(m_end + 1);

    m_customers_csv.close();
    m_invoices.close();
    m_lines.close();
    m_payments.close();
    m_allocations.close();
    m_adjustments.close();
    m_events.close();
    m_notices.close();
  }

  std::string summary() const {
    return fmt::format(
        "{} customers, {} invoices ({} lines), {} payments, {} allocations, "
        "{} adjustments, {} events",
        m_customers_csv.rows(), m_invoices.rows(), m_lines.rows(),
        m_payments.rows(), m_allocations.rows(), m_adjustments.rows(),
        m_events.rows());
  }

private:
  // ---- customers ------------------------------------------------------------

  void make_customer(std::uint64_t index) {
    CustomerInfo info;
    // The first few customers cover every currency and terms, so that even
    // the smallest books exercise them; the rest are drawn.
    if (index == 2)
      info.region = Region::eu;
    else if (index == 5)
      info.region = Region::jp;
    else if (index >= 8) {
      const auto roll = m_rng.below(1000);
      info.region = roll < 40   ? Region::eu
                    : roll < 50 ? Region::jp
                                : Region::us;
    }
    info.currency = *arctl::find_currency(info.region == Region::eu   ? "EUR"
                                          : info.region == Region::jp ? "JPY"
                                                                      : "USD");

    std::string_view terms_text;
    constexpr std::array<std::string_view, 8> k_first_terms{
        "net 30",     "2/10 net 30",    "net 15",        "net 60",
        "net 30 eom", "due on receipt", "1.5/10 net 30", "net 45"};
    if (index < k_first_terms.size()) {
      terms_text = k_first_terms[index];
    } else {
      std::array<int, k_terms.size()> weights{};
      for (std::size_t i = 0; i < k_terms.size(); ++i)
        weights[i] = k_terms[i].weight;
      terms_text = k_terms[m_rng.weighted(weights)].text;
    }
    info.terms = *arctl::parse_terms(terms_text);
    info.terms_text = info.terms.to_string();

    std::string name, slug;
    switch (info.region) {
    case Region::us: {
      const auto first = m_rng.below(k_us_first.size());
      const auto& trade = m_rng.pick(k_us_trade);
      const auto& suffix = m_rng.pick(k_us_suffix);
      name = fmt::format("{} {}", k_us_first[first], trade);
      if (!suffix.empty() && !trade.ends_with('.'))
        name += suffix.front() == ',' ? std::string(suffix)
                                      : fmt::format(" {}", suffix);
      for (const char ch : k_us_first[first])
        if (ch != ' ')
          slug +=
              static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
      for (const char ch : trade) {
        if (ch == ' ')
          break;
        slug += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
      }
      info.short_name = std::string(k_us_first[first]);
      break;
    }
    case Region::eu: {
      const auto first = m_rng.below(k_eu_first.size());
      name = fmt::format("{} {}", k_eu_first[first], m_rng.pick(k_eu_trade));
      slug = std::string(k_eu_slug[first]);
      info.short_name = std::string(k_eu_slug[first]);
      break;
    }
    case Region::jp: {
      const auto which = m_rng.below(k_jp_name.size());
      name = std::string(k_jp_name[which]);
      slug = std::string(k_jp_slug[which]);
      info.short_name = std::string(k_jp_slug[which]);
      break;
    }
    }
    for (auto& ch : info.short_name)
      if (ch >= 'a' && ch <= 'z')
        ch = static_cast<char>(ch - 'a' + 'A');
      else if (ch == ' ' || ch == '-')
        ch = ' ';

    const std::string id = fmt::format("C{:06}", index + 1);
    std::string email;
    if (!m_rng.per_mille(80))
      email = fmt::format("{}@{}-{}.example", m_rng.pick(k_mailboxes), slug,
                          index + 1);

    // About one in ten US customers buys for resale and pays no sales tax.
    info.tax_exempt = info.region == Region::us && m_rng.per_mille(100);

    // Function arguments are evaluated in an unspecified order, so draws
    // that go into one call are made one statement at a time.
    std::string tax_id;
    if (info.region == Region::us && m_rng.per_mille(700)) {
      const auto prefix = m_rng.range(10, 99);
      tax_id = fmt::format("{:02}-{:07}", prefix, m_rng.range(0, 9999999));
    } else if (info.region == Region::eu)
      tax_id = fmt::format("DE{:09}", m_rng.range(100000000, 999999999));
    else if (info.region == Region::jp)
      tax_id =
          fmt::format("T{:013}", m_rng.range(1000000000000, 9999999999999));

    std::string address;
    switch (info.region) {
    case Region::us: {
      const auto& city = m_rng.pick(k_cities);
      const auto number = m_rng.range(100, 19999);
      const auto& street = m_rng.pick(k_streets);
      const auto zip = m_rng.range(1, 99);
      std::string suite;
      if (m_rng.per_mille(300))
        suite = fmt::format("Suite {}, ", m_rng.range(100, 1999));
      // Some addresses are written over several lines.
      if (m_rng.per_mille(100))
        address = fmt::format("Attn: Accounts Payable\n{}{} {}\n{}, {} {}{:02}",
                              suite, number, street, city.name, city.state,
                              city.zip3, zip);
      else
        address = fmt::format("{} {}, {}{}, {} {}{:02}", number, street, suite,
                              city.name, city.state, city.zip3, zip);
      break;
    }
    case Region::eu: {
      const auto number = m_rng.range(1, 200);
      address = fmt::format("Industriestraße {}, {} Stuttgart, Germany", number,
                            m_rng.range(70173, 70629));
      break;
    }
    case Region::jp: {
      const auto block = m_rng.range(1, 3);
      const auto lot = m_rng.range(1, 12);
      address = fmt::format("{}-{}-{} Marunouchi, Chiyoda-ku\nTokyo "
                            "100-0005, Japan",
                            block, lot, m_rng.range(1, 30));
      break;
    }
    }

    // Credit limits grow with the customer's size; the big ones come first
    // (see pick_customer). One in ten has no limit.
    std::string limit;
    if (!m_rng.per_mille(100)) {
      constexpr std::array<std::int64_t, 8> k_limits{
          2500, 5000, 10000, 15000, 25000, 50000, 100000, 250000};
      std::size_t step = m_rng.below(5);
      if (index * 100 < m_customer_count)
        step += 3;
      std::int64_t units = k_limits[step];
      if (info.region == Region::jp)
        units *= 150;
      limit = arctl::format_minor_units(units * pow10(info.currency.exponent),
                                        info.currency.exponent);
    }

    // Currency and terms are left empty for some customers on the
    // company's defaults, as people do.
    std::string_view currency_cell = info.currency.name();
    if (info.region == Region::us && m_rng.per_mille(150))
      currency_cell = {};
    std::string_view terms_cell = info.terms_text;
    if (info.terms_text == "net 30" && m_rng.per_mille(200))
      terms_cell = {};
    const auto dunning_roll = m_rng.below(1000);
    const std::string_view dunning = dunning_roll < 30    ? "no"
                                     : dunning_roll < 600 ? ""
                                                          : "yes";

    m_customers_csv.row({id, name, email, currency_cell, terms_cell, limit,
                         tax_id, address, dunning});
    m_customers.push_back(std::move(info));
  }

  // Invoices go mostly to a few big customers: 60% are drawn with density
  // falling as 1/sqrt(rank), the rest uniformly.
  std::uint32_t pick_customer() {
    const auto n = static_cast<std::uint64_t>(m_customers.size());
    if (m_rng.per_mille(600)) {
      const std::uint64_t u = m_rng.next() >> 32;
      const std::uint64_t skewed = (u * u) >> 32; // in [0, 2^32)
      return static_cast<std::uint32_t>((skewed * n) >> 32);
    }
    return static_cast<std::uint32_t>(m_rng.below(n));
  }

  static std::int64_t pow10(int n) {
    std::int64_t p = 1;
    for (int i = 0; i < n; ++i)
      p *= 10;
    return p;
  }

  std::string money(std::int64_t minor, Currency c) const {
    return arctl::format_minor_units(minor, c.exponent);
  }

  // ---- invoices -------------------------------------------------------------

  // A unit price in the customer's currency: the list price give or take
  // 10%, in cents (or 4 decimals for small parts), converted at fixed rates
  // for EUR (0.92) and JPY (150, whole yen; 2 decimals for small parts).
  Decimal unit_price(const Item& item, const CustomerInfo& c) {
    std::int64_t p4 = item.price * m_rng.range(90, 110) / 100;
    if (!item.fine_price)
      p4 = (p4 + 50) / 100 * 100;
    switch (c.region) {
    case Region::us:
      break;
    case Region::eu:
      p4 = p4 * 92 / 100;
      if (!item.fine_price)
        p4 = (p4 + 50) / 100 * 100;
      break;
    case Region::jp: {
      const std::int64_t yen4 = p4 * 150;
      if (item.fine_price)
        return Decimal{(yen4 + 50) / 100, 2}.normalized();
      return Decimal{(yen4 + 5000) / 10000, 0};
    }
    }
    if (p4 == 0)
      p4 = 1;
    return Decimal{p4, 4}.normalized();
  }

  Decimal quantity(const Item& item) {
    switch (item.qty) {
    case Qty::units:
      return {m_rng.per_mille(800) ? m_rng.range(1, 4) : m_rng.range(5, 12), 0};
    case Qty::bulk:
      return {m_rng.range(2, 100) * 50, 0};
    case Qty::feet:
      return {m_rng.range(1, 40) * 25, 0};
    case Qty::hours:
      return Decimal{m_rng.range(1, 32) * 25, 2}.normalized();
    case Qty::seats:
      return {m_rng.range(5, 80), 0};
    case Qty::once:
      break;
    }
    return {1, 0};
  }

  // Prices are written with at least the currency's decimals ("65.00").
  std::string price_text(Decimal price, Currency c) const {
    const int scale = std::max(price.scale, static_cast<int>(c.exponent));
    return arctl::format_minor_units(price.units * pow10(scale - price.scale),
                                     scale);
  }

  void make_invoice(std::uint64_t number, Day day) {
    // A customer on credit hold gets no new invoices (orders are held), so
    // the invoice goes to another one.
    std::uint32_t cust = pick_customer();
    for (int tries = 0; m_on_hold[cust] && tries < 16; ++tries)
      cust = pick_customer();
    const CustomerInfo& c = m_customers[cust];
    const Currency cur = c.currency;
    const std::string id = invoice_id(number);

    constexpr std::array<int, 5> k_line_weights{250, 300, 200, 150, 100};
    const std::size_t line_count = m_rng.weighted(k_line_weights) + 1;
    std::int64_t amounts = 0, tax = 0, exclusive_tax = 0;
    for (std::size_t line = 1; line <= line_count; ++line) {
      const Item& item = m_rng.pick(k_items);
      const Decimal qty = quantity(item);
      const Decimal price = unit_price(item, c);
      const Money extended = *arctl::extend(qty, price, cur, k_rounding);
      std::int64_t discount = 0;
      if (m_rng.per_mille(80)) {
        constexpr std::array<std::int64_t, 4> k_discounts{5, 10, 15, 20};
        discount =
            arctl::percent_of(extended, Decimal{m_rng.pick(k_discounts), 0},
                              k_rounding)
                ->minor();
        if (discount >= extended.minor())
          discount = 0;
      }
      const Money amount{extended.minor() - discount, cur};

      std::string_view code;
      std::int64_t line_tax = 0;
      bool inclusive = false;
      if (c.region == Region::jp) {
        code = "JCT10";
        inclusive = true;
        line_tax = arctl::included_tax(amount, k_rate_jct, k_rounding)->minor();
      } else if (c.region == Region::us && item.goods && !c.tax_exempt) {
        code = "ST";
        line_tax = arctl::percent_of(amount, k_rate_st, k_rounding)->minor();
      } else if (c.region == Region::us &&
                 (c.tax_exempt ? m_rng.per_mille(700) : m_rng.per_mille(200))) {
        code = "EX";
        line_tax = arctl::percent_of(amount, k_rate_zero, k_rounding)->minor();
      }
      amounts += amount.minor();
      tax += line_tax;
      if (!inclusive)
        exclusive_tax += line_tax;

      m_lines.row({id, fmt::format("{}", line), item.code, item.description,
                   qty.to_string(), price_text(price, cur),
                   discount ? money(discount, cur) : std::string(), code,
                   money(amount.minor(), cur),
                   code.empty() ? std::string() : money(line_tax, cur),
                   std::string()});
    }
    const std::int64_t total = amounts + exclusive_tax;
    const Day due = to_day(c.terms.due_date(to_date(day)));

    std::string po, memo;
    if (m_rng.per_mille(450))
      po = m_rng.per_mille(700)
               ? fmt::format("PO-{}", m_rng.range(10000, 999999))
               : fmt::format("{}-{}", c.short_name.substr(0, 3),
                             m_rng.range(1000, 9999));
    const auto memo_roll = m_rng.below(1000);
    if (memo_roll < 150) {
      const Date d = to_date(day);
      memo =
          fmt::format("Service period {:04}-{:02}", static_cast<int>(d.year()),
                      static_cast<unsigned>(d.month()));
    } else if (memo_roll < 200) {
      memo = "Order shipped in two parts, see packing slips";
    } else if (memo_roll < 230 && c.region == Region::eu) {
      memo = "Reverse charge: VAT to be accounted for by the recipient";
    }

    m_invoices.row({id, fmt::format("C{:06}", cust + 1), m_dates(day),
                    m_dates(due), cur.name(), c.terms_text,
                    money(total - tax, cur), money(tax, cur), money(total, cur),
                    po, memo});

    plan_invoice({number, day, total}, cust, due);
  }

  // ---- plans ----------------------------------------------------------------

  // When a payment made "on time" arrives: in the last 20 days before the
  // due date, at the earliest on the invoice date; within a week for
  // invoices due on receipt.
  Day on_time(Day day, Day due) {
    if (due <= day)
      return business_day(day + m_rng.days(0, 7));
    const int window = std::min(due - day, 20);
    return business_day(due - m_rng.days(0, window));
  }

  // Late payers: mostly days late, some weeks, a few months.
  Day late(Day due) {
    const auto roll = m_rng.below(100);
    const int days = roll < 60   ? m_rng.days(1, 15)
                     : roll < 85 ? m_rng.days(16, 45)
                                 : m_rng.days(46, 120);
    return business_day(due + days);
  }

  // A round part of `total`: `percent` of it, in whole currency units.
  std::int64_t part_of(std::int64_t total, int percent, Currency c) {
    const std::int64_t unit = pow10(c.exponent);
    std::int64_t part = total * percent / 100 / unit * unit;
    if (part <= 0 || part >= total)
      part = total * percent / 100;
    return part;
  }

  std::uint32_t new_plan(std::uint32_t customer, const Member& m) {
    std::uint32_t index;
    if (!m_free_plans.empty()) {
      index = m_free_plans.back();
      m_free_plans.pop_back();
      m_plans[index] = Plan{};
    } else {
      index = static_cast<std::uint32_t>(m_plans.size());
      m_plans.emplace_back();
    }
    Plan& p = m_plans[index];
    p.customer = customer;
    p.members[0] = m;
    p.member_count = 1;
    return index;
  }

  // Queues the plan's next step, or lets the plan go when there is none
  // left on or before --end.
  void schedule(std::uint32_t index) {
    Plan& p = m_plans[index];
    if (p.next < p.action_count && p.actions[p.next].day <= m_end) {
      m_queue.push({p.actions[p.next].day, m_seq++, index});
      return;
    }
    if (m_batch_of[p.customer] == index + 1)
      m_batch_of[p.customer] = 0;
    m_free_plans.push_back(index);
  }

  void plan_invoice(const Member& m, std::uint32_t cust, Day due) {
    const CustomerInfo& c = m_customers[cust];
    const Currency cur = c.currency;
    const std::int64_t unit = pow10(cur.exponent);
    const bool recent = m_end - m.day < 365;

    const auto roll = static_cast<int>(m_rng.below(1000));
    int edge = 0;
    const auto within = [&](int share) {
      edge += share;
      return roll < edge;
    };

    if (within(5)) { // void: issued in error
      const auto i = new_plan(cust, m);
      m_plans[i].add(m.day + m_rng.days(1, 20), Step::void_, m.total);
      return schedule(i);
    }
    if (within(10)) { // written off, maybe after a part payment
      const auto i = new_plan(cust, m);
      std::int64_t open = m.total;
      if (m_rng.per_mille(500) && m.total > 2 * unit) {
        const std::int64_t paid =
            part_of(m.total, static_cast<int>(m_rng.range(30, 90)), cur);
        m_plans[i].add(late(due), Step::pay, paid, paid, PayStyle::partial);
        open -= paid;
      }
      const bool hold = m_rng.per_mille(100);
      if (hold)
        m_plans[i].add(due + m_rng.days(30, 75), Step::hold);
      const Day written_off = due + m_rng.days(90, 365);
      m_plans[i].add(written_off, Step::writeoff, open);
      if (hold)
        m_plans[i].add(written_off + m_rng.days(30, 180), Step::release);
      return schedule(i);
    }
    if (within(10)) { // credit memo: goods returned, price corrected
      const auto i = new_plan(cust, m);
      Plan& p = m_plans[i];
      const Day when = m.day + m_rng.days(3, 45);
      if (m_rng.per_mille(300)) {
        p.add(when, Step::credit, m.total, m.total);
      } else {
        std::int64_t credit =
            std::max<std::int64_t>(1, m.total * m_rng.range(5, 50) / 100);
        std::int64_t applied = credit;
        // Some credit memos are larger than what is left to apply here; the
        // rest stays on account, and is sometimes refunded.
        if (m_rng.per_mille(250))
          applied =
              std::max<std::int64_t>(1, credit * m_rng.range(50, 90) / 100);
        p.add(when, Step::credit, credit, applied);
        p.add(std::max(when, on_time(m.day, due)), Step::pay, m.total - applied,
              m.total - applied);
        if (applied < credit && m_rng.per_mille(300)) {
          p.add(when + m_rng.days(20, 90), Step::refund, credit - applied);
          p.actions[p.action_count - 1].from_credit = true;
        }
      }
      return schedule(i);
    }
    if (within(10)) { // disputed
      const auto i = new_plan(cust, m);
      Plan& p = m_plans[i];
      std::int64_t disputed = 0;
      if (m_rng.per_mille(500))
        disputed = std::max<std::int64_t>(
            1, part_of(m.total, static_cast<int>(m_rng.range(10, 60)), cur));
      const Day opened = m.day + m_rng.days(5, std::max(6, due - m.day + 20));
      p.add(opened, Step::dispute, disputed);
      if (m_rng.per_mille(650)) {
        const Day resolved = opened + m_rng.days(7, 60);
        p.add(resolved, Step::resolve);
        if (m_rng.per_mille(400)) {
          // Settled with a credit for the disputed part.
          const std::int64_t credit =
              disputed ? disputed
                       : std::max<std::int64_t>(
                             1, m.total * m_rng.range(10, 30) / 100);
          p.add(resolved, Step::credit, credit, credit);
          if (credit < m.total)
            p.add(business_day(resolved + m_rng.days(3, 30)), Step::pay,
                  m.total - credit, m.total - credit);
        } else {
          p.add(business_day(resolved + m_rng.days(3, 30)), Step::pay, m.total,
                m.total);
        }
      }
      return schedule(i);
    }
    if (within(100)) { // short paid: one or two partial payments
      if (m.total < 2 * unit)
        return plan_full(m, cust, due);
      const auto i = new_plan(cust, m);
      Plan& p = m_plans[i];
      const std::int64_t first =
          part_of(m.total, static_cast<int>(m_rng.range(20, 90)), cur);
      const Day first_day =
          m_rng.per_mille(600) ? on_time(m.day, due) : late(due);
      p.add(first_day, Step::pay, first, first, PayStyle::partial);
      const std::int64_t rest = m.total - first;
      const auto then = m_rng.below(100);
      const Day second_day = business_day(first_day + m_rng.days(15, 75));
      if (then < 30)
        p.add(second_day, Step::pay, rest, rest);
      else if (then < 60 && rest > 1)
        p.add(second_day, Step::pay, rest / 2, rest / 2, PayStyle::partial);
      return schedule(i);
    }
    // Still open: more likely for the last year's invoices. Some old ones
    // put the customer on credit hold for a few weeks or months.
    if (within(recent ? 150 : 45)) {
      if (!recent && m_rng.per_mille(40)) {
        const auto i = new_plan(cust, m);
        const Day held = due + m_rng.days(30, 90);
        m_plans[i].add(held, Step::hold);
        m_plans[i].add(held + m_rng.days(14, 120), Step::release);
        schedule(i);
      }
      return;
    }
    if (c.terms.discount_percent && m_rng.per_mille(400)) {
      const Money discount = *arctl::percent_of(
          Money{m.total, cur}, *c.terms.discount_percent, k_rounding);
      if (discount.minor() > 0) {
        const auto i = new_plan(cust, m);
        const Day paid = m.day + m_rng.days(0, c.terms.discount_days);
        m_plans[i].add(paid, Step::pay_discount, m.total - discount.minor(),
                       discount.minor());
        return schedule(i);
      }
    }
    plan_full(m, cust, due);
  }

  // Paid in full: on time or late, alone or with other invoices of the same
  // customer; now and then overpaid or paid with a payment that bounces.
  void plan_full(const Member& m, std::uint32_t cust, Day due) {
    const Currency cur = m_customers[cust].currency;
    const Day paid = m_rng.per_mille(220) ? late(due) : on_time(m.day, due);
    const auto roll = m_rng.below(1000);
    if (roll < 20) { // overpaid: rounded up, or paid twice over by mistake
      const std::int64_t hundred = 100 * pow10(cur.exponent);
      std::int64_t amount = (m.total / hundred + 1) * hundred;
      if (m_rng.per_mille(300))
        amount = m.total + m.total / 2 + 1;
      const auto i = new_plan(cust, m);
      m_plans[i].add(paid, Step::pay, amount, m.total, PayStyle::overpaid);
      if (m_rng.per_mille(300))
        m_plans[i].add(paid + m_rng.days(10, 60), Step::refund,
                       amount - m.total);
      return schedule(i);
    }
    if (roll < 24) { // the payment bounces and is replaced, mostly
      const auto i = new_plan(cust, m);
      Plan& p = m_plans[i];
      p.add(paid, Step::pay, m.total, m.total);
      const Day returned = business_day(paid + m_rng.days(3, 10));
      p.add(returned, Step::reverse);
      if (m_rng.per_mille(700))
        p.add(business_day(returned + m_rng.days(3, 20)), Step::pay, m.total,
              m.total, PayStyle::replacement);
      return schedule(i);
    }
    if (roll < 300) { // one payment for several invoices
      const std::uint32_t open = m_batch_of[cust];
      if (open != 0) {
        Plan& b = m_plans[open - 1];
        if (b.member_count < Plan::k_max_members &&
            b.actions[0].day - m.day >= 5) {
          b.members[b.member_count++] = m;
          return;
        }
      }
      if (paid > m_end)
        return; // not paid by the end of the books: stays open
      const auto i = new_plan(cust, m);
      m_plans[i].add(paid, Step::pay_batch);
      m_batch_of[cust] = i + 1;
      return schedule(i);
    }
    const auto i = new_plan(cust, m);
    m_plans[i].add(paid, Step::pay, m.total, m.total);
    schedule(i);
  }

  // ---- carrying out the steps ---------------------------------------------

  void run_until(Day day) {
    while (!m_queue.empty() && m_queue.top().day < day) {
      const Pending next = m_queue.top();
      m_queue.pop();
      carry_out(next.plan);
      schedule(next.plan);
    }
  }

  std::string bank_tx(Day day, std::string_view method) {
    if (method == "cash" || m_rng.per_mille(40))
      return {};
    // Unique by construction: the day and a running number.
    const std::string_view d = m_dates(day);
    return fmt::format("BTX{}{}{}{:08}", d.substr(0, 4), d.substr(5, 2),
                       d.substr(8, 2), ++m_bank_seq);
  }

  std::string_view method(const CustomerInfo& c, std::int64_t amount) {
    if (c.region != Region::us)
      return m_rng.per_mille(850)   ? "wire"
             : m_rng.per_mille(700) ? "card"
                                    : "other";
    // Large amounts come by wire more often.
    constexpr std::array<int, 6> k_weights{350, 140, 400, 80, 10, 20};
    constexpr std::array<std::string_view, 6> k_methods{
        "check", "card", "ach", "wire", "cash", "other"};
    if (amount > 2000000 && m_rng.per_mille(300))
      return "wire";
    return k_methods[m_rng.weighted(k_weights)];
  }

  // Remittance text as banks pass it on: invoice numbers often, sometimes
  // in words, sometimes only a check number or nothing.
  std::string reference(const Plan& p, std::string_view how, PayStyle style) {
    const CustomerInfo& c = m_customers[p.customer];
    std::string ids, numbers;
    for (std::size_t k = 0; k < p.member_count; ++k) {
      if (k > 0) {
        ids += ' ';
        numbers += ", ";
      }
      ids += invoice_id(p.members[k].invoice);
      numbers += fmt::format("{}", p.members[k].invoice);
    }
    if (style == PayStyle::replacement)
      return fmt::format("Replaces returned payment, {}", ids);
    const auto roll = m_rng.below(100);
    if (roll < 35)
      return ids;
    if (roll < 50)
      return fmt::format("{} {}", c.short_name, ids);
    if (roll < 65)
      return fmt::format("{} {}", p.member_count > 1 ? "Invoices" : "Invoice",
                         numbers);
    if (roll < 80) {
      if (how == "check")
        return fmt::format("Check {}", m_rng.range(1001, 99999));
      if (how == "card")
        return fmt::format("Card ending {:04}", m_rng.range(0, 9999));
      if (how == "ach")
        return fmt::format("ACH CREDIT {}", c.short_name);
      if (how == "wire")
        return fmt::format("WIRE {} REF {}", c.short_name,
                           m_rng.range(100000, 999999));
    }
    return {};
  }

  std::uint64_t payment(Plan& p, Day day, std::int64_t amount, PayStyle style,
                        std::string_view fixed_reference = {}) {
    const CustomerInfo& c = m_customers[p.customer];
    const std::uint64_t number = ++m_payment_seq;
    const std::string_view how = method(c, amount);
    std::string ref = fixed_reference.empty() ? reference(p, how, style)
                                              : std::string(fixed_reference);
    std::string_view memo;
    if (style == PayStyle::overpaid && m_rng.per_mille(500))
      memo = "More than invoiced; rest left on account";
    else if (style == PayStyle::partial && m_rng.per_mille(300))
      memo = "Short paid";
    m_payments.row({payment_id(number), m_dates(day),
                    fmt::format("C{:06}", p.customer + 1),
                    money(amount, c.currency), c.currency.name(), how, ref,
                    bank_tx(day, how), memo});
    p.last_payment = number;
    p.last_payment_amount = amount;
    p.last_method = how;
    return number;
  }

  void allocation(Day day, std::string_view source, std::uint64_t invoice,
                  std::int64_t amount, Currency cur,
                  std::string_view memo = {}) {
    if (amount == 0)
      return;
    m_allocations.row(
        {m_dates(day), source, invoice_id(invoice), money(amount, cur), memo});
  }

  std::string next_adjustment_id() {
    return fmt::format("ADJ-{:07}", ++m_adjustment_seq);
  }

  void adjustment(std::string_view id, Day day, std::string_view kind,
                  const Plan& p, std::string_view invoice,
                  std::string_view source, std::int64_t amount,
                  std::string_view reason) {
    const Currency cur = m_customers[p.customer].currency;
    m_adjustments.row({id, m_dates(day), kind,
                       fmt::format("C{:06}", p.customer + 1), invoice, source,
                       amount ? money(amount, cur) : std::string(), cur.name(),
                       reason, ""});
  }

  void event(Day day, std::string_view kind, const Plan& p,
             std::string_view invoice, std::string_view amount,
             std::string_view reason) {
    m_events.row({m_dates(day), kind, fmt::format("C{:06}", p.customer + 1),
                  invoice, amount, reason});
  }

  void carry_out(std::uint32_t index) {
    Plan& p = m_plans[index];
    const Action a = p.actions[p.next++];
    const CustomerInfo& c = m_customers[p.customer];
    const Currency cur = c.currency;
    const Member& m = p.members[0];
    switch (a.step) {
    case Step::pay: {
      if (a.amount <= 0)
        break;
      const auto number = payment(p, a.day, a.amount, a.style);
      allocation(a.day, payment_id(number), m.invoice, a.applied, cur);
      break;
    }
    case Step::pay_batch: {
      if (m_batch_of[p.customer] == index + 1)
        m_batch_of[p.customer] = 0; // closed: later invoices start a new one
      std::int64_t amount = 0;
      for (std::size_t k = 0; k < p.member_count; ++k)
        amount += p.members[k].total;
      const auto number = payment(p, a.day, amount, a.style);
      const auto id = payment_id(number);
      for (std::size_t k = 0; k < p.member_count; ++k)
        allocation(a.day, id, p.members[k].invoice, p.members[k].total, cur);
      // Now and then the payment bounces; the customer pays again.
      if (!p.reversed && p.member_count > 1 && m_rng.per_mille(10) &&
          p.action_count + 2u <= Plan::k_max_actions) {
        p.reversed = true;
        const Day returned = business_day(a.day + m_rng.days(3, 10));
        p.add(returned, Step::reverse);
        p.add(business_day(returned + m_rng.days(3, 20)), Step::pay_batch, 0, 0,
              PayStyle::replacement);
      }
      break;
    }
    case Step::pay_discount: {
      const auto number =
          payment(p, a.day, a.amount, a.style,
                  fmt::format("{} less {}%", invoice_id(m.invoice),
                              c.terms.discount_percent->to_string()));
      const auto id = payment_id(number);
      adjustment(next_adjustment_id(), a.day, "discount", p,
                 invoice_id(m.invoice), id, a.applied,
                 fmt::format("{}% early-payment discount taken ({})",
                             c.terms.discount_percent->to_string(),
                             c.terms_text));
      allocation(a.day, id, m.invoice, a.amount, cur);
      break;
    }
    case Step::credit: {
      p.credit_memo = ++m_credit_seq;
      const auto id = credit_id(p.credit_memo);
      constexpr std::array<std::string_view, 5> k_reasons{
          "Goods returned unused (RMA)", "Pricing correction: contract rate",
          "Damaged in transit, credit agreed", "Service credit: SLA missed",
          "Billed twice for the same hours"};
      adjustment(id, a.day, "credit", p, invoice_id(m.invoice), {}, a.amount,
                 m_rng.pick(k_reasons));
      allocation(a.day, id, m.invoice, a.applied, cur);
      break;
    }
    case Step::refund: {
      const std::string source =
          a.from_credit ? credit_id(p.credit_memo) : payment_id(p.last_payment);
      if ((a.from_credit ? p.credit_memo : p.last_payment) == 0 ||
          a.amount <= 0)
        break;
      adjustment(next_adjustment_id(), a.day, "refund", p, {}, source, a.amount,
                 a.from_credit ? "Unused credit paid back by check"
                               : "Overpayment refunded at customer's request");
      break;
    }
    case Step::reverse: {
      const auto id = payment_id(p.last_payment);
      const std::string_view why =
          p.last_method == "check"  ? "Check returned: insufficient funds"
          : p.last_method == "card" ? "Card charge-back"
          : p.last_method == "ach"  ? "ACH return R01: insufficient funds"
                                    : "Payment returned by the bank";
      for (std::size_t k = 0; k < p.member_count; ++k)
        allocation(a.day, id, p.members[k].invoice, -p.members[k].total, cur,
                   why);
      // The amount may be left out: a reversal takes what remains.
      adjustment(next_adjustment_id(), a.day, "reversal", p, {}, id,
                 m_rng.per_mille(700) ? p.last_payment_amount : 0, why);
      break;
    }
    case Step::writeoff: {
      if (a.amount <= 0)
        break;
      adjustment(next_adjustment_id(), a.day, "writeoff", p,
                 invoice_id(m.invoice), {}, a.amount,
                 a.amount < m.total ? "Balance uncollectible after collection "
                                      "efforts"
                                    : "Customer out of business");
      break;
    }
    case Step::void_: {
      const std::int64_t amount = m_rng.per_mille(700) ? a.amount : 0;
      adjustment(next_adjustment_id(), a.day, "void", p, invoice_id(m.invoice),
                 {}, amount, // empty: the whole total
                 m_rng.per_mille(500) ? "Issued in error"
                                      : "Duplicate of an earlier invoice");
      break;
    }
    case Step::dispute:
      event(a.day, "dispute", p, invoice_id(m.invoice),
            a.amount ? money(a.amount, cur) : std::string(),
            a.amount ? "Customer disputes part of the quantities billed"
                     : "Customer says goods were not ordered");
      break;
    case Step::resolve:
      event(a.day, "resolve", p, invoice_id(m.invoice), {},
            "Proof of delivery sent; customer agreed");
      break;
    case Step::hold:
      if (!m_on_hold[p.customer]) {
        m_on_hold[p.customer] = true;
        p.hold_placed = true;
        event(a.day, "hold", p, {}, {},
              fmt::format("{} over 30 days past due", invoice_id(m.invoice)));
      }
      break;
    case Step::release:
      if (p.hold_placed && m_on_hold[p.customer]) {
        m_on_hold[p.customer] = false;
        p.hold_placed = false;
        event(a.day, "release", p, {}, {},
              "Payment plan agreed; hold released");
      }
      break;
    }
  }

  Rng m_rng;
  Day m_start, m_end;
  std::uint64_t m_customer_count, m_invoice_count;
  DateTexts m_dates;
  std::vector<CustomerInfo> m_customers;
  std::vector<std::uint32_t> m_batch_of; // customer -> open batch plan + 1
  std::vector<bool> m_on_hold;

  std::vector<Plan> m_plans;
  std::vector<std::uint32_t> m_free_plans;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> m_queue;
  std::uint64_t m_seq = 0;

  std::uint64_t m_payment_seq = 0, m_adjustment_seq = 0, m_credit_seq = 0,
                m_bank_seq = 0;

  CsvFile m_customers_csv, m_invoices, m_lines, m_payments, m_allocations,
      m_adjustments, m_events, m_notices;
};

int exit_with(arctl::ExitCode code, std::string_view message) {
  std::fprintf(stderr, "arctl-gen: error: %.*s\n",
               static_cast<int>(message.size()), message.data());
  return static_cast<int>(code);
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Write the books of a made-up mid-size B2B company, the same "
               "for the same arguments on every machine",
               "arctl-gen"};
  app.add_option("--customers", o.customers,
                 "Number of customers (default: max(8, invoices / 50))")
      ->option_text("N")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{9'999'999}));
  app.add_option("--invoices", o.invoices, "Number of invoices")
      ->option_text("N")
      ->required()
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{99'999'999}));
  app.add_option("--seed", o.seed, "Seed of the random choices (default: 1)")
      ->option_text("S");
  app.add_option("--out", o.out,
                 "Directory to write the books to; refused if it "
                 "holds an arctl.toml")
      ->option_text("DIR")
      ->required();
  app.add_option("--start", o.start, "First invoice date (default: 2021-01-01)")
      ->option_text("YYYY-MM-DD");
  app.add_option("--end", o.end,
                 "Last date of the books: nothing is dated after it (default: "
                 "2026-10-31)")
      ->option_text("YYYY-MM-DD");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(arctl::ExitCode::usage);
  }

  const auto start = arctl::parse_date(o.start);
  if (!start)
    return exit_with(arctl::ExitCode::usage,
                     "--start: " + start.error().message);
  const auto end = arctl::parse_date(o.end);
  if (!end)
    return exit_with(arctl::ExitCode::usage, "--end: " + end.error().message);
  if (*end < *start)
    return exit_with(
        arctl::ExitCode::usage,
        fmt::format("--end {} is before --start {}", o.end, o.start));
  if (o.customers == 0)
    o.customers = std::clamp<std::int64_t>(o.invoices / 50, 8, 9'999'999);

  const fs::path dir = o.out;
  std::error_code ec;
  // The same files as `arctl init` writes, and the same refusal of a
  // directory that holds books already.
  const auto plan = arctl::plan_new_books(dir, std::string(k_config));
  if (!plan)
    return exit_with(plan.error().exit, plan.error().message);
  fs::create_directories(dir, ec);
  if (ec)
    return exit_with(
        arctl::ExitCode::cannot_write,
        fmt::format("cannot create {}: {}", dir.string(), ec.message()));

  try {
    Generator gen(o, to_day(*start), to_day(*end), dir);
    gen.run();
    for (const auto& [name, content] : *plan)
      if (name.starts_with("."))
        write_small_file(dir / name, content);
    // Last, so that a run that failed half-way can simply be repeated.
    write_small_file(dir / "arctl.toml", k_config);
    std::printf("arctl-gen: wrote %s to %s\n", gen.summary().c_str(),
                dir.string().c_str());
  } catch (const WriteError& e) {
    return exit_with(arctl::ExitCode::cannot_write, e.message);
  }
  return 0;
}
