// UsageLedger in process: exact under concurrency (one lock), kept in memory and written to
// the embedded database every flush interval and on destruction, so a crash loses at most
// the last interval.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::storage {

class SqliteDatabase;

class EmbeddedUsageLedger final : public UsageLedger {
 public:
  // Loads the persisted usage of `db` and starts the flusher. Unavailable when the database
  // cannot be read.
  static absl::StatusOr<std::unique_ptr<EmbeddedUsageLedger>> Open(
      std::shared_ptr<SqliteDatabase> db, absl::Duration flush_interval = absl::Seconds(1));
  ~EmbeddedUsageLedger() override;  // stops the flusher and writes what is left

  boost::asio::awaitable<absl::StatusOr<ReservationResult>> Reserve(
      const Reservation& reservation) override;
  void Record(const Reservation& reservation) override;
  void AddEvent(const std::string& token, const UsageEvent& event) override;
  boost::asio::awaitable<absl::StatusOr<UsageSnapshot>> Read(std::string token,
                                                             std::string period) override;
  boost::asio::awaitable<absl::StatusOr<std::vector<UsageEvent>>> Events(std::string token,
                                                                         size_t limit) override;
  boost::asio::awaitable<absl::Status> Forget(std::string token) override;
  // Flush(): a local write, so `timeout` does not apply.
  absl::Status FlushAndWait(absl::Duration timeout) override;
  // Always zero: the ledger's memory is its state (one entry per token, period and client),
  // and nothing waits on a store that could be unreachable.
  UsageDrops Dropped() const override { return {}; }

  // Writes every change since the last flush in one transaction. Unavailable on a database
  // error (the changes stay pending and are retried by the next flush).
  absl::Status Flush();

 private:
  struct PeriodUsage {
    int64_t downloads = 0;
    uint64_t bandwidth = 0;
    std::optional<absl::Time> last_downloaded_at;
    std::optional<absl::Time> period_end;
    absl::flat_hash_set<std::string> clients;
    std::vector<std::string> unsaved_clients;
    bool dirty = false;
  };
  using Key = std::pair<std::string, std::string>;  // token, period
  // A reservation's key, looked up without copying its strings.
  using KeyView = std::pair<std::string_view, std::string_view>;
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(const KeyView& key) const;
    size_t operator()(const Key& key) const { return (*this)(KeyView(key.first, key.second)); }
  };
  struct KeyEq {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::string_view(a.first) == std::string_view(b.first) &&
             std::string_view(a.second) == std::string_view(b.second);
    }
  };

  EmbeddedUsageLedger(std::shared_ptr<SqliteDatabase> db, absl::Duration flush_interval);
  absl::Status Load();
  absl::Status ForgetNow(const std::string& token);
  // Decides and, when granted (or `enforce` is false), records. Needs mu_.
  ReservationResult Apply(const Reservation& reservation, bool enforce);
  void FlushLoop();

  const std::shared_ptr<SqliteDatabase> db_;
  const absl::Duration flush_interval_;

  std::mutex mu_;
  absl::flat_hash_map<Key, PeriodUsage, KeyHash, KeyEq> usage_;
  // token, period, client and path joined by NUL → when the dedupe window ends.
  absl::flat_hash_map<std::string, absl::Time> recent_downloads_;
  std::string dedupe_key_;  // Apply's, reused: a download's reservation allocates nothing
  absl::flat_hash_map<std::string, std::deque<UsageEvent>> events_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace tollgate::storage
