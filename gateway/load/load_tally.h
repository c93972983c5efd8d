// What one load thread counted: responses by status and X-Tollgate-Reason, their latency,
// errors by kind, and a per-second timeline. Each thread owns one (no locks on the hot path);
// the run merges them when the threads are done.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "load/latency_histogram.h"
#include "load/response_parser.h"
#include "tollgate/base/fixed_text.h"

namespace tollgate::gateway::load {

// Why a scheduled request produced no response.
enum class ErrorKind {
  kConnect,     // the connection could not be made (refused, unreachable, no address to bind)
  kTls,         // the TLS handshake failed (e.g. the certificate did not verify)
  kSend,        // writing the request failed
  kReceive,     // reading the response failed: reset, or closed before the response ended
  kTimeout,     // no complete response within --timeout
  kMalformed,   // the response could not be parsed or broke a limit (head size, body size)
  kUnfinished,  // still in flight when the run's grace period ended
  kUnsent,      // open loop: due before the end but never sent (every connection was busy)
  kCount,
};

// "connect", "tls", "send", "receive", "timeout", "malformed", "unfinished", "unsent".
std::string_view ErrorKindName(ErrorKind kind);

struct TimelineSecond {
  uint64_t responses = 0;
  uint64_t errors = 0;
  uint64_t bytes = 0;
};

class LoadTally {
 public:
  // Distinct X-Tollgate-Reason values counted one by one; any further ones count as "other".
  static constexpr size_t kMaxReasons = 64;
  using Reason = FixedText<ResponseParser::kMaxReasonBytes>;

  // Reserves the timeline for `expected_seconds` so that recording rarely allocates.
  explicit LoadTally(size_t expected_seconds);
  LoadTally() : LoadTally(16) {}

  // A response that arrived `at_ns` after the run's start, `latency_ns` after it was due, with
  // `bytes` read for it (head and body). `reason` is "" when the header was absent.
  void RecordResponse(int64_t at_ns, uint64_t latency_ns, int status, std::string_view reason,
                      uint64_t bytes);
  void RecordError(ErrorKind kind, int64_t at_ns, uint64_t bytes = 0, uint64_t count = 1);
  void Merge(const LoadTally& other);

  const LatencyHistogram& latency() const { return latency_; }
  uint64_t responses() const { return responses_; }
  uint64_t errors() const { return error_total_; }
  uint64_t bytes() const { return bytes_; }
  uint64_t errors_of(ErrorKind kind) const { return errors_[static_cast<size_t>(kind)]; }
  // Responses with `status` (100–599; 0 otherwise).
  uint64_t status_count(int status) const;
  // (status, count) for every status seen, ascending.
  std::vector<std::pair<int, uint64_t>> Statuses() const;
  const std::vector<std::pair<Reason, uint64_t>>& reasons() const { return reasons_; }
  const std::vector<TimelineSecond>& timeline() const { return timeline_; }
  // When the last response or error was recorded, in nanoseconds after the start.
  int64_t last_event_ns() const { return last_event_ns_; }

 private:
  TimelineSecond& Second(int64_t at_ns);
  void CountReason(std::string_view reason, uint64_t count);

  LatencyHistogram latency_;
  std::array<uint64_t, 600> status_{};
  std::vector<std::pair<Reason, uint64_t>> reasons_;
  std::array<uint64_t, static_cast<size_t>(ErrorKind::kCount)> errors_{};
  std::vector<TimelineSecond> timeline_;
  uint64_t responses_ = 0;
  uint64_t error_total_ = 0;
  uint64_t bytes_ = 0;
  int64_t last_event_ns_ = 0;
};

}  // namespace tollgate::gateway::load
