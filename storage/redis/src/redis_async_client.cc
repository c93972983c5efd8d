// RedisAsyncClient: one hiredis connection on an Asio executor, with a connect deadline,
// AUTH/SELECT, reconnect with exponential backoff and a deadline per command.
#include "tollgate/storage/redis/redis_async_client.h"

#include <hiredis/async.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "hiredis_asio_adapter.h"
#include "redis_master_address.h"
#include "redis_reply_conversion.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// Commands that put a hiredis connection into push mode, where one command gets many replies
// (each would run its callback again); they need a connection of their own.
bool IsPushModeCommand(std::string_view name) {
  for (const char* command :
       {"subscribe", "psubscribe", "unsubscribe", "punsubscribe", "monitor"}) {
    if (absl::EqualsIgnoreCase(absl::string_view(name.data(), name.size()), command)) return true;
  }
  return false;
}

}  // namespace

class RedisAsyncClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::any_io_executor executor, RedisEndpoint endpoint, RedisClientOptions options)
      : executor_(std::move(executor)),
        endpoint_(std::move(endpoint)),
        description_(endpoint_.Describe()),
        options_(options),
        connect_timer_(executor_),
        reconnect_timer_(executor_),
        first_attempt_(executor_, asio::steady_timer::time_point::max()),
        backoff_(MinimumBackoff()) {}

  // Connects from the executor, so the constructor may run on any thread.
  void Start() {
    asio::post(executor_, [weak = weak_from_this()] {
      if (auto impl = weak.lock()) impl->Connect();
    });
  }

  // Frees the connection and stops reconnecting. Commands in flight complete Unavailable
  // (posted, never inline); their coroutines keep this object alive until then.
  void Shutdown() {
    stopped_ = true;
    reconnect_timer_.cancel();
    DropConnection("client shut down");
    SettleFirstAttempt();
  }

  bool ready() const { return ready_; }

  // `args` views bytes that stay valid until the command completes.
  static asio::awaitable<absl::StatusOr<RedisReply>> Command(std::shared_ptr<Impl> impl,
                                                             std::vector<std::string_view> args);
  // The same, holding the bytes itself.
  static asio::awaitable<absl::StatusOr<RedisReply>> OwningCommand(std::shared_ptr<Impl> impl,
                                                                   std::vector<std::string> args);

 private:
  // One command waiting for its reply. `wake` is both the deadline and the signal: the reply
  // callback stores the result and cancels it, so the coroutine resumes exactly once,
  // through the executor, whichever comes first.
  struct PendingCommand {
    explicit PendingCommand(const asio::any_io_executor& executor) : wake(executor) {}
    asio::steady_timer wake;
    std::optional<absl::StatusOr<RedisReply>> result;  // set once: reply, loss or deadline
  };

  // A zero minimum would retry in a tight loop through the executor during an outage.
  std::chrono::milliseconds MinimumBackoff() const {
    return std::max(options_.reconnect_backoff_min, std::chrono::milliseconds(1));
  }

  static Impl& From(const redisAsyncContext* context) { return *static_cast<Impl*>(context->data); }

  void Connect() {
    if (stopped_ || context_ != nullptr) return;
    ++generation_;
    absl::StatusOr<RedisHostPort> address = CurrentMasterAddress(endpoint_);
    if (!address.ok()) {
      last_error_ = std::string(address.status().message());
      ScheduleReconnect();
      return;
    }
    redisAsyncContext* context = redisAsyncConnect(address->host.c_str(), address->port);
    if (context == nullptr) {
      last_error_ = "cannot allocate a connection";
      ScheduleReconnect();
      return;
    }
    if (context->err != 0) {  // e.g. the name does not resolve, or the port refused at once
      last_error_ = context->errstr;
      redisAsyncFree(context);  // never connected: no callback of ours runs
      ScheduleReconnect();
      return;
    }
    context->data = this;
    // The adapter goes first: redisAsyncSetConnectCallback asks it for write readiness.
    if (!AttachHiredisToAsio(context, executor_)) {
      last_error_ = "cannot register the socket with the event loop";
      redisAsyncFree(context);
      ScheduleReconnect();
      return;
    }
    redisAsyncSetConnectCallback(context, &Impl::OnConnect);
    redisAsyncSetDisconnectCallback(context, &Impl::OnDisconnect);
    context_ = context;
    // One deadline for TCP connect, AUTH and SELECT together.
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([weak = weak_from_this(), generation = generation_](error_code ec) {
      auto impl = weak.lock();
      if (ec || !impl || impl->generation_ != generation || impl->ready_) return;
      impl->DropConnection("connect timed out");
    });
  }

  // Wakes the commands that waited for the first connection attempt to succeed or fail.
  void SettleFirstAttempt() {
    if (first_attempt_settled_) return;
    first_attempt_settled_ = true;
    first_attempt_.cancel();
  }

  void ScheduleReconnect() {
    SettleFirstAttempt();
    if (stopped_) return;
    reconnect_timer_.expires_after(backoff_);
    backoff_ = std::max(MinimumBackoff(), std::min(backoff_ * 2, options_.reconnect_backoff_max));
    reconnect_timer_.async_wait([weak = weak_from_this()](error_code ec) {
      auto impl = weak.lock();
      if (!ec && impl) impl->Connect();
    });
  }

  // Forgets the connection and schedules the next attempt. Safe inside hiredis callbacks: it
  // only touches timers.
  void ConnectionGone() {
    context_ = nullptr;
    ready_ = false;
    handshake_pending_ = 0;
    connect_timer_.cancel();
    ScheduleReconnect();
  }

  // Frees the current connection: every command still waiting on it gets a null reply and
  // completes Unavailable. Inside a hiredis reply callback hiredis defers the free until the
  // callback returns; it must not be called from the connect or disconnect callback.
  void DropConnection(std::string_view reason) {
    redisAsyncContext* context = context_;
    if (context == nullptr) return;
    last_error_ = std::string(reason);
    // Forgotten first, so OnDisconnect (run inside redisAsyncFree) sees a stale context.
    ConnectionGone();
    redisAsyncFree(context);
  }

  static void OnConnect(const redisAsyncContext* context, int status) {
    Impl& impl = From(context);
    if (status != REDIS_OK) {
      // hiredis frees the context right after this returns, without a disconnect callback.
      impl.last_error_ = context->errstr;
      impl.ConnectionGone();
      return;
    }
    impl.StartHandshake();
  }

  static void OnDisconnect(const redisAsyncContext* context, int /*status*/) {
    Impl& impl = From(context);
    if (impl.context_ != context) return;  // dropped by us; already accounted for
    impl.last_error_ = context->err != 0 ? context->errstr : "connection closed";
    impl.ConnectionGone();
  }

  void StartHandshake() {
    if (!endpoint_.password.empty()) SendHandshake("AUTH", endpoint_.password);
    if (endpoint_.db != 0) SendHandshake("SELECT", std::to_string(endpoint_.db));
    if (handshake_pending_ == 0) BecomeReady();
  }

  void SendHandshake(std::string_view command, std::string_view argument) {
    const char* argv[] = {command.data(), argument.data()};
    const size_t lengths[] = {command.size(), argument.size()};
    if (redisAsyncCommandArgv(context_, &Impl::OnHandshakeReply, this, 2, argv, lengths) ==
        REDIS_OK) {
      ++handshake_pending_;
      return;
    }
    // Called from the connect callback, where freeing the context would pull it out from
    // under hiredis: the drop waits for the executor.
    asio::post(executor_, [weak = weak_from_this(), generation = generation_] {
      auto impl = weak.lock();
      if (impl && impl->generation_ == generation) impl->DropConnection("cannot send AUTH/SELECT");
    });
  }

  static void OnHandshakeReply(redisAsyncContext* context, void* reply, void* privdata) {
    Impl& impl = *static_cast<Impl*>(privdata);
    // A null reply means the connection is being freed; that path reschedules by itself.
    if (reply == nullptr || impl.context_ != context) return;
    const auto& answer = *static_cast<const redisReply*>(reply);
    if (answer.type == REDIS_REPLY_ERROR) {
      // Redis's message ("WRONGPASS …", "ERR DB index is out of range") never holds the
      // password, so it is kept for the Unavailable status callers see.
      impl.DropConnection(Concat("handshake refused: ", std::string_view(answer.str, answer.len)));
      return;
    }
    if (--impl.handshake_pending_ == 0) impl.BecomeReady();
  }

  void BecomeReady() {
    ready_ = true;
    SettleFirstAttempt();
    backoff_ = MinimumBackoff();
    last_error_.clear();
    connect_timer_.cancel();
  }

  static void OnCommandReply(redisAsyncContext* context, void* reply, void* privdata) {
    // hiredis runs each command's callback exactly once: with the reply, or null when the
    // connection is freed.
    const std::unique_ptr<std::shared_ptr<PendingCommand>> holder(
        static_cast<std::shared_ptr<PendingCommand>*>(privdata));
    PendingCommand& command = **holder;
    if (command.result) return;  // its deadline already answered it
    if (reply != nullptr) {
      command.result = ToRedisReply(*static_cast<const redisReply*>(reply));
      if (command.result->ok() && (*command.result)->is_error() &&
          IsReadOnlyReplicaError((*command.result)->str)) {
        // A failover made this server a replica: the next connection goes to the master the
        // Sentinels name (hiredis frees the connection once this callback returns).
        From(context).DropConnection("the server is a read-only replica");
      }
    } else {
      const Impl& impl = From(context);
      command.result = absl::UnavailableError(
          Concat("redis ", impl.description_, ": connection lost before the reply (",
                 context->err != 0 ? std::string_view(context->errstr) : impl.last_error_, ")"));
    }
    command.wake.cancel();
  }

  absl::Status NotConnected() const {
    if (last_error_.empty()) {
      return absl::UnavailableError(Concat("redis ", description_, ": not connected"));
    }
    return absl::UnavailableError(
        Concat("redis ", description_, ": not connected (", last_error_, ")"));
  }

  const asio::any_io_executor executor_;
  const RedisEndpoint endpoint_;
  const std::string description_;  // host:port/db, for messages; never the password
  const RedisClientOptions options_;
  asio::steady_timer connect_timer_;
  asio::steady_timer reconnect_timer_;
  asio::steady_timer first_attempt_;      // never expires; cancelled when the first attempt settles
  redisAsyncContext* context_ = nullptr;  // the live connection, connected or not yet
  uint64_t generation_ = 0;               // one per connection attempt: stale timers see a change
  int handshake_pending_ = 0;             // AUTH/SELECT replies still awaited
  bool ready_ = false;                    // connected, authenticated and selected
  bool stopped_ = false;
  bool first_attempt_settled_ = false;
  std::chrono::milliseconds backoff_;  // the wait before the next attempt
  std::string last_error_;             // why the connection failed or dropped; no secrets
};

