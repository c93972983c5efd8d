// The bounded batch: an LRU list of usage entries indexed by key, and a FIFO of events.
#include "usage_batch.h"

#include <algorithm>
#include <utility>

namespace tollgate::storage {
namespace {

// What a string costs beyond its own object: nothing while it fits the small-string buffer,
// else its heap block and the allocator's header.
size_t HeapBytes(const std::string& text) {
  constexpr size_t kSmallString = 15;  // libstdc++ keeps up to 15 characters inline
  constexpr size_t kAllocatorHeader = 16;
  return text.capacity() > kSmallString ? text.capacity() + 1 + kAllocatorHeader : 0;
}

void Merge(UsageBatch::Usage& into, const UsageBatch::Usage& from) {
  into.downloads += from.downloads;
  into.bandwidth += from.bandwidth;
  into.last_downloaded_at = std::max(into.last_downloaded_at, from.last_downloaded_at);
  if (from.period_end) into.period_end = from.period_end;
  into.records += from.records;
}

}  // namespace

UsageBatch::UsageBatch(size_t usage_budget, size_t event_budget)
    : usage_budget_(usage_budget), event_budget_(event_budget) {}

size_t UsageBatch::Cost(const Entry& entry) {
  return kEntryOverhead + HeapBytes(entry.token) + HeapBytes(entry.period) +
         HeapBytes(entry.client);
}

size_t UsageBatch::Cost(const Event& event) {
  return kEventOverhead + HeapBytes(event.token) + HeapBytes(event.event.client) +
         HeapBytes(event.event.path);
}

UsageDrops UsageBatch::Add(const Reservation& r, bool counts_download) {
  const Usage usage{.downloads = counts_download ? 1 : 0,
                    .bandwidth = r.bytes,
                    .last_downloaded_at = r.now,
                    .period_end = r.period_end,
                    .records = 1};
  if (auto found = index_.find(Key{r.token, r.period, r.client}); found != index_.end()) {
    Merge(found->second->usage, usage);
    entries_.splice(entries_.end(), entries_, found->second);
  } else {
    entries_.push_back(Entry{r.token, r.period, r.client, usage});
    index_.emplace(KeyOf(entries_.back()), std::prev(entries_.end()));
    usage_bytes_ += Cost(entries_.back());
  }
  return Trim();
}

UsageDrops UsageBatch::AddEvent(const std::string& token, const UsageEvent& event) {
  events_.push_back(Event{token, event});
  event_bytes_ += Cost(events_.back());
  return Trim();
}

UsageDrops UsageBatch::Restore(UsageBatch older) {
  // From the newest of `older` to its oldest, each goes in front of what is here, so the
  // order of `older` is kept and all of it stays older than this batch's own entries.
  while (!older.entries_.empty()) {
    const auto entry = std::prev(older.entries_.end());
    older.index_.erase(KeyOf(*entry));
    if (auto found = index_.find(KeyOf(*entry)); found != index_.end()) {
      Merge(found->second->usage, entry->usage);
      older.entries_.erase(entry);
      continue;
    }
    entries_.splice(entries_.begin(), older.entries_, entry);
    index_.emplace(KeyOf(*entry), entry);
    usage_bytes_ += Cost(*entry);
  }
  older.events_.insert(older.events_.end(), std::make_move_iterator(events_.begin()),
                       std::make_move_iterator(events_.end()));
  events_ = std::move(older.events_);
  event_bytes_ += older.event_bytes_;
  return Trim();
}

UsageBatch UsageBatch::Take() {
  UsageBatch taken(std::move(*this));
  *this = UsageBatch(taken.usage_budget_, taken.event_budget_);
  return taken;
}

void UsageBatch::Forget(const std::string& token) {
  auto entry = index_.lower_bound(Key{token, {}, {}});
  while (entry != index_.end() && std::get<0>(entry->first) == token) {
    const Entries::iterator gone = entry->second;
    entry = index_.erase(entry);
    usage_bytes_ -= Cost(*gone);
    entries_.erase(gone);
  }
  std::erase_if(events_, [&](const Event& event) {
    if (event.token != token) return false;
    event_bytes_ -= Cost(event);
    return true;
  });
}

void UsageBatch::AddPendingTo(const std::string& token, const std::string& period,
                              UsageSnapshot& usage,
                              absl::flat_hash_set<std::string>& clients) const {
  for (auto entry = index_.lower_bound(Key{token, period, {}});
       entry != index_.end() && std::get<0>(entry->first) == token &&
       std::get<1>(entry->first) == period;
       ++entry) {
    const Entry& pending = *entry->second;
    usage.downloads += pending.usage.downloads;
    usage.bandwidth += pending.usage.bandwidth;
    usage.last_downloaded_at = std::max(usage.last_downloaded_at.value_or(absl::InfinitePast()),
                                        pending.usage.last_downloaded_at);
    clients.insert(pending.client);
  }
}

std::vector<UsageEvent> UsageBatch::EventsOf(const std::string& token, size_t limit) const {
  std::vector<UsageEvent> found;
  for (auto event = events_.rbegin(); event != events_.rend() && found.size() < limit; ++event) {
    if (event->token == token) found.push_back(event->event);
  }
  return found;
}

void UsageBatch::Erase(Entries::iterator entry) {
  index_.erase(KeyOf(*entry));
  usage_bytes_ -= Cost(*entry);
  entries_.erase(entry);
}

UsageDrops UsageBatch::Trim() {
  UsageDrops dropped;
  while (usage_bytes_ > usage_budget_ && !entries_.empty()) {
    dropped.usage_records += entries_.front().usage.records;
    Erase(entries_.begin());
  }
  while (event_bytes_ > event_budget_ && !events_.empty()) {
    event_bytes_ -= Cost(events_.front());
    events_.pop_front();
    ++dropped.events;
  }
  return dropped;
}

}  // namespace tollgate::storage
