#include "arctl/memory.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace arctl::detail {

namespace {
constexpr std::size_t k_huge_page = std::size_t{2} << 20;
// From here up an array goes in huge pages: one fault and a 2 MiB clear
// cost less than the 64 faults of ordinary pages that 256 KiB take (each
// one a trip to the hypervisor on a virtual machine).
constexpr std::size_t k_huge_threshold = std::size_t{256} << 10;
} // namespace

void* allocate_large(std::size_t bytes) {
  if (bytes < k_huge_threshold) {
    if (void* p = std::malloc(bytes == 0 ? 1 : bytes))
      return p;
    throw std::bad_alloc();
  }
  const auto rounded = (bytes + k_huge_page - 1) / k_huge_page * k_huge_page;
  void* p = std::aligned_alloc(k_huge_page, rounded);
  if (!p)
    throw std::bad_alloc();
  // Only advice: where the kernel has no huge pages, ordinary ones serve.
  ::madvise(p, rounded, MADV_HUGEPAGE);
  return p;
}

namespace {

// The address ranges of live adopted mappings, whose memory is never freed
// piece by piece.
std::mutex g_adopted_mutex;
std::vector<std::pair<std::uintptr_t, std::uintptr_t>> g_adopted;
std::atomic<std::size_t> g_adopted_count{0};

bool in_adopted(const void* p) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  std::lock_guard lock(g_adopted_mutex);
  return std::any_of(g_adopted.begin(), g_adopted.end(),
                     [a](const auto& r) { return a >= r.first && a < r.second; });
}

} // namespace

void deallocate_large(void* p) noexcept {
  if (g_adopted_count.load(std::memory_order_relaxed) != 0 && in_adopted(p))
    return;
  std::free(p);
}

void* allocate_zeroed(std::size_t bytes) {
  // Small arrays come from the heap: a mapping of its own would cost a
  // page fault, and a huge page a 2 MiB clear, for a few KiB.
  if (bytes < k_huge_threshold) {
    if (void* p = std::calloc(bytes == 0 ? 1 : bytes, 1))
      return p;
    throw std::bad_alloc();
  }
  // A mapping starts on any page: map a huge page more and keep the part
  // that starts on a huge page boundary, so that all of it can be huge.
  const auto rounded = (bytes + k_huge_page - 1) / k_huge_page * k_huge_page;
  void* p = ::mmap(nullptr, rounded + k_huge_page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(p);
  const auto aligned = (start + k_huge_page - 1) / k_huge_page * k_huge_page;
  if (aligned > start)
    ::munmap(p, aligned - start);
  if (const auto tail = start + k_huge_page - aligned; tail > 0)
    ::munmap(reinterpret_cast<void*>(aligned + rounded), tail);
  void* q = reinterpret_cast<void*>(aligned);
  ::madvise(q, rounded, MADV_HUGEPAGE);
  return q;
}

void deallocate_zeroed(void* p, std::size_t bytes) noexcept {
  if (bytes < k_huge_threshold) {
    std::free(p);
    return;
  }
  const auto rounded = (bytes + k_huge_page - 1) / k_huge_page * k_huge_page;
  ::munmap(p, rounded);
}

} // namespace arctl::detail

namespace arctl {

std::shared_ptr<Adopted> Adopted::map(int fd, std::size_t bytes,
                                      std::uintptr_t address) {
  void* want = reinterpret_cast<void*>(address);
  void* p = ::mmap(want, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
  if (p == MAP_FAILED)
    return nullptr;
  if (p != want) { // a kernel older than 4.17 took the address as a hint
    ::munmap(p, bytes);
    return nullptr;
  }
  {
    std::lock_guard lock(detail::g_adopted_mutex);
    detail::g_adopted.emplace_back(address, address + bytes);
    detail::g_adopted_count = detail::g_adopted.size();
  }
  return std::shared_ptr<Adopted>(new Adopted(static_cast<char*>(p), bytes));
}

Adopted::~Adopted() {
  {
    const auto start = reinterpret_cast<std::uintptr_t>(m_data);
    std::lock_guard lock(detail::g_adopted_mutex);
    std::erase_if(detail::g_adopted,
                  [start](const auto& r) { return r.first == start; });
    detail::g_adopted_count = detail::g_adopted.size();
  }
  ::munmap(m_data, m_bytes);
}

} // namespace arctl
