// The in-process usage ledger and its periodic write-behind to SQLite.
#include "tollgate/storage/embedded/embedded_usage_ledger.h"

#include "absl/time/clock.h"
#include "sqlite_database.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/index/reservation_decision.h"

namespace tollgate::storage {
namespace {

// Events kept per token for GET …/usage/.
constexpr size_t kMaxEventsPerToken = 100;
// A finished period's usage is kept this long after its end for late readers, then dropped.
constexpr absl::Duration kExpiredPeriodGrace = absl::Hours(24);

// Token, period, client and path joined by NUL, into `out` (reusing its storage).
void BuildDedupeKey(const Reservation& r, std::string& out) {
  out.clear();
  AppendTo(out, r.token, '\0', r.period, '\0', r.client, '\0', r.path);
}

// Debian's abseil keeps its own string_view type, which std::string_view does not convert to.
absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace

size_t EmbeddedUsageLedger::KeyHash::operator()(const KeyView& key) const {
  return absl::HashOf(AbslView(key.first), AbslView(key.second));
}

EmbeddedUsageLedger::EmbeddedUsageLedger(std::shared_ptr<SqliteDatabase> db,
                                         absl::Duration flush_interval)
    : db_(std::move(db)), flush_interval_(flush_interval) {}

absl::StatusOr<std::unique_ptr<EmbeddedUsageLedger>> EmbeddedUsageLedger::Open(
    std::shared_ptr<SqliteDatabase> db, absl::Duration flush_interval) {
  std::unique_ptr<EmbeddedUsageLedger> ledger(
      new EmbeddedUsageLedger(std::move(db), flush_interval));
  if (absl::Status s = ledger->Load(); !s.ok()) return s;
  ledger->flusher_ = std::thread([raw = ledger.get()] { raw->FlushLoop(); });
  return ledger;
}

EmbeddedUsageLedger::~EmbeddedUsageLedger() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  // Best effort: a failure here is the same as a crash one interval later.
  Flush().IgnoreError();
}

absl::Status EmbeddedUsageLedger::Load() {
  std::lock_guard lock(mu_);
  return db_->Read([this](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> rows = session.Prepare(
        "SELECT token, period, downloads, bandwidth, last_downloaded_at, period_end FROM usage");
    if (!rows.ok()) return rows.status();
    for (;;) {
      absl::StatusOr<bool> more = rows->Step();
      if (!more.ok()) return more.status();
      if (!*more) break;
      PeriodUsage& usage = usage_[Key{rows->ColumnText(0), rows->ColumnText(1)}];
      usage.downloads = rows->ColumnInt(2);
      usage.bandwidth = static_cast<uint64_t>(rows->ColumnInt(3));
      usage.last_downloaded_at = rows->ColumnOptionalTime(4);
      usage.period_end = rows->ColumnOptionalTime(5);
    }
    absl::StatusOr<SqliteStatement> clients =
        session.Prepare("SELECT token, period, client FROM usage_clients");
    if (!clients.ok()) return clients.status();
    for (;;) {
      absl::StatusOr<bool> more = clients->Step();
      if (!more.ok()) return more.status();
      if (!*more) break;
      usage_[Key{clients->ColumnText(0), clients->ColumnText(1)}].clients.insert(
          clients->ColumnText(2));
    }
    return absl::OkStatus();
  });
}

ReservationResult EmbeddedUsageLedger::Apply(const Reservation& r, bool enforce) {
  const KeyView key(r.token, r.period);
  BuildDedupeKey(r, dedupe_key_);
  auto recent = recent_downloads_.find(dedupe_key_);
  const bool is_repeat =
      r.bytes_only || (recent != recent_downloads_.end() && recent->second > r.now);
  auto found = usage_.find(key);
  if (enforce) {
    // Looked up, not inserted: a refused or check-only reservation leaves no entry behind.
    const bool client_known = found != usage_.end() && found->second.clients.contains(r.client);
    UsageSnapshot current;
    if (found != usage_.end()) {
      const PeriodUsage& usage = found->second;
      current = UsageSnapshot{usage.downloads, static_cast<int64_t>(usage.clients.size()),
                              usage.bandwidth, usage.last_downloaded_at};
    }
    const ReservationResult result = DecideReservation(r, current, client_known, is_repeat);
    if (result != ReservationResult::kGranted || r.check_only) return result;
  }
  if (found == usage_.end()) found = usage_.try_emplace(Key(r.token, r.period)).first;
  PeriodUsage& usage = found->second;
  const bool client_known = usage.clients.contains(r.client);
  if (!is_repeat) ++usage.downloads;
  if (!client_known) {
    usage.clients.insert(r.client);
    usage.unsaved_clients.push_back(r.client);
  }
  usage.bandwidth += r.bytes;
  usage.last_downloaded_at = r.now;
  usage.period_end = r.period_end;
  usage.dirty = true;
  if (r.dedupe_window > absl::ZeroDuration() && !is_repeat) {
    recent_downloads_[dedupe_key_] = r.now + r.dedupe_window;
  }
  return ReservationResult::kGranted;
}

boost::asio::awaitable<absl::StatusOr<ReservationResult>> EmbeddedUsageLedger::Reserve(
    const Reservation& reservation) {
  std::lock_guard lock(mu_);
  co_return Apply(reservation, /*enforce=*/true);
}

void EmbeddedUsageLedger::Record(const Reservation& reservation) {
  std::lock_guard lock(mu_);
  Apply(reservation, /*enforce=*/false);
}

void EmbeddedUsageLedger::AddEvent(const std::string& token, const UsageEvent& event) {
  std::lock_guard lock(mu_);
  std::deque<UsageEvent>& events = events_[token];
  events.push_front(event);
  if (events.size() > kMaxEventsPerToken) events.pop_back();
}

boost::asio::awaitable<absl::StatusOr<UsageSnapshot>> EmbeddedUsageLedger::Read(
    std::string token, std::string period) {
  std::lock_guard lock(mu_);
  auto it = usage_.find(Key{token, period});
  if (it == usage_.end()) co_return UsageSnapshot{};
  const PeriodUsage& usage = it->second;
  co_return UsageSnapshot{usage.downloads, static_cast<int64_t>(usage.clients.size()),
                          usage.bandwidth, usage.last_downloaded_at};
}

boost::asio::awaitable<absl::StatusOr<std::vector<UsageEvent>>> EmbeddedUsageLedger::Events(
    std::string token, size_t limit) {
  std::lock_guard lock(mu_);
  auto it = events_.find(token);
  if (it == events_.end()) co_return std::vector<UsageEvent>{};
  const size_t count = std::min(limit, it->second.size());
  co_return std::vector<UsageEvent>(it->second.begin(), it->second.begin() + count);
}

boost::asio::awaitable<absl::Status> EmbeddedUsageLedger::Forget(std::string token) {
  co_return ForgetNow(token);
}

absl::Status EmbeddedUsageLedger::ForgetNow(const std::string& token) {
  {
    std::lock_guard lock(mu_);
    absl::erase_if(usage_, [&](const auto& entry) { return entry.first.first == token; });
    const std::string prefix = Concat(token, '\0');
    absl::erase_if(recent_downloads_,
                   [&](const auto& entry) { return entry.first.starts_with(prefix); });
    events_.erase(token);
  }
  return db_->Write([&](SqliteSession& session) -> absl::Status {
    for (const char* sql :
         {"DELETE FROM usage WHERE token = ?1", "DELETE FROM usage_clients WHERE token = ?1"}) {
      absl::StatusOr<SqliteStatement> remove = session.Prepare(sql);
      if (!remove.ok()) return remove.status();
      remove->Bind(1, token);
      if (absl::Status s = remove->Run(); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

absl::Status EmbeddedUsageLedger::Flush() {
  struct Pending {
    Key key;
    PeriodUsage usage;
  };
  std::vector<Pending> pending;
  std::vector<Key> expired;
  {
    std::lock_guard lock(mu_);
    const absl::Time now = absl::Now();
    for (auto& [key, usage] : usage_) {
      if (usage.period_end && *usage.period_end + kExpiredPeriodGrace < now) {
        expired.push_back(key);
        continue;
      }
      if (!usage.dirty) continue;
      Pending entry{key, {}};
      entry.usage.downloads = usage.downloads;
      entry.usage.bandwidth = usage.bandwidth;
      entry.usage.last_downloaded_at = usage.last_downloaded_at;
      entry.usage.period_end = usage.period_end;
      entry.usage.unsaved_clients = std::move(usage.unsaved_clients);
      usage.unsaved_clients.clear();
      usage.dirty = false;
      pending.push_back(std::move(entry));
    }
    for (const Key& key : expired) usage_.erase(key);
    absl::erase_if(recent_downloads_, [&](const auto& entry) { return entry.second <= now; });
  }
  if (pending.empty() && expired.empty()) return absl::OkStatus();
  absl::Status written = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> upsert = session.Prepare(
        "INSERT INTO usage (token, period, downloads, bandwidth, last_downloaded_at, period_end) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (token, period) DO UPDATE SET "
        "downloads = ?3, bandwidth = ?4, last_downloaded_at = ?5, period_end = ?6");
    absl::StatusOr<SqliteStatement> add_client = session.Prepare(
        "INSERT OR IGNORE INTO usage_clients (token, period, client) VALUES (?1, ?2, ?3)");
    absl::StatusOr<SqliteStatement> drop =
        session.Prepare("DELETE FROM usage WHERE token = ?1 AND period = ?2");
    absl::StatusOr<SqliteStatement> drop_clients =
        session.Prepare("DELETE FROM usage_clients WHERE token = ?1 AND period = ?2");
    for (auto* statement : {&upsert, &add_client, &drop, &drop_clients}) {
      if (!statement->ok()) return statement->status();
    }
    for (const Pending& entry : pending) {
      upsert->Bind(1, entry.key.first);
      upsert->Bind(2, entry.key.second);
      upsert->Bind(3, entry.usage.downloads);
      upsert->Bind(4, static_cast<int64_t>(entry.usage.bandwidth));
      upsert->Bind(5, entry.usage.last_downloaded_at);
      upsert->Bind(6, entry.usage.period_end);
      if (absl::Status s = upsert->Run(); !s.ok()) return s;
      for (const std::string& client : entry.usage.unsaved_clients) {
        add_client->Bind(1, entry.key.first);
        add_client->Bind(2, entry.key.second);
        add_client->Bind(3, client);
        if (absl::Status s = add_client->Run(); !s.ok()) return s;
      }
    }
    for (const Key& key : expired) {
      for (auto* statement : {&drop, &drop_clients}) {
        (*statement)->Bind(1, key.first);
        (*statement)->Bind(2, key.second);
        if (absl::Status s = (*statement)->Run(); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  });
  if (!written.ok()) {
    // Put the work back so the next flush retries it.
    std::lock_guard lock(mu_);
    for (Pending& entry : pending) {
      auto it = usage_.find(entry.key);
      if (it == usage_.end()) continue;  // forgotten meanwhile
      it->second.dirty = true;
      for (std::string& client : entry.usage.unsaved_clients) {
        it->second.unsaved_clients.push_back(std::move(client));
      }
    }
  }
  return written;
}

absl::Status EmbeddedUsageLedger::FlushAndWait(absl::Duration /*timeout*/) { return Flush(); }

void EmbeddedUsageLedger::FlushLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, absl::ToChronoMilliseconds(flush_interval_));
    if (stopping_) break;
    lock.unlock();
    Flush().IgnoreError();  // retried next interval; the destructor flushes once more
    lock.lock();
  }
}

}  // namespace tollgate::storage
