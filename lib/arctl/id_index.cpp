#include "arctl/id_index.hpp"

#include <algorithm>
#include <cstring>

namespace arctl {

namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

// Where an id goes in the table and the tag that tells ids apart there.
// Document numbers are sequential ("INV-2026-00417"), and the books refer to
// them in roughly that order, so a number's last 4 bits pick its place
// within a block of 16 neighbouring slots and the rest is hashed: one memory
// access serves a run of lookups, while blocks still spread evenly.
struct IdHash {
  std::uint64_t slot;
  std::uint32_t tag;
};
constexpr std::uint64_t k_block = 16;

IdHash hash_id(std::string_view s) {
  std::size_t digits = 0;
  std::uint64_t number = 0;
  while (digits < s.size() && digits < 18 &&
         s[s.size() - 1 - digits] >= '0' && s[s.size() - 1 - digits] <= '9')
    ++digits;
  for (std::size_t k = s.size() - digits; k < s.size(); ++k)
    number = number * 10 + static_cast<std::uint64_t>(s[k] - '0');
  const auto prefix = s.substr(0, s.size() - digits);
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ (s.size() << 8) ^ digits;
  const char* p = prefix.data();
  std::size_t n = prefix.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(h ^ w);
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = mix(h ^ w);
  }
  h = mix(h ^ (number / k_block));
  return {(h & ~(k_block - 1)) | (number % k_block),
          static_cast<std::uint32_t>(h >> 32) ^
              static_cast<std::uint32_t>(number % k_block)};
}

} // namespace

bool IdIndex::same_key(const Slot& slot, std::string_view id) {
  if (slot.size != id.size())
    return false;
  return std::memcmp(key_of(slot).data(), id.data(), id.size()) == 0;
}

std::string_view IdIndex::key_of(const Slot& slot) {
  if (slot.size <= k_inline)
    return {slot.bytes, slot.size};
  const char* p;
  std::memcpy(&p, slot.bytes, sizeof p);
  return {p, slot.size};
}

std::optional<std::uint32_t> IdIndex::insert(std::string_view id,
                                             std::uint32_t value) {
  if ((m_size + 1) * 4 > m_count * 3)
    rehash(m_count == 0 ? 1024 : m_count * 2);
  const auto [start, tag] = hash_id(id);
  const auto mask = m_count - 1;
  for (auto i = start & mask;; i = (i + 1) & mask) {
    auto& slot = m_slots[i];
    if (slot.size == 0) {
      slot.tag = tag;
      slot.value = value;
      slot.size = static_cast<std::uint16_t>(id.size());
      if (id.size() <= k_inline) {
        std::memcpy(slot.bytes, id.data(), id.size());
      } else {
        const char* p = id.data();
        std::memcpy(slot.bytes, &p, sizeof p);
      }
      ++m_size;
      return std::nullopt;
    }
    if (slot.tag == tag && same_key(slot, id))
      return slot.value;
  }
}

std::optional<std::uint32_t> IdIndex::find(std::string_view id) const {
  if (m_count == 0 || id.empty() || id.size() > 65535)
    return std::nullopt;
  const auto [start, tag] = hash_id(id);
  const auto mask = m_count - 1;
  for (auto i = start & mask;; i = (i + 1) & mask) {
    const auto& slot = m_slots[i];
    if (slot.size == 0)
      return std::nullopt;
    if (slot.tag == tag && same_key(slot, id))
      return slot.value;
  }
}

void IdIndex::reserve(std::size_t n) {
  std::size_t slots = 1024;
  while (slots * 3 < n * 4)
    slots *= 2;
  if (slots > m_count)
    rehash(slots);
}

void IdIndex::rehash(std::size_t slots) {
  auto old = std::move(m_slots);
  const auto old_count = m_count;
  // Fresh pages from the kernel are zero, which is an empty slot: no fill.
  m_slots = ZeroedArray<Slot>(slots);
  m_count = slots;
  m_size = 0;
  for (std::size_t i = 0; i < old_count; ++i)
    if (old[i].size != 0)
      insert(key_of(old[i]), old[i].value);
}

std::string_view Arena::store(std::string_view text) {
  if (text.empty())
    return {};
  if (text.size() > m_left) {
    const auto size = std::max<std::size_t>(std::size_t{8} << 20, text.size());
    m_blocks.emplace_back(size);
    m_next = &m_blocks.back()[0];
    m_left = size;
  }
  char* dst = m_next;
  std::memcpy(dst, text.data(), text.size());
  m_next += text.size();
  m_left -= text.size();
  return {dst, text.size()};
}

} // namespace arctl
