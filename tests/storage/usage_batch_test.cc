// The Redis ledger's bounded batch on its own: which entries a full budget drops, and how a
// batch that could not be written goes back.
#include "usage_batch.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/time/clock.h"

namespace tollgate::storage {
namespace {

// Room for exactly three usage entries of short strings (none leaves the string's own buffer).
constexpr size_t kThreeEntries = 3 * UsageBatch::kEntryOverhead;

Reservation Download(std::string client, uint64_t bytes = 1) {
  Reservation r;
  r.token = "tok1";
  r.period = "p1";
  r.client = std::move(client);
  r.bytes = bytes;
  r.now = absl::Now();
  return r;
}

UsageSnapshot PendingOf(const UsageBatch& batch, absl::flat_hash_set<std::string>& clients) {
  UsageSnapshot usage;
  batch.AddPendingTo("tok1", "p1", usage, clients);
  return usage;
}

// An entry updated again counts as recent: the least recently updated one is dropped first.
TEST(UsageBatchTest, DropsTheLeastRecentlyUpdatedEntry) {
  UsageBatch batch(kThreeEntries, 0);
  EXPECT_EQ(batch.Add(Download("a"), true).usage_records, 0u);
  EXPECT_EQ(batch.Add(Download("b"), true).usage_records, 0u);
  EXPECT_EQ(batch.Add(Download("a"), true).usage_records, 0u);
  EXPECT_EQ(batch.Add(Download("c"), true).usage_records, 0u);
  EXPECT_EQ(batch.Add(Download("d"), true).usage_records, 1u);  // b
  absl::flat_hash_set<std::string> clients;
  EXPECT_EQ(PendingOf(batch, clients).downloads, 4);
  EXPECT_EQ(clients, (absl::flat_hash_set<std::string>{"a", "c", "d"}));
  EXPECT_LE(batch.usage_bytes(), kThreeEntries);
}

// A batch put back stays older than what came since: an entry in both is summed, and a
// full budget then drops from the batch put back.
TEST(UsageBatchTest, RestoredEntriesAreOlderThanNewOnes) {
  UsageBatch batch(kThreeEntries, 0);
  batch.Add(Download("a", 10), true);
  batch.Add(Download("b", 10), true);
  UsageBatch taken = batch.Take();
  EXPECT_TRUE(batch.empty());
  batch.Add(Download("b", 5), true);
  batch.Add(Download("c", 5), true);
  batch.Add(Download("d", 5), true);
  EXPECT_EQ(batch.Restore(std::move(taken)).usage_records, 1u);  // a, the oldest
  absl::flat_hash_set<std::string> clients;
  const UsageSnapshot usage = PendingOf(batch, clients);
  EXPECT_EQ(usage.downloads, 4);
  EXPECT_EQ(usage.bandwidth, 25u);
  EXPECT_EQ(clients, (absl::flat_hash_set<std::string>{"b", "c", "d"}));
}

// Forgetting a token gives its bytes back to the budget.
TEST(UsageBatchTest, ForgetReleasesTheBudget) {
  UsageBatch batch(kThreeEntries, 1 << 20);
  batch.Add(Download("a"), true);
  batch.AddEvent("tok1", UsageEvent{absl::Now(), "a", "a.deb", 1, 200});
  batch.Forget("tok1");
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.usage_bytes(), 0u);
  EXPECT_EQ(batch.event_bytes(), 0u);
}

// Events past their budget go oldest first; reads see the rest newest first.
TEST(UsageBatchTest, DropsTheOldestEvents) {
  UsageBatch batch(0, 2 * UsageBatch::kEventOverhead);
  for (const char* path : {"f0", "f1", "f2"}) {
    batch.AddEvent("tok1", UsageEvent{absl::Now(), "a", path, 1, 200});
  }
  const std::vector<UsageEvent> events = batch.EventsOf("tok1", 10);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].path, "f2");
  EXPECT_EQ(events[1].path, "f1");
}

}  // namespace
}  // namespace tollgate::storage
