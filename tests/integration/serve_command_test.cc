// The `tollgate serve` and `tollgate init` commands (SPEC §6): option errors, the three
// configuration sources, bootstrap and its key file, persistence across restarts, signals.
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "boost/json/object.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// A bad configuration must fail at once; 10 s is far beyond that.
constexpr auto kBadConfigTimeout = std::chrono::seconds(10);

// `serve` on port 0 in a fresh data dir with `extra` options appended.
std::vector<std::string> ServeArgs(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args = {"serve",
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--admin-listen",
                                   "127.0.0.1:0",
                                   "--data-dir",
                                   (dir.path() / "data").string(),
                                   "--artifacts",
                                   (dir.path() / "artifacts").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Exit code 2 and exactly one stderr line that starts with "tollgate: " and mentions `name`.
::testing::AssertionResult FailsNaming(const CommandResult& result, std::string_view name) {
  if (result.timed_out) return ::testing::AssertionFailure() << "it kept running";
  const std::vector<std::string> lines = Lines(result.err);
  if (result.exit_code != 2) {
    return ::testing::AssertionFailure() << "exit code " << result.exit_code << ", stderr:\n"
                                         << result.err;
  }
  if (lines.size() != 1) {
    return ::testing::AssertionFailure() << lines.size() << " stderr lines:\n" << result.err;
  }
  if (!lines[0].starts_with("tollgate: ") || lines[0].find(name) == std::string::npos) {
    return ::testing::AssertionFailure() << "the line does not name " << name << ": " << lines[0];
  }
  return ::testing::AssertionSuccess();
}

// A `listening` line's field, e.g. threads=2 → "2".
std::string ListeningField(const std::string& line, std::string_view key) {
  const std::string needle = Concat(" ", key, "=");
  const size_t at = line.find(needle);
  if (at == std::string::npos) return "";
  const size_t start = at + needle.size();
  return line.substr(start, line.find(' ', start) - start);
}

// --threads 0 exits 2 with one line naming --threads.
TEST(ServeCommandTest, ThreadsZeroExits2NamingOption) {
  TempDir dir;
  const CommandResult result =
      RunTollgate(ServeArgs(dir, {"--threads", "0"}), {}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "--threads"));
  EXPECT_TRUE(Lines(result.err).at(0).starts_with("tollgate: --threads: ")) << result.err;
}

// The Sentinel options go together, and name what is wrong with them.
TEST(ServeCommandTest, BadSentinelOptionsExit2NamingTheOption) {
  const TempDir dir;
  const std::vector<std::pair<std::vector<std::string>, std::string_view>> cases = {
      {{"--redis-sentinel", "127.0.0.1:26379"}, "--redis-master"},
      {{"--redis-master", "tollgate"}, "--redis-sentinel"},
      {{"--redis-sentinel", "127.0.0.1", "--redis-master", "m"}, "--redis-sentinel"},
      {{"--redis-sentinel", "127.0.0.1:0", "--redis-master", "m"}, "--redis-sentinel"},
      {{"--redis-wait-replicas", "1"}, "--redis-wait-replicas"},
      {{"--redis-wait-replicas", "-1", "--redis", "redis://127.0.0.1:1"}, "--redis-wait-replicas"},
  };
  for (const auto& [extra, option] : cases) {
    const CommandResult result = RunTollgate(ServeArgs(dir, extra), {}, kBadConfigTimeout);
    EXPECT_TRUE(FailsNaming(result, option)) << extra.front();
  }
}

// A malformed --origin-allow, on the command line or in the environment, exits 2 with one
// line naming the option; only strict address notation is read.
TEST(ServeCommandTest, BadOriginAllowExits2NamingOption) {
  TempDir dir;
  for (const char* bad : {"127.0.0.0/33", "localhost", "127.1/8", "0x7f000001", "10.0.0.0/"}) {
    const CommandResult result =
        RunTollgate(ServeArgs(dir, {"--origin-allow", bad}), {}, kBadConfigTimeout);
    EXPECT_TRUE(FailsNaming(result, "--origin-allow")) << bad;
  }
  const CommandResult from_env = RunTollgate(
      ServeArgs(dir, {}), {{"TOLLGATE_ORIGIN_ALLOW", "127.0.0.0/8, nope"}}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(from_env, "TOLLGATE_ORIGIN_ALLOW"));
}

// --listen without a port exits 2 with one line naming --listen.
TEST(ServeCommandTest, ListenNonsenseExits2NamingOption) {
  TempDir dir;
  const CommandResult result =
      RunTollgate({"serve", "--listen", "nonsense", "--admin-listen", "127.0.0.1:0", "--data-dir",
                   (dir.path() / "data").string()},
                  {}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "--listen"));
}

