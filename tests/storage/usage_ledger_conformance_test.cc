// One conformance suite for both usage ledgers (embedded and Redis): exact limits under
// concurrency, dedupe, periods, usage reads, events and forgetting; plus what only one of
// them has (persistence across reopen; sharing and outages on Redis).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "await.h"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "redis_server.h"
#include "temp_dir.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/embedded/embedded_stores.h"
#include "tollgate/storage/redis/redis_usage_ledger.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {
namespace {

namespace asio = boost::asio;
using Result = ReservationResult;

using tollgate::testing::Await;

// The value of `result`, failing the test (and returning a default) when it is an error.
template <typename T>
T ValueOf(absl::StatusOr<T> result) {
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : T{};
}

// A download of token "tok1" in period "p1".
Reservation MakeDownload(std::string client = "10.0.0.1", std::string path = "a.deb",
                         uint64_t bytes = 10) {
  Reservation r;
  r.token = "tok1";
  r.period = "p1";
  r.client = std::move(client);
  r.path = std::move(path);
  r.bytes = bytes;
  r.now = absl::Now();
  return r;
}

// A ledger under test and whatever keeps it alive.
struct LedgerFixture {
  virtual ~LedgerFixture() = default;
  virtual UsageLedger& ledger() = 0;
  // Closes and reopens the ledger on the same backing data.
  virtual void Reopen() = 0;
};

struct EmbeddedFixture : LedgerFixture {
  EmbeddedFixture() { Reopen(); }
  UsageLedger& ledger() override { return *stores.usage; }
  void Reopen() override {
    stores = Stores{};  // the old ledger flushes as it goes
    absl::StatusOr<Stores> opened = OpenEmbeddedStores(dir.path());
    if (!opened.ok()) throw std::runtime_error(std::string(opened.status().message()));
    stores = *std::move(opened);
  }
  testing::TempDir dir;
  Stores stores;
};

struct RedisFixture : LedgerFixture {
  RedisFixture() { Reopen(); }
  UsageLedger& ledger() override { return *usage; }
  void Reopen() override {
    usage = std::make_unique<RedisUsageLedger>(RedisEndpoint{.host = "127.0.0.1",
                                                             .port = server.port(),
                                                             .password = "",
                                                             .db = 0,
                                                             .sentinels = {},
                                                             .master_name = {},
                                                             .wait_replicas = 0});
  }
  ::tollgate::testing::RedisServer server;
  std::unique_ptr<RedisUsageLedger> usage;
};

using Factory = std::function<std::unique_ptr<LedgerFixture>()>;

struct NamedFactory {
  std::string name;
  Factory make;
};

class UsageLedgerTest : public ::testing::TestWithParam<NamedFactory> {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);  // hiredis writes with write(2)
    fixture_ = GetParam().make();
  }
  // Destroy the ledger (and its Redis clients) while the loop still exists.
  void TearDown() override { fixture_.reset(); }

  UsageLedger& ledger() { return fixture_->ledger(); }

  Result Reserve(const Reservation& r) {
    absl::StatusOr<Result> result = Await(io_, ledger().Reserve(r));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or(Result::kGranted);
  }

  UsageSnapshot Read(const std::string& token = "tok1", const std::string& period = "p1") {
    absl::StatusOr<UsageSnapshot> usage = Await(io_, ledger().Read(token, period));
    EXPECT_TRUE(usage.ok()) << usage.status();
    return usage.value_or(UsageSnapshot{});
  }

  asio::io_context io_;
  std::unique_ptr<LedgerFixture> fixture_;
};

// With limit_num_downloads = 3, three downloads pass and the fourth is refused.
TEST_P(UsageLedgerTest, DownloadLimitIsExact) {
  Reservation r = MakeDownload();
  r.max_downloads = 3;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Reserve(r), Result::kGranted) << i;
  EXPECT_EQ(Reserve(r), Result::kDownloadLimitReached);
  EXPECT_EQ(Read().downloads, 3);
}

