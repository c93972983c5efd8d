// Which request a load thread's free connection sends next, and when: at once in closed loop;
// in open loop at its slot of a fixed schedule (request g is due at start + g / rate, the
// slots dealt round-robin to the threads), so a request that waits for a free connection is
// late, and its latency counts from its due time (no coordinated omission).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "load/load_plan.h"

namespace tollgate::gateway::load {

using Clock = std::chrono::steady_clock;

class Schedule {
 public:
  struct Ticket {
    uint64_t number = 0;    // the request's place in the whole run; picks its URL
    Clock::time_point due;  // when it should be sent; latency counts from here
  };

  // `issued` is shared by the threads of a closed-loop run (it counts towards --requests).
  Schedule(const LoadPlan& plan, Clock::time_point start, int thread_index,
           std::atomic<uint64_t>& issued);

  // The next request for a connection free at `now`; false when this thread sends no more
  // (the duration is over, --requests are all issued, or Stop was called).
  bool Next(Clock::time_point now, Ticket& ticket);
  // No further tickets (an interrupt).
  void Stop() { stopped_ = true; }
  bool open_loop() const { return interval_ns_ > 0; }
  // Open loop with a duration: requests of this thread due before the end that no connection
  // ever took. 0 otherwise or after Stop.
  uint64_t Unsent() const;

 private:
  Clock::time_point Due(uint64_t number) const;

  std::atomic<uint64_t>& issued_;
  const uint64_t limit_;  // --requests, or UINT64_MAX
  const Clock::time_point start_;
  const Clock::time_point end_;  // the end of the duration, or time_point::max()
  const double interval_ns_;     // 1e9 / rate in open loop; 0 in closed loop
  const uint64_t thread_index_;
  const uint64_t thread_count_;
  uint64_t taken_ = 0;  // open loop: tickets this thread handed out
  bool stopped_ = false;
};

}  // namespace tollgate::gateway::load
