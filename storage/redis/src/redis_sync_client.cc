// The blocking client: hiredis's synchronous API behind a mutex, reconnecting on the call
// after a failure, with pipelines sent in bounded chunks.
#include "tollgate/storage/redis/redis_sync_client.h"

#include <errno.h>

#include <algorithm>
#include <utility>

#include "hiredis_connection.h"
#include "redis_master_address.h"
#include "redis_reply_conversion.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

// Commands written before their replies are read: enough to hide round trips, few enough
// that a full reload of a large store does not buffer everything at once on either side.
constexpr size_t kPipelineChunk = 1024;

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};

}  // namespace

void RedisSyncClient::ContextDeleter::operator()(redisContext* context) const {
  redisFree(context);
}

RedisSyncClient::RedisSyncClient(RedisEndpoint endpoint, RedisSyncClientOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {}

RedisSyncClient::~RedisSyncClient() = default;

absl::StatusOr<RedisReply> RedisSyncClient::Command(const std::vector<std::string>& args) {
  std::lock_guard lock(mu_);
  absl::StatusOr<std::vector<RedisReply>> replies = RunLocked({args});
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<std::vector<RedisReply>> RedisSyncClient::Commands(
    const std::vector<std::vector<std::string>>& batch) {
  std::lock_guard lock(mu_);
  return RunLocked(batch);
}

absl::StatusOr<std::vector<RedisReply>> RedisSyncClient::Transaction(
    const std::vector<std::vector<std::string>>& batch) {
  std::vector<std::vector<std::string>> wrapped;
  wrapped.reserve(batch.size() + 2);
  wrapped.push_back({"MULTI"});
  wrapped.insert(wrapped.end(), batch.begin(), batch.end());
  wrapped.push_back({"EXEC"});
  absl::StatusOr<std::vector<RedisReply>> replies;
  {
    std::lock_guard lock(mu_);
    replies = RunLocked(wrapped);
  }
  if (!replies.ok()) return replies.status();
  RedisReply& exec = replies->back();
  if (exec.type != RedisReply::Type::kArray || exec.elements.size() != batch.size()) {
    // EXECABORT (a command was refused while queued) or nil (a WATCH fired).
    return absl::InternalError(Concat("redis refused a transaction: ",
                                      exec.is_error() ? exec.str : std::string("aborted")));
  }
  return std::move(exec.elements);
}

absl::StatusOr<std::vector<RedisReply>> RedisSyncClient::RunLocked(
    const std::vector<std::vector<std::string>>& batch) {
  if (context_ == nullptr) {
    absl::StatusOr<RedisContextPtr> connected =
        ConnectRedis(endpoint_, options_.connect_timeout, options_.command_timeout);
    if (!connected.ok()) return connected.status();
    context_.reset(connected->release());
  }
  ScopedSigpipeBlock no_sigpipe;
  std::vector<RedisReply> replies;
  replies.reserve(batch.size());
  for (size_t start = 0; start < batch.size(); start += kPipelineChunk) {
    const size_t end = std::min(batch.size(), start + kPipelineChunk);
    for (size_t i = start; i < end; ++i) {
      if (absl::Status queued = AppendCommand(*context_, batch[i]); !queued.ok()) {
        context_.reset();  // half a pipeline may be queued: the connection is unusable
        return queued;
      }
    }
    for (size_t i = start; i < end; ++i) {
      void* raw = nullptr;
      if (redisGetReply(context_.get(), &raw) != REDIS_OK) {
        const int saved_errno = errno;
        absl::Status error = ContextError(endpoint_, *context_, saved_errno);
        // Replies may still be on their way: only a new connection is in a known state.
        context_.reset();
        return error;
      }
      std::unique_ptr<redisReply, ReplyDeleter> reply(static_cast<redisReply*>(raw));
      replies.push_back(ToRedisReply(*reply));
    }
  }
  // A failover made this server a replica: the next call connects to the master the
  // Sentinels name.
  for (const RedisReply& reply : replies) {
    if (reply.is_error() && IsReadOnlyReplicaError(reply.str)) {
      context_.reset();
      break;
    }
  }
  return replies;
}

}  // namespace tollgate::storage