// --admin-listen with a port out of range exits 2 naming --admin-listen.
TEST(ServeCommandTest, AdminListenBadPortExits2NamingOption) {
  TempDir dir;
  const CommandResult result =
      RunTollgate({"serve", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:70000",
                   "--data-dir", (dir.path() / "data").string()},
                  {}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "--admin-listen"));
}

// A bad duration exits 2 naming --drain-timeout.
TEST(ServeCommandTest, BadDrainTimeoutExits2NamingOption) {
  TempDir dir;
  const CommandResult result =
      RunTollgate(ServeArgs(dir, {"--drain-timeout", "soon"}), {}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "--drain-timeout"));
}

// The connection and brute-force options refuse values that would switch their protection
// off, each exiting 2 with one line naming the option.
TEST(ServeCommandTest, EdgeOptionsRefuseValuesThatDisableThem) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--send-timeout", "0"},      {"--send-timeout", "soon"},
      {"--auth-block", "0s"},       {"--auth-fail-limit", "0"},
      {"--max-connections", "0"},   {"--max-connections-per-client", "-1"},
      {"--max-connections", "lots"}};
  for (const auto& [option, value] : cases) {
    const CommandResult result =
        RunTollgate(ServeArgs(dir, {option, value}), {}, kBadConfigTimeout);
    EXPECT_TRUE(FailsNaming(result, option)) << option << " " << value;
  }
}

// An unknown option exits 2 with one line naming it.
TEST(ServeCommandTest, UnknownOptionExits2NamingIt) {
  TempDir dir;
  const CommandResult result =
      RunTollgate(ServeArgs(dir, {"--no-such-option", "1"}), {}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "--no-such-option"));
}

// `serve --help` prints every option, one line each, and exits 0 without starting.
TEST(ServeCommandTest, HelpListsEveryOption) {
  const CommandResult result = RunTollgate({"serve", "--help"}, {}, kBadConfigTimeout);
  EXPECT_EQ(result.exit_code, 0);
  for (const char* option : {"--config FILE",
                             "--listen ADDR:PORT",
                             "--admin-listen ADDR:PORT",
                             "--data-dir DIR",
                             "--artifacts DIR",
                             "--threads N",
                             "--drain-timeout DUR",
                             "--redis URL",
                             "--dedupe-window DUR",
                             "--stale-grace DUR",
                             "--redis-sentinel HOST:PORT,...",
                             "--redis-master NAME",
                             "--redis-wait-replicas N",
                             "--trusted-proxy CIDR",
                             "--origin-allow CIDR",
                             "--client-header NAME",
                             "--contextual-realm",
                             "--public-url URL",
                             "--send-timeout DUR",
                             "--max-connections N",
                             "--max-connections-per-client N",
                             "--tls-cert FILE",
                             "--tls-key FILE",
                             "--admin-tls-cert FILE",
                             "--admin-tls-key FILE",
                             "--auth-fail-limit N",
                             "--auth-block DUR",
                             "--log-format json|text"}) {
    EXPECT_NE(result.out.find(Concat("  ", option, " ")), std::string::npos) << option;
  }
}

// An option given without its value exits 2 naming it.
TEST(ServeCommandTest, MissingValueExits2NamingOption) {
  TempDir dir;
  const CommandResult result = RunTollgate(ServeArgs(dir, {"--threads"}), {}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "--threads"));
}

// TOLLGATE_THREADS=abc exits 2 with one line naming the variable.
TEST(ServeCommandTest, BadEnvironmentVariableExits2NamingIt) {
  TempDir dir;
  const CommandResult result =
      RunTollgate(ServeArgs(dir, {}), {{"TOLLGATE_THREADS", "abc"}}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "TOLLGATE_THREADS"));
}

