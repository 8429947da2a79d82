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
