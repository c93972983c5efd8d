#include "http/live_settings.h"

namespace tollgate::gateway {

LiveSettings::LiveSettings(ReloadableSettings initial) { Apply(initial); }

void LiveSettings::Apply(const ReloadableSettings& next) {
  std::lock_guard lock(mu_);
  if (trusted_proxies_.load(std::memory_order_relaxed) == nullptr ||
      *trusted_proxies_.load(std::memory_order_relaxed) != next.trusted_proxies) {
    proxy_lists_.push_back(std::make_unique<const std::vector<Cidr>>(next.trusted_proxies));
    trusted_proxies_.store(proxy_lists_.back().get(), std::memory_order_release);
  }
  dedupe_window_nanos_.store(absl::ToInt64Nanoseconds(next.dedupe_window),
                             std::memory_order_relaxed);
  stale_grace_nanos_.store(absl::ToInt64Nanoseconds(next.stale_grace), std::memory_order_relaxed);
  max_connections_.store(next.max_connections, std::memory_order_relaxed);
  max_connections_per_client_.store(next.max_connections_per_client, std::memory_order_relaxed);
}

}  // namespace tollgate::gateway
