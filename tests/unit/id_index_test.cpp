#include "arctl/id_index.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <string>
#include <vector>

using namespace arctl;

TEST_CASE("the id index finds what was inserted and reports duplicates") {
  IdIndex index;
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i)
    ids.push_back("ID-" + std::to_string(i));
  for (std::uint32_t i = 0; i < ids.size(); ++i)
    CHECK_FALSE(index.insert(ids[i], i));
  CHECK(index.size() == 5000);
  CHECK(index.find("ID-4321") == 4321u);
  CHECK_FALSE(index.find("ID-5000"));
  CHECK(index.insert(ids[7], 99) == 7u);
}

TEST_CASE("ids longer than a slot holds are found like short ones") {
  IdIndex index;
  const std::string long_a(40, 'a'), long_b = std::string(39, 'a') + "b";
  CHECK_FALSE(index.insert(long_a, 1));
  CHECK_FALSE(index.insert(long_b, 2));
  CHECK_FALSE(index.insert("INV-0000000000000000001", 3)); // 23 bytes
  CHECK(index.find(std::string(40, 'a')) == 1u);
  CHECK(index.find(long_b) == 2u);
  CHECK(index.find("INV-0000000000000000001") == 3u);
  CHECK_FALSE(index.find(std::string(41, 'a')));
  CHECK(index.insert(std::string(40, 'a'), 9) == 1u);
}

TEST_CASE("sequential ids and ids differing only in width stay apart") {
  std::deque<std::string> ids; // the index views its keys
  IdIndex index;
  for (std::uint32_t i = 0; i < 3000; ++i)
    CHECK_FALSE(index.insert(ids.emplace_back("INV-" + std::to_string(i)), i));
  // "INV-01" and "INV-1" carry the same number but are different ids.
  CHECK_FALSE(index.find("INV-01"));
  CHECK(index.find("INV-1") == 1u);
  CHECK(index.find("INV-2999") == 2999u);
}

TEST_CASE("ids of every form read back after the table grows") {
  // Short prefixes and numbers are kept inside a slot, others outside;
  // growing the table moves both.
  std::deque<std::string> ids;
  for (int i = 0; i < 3000; ++i) {
    const auto n = std::to_string(i);
    ids.push_back("INV-" + n);
    ids.push_back("INV-" + std::string(7 - n.size(), '0') + n);
    ids.push_back(n);
    ids.push_back("C" + n + "X");
    ids.push_back("LONGPREFIX-" + n);
    ids.push_back("BTX20260101" + std::string(8 - n.size(), '0') + n);
    ids.push_back("ab.c_" + n + "-" + n);
  }
  IdIndex index;
  for (std::uint32_t i = 0; i < ids.size(); ++i)
    REQUIRE_FALSE(index.insert(ids[i], i));
  CHECK(index.size() == ids.size());
  for (std::uint32_t i = 0; i < ids.size(); ++i)
    REQUIRE(index.find(ids[i]) == i);
  CHECK_FALSE(index.find("INV-3000"));
  CHECK_FALSE(index.find("INV-00001")); // "INV-0000001" and "INV-1" are in
  CHECK_FALSE(index.find("01"));
  CHECK_FALSE(index.find("LONGPREFIX-3000"));
  CHECK_FALSE(index.find("BTX2026010100003000"));
  CHECK(index.insert("C12X", 0) == 12u * 7 + 3); // the 4th of the 13th seven
}

TEST_CASE("indexes of ids of different shapes share no id") {
  IdIndex invoices, payments, numbers;
  std::deque<std::string> ids;
  for (std::uint32_t i = 1; i <= 100; ++i) {
    invoices.insert(ids.emplace_back("INV-" + std::to_string(1000 + i)), i);
    payments.insert(ids.emplace_back("PAY-" + std::to_string(1000 + i)), i);
    numbers.insert(ids.emplace_back(std::to_string(1000 + i)), i);
  }
  CHECK_FALSE(invoices.may_share_ids(payments));
  CHECK_FALSE(payments.may_share_ids(numbers));
  CHECK(invoices.may_share_ids(invoices));
  CHECK_FALSE(invoices.find("PAY-1001"));
  invoices.insert("PAY-9999", 0);
  CHECK(invoices.may_share_ids(payments));
}
