#include "arctl/snapshot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <span>
#include <thread>
#include <type_traits>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace arctl {

namespace {

// Bumped whenever what a snapshot holds changes meaning without changing
// the size of a record.
constexpr std::uint64_t k_format = 4; // 2: arrangements, 3: bank.csv,
                                      // 4: reconciliations.csv and the end
                                      // ledger's open items
constexpr std::array<char, 8> k_magic{'A', 'R', 'C', 'T', 'L', 'S', 'N', 'P'};
constexpr std::uint64_t k_align = 4096;

// ---- what is kept, and how its text is found again -----------------------
// Records are written as they are in memory, except that each view of text
// holds the offset of that text in the snapshot's text instead of an address.

template <class T>
concept Plain = std::is_trivially_copyable_v<T>;

auto views(Customer& c) {
  return std::array{&c.id, &c.name, &c.email, &c.tax_id, &c.address};
}
auto views(Invoice& i) { return std::array{&i.id, &i.terms, &i.po, &i.memo}; }
auto views(Payment& p) {
  return std::array{&p.id, &p.reference, &p.bank_tx, &p.memo};
}
auto views(Allocation& a) { return std::array{&a.memo}; }
auto views(Adjustment& a) {
  return std::array{&a.id, &a.reason, &a.approved_by};
}
auto views(Event& e) { return std::array{&e.reason}; }
auto views(BankTx& b) {
  return std::array{&b.id,          &b.account,   &b.counterparty,
                    &b.counterparty_account,      &b.remittance,
                    &b.end_to_end,  &b.reference, &b.type,
                    &b.bank_tx,     &b.fingerprint, &b.source};
}
auto views(Reconciliation& q) {
  return std::array{&q.payments, &q.rule, &q.reason, &q.evidence};
}
auto views(CustomerState& c) { return std::array{&c.hold_reason}; }

// A notice without its list of invoices, which follows all notices.
struct NoticeRecord {
  std::string_view id;
  Date date;
  std::uint32_t customer = k_none;
  std::string_view level;
  std::uint64_t first = 0, count = 0; // in the list of notices' invoices
  std::int64_t amount = 0, fee = 0, interest = 0;
  Currency currency;
  std::uint32_t line = 0;
};
auto views(NoticeRecord& n) { return std::array{&n.id, &n.level}; }

// An arrangement without its list of invoices, which follows all of them.
struct ArrangementRecord {
  std::string_view id;
  Date date;
  ArrangementKind kind = ArrangementKind::promise;
  std::uint32_t customer = k_none;
  Currency currency;
  std::int64_t amount = 0;
  Date due;
  std::uint32_t installments = 0;
  Interval every;
  std::uint64_t first = 0, count = 0; // in the list of plans' invoices
  std::string_view note;
  std::uint32_t line = 0;
};
auto views(ArrangementRecord& a) { return std::array{&a.id, &a.note}; }

// The id indexes, in the order of their sections: customers, invoices,
// documents, notices, arrangements, bank transactions.
constexpr std::size_t k_indexes = 6;

template <class T>
concept WithText = requires(T& t) { views(t); };

// Different sizes of what is kept mean a different layout.
constexpr std::uint64_t layout_fingerprint() {
  std::uint64_t h = 0xcbf29ce484222325ull ^ k_format;
  for (std::uint64_t n :
       {sizeof(Customer), alignof(Customer), sizeof(Invoice), sizeof(Payment),
        sizeof(Allocation), sizeof(Adjustment), sizeof(Event),
        sizeof(NoticeRecord), sizeof(ArrangementRecord), sizeof(BankTx),
        sizeof(Reconciliation),
        sizeof(InvoiceState), sizeof(SourceState), sizeof(CustomerState),
        sizeof(OpenInvoice), sizeof(OpenCredit),
        sizeof(std::string_view), sizeof(Date),
        sizeof(FileStamp)})
    h = (h ^ n) * 0x100000001b3ull;
  return h;
}

static_assert(Plain<Customer> && Plain<Invoice> && Plain<Payment> &&
              Plain<Allocation> && Plain<Adjustment> && Plain<Event> &&
              Plain<NoticeRecord> && Plain<ArrangementRecord> &&
              Plain<BankTx> && Plain<Reconciliation> && Plain<InvoiceState> &&
              Plain<SourceState> && Plain<CustomerState> &&
              Plain<OpenInvoice> && Plain<OpenCredit>);

enum Section : std::size_t {
  text,
  customers,
  invoices,
  payments,
  allocations,
  adjustments,
  events,
  notices,
  notice_invoices,
  arrangements,
  arrangement_invoices,
  bank_transactions,
  reconciliations,
  ledger_invoices,
  ledger_payments,
  ledger_credits,
  ledger_customers,
  open_invoices,
  open_credits,
  index_tags,                  // the indexes: tags, then slots
  index_slots = index_tags + k_indexes,
  k_sections = index_slots + k_indexes,
};

struct Extent {
  std::uint64_t offset = 0, bytes = 0;
};

struct IndexShape {
  std::uint64_t count = 0, size = 0, outside = 0;
  std::uint64_t shapes[4] = {};
};

struct Header {
  std::array<char, 8> magic{};
  std::uint64_t format = 0, layout = 0;
  FileStamp program;        // the arctl that wrote it
  std::array<char, 40> boot{}; // the system's boot id when it was written
  std::uint64_t base = 0;   // the address it is mapped at
  std::uint64_t bytes = 0;  // of the whole file
  std::uint64_t path_bytes = 0; // the canonical books path, after the header
  std::array<FileStamp, k_stamped_files> files{};
  std::array<Extent, k_sections> sections{};
  std::array<IndexShape, k_indexes> indexes{};
  std::array<std::uint64_t, k_table_count> records{};
  std::uint64_t files_read = 0;
  // The end ledger's date and its latest fact's, and the date from which
  // its open items hold every document, in days since 1970.
  std::int64_t as_of = 0, latest = 0, open_since = 0;
  bool any_fact = false;
};
static_assert(Plain<Header>);

std::int64_t nanoseconds(const struct timespec& t) {
  return std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

FileStamp stamp_of(const char* path) {
  struct stat st{};
  if (::stat(path, &st) != 0)
    return {};
  return {true,
          static_cast<std::uint64_t>(st.st_size),
          static_cast<std::uint64_t>(st.st_ino),
          static_cast<std::uint64_t>(st.st_dev),
          nanoseconds(st.st_mtim),
          nanoseconds(st.st_ctim)};
}

// The running program: a snapshot is read only by the arctl that wrote it.
FileStamp this_program() { return stamp_of("/proc/self/exe"); }

// The id of this boot of the system. A snapshot is not flushed to disk when
// written (that would cost seconds for large books), so one that a crash
// may have left half on disk is one from an earlier boot, never read.
std::array<char, 40> this_boot() {
  std::array<char, 40> id{};
  if (std::FILE* f = std::fopen("/proc/sys/kernel/random/boot_id", "r")) {
    const auto n = std::fread(id.data(), 1, id.size() - 1, f);
    id[n] = '\0';
    std::fclose(f);
  }
  return id;
}

std::uint64_t path_hash(std::string_view path) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const unsigned char c : path)
    h = (h ^ c) * 0x100000001b3ull;
  return h;
}

