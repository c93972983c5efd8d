#include "observe/metrics_exposition.h"

#include <array>
#include <cinttypes>
#include <cstdio>

#include "observe/metric_shards.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::metrics {
namespace {

// The shards summed: the same shape, plain numbers.
struct Histogram {
  std::array<uint64_t, kLatencyBoundsMicros.size() + 1> buckets{};
  uint64_t sum_micros = 0;
};

struct Totals {
  std::array<std::array<uint64_t, kMaxStatus>, kListenerCount> requests_by_status{};
  std::array<std::array<uint64_t, kReasonCount>, kListenerCount> denials_by_reason{};
  std::array<uint64_t, kListenerCount> response_bytes{};
  std::array<Histogram, kListenerCount> request_duration{};
  std::array<int64_t, kListenerCount> connections{};
  std::array<uint64_t, kReservationCount> reservations{};
  uint64_t store_errors = 0;
  std::array<uint64_t, kMaxStatus> origin_requests_by_status{};
  Histogram origin_duration{};
  ScrapeReadings readings;
};

// Acquire: a denial's count is released after its status is noted (DenialStatusOf).
uint64_t Read(const Counter& counter) { return counter.load(std::memory_order_acquire); }

template <size_t N>
void AddAll(std::array<uint64_t, N>& to, const std::array<Counter, N>& from) {
  for (size_t i = 0; i < N; ++i) to[i] += Read(from[i]);
}

void AddHistogram(Histogram& to, const LatencyHistogram& from) {
  AddAll(to.buckets, from.buckets);
  to.sum_micros += Read(from.sum_micros);
}

Totals Sum(const ScrapeReadings& readings) {
  Totals totals;
  totals.readings = readings;
  ForEachShard([&totals](const Shard& shard) {
    for (size_t listener = 0; listener < kListenerCount; ++listener) {
      AddAll(totals.requests_by_status[listener], shard.requests_by_status[listener]);
      AddAll(totals.denials_by_reason[listener], shard.denials_by_reason[listener]);
      totals.response_bytes[listener] += Read(shard.response_bytes[listener]);
      AddHistogram(totals.request_duration[listener], shard.request_duration[listener]);
      totals.connections[listener] += shard.connections[listener].load(std::memory_order_relaxed);
    }
    AddAll(totals.reservations, shard.reservations);
    totals.store_errors += Read(shard.store_errors);
    AddAll(totals.origin_requests_by_status, shard.origin_requests_by_status);
    AddHistogram(totals.origin_duration, shard.origin_duration);
  });
  return totals;
}

constexpr std::array<std::string_view, kListenerCount> kListenerNames = {"download", "admin"};
constexpr std::array<std::string_view, kReservationCount> kReservationNames = {"granted", "denied",
                                                                               "error"};

// Microseconds as seconds, exactly: "0.000250".
std::string Seconds(uint64_t micros) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%" PRIu64 ".%06" PRIu64, micros / 1'000'000,
                micros % 1'000'000);
  return text.data();
}

// A bucket bound as Prometheus writes it: "0.00025", "1", "60".
std::string Bound(uint64_t micros) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%g", static_cast<double>(micros) / 1e6);
  return text.data();
}

// `labels` is "" or `name="value",…` without braces.
void Sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view value) {
  out += name;
  if (!labels.empty()) out += Concat("{", labels, "}");
  out += Concat(" ", value, "\n");
}

void HistogramSamples(std::string& out, std::string_view name, std::string_view labels,
                      const Histogram& histogram) {
  const std::string prefix = labels.empty() ? std::string() : Concat(labels, ",");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < histogram.buckets.size(); ++i) {
    cumulative += histogram.buckets[i];
    const std::string bound =
        i < kLatencyBoundsMicros.size() ? Bound(kLatencyBoundsMicros[i]) : std::string("+Inf");
    Sample(out, Concat(name, "_bucket"), Concat(prefix, "le=\"", bound, "\""), Concat(cumulative));
  }
  Sample(out, Concat(name, "_sum"), labels, Seconds(histogram.sum_micros));
  Sample(out, Concat(name, "_count"), labels, Concat(cumulative));
}

std::string ListenerLabel(size_t listener) {
  return Concat("listener=\"", kListenerNames[listener], "\"");
}

void Requests(const Totals& totals, std::string_view name, std::string& out) {
  for (size_t listener = 0; listener < kListenerCount; ++listener) {
    for (unsigned status = 0; status < kMaxStatus; ++status) {
      const uint64_t count = totals.requests_by_status[listener][status];
      if (count == 0) continue;
      Sample(out, name, Concat(ListenerLabel(listener), ",status=\"", status, "\",reason=\"\""),
             Concat(count));
    }
    for (int reason = 0; reason < kReasonCount; ++reason) {
      const uint64_t count = totals.denials_by_reason[listener][static_cast<size_t>(reason)];
      if (count == 0) continue;
      const auto denial = static_cast<policy::Reason>(reason);
      const uint16_t status = DenialStatusOf(denial).load(std::memory_order_relaxed);
      Sample(out, name,
             Concat(ListenerLabel(listener), ",status=\"", status, "\",reason=\"",
                    policy::ReasonCode(denial), "\""),
             Concat(count));
    }
  }
}

