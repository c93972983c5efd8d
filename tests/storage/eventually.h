// Bounded polling for tests that wait on another thread or process: never an open-ended loop.
#pragma once

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tollgate::storage::testing {

// Checks `condition` every 10 ms until it holds (true) or `limit` has passed (false).
inline bool Eventually(const std::function<bool()>& condition, absl::Duration limit) {
  const absl::Time deadline = absl::Now() + limit;
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

}  // namespace tollgate::storage::testing
