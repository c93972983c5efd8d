// Bodies from an HTTP origin on the real binary: a 1 GiB file streamed to a deliberately slow
// client with tollgate's memory staying bounded, a vanished client closing the origin
// connection, and origin bodies of unknown length (chunked to HTTP/1.1, close-delimited to
// HTTP/1.0, their bytes still counted).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nginx_server.h"
#include "scripted_origin.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kBigFile = "images/disk-1.0.img";
constexpr uint64_t kGiB = uint64_t{1} << 30;

// A connected loopback socket with a tiny receive buffer, so the sender feels every pause.
// Throws std::runtime_error when it cannot connect.
int ConnectSlowClient(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int receive_buffer = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  const timeval read_timeout{30, 0};  // a stuck download fails the test instead of hanging
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &read_timeout, sizeof read_timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot connect");
  }
  return fd;
}

// The peak resident memory (VmHWM) of process `pid` in KiB; 0 when unreadable.
uint64_t PeakRssKib(pid_t pid) {
  for (const std::string& line : Lines(ReadFile(Concat("/proc/", pid, "/status")))) {
    if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6));
  }
  return 0;
}

class OriginStreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tollgate_.Start(AllowingLoopbackOrigins({"--threads", "2"})));
  }

  void CreateOriginRepo(std::string_view slug, const std::string& url) const {
    const json::object request{{"slug", slug},
                               {"repository_type", "private"},
                               {"storage", {{"type", "http"}, {"url", url}}}};
    const HttpResponse response =
        tollgate_.Admin("POST", "/api/v1/repos/default/", json::serialize(request));
    if (response.status != 201) throw std::runtime_error("create repo: " + response.body);
  }

  // A sparse 1 GiB file at the nginx origin, and a token for the repository in front of it.
  std::string BigFileUrl() {
    const std::filesystem::path file = nginx_.root() / kBigFile;
    std::filesystem::create_directories(file.parent_path());
    WriteFile(file, "");
    std::filesystem::resize_file(file, kGiB);
    CreateOriginRepo("images", nginx_.url() + "/");
    return Concat("/", tollgate_.CreateTokenString("images"), "/default/images/", kBigFile);
  }

  NginxServer nginx_;
  TollgateProcess tollgate_;
};

