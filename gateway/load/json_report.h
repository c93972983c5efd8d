// --json: the load run's results as one JSON object.
#pragma once

#include <string>

#include "load/load_report.h"

namespace tollgate::gateway::load {

// {"requests", "duration_s", "requests_per_s", "bytes", "errors", "latency_ms": {"p50", "p90",
// "p99", "p999", "max"}, "status": {"200": n, …}, "reasons": {"client_limit_reached": n, …}}
// and more: "mb_per_s", "target" (origin and URL count), "connections", "threads", "mode",
// "rate", "error_kinds", "latency_ms" mean and min, and "timeline" (one object per second).
std::string FormatJson(const LoadReport& report);

}  // namespace tollgate::gateway::load
