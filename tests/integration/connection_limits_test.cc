// Connection budgets and caps of both listeners: a header that never completes is cut off by
// the header deadline counted from the accept, a large unread request body still gets its
// answer, --max-connections and --max-connections-per-client refuse at once without stopping
// anyone under their limit, pipelined requests are answered in order, and a client that stops
// reading is cut after --send-timeout.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "http_client.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

class ConnectionLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(tollgate_.Start()); }
  TollgateProcess tollgate_;
};

// A server started with `extra` arguments, a public repository `open` and one file in it.
class ConnectionCapsTest : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& extra) {
    ASSERT_TRUE(tollgate_.Start(extra));
    tollgate_.CreateRepo("open", "public");
    tollgate_.PlaceFile("open", "tool-1.0.tar.gz", "tool bytes");
  }
  HttpResponse Download(const std::string& from) const {
    return HttpClient(tollgate_.download_port(), from).Get("/public/default/open/tool-1.0.tar.gz");
  }
  // Opens a connection from `from` that sends nothing.
  std::unique_ptr<HttpConnection> Idle(const std::string& from) const {
    return std::make_unique<HttpConnection>(tollgate_.download_port(), from,
                                            std::chrono::seconds(20));
  }
  TollgateProcess tollgate_;
};

// The status line and X-Tollgate-Reason of a raw answer.
bool Refused(const RawExchange& exchange, std::string_view status, std::string_view reason) {
  return exchange.closed_by_server && exchange.received.starts_with(status) &&
         exchange.received.find(Concat("X-Tollgate-Reason: ", reason)) != std::string::npos;
}

// A client that sends half a header is disconnected by the 10 s header deadline.
TEST_F(ConnectionLimitsTest, HalfSentHeaderIsCutOff) {
  for (uint16_t port : {tollgate_.download_port(), tollgate_.admin_port()}) {
    HttpConnection connection(port, "", std::chrono::seconds(20));
    const auto started = std::chrono::steady_clock::now();
    const RawExchange exchange = connection.SendRaw("GET /x/default/r/a HTTP/1.1\r\n");
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(exchange.closed_by_server) << "port " << port;
    EXPECT_LT(waited, std::chrono::seconds(15)) << "port " << port;
  }
}

// A POST with a 2 MB body on a download URL is answered 405, not reset or refused as 400.
TEST_F(ConnectionLimitsTest, LargeBodyOnDownloadUrlGets405) {
  const HttpResponse response = tollgate_.download().Request("POST", "/token123/default/r/a.txt",
                                                             {}, std::string(2 * 1024 * 1024, 'x'));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("X-Tollgate-Reason"), "method_not_allowed");
}

// A refused admin request with a large unread body still delivers its 401 to the client.
TEST_F(ConnectionLimitsTest, RefusalWithUnreadBodyArrives) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    const HttpResponse response = tollgate_.admin().Request("POST", "/api/v1/repos/default/", {},
                                                            std::string(2 * 1024 * 1024, 'x'));
    EXPECT_EQ(response.status, 401) << "attempt " << attempt;
  }
}

// 200 connections that never send a byte do not stop another client's download, and are all
// closed by the header deadline — 10 s from the accept, not the 60 s keep-alive budget.
TEST_F(ConnectionCapsTest, IdleConnectionsAreClosedByTheHeaderDeadline) {
  Start({});
  std::vector<std::unique_ptr<HttpConnection>> idle;
  for (int i = 0; i < 200; ++i) idle.push_back(Idle("127.0.0.9"));
  const auto opened = std::chrono::steady_clock::now();
  EXPECT_EQ(Download("127.0.0.10").status, 200);
  for (auto& connection : idle) {
    EXPECT_TRUE(connection->ReadUntilClosed().closed_by_server);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - opened, std::chrono::seconds(14));
}

