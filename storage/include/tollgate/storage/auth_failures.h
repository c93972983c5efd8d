// Brute-force defence (SPEC §4.6): invalid credentials counted per client in a sliding window;
// a client over the limit is blocked for a while, and while blocked its credentials are not
// even checked. Shared by every instance on one Redis, kept in memory otherwise.
#pragma once

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
