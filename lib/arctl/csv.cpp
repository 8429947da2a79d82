#include "arctl/csv.hpp"

#include "arctl/memory.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace arctl {
namespace {

constexpr std::size_t k_initial_buffer = std::size_t{1} << 20;

// Written just past the data so the unquoted-field scan needs no bounds
// check: it stops there as on any line end, and only then asks where it is.
constexpr char k_sentinel = '\n';

// The reader's buffer, in huge pages when large: a buffer of 1 MiB in
// ordinary pages would take 256 page faults.
struct BufferDeleter {
  void operator()(char* p) const noexcept { detail::deallocate_large(p); }
};
using Buffer = std::unique_ptr<char[], BufferDeleter>;

Buffer new_buffer(std::size_t bytes) {
  return Buffer(static_cast<char*>(detail::allocate_large(bytes)));
}

// Bytes that end the fast scan through an unquoted field.
constexpr std::array<bool, 256> k_stops = [] {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('"')] = true;
  t[static_cast<unsigned char>('\r')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  return t;
}();

// Lines and columns beyond 2^32 are not supported; they saturate rather
// than wrap so a position never points somewhere plausible but wrong.
std::uint32_t clamp32(std::uint64_t v) {
  return v > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(v);
}

// The physical line that starts at `from`, without its line ending.
std::string_view line_at(const char* from, const char* end) {
  const auto* nl =
      static_cast<const char*>(std::memchr(from, '\n', end - from));
  std::string_view line(from, nl ? nl : end);
  if (nl && !line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

// `"ab""c"` for the field `ab"c`, to show how it should have been written.
// The field holds a quote, so the writer always quotes it.
std::string quoted_example(std::string_view field) {
  std::string out;
  append_csv_field(out, field);
  return out;
}

} // namespace

struct CsvReader::Impl {
  enum class Step { record, end, need_more, error };

  Impl(int fd_, std::string name_, std::size_t capacity)
      : fd(fd_), name(std::move(name_)),
        cap(std::max<std::size_t>(1, capacity)), buf(new_buffer(cap + 1)) {
    buf[0] = k_sentinel;
  }
  ~Impl() {
    if (fd >= 0)
      ::close(fd);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  int fd = -1;
  std::string name;
  std::size_t cap = 0; // usable bytes; one more is allocated for the sentinel
  Buffer buf;
  std::size_t begin = 0; // unread data is buf[begin, end)
  std::size_t end = 0;
  std::uint64_t offset = 0; // file offset of buf[0]
  std::uint64_t total = 0;  // file size, 0 when unknown
  std::uint64_t line = 1;   // line number at buf[begin]
  bool eof = false;         // nothing more to read from fd
  bool done = false;        // input ended early: unterminated quote, I/O error
  bool bom_checked = false;

  // What a record's views point to besides the buffer, one per record of
  // a batch; reused so the steady state does not allocate.
  struct Store {
    std::vector<std::string_view> fields;
    std::vector<CsvPos> positions;
    std::string raw_copy;
  };
  std::vector<Store> stores = std::vector<Store>(1);
  std::vector<std::size_t> escaped; // fields holding "" to unescape
  Diagnostic error;

  [[nodiscard]] bool refill();
  [[nodiscard]] bool skip_bom();
  // Parses a record into `out`, its views kept in `store`.
  [[nodiscard]] Step parse(CsvRecord& out, Store& store);
  Step syntax_error(char* at, std::uint64_t at_line, char* line_start,
                    std::string message, std::string hint);
  void finish(CsvRecord& out, Store& store, char* start, char* raw_end);
};

// Moves the unread tail to the front and reads more after it. The buffer
// grows only when one record fills it. A record cut by the buffer's end is
// parsed again from its start, so each refill reads at least as much as
// was pending: the rescanning then costs no more than the reading, even on
// pipes that deliver 64 KiB at a time. Returns false on a read error.
bool CsvReader::Impl::refill() {
  const std::size_t pending = end - begin;
  if (begin > 0) {
    std::memmove(buf.get(), buf.get() + begin, pending);
    offset += begin;
    begin = 0;
    end = pending;
  }
  if (end == cap) {
    const std::size_t grown = cap * 2;
    auto bigger = new_buffer(grown + 1);
    std::memcpy(bigger.get(), buf.get(), end);
    buf = std::move(bigger);
    cap = grown;
  }
  std::size_t got = 0;
  while (end < cap && got <= pending) {
    const auto n = ::read(fd, buf.get() + end, cap - end);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      error = Diagnostic{};
      error.loc = {name, 0, 0};
      error.code = "read-error";
      error.message = "cannot read " + name + ": " + std::strerror(errno);
      done = true;
      return false;
    }
    if (n == 0) {
      eof = true;
      break;
    }
    end += static_cast<std::size_t>(n);
    got += static_cast<std::size_t>(n);
  }
  buf[end] = k_sentinel;
  return true;
}

// Reports a syntax error at `at` and resumes after the end of its physical
// line, so the caller can go on collecting problems.
CsvReader::Impl::Step
CsvReader::Impl::syntax_error(char* at, std::uint64_t at_line, char* line_start,
                              std::string message, std::string hint) {
  char* const e = buf.get() + end;
  auto* nl = static_cast<char*>(std::memchr(at, '\n', e - at));
  if (!nl && !eof)
    return Step::need_more;
  error = Diagnostic{};
  error.loc = {name, clamp32(at_line), clamp32(at - line_start + 1)};
  error.code = "csv-syntax";
  error.message = std::move(message);
  error.excerpt = std::string(line_at(line_start, e));
  error.hint = std::move(hint);
  begin = nl ? static_cast<std::size_t>(nl + 1 - buf.get()) : end;
  line = at_line + 1;
  return Step::error;
}

// Fills `out` from the fields found; unescapes "" in place, which shortens
// those fields, after keeping a copy of the raw text they overwrite.
void CsvReader::Impl::finish(CsvRecord& out, Store& store, char* start,
                             char* raw_end) {
  auto& fields = store.fields;
  out.raw = std::string_view(start, raw_end);
  if (!escaped.empty()) {
    store.raw_copy.assign(start, raw_end);
    out.raw = store.raw_copy;
    for (const auto i : escaped) {
      char* const from = buf.get() + (fields[i].data() - buf.get());
      const char* r = from;
      const char* const stop = from + fields[i].size();
      char* w = from;
      while (r < stop) {
        const char c = *r++;
        *w++ = c;
        if (c == '"')
          ++r; // the second quote of a doubled pair
      }
      fields[i] = std::string_view(from, w);
    }
  }
  out.fields = fields;
  out.positions = store.positions;
}

// Parses one record from buf[begin, end). Returns need_more, leaving the
// record unread, when it runs into the end of the buffer before the end of
// input; the caller refills and calls again.
CsvReader::Impl::Step CsvReader::Impl::parse(CsvRecord& out, Store& store) {
  auto& fields = store.fields;
  auto& positions = store.positions;
  char* const base = buf.get();
  char* const e = base + end;
  char* p = base + begin;
  std::uint64_t at_line = line;

  // Empty lines, LF or CRLF, are not records.
  for (;;) {
    if (p == e)
      break;
    if (*p == '\n') {
      ++p;
      ++at_line;
      continue;
    }
    if (*p == '\r' && p + 1 != e && p[1] == '\n') {
      p += 2;
      ++at_line;
      continue;
    }
    break;
  }
  begin = static_cast<std::size_t>(p - base);
  line = at_line;
  if (p == e)
    return eof ? Step::end : Step::need_more;
  if (*p == '\r' && p + 1 == e && !eof)
    return Step::need_more; // an empty CRLF line or a field, not known yet

  char* const start = p;
  char* line_start = p;
  fields.clear();
  positions.clear();
  escaped.clear();
  char* raw_end = nullptr; // where the record's line ending starts
  char* next = nullptr;    // where the next record starts

  while (!next) {
    char* const f = p;
    const CsvPos pos{clamp32(at_line), clamp32(f - line_start + 1)};
    if (*p == '"') {
      char* const quote_line_start = line_start;
      bool has_escape = false;
      ++p;
      for (;;) {
        auto* q = static_cast<char*>(std::memchr(p, '"', e - p));
        if (!q) {
          if (!eof)
            return Step::need_more;
          error = Diagnostic{};
          error.loc = {name, pos.line, pos.column};
          error.code = "csv-syntax";
          error.message = "unterminated quoted field";
          error.excerpt = std::string(line_at(quote_line_start, e));
          error.hint = "a field that starts with \" must end with \"";
          begin = end;
          done = true;
          return Step::error;
        }
        // Line breaks inside the quotes are part of the field but still
        // start new physical lines for positions.
        for (char* nl = p;
             (nl = static_cast<char*>(std::memchr(nl, '\n', q - nl)));) {
          ++at_line;
          line_start = ++nl;
        }
        if (q + 1 == e) {
          if (!eof)
            return Step::need_more; // "" or the closing quote: not known yet
        } else if (q[1] == '"') {
          has_escape = true;
          p = q + 2;
          continue;
        }
        p = q + 1;
        break;
      }
      fields.emplace_back(f + 1, p - 1);
      positions.push_back(pos);
      if (has_escape)
        escaped.push_back(fields.size() - 1);
      if (p == e) {
        if (!eof)
          return Step::need_more;
        raw_end = next = e;
      } else if (*p == ',') {
        ++p;
      } else if (*p == '\n') {
        raw_end = p;
        next = p + 1;
      } else if (*p == '\r' && p + 1 == e && !eof) {
        return Step::need_more;
      } else if (*p == '\r' && p + 1 != e && p[1] == '\n') {
        raw_end = p;
        next = p + 2;
      } else {
        return syntax_error(
            p, at_line, line_start, "unexpected text after a closing quote",
            "a closing quote ends the field; a quote inside a quoted field is "
            "written twice: \"\"");
      }
      continue;
    }
    for (;;) {
      while (!k_stops[static_cast<unsigned char>(*p)])
        ++p;
      if (p == e) {
        if (!eof)
          return Step::need_more;
        fields.emplace_back(f, p);
        positions.push_back(pos);
        raw_end = next = e;
        break;
      }
      const char c = *p;
      if (c == ',') {
        fields.emplace_back(f, p);
        positions.push_back(pos);
        ++p;
        break;
      }
      if (c == '\n') {
        fields.emplace_back(f, p);
        positions.push_back(pos);
        raw_end = p;
        next = p + 1;
        break;
      }
      if (c == '\r') {
        if (p + 1 == e && !eof)
          return Step::need_more;
        if (p + 1 != e && p[1] == '\n') {
          fields.emplace_back(f, p);
          positions.push_back(pos);
          raw_end = p;
          next = p + 2;
          break;
        }
        ++p; // a lone CR is content
        continue;
      }
      // A quote inside an unquoted field. Show the whole field quoted.
      std::string_view field(f, e);
      field = field.substr(0, field.find_first_of(",\n"));
      if (!field.empty() && field.back() == '\r')
        field.remove_suffix(1);
      return syntax_error(
          p, at_line, line_start, "quote inside an unquoted field",
          field.size() <= 60
              ? "enclose the whole field in quotes and double the quote: " +
                    quoted_example(field)
              : std::string("enclose the whole field in quotes and double "
                            "each quote inside it"));
    }
  }

  finish(out, store, start, raw_end);
  out.line = clamp32(line);
  begin = static_cast<std::size_t>(next - base);
  line = next == e && raw_end == e ? at_line : at_line + 1;
  return Step::record;
}

CsvReader::CsvReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

Result<CsvReader> CsvReader::open(const std::string& path, std::string name) {
  return open(path, std::move(name), 0, 1);
}

Result<CsvReader> CsvReader::open(const std::string& path, std::string name,
                                  std::uint64_t from, std::uint32_t line) {
  const auto& shown = name.empty() ? path : name;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(ExitCode::no_input,
                "cannot open " + shown + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    const int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
    ::close(fd);
    return fail(ExitCode::no_input,
                "cannot open " + shown + ": " + std::strerror(err));
  }
  if (S_ISREG(st.st_mode))
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  if (from > 0 && ::lseek(fd, static_cast<off_t>(from), SEEK_SET) !=
                      static_cast<off_t>(from)) {
    const int err = errno;
    ::close(fd);
    return fail(ExitCode::no_input,
                "cannot read " + shown + ": " + std::strerror(err));
  }
  auto impl = std::make_unique<Impl>(fd, std::move(name), k_initial_buffer);
  impl->total =
      S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
  impl->offset = from;
  impl->line = line;
  impl->bom_checked = from > 0; // a byte-order mark is only at the start
  return CsvReader(std::move(impl));
}

CsvReader CsvReader::from_fd(int fd, std::string name) {
  return from_fd(fd, std::move(name), k_initial_buffer);
}

CsvReader CsvReader::from_fd(int fd, std::string name,
                             std::size_t buffer_size) {
  auto impl = std::make_unique<Impl>(fd, std::move(name), buffer_size);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
    impl->total = static_cast<std::uint64_t>(st.st_size);
  return CsvReader(std::move(impl));
}

CsvReader CsvReader::from_string(std::string text, std::string name) {
  auto impl = std::make_unique<Impl>(-1, std::move(name), text.size());
  std::memcpy(impl->buf.get(), text.data(), text.size());
  impl->end = text.size();
  impl->buf[impl->end] = k_sentinel;
  impl->total = text.size();
  impl->eof = true;
  return CsvReader(std::move(impl));
}

// Skips a byte-order mark at the start. Returns false on a read error.
bool CsvReader::Impl::skip_bom() {
  while (end - begin < 3 && !eof)
    if (!refill())
      return false;
  if (end - begin >= 3 &&
      std::memcmp(buf.get() + begin, "\xEF\xBB\xBF", 3) == 0)
    begin += 3;
  bom_checked = true;
  return true;
}

std::expected<bool, Diagnostic> CsvReader::next(CsvRecord& out) {
  auto& r = *m_impl;
  if (r.done)
    return false;
  if (!r.bom_checked && !r.skip_bom())
    return std::unexpected(std::move(r.error));
  for (;;) {
    switch (r.parse(out, r.stores[0])) {
    case Impl::Step::record:
      return true;
    case Impl::Step::end:
      return false;
    case Impl::Step::error:
      return std::unexpected(std::move(r.error));
    case Impl::Step::need_more:
      if (!r.refill())
        return std::unexpected(std::move(r.error));
      break;
    }
  }
}

CsvBatch CsvReader::next_batch(std::span<CsvRecord> out, std::uint64_t stop) {
  auto& r = *m_impl;
  if (r.stores.size() < out.size())
    r.stores.resize(out.size());
  CsvBatch batch;
  if (!r.bom_checked && !r.done && !r.skip_bom()) {
    batch.error = std::move(r.error);
    return batch;
  }
  while (batch.records < out.size() && !r.done && r.offset + r.begin < stop) {
    auto& rec = out[batch.records];
    switch (r.parse(rec, r.stores[batch.records])) {
    case Impl::Step::record:
      ++batch.records;
      break;
    case Impl::Step::end:
      batch.end = true;
      return batch;
    case Impl::Step::error:
      batch.error = std::move(r.error);
      return batch;
    case Impl::Step::need_more:
      // Reading more may move the buffer under the records of this batch.
      if (batch.records > 0)
        return batch;
      if (!r.refill()) {
        batch.error = std::move(r.error);
        return batch;
      }
      break;
    }
  }
  batch.end = r.done;
  return batch;
}

const std::string& CsvReader::name() const { return m_impl->name; }

std::uint64_t CsvReader::bytes_read() const {
  return m_impl->offset + m_impl->begin;
}

std::uint64_t CsvReader::size() const { return m_impl->total; }

void append_csv_field(std::string& out, std::string_view field) {
  const bool quote =
      field.find_first_of(",\"\r\n") != std::string_view::npos ||
      (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
}

namespace {

template <class Field>
void append_record(std::string& out, std::span<const Field> fields) {
  // A lone empty field would be an empty line, which readers skip.
  if (fields.size() == 1 && std::string_view(fields[0]).empty()) {
    out += "\"\"\n";
    return;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0)
      out += ',';
    append_csv_field(out, fields[i]);
  }
  out += '\n';
}

} // namespace

void append_csv_record(std::string& out,
                       std::span<const std::string_view> fields) {
  append_record(out, fields);
}

void append_csv_record(std::string& out, std::span<const std::string> fields) {
  append_record(out, fields);
}

std::string neutralize_formula(std::string_view cell) {
  if (!cell.empty() &&
      std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos)
    return '\'' + std::string(cell);
  return std::string(cell);
}

std::size_t invalid_utf8_at(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  // Nearly every record is ASCII: one branch-free pass decides that.
  {
    std::uint64_t high = 0;
    std::size_t k = 0;
    for (; k + 8 <= n; k += 8) {
      std::uint64_t word;
      std::memcpy(&word, p + k, 8);
      high |= word;
    }
    for (; k < n; ++k)
      high |= p[k];
    if ((high & 0x8080808080808080ull) == 0)
      return std::string_view::npos;
  }
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the 2nd byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0; // no overlong forms
      else if (c == 0xED)
        hi = 0x9F; // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F; // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi)
      return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80)
        return i;
    i += len;
  }
  return std::string_view::npos;
}

std::optional<std::string> utf8_problem(std::string_view text) {
  const auto bad = invalid_utf8_at(text);
  if (bad == std::string_view::npos)
    return std::nullopt;
  return fmt::format("byte 0x{:02X} is not valid UTF-8",
                     static_cast<unsigned char>(text[bad]));
}

std::string_view line_of(const CsvRecord& record, CsvPos pos) {
  std::string_view raw = record.raw;
  for (auto l = record.line; l < pos.line; ++l) {
    const auto nl = raw.find('\n');
    if (nl == std::string_view::npos)
      break;
    raw.remove_prefix(nl + 1);
  }
  raw = raw.substr(0, raw.find('\n'));
  if (!raw.empty() && raw.back() == '\r')
    raw.remove_suffix(1);
  return raw;
}

} // namespace arctl
