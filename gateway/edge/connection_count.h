// The number of open connections across all workers, which the drain on shutdown waits for.
#pragma once

#include <atomic>

namespace tollgate::gateway {

// Counts open connections across workers so shutdown knows when draining is done. Safe to
// use from any thread.
class ConnectionCount {
 public:
  void Opened() { open_.fetch_add(1, std::memory_order_relaxed); }
  // Returns the number still open after this one closed.
  int Closed() { return open_.fetch_sub(1, std::memory_order_acq_rel) - 1; }
  int Open() const { return open_.load(std::memory_order_acquire); }

 private:
  std::atomic<int> open_{0};
};

}  // namespace tollgate::gateway
