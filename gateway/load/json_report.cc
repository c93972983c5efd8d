// Written by hand so that numbers read as numbers people write (1.243, not 1.243E0); strings
// (reason values come from the server) are escaped by Boost.JSON.
#include "load/json_report.h"

#include <cstdio>
#include <map>
#include <type_traits>

#include "boost/json/serialize.hpp"
#include "boost/json/string.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::load {
namespace {

std::string Quoted(std::string_view text) {
  return boost::json::serialize(boost::json::string(text.data(), text.size()));
}

// `value` with `decimals` digits after the point, trailing zeros dropped.
std::string Number(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string out = text;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

template <typename Key, typename Count>
std::string Counts(const std::map<Key, Count>& counts) {
  std::string out = "{";
  for (const auto& [key, n] : counts) {
    if (out.size() > 1) out += ", ";
    if constexpr (std::is_integral_v<Key>) {
      AppendTo(out, "\"", key, "\": ", n);
    } else {
      AppendTo(out, Quoted(key), ": ", n);
    }
  }
  return out + "}";
}

}  // namespace

std::string FormatJson(const LoadReport& r) {
  std::string out = "{";
  AppendTo(out, "\"requests\": ", r.requests, ", \"duration_s\": ", Number(r.duration_s, 6),
           ", \"requests_per_s\": ", Number(r.requests_per_s, 2), ", \"bytes\": ", r.bytes,
           ", \"errors\": ", r.errors, ",\n");
  const LoadReport::Latency& l = r.latency_ms;
  AppendTo(out, " \"latency_ms\": {\"p50\": ", Number(l.p50, 3), ", \"p90\": ", Number(l.p90, 3),
           ", \"p99\": ", Number(l.p99, 3), ", \"p999\": ", Number(l.p999, 3),
           ", \"max\": ", Number(l.max, 3), ", \"min\": ", Number(l.min, 3),
           ", \"mean\": ", Number(l.mean, 3), "},\n");
  AppendTo(out, " \"status\": ", Counts(r.status), ",\n \"reasons\": ", Counts(r.reasons), ",\n");
  AppendTo(out, " \"mb_per_s\": ", Number(r.mb_per_s, 3),
           ", \"error_kinds\": ", Counts(r.error_kinds), ",\n");
  AppendTo(out, " \"target\": {\"origin\": ", Quoted(r.origin), ", \"urls\": ", r.url_count,
           "}, \"connections\": ", r.connections, ", \"threads\": ", r.threads,
           ", \"mode\": ", r.rate ? "\"open\"" : "\"closed\"",
           ", \"rate\": ", r.rate ? Number(*r.rate, 3) : std::string("null"), ",\n");
  out += " \"timeline\": [";
  for (size_t i = 0; i < r.timeline.size(); ++i) {
    AppendTo(out, i == 0 ? "\n  " : ",\n  ", "{\"second\": ", i,
             ", \"requests\": ", r.timeline[i].responses, ", \"errors\": ", r.timeline[i].errors,
             ", \"bytes\": ", r.timeline[i].bytes, "}");
  }
  out += "]}\n";
  return out;
}

}  // namespace tollgate::gateway::load
