// Running a load plan: one thread per --threads, each with its own event loop, connections and
// tally; the tallies merged at the end. The calling thread reports progress once a second.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "load/load_plan.h"
#include "load/load_tally.h"

namespace tollgate::gateway::load {

struct LoadProgress {
  std::chrono::seconds elapsed{0};
  uint64_t responses = 0;  // totals so far
  uint64_t errors = 0;
  uint64_t bytes = 0;
};

struct LoadOutcome {
  LoadTally tally;
  // From the start to the last response or error, in seconds (requests_per_s divides by it).
  double duration_s = 0;
};

// Runs `plan` to its end (duration or request count; then requests in flight get the grace
// period). `progress` is called on the calling thread about once per second while it runs
// (may be empty). When `stop` is given and turns true, no more requests are sent and the run
// ends after the grace period. Errors of single requests are counted, never thrown; throws
// std::system_error when a thread cannot be started.
LoadOutcome RunLoad(const LoadPlan& plan, const std::function<void(const LoadProgress&)>& progress,
                    const std::atomic<bool>* stop = nullptr);

}  // namespace tollgate::gateway::load
