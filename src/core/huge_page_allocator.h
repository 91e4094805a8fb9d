#pragma once
// A std::allocator for large tables read at random (the dedupe window's hash table): an
// allocation of at least 2 MiB is aligned to 2 MiB and marked MADV_HUGEPAGE, so that the kernel
// can back it with transparent huge pages when it runs in "madvise" mode (Debian's default).
//
// Why: a lookup in a 32 MiB table touches a random 4 KiB page each time, and the TLB covers a
// few MiB at most; each miss costs a page walk (two levels of them inside a virtual machine).
// With 2 MiB pages the table needs 16 TLB entries. Where huge pages are off or unavailable the
// advice is ignored and nothing else changes. Smaller allocations go to operator new as usual.
//
// Stateless; any thread.
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace ledgerflow {

inline constexpr size_t kHugePageBytes = size_t(2) << 20;

template <typename T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
    if (n > size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return static_cast<T*>(::operator new(bytes));
    const size_t rounded = (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    void* p = std::aligned_alloc(kHugePageBytes, rounded);
    if (!p) throw std::bad_alloc();
    (void)::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure changes nothing
    return static_cast<T*>(p);
  }

  void deallocate(T* p, size_t n) noexcept {
    if (n * sizeof(T) < kHugePageBytes) {
      ::operator delete(p);
    } else {
      std::free(p);
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace ledgerflow
