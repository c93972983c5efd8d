// /metrics on the real binary: a scrape moves by exactly the requests made between two
// scrapes (by status and denial reason, bytes, durations, reservations, connections), it is
// valid Prometheus text by promtool (Debian's prometheus package), it needs no API key, and no
// label or value carries a token, identifier, client address or path.
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "http_client.h"
#include "run_command.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

using Scrape = std::map<std::string, double>;  // "name{labels}" → value

Scrape Parse(std::string_view text) {
  Scrape samples;
  for (const std::string& line : Lines(text)) {
    if (line.empty() || line.starts_with('#')) continue;
    const size_t space = line.rfind(' ');
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

double Delta(const Scrape& before, const Scrape& after, const std::string& series) {
  const auto value = [&series](const Scrape& scrape) {
    const auto it = scrape.find(series);
    return it == scrape.end() ? 0.0 : it->second;
  };
  return value(after) - value(before);
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tollgate_.Start({"--dedupe-window", "0"}));
    tollgate_.CreateRepo("agents");
    tollgate_.PlaceFile("agents", "agent-1.0.bin", std::string(1000, 'a'));
    token_ = JsonString(
        tollgate_.CreateToken("agents", {{"name", "customer-42"}, {"limit_num_downloads", 2}}),
        "token");
  }

  HttpResponse ScrapeResponse() const { return tollgate_.admin().Get("/metrics"); }
  Scrape Take() const { return Parse(ScrapeResponse().body); }

  // Scrapes until `series` has moved by `delta` from `before` (the request's metrics are
  // counted just after its response is sent), at most 5 s.
  Scrape SettledScrape(const Scrape& before, const std::string& series, double delta) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    Scrape after = Take();
    while (Delta(before, after, series) < delta && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      after = Take();
    }
    return after;
  }

  // Whether connections_active{listener="download"} is 0 within 5 s.
  bool ActiveDropsToZero() const {
    const std::string active = "tollgate_connections_active{listener=\"download\"}";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (Take().at(active) != 0) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  TollgateProcess tollgate_;
  std::string token_;
};

TEST_F(MetricsTest, ScrapeMovesByExactlyTheRequestsMade) {
  const Scrape before = Take();
  const std::string file = Concat("/", token_, "/default/agents/agent-1.0.bin");
  uint64_t body_bytes = 0;
  const auto get = [&](const std::string& target, int status) {
    const HttpResponse response = tollgate_.download().Get(target);
    EXPECT_EQ(response.status, status) << target;
    body_bytes += response.body.size();
  };
  get(file, 200);
  get(file, 200);
  get(file, 403);  // download_limit_reached
  get("/not-a-token-000000/default/agents/agent-1.0.bin", 401);
  get(Concat("/", token_, "/default/agents/missing.bin"), 404);

  const std::string kDownload = "{listener=\"download\"}";
  const Scrape after =
      SettledScrape(before, Concat("tollgate_request_duration_seconds_count", kDownload), 5);
  const auto requests = [&](std::string_view status, std::string_view reason) {
    return Delta(before, after,
                 Concat("tollgate_requests_total{listener=\"download\",status=\"", status,
                        "\",reason=\"", reason, "\"}"));
  };
  EXPECT_EQ(requests("200", ""), 2);
  EXPECT_EQ(requests("403", "download_limit_reached"), 1);
  EXPECT_EQ(requests("401", "invalid_credentials"), 1);
  EXPECT_EQ(requests("404", "not_found"), 1);
  EXPECT_EQ(Delta(before, after, Concat("tollgate_request_duration_seconds_count", kDownload)), 5);
  EXPECT_EQ(Delta(before, after,
                  "tollgate_request_duration_seconds_bucket{listener=\"download\",le=\"+Inf\"}"),
            5);
  EXPECT_GT(Delta(before, after, Concat("tollgate_request_duration_seconds_sum", kDownload)), 0);
  EXPECT_EQ(Delta(before, after, Concat("tollgate_response_bytes_total", kDownload)),
            static_cast<double>(body_bytes));
  EXPECT_EQ(Delta(before, after, "tollgate_ledger_reservations_total{result=\"granted\"}"), 2);
  EXPECT_EQ(Delta(before, after, "tollgate_ledger_reservations_total{result=\"denied\"}"), 1);
  EXPECT_EQ(Delta(before, after, "tollgate_ledger_reservations_total{result=\"error\"}"), 0);
  EXPECT_EQ(Delta(before, after, "tollgate_store_errors_total"), 0);
  EXPECT_EQ(after.at("tollgate_build_info{version=\"" TOLLGATE_VERSION_FOR_TESTS "\"}"), 1);
  // Every connection of the downloads above is closed again (the server may see the close a
  // moment after the client made it).
  EXPECT_TRUE(ActiveDropsToZero());
}

