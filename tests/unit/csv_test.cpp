#include "arctl/csv.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace arctl;

namespace {

// A record copied out of the reader, so it outlives the next call.
struct Row {
  std::vector<std::string> fields;
  std::vector<CsvPos> positions;
  std::uint32_t line = 0;
  std::string raw;
};

struct Outcome {
  std::vector<Row> rows;
  std::vector<Diagnostic> errors;
  std::string trace; // rows and errors in order, to compare two readings
};

void add_error(Outcome& out, const Diagnostic& d) {
  out.trace += "error " + std::to_string(d.loc.line) + ":" +
               std::to_string(d.loc.column) + " " + d.message + " [" +
               d.excerpt + "]\n";
  out.errors.push_back(d);
}

void add_record(Outcome& out, const CsvRecord& rec) {
  Row row;
  row.line = rec.line;
  row.raw = std::string(rec.raw);
  out.trace += "record " + std::to_string(rec.line) + " [" + row.raw + "]";
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    row.fields.emplace_back(rec.fields[i]);
    row.positions.push_back(rec.positions[i]);
    out.trace += " " + std::to_string(rec.positions[i].line) + ":" +
                 std::to_string(rec.positions[i].column) + "<" +
                 row.fields.back() + ">";
  }
  out.trace += "\n";
  out.rows.push_back(std::move(row));
}

Outcome read_all(CsvReader& reader) {
  Outcome out;
  CsvRecord rec;
  for (;;) {
    auto got = reader.next(rec);
    if (!got) {
      add_error(out, got.error());
      continue;
    }
    if (!*got)
      break;
    add_record(out, rec);
  }
  return out;
}

// As read_all, `size` records at a time; each batch is copied out only
// once it is complete, so every record of it must still be valid.
Outcome read_batches(CsvReader& reader, std::size_t size,
                     std::uint64_t stop = UINT64_MAX) {
  Outcome out;
  std::vector<CsvRecord> batch(size);
  for (;;) {
    auto got = reader.next_batch(batch, stop);
    REQUIRE(got.records <= size);
    for (std::size_t i = 0; i < got.records; ++i)
      add_record(out, batch[i]);
    if (got.error)
      add_error(out, *got.error);
    if (got.end || (got.records == 0 && !got.error))
      break;
  }
  return out;
}

Outcome read_string(std::string text) {
  auto reader = CsvReader::from_string(std::move(text), "t.csv");
  return read_all(reader);
}