// Concurrent reservations never overshoot: 60 at once against a limit of 20 grant 20.
TEST_P(UsageLedgerTest, ConcurrentReservationsAreExact) {
  Reservation r = MakeDownload();
  r.max_downloads = 20;
  int granted = 0;
  int answered = 0;
  for (int i = 0; i < 60; ++i) {
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          absl::StatusOr<Result> result = co_await ledger().Reserve(r);
          if (result.ok() && *result == Result::kGranted) ++granted;
          ++answered;
        },
        asio::detached);
  }
  io_.restart();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (answered < 60 && std::chrono::steady_clock::now() < deadline) {
    io_.run_one_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(answered, 60);
  EXPECT_EQ(granted, 20);
  EXPECT_EQ(Read().downloads, 20);
}

// With limit_num_clients = 2 a third client is refused and the first is still served.
TEST_P(UsageLedgerTest, ClientLimitAdmitsTheFirstClients) {
  Reservation r = MakeDownload();
  r.max_clients = 2;
  r.client = "10.0.0.1";
  EXPECT_EQ(Reserve(r), Result::kGranted);
  r.client = "10.0.0.2";
  EXPECT_EQ(Reserve(r), Result::kGranted);
  r.client = "10.0.0.3";
  EXPECT_EQ(Reserve(r), Result::kClientLimitReached);
  r.client = "10.0.0.1";
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Read().clients, 2);
}

// Bandwidth counts this response's length: used + length must not exceed the limit.
TEST_P(UsageLedgerTest, BandwidthLimitIsExact) {
  Reservation r = MakeDownload();
  r.max_bytes = 100;
  r.bytes = 40;
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Reserve(r), Result::kBandwidthLimitReached);
  r.bytes = 20;
  EXPECT_EQ(Reserve(r), Result::kGranted);
  r.bytes = 1;
  EXPECT_EQ(Reserve(r), Result::kBandwidthLimitReached);
  EXPECT_EQ(Read().bandwidth, 100u);
}

// A check-only reservation answers as a reservation would but records nothing.
TEST_P(UsageLedgerTest, CheckOnlyDecidesWithoutRecording) {
  Reservation r = MakeDownload();
  r.max_downloads = 1;
  r.max_clients = 1;
  r.bytes = 10;
  r.check_only = true;
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Read().downloads, 0);
  EXPECT_EQ(Read().clients, 0);
  EXPECT_EQ(Read().bandwidth, 0u);
  r.check_only = false;
  EXPECT_EQ(Reserve(r), Result::kGranted);
  r.check_only = true;
  r.client = "10.9.9.9";
  EXPECT_EQ(Reserve(r), Result::kDownloadLimitReached);
  r.path = "other.deb";
  EXPECT_EQ(Reserve(r), Result::kDownloadLimitReached);
  EXPECT_EQ(Read().downloads, 1);
}

// A repeat inside the dedupe window counts once, adds its bytes, and passes a reached limit.
TEST_P(UsageLedgerTest, DedupeCountsARepeatOnce) {
  Reservation r = MakeDownload();
  r.max_downloads = 1;
  r.dedupe_window = absl::Minutes(10);
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Read().downloads, 1);
  EXPECT_EQ(Read().bandwidth, 20u);
  r.path = "b.deb";
  EXPECT_EQ(Reserve(r), Result::kDownloadLimitReached);
  r.path = "a.deb";
  r.client = "10.0.0.9";
  EXPECT_EQ(Reserve(r), Result::kDownloadLimitReached);
}

// Once the dedupe window has passed, the same file counts again.
TEST_P(UsageLedgerTest, DedupeWindowEnds) {
  Reservation r = MakeDownload();
  r.dedupe_window = absl::Milliseconds(50);
  EXPECT_EQ(Reserve(r), Result::kGranted);
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  r.now = absl::Now();
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Read().downloads, 2);
}

// Each usage period counts on its own.
TEST_P(UsageLedgerTest, PeriodsAreSeparate) {
  Reservation r = MakeDownload();
  r.max_downloads = 1;
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Reserve(r), Result::kDownloadLimitReached);
  r.period = "p2";
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Read("tok1", "p1").downloads, 1);
  EXPECT_EQ(Read("tok1", "p2").downloads, 1);
}

// Read reports downloads, distinct clients, bytes and the last download time.
TEST_P(UsageLedgerTest, ReadReportsEverything) {
  const absl::Time before = absl::Now();
  EXPECT_EQ(Reserve(MakeDownload("10.0.0.1", "a.deb", 5)), Result::kGranted);
  EXPECT_EQ(Reserve(MakeDownload("10.0.0.2", "b.deb", 7)), Result::kGranted);
  const UsageSnapshot usage = Read();
  EXPECT_EQ(usage.downloads, 2);
  EXPECT_EQ(usage.clients, 2);
  EXPECT_EQ(usage.bandwidth, 12u);
  ASSERT_TRUE(usage.last_downloaded_at.has_value());
  EXPECT_GE(*usage.last_downloaded_at, before - absl::Milliseconds(1));
}

