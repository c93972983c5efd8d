// The usage ledger: counted limits enforced at once (SPEC §4.2). One atomic reservation per
// download checks and records download count, distinct clients and bandwidth together, with
// repeats inside the dedupe window counted as the same download.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/awaitable.hpp"

namespace tollgate::storage {

// One download as the ledger sees it.
struct Reservation {
  std::string token;   // the entitlement's identifier
  std::string period;  // the usage period's key: usage of other periods is not counted
  std::optional<absl::Time> period_end;  // when this period's usage may be forgotten
  std::string client;                    // IPv4 address or IPv6 /64 prefix
  std::string path;    // repository-relative artifact path (the dedupe key with client)
  uint64_t bytes = 0;  // this response's body length
  std::optional<int64_t> max_downloads;
  std::optional<int64_t> max_clients;
  std::optional<uint64_t> max_bytes;
  absl::Duration dedupe_window;  // zero: every GET is a new download
  absl::Time now;
  // For Record: only adds `bytes` to a download reserved earlier with a length that was not
  // known then (an origin body without Content-Length); counts no download.
  bool bytes_only = false;
  // For Reserve: decides as a reservation would at this moment but records nothing, so a token
  // already over a limit is refused before an origin is asked for the body.
  bool check_only = false;
};

enum class ReservationResult {
  kGranted,
  kDownloadLimitReached,
  kClientLimitReached,
  kBandwidthLimitReached,
};

struct UsageSnapshot {
  int64_t downloads = 0;
  int64_t clients = 0;
  uint64_t bandwidth = 0;
  std::optional<absl::Time> last_downloaded_at;
};

// What a ledger accepted but could not keep: usage and events it held for its store while
// the store was unreachable, dropped oldest first once its memory budget was spent.
struct UsageDrops {
  uint64_t usage_records = 0;  // Record calls whose usage was lost
  uint64_t events = 0;         // AddEvent calls lost
};

struct UsageEvent {
  absl::Time at;
  std::string client;
  std::string path;
  uint64_t bytes = 0;
  int status = 0;
};

class UsageLedger {
 public:
  virtual ~UsageLedger() = default;

  // Checks the limits of `reservation` and, when they allow it, records it — atomically
  // across every instance sharing the ledger. Checks in order download, client, bandwidth;
  // a repeat inside the dedupe window passes the download check. Completes on the caller's
  // executor (the embedded ledger completes inline); Unavailable when the ledger cannot be
  // reached (the caller fails closed).
  virtual boost::asio::awaitable<absl::StatusOr<ReservationResult>> Reserve(
      const Reservation& reservation) = 0;

  // Records usage of a token without counted limits (or, with bytes_only, the bytes of a
  // reserved download). Never waits: batched and written within a second. While the store
  // is unreachable the batch keeps within a memory budget, the least recent usage dropped
  // first (counted in Dropped).
  virtual void Record(const Reservation& reservation) = 0;

  // Remembers a request of `token` for the usage listing (most recent kept). Never waits;
  // batched like Record.
  virtual void AddEvent(const std::string& token, const UsageEvent& event) = 0;

  // Usage of `token` in `period`, including what Record has batched locally. Unavailable
  // when the ledger cannot be reached. Completes on the caller's executor.
  virtual boost::asio::awaitable<absl::StatusOr<UsageSnapshot>> Read(std::string token,
                                                                     std::string period) = 0;

  // The most recent events of `token`, newest first, at most `limit`. Unavailable as Read.
  virtual boost::asio::awaitable<absl::StatusOr<std::vector<UsageEvent>>> Events(std::string token,
                                                                                 size_t limit) = 0;

  // Drops every period's usage and the events of `token` (token deleted or reset).
  // Unavailable as Read.
  virtual boost::asio::awaitable<absl::Status> Forget(std::string token) = 0;

  // Writes what Record and AddEvent have batched, blocking the calling thread for at most
  // `timeout`. Meant for shutdown, once the event loops that used the ledger have stopped.
  // Unavailable or DeadlineExceeded when the store did not take all of it (the rest stays
  // batched).
  virtual absl::Status FlushAndWait(absl::Duration timeout) = 0;

  // Everything dropped since the ledger was made (for metrics). Cheap; never waits on I/O.
  virtual UsageDrops Dropped() const = 0;
};

}  // namespace tollgate::storage