// Feeds `text` through a pipe from another thread, `chunk` bytes per write,
// to a reader whose buffer starts at `buffer` bytes.
Outcome read_pipe(const std::string& text, std::size_t chunk,
                  std::size_t buffer = std::size_t{1} << 20) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([&text, chunk, fd = fds[1]] {
    for (std::size_t at = 0; at < text.size();) {
      const auto n =
          ::write(fd, text.data() + at, std::min(chunk, text.size() - at));
      if (n <= 0)
        break;
      at += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
  Outcome out;
  {
    // Closes the read end before joining, should the reader stop early.
    auto reader = CsvReader::from_fd(fds[0], "t.csv", buffer);
    out = read_all(reader);
  }
  writer.join();
  return out;
}

// A file in /tmp holding `content`, removed again at the end of the test.
class TempFile {
public:
  explicit TempFile(const std::string& content) {
    char tmpl[] = "/tmp/arctl-csv-test.XXXXXX";
    const int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    m_path = tmpl;
    for (std::size_t at = 0; at < content.size();) {
      const auto n = ::write(fd, content.data() + at, content.size() - at);
      REQUIRE(n > 0);
      at += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  ~TempFile() { ::unlink(m_path.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

using Fields = std::vector<std::string>;

void check_pos(const Row& row, std::size_t i, std::uint32_t line,
               std::uint32_t column) {
  REQUIRE(i < row.positions.size());
  CHECK(row.positions[i].line == line);
  CHECK(row.positions[i].column == column);
}

} // namespace

TEST_CASE("plain fields are split at commas with their line and column") {
  const auto out = read_string("id,name,amount\nINV-1,Acme,12.50\n,,\n");
  REQUIRE(out.errors.empty());
  REQUIRE(out.rows.size() == 3);
  CHECK(out.rows[0].fields == Fields{"id", "name", "amount"});
  CHECK(out.rows[1].fields == Fields{"INV-1", "Acme", "12.50"});
  CHECK(out.rows[1].line == 2);
  CHECK(out.rows[1].raw == "INV-1,Acme,12.50");
  check_pos(out.rows[1], 0, 2, 1);
  check_pos(out.rows[1], 1, 2, 7);
  check_pos(out.rows[1], 2, 2, 12);
  CHECK(out.rows[2].fields == Fields{"", "", ""});
  check_pos(out.rows[2], 2, 3, 3);
}

TEST_CASE("quoted fields may hold commas, quotes and line breaks") {
  SUBCASE("commas") {
    const auto out = read_string("a,\"Acme, Inc.\",b\n");
    REQUIRE(out.rows.size() == 1);
    CHECK(out.rows[0].fields == Fields{"a", "Acme, Inc.", "b"});
    check_pos(out.rows[0], 1, 1, 3);
    check_pos(out.rows[0], 2, 1, 16);
  }
  SUBCASE("doubled quotes are unescaped and the raw text is kept") {
    const auto out =
        read_string("\"say \"\"hi\"\"\",\"\"\"\",\"\"\nnext,\"a\"\"\"\n");
    REQUIRE(out.errors.empty());
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[0].fields == Fields{"say \"hi\"", "\"", ""});
    CHECK(out.rows[0].raw == "\"say \"\"hi\"\"\",\"\"\"\",\"\"");
    check_pos(out.rows[0], 1, 1, 14);
    check_pos(out.rows[0], 2, 1, 19);
    CHECK(out.rows[1].fields == Fields{"next", "a\""});
    CHECK(out.rows[1].raw == "next,\"a\"\"\"");
  }
  SUBCASE("line feeds, with the lines after them counted") {
    const auto out =
        read_string("id,address\nC1,\"1 Main St\nSpringfield\n\",x\nC2,y\n");
    REQUIRE(out.errors.empty());
    REQUIRE(out.rows.size() == 3);
    CHECK(out.rows[1].fields == Fields{"C1", "1 Main St\nSpringfield\n", "x"});
    CHECK(out.rows[1].line == 2);
    CHECK(out.rows[1].raw == "C1,\"1 Main St\nSpringfield\n\",x");
    check_pos(out.rows[1], 1, 2, 4);
    check_pos(out.rows[1], 2, 4, 3);
    CHECK(out.rows[2].line == 5);
    check_pos(out.rows[2], 1, 5, 4);
  }
  SUBCASE("CRLF inside quotes is content") {
    const auto out = read_string("\"a\r\nb\",c\r\nd,e\r\n");
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[0].fields == Fields{"a\r\nb", "c"});
    check_pos(out.rows[0], 1, 2, 4);
    CHECK(out.rows[1].line == 3);
    CHECK(out.rows[1].fields == Fields{"d", "e"});
  }
  SUBCASE("an empty line inside quotes does not end the record") {
    const auto out = read_string("\"a\n\nb\"\nz\n");
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[0].fields == Fields{"a\n\nb"});
    CHECK(out.rows[1].line == 4);
  }
}

TEST_CASE("CRLF line endings are not part of the last field") {
  const auto out = read_string("a,b\r\nc,\"d\"\r\ne,\r\n");
  REQUIRE(out.errors.empty());
  REQUIRE(out.rows.size() == 3);
  CHECK(out.rows[0].fields == Fields{"a", "b"});
  CHECK(out.rows[0].raw == "a,b");
  CHECK(out.rows[1].fields == Fields{"c", "d"});
  CHECK(out.rows[1].raw == "c,\"d\"");
  CHECK(out.rows[2].fields == Fields{"e", ""});
  CHECK(out.rows[2].line == 3);
}

TEST_CASE("a lone CR inside an unquoted field is kept") {
  const auto out = read_string("a\rb,c\r\nd\r");
  REQUIRE(out.rows.size() == 2);
  CHECK(out.rows[0].fields == Fields{"a\rb", "c"});
  CHECK(out.rows[1].fields == Fields{"d\r"});
}

TEST_CASE("a byte-order mark at the start is skipped") {
  SUBCASE("columns count from the byte after it") {
    const auto out = read_string("\xEF\xBB\xBFid,name\nC1,x\n");
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[0].fields == Fields{"id", "name"});
    CHECK(out.rows[0].raw == "id,name");
    check_pos(out.rows[0], 0, 1, 1);
    check_pos(out.rows[0], 1, 1, 4);
  }
  SUBCASE("a file holding only the mark has no records") {
    CHECK(read_string("\xEF\xBB\xBF").rows.empty());
    CHECK(read_string("\xEF\xBB\xBF\n").rows.empty());
  }
  SUBCASE("a mark later in the file is content") {
    const auto out = read_string("a\n\xEF\xBB\xBF"
                                 "b\n");
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[1].fields == Fields{"\xEF\xBB\xBF"
                                       "b"});
  }
}

TEST_CASE("empty lines are skipped but still counted") {
  SUBCASE("LF") {
    const auto out = read_string("\n\na\n\n\nb\n\n");
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[0].line == 3);
    CHECK(out.rows[1].line == 6);
    check_pos(out.rows[1], 0, 6, 1);
  }
  SUBCASE("CRLF") {
    const auto out = read_string("\r\na\r\n\r\nb\r\n\r\n");
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[0].line == 2);
    CHECK(out.rows[1].line == 4);
    CHECK(out.rows[1].fields == Fields{"b"});
  }
  SUBCASE("nothing but empty lines") {
    CHECK(read_string("").rows.empty());
    CHECK(read_string("\n\r\n\n").rows.empty());
  }
}

