// Connecting a blocking hiredis context and turning its failures into absl::Status.
#include "hiredis_connection.h"

#include <errno.h>
#include <pthread.h>
#include <sys/time.h>

#include <string_view>

#include "redis_master_address.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

timeval ToTimeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(duration.count() % 1000 * 1000);
  return tv;
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};

// Sends a handshake command (AUTH, SELECT) and checks that Redis accepted it.
absl::Status Handshake(const RedisEndpoint& endpoint, redisContext& context,
                       const std::vector<std::string>& args, std::string_view what) {
  if (absl::Status queued = AppendCommand(context, args); !queued.ok()) return queued;
  void* raw = nullptr;
  if (redisGetReply(&context, &raw) != REDIS_OK) {
    return ContextError(endpoint, context, errno);
  }
  std::unique_ptr<redisReply, ReplyDeleter> reply(static_cast<redisReply*>(raw));
  if (reply->type == REDIS_REPLY_ERROR) {
    // The reply names the problem (WRONGPASS, invalid DB index) but never the password.
    return absl::PermissionDeniedError(Concat("redis ", endpoint.Describe(), " refused ", what,
                                              ": ", std::string_view(reply->str, reply->len)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RedisContextPtr> ConnectRedis(const RedisEndpoint& endpoint,
                                             std::chrono::milliseconds connect_timeout,
                                             std::chrono::milliseconds io_timeout) {
  absl::StatusOr<RedisHostPort> address = CurrentMasterAddress(endpoint);
  if (!address.ok()) return address.status();
  RedisContextPtr context(
      redisConnectWithTimeout(address->host.c_str(), address->port, ToTimeval(connect_timeout)));
  if (context == nullptr) {
    return absl::UnavailableError(
        Concat("redis ", endpoint.Describe(), ": cannot allocate a connection"));
  }
  if (context->err != 0) {
    return absl::UnavailableError(
        Concat("redis ", endpoint.Describe(), ": cannot connect: ", context->errstr));
  }
  if (redisSetTimeout(context.get(), ToTimeval(io_timeout)) != REDIS_OK) {
    return absl::UnavailableError(
        Concat("redis ", endpoint.Describe(), ": cannot set timeouts: ", context->errstr));
  }
  // Keep-alive probes notice a peer that vanished without closing, e.g. after a failover.
  redisEnableKeepAlive(context.get());
  ScopedSigpipeBlock no_sigpipe;
  if (!endpoint.password.empty()) {
    absl::Status auth = Handshake(endpoint, *context, {"AUTH", endpoint.password}, "AUTH");
    if (!auth.ok()) return auth;
  }
  if (endpoint.db != 0) {
    absl::Status select = Handshake(endpoint, *context, {"SELECT", Concat(endpoint.db)}, "SELECT");
    if (!select.ok()) return select;
  }
  return context;
}

absl::Status ContextError(const RedisEndpoint& endpoint, const redisContext& context,
                          int saved_errno) {
  // hiredis reports an expired SO_RCVTIMEO/SO_SNDTIMEO as an I/O error with EAGAIN.
  if (context.err == REDIS_ERR_IO && (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK)) {
    return absl::DeadlineExceededError(Concat("redis ", endpoint.Describe(), ": no reply in time"));
  }
  return absl::UnavailableError(Concat("redis ", endpoint.Describe(), ": ", context.errstr));
}

absl::Status AppendCommand(redisContext& context, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(&context, static_cast<int>(argv.size()), argv.data(),
                             lengths.data()) != REDIS_OK) {
    return absl::InternalError("cannot queue a redis command: out of memory");
  }
  return absl::OkStatus();
}

ScopedSigpipeBlock::ScopedSigpipeBlock() {
  sigset_t pending;
  sigpending(&pending);
  was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &previous_mask_);
}

ScopedSigpipeBlock::~ScopedSigpipeBlock() {
  // A SIGPIPE that was pending before belongs to someone else: leave it.
  if (!was_pending_) {
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    const timespec no_wait{};
    while (sigtimedwait(&pipe_only, nullptr, &no_wait) == SIGPIPE) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace tollgate::storage
