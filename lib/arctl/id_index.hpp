// Ids mapped to small integers, and the arena that keeps the bytes of the
// books' text: the two structures that reading millions of records leans on.
#pragma once

#include "arctl/memory.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace arctl {

// Maps ids to small integers: open addressing over one flat array, keys
// viewed in the Books' arena.
class IdIndex {
public:
  // Adds `id` (1 to 65535 bytes, kept alive by the caller) -> `value`; if
  // `id` is present already, returns its value and adds nothing.
  std::optional<std::uint32_t> insert(std::string_view id, std::uint32_t value);
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view id) const;
  [[nodiscard]] std::size_t size() const { return m_size; }
  // Makes room for `n` ids without rehashing.
  void reserve(std::size_t n);
  // The table's memory, to pre-fault.
  [[nodiscard]] const void* storage() const { return m_slots.data(); }
  [[nodiscard]] std::size_t storage_bytes() const { return m_slots.bytes(); }

private:
  void rehash(std::size_t slots);
  // One 32-byte slot per id: a tag from the hash decides most mismatches,
  // and ids of up to 22 bytes (nearly all) are kept inside the slot, so a
  // lookup touches one cache line. Longer ids keep a pointer to the arena.
  // size 0 marks an empty slot.
  struct Slot {
    std::uint32_t tag;
    std::uint32_t value;
    std::uint16_t size; // 1..65535
    char bytes[22];     // the id, or a pointer to it when size > 22
  };
  static constexpr std::size_t k_inline = 22;
  static bool same_key(const Slot& slot, std::string_view id);
  static std::string_view key_of(const Slot& slot);
  ZeroedArray<Slot> m_slots;
  std::size_t m_count = 0; // slots, a power of two
  std::size_t m_size = 0;  // ids
};

// Owns the bytes of every text field, in large blocks that never move.
class Arena {
public:
  std::string_view store(std::string_view text);

private:
  // Blocks of 8 MiB in huge pages; a longer text gets a block of its own.
  std::vector<ZeroedArray<char>> m_blocks;
  char* m_next = nullptr;
  std::size_t m_left = 0;
};

} // namespace arctl