// A connection held open shows in connections_active until it closes.
TEST_F(MetricsTest, OpenConnectionsAreCounted) {
  const std::string kActive = "tollgate_connections_active{listener=\"download\"}";
  const Scrape before = Take();
  {
    HttpConnection held(tollgate_.download_port());
    HttpRequest request;
    request.target = Concat("/", token_, "/default/agents/missing.bin");
    held.Send(request);
    const Scrape open = SettledScrape(before, kActive, 1);
    EXPECT_EQ(Delta(before, open, kActive), 1);
  }
  EXPECT_TRUE(ActiveDropsToZero());
}

// A connection refused at the accept (here: over --max-connections-per-client) counts as one
// request with its status and denial.
TEST(MetricsRefusalTest, RefusedConnectionsAreCounted) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start({"--max-connections-per-client", "1"}));
  const std::string series =
      "tollgate_requests_total{listener=\"download\",status=\"429\","
      "reason=\"too_many_connections\"}";
  const Scrape before = Parse(tollgate.admin().Get("/metrics").body);
  HttpConnection held(tollgate.download_port(), "127.0.0.9", std::chrono::seconds(20));
  HttpRequest request;
  request.target = "/healthz";
  held.Send(request);  // accepted and kept alive: the client's one connection
  const RawExchange refused =
      HttpClient(tollgate.download_port(), "127.0.0.9").SendRaw("GET / HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(refused.received.starts_with("HTTP/1.1 429")) << refused.received;
  EXPECT_EQ(Delta(before, Parse(tollgate.admin().Get("/metrics").body), series), 1);
}

// promtool accepts the exposition, with samples of every kind in it.
TEST_F(MetricsTest, PromtoolAcceptsTheExposition) {
  tollgate_.download().Get(Concat("/", token_, "/default/agents/agent-1.0.bin"));
  tollgate_.download().Get("/not-a-token-000000/default/agents/agent-1.0.bin");
  const HttpResponse scrape = ScrapeResponse();
  ASSERT_EQ(scrape.status, 200);
  EXPECT_EQ(scrape.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string promtool = FindProgram("promtool");
  ASSERT_FALSE(promtool.empty()) << "promtool is missing: deploy/install-deps.sh installs it";
  const std::filesystem::path file = tollgate_.root() / "metrics.txt";
  WriteFile(file, scrape.body);
  const CommandResult check = RunCommand(
      "/bin/sh", {"-c", Concat("'", promtool, "' check metrics < '", file.string(), "'")});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err << scrape.body;
}

// The scrape needs no API key, and holds no token, identifier, client address or path.
TEST_F(MetricsTest, NothingIdentifyingInTheScrape) {
  const std::string identifier =
      JsonString(tollgate_.CreateToken("agents", {{"name", "customer-43"}}), "identifier");
  tollgate_.download().Get(Concat("/", token_, "/default/agents/agent-1.0.bin"));
  tollgate_.download().Get(Concat("/", token_, "/default/agents/secret-path.bin"));
  const HttpResponse scrape = ScrapeResponse();
  ASSERT_EQ(scrape.status, 200);
  EXPECT_EQ(tollgate_.admin().Request("POST", "/metrics").status, 405);
  for (const std::string& secret :
       {token_, identifier, std::string("127.0.0.1"), std::string("secret-path"),
        std::string("agent-1.0.bin"), std::string("agents")}) {
    EXPECT_EQ(scrape.body.find(secret), std::string::npos) << secret;
  }
}

}  // namespace
}  // namespace tollgate::testing
