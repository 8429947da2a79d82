#include "arctl/id_index.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace arctl {

namespace {

constexpr std::uint64_t k_ones = 0x0101010101010101ull;
constexpr std::uint64_t k_high = 0x8080808080808080ull;

// Little-endian loads: the byte first in memory is the lowest.
std::uint64_t load8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big)
    w = std::byteswap(w);
  return w;
}

std::uint64_t load4(const char* p) {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  if constexpr (std::endian::native == std::endian::big)
    w = std::byteswap(w);
  return w;
}

// The last 8 bytes of `s` (1 or more), the last one highest; bytes before
// the start of a shorter id are zero.
std::uint64_t tail_word(std::string_view s) {
  const auto n = s.size();
  const char* p = s.data();
  if (n >= 8)
    return load8(p + n - 8);
  if (n >= 4)
    return (load4(p + n - 4) << 32) | (load4(p) << (8 * (8 - n)));
  std::uint64_t w = 0;
  for (std::size_t k = 0; k < n; ++k)
    w |= std::uint64_t{static_cast<unsigned char>(p[k])} << (8 * (8 - n + k));
  return w;
}

// The high bit of each byte of `x` that is zero.
std::uint64_t zero_bytes(std::uint64_t x) {
  return ~(((x & ~k_high) + ~k_high) | x | ~k_high);
}

// The high bit of each byte of `w` that is an ASCII digit.
std::uint64_t digit_bytes(std::uint64_t w) {
  const auto low = w & ~k_high;
  const auto at_least_0 = low + (0x80 - '0') * k_ones;
  const auto above_9 = low + (0x80 - '9' - 1) * k_ones;
  return at_least_0 & ~above_9 & ~w & k_high;
}

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

constexpr std::uint64_t k_block = 16;
// An id with at most this many bytes before its number is kept in a slot.
constexpr std::size_t k_letters = 6;
// The form of an id kept outside its slot.
constexpr std::uint32_t k_outside = 0x80000000u;

} // namespace

// Where an id goes in the table, the tag that tells ids apart there, its
// shape, and its form in a slot. Document numbers are sequential
// ("INV-2026-00417"), and the books refer to them in roughly that order, so
// a number's last 4 bits pick its place within a block of 16 neighbouring
// slots and the rest is hashed: one memory access serves a run of lookups,
// while blocks still spread evenly. The number is the id's last digits, up
// to 8, read 8 bytes at a time.
struct IdIndex::Key {
  std::uint64_t slot;
  std::uint8_t tag;   // 0x80 | 7 bits
  std::uint8_t shape; // a hash of the letters before the number, the length
  // As in a slot: an id of up to 6 letters before its number is kept as
  // form = digits << 27 | number and key = length | letters << 16;
  // another as form = k_outside | length, and a pointer.
  std::uint32_t form;
  std::uint64_t key;
};

