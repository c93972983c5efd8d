#include "reservation_batcher.h"

#include <cassert>
#include <chrono>
#include <utility>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/post.hpp"
#include "tollgate/base/concat.h"
#include "usage_script.h"

namespace tollgate::storage {
namespace asio = boost::asio;
namespace {

// How long a granted reservation waits for its replicas (RedisEndpoint::wait_replicas).
constexpr std::chrono::milliseconds kWaitReplicasTimeout{500};

absl::Status ErrorOf(const absl::StatusOr<RedisReply>& reply) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::UnavailableError(Concat("redis: ", reply->str));
  return absl::OkStatus();
}

absl::StatusOr<ReservationResult> ResultOf(const RedisReply& reply) {
  if (reply.is_error()) return absl::UnavailableError(Concat("redis: ", reply.str));
  if (reply.type == RedisReply::Type::kInteger) {
    switch (reply.integer) {
      case 0:
        return ReservationResult::kGranted;
      case 1:
        return ReservationResult::kDownloadLimitReached;
      case 2:
        return ReservationResult::kClientLimitReached;
      case 3:
        return ReservationResult::kBandwidthLimitReached;
    }
  }
  return absl::InternalError("redis: unexpected reservation reply");
}

}  // namespace

ReservationBatcher::ReservationBatcher(asio::any_io_executor executor, const RedisScript& script,
                                       RedisLoopClients& clients, int wait_replicas)
    : executor_(std::move(executor)),
      script_(script),
      clients_(clients),
      wait_replicas_(wait_replicas) {}

void ReservationBatcher::Add(
    absl::FunctionRef<void(ScriptArguments& keys, ScriptArguments& args)> append, bool check_only,
    Handler handler) {
  [[maybe_unused]] const size_t keys_before = next_.keys.size();
  [[maybe_unused]] const size_t args_before = next_.args.size();
  append(next_.keys, next_.args);
  // The script reads a batch in strides of this many: one more or less would misalign
  // every reservation after it.
  assert(next_.keys.size() == keys_before + kReserveKeys);
  assert(next_.args.size() == args_before + kReserveArgs);
  next_.check_only.push_back(check_only);
  next_.handlers.push_back(std::move(handler));
  if (next_.handlers.size() >= kMaxBatch) {
    // A full batch leaves now, so one script call never holds Redis (and every other
    // instance) for long; the turn's later reservations form the next one.
    SendLater(std::exchange(next_, Batch{}));
    return;
  }
  if (scheduled_) return;
  scheduled_ = true;
  // Posted, so it runs after the handlers the loop has ready now: their reservations join.
  asio::post(executor_, [this] {
    scheduled_ = false;
    if (!next_.handlers.empty()) SendLater(std::exchange(next_, Batch{}));
  });
}

void ReservationBatcher::SendLater(Batch batch) {
  // co_spawn would start Send inside the caller's own handler; posting keeps it behind it.
  asio::post(executor_, [this, batch = std::move(batch)]() mutable {
    asio::co_spawn(executor_, Send(std::move(batch)), asio::detached);
  });
}

asio::awaitable<void> ReservationBatcher::Send(Batch batch) {
  RedisAsyncClient& client = clients_.For(executor_);
  // Nothing of `this` is used once the script call returns: the ledger may have gone in the
  // meantime, its client answering Unavailable as it shut down.
  const int wait_replicas = wait_replicas_;
  absl::StatusOr<RedisReply> reply = co_await script_.Run(client, batch.keys, batch.args);
  const size_t count = batch.handlers.size();
  std::vector<absl::StatusOr<ReservationResult>> results;
  if (absl::Status failed = ErrorOf(reply); !failed.ok()) {
    results.assign(count, failed);
  } else if (reply->type != RedisReply::Type::kArray || reply->elements.size() != count) {
    results.assign(count, absl::InternalError("redis: unexpected reservation reply"));
  } else {
    for (const RedisReply& element : reply->elements) results.push_back(ResultOf(element));
  }
  // A granted reservation that is not a mere check recorded a download: with replicas asked
  // for, it waits for them. Everything else is answered at once.
  std::vector<bool> waits(count, false);
  bool any_waits = false;
  for (size_t i = 0; i < count; ++i) {
    waits[i] = wait_replicas > 0 && results[i].ok() && *results[i] == ReservationResult::kGranted &&
               !batch.check_only[i];
    any_waits = any_waits || waits[i];
    if (!waits[i]) std::move(batch.handlers[i])(std::move(results[i]));
  }
  if (!any_waits) co_return;
  // The master alone has the downloads: a failover now could forget them, so they are
  // refused.
  const absl::Status replicated = co_await WaitForReplicas(client, wait_replicas);
  for (size_t i = 0; i < count; ++i) {
    if (!waits[i]) continue;
    if (!replicated.ok()) results[i] = replicated;
    std::move(batch.handlers[i])(std::move(results[i]));
  }
}

asio::awaitable<absl::Status> ReservationBatcher::WaitForReplicas(RedisAsyncClient& client,
                                                                  int wait_replicas) {
  std::vector<std::string> command = {"WAIT", Concat(wait_replicas),
                                      Concat(kWaitReplicasTimeout.count())};
  absl::StatusOr<RedisReply> acknowledged = co_await client.Command(std::move(command));
  if (absl::Status s = ErrorOf(acknowledged); !s.ok()) co_return s;
  if (acknowledged->integer < wait_replicas) {
    co_return absl::UnavailableError(Concat("redis: the reservation reached ",
                                            acknowledged->integer, " of ", wait_replicas,
                                            " replicas in time"));
  }
  co_return absl::OkStatus();
}

}  // namespace tollgate::storage
