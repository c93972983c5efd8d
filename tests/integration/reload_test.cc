// SIGHUP on the real binary: the config file is read again; the log format and a connection
// limit change at once while a download runs on, undisturbed, to its last byte; an option that
// needs a restart is named in one log line and keeps its value; a config file that no longer
// parses changes nothing.
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "http_client.h"
#include "run_command.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace fs = std::filesystem;

// Whether a new connection from `address` is served (true) or refused 429 (false), with
// `held` connections from it already open.
bool ServedWithOpenConnections(uint16_t port, const std::string& address, int held) {
  std::vector<std::unique_ptr<HttpConnection>> connections;
  HttpRequest request;
  request.target = "/healthz-is-on-the-admin-listener";
  for (int i = 0; i < held; ++i) {
    connections.push_back(std::make_unique<HttpConnection>(port, address));
    if (connections.back()->Send(request).status == 429) return false;
  }
  return HttpConnection(port, address).Send(request).status != 429;
}

class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = tollgate_.root() / "tollgate.conf";
    WriteFile(config_, "log-format = text\nmax-connections-per-client = 2\n");
    ASSERT_TRUE(tollgate_.Start({"--config", config_.string()}));
  }

  // Sends SIGHUP and waits for its `event` line.
  ::testing::AssertionResult Reload(std::string_view event) {
    const size_t before = Count(event);
    tollgate_.Signal(SIGHUP);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (Count(event) == before) {
      if (std::chrono::steady_clock::now() > give_up) {
        return ::testing::AssertionFailure() << "no " << event << " line: " << tollgate_.Log();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ::testing::AssertionSuccess();
  }

  size_t Count(std::string_view needle) const {
    size_t count = 0;
    for (const std::string& line : Lines(tollgate_.Log())) {
      if (line.find(needle) != std::string::npos) ++count;
    }
    return count;
  }

  TollgateProcess tollgate_;
  fs::path config_;
};

TEST_F(ReloadTest, LogFormatAndLimitChangeWhileADownloadRunsOn) {
  tollgate_.CreateRepo("agents");
  const std::string payload(16 << 20, 'x');
  tollgate_.PlaceFile("agents", "big.bin", payload);
  const std::string url = Concat("http://127.0.0.1:", tollgate_.download_port(), "/",
                                 tollgate_.CreateTokenString("agents"), "/default/agents/big.bin");
  const uint16_t port = tollgate_.download_port();
  EXPECT_FALSE(ServedWithOpenConnections(port, "127.0.0.2", 2));

  // A download at 4 MiB/s: about 4 s, across the reload.
  const std::string curl = FindProgram("curl");
  ASSERT_FALSE(curl.empty());
  const fs::path body = tollgate_.root() / "body";
  const pid_t download = Spawn(curl, {"-sS", "-f", "--limit-rate", "4M", "-o", body.string(), url},
                               {}, tollgate_.root() / "curl.out", tollgate_.root() / "curl.err");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  WriteFile(config_, "log-format = json\nmax-connections-per-client = 5\nsend-timeout = 90s\n");
  ASSERT_TRUE(Reload("config_reloaded"));
  EXPECT_TRUE(ServedWithOpenConnections(port, "127.0.0.2", 2));
  // Lines from the reload on are JSON; the option that needs a restart is named.
  bool json_seen = false;
  for (const std::string& line : Lines(tollgate_.Log())) {
    if (line.find("config_reloaded") == std::string::npos && !json_seen) continue;
    json_seen = true;
    EXPECT_TRUE(ParseJson(line).is_object()) << line;
  }
  EXPECT_EQ(Count(R"("event":"config_restart_needed")"), 1u) << tollgate_.Log();
  EXPECT_EQ(Count(R"("options":"send-timeout")"), 1u) << tollgate_.Log();

  const std::optional<int> exit_code =
      WaitUntil(download, std::chrono::steady_clock::now() + std::chrono::seconds(30));
  ASSERT_TRUE(exit_code.has_value()) << "curl still running";
  EXPECT_EQ(*exit_code, 0) << ReadFile(tollgate_.root() / "curl.err");
  EXPECT_EQ(fs::file_size(body), payload.size());
}

// A config file that no longer parses leaves every option as it was.
TEST_F(ReloadTest, BrokenConfigChangesNothing) {
  WriteFile(config_, "log-format = yaml\nmax-connections-per-client = 5\n");
  ASSERT_TRUE(Reload("config_reload_failed"));
  EXPECT_FALSE(ServedWithOpenConnections(tollgate_.download_port(), "127.0.0.2", 2));
  EXPECT_EQ(Count("config_reloaded"), 0u);
  EXPECT_NE(Count("--log-format"), 0u) << tollgate_.Log();  // the error names the option
}

}  // namespace
}  // namespace tollgate::testing