// The address a snapshot is mapped at, so that the addresses of text it
// holds are right as they are and nothing has to be relocated: one of 4096
// slots of 4 GiB from 64 TiB up, by the books' path, a part of the address
// space that the kernel, the C library and the sanitizers leave alone.
std::uint64_t base_address(std::string_view path) {
  return (std::uint64_t{0x4000} << 32) + ((path_hash(path) & 0xFFF) << 32);
}

std::string canonical_books(const BooksDir& dir) {
  std::error_code ec;
  auto path = std::filesystem::canonical(dir.path, ec);
  return ec ? std::string() : path.string();
}

std::array<std::string, k_stamped_files> stamped_files(const BooksDir& dir) {
  std::array<std::string, k_stamped_files> files;
  std::size_t n = 0;
  files[n++] = dir.file(k_config_file);
  for (const auto& s : all_schemas())
    if (s.table != Table::invoice_lines)
      files[n++] = dir.file(s.file);
  return files;
}

// ---- the friend that sees inside the arena and the id indexes -------------

} // namespace

struct SnapshotAccess {
  struct Block {
    const char* start;
    std::uint64_t used;
  };
  static std::vector<Block> blocks(const Arena& arena) {
    std::vector<Block> out;
    for (std::size_t i = 0; i < arena.m_blocks.size(); ++i)
      out.push_back({static_cast<const char*>(arena.m_blocks[i].bytes.data()),
                     arena.used(i)});
    return out;
  }
  static void adopt(Arena& arena, ZeroedArray<char>&& bytes) {
    const auto size = bytes.bytes();
    arena.m_blocks.push_back({std::move(bytes), size});
    arena.m_current = arena.m_blocks.size() - 1;
    arena.m_next = nullptr;
    arena.m_left = 0;
  }

