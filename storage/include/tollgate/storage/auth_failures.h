// Brute-force defence (SPEC §4.6): invalid credentials counted per client in a sliding window;
// a client over the limit is blocked for a while, and while blocked its credentials are not
// even checked. Shared by every instance on one Redis, kept in memory otherwise.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "boost/asio/awaitable.hpp"

namespace tollgate::storage {

struct AuthFailureLimits {
  int max_failures = 20;  // more than this within `window` blocks
  absl::Duration window = absl::Minutes(1);
  absl::Duration block = absl::Seconds(60);
};

// AuthFailureLimits that SIGHUP may replace while failures are counted: read and written
// from any thread without a lock.
class LiveAuthFailureLimits {
 public:
  explicit LiveAuthFailureLimits(const AuthFailureLimits& limits) { Set(limits); }
  AuthFailureLimits Get() const {
    return {.max_failures = max_failures_.load(std::memory_order_relaxed),
            .window = absl::Nanoseconds(window_nanos_.load(std::memory_order_relaxed)),
            .block = absl::Nanoseconds(block_nanos_.load(std::memory_order_relaxed))};
  }
  void Set(const AuthFailureLimits& limits) {
    max_failures_.store(limits.max_failures, std::memory_order_relaxed);
    window_nanos_.store(absl::ToInt64Nanoseconds(limits.window), std::memory_order_relaxed);
    block_nanos_.store(absl::ToInt64Nanoseconds(limits.block), std::memory_order_relaxed);
  }

 private:
  std::atomic<int> max_failures_{0};
  std::atomic<int64_t> window_nanos_{0};
  std::atomic<int64_t> block_nanos_{0};
};

struct FailureOutcome {
  std::optional<absl::Time> blocked_until;  // set when the client is blocked now
  bool block_started = false;               // this very failure started the block
};

class AuthFailures {
 public:
  virtual ~AuthFailures() = default;

  // Until when `client` (a client key: IPv4 address or IPv6 /64) is blocked as far as this
  // instance knows; nullopt when it is not. Never waits, and allocates nothing while no client
  // is blocked, so every request may ask.
  virtual std::optional<absl::Time> BlockedUntil(std::string_view client, absl::Time now) const = 0;

  // The limits later failures are counted under (blocks already made keep their end).
  virtual void SetLimits(const AuthFailureLimits& limits) = 0;

  // How many clients are blocked at `now` as far as this instance knows (for metrics).
  virtual size_t BlockedCount(absl::Time now) const = 0;

  // Counts one invalid credential of `client` at `now`: the client is blocked when this
  // failure took it over the limit, or when it is blocked already (perhaps by another
  // instance). Completes on the caller's executor. When the shared store cannot be reached the
  // failure is counted by this instance alone.
  virtual boost::asio::awaitable<FailureOutcome> RecordFailure(std::string client,
                                                               absl::Time now) = 0;
};

}  // namespace tollgate::storage