// A 1 GiB download to a client that reads slowly, then fast, arrives whole while tollgate's
// peak memory stays bounded: the body is never buffered beyond the relay buffer.
TEST_F(OriginStreamingTest, SlowClientOfHugeFileKeepsMemoryBounded) {
#ifdef __SANITIZE_ADDRESS__
  GTEST_SKIP() << "under AddressSanitizer (quarantine, shadow memory) RSS says nothing";
#endif
  const std::string target = BigFileUrl();
  const int fd = ConnectSlowClient(tollgate_.download_port());
  const std::string request = Concat("GET ", target, " HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));

  std::string header;
  uint64_t body = 0;
  std::vector<char> buffer(1 << 20);
  const auto consume = [&](size_t chunk) {
    const ssize_t got = ::read(fd, buffer.data(), chunk);
    if (got <= 0) return false;
    size_t offset = 0;
    if (!header.ends_with("\r\n\r\n")) {
      const std::string_view bytes(buffer.data(), static_cast<size_t>(got));
      const size_t before = header.size();
      header.append(bytes);
      const size_t end = header.find("\r\n\r\n");
      if (end == std::string::npos) return true;
      offset = end + 4 - before;
      header.resize(end + 4);
    }
    body += static_cast<uint64_t>(got) - offset;
    return true;
  };
  // Slow: 4 KiB every 5 ms for 3 s (about 2.5 MB in all).
  for (const auto slow_until = Clock::now() + std::chrono::seconds(3); Clock::now() < slow_until;) {
    ASSERT_TRUE(consume(4096));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const uint64_t during_slow_phase = PeakRssKib(tollgate_.pid());
  // Fast: drain the rest with a larger receive buffer.
  const int receive_buffer = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  while (body < kGiB && consume(buffer.size())) {
  }
  ::close(fd);
  const uint64_t peak = PeakRssKib(tollgate_.pid());

  EXPECT_TRUE(header.starts_with("HTTP/1.1 200 ")) << header;
  EXPECT_NE(header.find(Concat("Content-Length: ", kGiB)), std::string::npos) << header;
  EXPECT_EQ(body, kGiB);
  std::printf(
      "[ measured ] tollgate peak RSS (VmHWM): %.1f MiB after the slow phase, %.1f MiB "
      "after 1 GiB\n",
      static_cast<double>(during_slow_phase) / 1024, static_cast<double>(peak) / 1024);
  RecordProperty("peak_rss_kib", static_cast<int>(peak));
  EXPECT_GT(peak, 0u);
  EXPECT_LT(peak, 200u * 1024) << "peak RSS " << peak << " KiB";
}

// A client that goes away mid-download makes tollgate close its origin connection: nginx
// records the request as ended after sending only part of the file.
TEST_F(OriginStreamingTest, VanishedClientClosesOriginConnection) {
  const std::string target = BigFileUrl();
  const int fd = ConnectSlowClient(tollgate_.download_port());
  const std::string request = Concat("GET ", target, " HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  char buffer[65536];
  size_t received = 0;
  while (received < (1 << 20)) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    ASSERT_GT(got, 0);
    received += static_cast<size_t>(got);
  }
  ::close(fd);

  std::string line;
  for (const auto give_up = Clock::now() + std::chrono::seconds(20);
       line.empty() && Clock::now() < give_up;) {
    for (const std::string& logged : Lines(nginx_.AccessLog())) {
      if (logged.find(kBigFile) != std::string::npos) line = logged;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(line.empty()) << "nginx never finished the request";
  const size_t sent_at = line.find(" sent=");
  ASSERT_NE(sent_at, std::string::npos) << line;
  EXPECT_LT(std::stoull(line.substr(sent_at + 6)), kGiB) << line;
}

// An origin answering with a chunked body of unknown length: relayed chunked to an HTTP/1.1
// client, and ended by closing the connection for an HTTP/1.0 one.
TEST_F(OriginStreamingTest, BodyWithoutLengthIsRelayed) {
  ScriptedOrigin origin([](int fd, int) {
    while (!ScriptedOrigin::ReadRequestHeader(fd).empty()) {
      ScriptedOrigin::WriteAll(fd,
                               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    }
  });
  CreateOriginRepo("chunked", origin.url());
  const std::string target =
      Concat("/", tollgate_.CreateTokenString("chunked"), "/default/chunked/notes.txt");

  const HttpResponse http11 = tollgate_.download().Get(target);
  EXPECT_EQ(http11.status, 200);
  EXPECT_EQ(http11.body, "hello world");
  EXPECT_EQ(http11.Header("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(http11.HasHeader("Content-Length"));

  const RawExchange http10 =
      tollgate_.download().SendRaw(Concat("GET ", target, " HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(http10.closed_by_server);
  EXPECT_TRUE(http10.received.starts_with("HTTP/1.0 200")) << http10.received;
  EXPECT_TRUE(http10.received.ends_with("\r\n\r\nhello world")) << http10.received;
}

// For a token with counted limits, a body of unknown length is reserved as a download and
// its bytes are counted as they flow.
TEST_F(OriginStreamingTest, BytesOfBodyWithoutLengthAreCounted) {
  ScriptedOrigin origin([](int fd, int) {
    while (!ScriptedOrigin::ReadRequestHeader(fd).empty()) {
      ScriptedOrigin::WriteAll(fd,
                               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    }
  });
  CreateOriginRepo("metered", origin.url());
  const json::object token =
      tollgate_.CreateToken("metered", json::object{{"name", "metered"},
                                                    {"limit_bandwidth", 1},
                                                    {"limit_bandwidth_unit", "kilobyte"}});
  const std::string target =
      Concat("/", JsonString(token, "token"), "/default/metered/pool/agent_1.0_amd64.deb");
  EXPECT_EQ(tollgate_.download().Get(target).body, "hello world");

  const std::string usage_url =
      Concat("/api/v1/entitlements/default/metered/", JsonString(token, "identifier"), "/usage/");
  int64_t bandwidth = -1;
  int64_t downloads = -1;
  for (const auto give_up = Clock::now() + std::chrono::seconds(5);
       bandwidth != 11 && Clock::now() < give_up;) {
    const json::object usage = ParseJson(tollgate_.Admin("GET", usage_url).body).as_object();
    bandwidth = usage.at("bandwidth").as_int64();
    downloads = usage.at("downloads").as_int64();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(bandwidth, 11);
  EXPECT_EQ(downloads, 1);
}

// A body of unknown length that the origin cuts off midway still counts the bytes that left:
// a broken download cannot dodge the bandwidth limit.
TEST_F(OriginStreamingTest, BytesOfCutOffBodyWithoutLengthAreCounted) {
  ScriptedOrigin origin([](int fd, int) {
    if (ScriptedOrigin::ReadRequestHeader(fd).empty()) return;
    // One chunk, then the connection closes without the last chunk.
    ScriptedOrigin::WriteAll(fd,
                             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "5\r\nhello\r\n");
  });
  CreateOriginRepo("cut", origin.url());
  const json::object token = tollgate_.CreateToken(
      "cut",
      json::object{{"name", "cut"}, {"limit_bandwidth", 1}, {"limit_bandwidth_unit", "kilobyte"}});
  const std::string target =
      Concat("/", JsonString(token, "token"), "/default/cut/pool/agent_1.0_amd64.deb");
  tollgate_.download().SendRaw(Concat("GET ", target, " HTTP/1.1\r\nHost: t\r\n\r\n"));

  const std::string usage_url =
      Concat("/api/v1/entitlements/default/cut/", JsonString(token, "identifier"), "/usage/");
  int64_t bandwidth = -1;
  for (const auto give_up = Clock::now() + std::chrono::seconds(5);
       bandwidth != 5 && Clock::now() < give_up;) {
    bandwidth = ParseJson(tollgate_.Admin("GET", usage_url).body).at("bandwidth").as_int64();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(bandwidth, 5);
}

}  // namespace
}  // namespace tollgate::testing
