// Memory for the large arrays that reading big books builds (records, id
// tables): asked of the kernel in transparent huge pages, which cuts page
// faults and TLB misses roughly 500-fold on arrays of hundreds of MB.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace arctl {

namespace detail {
// Allocates `bytes`; from `k_huge_threshold` up, 2 MiB-aligned and marked
// MADV_HUGEPAGE. Never returns null (throws std::bad_alloc).
void* allocate_large(std::size_t bytes);
void deallocate_large(void* p) noexcept;
} // namespace detail

template <class T> struct LargeAllocator {
  using value_type = T;
  LargeAllocator() = default;
  template <class U> LargeAllocator(const LargeAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    return static_cast<T*>(detail::allocate_large(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { detail::deallocate_large(p); }

  template <class U> bool operator==(const LargeAllocator<U>&) const noexcept {
    return true;
  }
};

// A vector of records that may grow to millions of elements.
template <class T> using Records = std::vector<T, LargeAllocator<T>>;

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
        m_bytes(std::exchange(o.m_bytes, 0)) {}
  ZeroedArray& operator=(ZeroedArray&& o) noexcept {
    if (this != &o) {
      release();
      m_data = std::exchange(o.m_data, nullptr);
      m_bytes = std::exchange(o.m_bytes, 0);
    }
    return *this;
  }
  ~ZeroedArray() { release(); }

  T& operator[](std::size_t i) { return m_data[i]; }
  [[nodiscard]] const void* data() const { return m_data; }
  [[nodiscard]] std::size_t bytes() const { return m_bytes; }
  const T& operator[](std::size_t i) const { return m_data[i]; }

private:
  void release() {
    if (m_data)
      detail::deallocate_zeroed(m_data, m_bytes);
    m_data = nullptr;
  }
  T* m_data = nullptr;
  std::size_t m_bytes = 0;
};

} // namespace arctl
