// The page's layout; the charts come from svg_chart.cc.
#include "load/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "load/svg_chart.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/markup.h"

namespace tollgate::gateway::load {
namespace {

constexpr std::string_view kStyle = R"(
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330;
       margin: 24px auto; max-width: 960px; padding: 0 16px; background: #fbfbfd; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; }
p.sub { color: #5b6272; margin-top: 0; }
table { border-collapse: collapse; margin: 8px 0; }
td, th { padding: 3px 14px 3px 0; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { color: #5b6272; font-weight: 600; }
.chart { width: 100%; height: auto; background: #fff; border: 1px solid #e3e5ea; border-radius: 6px; }
.chart-title { font-size: 14px; font-weight: 600; fill: #1d2330; }
.tick { font-size: 12px; fill: #4a5060; }
.axis-label { font-size: 12px; fill: #4a5060; }
.grid { stroke: #eceef2; stroke-width: 1; }
.axis { stroke: #8a8f9c; stroke-width: 1; }
)";

std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// "host:port (https)": the origin as words, so the page holds no URL at all, not even as text.
std::string Origin(std::string_view origin) {
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return std::string(origin);
  return Concat(origin.substr(scheme_end + 3), " (", origin.substr(0, scheme_end), ")");
}

std::string Row(std::string_view name, std::string_view value) {
  return Concat("<tr><th>", HtmlEscaped(name), "</th><td>", HtmlEscaped(value), "</td></tr>\n");
}

std::string StatusColor(int status) {
  if (status < 300) return "#2e9d57";
  if (status < 400) return "#3a78c9";
  if (status < 500) return "#e08a1e";
  return "#d0453a";
}

std::string ThroughputChart(const LoadReport& r) {
  LineChartSpec spec;
  spec.id = "throughput-chart";
  spec.title = "Throughput over time";
  spec.x_label = "seconds since start";
  spec.y_label = "per second";
  ChartSeries responses{"requests/s", "#3a78c9", {}};
  ChartSeries errors{"errors/s", "#d0453a", {}};
  bool any_error = false;
  for (size_t i = 0; i < r.timeline.size(); ++i) {
    // The last second is usually partial: its counts are scaled to a rate, or left out when
    // less than half of it ran (a few answers over a sliver of a second say little).
    const double covered = std::min(1.0, r.duration_s - static_cast<double>(i));
    if (covered < 0.5) continue;
    const double x = static_cast<double>(i + 1);
    responses.points.emplace_back(x, static_cast<double>(r.timeline[i].responses) / covered);
    errors.points.emplace_back(x, static_cast<double>(r.timeline[i].errors) / covered);
    any_error = any_error || r.timeline[i].errors != 0;
  }
  spec.series.push_back(std::move(responses));
  if (any_error) spec.series.push_back(std::move(errors));
  return LineChart(spec);
}

std::string LatencyChart(const LoadReport& r) {
  LineChartSpec spec;
  spec.id = "latency-chart";
  spec.title = "Latency by percentile";
  spec.x_label = "percentile";
  spec.y_label = "latency (ms)";
  ChartSeries curve{"latency", "#7b4fc9", {}};
  for (const auto& [percentile, ms] : r.percentile_curve) {
    if (percentile >= 100) continue;
    // x in "nines": 90 % → 1, 99 % → 2, 99.9 % → 3.
    curve.points.emplace_back(-std::log10(1.0 - percentile / 100.0), ms);
  }
  spec.series.push_back(std::move(curve));
  spec.x_ticks = {{0, "0%"}, {1, "90%"}, {2, "99%"}, {3, "99.9%"}, {4, "99.99%"}, {5, "99.999%"}};
  return LineChart(spec);
}

std::string StatusChart(const LoadReport& r) {
  std::vector<ChartBar> bars;
  for (const auto& [status, n] : r.status)
    bars.push_back({Concat("status ", status), n, StatusColor(status)});
  for (const auto& [reason, n] : r.reasons)
    bars.push_back({Concat("reason ", reason), n, "#8e5bb5"});
  for (const auto& [kind, n] : r.error_kinds)
    bars.push_back({Concat("error: ", kind), n, "#6b7080"});
  return BarChart("status-chart", "Responses by status, X-Tollgate-Reason and error", bars);
}

}  // namespace

std::string FormatHtml(const LoadReport& r) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>tollgate load report</title>\n<style>";
  page += kStyle;
  page += "</style>\n</head>\n<body>\n<h1>tollgate load report</h1>\n";
  const std::string mode = r.rate ? Concat("open loop at ", Fixed(*r.rate, 0), " requests/s")
                                  : std::string("closed loop");
  AppendTo(page, "<p class=\"sub\">", HtmlEscaped(Origin(r.origin)), " &middot; ", r.url_count,
           r.url_count == 1 ? " URL" : " URLs", " &middot; ", r.connections,
           r.connections == 1 ? " connection on " : " connections on ", r.threads,
           r.threads == 1 ? " thread" : " threads", " &middot; ", HtmlEscaped(mode), "</p>\n");
  page += "<h2>Summary</h2>\n<table>\n";
  page += Row("requests", Concat(r.requests));
  page += Row("duration", Concat(Fixed(r.duration_s, 2), " s"));
  page += Row("requests/s", Fixed(r.requests_per_s, 1));
  page += Row("transfer", Concat(Fixed(static_cast<double>(r.bytes) / 1e6, 1), " MB, ",
                                 Fixed(r.mb_per_s, 2), " MB/s"));
  page += Row("errors", Concat(r.errors));
  page += "</table>\n<h2>Throughput</h2>\n";
  page += ThroughputChart(r);
  page += "<h2>Latency</h2>\n";
  page += r.rate ? "<p class=\"sub\">Open loop: each latency counts from the request's scheduled "
                   "send time, so time spent waiting for a free connection is included.</p>\n"
                 : "<p class=\"sub\">Closed loop: each latency counts from the moment the request "
                   "was sent.</p>\n";
  page += LatencyChart(r);
  page +=
      "<table>\n<tr><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></"
      "tr>\n<tr>";
  for (double v : {r.latency_ms.p50, r.latency_ms.p90, r.latency_ms.p99, r.latency_ms.p999,
                   r.latency_ms.max, r.latency_ms.mean}) {
    AppendTo(page, "<td class=\"n\">", Fixed(v, 3), " ms</td>");
  }
  page += "</tr>\n</table>\n<h2>Status breakdown</h2>\n";
  page += StatusChart(r);
  page += "<table>\n";
  for (const auto& [status, n] : r.status) page += Row(Concat("status ", status), Concat(n));
  for (const auto& [reason, n] : r.reasons)
    page += Row(Concat("X-Tollgate-Reason ", reason), Concat(n));
  for (const auto& [kind, n] : r.error_kinds) page += Row(Concat("error ", kind), Concat(n));
  page += "</table>\n</body>\n</html>\n";
  return page;
}

}  // namespace tollgate::gateway::load
