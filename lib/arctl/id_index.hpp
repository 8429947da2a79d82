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
  // Starts loading the memory a find or insert of `id` will look at, so
  // that one a little later does not wait for it.
  void prefetch(std::string_view id) const;
  [[nodiscard]] std::size_t size() const { return m_size; }
  // Makes room for `n` ids without rehashing.
  void reserve(std::size_t n);
  // Whether an id could be in both this index and `other`. False is certain
  // (no id of one has the shape, letters before the number and length, of
  // an id of the other); true is only "maybe".
  [[nodiscard]] bool may_share_ids(const IdIndex& other) const;

private:
  friend struct SnapshotAccess; // writes and reads the table as it is
  struct Key;
  static Key hash_id(std::string_view id);
  void rehash(std::size_t slots);
  // One 16-byte slot per id, four to a cache line. Most ids are a few
  // letters and a number ("INV-0000417", "C014480"): those are kept inside
  // the slot as up to 6 letters and the number's value, so a lookup
  // compares two words and touches nothing else. Other ids keep a pointer
  // to their bytes.
  struct Slot {
    std::uint32_t value;
    std::uint32_t form; // how the id is kept, and its number or length
    std::uint64_t key;  // its length and letters, or a pointer to it
  };
  static bool same_key(const Slot& slot, const Key& key, std::string_view id);
  // Whether `slot` keeps a pointer to its id rather than the id itself.
  static bool outside(const Slot& slot);
  // Where `id` is (found), or the empty slot it would take (not found).
  struct Probe {
    std::size_t slot;
    bool found;
  };
  [[nodiscard]] Probe probe(const Key& key, std::string_view id) const;
  // The id in `slot`, written into `buffer` when kept inside the slot.
  static std::string_view key_of(const Slot& slot, char (&buffer)[16]);
  // One byte per slot beside the slots: 0 for empty, else 0x80 and 7 bits
  // of the id's hash. Probing reads these 8 at a time and touches a slot
  // only where its byte matches, so an id pushed along by a collision, or
  // one that is absent, costs a few bytes here instead of a walk over
  // cache lines of slots.
  ZeroedArray<std::uint8_t> m_tags;
  ZeroedArray<Slot> m_slots;
  std::size_t m_count = 0; // slots, a power of two
  std::size_t m_size = 0;  // ids
  // A bit per shape of id present (a hash of the letters before the
  // number, and the length): most lookups of an id of another kind
  // ("PAY-..." among invoices) end here.
  std::uint64_t m_shapes[4] = {};
};

// Owns the bytes of every text field, in large blocks that never move.
class Arena {
public:
  std::string_view store(std::string_view text);
  // Takes over the blocks of `other`, whose views stay valid: text read on
  // another thread joins the books' arena.
  void absorb(Arena&& other);

private:
  friend struct SnapshotAccess; // writes and reads the bytes as they are
  // Blocks of 8 MiB in huge pages; a longer text gets a block of its own.
  // `used` is set when a block stops being the one stored into.
  struct Block {
    ZeroedArray<char> bytes;
    std::size_t used = 0;
  };
  [[nodiscard]] std::size_t used(std::size_t block) const;
  std::vector<Block> m_blocks;
  std::size_t m_current = 0; // the block `m_next` points into
  char* m_next = nullptr;
  std::size_t m_left = 0;
};

} // namespace arctl
