// The reservations of one event loop, gathered while the loop runs its ready handlers and sent
// as one script call when they are done: a loop serving many counted downloads at once pays
// one round trip and one script dispatch for all of them instead of one per download.
#pragma once

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "boost/asio/any_completion_handler.hpp"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/awaitable.hpp"
#include "redis_loop_clients.h"
#include "redis_script.h"
#include "script_arguments.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::storage {

class ReservationBatcher {
 public:
  using Handler = boost::asio::any_completion_handler<void(absl::StatusOr<ReservationResult>)>;

  // `script` is the batch reservation script (usage_script.h), sent with the loop's client
  // of `clients`.
  // After a granted reservation, waits for `wait_replicas` replicas (0: none).
  ReservationBatcher(boost::asio::any_io_executor executor, const RedisScript& script,
                     RedisLoopClients& clients, int wait_replicas);
  ReservationBatcher(const ReservationBatcher&) = delete;
  ReservationBatcher& operator=(const ReservationBatcher&) = delete;

  // Adds a reservation to this turn's batch: `append` adds its kReserveKeys keys and
  // kReserveArgs arguments; `handler` gets its result on the loop. Call on the loop.
  void Add(absl::FunctionRef<void(ScriptArguments& keys, ScriptArguments& args)> append,
           bool check_only, Handler handler);

 private:
  struct Batch {
    ScriptArguments keys;
    ScriptArguments args;
    std::vector<bool> check_only;
    std::vector<Handler> handlers;
  };

  // At most this many reservations go in one script call.
  static constexpr size_t kMaxBatch = 128;

  // Sends `batch` once the caller's handler is done.
  void SendLater(Batch batch);
  // Sends `batch` and completes its handlers, in order.
  boost::asio::awaitable<void> Send(Batch batch);
  // WAIT for `wait_replicas` replicas; Unavailable when too few acknowledged in time.
  static boost::asio::awaitable<absl::Status> WaitForReplicas(RedisAsyncClient& client,
                                                              int wait_replicas);

  const boost::asio::any_io_executor executor_;
  const RedisScript& script_;
  RedisLoopClients& clients_;
  const int wait_replicas_;
  Batch next_;              // this turn's reservations
  bool scheduled_ = false;  // a send of next_ is posted
};

}  // namespace tollgate::storage
