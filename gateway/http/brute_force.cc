// One log line per block, never one per failure: a flood of bad credentials must not flood the log.
#include "http/brute_force.h"

#include <algorithm>

#include "observe/log.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {

boost::asio::awaitable<std::optional<absl::Duration>> CountCredentialFailure(
    storage::AuthFailures& failures, std::string client, absl::Time now, const char* listener) {
  const storage::FailureOutcome outcome = co_await failures.RecordFailure(client, now);
  if (outcome.block_started) {
    LogEvent("warn", "client_blocked",
             {{"client", client},
              {"listener", listener},
              {"until",
               absl::FormatTime(absl::RFC3339_sec, *outcome.blocked_until, absl::UTCTimeZone())}});
  }
  if (!outcome.blocked_until) co_return std::nullopt;
  co_return *outcome.blocked_until - now;
}

std::string RetryAfterValue(absl::Duration left) {
  return Concat(std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(left, absl::Seconds(1)))));
}

}  // namespace tollgate::gateway
