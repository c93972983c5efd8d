// Reservations gathered per event-loop turn into one Lua call; batched writes for the rest.
#include "tollgate/storage/redis/redis_usage_ledger.h"

#include <charconv>
#include <chrono>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/time/clock.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/this_coro.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "redis_loop_clients.h"
#include "redis_script.h"
#include "reservation_batcher.h"
#include "tollgate/base/concat.h"
#include "usage_batch.h"
#include "usage_script.h"

namespace tollgate::storage {
namespace asio = boost::asio;
namespace {

constexpr size_t kMaxEventsPerToken = 100;
// How long FlushAndWait lets a cut-short flush put its batch back after its client is gone.
constexpr auto kSettleTime = std::chrono::seconds(1);
// Lua numbers are doubles: a limit beyond 2^53 bytes (9 PB) is treated as no limit.
constexpr uint64_t kLargestExactLimit = uint64_t{1} << 53;
// A finished period's keys live this long after its end, for late readers.
constexpr absl::Duration kExpiredPeriodGrace = absl::Hours(24);

// A command's words; used instead of a braced list inside co_await, which GCC 12 miscompiles.
template <typename... Parts>
std::vector<std::string> Words(Parts&&... words) {
  return std::vector<std::string>{std::string(std::forward<Parts>(words))...};
}

// Keys of one token share the hash tag {tok:ID}, so a cluster keeps them on one shard:
// kTokenKeyPrefix, the token, kTokenKeyInfix, then what the key holds.
constexpr std::string_view kTokenKeyPrefix = "tollgate:{tok:";
constexpr std::string_view kTokenKeyInfix = "}:";
std::string TokenKey(std::string_view token, std::string_view suffix) {
  return Concat(kTokenKeyPrefix, token, kTokenKeyInfix, suffix);
}

// A limit as the reservation script takes it: -1 for none.
int64_t ScriptLimit(const std::optional<int64_t>& limit) { return limit.value_or(-1); }
int64_t ScriptByteLimit(const std::optional<uint64_t>& limit) {
  return limit && *limit < kLargestExactLimit ? static_cast<int64_t>(*limit) : -1;
}

int64_t ExpireAtMillis(const std::optional<absl::Time>& period_end) {
  return period_end ? absl::ToUnixMillis(*period_end + kExpiredPeriodGrace) : 0;
}

std::string EncodeEvent(const UsageEvent& event) {
  return Concat(absl::ToUnixMicros(event.at), '\t', event.client, '\t', event.path, '\t',
                event.bytes, '\t', event.status);
}

// The inverse of EncodeEvent; nullopt for a malformed entry.
std::optional<UsageEvent> DecodeEvent(std::string_view text) {
  std::string_view fields[5];
  for (int i = 0; i < 5; ++i) {
    const size_t tab = i < 4 ? text.find('\t') : text.size();
    if (tab == std::string_view::npos) return std::nullopt;
    fields[i] = text.substr(0, tab);
    text.remove_prefix(std::min(text.size(), tab + 1));
  }
  int64_t micros = 0;
  UsageEvent event;
  const auto number = [](std::string_view field, auto& out) {
    return std::from_chars(field.data(), field.data() + field.size(), out).ec == std::errc();
  };
  if (!number(fields[0], micros) || !number(fields[3], event.bytes) ||
      !number(fields[4], event.status)) {
    return std::nullopt;
  }
  event.at = absl::FromUnixMicros(micros);
  event.client = std::string(fields[1]);
  event.path = std::string(fields[2]);
  return event;
}

// Repeats of unlimited tokens remembered for the dedupe window: about 7 MiB at most.
constexpr size_t kMaxRecentRecords = 256 * 1024;

absl::Status ErrorOf(const absl::StatusOr<RedisReply>& reply) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::UnavailableError(Concat("redis: ", reply->str));
  return absl::OkStatus();
}

}  // namespace

