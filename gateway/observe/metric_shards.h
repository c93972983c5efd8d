// The per-thread shards metrics are counted in, and what a scrape reads from them. Internal to
// observe/: recorders use metrics.h, scrapes metrics_exposition.h.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "observe/metrics.h"

namespace tollgate::gateway::metrics {

// Statuses 100…599 are counted by value; anything else (never sent) would be counted as 0.
inline constexpr unsigned kMaxStatus = 600;
inline constexpr int kReasonCount = policy::kReasonCount;

// Upper bounds in microseconds of the latency buckets (Prometheus `le`, besides +Inf): from
// 100 µs for a cached 4 KiB download to a minute for a large one on a slow link.
inline constexpr std::array<uint64_t, 18> kLatencyBoundsMicros = {
    100,     250,     500,     1'000,     2'500,     5'000,     10'000,     25'000,     50'000,
    100'000, 250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000, 30'000'000, 60'000'000};

using Counter = std::atomic<uint64_t>;

struct LatencyHistogram {
  std::array<Counter, kLatencyBoundsMicros.size() + 1> buckets{};  // the last is +Inf
  Counter sum_micros{0};

  void Observe(std::chrono::nanoseconds duration);
};

// One thread's counts. Only its thread writes (relaxed); scrapes read them from any thread.
struct Shard {
  // Requests that are no denial, by status; denials by reason (whose status is fixed).
  std::array<std::array<Counter, kMaxStatus>, kListenerCount> requests_by_status{};
  std::array<std::array<Counter, kReasonCount>, kListenerCount> denials_by_reason{};
  std::array<Counter, kListenerCount> response_bytes{};
  std::array<LatencyHistogram, kListenerCount> request_duration{};
  // Opened minus closed on this thread: a connection may close on another thread than the one
  // that accepted it, so only the sum over shards is meaningful.
  std::array<std::atomic<int64_t>, kListenerCount> connections{};
  std::array<Counter, kReservationCount> reservations{};
  Counter store_errors{0};
  std::array<Counter, kMaxStatus> origin_requests_by_status{};
  LatencyHistogram origin_duration{};
};

// The status each denial reason was answered with: always the same one (one function maps
// reasons to statuses, in http/, which observe/ must not depend on), so it is noted here as
// denials are counted rather than counted per status. 0 until a denial of that reason.
std::atomic<uint16_t>& DenialStatusOf(policy::Reason reason);

// Calls `visit` with every shard any thread has counted in, the threads that ended included
// (their counts stay part of the totals).
void ForEachShard(const std::function<void(const Shard&)>& visit);

}  // namespace tollgate::gateway::metrics
