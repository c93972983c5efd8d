// Usage and events this instance recorded and has not yet written to Redis. Each kind has a
// byte budget, so an outage of any length costs a fixed amount of memory: past the budget
// the oldest entries are dropped first, and counted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::storage {

class UsageBatch {
 public:
  // The usage of one client of one token in one period, summed over its records.
  struct Usage {
    int64_t downloads = 0;
    uint64_t bandwidth = 0;
    absl::Time last_downloaded_at = absl::InfinitePast();
    std::optional<absl::Time> period_end;
    uint64_t records = 0;  // Record calls summed here: what dropping the entry loses
  };
  struct Entry {
    std::string token;
    std::string period;
    std::string client;
    Usage usage;
  };
  struct Event {
    std::string token;
    UsageEvent event;
  };

  // What one entry or event is charged against its budget beyond the bytes of its strings:
  // the object itself, the list and index nodes that hold it and the allocator's headers.
  static constexpr size_t kEntryOverhead = sizeof(Entry) + 160;
  static constexpr size_t kEventOverhead = sizeof(Event) + 32;

  UsageBatch(size_t usage_budget, size_t event_budget);
  UsageBatch(UsageBatch&&) = default;  // list and index nodes move along, views stay valid
  UsageBatch& operator=(UsageBatch&&) = default;

  // Adds one record of `r` (a download when `counts_download`, else only its bytes); its
  // entry becomes the most recent. Returns what fell out of the budget, least recent first.
  UsageDrops Add(const Reservation& r, bool counts_download);
  // Adds one event of `token`. Returns what fell out of the budget, oldest first.
  UsageDrops AddEvent(const std::string& token, const UsageEvent& event);
  // Puts back `older`, taken from this batch before anything now in it and not written: an
  // entry in both is summed into the newer one. Returns what no longer fits.
  UsageDrops Restore(UsageBatch older);
  // Everything in the batch, leaving it empty with the same budgets.
  UsageBatch Take();
  // Drops the usage and events of `token` (not counted: the token's usage is gone anyway).
  void Forget(const std::string& token);

  // Adds the pending usage of `token` in `period` to `usage` (downloads, bandwidth, last) and
  // its clients to `clients`; `usage.clients` is left to the caller.
  void AddPendingTo(const std::string& token, const std::string& period, UsageSnapshot& usage,
                    absl::flat_hash_set<std::string>& clients) const;
  // The pending events of `token`, newest first, at most `limit`.
  std::vector<UsageEvent> EventsOf(const std::string& token, size_t limit) const;

  // Calls `visit(entry)` for every entry, ordered by token, period and client, so the entries
  // of one token and period come one after the other.
  template <typename Visit>
  void VisitByKey(Visit visit) const {
    for (const auto& [key, entry] : index_) visit(*entry);
  }
  const std::deque<Event>& events() const { return events_; }  // oldest first

  bool empty() const { return entries_.empty() && events_.empty(); }
  size_t usage_bytes() const { return usage_bytes_; }
  size_t event_bytes() const { return event_bytes_; }

 private:
  using Entries = std::list<Entry>;  // least recently updated first
  // Views into the entry's own strings: list nodes never move.
  using Key = std::tuple<std::string_view, std::string_view, std::string_view>;

  static size_t Cost(const Entry& entry);
  static size_t Cost(const Event& event);
  static Key KeyOf(const Entry& entry) { return {entry.token, entry.period, entry.client}; }
  void Erase(Entries::iterator entry);
  // Drops the least recent entries and the oldest events until both budgets hold.
  UsageDrops Trim();

  size_t usage_budget_;
  size_t event_budget_;
  Entries entries_;
  std::map<Key, Entries::iterator, std::less<>> index_;
  size_t usage_bytes_ = 0;
  std::deque<Event> events_;
  size_t event_bytes_ = 0;
};

}  // namespace tollgate::storage