  using Slot = IdIndex::Slot;
  static IndexShape shape(const IdIndex& index) {
    IndexShape s{index.m_count, index.m_size, 0, {}};
    std::copy(std::begin(index.m_shapes), std::end(index.m_shapes), s.shapes);
    for (std::size_t i = 0; i < index.m_count; ++i)
      s.outside += index.m_tags[i] != 0 && IdIndex::outside(index.m_slots[i]);
    return s;
  }
  static std::span<const std::uint8_t> tags(const IdIndex& index) {
    return {static_cast<const std::uint8_t*>(index.m_tags.data()),
            index.m_count};
  }
  static std::span<const Slot> slots(const IdIndex& index) {
    return {static_cast<const Slot*>(index.m_slots.data()), index.m_count};
  }
  // The address of the id kept outside `slot`, or nothing.
  static std::optional<std::string_view> outside_id(const Slot& slot) {
    if (!IdIndex::outside(slot))
      return std::nullopt;
    const char* p;
    std::memcpy(&p, &slot.key, sizeof p);
    return std::string_view(p, slot.form & 0xFFFF);
  }
  static void set_outside(Slot& slot, const char* p) {
    std::memcpy(&slot.key, &p, sizeof p);
  }
  static void install(IdIndex& index, const IndexShape& shape,
                      ZeroedArray<std::uint8_t>&& tags,
                      ZeroedArray<Slot>&& slots) {
    index.m_tags = std::move(tags);
    index.m_slots = std::move(slots);
    index.m_count = shape.count;
    index.m_size = shape.size;
    std::copy(std::begin(shape.shapes), std::end(shape.shapes),
              index.m_shapes);
  }
};

namespace {

// ---- writing -----------------------------------------------------------------

// Where each byte of the books' text goes in the snapshot: the arena's
// blocks one after the other.
class TextMap {
public:
  // `at`: where the first block goes.
  TextMap(const Arena& arena, std::uint64_t at) {
    for (const auto& b : SnapshotAccess::blocks(arena)) {
      m_blocks.push_back({b.start, b.used, at});
      at += b.used;
    }
    std::sort(m_blocks.begin(), m_blocks.end(),
              [](const auto& a, const auto& b) {
                return std::less<>()(a.start, b.start);
              });
  }
  // The address of `text`, which must lie in the arena, in the mapping.
  [[nodiscard]] std::optional<std::uint64_t> offset(std::string_view text) const {
    const auto it = std::upper_bound(
        m_blocks.begin(), m_blocks.end(), text.data(),
        [](const char* p, const Mapped& b) { return std::less<>()(p, b.start); });
    if (it == m_blocks.begin())
      return std::nullopt;
    const auto& b = *std::prev(it);
    const auto within = static_cast<std::uint64_t>(text.data() - b.start);
    if (within > b.used || text.size() > b.used - within)
      return std::nullopt;
    return b.at + within;
  }

private:
  struct Mapped {
    const char* start;
    std::uint64_t used, at;
  };
  std::vector<Mapped> m_blocks;
};

// A view of text at its address in the mapping; only ever stored.
std::string_view mapped(std::uint64_t address, std::size_t size) {
  return {reinterpret_cast<const char*>(static_cast<std::uintptr_t>(address)),
          size};
}

class Writer {
public:
  explicit Writer(int fd, std::uint64_t start) : m_fd(fd), m_at(start) {
    m_buffer.reserve(k_buffer);
  }
  bool put(const void* data, std::size_t bytes) {
    if (m_buffer.size() + bytes > k_buffer && !flush())
      return false;
    if (bytes >= k_buffer)
      return write_at(data, bytes);
    const auto* p = static_cast<const char*>(data);
    m_buffer.insert(m_buffer.end(), p, p + bytes);
    return true;
  }
  bool align() {
    static constexpr char zeros[k_align] = {};
    const auto at = position();
    return put(zeros, (k_align - at % k_align) % k_align);
  }
  [[nodiscard]] std::uint64_t position() const {
    return m_at + m_buffer.size();
  }
  bool flush() {
    if (m_buffer.empty())
      return true;
    const bool ok = write_at(m_buffer.data(), m_buffer.size());
    m_buffer.clear();
    return ok;
  }

private:
  static constexpr std::size_t k_buffer = std::size_t{1} << 20;
  bool write_at(const void* data, std::size_t bytes) {
    const auto* p = static_cast<const char*>(data);
    while (bytes > 0) {
      const auto n = ::pwrite(m_fd, p, bytes, static_cast<off_t>(m_at));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      p += n;
      bytes -= static_cast<std::size_t>(n);
      m_at += static_cast<std::uint64_t>(n);
    }
    return true;
  }
  int m_fd;
  std::uint64_t m_at;
  std::vector<char> m_buffer;
};

class SnapshotWriter {
public:
  SnapshotWriter(Writer& out, Header& header, const TextMap& map)
      : m_out(out), m_header(header), m_map(map) {}