// TOLLGATE_THREADS sets the thread count.
TEST(ServeCommandTest, EnvironmentVariableSetsOption) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start({}, {{"TOLLGATE_THREADS", "3"}}));
  EXPECT_EQ(ListeningField(tollgate.listening_line(), "threads"), "3") << tollgate.listening_line();
}

// The command line wins over the environment.
TEST(ServeCommandTest, CommandLineBeatsEnvironment) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start({"--threads", "2"}, {{"TOLLGATE_THREADS", "5"}}));
  EXPECT_EQ(ListeningField(tollgate.listening_line(), "threads"), "2") << tollgate.listening_line();
}

// An option in the --config file is applied.
TEST(ServeCommandTest, ConfigFileOptionIsApplied) {
  TollgateProcess tollgate;
  const fs::path config = tollgate.root() / "tollgate.conf";
  WriteFile(config, "# integration test\nthreads = 3\ncontextual-realm = true\n");
  ASSERT_TRUE(tollgate.Start({"--config", config.string()}));
  EXPECT_EQ(ListeningField(tollgate.listening_line(), "threads"), "3") << tollgate.listening_line();
  tollgate.CreateRepo("agents", "private");
  EXPECT_EQ(tollgate.download().Get("/basic/default/agents/x.deb").Header("WWW-Authenticate"),
            "Basic realm=\"default/agents\"");
}

// The environment wins over the config file.
TEST(ServeCommandTest, EnvironmentBeatsConfigFile) {
  TollgateProcess tollgate;
  const fs::path config = tollgate.root() / "tollgate.conf";
  WriteFile(config, "threads = 3\n");
  ASSERT_TRUE(tollgate.Start({"--config", config.string()}, {{"TOLLGATE_THREADS", "4"}}));
  EXPECT_EQ(ListeningField(tollgate.listening_line(), "threads"), "4") << tollgate.listening_line();
}

// A bad value in the config file exits 2 naming the option.
TEST(ServeCommandTest, BadConfigFileValueExits2NamingOption) {
  TempDir dir;
  const fs::path config = dir.path() / "tollgate.conf";
  WriteFile(config, "threads = many\n");
  const CommandResult result =
      RunTollgate(ServeArgs(dir, {"--config", config.string()}), {}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "threads"));
}

// A config file that cannot be read exits 2 naming --config.
TEST(ServeCommandTest, MissingConfigFileExits2) {
  TempDir dir;
  const CommandResult result = RunTollgate(
      ServeArgs(dir, {"--config", (dir.path() / "absent.conf").string()}), {}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "--config"));
}

// --log-format json writes every log line as a JSON object.
TEST(ServeCommandTest, JsonLogFormatWritesJsonLines) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start({"--log-format", "json"}));
  ASSERT_EQ(tollgate.admin().Get("/healthz").status, 200);
  ASSERT_TRUE(tollgate.WaitForLog("admin_request")) << tollgate.Log();
  for (const std::string& line : Lines(tollgate.Log())) {
    EXPECT_TRUE(ParseJson(line).is_object()) << line;
  }
}

// Log lines are buffered per thread, and none is lost or torn: four clients' downloads on
// both server threads (each thread's buffer passing 64 KiB, so it is written out early as well
// as by the flusher) end with SIGTERM, and every download has its access line, whole.
TEST(ServeCommandTest, NoAccessLineIsLostOrTornOnSigterm) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start({"--threads", "2"}));
  tollgate.CreateRepo("agents");
  tollgate.PlaceFile("agents", "agent.bin", "bytes");
  const std::string target =
      Concat("/", tollgate.CreateTokenString("agents"), "/default/agents/agent.bin");
  constexpr int kClients = 4;
  constexpr int kDownloadsEach = 400;
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      HttpConnection connection(tollgate.download_port());
      HttpRequest request;
      request.target = target;
      for (int i = 0; i < kDownloadsEach; ++i) {
        if (connection.Send(request).status == 200) ++ok;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  ASSERT_EQ(ok, kClients * kDownloadsEach);
  ASSERT_EQ(tollgate.Stop(), 0);
  int access_lines = 0;
  for (const std::string& line : Lines(tollgate.Log())) {
    if (line.find(" download ") == std::string::npos) continue;
    ++access_lines;
    // Whole: one timestamp at the start, one status, the last field at the end.
    EXPECT_EQ(line.find(" info download client=127.0.0.1 method=GET status=200 "), 24u) << line;
    EXPECT_NE(line.find(" duration_us="), std::string::npos) << line;
    EXPECT_EQ(line.find("Z ", 25), std::string::npos) << line;
  }
  EXPECT_EQ(access_lines, kClients * kDownloadsEach);
}

