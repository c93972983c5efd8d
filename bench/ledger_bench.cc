// Reservations per second through the usage ledgers: the Redis ledger (one Lua call per
// download, pipelined across concurrent downloads on one event loop) and the embedded one.
// bench/ledger_vs_redis.sh runs it next to redis-benchmark calling the same script.
// Usage: tollgate_ledger_bench PORT [SECONDS] [CONCURRENCY]
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/time/clock.h"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "tollgate/storage/embedded/embedded_stores.h"
#include "tollgate/storage/redis/redis_usage_ledger.h"
#include "tollgate/storage/stores.h"

namespace {

namespace asio = boost::asio;
using tollgate::storage::Reservation;
using tollgate::storage::UsageLedger;

// Runs `concurrency` download loops against `ledger` for `seconds`; returns reservations/s.
double Measure(UsageLedger& ledger, int seconds, int concurrency) {
  asio::io_context io(1);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  long granted = 0;
  long failed = 0;
  int finished = 0;
  for (int worker = 0; worker < concurrency; ++worker) {
    asio::co_spawn(
        io,
        [&, worker]() -> asio::awaitable<void> {
          Reservation r;
          r.token = "bench-token";
          r.period = "bench-period";
          r.client = "10.0.0." + std::to_string(worker % 250);
          r.path = "pool/agent_2.1.0_amd64.deb";
          r.bytes = 4096;
          r.max_downloads = 1'000'000'000;  // counted, never reached
          while (std::chrono::steady_clock::now() < end) {
            r.now = absl::Now();
            absl::StatusOr<tollgate::storage::ReservationResult> result =
                co_await ledger.Reserve(r);
            result.ok() ? ++granted : ++failed;
          }
          ++finished;
        },
        asio::detached);
  }
  const auto started = std::chrono::steady_clock::now();
  // The Redis client keeps a read pending on its connection, so run until the loops end
  // rather than until the event loop runs out of work.
  while (finished < concurrency) io.run_one_for(std::chrono::milliseconds(100));
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (failed > 0) std::printf("  (%ld reservations failed)\n", failed);
  return static_cast<double>(granted) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s REDIS_PORT [SECONDS] [CONCURRENCY]\n", argv[0]);
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 5;
  const int concurrency = argc > 3 ? std::atoi(argv[3]) : 64;

  {
    tollgate::storage::RedisUsageLedger ledger(
        tollgate::storage::RedisEndpoint{.host = "127.0.0.1",
                                         .port = port,
                                         .password = "",
                                         .db = 0,
                                         .sentinels = {},
                                         .master_name = {},
                                         .wait_replicas = 0});
    std::printf("ledger (redis, 1 event loop, %d concurrent): %.0f reservations/s\n", concurrency,
                Measure(ledger, seconds, concurrency));
  }
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "tollgate-ledger-bench";
  std::filesystem::remove_all(dir);
  {
    absl::StatusOr<tollgate::storage::Stores> stores = tollgate::storage::OpenEmbeddedStores(dir);
    if (!stores.ok()) return 1;
    std::printf("ledger (embedded, 1 event loop, %d concurrent): %.0f reservations/s\n",
                concurrency, Measure(*stores->usage, seconds, concurrency));
  }
  std::filesystem::remove_all(dir);
  return 0;
}
