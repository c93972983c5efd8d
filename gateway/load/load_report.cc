// From nanoseconds in the histogram to milliseconds in the report; the text summary.
#include "load/load_report.h"

#include <cmath>
#include <cstdio>

#include "tollgate/base/concat.h"

namespace tollgate::gateway::load {
namespace {

double Ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }

std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

}  // namespace

LoadReport Summarize(const LoadTally& tally, double duration_s) {
  LoadReport report;
  report.requests = tally.responses();
  report.errors = tally.errors();
  report.bytes = tally.bytes();
  report.duration_s = duration_s;
  if (duration_s > 0) {
    report.requests_per_s = static_cast<double>(report.requests) / duration_s;
    report.mb_per_s = static_cast<double>(report.bytes) / 1e6 / duration_s;
  }
  const LatencyHistogram& h = tally.latency();
  report.latency_ms.p50 = Ms(h.ValueAtPercentile(50));
  report.latency_ms.p90 = Ms(h.ValueAtPercentile(90));
  report.latency_ms.p99 = Ms(h.ValueAtPercentile(99));
  report.latency_ms.p999 = Ms(h.ValueAtPercentile(99.9));
  report.latency_ms.max = Ms(h.max());
  report.latency_ms.min = Ms(h.min());
  report.latency_ms.mean = h.Mean() / 1e6;
  for (const auto& [status, n] : tally.Statuses()) report.status[status] = n;
  for (const auto& [reason, n] : tally.reasons()) report.reasons[std::string(reason.view())] += n;
  for (size_t i = 0; i < static_cast<size_t>(ErrorKind::kCount); ++i) {
    const auto kind = static_cast<ErrorKind>(i);
    if (tally.errors_of(kind) != 0) {
      report.error_kinds[std::string(ErrorKindName(kind))] = tally.errors_of(kind);
    }
  }
  report.timeline = tally.timeline();
  if (h.count() > 0) {
    // Ten points per decade of "nines": 0, 20.6 … 90, … 99, … 99.999.
    for (int step = 0; step <= 50; ++step) {
      const double percentile = 100.0 * (1.0 - std::pow(10.0, -step / 10.0));
      report.percentile_curve.emplace_back(percentile, Ms(h.ValueAtPercentile(percentile)));
    }
    report.percentile_curve.emplace_back(100.0, Ms(h.max()));
  }
  return report;
}

std::string FormatSummary(const LoadReport& r) {
  std::string out =
      Concat("target     ", r.origin, " (", r.url_count, r.url_count == 1 ? " URL" : " URLs", "), ",
             r.connections, r.connections == 1 ? " connection, " : " connections, ", r.threads,
             r.threads == 1 ? " thread, " : " threads, ");
  if (r.rate) {
    AppendTo(out, "open loop at ", Fixed(*r.rate, 0), " requests/s\n");
  } else {
    out += "closed loop\n";
  }
  AppendTo(out, "requests   ", r.requests, " in ", Fixed(r.duration_s, 2), " s, ",
           Fixed(r.requests_per_s, 1), " requests/s\n");
  AppendTo(out, "transfer   ", Fixed(static_cast<double>(r.bytes) / 1e6, 1), " MB, ",
           Fixed(r.mb_per_s, 2), " MB/s\n");
  AppendTo(out, "latency ms p50 ", Fixed(r.latency_ms.p50, 3), "  p90 ", Fixed(r.latency_ms.p90, 3),
           "  p99 ", Fixed(r.latency_ms.p99, 3), "  p99.9 ", Fixed(r.latency_ms.p999, 3), "  max ",
           Fixed(r.latency_ms.max, 3), "\n");
  out += "status    ";
  if (r.status.empty()) out += " none";
  for (const auto& [status, n] : r.status) AppendTo(out, " ", status, ": ", n);
  out += "\n";
  if (!r.reasons.empty()) {
    out += "reasons   ";
    for (const auto& [reason, n] : r.reasons) AppendTo(out, " ", reason, ": ", n);
    out += "\n";
  }
  AppendTo(out, "errors     ", r.errors);
  if (!r.error_kinds.empty()) {
    out += " (";
    bool first = true;
    for (const auto& [kind, n] : r.error_kinds) {
      AppendTo(out, first ? "" : ", ", kind, " ", n);
      first = false;
    }
    out += ")";
  }
  out += "\n";
  return out;
}

}  // namespace tollgate::gateway::load