asio::awaitable<absl::StatusOr<RedisReply>> RedisAsyncClient::Impl::Command(
    std::shared_ptr<Impl> impl, std::vector<std::string_view> args) {
  if (args.empty()) co_return absl::InvalidArgumentError("redis command: no arguments");
  if (IsPushModeCommand(args.front())) {
    co_return absl::InvalidArgumentError(
        Concat("redis command: ", args.front(), " needs a connection of its own"));
  }
  // A client is typically created on first use, so its first commands wait for the first
  // connection attempt (bounded by connect_timeout) rather than fail while it is under way.
  if (!impl->ready_ && !impl->first_attempt_settled_) {
    co_await impl->first_attempt_.async_wait(kNoThrow);
  }
  // Afterwards nothing waits for a connection: commands would pile up behind an outage, and
  // failing fast lets callers fall back.
  if (!impl->ready_) co_return impl->NotConnected();

  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string_view arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto command = std::make_shared<PendingCommand>(impl->executor_);
  auto holder = std::make_unique<std::shared_ptr<PendingCommand>>(command);
  // hiredis copies the arguments into its output buffer here; they need not outlive the call.
  if (redisAsyncCommandArgv(impl->context_, &Impl::OnCommandReply, holder.get(),
                            static_cast<int>(argv.size()), argv.data(),
                            lengths.data()) != REDIS_OK) {
    co_return absl::UnavailableError(
        Concat("redis ", impl->description_, ": cannot queue the command"));
  }
  holder.release();  // owned by hiredis until OnCommandReply
  const uint64_t generation = impl->generation_;

  command->wake.expires_after(impl->options_.command_timeout);
  co_await command->wake.async_wait(kNoThrow);
  if (!command->result) {
    command->result = absl::DeadlineExceededError(
        Concat("redis ", impl->description_, ": no reply within ",
               static_cast<int64_t>(impl->options_.command_timeout.count()), " ms"));
    // hiredis cannot cancel one command, and the replies of a pipelined connection come in
    // order, so the connection is dropped (the others on it complete Unavailable) and redone.
    if (impl->generation_ == generation) impl->DropConnection("a command timed out");
  }
  co_return std::move(*command->result);
}

RedisAsyncClient::RedisAsyncClient(asio::any_io_executor executor, RedisEndpoint endpoint,
                                   RedisClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(endpoint), options)) {
  impl_->Start();
}

RedisAsyncClient::~RedisAsyncClient() { impl_->Shutdown(); }

asio::awaitable<absl::StatusOr<RedisReply>> RedisAsyncClient::Impl::OwningCommand(
    std::shared_ptr<Impl> impl, std::vector<std::string> args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  co_return co_await Command(std::move(impl), std::move(views));
}

// Both coroutines hold the Impl, not `this`: the client may be destroyed while they wait.
asio::awaitable<absl::StatusOr<RedisReply>> RedisAsyncClient::Command(
    std::vector<std::string> args) {
  return Impl::OwningCommand(impl_, std::move(args));
}

asio::awaitable<absl::StatusOr<RedisReply>> RedisAsyncClient::CommandOfViews(
    std::vector<std::string_view> args) {
  return Impl::Command(impl_, std::move(args));
}

bool RedisAsyncClient::connected() const { return impl_->ready(); }

}  // namespace tollgate::storage
