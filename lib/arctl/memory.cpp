#include "arctl/memory.hpp"

#include <cstdlib>
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

void deallocate_large(void* p) noexcept { std::free(p); }

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
