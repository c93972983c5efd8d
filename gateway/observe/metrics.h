// The process's metrics under their fixed names, counted on the hot path without a lock shared
// between threads: each thread adds to its own shard of relaxed atomics, and a scrape sums the
// shards (metrics_exposition.h). No label ever carries a token, key, identifier, client
// address or path: the labels are the listener, a status code, a denial reason and a result.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "tollgate/policy/reason.h"

namespace tollgate::gateway::metrics {

enum class Listener : uint8_t { kDownload, kAdmin };
inline constexpr int kListenerCount = 2;

// What one reservation on the usage ledger came to.
enum class Reservation : uint8_t { kGranted, kDenied, kError };
inline constexpr int kReservationCount = 3;

// One answered request: its status, its denial (nullopt for a response that is no denial),
// the body bytes sent, and the time from its first byte read to its last byte sent.
void RecordRequest(Listener listener, unsigned status, std::optional<policy::Reason> denial,
                   uint64_t body_bytes, std::chrono::nanoseconds duration);

// A connection refused at the accept with a canned denial (`server_busy`,
// `too_many_connections`) answered with `status`: counted as a request with that denial, but
// with no duration or bytes, since no request was read.
void RecordRefusedConnection(Listener listener, unsigned status, policy::Reason denial);

// A connection accepted, and the same connection closed.
void ConnectionOpened(Listener listener);
void ConnectionClosed(Listener listener);

void RecordReservation(Reservation result);
// A read or write the store refused or could not complete.
void RecordStoreError();
// One request to an origin: its status (0 when it brought no answer) and duration.
void RecordOriginRequest(unsigned status, std::chrono::nanoseconds duration);

}  // namespace tollgate::gateway::metrics