// Usage of unlimited tokens is recorded without a reservation and shows in reads at once.
TEST_P(UsageLedgerTest, RecordedUsageIsReadable) {
  ledger().Record(MakeDownload("10.0.0.1", "a.deb", 5));
  ledger().Record(MakeDownload("10.0.0.2", "a.deb", 5));
  const UsageSnapshot usage = Read();
  EXPECT_EQ(usage.downloads, 2);
  EXPECT_EQ(usage.clients, 2);
  EXPECT_EQ(usage.bandwidth, 10u);
}

// Events come back newest first, at most the number asked for.
TEST_P(UsageLedgerTest, EventsNewestFirst) {
  for (int i = 0; i < 3; ++i) {
    ledger().AddEvent("tok1", UsageEvent{absl::Now(), "10.0.0.1", Concat("f", i), 1, 200});
  }
  absl::StatusOr<std::vector<UsageEvent>> events = Await(io_, ledger().Events("tok1", 2));
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].path, "f2");
  EXPECT_EQ((*events)[1].path, "f1");
}

// Forget drops a token's usage and events, and nothing of other tokens.
TEST_P(UsageLedgerTest, ForgetDropsOneToken) {
  EXPECT_EQ(Reserve(MakeDownload()), Result::kGranted);
  Reservation other = MakeDownload();
  other.token = "tok2";
  EXPECT_EQ(Reserve(other), Result::kGranted);
  ledger().AddEvent("tok1", UsageEvent{absl::Now(), "10.0.0.1", "a.deb", 1, 200});
  EXPECT_TRUE(Await(io_, ledger().Forget("tok1")).ok());
  EXPECT_EQ(Read().downloads, 0);
  EXPECT_EQ(Read("tok2", "p1").downloads, 1);
  absl::StatusOr<std::vector<UsageEvent>> events = Await(io_, ledger().Events("tok1", 10));
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

// Forget finds every period of a token, and a period used again afterwards starts from zero
// and is found by the next Forget.
TEST_P(UsageLedgerTest, ForgetDropsEveryPeriod) {
  Reservation r = MakeDownload();
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Reserve(r), Result::kGranted);
  r.period = "p2";
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_TRUE(Await(io_, ledger().Forget("tok1")).ok());
  EXPECT_EQ(Read("tok1", "p1").downloads, 0);
  EXPECT_EQ(Read("tok1", "p2").downloads, 0);
  EXPECT_EQ(Read("tok1", "p2").clients, 0);
  EXPECT_EQ(Reserve(r), Result::kGranted);
  EXPECT_EQ(Read("tok1", "p2").downloads, 1);
  EXPECT_TRUE(Await(io_, ledger().Forget("tok1")).ok());
  EXPECT_EQ(Read("tok1", "p2").downloads, 0);
}

// Counters stay exact far past 32 bits, reserved and recorded alike: a busy token's bandwidth
// runs to terabytes.
TEST_P(UsageLedgerTest, CountersStayExactPastThirtyTwoBits) {
  const uint64_t five_tib = uint64_t{5} << 40;
  EXPECT_EQ(Reserve(MakeDownload("10.0.0.1", "a.deb", five_tib)), Result::kGranted);
  EXPECT_EQ(Reserve(MakeDownload("10.0.0.1", "a.deb", five_tib + 3)), Result::kGranted);
  ledger().Record(MakeDownload("10.0.0.2", "b.deb", 7));
  EXPECT_TRUE(ledger().FlushAndWait(absl::Seconds(5)).ok());
  EXPECT_EQ(Reserve(MakeDownload("10.0.0.1", "a.deb", 1)), Result::kGranted);
  const UsageSnapshot usage = Read();
  EXPECT_EQ(usage.downloads, 4);
  EXPECT_EQ(usage.bandwidth, 2 * five_tib + 11);
}