TEST_CASE("the last record needs no line ending") {
  SUBCASE("unquoted") {
    const auto out = read_string("a,b\nc,d");
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[1].fields == Fields{"c", "d"});
    CHECK(out.rows[1].raw == "c,d");
  }
  SUBCASE("quoted") {
    const auto out = read_string("a\n\"c\"\"\"");
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[1].fields == Fields{"c\""});
  }
  SUBCASE("ending in a comma") {
    const auto out = read_string("a,");
    REQUIRE(out.rows.size() == 1);
    CHECK(out.rows[0].fields == Fields{"a", ""});
  }
}

TEST_CASE("a quote inside an unquoted field is an error at the quote") {
  const auto out = read_string("id,name\nC1,ab\"c,x\nC2,y\n");
  REQUIRE(out.errors.size() == 1);
  const auto& d = out.errors[0];
  CHECK(d.severity == Severity::error);
  CHECK(d.code == "csv-syntax");
  CHECK(d.loc.file == "t.csv");
  CHECK(d.loc.line == 2);
  CHECK(d.loc.column == 6);
  CHECK(d.message == "quote inside an unquoted field");
  CHECK(d.excerpt == "C1,ab\"c,x");
  CHECK(d.span == 1);
  CHECK(d.hint ==
        "enclose the whole field in quotes and double the quote: \"ab\"\"c\"");
  REQUIRE(out.rows.size() == 2);
  CHECK(out.rows[1].fields == Fields{"C2", "y"});
  CHECK(out.rows[1].line == 3);
}

