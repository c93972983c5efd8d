// The load generator against scripted servers on 127.0.0.1: its counts equal what the server
// received and answered; open loop keeps its rate; hostile answers (endless heads, giant
// lengths, short bodies, silence, refused connections) count as errors without hanging; TLS
// checks the server's certificate; connections bind to the source-address range.
#include "load/load_run.h"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "boost/asio/ssl/context.hpp"
#include "gtest/gtest.h"
#include "load/load_options.h"
#include "load/load_plan.h"
#include "load/load_report.h"
#include "load_test_server.h"
#include "run_command.h"
#include "temp_dir.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::load {
namespace {

using testing::ScriptedReply;
using testing::ScriptedServer;

// Parses `args` as `tollgate load` would and runs the plan to its end.
LoadOutcome RunArgs(const std::vector<std::string>& args) {
  absl::StatusOr<LoadOptions> options = ParseLoadOptions(args);
  EXPECT_TRUE(options.ok()) << options.status();
  if (!options.ok()) return {};
  absl::StatusOr<LoadPlan> plan = MakePlan(*options);
  EXPECT_TRUE(plan.ok()) << plan.status();
  if (!plan.ok()) return {};
  return RunLoad(*plan, nullptr);
}

// A mix of answers: 200s (some chunked, some closing the connection) and two kinds of 403.
ScriptedReply Mixed(uint64_t n) {
  if (n % 5 == 4) return ScriptedServer::Denied(403, "download_limit_reached");
  if (n % 7 == 3) return ScriptedServer::Denied(403, "client_limit_reached");
  if (n % 11 == 0) return ScriptedServer::Ok(3000, /*chunked=*/true);
  if (n % 13 == 0) return ScriptedServer::Ok(1000, false, /*close=*/true);
  return ScriptedServer::Ok(4096);
}

// (a) Closed loop: totals, statuses and reasons equal what the server received and answered.
TEST(LoadRunTest, ClosedLoopCountsMatchTheServer) {
  ScriptedServer server(Mixed);
  const LoadOutcome outcome =
      RunArgs({server.Url("/t0ken/org/repo/a.whl"), server.Url("/t0ken/org/repo/b.whl"),
               "--requests", "3000", "--connections", "8", "--threads", "2"});
  const LoadTally& tally = outcome.tally;
  EXPECT_EQ(tally.errors(), 0u);
  EXPECT_EQ(tally.responses(), 3000u);
  EXPECT_EQ(tally.responses(), server.requests());
  for (const auto& [status, n] : server.statuses()) {
    EXPECT_EQ(tally.status_count(status), n) << "status " << status;
  }
  const LoadReport report = Summarize(tally, outcome.duration_s);
  EXPECT_EQ(report.reasons, server.reasons());
  EXPECT_EQ(report.latency_ms.p50 > 0, true);
  // Connection: close answers made it reconnect: more connections than the 8 it keeps.
  EXPECT_GT(server.connections(), 8u);
}

// (a) The requests alternate over the URLs and carry Host, and Basic credentials from the URL.
TEST(LoadRunTest, SendsEachUrlWithCredentialsAsBasic) {
  ScriptedServer server([](uint64_t) { return ScriptedServer::Ok(10); });
  const std::string base = server.Url("");
  const std::string with_user = Concat("http://token:s3cret@127.0.0.1:", server.port(), "/p/1");
  const LoadOutcome outcome =
      RunArgs({with_user, base + "/p/2", "--requests", "4", "--connections", "1"});
  EXPECT_EQ(outcome.tally.responses(), 4u);
  const std::vector<std::string> heads = server.heads();
  ASSERT_EQ(heads.size(), 4u);
  EXPECT_EQ(heads[0].rfind("GET /p/1 HTTP/1.1\r\n", 0), 0u) << heads[0];
  EXPECT_NE(heads[0].find("Authorization: Basic dG9rZW46czNjcmV0\r\n"), std::string::npos);
  EXPECT_NE(heads[0].find(Concat("Host: 127.0.0.1:", server.port(), "\r\n")), std::string::npos);
  EXPECT_EQ(heads[1].rfind("GET /p/2 HTTP/1.1\r\n", 0), 0u) << heads[1];
  EXPECT_EQ(heads[1].find("Authorization"), std::string::npos);
  EXPECT_EQ(heads[2].rfind("GET /p/1 ", 0), 0u);
}

// (b) Open loop: the achieved rate (its own count over its own duration) is within 2 % of --rate.
TEST(LoadRunTest, OpenLoopKeepsTheAskedRate) {
  ScriptedServer server([](uint64_t) { return ScriptedServer::Ok(512); });
  const LoadOutcome outcome = RunArgs({server.Url("/f"), "--rate", "2000", "--requests", "4000",
                                       "--connections", "16", "--threads", "2"});
  EXPECT_EQ(outcome.tally.errors(), 0u);
  ASSERT_EQ(outcome.tally.responses(), 4000u);
  const double rate = static_cast<double>(outcome.tally.responses()) / outcome.duration_s;
  EXPECT_NEAR(rate, 2000.0, 40.0);
}

// (b) Closed loop with --duration stops sending at the end and reports that duration.
TEST(LoadRunTest, DurationEndsTheRun) {
  ScriptedServer server([](uint64_t) { return ScriptedServer::Ok(100); });
  const LoadOutcome outcome = RunArgs({server.Url("/f"), "--duration", "1s", "--connections", "4"});
  EXPECT_EQ(outcome.tally.errors(), 0u);
  EXPECT_GT(outcome.tally.responses(), 0u);
  EXPECT_EQ(outcome.tally.responses(), server.requests());
  EXPECT_GE(outcome.duration_s, 0.9);
}

// (e) A head that never ends is cut at the head limit and counted as malformed, each time.
TEST(LoadRunTest, EndlessHeadIsAnErrorNotAHang) {
  ScriptedServer server([](uint64_t) {
    ScriptedReply reply;
    reply.bytes = "HTTP/1.1 200 OK\r\n";
    reply.endless_head = true;
    return reply;
  });
  const LoadOutcome outcome = RunArgs({server.Url("/f"), "--requests", "3", "--connections", "1"});
  EXPECT_EQ(outcome.tally.responses(), 0u);
  EXPECT_EQ(outcome.tally.errors_of(ErrorKind::kMalformed), 3u);
}

// (e) A Content-Length too large to be true is malformed, not a reason to read for ever.
TEST(LoadRunTest, GiantContentLengthIsAnError) {
  ScriptedServer server([](uint64_t n) {
    ScriptedReply reply;
    reply.bytes = n % 2 == 0
                      ? "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nab"
                      : "HTTP/1.1 200 OK\r\nContent-Length: 1099511627777\r\n\r\nab";
    return reply;
  });
  const LoadOutcome outcome = RunArgs({server.Url("/f"), "--requests", "4", "--connections", "1"});
  EXPECT_EQ(outcome.tally.responses(), 0u);
  EXPECT_EQ(outcome.tally.errors_of(ErrorKind::kMalformed), 4u);
}

// (e) A body cut short by the server closing is a receive error; the run reconnects and goes on.
TEST(LoadRunTest, ShortBodyIsAnErrorAndTheRunGoesOn) {
  ScriptedServer server([](uint64_t n) {
    if (n % 2 == 0) return ScriptedServer::Ok(64);
    ScriptedReply reply;
    reply.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a little";
    reply.close_after = true;
    return reply;
  });
  const LoadOutcome outcome = RunArgs({server.Url("/f"), "--requests", "10", "--connections", "1"});
  EXPECT_EQ(outcome.tally.responses(), 5u);
  EXPECT_EQ(outcome.tally.errors_of(ErrorKind::kReceive), 5u);
}

// (e) A server that never answers: each request times out after --timeout.
TEST(LoadRunTest, SilentServerTimesOut) {
  ScriptedServer server([](uint64_t) {
    ScriptedReply reply;
    reply.silent = true;
    return reply;
  });
  const LoadOutcome outcome =
      RunArgs({server.Url("/f"), "--requests", "2", "--connections", "2", "--timeout", "200ms"});
  EXPECT_EQ(outcome.tally.responses(), 0u);
  EXPECT_EQ(outcome.tally.errors_of(ErrorKind::kTimeout), 2u);
}

// (e) Nothing listening: connect errors are counted and the run still ends.
TEST(LoadRunTest, RefusedConnectionsAreCounted) {
  int port = 0;
  {
    ScriptedServer gone([](uint64_t) { return ScriptedServer::Ok(1); });
    port = gone.port();
  }
  const LoadOutcome outcome =
      RunArgs({Concat("http://127.0.0.1:", port, "/f"), "--requests", "5", "--connections", "1"});
  EXPECT_EQ(outcome.tally.responses(), 0u);
  EXPECT_EQ(outcome.tally.errors_of(ErrorKind::kConnect), 5u);
}

// Open loop against a server that never answers: the requests in flight are cut at the end of
// the grace period ("unfinished") and every other request due before the end is "unsent", so
// the stall is counted, not hidden. (The long --timeout keeps the first two from timing out
// before the 2 s grace period ends.)
TEST(LoadRunTest, OpenLoopCountsWhatAStalledServerNeverAnswered) {
  ScriptedServer server([](uint64_t) {
    ScriptedReply reply;
    reply.silent = true;
    return reply;
  });
  const LoadOutcome outcome = RunArgs({server.Url("/f"), "--rate", "100", "--duration", "500ms",
                                       "--connections", "2", "--timeout", "10s"});
  EXPECT_EQ(outcome.tally.responses(), 0u);
  EXPECT_EQ(outcome.tally.errors_of(ErrorKind::kUnfinished), 2u);
  EXPECT_EQ(outcome.tally.errors_of(ErrorKind::kUnsent), 48u);
  EXPECT_EQ(outcome.tally.errors(), 50u);
}

// An interrupt stops sending; the run ends after the requests in flight.
TEST(LoadRunTest, InterruptEndsTheRun) {
  ScriptedServer server([](uint64_t) { return ScriptedServer::Ok(100); });
  absl::StatusOr<LoadOptions> options =
      ParseLoadOptions({server.Url("/f"), "--duration", "1h", "--connections", "2"});
  ASSERT_TRUE(options.ok());
  absl::StatusOr<LoadPlan> plan = MakePlan(*options);
  ASSERT_TRUE(plan.ok());
  std::atomic<bool> stop{false};
  const LoadOutcome outcome = RunLoad(
      *plan, [&stop](const LoadProgress&) { stop.store(true); }, &stop);
  EXPECT_GT(outcome.tally.responses(), 0u);
  EXPECT_EQ(outcome.tally.errors(), 0u);
  EXPECT_EQ(outcome.tally.responses(), server.requests());
}

// Source addresses: each connection binds to the next address of the range.
TEST(LoadRunTest, ConnectionsBindToTheSourceRange) {
  ScriptedServer server([](uint64_t) { return ScriptedServer::Ok(10); });
  const LoadOutcome outcome = RunArgs({server.Url("/f"), "--requests", "40", "--connections", "4",
                                       "--source-addresses", "127.0.0.2-127.0.0.5"});
  EXPECT_EQ(outcome.tally.errors(), 0u);
  EXPECT_EQ(server.client_addresses(),
            (std::set<std::string>{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}));
}

class LoadTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    openssl_ = tollgate::testing::FindProgram("openssl");
    ASSERT_FALSE(openssl_.empty()) << "openssl is needed on PATH";
    MakeCertificate("server", dir_.path() / "server.pem", dir_.path() / "server.key");
    MakeCertificate("other", dir_.path() / "other.pem", dir_.path() / "other.key");
    tls_ = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    tls_->use_certificate_chain_file((dir_.path() / "server.pem").string());
    tls_->use_private_key_file((dir_.path() / "server.key").string(),
                               boost::asio::ssl::context::pem);
  }

  // A self-signed certificate for 127.0.0.1.
  void MakeCertificate(const std::string& name, const std::filesystem::path& cert,
                       const std::filesystem::path& key) {
    const tollgate::testing::CommandResult made = tollgate::testing::RunCommand(
        openssl_, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                   "-days", "2", "-keyout", key.string(), "-out", cert.string(), "-subj",
                   Concat("/CN=", name), "-addext", "subjectAltName=IP:127.0.0.1"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  std::string openssl_;
  storage::testing::TempDir dir_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
};

// TLS with the right CA: answers are counted as over plain TCP.
TEST_F(LoadTlsTest, RightCaVerifies) {
  ScriptedServer server(Mixed, tls_);
  const LoadOutcome outcome = RunArgs({server.Url("/f"), "--requests", "50", "--connections", "2",
                                       "--cacert", (dir_.path() / "server.pem").string()});
  EXPECT_EQ(outcome.tally.errors(), 0u);
  EXPECT_EQ(outcome.tally.responses(), 50u);
  EXPECT_EQ(outcome.tally.responses(), server.requests());
}

// TLS with a CA that did not sign the server's certificate: every request fails verification
// and none reaches the server.
TEST_F(LoadTlsTest, WrongCaFailsVerification) {
  ScriptedServer server(Mixed, tls_);
  const LoadOutcome outcome = RunArgs({server.Url("/f"), "--requests", "3", "--connections", "1",
                                       "--cacert", (dir_.path() / "other.pem").string()});
  EXPECT_EQ(outcome.tally.responses(), 0u);
  EXPECT_EQ(outcome.tally.errors_of(ErrorKind::kTls), 3u);
  EXPECT_EQ(server.requests(), 0u);
}

// --insecure skips the check.
TEST_F(LoadTlsTest, InsecureSkipsVerification) {
  ScriptedServer server(Mixed, tls_);
  const LoadOutcome outcome =
      RunArgs({server.Url("/f"), "--requests", "5", "--connections", "1", "--insecure"});
  EXPECT_EQ(outcome.tally.responses(), 5u);
}

}  // namespace
}  // namespace tollgate::gateway::load