// Counters and distinct clients survive closing and reopening the ledger.
TEST_P(UsageLedgerTest, UsageSurvivesReopen) {
  EXPECT_EQ(Reserve(MakeDownload("10.0.0.1")), Result::kGranted);
  EXPECT_EQ(Reserve(MakeDownload("10.0.0.2")), Result::kGranted);
  fixture_->Reopen();
  const UsageSnapshot usage = Read();
  EXPECT_EQ(usage.downloads, 2);
  EXPECT_EQ(usage.clients, 2);
}

// What Record batched is written by FlushAndWait (as at shutdown) and survives closing the
// ledger; a ledger whose store keeps up drops nothing.
TEST_P(UsageLedgerTest, FlushAndWaitWritesRecordedUsage) {
  ledger().Record(MakeDownload("10.0.0.1", "a.deb", 5));
  ledger().Record(MakeDownload("10.0.0.2", "b.deb", 7));
  EXPECT_TRUE(ledger().FlushAndWait(absl::Seconds(5)).ok());
  EXPECT_EQ(ledger().Dropped().usage_records, 0u);
  EXPECT_EQ(ledger().Dropped().events, 0u);
  fixture_->Reopen();
  const UsageSnapshot usage = Read();
  EXPECT_EQ(usage.downloads, 2);
  EXPECT_EQ(usage.clients, 2);
  EXPECT_EQ(usage.bandwidth, 12u);
}

INSTANTIATE_TEST_SUITE_P(
    Ledgers, UsageLedgerTest,
    ::testing::Values(NamedFactory{"Embedded", [] { return std::make_unique<EmbeddedFixture>(); }},
                      NamedFactory{"Redis", [] { return std::make_unique<RedisFixture>(); }}),
    [](const ::testing::TestParamInfo<NamedFactory>& param) { return param.param.name; });

// Reconnects within a few milliseconds, so tests of outages recover quickly.
constexpr RedisClientOptions kQuickReconnect{
    .connect_timeout = std::chrono::milliseconds(500),
    .command_timeout = std::chrono::milliseconds(500),
    .reconnect_backoff_min = std::chrono::milliseconds(10),
    .reconnect_backoff_max = std::chrono::milliseconds(100)};

// Budgets small enough for a test to overflow; nobody listens for overflows.
UsageBacklog SmallBacklog(size_t usage_bytes, size_t event_bytes) {
  UsageBacklog backlog;
  backlog.usage_bytes = usage_bytes;
  backlog.event_bytes = event_bytes;
  return backlog;
}

// A download of token "tokN" in period "p1".
Reservation DownloadOfToken(int n) {
  Reservation r = MakeDownload();
  r.token = Concat("tok", n);
  return r;
}

class RedisLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override { std::signal(SIGPIPE, SIG_IGN); }
  RedisEndpoint Endpoint() const {
    return RedisEndpoint{.host = "127.0.0.1",
                         .port = server_.port(),
                         .password = "",
                         .db = 0,
                         .sentinels = {},
                         .master_name = {},
                         .wait_replicas = 0};
  }
  // Flushes until a flush succeeds (Redis may still be reconnecting), for at most ~5 s.
  bool FlushSucceeds(RedisUsageLedger& ledger) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      if (Await(io_, ledger.Flush()).ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // Runs the loop until every slot of `answers` is filled, for at most 10 s.
  template <typename T>
  void RunUntilAnswered(const std::vector<std::optional<T>>& answers) {
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::count(answers.begin(), answers.end(), std::nullopt) > 0 &&
           std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(std::chrono::milliseconds(50));
    }
  }
  // One reservation loads the script and connects; then Redis's command counts start at zero,
  // so what follows is counted alone.
  void WarmUpAndResetStats(RedisUsageLedger& ledger, RedisAsyncClient& admin) {
    Reservation warm_up = MakeDownload();
    warm_up.token = "warm-up";
    ASSERT_TRUE(Await(io_, ledger.Reserve(warm_up)).ok());
    ASSERT_TRUE(Await(io_, admin.Command({"CONFIG", "RESETSTAT"})).ok());
  }
  // How many EVALSHA calls Redis served since the last reset; -1 when it cannot tell.
  int EvalShaCalls(RedisAsyncClient& admin) {
    absl::StatusOr<RedisReply> stats = Await(io_, admin.Command({"INFO", "commandstats"}));
    if (!stats.ok()) return -1;
    const std::string_view marker = "cmdstat_evalsha:calls=";
    const size_t at = stats->str.find(marker);
    if (at == std::string::npos) return 0;
    return std::atoi(stats->str.c_str() + at + marker.size());
  }
  ::tollgate::testing::RedisServer server_;
  asio::io_context io_;
};