RedisUsageLedger::RedisUsageLedger(RedisEndpoint endpoint, RedisClientOptions options,
                                   absl::Duration flush_interval, UsageBacklog backlog)
    : wait_replicas_(endpoint.wait_replicas),
      clients_(std::make_unique<RedisLoopClients>(std::move(endpoint), options)),
      flush_interval_(flush_interval),
      reserve_script_(std::make_unique<const RedisScript>(kReserveScript)),
      forget_script_(std::make_unique<const RedisScript>(kForgetScript)),
      backlog_(std::move(backlog)),
      batch_(std::make_unique<UsageBatch>(backlog_.usage_bytes, backlog_.event_bytes)) {}

RedisUsageLedger::~RedisUsageLedger() = default;

ReservationBatcher& RedisUsageLedger::BatcherFor(const asio::any_io_executor& executor) {
  const void* loop = &asio::query(executor, asio::execution::context);
  std::lock_guard lock(batchers_mu_);
  std::unique_ptr<ReservationBatcher>& batcher = batchers_[loop];
  if (batcher == nullptr) {
    batcher =
        std::make_unique<ReservationBatcher>(executor, *reserve_script_, *clients_, wait_replicas_);
  }
  return *batcher;
}

asio::awaitable<absl::StatusOr<ReservationResult>> RedisUsageLedger::Reserve(const Reservation& r) {
  ReservationBatcher& batcher = BatcherFor(co_await asio::this_coro::executor);
  // Written straight into the batch: no string of its own per key or argument.
  const auto append = [&r](ScriptArguments& keys, ScriptArguments& args) {
    keys.Add(kTokenKeyPrefix, r.token, kTokenKeyInfix, "usage:", r.period);
    keys.Add(kTokenKeyPrefix, r.token, kTokenKeyInfix, "clients:", r.period);
    if (r.dedupe_window > absl::ZeroDuration()) {
      const std::array<char, 40> repeat =
          Sha1HexDigits({r.client, std::string_view("\0", 1), r.path});
      keys.Add(kTokenKeyPrefix, r.token, kTokenKeyInfix, "recent:", r.period, ':',
               std::string_view(repeat.data(), repeat.size()));
    } else {
      // Never read without a dedupe window, but declared all the same: a Redis user whose
      // ACL allows only tollgate's keys must be allowed every key a script names.
      keys.Add(kTokenKeyPrefix, r.token, kTokenKeyInfix, "recent:");
    }
    keys.Add(kTokenKeyPrefix, r.token, kTokenKeyInfix, "periods");
    args.Add(r.client);
    args.Add(r.bytes);
    args.Add(ScriptLimit(r.max_downloads));
    args.Add(ScriptLimit(r.max_clients));
    args.Add(ScriptByteLimit(r.max_bytes));
    args.Add(absl::ToInt64Milliseconds(r.dedupe_window));
    args.Add(absl::ToUnixMicros(r.now));
    args.Add(ExpireAtMillis(r.period_end));
    args.Add(r.period);
    args.Add(r.check_only ? '1' : '0');
  };
  // Named, not a lambda temporary inside the co_await expression (GCC 12).
  auto join_batch = [&batcher, &append,
                     check_only = r.check_only](ReservationBatcher::Handler handler) {
    batcher.Add(append, check_only, std::move(handler));
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>,
                                          void(absl::StatusOr<ReservationResult>)>(
      std::move(join_batch), asio::use_awaitable);
}

void RedisUsageLedger::Record(const Reservation& r) {
  // A 64-bit digest, not the strings: paths may be kilobytes long. A collision makes a
  // download count as a repeat, for a token without limits (usage figures only).
  using Views =
      std::tuple<absl::string_view, absl::string_view, absl::string_view, absl::string_view>;
  const uint64_t recent_key = absl::Hash<Views>{}(Views(r.token, r.period, r.client, r.path));
  std::unique_lock lock(batch_mu_);
  auto recent = recent_records_.find(recent_key);
  const bool is_repeat =
      r.bytes_only || (recent != recent_records_.end() && recent->second > r.now);
  if (!is_repeat && r.dedupe_window > absl::ZeroDuration()) {
    if (recent_records_.size() >= kMaxRecentRecords) {
      absl::erase_if(recent_records_, [&r](const auto& entry) { return entry.second <= r.now; });
      // Still full of live entries: start afresh; repeats then count once more.
      if (recent_records_.size() >= kMaxRecentRecords * 3 / 4) recent_records_.clear();
    }
    recent_records_[recent_key] = r.now + r.dedupe_window;
  }
  const std::optional<UsageDrops> overflow = CountDrops(batch_->Add(r, !is_repeat));
  lock.unlock();
  ReportOverflow(true, overflow);
}

void RedisUsageLedger::AddEvent(const std::string& token, const UsageEvent& event) {
  std::unique_lock lock(batch_mu_);
  const std::optional<UsageDrops> overflow = CountDrops(batch_->AddEvent(token, event));
  lock.unlock();
  ReportOverflow(true, overflow);
}

std::optional<UsageDrops> RedisUsageLedger::CountDrops(const UsageDrops& drops) {
  if (drops.usage_records == 0 && drops.events == 0) return std::nullopt;
  dropped_.usage_records += drops.usage_records;
  dropped_.events += drops.events;
  if (overflowing_) return std::nullopt;
  overflowing_ = true;
  return dropped_;
}

void RedisUsageLedger::ReportOverflow(bool overflowing,
                                      const std::optional<UsageDrops>& totals) const {
  if (totals && backlog_.on_overflow) backlog_.on_overflow(overflowing, *totals);
}

UsageDrops RedisUsageLedger::Dropped() const {
  std::lock_guard lock(batch_mu_);
  return dropped_;
}

asio::awaitable<absl::StatusOr<UsageSnapshot>> RedisUsageLedger::Read(std::string token,
                                                                      std::string period) {
  RedisAsyncClient& client = clients_->For(co_await asio::this_coro::executor);
  absl::StatusOr<RedisReply> counters = co_await client.Command(
      Words("HMGET", TokenKey(token, Concat("usage:", period)), "downloads", "bandwidth", "last"));
  if (absl::Status s = ErrorOf(counters); !s.ok()) co_return s;
  absl::StatusOr<RedisReply> clients =
      co_await client.Command(Words("SMEMBERS", TokenKey(token, Concat("clients:", period))));
  if (absl::Status s = ErrorOf(clients); !s.ok()) co_return s;

  co_return WithPending(token, period, ParseUsage(*counters, *clients));
}

RedisUsageLedger::StoredUsage RedisUsageLedger::ParseUsage(const RedisReply& counters,
                                                           const RedisReply& clients) {
  StoredUsage stored;
  const auto field = [&](size_t i) -> std::string_view {
    return i < counters.elements.size() ? std::string_view(counters.elements[i].str)
                                        : std::string_view{};
  };
  const auto number = [](std::string_view text, auto& out) {
    return !text.empty() &&
           std::from_chars(text.data(), text.data() + text.size(), out).ec == std::errc();
  };
  number(field(0), stored.usage.downloads);
  number(field(1), stored.usage.bandwidth);
  int64_t micros = 0;
  if (number(field(2), micros)) stored.usage.last_downloaded_at = absl::FromUnixMicros(micros);
  for (const RedisReply& member : clients.elements) stored.clients.insert(member.str);
  return stored;
}

UsageSnapshot RedisUsageLedger::WithPending(const std::string& token, const std::string& period,
                                            StoredUsage stored) {
  std::lock_guard lock(batch_mu_);
  UsageSnapshot usage = stored.usage;
  batch_->AddPendingTo(token, period, usage, stored.clients);
  usage.clients = static_cast<int64_t>(stored.clients.size());
  return usage;
}

asio::awaitable<absl::StatusOr<std::vector<UsageEvent>>> RedisUsageLedger::Events(std::string token,
                                                                                  size_t limit) {
  RedisAsyncClient& client = clients_->For(co_await asio::this_coro::executor);
  std::vector<UsageEvent> events;
  {
    std::lock_guard lock(batch_mu_);
    events = batch_->EventsOf(token, limit);
  }
  absl::StatusOr<RedisReply> stored = co_await client.Command(
      Words("LRANGE", TokenKey(token, "events"), "0", Concat(static_cast<int64_t>(limit) - 1)));
  if (absl::Status s = ErrorOf(stored); !s.ok()) co_return s;
  for (const RedisReply& entry : stored->elements) {
    if (std::optional<UsageEvent> event = DecodeEvent(entry.str)) events.push_back(*event);
  }
  if (events.size() > limit) events.resize(limit);
  co_return events;
}

asio::awaitable<absl::Status> RedisUsageLedger::Forget(std::string token) {
  RedisAsyncClient& client = clients_->For(co_await asio::this_coro::executor);
  {
    std::lock_guard lock(batch_mu_);
    batch_->Forget(token);
    if (in_flight_ != nullptr) in_flight_->Forget(token);  // not put back should its write fail
  }
  std::vector<std::string> keys = Words(TokenKey(token, "periods"), TokenKey(token, "events"));
  std::vector<std::string> prefixes = Words(TokenKey(token, "usage:"), TokenKey(token, "clients:"));
  co_return ErrorOf(co_await forget_script_->Run(client, std::move(keys), std::move(prefixes)));
}

std::vector<std::vector<std::string>> RedisUsageLedger::WriteCommands(const UsageBatch& batch) {
  std::vector<std::vector<std::string>> commands;
  // The entries of one token and period come one after the other: one set of counter
  // updates per group, all its clients in one SADD.
  const UsageBatch::Entry* group = nullptr;
  UsageBatch::Usage sum;
  std::vector<std::string> clients;
  const auto write_group = [&] {
    if (group == nullptr) return;
    const std::string usage_key = TokenKey(group->token, Concat("usage:", group->period));
    const std::string clients_key = TokenKey(group->token, Concat("clients:", group->period));
    commands.push_back({"HINCRBY", usage_key, "downloads", Concat(sum.downloads)});
    commands.push_back({"HINCRBY", usage_key, "bandwidth", Concat(sum.bandwidth)});
    commands.push_back(
        {"HSET", usage_key, "last", Concat(absl::ToUnixMicros(sum.last_downloaded_at))});
    commands.push_back({"SADD", TokenKey(group->token, "periods"), group->period});
    std::vector<std::string> add_clients = {"SADD", clients_key};
    add_clients.insert(add_clients.end(), std::make_move_iterator(clients.begin()),
                       std::make_move_iterator(clients.end()));
    clients.clear();
    commands.push_back(std::move(add_clients));
    if (const int64_t expire_at = ExpireAtMillis(sum.period_end); expire_at > 0) {
      commands.push_back({"PEXPIREAT", usage_key, Concat(expire_at)});
      commands.push_back({"PEXPIREAT", clients_key, Concat(expire_at)});
    }
  };
  batch.VisitByKey([&](const UsageBatch::Entry& entry) {
    if (group == nullptr || group->token != entry.token || group->period != entry.period) {
      write_group();
      group = &entry;
      sum = UsageBatch::Usage{};
    }
    sum.downloads += entry.usage.downloads;
    sum.bandwidth += entry.usage.bandwidth;
    sum.last_downloaded_at = std::max(sum.last_downloaded_at, entry.usage.last_downloaded_at);
    if (entry.usage.period_end) sum.period_end = entry.usage.period_end;
    clients.push_back(entry.client);
  });
  write_group();

  // Redis keeps the newest kMaxEventsPerToken of a token: older ones are not sent at all.
  absl::flat_hash_map<std::string_view, std::vector<const UsageEvent*>> newest;
  for (auto event = batch.events().rbegin(); event != batch.events().rend(); ++event) {
    std::vector<const UsageEvent*>& kept = newest[event->token];
    if (kept.size() < kMaxEventsPerToken) kept.push_back(&event->event);
  }
  for (const auto& [token, events] : newest) {
    // LPUSH puts each argument at the head in turn: oldest first leaves the newest on top.
    std::vector<std::string> push = {"LPUSH", TokenKey(token, "events")};
    for (auto event = events.rbegin(); event != events.rend(); ++event) {
      push.push_back(EncodeEvent(**event));
    }
    commands.push_back(std::move(push));
    commands.push_back({"LTRIM", TokenKey(token, "events"), "0", Concat(kMaxEventsPerToken - 1)});
  }
  return commands;
}

asio::awaitable<absl::Status> RedisUsageLedger::Flush() {
  RedisAsyncClient& client = clients_->For(co_await asio::this_coro::executor);
  std::vector<std::vector<std::string>> commands;
  {
    std::lock_guard lock(batch_mu_);
    if (in_flight_ != nullptr) {
      co_return absl::FailedPreconditionError("redis usage: a flush is already under way");
    }
    in_flight_ = std::make_unique<UsageBatch>(batch_->Take());
    const absl::Time now = absl::Now();
    absl::erase_if(recent_records_, [&](const auto& entry) { return entry.second <= now; });
    commands = WriteCommands(*in_flight_);
  }
  absl::Status status;
  for (auto& command : commands) {
    if (status = ErrorOf(co_await client.Command(std::move(command))); !status.ok()) break;
  }
  std::optional<UsageDrops> started;
  std::optional<UsageDrops> ended;
  {
    std::lock_guard lock(batch_mu_);
    std::unique_ptr<UsageBatch> written = std::move(in_flight_);
    if (written == nullptr) {
      // FlushAndWait took the batch over, as it does once this flush's loop has stopped.
    } else if (!status.ok()) {
      // Kept for the next round; what was written already is written again then, which
      // over-counts only tokens without counted limits.
      started = CountDrops(batch_->Restore(std::move(*written)));
    } else if (overflowing_) {
      overflowing_ = false;
      ended = dropped_;
    }
  }
  ReportOverflow(true, started);
  ReportOverflow(false, ended);
  co_return status;
}

absl::Status RedisUsageLedger::FlushAndWait(absl::Duration timeout) {
  std::optional<UsageDrops> started;
  {
    std::lock_guard lock(batch_mu_);
    if (in_flight_ != nullptr) {
      started = CountDrops(batch_->Restore(std::move(*in_flight_)));
      in_flight_.reset();
    }
  }
  ReportOverflow(true, started);
  asio::io_context loop(1);
  std::optional<absl::Status> flushed;
  asio::co_spawn(
      loop,
      [&]() -> asio::awaitable<void> {
        flushed = co_await Flush();
        loop.stop();  // the client would keep the loop busy with its connection
      },
      asio::detached);
  loop.run_for(absl::ToChronoNanoseconds(timeout));
  // This loop's client goes while the loop still exists. A command it still waits on then
  // completes Unavailable, so a flush cut short puts its batch back before the loop ends.
  clients_->Release(loop).reset();
  loop.restart();
  loop.run_for(kSettleTime);
  if (!flushed) {
    return absl::DeadlineExceededError(
        Concat("redis usage: not written within ", absl::FormatDuration(timeout)));
  }
  return *flushed;
}

void RedisUsageLedger::StartFlushing(asio::any_io_executor executor) {
  asio::co_spawn(executor, FlushLoop(), asio::detached);
}

asio::awaitable<void> RedisUsageLedger::FlushLoop() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(absl::ToChronoMilliseconds(flush_interval_));
    [[maybe_unused]] auto [ignored] =
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_await Flush();  // a failure keeps the batch for the next round
  }
}

}  // namespace tollgate::storage
