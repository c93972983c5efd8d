// A scrape of the metrics: every metric in the Prometheus text format 0.0.4, the shards of
// every thread summed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tollgate::gateway::metrics {

// What a scrape reads from elsewhere than the shards.
struct ScrapeReadings {
  int64_t auth_blocked_clients = 0;   // clients the brute-force defence blocks now
  uint64_t usage_events_dropped = 0;  // the usage ledger's drops since start
};

inline constexpr std::string_view kExpositionContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string RenderExposition(const ScrapeReadings& readings);

}  // namespace tollgate::gateway::metrics
