// Memory for the large arrays that reading big books builds (records, id
// tables): asked of the kernel in transparent huge pages, which cuts page
// faults and TLB misses roughly 500-fold on arrays of hundreds of MB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace arctl {

namespace detail {
// Allocates `bytes`; from `k_huge_threshold` up, 2 MiB-aligned and marked
// MADV_HUGEPAGE. Never returns null (throws std::bad_alloc). Memory adopted
// from a mapping (`Adopted`) is not freed here but with its mapping.
void* allocate_large(std::size_t bytes);
void deallocate_large(void* p) noexcept;

// What this thread's next vector is to take over instead of allocating:
// set only by `adopt`, for the length of one resize.
struct Adoption {
  void* data = nullptr;
  std::size_t bytes = 0;
};
inline thread_local Adoption t_adoption;
} // namespace detail

template <class T> struct LargeAllocator {
  using value_type = T;
  LargeAllocator() = default;
  template <class U> LargeAllocator(const LargeAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (auto& a = detail::t_adoption; a.data && a.bytes == n * sizeof(T))
      return static_cast<T*>(a.data);
    return static_cast<T*>(detail::allocate_large(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { detail::deallocate_large(p); }
  // Elements made without arguments in adopted memory are already there.
  template <class U, class... Args> void construct(U* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0)
      if (detail::t_adoption.data != nullptr)
        return;
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <class U> bool operator==(const LargeAllocator<U>&) const noexcept {
    return true;
  }
};

// A vector of records that may grow to millions of elements.
template <class T> using Records = std::vector<T, LargeAllocator<T>>;

// A mapping of a file whose parts vectors and arrays take over as they are
// (a snapshot's records). Copy-on-write: what is changed in memory stays in
// memory. Lives as long as the last of those that share it.
class Adopted {
public:
  // Maps `bytes` of the file `fd` from offset 0 at exactly `address`, or
  // fails (returns nullptr) when that address is taken.
  static std::shared_ptr<Adopted> map(int fd, std::size_t bytes,
                                      std::uintptr_t address);
  Adopted(const Adopted&) = delete;
  Adopted& operator=(const Adopted&) = delete;
  ~Adopted();
  [[nodiscard]] char* data() const { return m_data; }
  [[nodiscard]] std::size_t size() const { return m_bytes; }

private:
  Adopted(char* data, std::size_t bytes) : m_data(data), m_bytes(bytes) {}
  char* m_data;
  std::size_t m_bytes;
};

// Makes `records` hold the `n` records at `data`, inside an adopted
// mapping, without copying or constructing them.
template <class T> void adopt(Records<T>& records, T* data, std::size_t n) {
  static_assert(std::is_trivially_copyable_v<T> &&
                std::is_trivially_destructible_v<T>);
  Records<T>().swap(records);
  if (n == 0)
    return;
  detail::t_adoption = {data, n * sizeof(T)};
  records.resize(n);
  detail::t_adoption = {};
}

namespace detail {
// `bytes` of zeroed memory: from `k_huge_threshold` up straight from the
// kernel (mmap), in huge pages where it can, whose pages are zero when
// first touched, so nothing fills them twice; below it from the heap.
void* allocate_zeroed(std::size_t bytes);
void deallocate_zeroed(void* p, std::size_t bytes) noexcept;
} // namespace detail

// A fixed-size array of trivially copyable T whose bytes start as zero.
template <class T> class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T>);

public:
  ZeroedArray() = default;
  explicit ZeroedArray(std::size_t n)
      : m_data(static_cast<T*>(detail::allocate_zeroed(n * sizeof(T)))),
        m_bytes(n * sizeof(T)) {}
  ZeroedArray(ZeroedArray&& o) noexcept
      : m_data(std::exchange(o.m_data, nullptr)),
        m_bytes(std::exchange(o.m_bytes, 0)),
        m_owned(std::exchange(o.m_owned, true)) {}
  ZeroedArray& operator=(ZeroedArray&& o) noexcept {
    if (this != &o) {
      release();
      m_data = std::exchange(o.m_data, nullptr);
      m_bytes = std::exchange(o.m_bytes, 0);
      m_owned = std::exchange(o.m_owned, true);
    }
    return *this;
  }
  ~ZeroedArray() { release(); }
  // The `n` elements at `data`, inside an adopted mapping.
  static ZeroedArray adopt(T* data, std::size_t n) {
    ZeroedArray a;
    a.m_data = data;
    a.m_bytes = n * sizeof(T);
    a.m_owned = false;
    return a;
  }

  T& operator[](std::size_t i) { return m_data[i]; }
  [[nodiscard]] const void* data() const { return m_data; }
  [[nodiscard]] std::size_t bytes() const { return m_bytes; }
  const T& operator[](std::size_t i) const { return m_data[i]; }

private:
  void release() {
    if (m_data && m_owned)
      detail::deallocate_zeroed(m_data, m_bytes);
    m_data = nullptr;
  }
  T* m_data = nullptr;
  std::size_t m_bytes = 0;
  bool m_owned = true;
};

} // namespace arctl
