// Reservations through one Lua call per download; batched writes for the rest.
#include "tollgate/storage/redis/redis_usage_ledger.h"

#include <charconv>

#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/this_coro.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "redis_script.h"
#include "tollgate/base/concat.h"
#include "usage_script.h"

namespace tollgate::storage {
namespace asio = boost::asio;
namespace {

constexpr size_t kMaxEventsPerToken = 100;
// Lua numbers are doubles: a limit beyond 2^53 bytes (9 PB) is treated as no limit.
constexpr uint64_t kLargestExactLimit = uint64_t{1} << 53;
// A finished period's keys live this long after its end, for late readers.
constexpr absl::Duration kExpiredPeriodGrace = absl::Hours(24);

// A command's words; used instead of a braced list inside co_await, which GCC 12 miscompiles.
template <typename... Parts>
std::vector<std::string> Words(Parts&&... words) {
  return std::vector<std::string>{std::string(std::forward<Parts>(words))...};
}

// Keys of one token share the hash tag {tok:ID}, so a cluster keeps them on one shard.
std::string TokenKey(std::string_view token, std::string_view suffix) {
  return Concat("tollgate:{tok:", token, "}:", suffix);
}

std::string Limit(const std::optional<int64_t>& limit) {
  return limit ? Concat(*limit) : std::string("-1");
}

std::string ByteLimit(const std::optional<uint64_t>& limit) {
  return limit && *limit < kLargestExactLimit ? Concat(*limit) : std::string("-1");
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

absl::Status ErrorOf(const absl::StatusOr<RedisReply>& reply) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::UnavailableError(Concat("redis: ", reply->str));
  return absl::OkStatus();
}

}  // namespace

RedisUsageLedger::RedisUsageLedger(RedisEndpoint endpoint, RedisClientOptions options,
                                   absl::Duration flush_interval)
    : endpoint_(std::move(endpoint)),
      options_(options),
      flush_interval_(flush_interval),
      reserve_script_(std::make_unique<const RedisScript>(kReserveScript)) {}

RedisUsageLedger::~RedisUsageLedger() = default;

RedisAsyncClient& RedisUsageLedger::Client(const asio::any_io_executor& executor) {
  const void* loop = &asio::query(executor, asio::execution::context);
  std::lock_guard lock(clients_mu_);
  std::unique_ptr<RedisAsyncClient>& client = clients_[loop];
  if (client == nullptr) client = std::make_unique<RedisAsyncClient>(executor, endpoint_, options_);
  return *client;
}

asio::awaitable<absl::StatusOr<ReservationResult>> RedisUsageLedger::Reserve(const Reservation& r) {
  RedisAsyncClient& client = Client(co_await asio::this_coro::executor);
  const std::string recent =
      TokenKey(r.token, Concat("recent:", r.period, ':', Sha1Hex(Concat(r.client, '\0', r.path))));
  // Named vectors, not braced lists in the co_await expression (see Words).
  std::vector<std::string> keys = {TokenKey(r.token, Concat("usage:", r.period)),
                                   TokenKey(r.token, Concat("clients:", r.period)), recent,
                                   TokenKey(r.token, "periods")};
  std::vector<std::string> args = {r.client,
                                   Concat(r.bytes),
                                   Limit(r.max_downloads),
                                   Limit(r.max_clients),
                                   ByteLimit(r.max_bytes),
                                   Concat(absl::ToInt64Milliseconds(r.dedupe_window)),
                                   Concat(absl::ToUnixMicros(r.now)),
                                   Concat(ExpireAtMillis(r.period_end)),
                                   r.period,
                                   r.check_only ? "1" : "0"};
  absl::StatusOr<RedisReply> reply =
      co_await reserve_script_->Run(client, std::move(keys), std::move(args));
  if (absl::Status s = ErrorOf(reply); !s.ok()) co_return s;
  switch (reply->integer) {
    case 0:
      co_return ReservationResult::kGranted;
    case 1:
      co_return ReservationResult::kDownloadLimitReached;
    case 2:
      co_return ReservationResult::kClientLimitReached;
    case 3:
      co_return ReservationResult::kBandwidthLimitReached;
  }
  co_return absl::InternalError("redis: unexpected reservation reply");
}

void RedisUsageLedger::Record(const Reservation& r) {
  std::lock_guard lock(batch_mu_);
  PendingUsage& pending = batch_.usage[{r.token, r.period}];
  const std::string recent_key = Concat(r.token, '\0', r.period, '\0', r.client, '\0', r.path);
  auto recent = recent_records_.find(recent_key);
  const bool is_repeat =
      r.bytes_only || (recent != recent_records_.end() && recent->second > r.now);
  if (!is_repeat) {
    ++pending.downloads;
    if (r.dedupe_window > absl::ZeroDuration())
      recent_records_[recent_key] = r.now + r.dedupe_window;
  }
  pending.bandwidth += r.bytes;
  pending.last_downloaded_at = r.now;
  pending.period_end = r.period_end;
  pending.clients.push_back(r.client);
}

void RedisUsageLedger::AddEvent(const std::string& token, const UsageEvent& event) {
  std::lock_guard lock(batch_mu_);
  batch_.events[token].push_back(event);
}

asio::awaitable<absl::StatusOr<UsageSnapshot>> RedisUsageLedger::Read(std::string token,
                                                                      std::string period) {
  RedisAsyncClient& client = Client(co_await asio::this_coro::executor);
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
  if (auto it = batch_.usage.find(std::make_pair(token, period)); it != batch_.usage.end()) {
    usage.downloads += it->second.downloads;
    usage.bandwidth += it->second.bandwidth;
    usage.last_downloaded_at = std::max(usage.last_downloaded_at.value_or(absl::InfinitePast()),
                                        it->second.last_downloaded_at);
    stored.clients.insert(it->second.clients.begin(), it->second.clients.end());
  }
  usage.clients = static_cast<int64_t>(stored.clients.size());
  return usage;
}

asio::awaitable<absl::StatusOr<std::vector<UsageEvent>>> RedisUsageLedger::Events(std::string token,
                                                                                  size_t limit) {
  RedisAsyncClient& client = Client(co_await asio::this_coro::executor);
  std::vector<UsageEvent> events;
  {
    std::lock_guard lock(batch_mu_);
    if (auto it = batch_.events.find(token); it != batch_.events.end()) {
      events.assign(it->second.rbegin(), it->second.rend());
    }
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
  RedisAsyncClient& client = Client(co_await asio::this_coro::executor);
  {
    std::lock_guard lock(batch_mu_);
    absl::erase_if(batch_.usage, [&](const auto& entry) { return entry.first.first == token; });
    batch_.events.erase(token);
  }
  absl::StatusOr<RedisReply> periods =
      co_await client.Command(Words("SMEMBERS", TokenKey(token, "periods")));
  if (absl::Status s = ErrorOf(periods); !s.ok()) co_return s;
  std::vector<std::string> del = {"DEL", TokenKey(token, "periods"), TokenKey(token, "events")};
  for (const RedisReply& period : periods->elements) {
    del.push_back(TokenKey(token, Concat("usage:", period.str)));
    del.push_back(TokenKey(token, Concat("clients:", period.str)));
  }
  co_return ErrorOf(co_await client.Command(std::move(del)));
}

asio::awaitable<absl::Status> RedisUsageLedger::Flush() {
  RedisAsyncClient& client = Client(co_await asio::this_coro::executor);
  Batch batch;
  {
    std::lock_guard lock(batch_mu_);
    std::swap(batch, batch_);
    const absl::Time now = absl::Now();
    absl::erase_if(recent_records_, [&](const auto& entry) { return entry.second <= now; });
  }
  absl::Status status;
  for (auto& [key, pending] : batch.usage) {
    const auto& [token, period] = key;
    const std::string usage_key = TokenKey(token, Concat("usage:", period));
    const std::string clients_key = TokenKey(token, Concat("clients:", period));
    std::vector<std::vector<std::string>> commands = {
        {"HINCRBY", usage_key, "downloads", Concat(pending.downloads)},
        {"HINCRBY", usage_key, "bandwidth", Concat(pending.bandwidth)},
        {"HSET", usage_key, "last", Concat(absl::ToUnixMicros(pending.last_downloaded_at))},
        {"SADD", TokenKey(token, "periods"), period}};
    std::vector<std::string> add_clients = {"SADD", clients_key};
    add_clients.insert(add_clients.end(), pending.clients.begin(), pending.clients.end());
    commands.push_back(std::move(add_clients));
    if (const int64_t expire_at = ExpireAtMillis(pending.period_end); expire_at > 0) {
      commands.push_back({"PEXPIREAT", usage_key, Concat(expire_at)});
      commands.push_back({"PEXPIREAT", clients_key, Concat(expire_at)});
    }
    for (auto& command : commands) {
      if (status = ErrorOf(co_await client.Command(std::move(command))); !status.ok()) break;
    }
    if (!status.ok()) break;
  }
  for (const auto& [token, events] : batch.events) {
    if (!status.ok()) break;
    std::vector<std::string> push = {"LPUSH", TokenKey(token, "events")};
    for (const UsageEvent& event : events) push.push_back(EncodeEvent(event));
    status = ErrorOf(co_await client.Command(std::move(push)));
    if (status.ok()) {
      status = ErrorOf(co_await client.Command(
          Words("LTRIM", TokenKey(token, "events"), "0", Concat(kMaxEventsPerToken - 1))));
    }
  }
  if (!status.ok()) {
    // Keep what was not confirmed; a part written twice only over-counts unlimited tokens.
    std::lock_guard lock(batch_mu_);
    for (auto& [key, pending] : batch.usage) {
      PendingUsage& merged = batch_.usage[key];
      merged.downloads += pending.downloads;
      merged.bandwidth += pending.bandwidth;
      merged.last_downloaded_at = std::max(merged.last_downloaded_at, pending.last_downloaded_at);
      merged.period_end = pending.period_end;
      merged.clients.insert(merged.clients.end(), pending.clients.begin(), pending.clients.end());
    }
    for (auto& [token, events] : batch.events) {
      auto& merged = batch_.events[token];
      merged.insert(merged.begin(), events.begin(), events.end());
    }
  }
  co_return status;
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
