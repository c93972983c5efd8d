// A locked map behind an atomic emptiness check.
#include "tollgate/storage/index/blocked_clients.h"

#include <algorithm>

namespace tollgate::storage {

std::optional<absl::Time> BlockedClients::Until(std::string_view client, absl::Time now) const {
  if (absl::ToUnixNanos(now) >= latest_end_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = until_.find(absl::string_view(client.data(), client.size()));
  if (it == until_.end() || it->second <= now) return std::nullopt;
  return it->second;
}

size_t BlockedClients::Count(absl::Time now) const {
  if (absl::ToUnixNanos(now) >= latest_end_.load(std::memory_order_acquire)) return 0;
  std::lock_guard lock(mutex_);
  return static_cast<size_t>(std::count_if(
      until_.begin(), until_.end(), [now](const auto& entry) { return entry.second > now; }));
}

void BlockedClients::Block(std::string_view client, absl::Time until, absl::Time now) {
  std::lock_guard lock(mutex_);
  // Sweeping only when the map has doubled keeps a flood of blocks linear in total.
  if (until_.size() >= next_sweep_) {
    DropEnded(now);
    next_sweep_ = std::max<size_t>(64, 2 * until_.size());
  }
  absl::Time& end = until_[absl::string_view(client.data(), client.size())];
  end = std::max(end, until);
  if (absl::ToUnixNanos(until) > latest_end_.load(std::memory_order_relaxed)) {
    latest_end_.store(absl::ToUnixNanos(until), std::memory_order_release);
  }
}

void BlockedClients::DropEnded(absl::Time now) {
  absl::erase_if(until_, [now](const auto& entry) { return entry.second <= now; });
}

}  // namespace tollgate::storage
