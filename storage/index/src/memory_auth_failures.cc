// A sliding-window log per client: the times of its failures inside the window.
#include "tollgate/storage/index/memory_auth_failures.h"

#include <algorithm>

namespace tollgate::storage {

MemoryAuthFailures::MemoryAuthFailures(AuthFailureLimits limits, size_t max_clients)
    : limits_(limits), max_clients_(max_clients) {}

std::optional<absl::Time> MemoryAuthFailures::BlockedUntil(std::string_view client,
                                                           absl::Time now) const {
  return blocked_.Until(client, now);
}

boost::asio::awaitable<FailureOutcome> MemoryAuthFailures::RecordFailure(std::string client,
                                                                         absl::Time now) {
  co_return Count(client, now);
}

FailureOutcome MemoryAuthFailures::Count(std::string_view client_key, absl::Time now) {
  // Debian's abseil has its own string_view, which its maps look up by.
  const absl::string_view client(client_key.data(), client_key.size());
  if (std::optional<absl::Time> until = blocked_.Until(client_key, now)) {
    return {.blocked_until = until, .block_started = false};
  }
  const AuthFailureLimits limits = limits_.Get();
  const absl::Time window_start = now - limits.window;
  {
    std::lock_guard lock(mutex_);
    if (failures_.size() >= max_clients_ && !failures_.contains(client)) {
      absl::erase_if(failures_, [window_start](const auto& entry) {
        return entry.second.empty() || entry.second.back() <= window_start;
      });
      if (failures_.size() > max_clients_ * 3 / 4) failures_.clear();
    }
    std::vector<absl::Time>& times = failures_[client];
    const auto fresh = std::find_if(times.begin(), times.end(),
                                    [window_start](absl::Time t) { return t > window_start; });
    times.erase(times.begin(), fresh);
    times.push_back(now);
    if (static_cast<int>(times.size()) <= limits.max_failures) return {};
    failures_.erase(failures_.find(client));
  }
  const absl::Time until = now + limits.block;
  blocked_.Block(client_key, until, now);
  return {.blocked_until = until, .block_started = true};
}

}  // namespace tollgate::storage
