#include "redis_master_address.h"

#include <hiredis/hiredis.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(250);
constexpr timeval kSentinelTimeout{0, 300'000};  // per Sentinel asked: connect and answer

// SENTINEL get-master-addr-by-name, asked of one Sentinel.
std::optional<RedisHostPort> AskSentinel(const RedisHostPort& sentinel, const std::string& name) {
  redisContext* context =
      redisConnectWithTimeout(sentinel.host.c_str(), sentinel.port, kSentinelTimeout);
  if (context == nullptr) return std::nullopt;
  std::optional<RedisHostPort> master;
  if (context->err == 0 && redisSetTimeout(context, kSentinelTimeout) == REDIS_OK) {
    auto* reply = static_cast<redisReply*>(
        redisCommand(context, "SENTINEL get-master-addr-by-name %b", name.data(), name.size()));
    if (reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
        reply->element[0]->type == REDIS_REPLY_STRING &&
        reply->element[1]->type == REDIS_REPLY_STRING) {
      const std::string port(reply->element[1]->str, reply->element[1]->len);
      char* end = nullptr;
      const long number = std::strtol(port.c_str(), &end, 10);
      if (end != port.c_str() && *end == '\0' && number > 0 && number < 65536) {
        master = RedisHostPort{std::string(reply->element[0]->str, reply->element[0]->len),
                               static_cast<int>(number)};
      }
    }
    if (reply != nullptr) freeReplyObject(reply);
  }
  redisFree(context);
  return master;
}

// Keeps the current master of one (sentinels, name), asking the Sentinels in order until one
// answers. Lives as long as the process.
class SentinelWatcher {
 public:
  SentinelWatcher(std::vector<RedisHostPort> sentinels, std::string name)
      : sentinels_(std::move(sentinels)), name_(std::move(name)) {
    Poll();
    std::thread([this] {
      for (;;) {
        std::this_thread::sleep_for(kPollInterval);
        Poll();
      }
    }).detach();
  }

  absl::StatusOr<RedisHostPort> Current() {
    std::lock_guard lock(mu_);
    if (!master_) {
      return absl::UnavailableError(Concat("no Redis Sentinel named a master for '", name_, "'"));
    }
    return *master_;
  }

 private:
  void Poll() {
    for (const RedisHostPort& sentinel : sentinels_) {
      if (std::optional<RedisHostPort> master = AskSentinel(sentinel, name_)) {
        std::lock_guard lock(mu_);
        master_ = std::move(master);
        return;
      }
    }
  }

  const std::vector<RedisHostPort> sentinels_;
  const std::string name_;
  std::mutex mu_;
  std::optional<RedisHostPort> master_;  // guarded by mu_; the last one named
};

SentinelWatcher& WatcherFor(const RedisEndpoint& endpoint) {
  static auto* const mu = new std::mutex;
  static auto* const watchers = new std::map<std::string, std::unique_ptr<SentinelWatcher>>;
  std::string key = endpoint.master_name;
  for (const RedisHostPort& sentinel : endpoint.sentinels) {
    AppendTo(key, "|", sentinel.host, ":", sentinel.port);
  }
  std::lock_guard lock(*mu);
  std::unique_ptr<SentinelWatcher>& watcher = (*watchers)[key];
  if (watcher == nullptr) {
    watcher = std::make_unique<SentinelWatcher>(endpoint.sentinels, endpoint.master_name);
  }
  return *watcher;
}

}  // namespace

absl::StatusOr<RedisHostPort> CurrentMasterAddress(const RedisEndpoint& endpoint) {
  if (endpoint.sentinels.empty()) return RedisHostPort{endpoint.host, endpoint.port};
  return WatcherFor(endpoint).Current();
}

bool IsReadOnlyReplicaError(std::string_view error) { return error.starts_with("READONLY"); }

}  // namespace tollgate::storage
