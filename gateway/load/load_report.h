// The results of a load run as the outputs show them (the summary on stdout, --json, --report):
// totals, rates, latency percentiles in milliseconds, counts by status, reason and error kind,
// and the per-second timeline. Built once from the merged tally; plain values, so outputs can
// be tested without a run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "load/load_tally.h"

namespace tollgate::gateway::load {

struct LoadReport {
  // What ran. `origin` is "scheme://host:port" only: never a path, a query or a credential.
  std::string origin;
  size_t url_count = 0;
  int connections = 0;
  int threads = 0;
  std::optional<double> rate;         // open loop when set
  std::optional<uint64_t> requested;  // --requests
  double planned_duration_s = 0;      // --duration (when no --requests)

  uint64_t requests = 0;  // responses received (each counted in `status`)
  uint64_t errors = 0;    // requests that got no response
  uint64_t bytes = 0;     // bytes received: heads and bodies
  double duration_s = 0;
  double requests_per_s = 0;
  double mb_per_s = 0;  // 10^6 bytes per second

  struct Latency {
    double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, min = 0, mean = 0;
  } latency_ms;
  std::map<int, uint64_t> status;
  std::map<std::string, uint64_t> reasons;
  std::map<std::string, uint64_t> error_kinds;  // only kinds that occurred
  std::vector<TimelineSecond> timeline;
  // (percentile, latency in ms) from 0 to 99.999 on a log scale of nines, then 100 (max).
  std::vector<std::pair<double, double>> percentile_curve;
};

// The report of a finished run.
LoadReport Summarize(const LoadTally& tally, double duration_s);

// The summary printed on stdout at the end: origin, totals, rates, latency percentiles, and the
// counts by status, X-Tollgate-Reason and error kind.
std::string FormatSummary(const LoadReport& report);

}  // namespace tollgate::gateway::load
