// Counts heap allocations made through operator new, so benchmarks can report (and show
// as zero) the allocations of code that must not allocate.
#pragma once

#include <cstdint>

namespace tollgate::bench {

// Allocations made by this thread so far.
uint64_t AllocationCount();

}  // namespace tollgate::bench