// Bootstrap writes the admin key to DATA_DIR/admin-api-key with mode 0600, key plus newline.
TEST(ServeCommandTest, AdminKeyFileIsPrivate) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start());
  const fs::path key_file = tollgate.data_dir() / "admin-api-key";
  struct stat status {};
  ASSERT_EQ(::stat(key_file.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
  const std::string content = ReadFile(key_file);
  ASSERT_FALSE(tollgate.admin_key().empty());
  EXPECT_EQ(content, tollgate.admin_key() + "\n");
  EXPECT_EQ(content.find_first_of(" \t\r"), std::string::npos);
}

// The bootstrapped key authenticates as the owner `admin` of org `default`.
TEST(ServeCommandTest, BootstrappedKeyWorks) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start());
  const HttpResponse self = tollgate.Admin("GET", "/api/v1/user/self");
  ASSERT_EQ(self.status, 200) << self.body;
  EXPECT_EQ(JsonString(ParseJson(self.body), "name"), "admin");
  EXPECT_EQ(tollgate
                .Admin("POST", "/api/v1/repos/default/",
                       R"({"slug": "agents", "repository_type": "private"})")
                .status,
            201);
}

// The bootstrap logs the key file's path, never the key.
TEST(ServeCommandTest, BootstrapLogsPathNeverKey) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start());
  const std::string log = tollgate.Log();
  EXPECT_NE(log.find("admin-api-key"), std::string::npos) << log;
  EXPECT_EQ(log.find(tollgate.admin_key()), std::string::npos) << "the key was logged";
}

// Repositories, tokens and the admin key survive a restart on the same data dir.
TEST(ServeCommandTest, DataSurvivesRestart) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start());
  tollgate.CreateRepo("agents", "private");
  const std::string token = tollgate.CreateTokenString("agents");
  tollgate.PlaceFile("agents", "agent_2.0_amd64.deb", "persisted\n");
  const std::string key = tollgate.admin_key();
  ASSERT_EQ(tollgate.Stop(), 0);

  ASSERT_TRUE(tollgate.Start());
  EXPECT_EQ(tollgate.admin_key(), key) << "the restart bootstrapped again";
  const HttpResponse download =
      tollgate.download().Get("/" + token + "/default/agents/agent_2.0_amd64.deb");
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body, "persisted\n");
  EXPECT_EQ(tollgate.Admin("GET", "/api/v1/repos/default/agents/").status, 200);
}

// A token disabled before a restart stays disabled after it.
TEST(ServeCommandTest, DisabledTokenStaysDisabledAfterRestart) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start());
  tollgate.CreateRepo("agents", "private");
  const json::object token = tollgate.CreateToken("agents", json::object{{"name", "one"}});
  tollgate.PlaceFile("agents", "a.txt", "a\n");
  ASSERT_EQ(tollgate
                .Admin("POST", "/api/v1/entitlements/default/agents/" +
                                   JsonString(token, "identifier") + "/disable/")
                .status,
            200);
  ASSERT_EQ(tollgate.Stop(), 0);
  ASSERT_TRUE(tollgate.Start());
  const HttpResponse download =
      tollgate.download().Get("/" + JsonString(token, "token") + "/default/agents/a.txt");
  EXPECT_EQ(download.status, 403);
  EXPECT_EQ(download.Header("X-Tollgate-Reason"), "token_disabled");
}

