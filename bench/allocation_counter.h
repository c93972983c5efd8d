// Counts heap allocations (malloc and its kin, so operator new and C libraries such as OpenSSL
// alike), so benchmarks can report (and show as zero) the allocations of code that must not
// allocate.
#pragma once

#include <algorithm>
#include <cstdint>

#include "benchmark/benchmark.h"

namespace tollgate::bench {

// Allocations made by this thread so far.
uint64_t AllocationCount();

// Reports the allocations of a benchmark's loop per iteration, as the counter "allocs/iter"
// next to the timing. Lives around the loop.
class AllocationsPerIteration {
 public:
  explicit AllocationsPerIteration(benchmark::State& state)
      : state_(state), start_(AllocationCount()) {}
  AllocationsPerIteration(const AllocationsPerIteration&) = delete;
  AllocationsPerIteration& operator=(const AllocationsPerIteration&) = delete;
  ~AllocationsPerIteration() {
    state_.counters["allocs/iter"] =
        benchmark::Counter(static_cast<double>(AllocationCount() - start_) /
                           static_cast<double>(std::max<int64_t>(state_.iterations(), 1)));
  }

 private:
  benchmark::State& state_;
  uint64_t start_;
};

}  // namespace tollgate::bench