// Two ledgers on one Redis (two instances) share limits exactly.
TEST_F(RedisLedgerTest, InstancesShareLimits) {
  RedisUsageLedger first(Endpoint());
  RedisUsageLedger second(Endpoint());
  Reservation r = MakeDownload();
  r.max_downloads = 2;
  EXPECT_EQ(ValueOf(Await(io_, first.Reserve(r))), Result::kGranted);
  EXPECT_EQ(ValueOf(Await(io_, second.Reserve(r))), Result::kGranted);
  EXPECT_EQ(ValueOf(Await(io_, first.Reserve(r))), Result::kDownloadLimitReached);
  EXPECT_EQ(ValueOf(Await(io_, second.Reserve(r))), Result::kDownloadLimitReached);
}

// Recorded usage reaches the other instances once flushed.
TEST_F(RedisLedgerTest, FlushSharesRecordedUsage) {
  RedisUsageLedger first(Endpoint());
  RedisUsageLedger second(Endpoint());
  Reservation r = MakeDownload("10.0.0.1", "a.deb", 3);
  first.Record(r);
  EXPECT_EQ(ValueOf(Await(io_, second.Read("tok1", "p1"))).downloads, 0);
  EXPECT_TRUE(Await(io_, first.Flush()).ok());
  EXPECT_EQ(ValueOf(Await(io_, second.Read("tok1", "p1"))).downloads, 1);
  EXPECT_EQ(ValueOf(Await(io_, second.Read("tok1", "p1"))).bandwidth, 3u);
}

// With Redis down a reservation fails (the gateway then fails closed), and it recovers.
TEST_F(RedisLedgerTest, OutageFailsThenRecovers) {
  RedisUsageLedger ledger(
      Endpoint(), RedisClientOptions{.connect_timeout = std::chrono::milliseconds(500),
                                     .command_timeout = std::chrono::milliseconds(500),
                                     .reconnect_backoff_min = std::chrono::milliseconds(10),
                                     .reconnect_backoff_max = std::chrono::milliseconds(100)});
  Reservation r = MakeDownload();
  EXPECT_TRUE(Await(io_, ledger.Reserve(r)).ok());
  server_.Stop();
  EXPECT_EQ(Await(io_, ledger.Reserve(r)).status().code(), absl::StatusCode::kUnavailable);
  server_.Start();
  bool recovered = false;
  for (int attempt = 0; attempt < 100 && !recovered; ++attempt) {  // up to ~5 s
    recovered = Await(io_, ledger.Reserve(r)).ok();
    if (!recovered) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(recovered);
}

// The reservations one event loop makes in a turn travel as one script call, and each still
// gets its own answer, in order: 30 downloads of a token limited to 10 and 30 of an unlimited
// one, interleaved.
TEST_F(RedisLedgerTest, OneTurnsReservationsAreOneScriptCall) {
  RedisUsageLedger ledger(Endpoint());
  RedisAsyncClient admin(io_.get_executor(), Endpoint());
  WarmUpAndResetStats(ledger, admin);

  Reservation limited = MakeDownload();
  limited.max_downloads = 10;
  Reservation unlimited = MakeDownload();
  unlimited.token = "tok2";
  std::vector<std::optional<Result>> answers(60);
  for (int i = 0; i < 60; ++i) {
    asio::co_spawn(
        io_,
        [&, i]() -> asio::awaitable<void> {
          const Reservation& download = i % 2 == 0 ? limited : unlimited;
          absl::StatusOr<Result> result = co_await ledger.Reserve(download);
          if (result.ok()) answers[i] = *result;
        },
        asio::detached);
  }
  RunUntilAnswered(answers);
  for (int i = 0; i < 60; ++i) {
    // The limited token's first 10 (in the order they were made) are granted.
    const Result expected =
        i % 2 == 1 || i / 2 < 10 ? Result::kGranted : Result::kDownloadLimitReached;
    EXPECT_EQ(answers[i], expected) << "reservation " << i;
  }
  EXPECT_EQ(EvalShaCalls(admin), 1);
}

// More reservations in a turn than one call carries go out as several calls of at most 128,
// still answered exactly and in order.
TEST_F(RedisLedgerTest, ABigTurnIsSplitIntoCallsOfAtMost128) {
  RedisUsageLedger ledger(Endpoint());
  RedisAsyncClient admin(io_.get_executor(), Endpoint());
  WarmUpAndResetStats(ledger, admin);

  Reservation limited = MakeDownload();
  limited.max_downloads = 200;
  std::vector<std::optional<Result>> answers(300);
  for (int i = 0; i < 300; ++i) {
    asio::co_spawn(
        io_,
        [&, i]() -> asio::awaitable<void> {
          absl::StatusOr<Result> result = co_await ledger.Reserve(limited);
          if (result.ok()) answers[i] = *result;
        },
        asio::detached);
  }
  RunUntilAnswered(answers);
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(answers[i], i < 200 ? Result::kGranted : Result::kDownloadLimitReached) << i;
  }
  EXPECT_EQ(EvalShaCalls(admin), 3);
}