TEST_CASE("a long field with a quote gets a general hint") {
  const auto out = read_string(std::string(70, 'a') + "\"b\n");
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0].loc.column == 71);
  CHECK(out.errors[0].hint ==
        "enclose the whole field in quotes and double each quote inside it");
}

TEST_CASE("text after a closing quote is an error at that text") {
  SUBCASE("on one line") {
    const auto out = read_string("a,\"ab\"c,d\r\ne\r\n");
    REQUIRE(out.errors.size() == 1);
    const auto& d = out.errors[0];
    CHECK(d.code == "csv-syntax");
    CHECK(d.message == "unexpected text after a closing quote");
    CHECK(d.loc.line == 1);
    CHECK(d.loc.column == 7);
    CHECK(d.excerpt == "a,\"ab\"c,d");
    REQUIRE(out.rows.size() == 1);
    CHECK(out.rows[0].fields == Fields{"e"});
    CHECK(out.rows[0].line == 2);
  }
  SUBCASE("on the last line of a multi-line field") {
    const auto out = read_string("x\n\"a\nbc\" d\ne\n");
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].loc.line == 3);
    CHECK(out.errors[0].loc.column == 4);
    CHECK(out.errors[0].excerpt == "bc\" d");
    REQUIRE(out.rows.size() == 2);
    CHECK(out.rows[1].fields == Fields{"e"});
    CHECK(out.rows[1].line == 4);
  }
  SUBCASE("a lone CR after the closing quote") {
    const auto out = read_string("\"a\"\rb\n");
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].loc.column == 4);
  }
}

TEST_CASE("an unterminated quoted field is an error at its opening quote") {
  const auto out = read_string("a,b\nc,\"open\nmore,text\nlast\n");
  REQUIRE(out.errors.size() == 1);
  const auto& d = out.errors[0];
  CHECK(d.code == "csv-syntax");
  CHECK(d.message == "unterminated quoted field");
  CHECK(d.hint == "a field that starts with \" must end with \"");
  CHECK(d.loc.line == 2);
  CHECK(d.loc.column == 3);
  CHECK(d.excerpt == "c,\"open");
  // It swallows the rest of the file, so input ends there.
  REQUIRE(out.rows.size() == 1);
  CHECK(out.rows[0].fields == Fields{"a", "b"});
}

TEST_CASE("after an error the reader resumes at the next line") {
  auto reader = CsvReader::from_string(
      "h1,h2\nok,1\nb\"ad,2\nok,3\n\"x\"y,4\nok,5\n\"never closed\n", "t.csv");
  CsvRecord rec;
  std::vector<std::uint32_t> record_lines;
  std::vector<std::uint32_t> error_lines;
  for (;;) {
    auto got = reader.next(rec);
    if (!got) {
      error_lines.push_back(got.error().loc.line);
      continue;
    }
    if (!*got)
      break;
    record_lines.push_back(rec.line);
  }
  CHECK(record_lines == std::vector<std::uint32_t>{1, 2, 4, 6});
  CHECK(error_lines == std::vector<std::uint32_t>{3, 5, 7});
  auto again = reader.next(rec);
  REQUIRE(again.has_value());
  CHECK_FALSE(*again);
}

TEST_CASE("any split of the input reads the same as reading it whole") {
  const std::vector<std::string> inputs = {
      "id,name\r\nC1,\"Acme, \"\"Inc.\"\"\"\r\n\r\nC2,\"a\r\nb\"\r\n",
      "\xEF\xBB\xBF"
      "a,b\n\n\"q\"\"\",\"\n\n\"\nlast",
      "a\rb,c\r\r\n\"x\"\r\n\"\"\n,\n",
      "ok\nb\"ad,x\n\"t\"t\nfine,\"\"\"\"\n\"open\nrest\n",
      "\"a\"\r",
      "x,\"",
      "\r",
  };
  for (const auto& input : inputs) {
    const auto whole = read_string(input);
    CAPTURE(input);
    for (const std::size_t buffer : {1, 2, 3, 4, 5, 7, 16}) {
      CAPTURE(buffer);
      CHECK(read_pipe(input, 1, buffer).trace == whole.trace);
      CHECK(read_pipe(input, 3, buffer).trace == whole.trace);
      const TempFile file(input);
      const int fd = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
      REQUIRE(fd >= 0);
      auto reader = CsvReader::from_fd(fd, "t.csv", buffer);
      CHECK(read_all(reader).trace == whole.trace);
    }
  }
}