  template <Plain T>
    requires(!WithText<T>)
  bool section(Section s, std::span<const T> items) {
    return begin() && m_out.put(items.data(), items.size_bytes()) && end(s);
  }

  // Records whose text is given its address in the mapping.
  template <WithText T> bool section(Section s, std::span<const T> items) {
    return begin() &&
           rewritten(items,
                     [this](std::span<T> chunk, std::size_t) {
                       for (auto& r : chunk)
                         for (auto* v : views(r))
                           if (!relocate(*v))
                             return false;
                       return true;
                     }) &&
           end(s);
  }

  bool index(std::size_t which, const IdIndex& index) {
    auto& shape = m_header.indexes[which];
    shape = SnapshotAccess::shape(index);
    if (!section(Section(index_tags + which), SnapshotAccess::tags(index)))
      return false;
    const auto slots = SnapshotAccess::slots(index);
    if (shape.outside == 0)
      return section(Section(index_slots + which), slots);
    const auto tags = SnapshotAccess::tags(index);
    return begin() &&
           rewritten(slots,
                     [&](std::span<SnapshotAccess::Slot> chunk,
                         std::size_t at) {
                       for (std::size_t i = 0; i < chunk.size(); ++i) {
                         auto id = SnapshotAccess::outside_id(chunk[i]);
                         if (tags[at + i] == 0 || !id)
                           continue;
                         if (!relocate(*id))
                           return false;
                         SnapshotAccess::set_outside(chunk[i], id->data());
                       }
                       return true;
                     }) &&
           end(Section(index_slots + which));
  }