void ResponseBytes(const Totals& totals, std::string_view name, std::string& out) {
  for (size_t listener = 0; listener < kListenerCount; ++listener) {
    Sample(out, name, ListenerLabel(listener), Concat(totals.response_bytes[listener]));
  }
}

void RequestDuration(const Totals& totals, std::string_view name, std::string& out) {
  for (size_t listener = 0; listener < kListenerCount; ++listener) {
    HistogramSamples(out, name, ListenerLabel(listener), totals.request_duration[listener]);
  }
}

void ConnectionsActive(const Totals& totals, std::string_view name, std::string& out) {
  for (size_t listener = 0; listener < kListenerCount; ++listener) {
    Sample(out, name, ListenerLabel(listener), Concat(totals.connections[listener]));
  }
}

void Reservations(const Totals& totals, std::string_view name, std::string& out) {
  for (size_t result = 0; result < kReservationCount; ++result) {
    Sample(out, name, Concat("result=\"", kReservationNames[result], "\""),
           Concat(totals.reservations[result]));
  }
}

void StoreErrors(const Totals& totals, std::string_view name, std::string& out) {
  Sample(out, name, "", Concat(totals.store_errors));
}

void OriginRequests(const Totals& totals, std::string_view name, std::string& out) {
  for (unsigned status = 0; status < kMaxStatus; ++status) {
    const uint64_t count = totals.origin_requests_by_status[status];
    if (count != 0) Sample(out, name, Concat("status=\"", status, "\""), Concat(count));
  }
}

void OriginDuration(const Totals& totals, std::string_view name, std::string& out) {
  HistogramSamples(out, name, "", totals.origin_duration);
}

void AuthBlockedClients(const Totals& totals, std::string_view name, std::string& out) {
  Sample(out, name, "", Concat(totals.readings.auth_blocked_clients));
}

void UsageEventsDropped(const Totals& totals, std::string_view name, std::string& out) {
  Sample(out, name, "", Concat(totals.readings.usage_events_dropped));
}

// The project's version from CMake: digits and dots, nothing to escape.
void BuildInfo(const Totals&, std::string_view name, std::string& out) {
  Sample(out, name, Concat("version=\"", TOLLGATE_VERSION, "\""), "1");
}

struct Metric {
  std::string_view name;
  std::string_view type;
  std::string_view help;
  void (*samples)(const Totals&, std::string_view, std::string&);
};

// Every metric, in the order a scrape lists them.
constexpr std::array<Metric, 11> kMetrics = {{
    {"tollgate_requests_total", "counter",
     "Requests answered, by listener, status and denial reason (\"\" for no denial).", Requests},
    {"tollgate_response_bytes_total", "counter", "Response body bytes sent, by listener.",
     ResponseBytes},
    {"tollgate_request_duration_seconds", "histogram",
     "Time from a request's first byte read to its last byte sent, by listener.", RequestDuration},
    {"tollgate_connections_active", "gauge", "Connections open now, by listener.",
     ConnectionsActive},
    {"tollgate_ledger_reservations_total", "counter",
     "Reservations on the usage ledger, by result (granted, denied, error).", Reservations},
    {"tollgate_store_errors_total", "counter",
     "Store calls on the download path that failed: reservations and signing-key reads.",
     StoreErrors},
    {"tollgate_origin_requests_total", "counter",
     "Requests to origins, by the origin's status (0: no answer).", OriginRequests},
    {"tollgate_origin_request_duration_seconds", "histogram",
     "Time from sending a request to an origin to its answer's headers.", OriginDuration},
    {"tollgate_auth_blocked_clients", "gauge",
     "Clients the brute-force defence blocks now, as far as this instance knows.",
     AuthBlockedClients},
    {"tollgate_usage_events_dropped_total", "counter",
     "Usage records and events the usage ledger dropped because the store was unreachable "
     "and their memory budget spent.",
     UsageEventsDropped},
    {"tollgate_build_info", "gauge", "The running build; always 1.", BuildInfo},
}};

}  // namespace

std::string RenderExposition(const ScrapeReadings& readings) {
  const Totals totals = Sum(readings);
  std::string out;
  for (const Metric& metric : kMetrics) {
    out += Concat("# HELP ", metric.name, " ", metric.help, "\n# TYPE ", metric.name, " ",
                  metric.type, "\n");
    metric.samples(totals, metric.name, out);
  }
  return out;
}

}  // namespace tollgate::gateway::metrics