TEST_CASE("records read in batches are those read one at a time") {
  const std::vector<std::string> inputs = {
      "id,name\r\nC1,\"Acme, \"\"Inc.\"\"\"\r\n\r\nC2,\"a\r\nb\"\r\n",
      "\xEF\xBB\xBF"
      "a,b\n\n\"q\"\"\",\"\n\n\"\nlast",
      "a\rb,c\r\r\n\"x\"\r\n\"\"\n,\n",
      "ok\nb\"ad,x\n\"t\"t\nfine,\"\"\"\"\n\"open\nrest\n",
      "x,\"",
      "1,\"a\"\"b\"\n2,\"c\"\"d\"\n3,\"e\"\"f\"\n4,x\n5,\"g\"\"\"\n",
  };
  for (const auto& input : inputs) {
    const auto whole = read_string(input);
    CAPTURE(input);
    for (const std::size_t size : {1, 2, 3, 64}) {
      CAPTURE(size);
      auto text = CsvReader::from_string(input, "t.csv");
      CHECK(read_batches(text, size).trace == whole.trace);
      for (const std::size_t buffer : {1, 2, 5, 16}) {
        CAPTURE(buffer);
        const TempFile file(input);
        const int fd = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        auto reader = CsvReader::from_fd(fd, "t.csv", buffer);
        CHECK(read_batches(reader, size).trace == whole.trace);
      }
    }
  }
}

TEST_CASE("a file is read in parts that start and stop at records") {
  const std::string text = "id,memo\n1,a\n2,\"b\nc\"\n\n3,d\n4,e\n";
  const TempFile file(text);
  const auto whole = read_string(text);

  SUBCASE("a batch stops before a record starting at or after the stop") {
    auto reader = CsvReader::open(file.path(), "t.csv");
    REQUIRE(reader.has_value());
    const auto first = read_batches(*reader, 64, 12); // "2,..." starts at 12
    REQUIRE(first.rows.size() == 2);
    CHECK(reader->bytes_read() == 12);
    CHECK(read_batches(*reader, 64, 12).rows.empty());
    const auto rest = read_batches(*reader, 64);
    CHECK(first.trace + rest.trace == whole.trace);
  }
  SUBCASE("a record that goes past the stop is read whole") {
    auto reader = CsvReader::open(file.path(), "t.csv");
    REQUIRE(reader.has_value());
    const auto first = read_batches(*reader, 64, 15); // inside the quotes
    REQUIRE(first.rows.size() == 3);
    CHECK(first.rows[2].fields == Fields{"2", "b\nc"});
    CHECK(reader->bytes_read() == 20);
  }
  SUBCASE("a reader opened at a record reads on with its line number") {
    auto reader = CsvReader::open(file.path(), "t.csv", 20, 5);
    REQUIRE(reader.has_value());
    CHECK(reader->bytes_read() == 20);
    CHECK(reader->size() == text.size());
    const auto rest = read_all(*reader);
    REQUIRE(rest.rows.size() == 2);
    CHECK(rest.rows[0].fields == Fields{"3", "d"});
    CHECK(rest.rows[0].line == 6);
    CHECK(rest.rows[1].line == 7);
    CHECK(reader->bytes_read() == text.size());
  }
}