// A reservation that fails on a damaged key fails alone: the others of its turn are answered.
TEST_F(RedisLedgerTest, ADamagedKeyFailsOnlyItsOwnReservation) {
  RedisUsageLedger ledger(Endpoint());
  RedisAsyncClient admin(io_.get_executor(), Endpoint());
  ASSERT_TRUE(Await(io_, admin.Command({"SET", "tollgate:{tok:bad}:usage:p1", "not a hash"})).ok());
  Reservation good = MakeDownload();
  good.max_downloads = 1;
  Reservation damaged = MakeDownload();
  damaged.token = "bad";
  std::vector<std::optional<absl::StatusOr<Result>>> answers(3);
  for (int i = 0; i < 3; ++i) {
    asio::co_spawn(
        io_,
        [&, i]() -> asio::awaitable<void> {
          const Reservation& download = i == 1 ? damaged : good;
          answers[i] = co_await ledger.Reserve(download);
        },
        asio::detached);
  }
  RunUntilAnswered(answers);
  ASSERT_TRUE(answers[0] && answers[1] && answers[2]);
  EXPECT_EQ(ValueOf(*answers[0]), Result::kGranted);
  EXPECT_EQ(answers[1]->status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ValueOf(*answers[2]), Result::kDownloadLimitReached);  // the first one counted
  EXPECT_EQ(ValueOf(Await(io_, ledger.Read("tok1", "p1"))).downloads, 1);
}

// A counter that is not a whole count below 2^53 (a damaged key, or one written by hand) fails
// its own reservation, as a wrong type does, instead of being read as a number and rewritten.
TEST_F(RedisLedgerTest, ACounterThatIsNotACountFailsOnlyItsReservation) {
  RedisUsageLedger ledger(Endpoint());
  RedisAsyncClient admin(io_.get_executor(), Endpoint());
  for (const char* stored : {"1.5", "1e3", "-1", "9007199254740992", " 7"}) {
    SCOPED_TRACE(stored);
    ASSERT_TRUE(
        Await(io_, admin.Command({"HSET", "tollgate:{tok:bad}:usage:p1", "downloads", stored}))
            .ok());
    Reservation damaged = MakeDownload();
    damaged.token = "bad";
    EXPECT_EQ(Await(io_, ledger.Reserve(damaged)).status().code(), absl::StatusCode::kUnavailable);
    absl::StatusOr<RedisReply> kept =
        Await(io_, admin.Command({"HGET", "tollgate:{tok:bad}:usage:p1", "downloads"}));
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(kept->str, stored);  // left as it was
  }
  EXPECT_EQ(ValueOf(Await(io_, ledger.Reserve(MakeDownload()))), Result::kGranted);
}

// A usage hash whose period is missing from the token's periods set (the write-behind wrote
// its counters and stopped, or an older instance's Forget raced a reservation) is named again
// by the next reservation, so Forget still finds it.
TEST_F(RedisLedgerTest, ForgetFindsAPeriodLeftUnnamed) {
  RedisUsageLedger ledger(Endpoint());
  RedisAsyncClient admin(io_.get_executor(), Endpoint());
  ASSERT_TRUE(
      Await(io_, admin.Command({"HINCRBY", "tollgate:{tok:tok1}:usage:p1", "downloads", "5"}))
          .ok());
  EXPECT_EQ(ValueOf(Await(io_, ledger.Reserve(MakeDownload()))), Result::kGranted);
  EXPECT_EQ(ValueOf(Await(io_, ledger.Read("tok1", "p1"))).downloads, 6);
  EXPECT_TRUE(Await(io_, ledger.Forget("tok1")).ok());
  EXPECT_EQ(ValueOf(Await(io_, ledger.Read("tok1", "p1"))).downloads, 0);
}

