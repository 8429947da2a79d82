#include "arctl/encoding.hpp"

#include <doctest/doctest.h>

using namespace arctl;

namespace {
std::string decoded(std::string_view bytes,
                    std::string_view encoding = "auto") {
  auto d = decode_text(bytes, encoding, "f.txt");
  REQUIRE(d.has_value());
  return d->encoding + ": " + d->text;
}
} // namespace

TEST_CASE("UTF-8 is read as it is, without its byte-order mark") {
  CHECK(decoded("\xEF\xBB\xBFM\xC3\xBCller") == "UTF-8: Müller");
  CHECK(decoded("plain") == "UTF-8: plain");
}

TEST_CASE("other text is read in the code page that makes letters of it") {
  // Latin-1 / Windows-1252: "Empfänger", "Müller".
  CHECK(decoded("Empf\xE4nger M\xFCller") == "WINDOWS-1252: Empfänger Müller");
  // CP850 (DOS, western Europe): "Müller" with ü at 0x81.
  CHECK(decoded("M\x81ller \x84rger") == "CP850: Müller ärger");
  // CP852 (DOS, central Europe): "Díj, jutalék" and "Győr", ő at 0x8B.
  CHECK(decoded("D\xA1j, jutal\x82k Gy\x8Br \xFBr") ==
        "CP852: Díj, jutalék Győr űr");
}

TEST_CASE("an encoding named is used as named") {
  CHECK(decoded("\x81", "cp850") == "cp850: ü");
  CHECK(decoded("\xE4", "latin1") == "latin1: ä");
}

TEST_CASE("a byte that is not text in the encoding is an error at its place") {
  auto d = decode_text("ok\nab\xC3(", "utf-8", "f.txt");
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error().exit == ExitCode::data);
  REQUIRE(d.error().diagnostics.size() == 1);
  const auto& p = d.error().diagnostics[0];
  CHECK(p.loc.file == "f.txt");
  CHECK(p.loc.line == 2);
  CHECK(p.loc.column == 3);
  CHECK(p.message == "byte 0xC3 is not text in utf-8");
}

TEST_CASE("encodings iconv does not know are named as such") {
  CHECK_FALSE(encoding_problem("auto"));
  CHECK_FALSE(encoding_problem("cp852"));
  CHECK(*encoding_problem("klingon") == "encoding \"klingon\" is not known");
}