TEST_CASE("a record longer than the buffer is read whole") {
  std::string big(3 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 1000)
    big[i] = i % 3000 == 0 ? '\n' : ',';
  std::string text = "a,b\n1,\"" + big + "\",2\nz\n";
  Fields expected_big = {"1", big, "2"};

  SUBCASE("from a file") {
    const TempFile file(text);
    auto reader = CsvReader::open(file.path(), "big.csv");
    REQUIRE(reader.has_value());
    CHECK(reader->size() == text.size());
    const auto out = read_all(*reader);
    REQUIRE(out.errors.empty());
    REQUIRE(out.rows.size() == 3);
    CHECK(out.rows[1].fields == expected_big);
    CHECK(out.rows[2].line == 3 + 1049);
    CHECK(reader->bytes_read() == text.size());
  }
  SUBCASE("from a pipe") {
    const auto out = read_pipe(text, 65536);
    REQUIRE(out.rows.size() == 3);
    CHECK(out.rows[1].fields == expected_big);
    CHECK(out.rows[2].line == 3 + 1049);
  }
  SUBCASE("unquoted") {
    std::string field(3 << 20, 'y');
    const auto out = read_pipe("a\n" + field + "\nb\n", 4096, 1024);
    REQUIRE(out.rows.size() == 3);
    CHECK(out.rows[1].fields == Fields{field});
    CHECK(out.rows[2].fields == Fields{"b"});
  }
}

TEST_CASE("records arrive through a pipe as they are written") {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text += std::to_string(i) + ",\"n, " + std::to_string(i) + "\"\n";
  const auto out = read_pipe(text, 777);
  REQUIRE(out.errors.empty());
  REQUIRE(out.rows.size() == 20000);
  CHECK(out.rows[12345].fields == Fields{"12345", "n, 12345"});
  CHECK(out.rows[12345].line == 12346);
}

TEST_CASE("a file that cannot be opened is missing input") {
  SUBCASE("it does not exist") {
    auto r = CsvReader::open("/nonexistent/x.csv", "books/x.csv");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().exit == ExitCode::no_input);
    CHECK(r.error().message ==
          "cannot open books/x.csv: No such file or directory");
  }
  SUBCASE("it is a directory") {
    auto r = CsvReader::open("/tmp", "tmp");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().exit == ExitCode::no_input);
    CHECK(r.error().message == "cannot open tmp: Is a directory");
  }
}

TEST_CASE("a read error is reported once and ends the input") {
  const int fd = ::open("/tmp", O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  auto reader = CsvReader::from_fd(fd, "dir");
  CsvRecord rec;
  auto got = reader.next(rec);
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().code == "read-error");
  CHECK(got.error().message == "cannot read dir: Is a directory");
  CHECK(reader.next(rec) == false);
}

TEST_CASE("size and bytes read follow the input") {
  const TempFile file("\xEF\xBB\xBF"
                      "a,b\n\nc\n");
  auto reader = CsvReader::open(file.path(), "f.csv");
  REQUIRE(reader.has_value());
  CHECK(reader->name() == "f.csv");
  CHECK(reader->size() == 10);
  CHECK(reader->bytes_read() == 0);
  CsvRecord rec;
  REQUIRE(reader->next(rec) == true);
  CHECK(reader->bytes_read() == 7);
  REQUIRE(reader->next(rec) == true);
  CHECK(reader->bytes_read() == 10);
  CHECK(reader->next(rec) == false);

  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[1]);
  auto piped = CsvReader::from_fd(fds[0], "-");
  CHECK(piped.size() == 0);
  CHECK(piped.next(rec) == false);
}

