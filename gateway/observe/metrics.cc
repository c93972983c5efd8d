#include "observe/metrics.h"

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <vector>

#include "observe/metric_shards.h"

namespace tollgate::gateway::metrics {
namespace {

// Every shard ever made. Shards live as long as the process, so counts of threads that ended
// stay in the totals and a scrape never reads a freed shard.
class ShardList {
 public:
  Shard* Add() {
    std::lock_guard lock(mu_);
    shards_.push_back(std::make_unique<Shard>());
    return shards_.back().get();
  }
  void ForEach(const std::function<void(const Shard&)>& visit) {
    std::lock_guard lock(mu_);
    for (const std::unique_ptr<Shard>& shard : shards_) visit(*shard);
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

ShardList& Shards() {
  static auto* const shards = new ShardList;  // never destroyed: threads may count at exit
  return *shards;
}

// The calling thread's shard, made (under the list's lock) on its first count only.
Shard& Mine() {
  thread_local Shard* const shard = Shards().Add();
  return *shard;
}

void Add(Counter& counter, uint64_t amount = 1) {
  counter.fetch_add(amount, std::memory_order_relaxed);
}

size_t Index(Listener listener) { return static_cast<size_t>(listener); }

size_t StatusIndex(unsigned status) { return status < kMaxStatus ? status : 0; }

}  // namespace

void LatencyHistogram::Observe(std::chrono::nanoseconds duration) {
  const auto micros = static_cast<uint64_t>(std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::microseconds>(duration).count()));
  const auto bound =
      std::lower_bound(kLatencyBoundsMicros.begin(), kLatencyBoundsMicros.end(), micros);
  Add(buckets[static_cast<size_t>(bound - kLatencyBoundsMicros.begin())]);
  Add(sum_micros, micros);
}

void ForEachShard(const std::function<void(const Shard&)>& visit) { Shards().ForEach(visit); }

std::atomic<uint16_t>& DenialStatusOf(policy::Reason reason) {
  static std::array<std::atomic<uint16_t>, kReasonCount> statuses{};
  return statuses[static_cast<size_t>(reason)];
}

namespace {

// Adds one answer with `status` and `denial` to the requests counted on `shard`.
void CountAnswer(Shard& shard, size_t at, unsigned status, std::optional<policy::Reason> denial) {
  if (denial) {
    // Released with the count, so a scrape that sees the count sees the status. Stored only
    // when it differs: a flood of denials must not write one shared cache line from every
    // thread.
    std::atomic<uint16_t>& noted = DenialStatusOf(*denial);
    const auto status_index = static_cast<uint16_t>(StatusIndex(status));
    if (noted.load(std::memory_order_relaxed) != status_index) {
      noted.store(status_index, std::memory_order_relaxed);
    }
    shard.denials_by_reason[at][static_cast<size_t>(*denial)].fetch_add(1,
                                                                        std::memory_order_release);
  } else {
    Add(shard.requests_by_status[at][StatusIndex(status)]);
  }
}

}  // namespace

void RecordRequest(Listener listener, unsigned status, std::optional<policy::Reason> denial,
                   uint64_t body_bytes, std::chrono::nanoseconds duration) {
  Shard& shard = Mine();
  const size_t at = Index(listener);
  CountAnswer(shard, at, status, denial);
  Add(shard.response_bytes[at], body_bytes);
  shard.request_duration[at].Observe(duration);
}

void RecordRefusedConnection(Listener listener, unsigned status, policy::Reason denial) {
  CountAnswer(Mine(), Index(listener), status, denial);
}

void ConnectionOpened(Listener listener) {
  Mine().connections[Index(listener)].fetch_add(1, std::memory_order_relaxed);
}

void ConnectionClosed(Listener listener) {
  Mine().connections[Index(listener)].fetch_sub(1, std::memory_order_relaxed);
}

void RecordReservation(Reservation result) {
  Add(Mine().reservations[static_cast<size_t>(result)]);
}

void RecordStoreError() { Add(Mine().store_errors); }

void RecordOriginRequest(unsigned status, std::chrono::nanoseconds duration) {
  Shard& shard = Mine();
  Add(shard.origin_requests_by_status[StatusIndex(status)]);
  shard.origin_duration.Observe(duration);
}

}  // namespace tollgate::gateway::metrics