// Every key a reservation names is one of tollgate's, with or without a dedupe window: a Redis
// user allowed only `tollgate:*` keys can reserve.
TEST_F(RedisLedgerTest, ReservesWithAnAclOfTollgateKeysOnly) {
  RedisUsageLedger ledger(Endpoint());
  RedisAsyncClient admin(io_.get_executor(), Endpoint());
  ASSERT_TRUE(
      Await(io_, admin.Command({"ACL", "SETUSER", "default", "resetkeys", "~tollgate:*"})).ok());
  Reservation r = MakeDownload();
  EXPECT_EQ(ValueOf(Await(io_, ledger.Reserve(r))), Result::kGranted);
  r.dedupe_window = absl::Minutes(10);
  EXPECT_EQ(ValueOf(Await(io_, ledger.Reserve(r))), Result::kGranted);
  EXPECT_EQ(ValueOf(Await(io_, ledger.Read("tok1", "p1"))).downloads, 2);
}

// The dedupe marker's name is the token's, the period's and the SHA-1 of client NUL path:
// instances of different versions sharing one Redis must agree on it.
TEST_F(RedisLedgerTest, DedupeMarkerKeepsItsName) {
  RedisUsageLedger ledger(Endpoint());
  RedisAsyncClient admin(io_.get_executor(), Endpoint());
  Reservation r = MakeDownload("10.0.0.1", "a.deb");
  r.dedupe_window = absl::Minutes(10);
  EXPECT_EQ(ValueOf(Await(io_, ledger.Reserve(r))), Result::kGranted);
  // python3 -c "import hashlib; print(hashlib.sha1(b'10.0.0.1\x00a.deb').hexdigest())"
  absl::StatusOr<RedisReply> marker = Await(
      io_,
      admin.Command(
          {"EXISTS", "tollgate:{tok:tok1}:recent:p1:17a39b9db4d10c67aff2249a9411b69be46735f8"}));
  ASSERT_TRUE(marker.ok());
  EXPECT_EQ(marker->integer, 1);
}

// The script survives a flushed script cache (NOSCRIPT): the ledger reloads it.
TEST_F(RedisLedgerTest, ReloadsTheScriptAfterScriptFlush) {
  RedisUsageLedger ledger(Endpoint());
  RedisAsyncClient admin(io_.get_executor(), Endpoint());
  Reservation r = MakeDownload();
  EXPECT_TRUE(Await(io_, ledger.Reserve(r)).ok());
  ASSERT_TRUE(Await(io_, admin.Command({"SCRIPT", "FLUSH"})).ok());
  EXPECT_EQ(ValueOf(Await(io_, ledger.Reserve(r))), Result::kGranted);
  EXPECT_EQ(ValueOf(Await(io_, ledger.Read("tok1", "p1"))).downloads, 2);
}

// While Redis is down the batch keeps within its budget: the least recently recorded usage
// is dropped and counted, and the rest reaches Redis once it is back.
TEST_F(RedisLedgerTest, OutageDropsTheOldestUsageFirst) {
  RedisUsageLedger ledger(Endpoint(), kQuickReconnect, RedisUsageLedger::kDefaultFlushInterval,
                          SmallBacklog(4096, 1 << 20));
  server_.Stop();
  for (int i = 0; i < 100; ++i) ledger.Record(DownloadOfToken(i));
  // A failed write keeps the batch, within the same budget.
  EXPECT_EQ(Await(io_, ledger.Flush()).code(), absl::StatusCode::kUnavailable);
  const uint64_t dropped = ledger.Dropped().usage_records;
  EXPECT_GT(dropped, 0u);
  EXPECT_LT(dropped, 100u);
  server_.Start();
  ASSERT_TRUE(FlushSucceeds(ledger));
  for (int i = 0; i < 100; ++i) {
    const int64_t expected = static_cast<uint64_t>(i) < dropped ? 0 : 1;
    EXPECT_EQ(ValueOf(Await(io_, ledger.Read(Concat("tok", i), "p1"))).downloads, expected) << i;
  }
}