IdIndex::Key IdIndex::hash_id(std::string_view s) {
  const auto n = s.size();
  const auto tail = tail_word(s);
  const auto not_digits = ~digit_bytes(tail) & k_high;
  const std::size_t digits =
      not_digits == 0
          ? 8
          : static_cast<std::size_t>(std::countl_zero(not_digits)) / 8;
  std::uint64_t number = 0;
  if (digits > 0) {
    // Eight digits, first one lowest, to a number in three multiplications;
    // the bytes before the number count as zeros.
    auto v = tail & (~std::uint64_t{0} << (8 * (8 - digits))) & (0x0F * k_ones);
    v = (v * 2561) >> 8;
    v = ((v & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
    number = ((v & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
  }
  const auto prefix = n - digits;
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ (n << 8) ^ digits;
  std::uint64_t letters = 0; // the prefix when it is short
  const char* p = s.data();
  if (prefix > 0) {
    if (n < 8) {
      letters =
          (tail >> (8 * (8 - n))) & ((std::uint64_t{1} << (8 * prefix)) - 1);
      h = mix(h ^ letters);
    } else if (prefix < 8) {
      letters = load8(p) & ((std::uint64_t{1} << (8 * prefix)) - 1);
      h = mix(h ^ letters);
    } else {
      std::size_t k = 0;
      for (; k + 8 <= prefix; k += 8)
        h = mix(h ^ load8(p + k));
      if (k < prefix)
        h = mix(h ^ (load8(p + prefix - 8) >> (8 * (8 - (prefix - k)))));
    }
  }
  const auto shape = static_cast<std::uint8_t>(h >> 56);
  h = mix(h ^ (number / k_block));
  Key key{(h & ~(k_block - 1)) | (number % k_block),
          static_cast<std::uint8_t>(0x80 | (((h >> 32) ^ number) & 0x7F)),
          shape, 0, 0};
  if (prefix <= k_letters) {
    key.form = static_cast<std::uint32_t>(digits << 27 | number);
    key.key = n | letters << 16;
  } else {
    key.form = k_outside | static_cast<std::uint32_t>(n);
  }
  return key;
}

bool IdIndex::same_key(const Slot& slot, const Key& key, std::string_view id) {
  if (slot.form != key.form)
    return false;
  if ((key.form & k_outside) == 0)
    return slot.key == key.key;
  const char* p;
  std::memcpy(&p, &slot.key, sizeof p);
  return std::memcmp(p, id.data(), id.size()) == 0;
}

bool IdIndex::outside(const Slot& slot) { return (slot.form & k_outside) != 0; }

std::string_view IdIndex::key_of(const Slot& slot, char (&buffer)[16]) {
  if ((slot.form & k_outside) != 0) {
    const char* p;
    std::memcpy(&p, &slot.key, sizeof p);
    return {p, slot.form & 0xFFFF};
  }
  const auto n = static_cast<std::size_t>(slot.key & 0xFFFF);
  const auto digits = static_cast<std::size_t>(slot.form >> 27);
  for (std::size_t k = 0; k + digits < n; ++k)
    buffer[k] = static_cast<char>(slot.key >> (16 + 8 * k));
  auto number = slot.form & ((1u << 27) - 1);
  for (std::size_t k = n; k > n - digits; --k, number /= 10)
    buffer[k - 1] = static_cast<char>('0' + number % 10);
  return {buffer, n};
}

IdIndex::Probe IdIndex::probe(const Key& key, std::string_view id) const {
  const auto mask = m_count - 1;
  const auto pos = key.slot & mask;
  // Tags are read in aligned groups of 8; bytes of the first group before
  // `pos` are not part of the probe.
  auto group = pos & ~std::size_t{7};
  auto before = ~(~std::uint64_t{0} << (8 * (pos & 7)));
  for (;; group = (group + 8) & mask, before = 0) {
    const auto tags = load8(reinterpret_cast<const char*>(&m_tags[group]));
    const auto empty = zero_bytes(tags) & ~before & k_high;
    auto match = zero_bytes(tags ^ (key.tag * k_ones)) & ~before & k_high;
    if (empty != 0)
      match &= (empty & -empty) - 1;
    for (; match != 0; match &= match - 1) {
      const auto i = group + std::countr_zero(match) / 8;
      if (same_key(m_slots[i], key, id))
        return {i, true};
    }
    if (empty != 0)
      return {group + std::countr_zero(empty) / 8, false};
  }
}

std::optional<std::uint32_t> IdIndex::insert(std::string_view id,
                                             std::uint32_t value) {
  if ((m_size + 1) * 4 > m_count * 3)
    rehash(m_count == 0 ? 1024 : m_count * 2);
  const auto key = hash_id(id);
  const auto [i, found] = probe(key, id);
  auto& slot = m_slots[i];
  if (found)
    return slot.value;
  m_tags[i] = key.tag;
  slot.value = value;
  slot.form = key.form;
  if ((key.form & k_outside) == 0) {
    slot.key = key.key;
  } else {
    const char* p = id.data();
    std::memcpy(&slot.key, &p, sizeof p);
  }
  m_shapes[key.shape / 64] |= std::uint64_t{1} << (key.shape % 64);
  ++m_size;
  return std::nullopt;
}

std::optional<std::uint32_t> IdIndex::find(std::string_view id) const {
  if (m_count == 0 || id.empty() || id.size() > 65535)
    return std::nullopt;
  const auto key = hash_id(id);
  if (((m_shapes[key.shape / 64] >> (key.shape % 64)) & 1) == 0)
    return std::nullopt;
  const auto [i, found] = probe(key, id);
  if (!found)
    return std::nullopt;
  return m_slots[i].value;
}

void IdIndex::prefetch(std::string_view id) const {
  if (m_count == 0 || id.empty() || id.size() > 65535)
    return;
  const auto pos = hash_id(id).slot & (m_count - 1);
  __builtin_prefetch(&m_tags[pos]);
  __builtin_prefetch(&m_slots[pos]);
}

bool IdIndex::may_share_ids(const IdIndex& other) const {
  for (std::size_t k = 0; k < 4; ++k)
    if ((m_shapes[k] & other.m_shapes[k]) != 0)
      return true;
  return false;
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
  auto old_tags = std::move(m_tags);
  const auto old_count = m_count;
  // Fresh pages from the kernel are zero, which is an empty slot: no fill.
  m_slots = ZeroedArray<Slot>(slots);
  m_tags = ZeroedArray<std::uint8_t>(slots);
  m_count = slots;
  m_size = 0;
  char buffer[16];
  for (std::size_t i = 0; i < old_count; ++i)
    if (old_tags[i] != 0)
      insert(key_of(old[i], buffer), old[i].value);
}

std::string_view Arena::store(std::string_view text) {
  if (text.empty())
    return {};
  if (text.size() > m_left) {
    if (!m_blocks.empty())
      m_blocks[m_current].used = used(m_current);
    const auto size = std::max<std::size_t>(std::size_t{8} << 20, text.size());
    m_blocks.push_back({ZeroedArray<char>(size), 0});
    m_current = m_blocks.size() - 1;
    m_next = &m_blocks.back().bytes[0];
    m_left = size;
  }
  char* dst = m_next;
  std::memcpy(dst, text.data(), text.size());
  m_next += text.size();
  m_left -= text.size();
  return {dst, text.size()};
}

std::size_t Arena::used(std::size_t block) const {
  return block == m_current ? m_blocks[block].bytes.bytes() - m_left
                            : m_blocks[block].used;
}

void Arena::absorb(Arena&& other) {
  for (std::size_t i = 0; i < other.m_blocks.size(); ++i) {
    auto& block = other.m_blocks[i];
    block.used = other.used(i);
    m_blocks.push_back(std::move(block));
  }
  other.m_blocks.clear();
  other.m_current = 0;
  other.m_next = nullptr;
  other.m_left = 0;
}

} // namespace arctl