// Beyond --max-connections-per-client a client's new connection gets 429 at once; another
// client is served, and the first is served again as soon as it closed one.
TEST_F(ConnectionCapsTest, PerClientCapRefusesOnlyThatClient) {
  Start({"--max-connections-per-client", "3"});
  std::vector<std::unique_ptr<HttpConnection>> held;
  for (int i = 0; i < 3; ++i) held.push_back(Idle("127.0.0.9"));
  const auto asked = std::chrono::steady_clock::now();
  const RawExchange refused =
      HttpClient(tollgate_.download_port(), "127.0.0.9").SendRaw("GET /healthz HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(Refused(refused, "HTTP/1.1 429", "too_many_connections")) << refused.received;
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(3));
  EXPECT_EQ(Download("127.0.0.10").status, 200);
  held.pop_back();  // the server sees the close a moment later
  int status = 0;
  for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = Download("127.0.0.9").status;
  }
  EXPECT_EQ(status, 200);
}

// A trusted proxy carries many clients' connections: it is not held to the per-client cap.
TEST_F(ConnectionCapsTest, TrustedProxyIsNotCappedPerClient) {
  Start({"--max-connections-per-client", "2", "--trusted-proxy", "127.0.0.11"});
  std::vector<std::unique_ptr<HttpConnection>> held;
  for (int i = 0; i < 4; ++i) held.push_back(Idle("127.0.0.11"));
  EXPECT_EQ(Download("127.0.0.11").status, 200);
}

// Beyond --max-connections a new connection gets 503 server_busy at once, on both listeners.
TEST_F(ConnectionCapsTest, FullListenerAnswersServerBusy) {
  Start({"--max-connections", "4"});
  for (uint16_t port : {tollgate_.download_port(), tollgate_.admin_port()}) {
    std::vector<std::unique_ptr<HttpConnection>> held;
    for (int i = 0; i < 4; ++i) {
      held.push_back(std::make_unique<HttpConnection>(port, "127.0.0.9"));
    }
    const RawExchange refused =
        HttpClient(port, "127.0.0.10").SendRaw("GET /healthz HTTP/1.1\r\n\r\n");
    EXPECT_TRUE(Refused(refused, "HTTP/1.1 503", "server_busy")) << refused.received;
    EXPECT_NE(refused.received.find("Retry-After: 1"), std::string::npos);
  }
}

// Requests sent back to back in one write are all answered, in order.
TEST_F(ConnectionCapsTest, PipelinedRequestsAreAnsweredInOrder) {
  Start({});
  tollgate_.PlaceFile("open", "b.txt", "second");
  std::string batch;
  for (int i = 0; i < 40; ++i) {
    batch += Concat("GET /public/default/open/", i % 2 == 0 ? "tool-1.0.tar.gz" : "b.txt",
                    " HTTP/1.1\r\nHost: x\r\n", i == 39 ? "Connection: close\r\n" : "", "\r\n");
  }
  const RawExchange exchange = tollgate_.download().SendRaw(batch);
  size_t at = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string_view expected = i % 2 == 0 ? "tool bytes" : "second";
    at = exchange.received.find("HTTP/1.1 200", at);
    ASSERT_NE(at, std::string::npos) << "answer " << i;
    at = exchange.received.find("\r\n\r\n", at) + 4;
    EXPECT_EQ(exchange.received.substr(at, expected.size()), expected) << "answer " << i;
  }
  EXPECT_TRUE(exchange.closed_by_server);
}

// A client that stops reading a large response is cut after --send-timeout.
TEST_F(ConnectionCapsTest, StalledReaderIsCutAfterTheSendTimeout) {
  Start({"--send-timeout", "2s"});
  const size_t size = 64 << 20;
  tollgate_.PlaceFile("open", "big.bin", std::string(size, 'b'));
  HttpConnection reader(tollgate_.download_port(), "", std::chrono::seconds(15));
  reader.Write("GET /public/default/open/big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::seconds(5));
  const RawExchange rest = reader.ReadUntilClosed();
  EXPECT_TRUE(rest.closed_by_server);
  EXPECT_LT(rest.received.size(), size);
}

}  // namespace
}  // namespace tollgate::testing