// `init` prints only the owner's key, and that key works against a server on that data dir.
TEST(ServeCommandTest, InitPrintsWorkingKey) {
  TollgateProcess tollgate;
  const CommandResult init = RunTollgate(
      {"init", "--data-dir", tollgate.data_dir().string(), "--org", "acme", "--owner", "alice"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::vector<std::string> lines = Lines(init.out);
  ASSERT_EQ(lines.size(), 1u) << init.out;
  const std::string key = lines[0];
  ASSERT_GE(key.size(), 20u) << key;
  EXPECT_EQ(key.find_first_of(" \t"), std::string::npos) << key;

  ASSERT_TRUE(tollgate.Start());
  EXPECT_FALSE(fs::exists(tollgate.data_dir() / "admin-api-key"))
      << "serve bootstrapped although init had created an org";
  const Headers auth = {{"X-Api-Key", key}, {"Content-Type", "application/json"}};
  const HttpResponse self = tollgate.admin().Get("/api/v1/user/self", auth);
  ASSERT_EQ(self.status, 200) << self.body;
  EXPECT_EQ(JsonString(ParseJson(self.body), "name"), "alice");
  const HttpResponse repo = tollgate.admin().Request(
      "POST", "/api/v1/repos/acme/", auth, R"({"slug": "tools", "repository_type": "private"})");
  EXPECT_EQ(repo.status, 201) << repo.body;
}

// `init` without --org exits 2 naming --org.
TEST(ServeCommandTest, InitWithoutOrgExits2) {
  TempDir dir;
  const CommandResult result =
      RunTollgate({"init", "--data-dir", (dir.path() / "data").string()}, {}, kBadConfigTimeout);
  EXPECT_TRUE(FailsNaming(result, "--org"));
}

// SIGTERM stops an idle server with exit code 0.
TEST(ServeCommandTest, SigtermExitsZero) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start());
  tollgate.Signal(SIGTERM);
  EXPECT_EQ(tollgate.WaitForExit(std::chrono::seconds(15)), 0) << tollgate.Log();
}

// SIGINT stops the server with exit code 0 as well.
TEST(ServeCommandTest, SigintExitsZero) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start());
  tollgate.Signal(SIGINT);
  EXPECT_EQ(tollgate.WaitForExit(std::chrono::seconds(15)), 0) << tollgate.Log();
}

// An idle kept-alive connection does not hold up the drain: SIGTERM still exits 0 well before
// a long --drain-timeout, and the idle connection is closed.
TEST(ServeCommandTest, SigtermClosesIdleKeepAliveConnections) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start({"--drain-timeout", "120s"}));
  HttpConnection idle(tollgate.admin_port());
  ASSERT_EQ(idle.Send({"GET", "/healthz", {}, ""}).status, 200);
  tollgate.Signal(SIGTERM);
  EXPECT_EQ(tollgate.WaitForExit(std::chrono::seconds(15)), 0) << tollgate.Log();
  EXPECT_TRUE(idle.ServerClosed());
}

// A download in flight when SIGTERM arrives is finished completely before the exit (code 0).
TEST(ServeCommandTest, SigtermFinishesInFlightDownload) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start({"--drain-timeout", "60s"}));
  tollgate.CreateRepo("agents", "private");
  const std::string token = tollgate.CreateTokenString("agents");
  // Far more than the socket buffers hold, so the server is still sending when signalled.
  const std::string big(32u << 20, 'x');
  tollgate.PlaceFile("agents", "big.bin", big);

  HttpConnection connection(tollgate.download_port(), "", std::chrono::seconds(20));
  connection.Write("GET /" + token + "/default/agents/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  std::string received = connection.ReadAtLeast(1);
  ASSERT_TRUE(received.starts_with("HTTP/1.1 200")) << received.substr(0, 200);
  tollgate.Signal(SIGTERM);
  received += connection.ReadUntilClosed().received;
  const size_t header_end = received.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos);
  EXPECT_EQ(received.size() - header_end - 4, big.size()) << "the download was cut short";
  EXPECT_EQ(tollgate.WaitForExit(std::chrono::seconds(20)), 0) << tollgate.Log();
}

// Missing --data-dir and --artifacts folders are created.
TEST(ServeCommandTest, MissingFoldersAreCreated) {
  TollgateProcess tollgate;
  ASSERT_FALSE(fs::exists(tollgate.data_dir()));
  ASSERT_TRUE(tollgate.Start());
  EXPECT_TRUE(fs::is_directory(tollgate.data_dir()));
  EXPECT_TRUE(fs::is_directory(tollgate.artifacts_dir()));
}

}  // namespace
}  // namespace tollgate::testing