// Events past their budget drop oldest first; the newest reach Redis.
TEST_F(RedisLedgerTest, EventsPastTheBudgetDropOldestFirst) {
  RedisUsageLedger ledger(Endpoint(), {}, RedisUsageLedger::kDefaultFlushInterval,
                          SmallBacklog(1 << 20, 4096));
  for (int i = 0; i < 100; ++i) {
    ledger.AddEvent("tok1", UsageEvent{absl::Now(), "10.0.0.1", Concat("f", i), 1, 200});
  }
  const uint64_t dropped = ledger.Dropped().events;
  EXPECT_GT(dropped, 0u);
  EXPECT_LT(dropped, 100u);
  ASSERT_TRUE(Await(io_, ledger.Flush()).ok());
  const std::vector<UsageEvent> events = ValueOf(Await(io_, ledger.Events("tok1", 100)));
  ASSERT_EQ(events.size(), 100 - dropped);
  EXPECT_EQ(events.front().path, "f99");
  EXPECT_EQ(events.back().path, Concat("f", dropped));
}

// An overflow is reported once when dropping starts and once when a flush has caught up,
// never once per dropped record.
TEST_F(RedisLedgerTest, OverflowIsReportedOncePerChange) {
  std::vector<std::pair<bool, UsageDrops>> reports;
  UsageBacklog backlog = SmallBacklog(4096, 4096);
  backlog.on_overflow = [&](bool overflowing, const UsageDrops& dropped) {
    reports.emplace_back(overflowing, dropped);
  };
  RedisUsageLedger ledger(Endpoint(), kQuickReconnect, RedisUsageLedger::kDefaultFlushInterval,
                          backlog);
  server_.Stop();
  for (int i = 0; i < 100; ++i) {
    ledger.Record(DownloadOfToken(i));
    ledger.AddEvent("tok1", UsageEvent{absl::Now(), "10.0.0.1", "a.deb", 1, 200});
  }
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].first);
  server_.Start();
  ASSERT_TRUE(FlushSucceeds(ledger));
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_FALSE(reports[1].first);
  EXPECT_EQ(reports[1].second.usage_records, ledger.Dropped().usage_records);
  EXPECT_EQ(reports[1].second.events, ledger.Dropped().events);
  ledger.Record(MakeDownload());
  EXPECT_EQ(reports.size(), 2u);
}

// A flush whose event loop stopped half way (the server's shutdown) never confirmed its
// batch: FlushAndWait writes it again instead of losing it.
TEST_F(RedisLedgerTest, FlushAndWaitRedoesAFlushItsLoopAbandoned) {
  RedisUsageLedger ledger(Endpoint());
  ledger.Record(MakeDownload("10.0.0.1", "a.deb", 3));
  asio::co_spawn(io_, ledger.Flush(), asio::detached);
  // One step: the flush takes the batch and waits for its connection. `io_` never runs
  // again, like the loops of a stopped server.
  io_.run_one();
  EXPECT_TRUE(ledger.FlushAndWait(absl::Seconds(5)).ok());
  asio::io_context reader;
  RedisUsageLedger other(Endpoint());
  EXPECT_EQ(ValueOf(Await(reader, other.Read("tok1", "p1"))).downloads, 1);
}

// With Redis down FlushAndWait gives up and keeps the batch; once Redis is back it writes it.
TEST_F(RedisLedgerTest, FlushAndWaitKeepsTheBatchWhileRedisIsDown) {
  RedisUsageLedger ledger(Endpoint(), kQuickReconnect);
  server_.Stop();
  ledger.Record(MakeDownload());
  EXPECT_FALSE(ledger.FlushAndWait(absl::Seconds(1)).ok());
  EXPECT_EQ(ledger.Dropped().usage_records, 0u);
  server_.Start();
  EXPECT_TRUE(ledger.FlushAndWait(absl::Seconds(5)).ok());
  RedisUsageLedger other(Endpoint());
  EXPECT_EQ(ValueOf(Await(io_, other.Read("tok1", "p1"))).downloads, 1);
}

}  // namespace
}  // namespace tollgate::storage
