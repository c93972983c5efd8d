// Built with Boost.JSON, which escapes every string (reason values come from the server).
#include "load/json_report.h"

#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"

namespace tollgate::gateway::load {
namespace json = boost::json;

std::string FormatJson(const LoadReport& r) {
  json::object out;
  out["requests"] = r.requests;
  out["duration_s"] = r.duration_s;
  out["requests_per_s"] = r.requests_per_s;
  out["bytes"] = r.bytes;
  out["errors"] = r.errors;
  json::object latency;
  latency["p50"] = r.latency_ms.p50;
  latency["p90"] = r.latency_ms.p90;
  latency["p99"] = r.latency_ms.p99;
  latency["p999"] = r.latency_ms.p999;
  latency["max"] = r.latency_ms.max;
  latency["min"] = r.latency_ms.min;
  latency["mean"] = r.latency_ms.mean;
  out["latency_ms"] = std::move(latency);
  json::object status;
  for (const auto& [code, n] : r.status) status[std::to_string(code)] = n;
  out["status"] = std::move(status);
  json::object reasons;
  for (const auto& [reason, n] : r.reasons) reasons[reason] = n;
  out["reasons"] = std::move(reasons);

  out["mb_per_s"] = r.mb_per_s;
  json::object errors;
  for (const auto& [kind, n] : r.error_kinds) errors[kind] = n;
  out["error_kinds"] = std::move(errors);
  json::object target;
  target["origin"] = r.origin;
  target["urls"] = r.url_count;
  out["target"] = std::move(target);
  out["connections"] = r.connections;
  out["threads"] = r.threads;
  out["mode"] = r.rate ? "open" : "closed";
  if (r.rate) {
    out["rate"] = *r.rate;
  } else {
    out["rate"] = nullptr;
  }
  json::array timeline;
  for (size_t i = 0; i < r.timeline.size(); ++i) {
    json::object second;
    second["second"] = i;
    second["requests"] = r.timeline[i].responses;
    second["errors"] = r.timeline[i].errors;
    second["bytes"] = r.timeline[i].bytes;
    timeline.push_back(std::move(second));
  }
  out["timeline"] = std::move(timeline);
  return json::serialize(out) + "\n";
}

}  // namespace tollgate::gateway::load
