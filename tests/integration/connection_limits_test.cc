// Connection budgets of both listeners (SPEC §6): a header that never completes is cut off
// by the header deadline, and a large unread request body still gets its answer.
#include <chrono>
#include <string>

#include "gtest/gtest.h"
#include "http_client.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

class ConnectionLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(tollgate_.Start()); }
  TollgateProcess tollgate_;
};

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

}  // namespace
}  // namespace tollgate::testing