TEST_CASE("the writer quotes only fields that need it") {
  auto field = [](std::string_view f) {
    std::string out;
    append_csv_field(out, f);
    return out;
  };
  CHECK(field("plain") == "plain");
  CHECK(field("") == "");
  CHECK(field("in side") == "in side");
  CHECK(field("a,b") == "\"a,b\"");
  CHECK(field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(field("a\nb") == "\"a\nb\"");
  CHECK(field("a\rb") == "\"a\rb\"");
  CHECK(field(" lead") == "\" lead\"");
  CHECK(field("trail ") == "\"trail \"");

  std::string out;
  const std::vector<std::string> row = {"a", "b,c", ""};
  append_csv_record(out, row);
  const std::vector<std::string_view> views = {"x"};
  append_csv_record(out, views);
  CHECK(out == "a,\"b,c\",\n"
               "x\n");
}

TEST_CASE("a record of one empty field is written so that it reads back") {
  std::string out;
  const std::vector<std::string> row = {""};
  append_csv_record(out, row);
  CHECK(out == "\"\"\n");
  const auto back = read_string(out);
  REQUIRE(back.rows.size() == 1);
  CHECK(back.rows[0].fields == Fields{""});
}

TEST_CASE("written records read back unchanged") {
  const std::vector<std::vector<std::string>> rows = {
      {"id", "name", "note"},
      {"C1", "Acme, Inc.", "say \"hi\""},
      {"C2", "two\nlines", "crlf\r\ninside"},
      {"C3", " spaced ", "\"\""},
      {"C4", "", "lone\rcr"},
      {"", "", ""},
      {"\xEF\xBB\xBF"
       "bom",
       "=1+1", "end\r"},
  };
  std::string text;
  for (const auto& row : rows)
    append_csv_record(text, row);
  const auto back = read_string(text);
  REQUIRE(back.errors.empty());
  REQUIRE(back.rows.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    CHECK(back.rows[i].fields == rows[i]);
  CHECK(back.rows[3].line == 6);
}

TEST_CASE("cells that spreadsheets would run as formulas get a quote") {
  SUBCASE("formula starts") {
    CHECK(neutralize_formula("=SUM(A1:A9)") == "'=SUM(A1:A9)");
    CHECK(neutralize_formula("+1") == "'+1");
    CHECK(neutralize_formula("-1") == "'-1");
    CHECK(neutralize_formula("@cmd") == "'@cmd");
    CHECK(neutralize_formula("\tx") == "'\tx");
    CHECK(neutralize_formula("\rx") == "'\rx");
  }
  SUBCASE("ordinary text") {
    CHECK(neutralize_formula("") == "");
    CHECK(neutralize_formula("Acme") == "Acme");
    CHECK(neutralize_formula("a=b") == "a=b");
    CHECK(neutralize_formula(" =x") == " =x");
    CHECK(neutralize_formula("'quoted") == "'quoted");
  }
}

TEST_CASE("a reader can be moved") {
  auto reader = CsvReader::from_string("a\nb\n", "t.csv");
  CsvRecord rec;
  REQUIRE(reader.next(rec) == true);
  CsvReader moved = std::move(reader);
  REQUIRE(moved.next(rec) == true);
  CHECK(rec.fields[0] == "b");
  CHECK(moved.next(rec) == false);
}

TEST_CASE("invalid UTF-8 is found at its first bad byte") {
  using arctl::invalid_utf8_at;
  constexpr auto ok = std::string_view::npos;
  CHECK(invalid_utf8_at("plain ASCII, long enough for the fast path") == ok);
  CHECK(invalid_utf8_at("Zoë, Ærø, 東京, 😀") == ok);
  CHECK(invalid_utf8_at("M\xFC" "ller") == 1);        // Latin-1 ü
  CHECK(invalid_utf8_at("abcdefghij\xE9t\xE9") == 10); // after a fast-path word
  CHECK(invalid_utf8_at("\xC0\xAF") == 0);            // overlong '/'
  CHECK(invalid_utf8_at("\xED\xA0\x80") == 0);        // surrogate
  CHECK(invalid_utf8_at("\xF4\x90\x80\x80") == 0);    // above U+10FFFF
  CHECK(invalid_utf8_at("ok \xE2\x82") == 3);         // truncated €
}