  bool text(const Arena& arena) {
    if (!begin())
      return false;
    for (const auto& b : SnapshotAccess::blocks(arena))
      if (!m_out.put(b.start, b.used))
        return false;
    return end(Section::text);
  }

private:
  static constexpr std::size_t k_chunk = 4096;
  // Writes `items` a few thousand at a time, each chunk a copy that
  // `rewrite(chunk, index of its first item)` changes first.
  template <class T, class Rewrite>
  bool rewritten(std::span<const T> items, const Rewrite& rewrite) {
    std::vector<T> chunk;
    for (std::size_t at = 0; at < items.size(); at += k_chunk) {
      const auto part = items.subspan(at, std::min(k_chunk, items.size() - at));
      chunk.assign(part.begin(), part.end());
      if (!rewrite(std::span<T>(chunk), at) ||
          !m_out.put(chunk.data(), chunk.size() * sizeof(T)))
        return false;
    }
    return true;
  }
  // Gives `text` its address in the mapping; false when it is not in the
  // arena.
  bool relocate(std::string_view& text) const {
    if (text.empty()) {
      text = {};
      return true;
    }
    const auto address = m_map.offset(text);
    if (!address)
      return false;
    text = mapped(*address, text.size());
    return true;
  }
  bool begin() {
    if (!m_out.align())
      return false;
    m_start = m_out.position();
    return true;
  }
  bool end(Section s) {
    m_header.sections[s] = {m_start, m_out.position() - m_start};
    return true;
  }
  Writer& m_out;
  Header& m_header;
  const TextMap& m_map;
  std::uint64_t m_start = 0;
};

bool write_all(int fd, const Books& books, const Ledger& end,
               const BooksStamp& stamp, const std::string& path) {
  Header header;
  header.magic = k_magic;
  header.format = k_format;
  header.layout = layout_fingerprint();
  header.program = this_program();
  header.boot = this_boot();
  header.base = base_address(path);
  header.path_bytes = path.size();
  header.files = stamp.files;
  header.records = books.records;
  header.files_read = books.files_read;
  header.as_of = date::sys_days(end.as_of).time_since_epoch().count();
  header.any_fact = end.latest.has_value();
  if (end.latest)
    header.latest = date::sys_days(*end.latest).time_since_epoch().count();
  const auto open = open_items(books, end);
  header.open_since = date::sys_days(open->since).time_since_epoch().count();

  // The text comes first, at the first aligned offset after the path.
  const auto text_at = (sizeof(Header) + path.size() + k_align - 1) / k_align * k_align;
  const TextMap map(books.arena, header.base + text_at);
  Writer out(fd, sizeof(Header) + path.size());
  SnapshotWriter w(out, header, map);
  std::vector<NoticeRecord> notices;
  std::vector<std::uint32_t> notice_invoices;
  for (const auto& n : books.notices) {
    notices.push_back({n.id, n.date, n.customer, n.level,
                       notice_invoices.size(), n.invoices.size(), n.amount,
                       n.fee, n.interest, n.currency, n.line});
    notice_invoices.insert(notice_invoices.end(), n.invoices.begin(),
                           n.invoices.end());
  }
  std::vector<ArrangementRecord> arrangements;
  std::vector<std::uint32_t> arrangement_invoices;
  for (const auto& a : books.arrangements) {
    arrangements.push_back({a.id, a.date, a.kind, a.customer, a.currency,
                            a.amount, a.due, a.installments, a.every,
                            arrangement_invoices.size(), a.invoices.size(),
                            a.note, a.line});
    arrangement_invoices.insert(arrangement_invoices.end(), a.invoices.begin(),
                                a.invoices.end());
  }
  const IdIndex* indexes[] = {&books.customer_index, &books.invoice_index,
                              &books.document_index, &books.notice_index,
                              &books.arrangement_index, &books.bank_index};
  static_assert(std::size(indexes) == k_indexes);
  bool ok = w.text(books.arena) &&
            w.section(customers, std::span<const Customer>(books.customers)) &&
            w.section(invoices, std::span<const Invoice>(books.invoices)) &&
            w.section(payments, std::span<const Payment>(books.payments)) &&
            w.section(allocations,
                      std::span<const Allocation>(books.allocations)) &&
            w.section(adjustments,
                      std::span<const Adjustment>(books.adjustments)) &&
            w.section(events, std::span<const Event>(books.events)) &&
            w.section(Section::notices, std::span<const NoticeRecord>(notices)) &&
            w.section(Section::notice_invoices,
                      std::span<const std::uint32_t>(notice_invoices)) &&
            w.section(Section::arrangements,
                      std::span<const ArrangementRecord>(arrangements)) &&
            w.section(Section::arrangement_invoices,
                      std::span<const std::uint32_t>(arrangement_invoices)) &&
            w.section(Section::bank_transactions,
                      std::span<const BankTx>(books.bank_transactions)) &&
            w.section(Section::reconciliations,
                      std::span<const Reconciliation>(books.reconciliations)) &&
            w.section(ledger_invoices,
                      std::span<const InvoiceState>(end.invoices)) &&
            w.section(ledger_payments,
                      std::span<const SourceState>(end.payments)) &&
            w.section(ledger_credits, std::span<const SourceState>(end.credits)) &&
            w.section(ledger_customers,
                      std::span<const CustomerState>(end.customers)) &&
            w.section(open_invoices,
                      std::span<const OpenInvoice>(open->invoices)) &&
            w.section(open_credits, std::span<const OpenCredit>(open->credits));
  for (std::size_t i = 0; ok && i < k_indexes; ++i)
    ok = w.index(i, *indexes[i]);
  if (!ok || !out.flush())
    return false;
  header.bytes = out.position();
  Writer head(fd, 0);
  return head.put(&header, sizeof header) &&
         head.put(path.data(), path.size()) && head.flush();
}

// ---- reading -----------------------------------------------------------------

bool read_at(int fd, void* data, std::uint64_t bytes, std::uint64_t offset) {
  auto* p = static_cast<char*>(data);
  while (bytes > 0) {
    const auto n = ::pread(fd, p, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p += n;
    bytes -= static_cast<std::uint64_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

bool usable(const Header& header, const std::string& path, int fd,
            const BooksStamp& stamp) {
  if (header.magic != k_magic || header.format != k_format ||
      header.layout != layout_fingerprint() || header.files != stamp.files ||
      header.path_bytes != path.size() || header.boot != this_boot() ||
      header.base != base_address(path) || !(header.program == this_program()))
    return false;
  struct stat st{};
  if (::fstat(fd, &st) != 0 ||
      static_cast<std::uint64_t>(st.st_size) != header.bytes)
    return false;
  for (const auto& e : header.sections)
    if (e.offset % k_align != 0 || e.offset > header.bytes ||
        e.bytes > header.bytes - e.offset)
      return false;
  std::string stored(path.size(), '\0');
  return read_at(fd, stored.data(), stored.size(), sizeof(Header)) &&
         stored == path;
}

// Hands the sections of a mapped snapshot to the books and ledger.
class Sections {
public:
  Sections(const Header& header, const Adopted& mapping)
      : m_header(header), m_mapping(mapping) {}

  template <Plain T> [[nodiscard]] std::span<T> of(std::size_t s) const {
    const auto& e = m_header.sections[s];
    return {reinterpret_cast<T*>(m_mapping.data() + e.offset),
            e.bytes / sizeof(T)};
  }
  template <Plain T> void into(Section s, Records<T>& records) const {
    const auto items = of<T>(s);
    adopt(records, items.data(), items.size());
  }
  // A section copied into memory of its own, in huge pages, from the file
  // rather than the mapping: for the records every report walks end to
  // end, whose thousands of small pages would each cost a page fault.
  template <Plain T>
  [[nodiscard]] bool copy(Section s, Records<T>& records, int fd) const {
    const auto& e = m_header.sections[s];
    if (e.bytes == 0)
      return true;
    void* p = detail::allocate_large(e.bytes);
    if (!read_at(fd, p, e.bytes, e.offset)) {
      detail::deallocate_large(p);
      return false;
    }
    adopt(records, static_cast<T*>(p), e.bytes / sizeof(T));
    return true;
  }
  void index(std::size_t which, IdIndex& index) const {
    const auto& shape = m_header.indexes[which];
    SnapshotAccess::install(
        index, shape,
        ZeroedArray<std::uint8_t>::adopt(of<std::uint8_t>(index_tags + which).data(),
                                         shape.count),
        ZeroedArray<SnapshotAccess::Slot>::adopt(
            of<SnapshotAccess::Slot>(index_slots + which).data(), shape.count));
  }

private:
  const Header& m_header;
  const Adopted& m_mapping;
};

bool sections_fit(const Header& header) {
  const auto fits = [&](std::size_t s, std::size_t size) {
    return header.sections[s].bytes % size == 0;
  };
  for (std::size_t i = 0; i < k_indexes; ++i) {
    const auto count = header.indexes[i].count;
    if ((count & (count - 1)) != 0 ||
        header.sections[index_tags + i].bytes != count ||
        header.sections[index_slots + i].bytes !=
            count * sizeof(SnapshotAccess::Slot))
      return false;
  }
  return fits(customers, sizeof(Customer)) && fits(invoices, sizeof(Invoice)) &&
         fits(payments, sizeof(Payment)) &&
         fits(allocations, sizeof(Allocation)) &&
         fits(adjustments, sizeof(Adjustment)) && fits(events, sizeof(Event)) &&
         fits(notices, sizeof(NoticeRecord)) &&
         fits(notice_invoices, sizeof(std::uint32_t)) &&
         fits(arrangements, sizeof(ArrangementRecord)) &&
         fits(arrangement_invoices, sizeof(std::uint32_t)) &&
         fits(bank_transactions, sizeof(BankTx)) &&
         fits(reconciliations, sizeof(Reconciliation)) &&
         fits(ledger_invoices, sizeof(InvoiceState)) &&
         fits(ledger_payments, sizeof(SourceState)) &&
         fits(ledger_credits, sizeof(SourceState)) &&
         fits(ledger_customers, sizeof(CustomerState)) &&
         fits(open_invoices, sizeof(OpenInvoice)) &&
         fits(open_credits, sizeof(OpenCredit));
}

// `walk`: the command walks the records every report walks (else it reads
// only the end ledger's open items and the customers).
bool take_over(const Header& header, const std::shared_ptr<Adopted>& mapping,
               int fd, bool walk, Books& books, Ledger& end) {
  const Sections in(header, *mapping);
  books.storage = mapping;
  end.storage = mapping;
  auto open = std::make_shared<OpenItems>();
  open->storage = mapping;
  open->since = date::sys_days(date::days(header.open_since));
  if (walk) {
    bool copied = true;
    std::thread second([&] { copied = in.copy(invoices, books.invoices, fd); });
    const bool ok = in.copy(customers, books.customers, fd) &&
                    in.copy(ledger_invoices, end.invoices, fd) &&
                    in.copy(ledger_payments, end.payments, fd) &&
                    in.copy(ledger_credits, end.credits, fd) &&
                    in.copy(payments, books.payments, fd);
    second.join();
    if (!ok || !copied)
      return false;
    in.into(open_invoices, open->invoices);
    in.into(open_credits, open->credits);
  } else {
    // A few MB instead of hundreds: the records of the documents settled
    // long ago, nearly all of them, are not even read.
    if (!in.copy(customers, books.customers, fd) ||
        !in.copy(open_invoices, open->invoices, fd) ||
        !in.copy(open_credits, open->credits, fd))
      return false;
    in.into(invoices, books.invoices);
    in.into(payments, books.payments);
    in.into(ledger_invoices, end.invoices);
    in.into(ledger_payments, end.payments);
    in.into(ledger_credits, end.credits);
  }
  end.open = std::move(open);
  in.into(allocations, books.allocations);
  in.into(adjustments, books.adjustments);
  in.into(events, books.events);
  in.into(Section::bank_transactions, books.bank_transactions);
  in.into(Section::reconciliations, books.reconciliations);
  in.into(ledger_customers, end.customers);
  IdIndex* indexes[] = {&books.customer_index, &books.invoice_index,
                        &books.document_index, &books.notice_index,
                        &books.arrangement_index, &books.bank_index};
  static_assert(std::size(indexes) == k_indexes);
  for (std::size_t i = 0; i < k_indexes; ++i)
    in.index(i, *indexes[i]);
  // The part of a list of invoices that a record names, within the list.
  const auto part = [](std::span<const std::uint32_t> list, std::uint64_t first,
                       std::uint64_t count) {
    const auto from = std::min<std::size_t>(first, list.size());
    const auto items = list.subspan(
        from, std::min<std::size_t>(count, list.size() - from));
    return std::vector<std::uint32_t>(items.begin(), items.end());
  };
  const auto list = in.of<const std::uint32_t>(notice_invoices);
  for (const auto& n : in.of<const NoticeRecord>(notices))
    books.notices.push_back({n.id, n.date, n.customer, n.level,
                             part(list, n.first, n.count), n.amount, n.fee,
                             n.interest, n.currency, n.line});
  const auto plans = in.of<const std::uint32_t>(arrangement_invoices);
  for (const auto& a : in.of<const ArrangementRecord>(arrangements))
    books.arrangements.push_back({a.id, a.date, a.kind, a.customer,
                                  a.currency, a.amount, a.due, a.installments,
                                  a.every, part(plans, a.first, a.count),
                                  a.note, a.line});
  const auto text = in.of<char>(Section::text);
  if (!text.empty())
    SnapshotAccess::adopt(books.arena,
                          ZeroedArray<char>::adopt(text.data(), text.size()));
  books.records = header.records;
  books.files_read = static_cast<std::uint32_t>(header.files_read);
  end.as_of = date::sys_days(date::days(header.as_of));
  if (header.any_fact)
    end.latest = date::sys_days(date::days(header.latest));
  return true;
}

// Closes a file descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0)
      ::close(fd);
  }
};

} // namespace

std::optional<std::filesystem::path>
snapshot_path(const BooksDir& dir, const CacheEnvironment& env) {
  std::filesystem::path base;
  if (env.arctl_cache && !env.arctl_cache->empty()) {
    if (*env.arctl_cache == "off")
      return std::nullopt;
    base = *env.arctl_cache;
  } else if (env.xdg_cache_home && !env.xdg_cache_home->empty()) {
    base = std::filesystem::path(*env.xdg_cache_home) / "arctl";
  } else if (env.home && !env.home->empty()) {
    base = std::filesystem::path(*env.home) / ".cache" / "arctl";
  } else {
    return std::nullopt;
  }
  const auto path = canonical_books(dir);
  if (path.empty())
    return std::nullopt;
  return base / fmt::format("books-{:016x}.snapshot", path_hash(path));
}

BooksStamp stamp_books(const BooksDir& dir) {
  BooksStamp stamp;
  const auto now = nanoseconds([] {
    struct timespec t{};
    ::clock_gettime(CLOCK_REALTIME, &t);
    return t;
  }());
  constexpr std::int64_t k_settle = 2'000'000'000;
  stamp.settled = true;
  const auto files = stamped_files(dir);
  for (std::size_t i = 0; i < files.size(); ++i) {
    stamp.files[i] = stamp_of(files[i].c_str());
    if (stamp.files[i].exists && now - stamp.files[i].mtime_ns < k_settle)
      stamp.settled = false;
  }
  return stamp;
}

std::unique_ptr<Books> read_snapshot(const std::filesystem::path& file,
                                     const BooksDir& dir,
                                     const BooksStamp& stamp, Ledger* end,
                                     std::optional<Date> open_items_on) {
  Fd f{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0)
    return nullptr;
  Header header;
  const auto path = canonical_books(dir);
  if (!read_at(f.fd, &header, sizeof header, 0) ||
      !usable(header, path, f.fd, stamp) || !sections_fit(header))
    return nullptr;
  auto config = load_config(dir.file(k_config_file), dir.shown(k_config_file));
  if (!config)
    return nullptr;
  auto mapping = Adopted::map(f.fd, header.bytes, header.base);
  if (!mapping)
    return nullptr;
  auto books = std::make_unique<Books>();
  books->dir = dir;
  books->config = std::move(*config);
  // The open items serve a ledger as of any date on which no fact is dated
  // after the latest.
  const bool walk =
      !open_items_on || !header.any_fact ||
      date::sys_days(*open_items_on).time_since_epoch().count() < header.latest;
  Ledger ledger;
  if (!take_over(header, mapping, f.fd, walk, *books, ledger))
    return nullptr;
  if (end)
    *end = std::move(ledger);
  return books;
}

bool write_snapshot(const std::filesystem::path& file, const Books& books,
                    const Ledger& end, const BooksStamp& stamp) {
  if (!stamp.settled || !books.line_totals.empty() ||
      !books.tax_bases.empty())
    return false;
  const auto path = canonical_books(books.dir);
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (path.empty() || ec)
    return false;
  // A file without a name until it is whole: a process killed while
  // writing it leaves nothing behind.
  Fd f{::open(file.parent_path().c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC,
              0600)};
  if (f.fd < 0 || !write_all(f.fd, books, end, stamp, path))
    return false;
  const auto temp = file.string() + fmt::format(".{}.tmp", ::getpid());
  const auto self = fmt::format("/proc/self/fd/{}", f.fd);
  if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temp.c_str(),
               AT_SYMLINK_FOLLOW) != 0)
    return false;
  if (::rename(temp.c_str(), file.c_str()) == 0)
    return true;
  ::unlink(temp.c_str());
  return false;
}

} // namespace arctl
