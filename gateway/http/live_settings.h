// The serve options SIGHUP may change while serving: trusted proxies, the dedupe window, the
// stale grace and the connection limits. Any thread reads the current value without a lock;
// a reload publishes new values. The trusted-proxy lists a reload replaced stay allocated (a
// reference taken before the reload stays valid), which costs a few bytes per reload.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/time/time.h"
#include "http/client_address.h"

namespace tollgate::gateway {

struct ReloadableSettings {
  std::vector<Cidr> trusted_proxies;
  absl::Duration dedupe_window = absl::Minutes(10);
  absl::Duration stale_grace = absl::Seconds(60);
  int max_connections = 10000;           // per listener
  int max_connections_per_client = 256;  // per listener
};

class LiveSettings {
 public:
  explicit LiveSettings(ReloadableSettings initial = {});
  LiveSettings(const LiveSettings&) = delete;
  LiveSettings& operator=(const LiveSettings&) = delete;

  const std::vector<Cidr>& trusted_proxies() const {
    return *trusted_proxies_.load(std::memory_order_acquire);
  }
  absl::Duration dedupe_window() const { return Load(dedupe_window_nanos_); }
  absl::Duration stale_grace() const { return Load(stale_grace_nanos_); }
  int max_connections() const { return max_connections_.load(std::memory_order_relaxed); }
  int max_connections_per_client() const {
    return max_connections_per_client_.load(std::memory_order_relaxed);
  }

  // Publishes `next`. Safe from any thread, concurrently with readers.
  void Apply(const ReloadableSettings& next);

 private:
  static absl::Duration Load(const std::atomic<int64_t>& nanos) {
    return absl::Nanoseconds(nanos.load(std::memory_order_relaxed));
  }

  std::mutex mu_;                                                      // serialises Apply
  std::vector<std::unique_ptr<const std::vector<Cidr>>> proxy_lists_;  // every list published
  std::atomic<const std::vector<Cidr>*> trusted_proxies_{nullptr};
  std::atomic<int64_t> dedupe_window_nanos_{0};
  std::atomic<int64_t> stale_grace_nanos_{0};
  std::atomic<int> max_connections_{0};
  std::atomic<int> max_connections_per_client_{0};
};

}  // namespace tollgate::gateway
