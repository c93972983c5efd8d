// --report: the load run as one self-contained HTML page (inline CSS and SVG, no script, no
// external resource), readable offline: a summary table, throughput over time, latency by
// percentile, and the counts by status, X-Tollgate-Reason and error kind.
#pragma once

#include <string>

#include "load/load_report.h"

namespace tollgate::gateway::load {

// The page. Its three charts are <svg> elements with ids "throughput-chart",
// "latency-chart" and "status-chart". Every text from the run (reason values come from the
// server) is escaped.
std::string FormatHtml(const LoadReport& report);

}  // namespace tollgate::gateway::load
