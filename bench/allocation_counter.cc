// Counts every heap allocation of the benchmark process, C++ and C alike: the allocation
// functions are defined here, in the executable, so the dynamic linker binds every library
// (OpenSSL, SQLite, abseil, libstdc++'s operator new) to them; they count on a thread-local
// counter and hand the work to glibc's own implementation.
#include "allocation_counter.h"

#include <cerrno>
#include <cstddef>

extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* pointer, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
}

namespace {
thread_local uint64_t g_allocations = 0;
}  // namespace

namespace tollgate::bench {
uint64_t AllocationCount() { return g_allocations; }
}  // namespace tollgate::bench

extern "C" {

void* malloc(size_t size) noexcept {
  ++g_allocations;
  return __libc_malloc(size);
}

void* calloc(size_t count, size_t size) noexcept {
  ++g_allocations;
  return __libc_calloc(count, size);
}

void* realloc(void* pointer, size_t size) noexcept {
  ++g_allocations;
  return __libc_realloc(pointer, size);
}

void* aligned_alloc(size_t alignment, size_t size) noexcept {
  ++g_allocations;
  return __libc_memalign(alignment, size);
}

void* memalign(size_t alignment, size_t size) noexcept {
  ++g_allocations;
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, size_t alignment, size_t size) noexcept {
  ++g_allocations;
  void* pointer = __libc_memalign(alignment, size);
  if (pointer == nullptr) return ENOMEM;
  *out = pointer;
  return 0;
}

}  // extern "C"
