// `tollgate load` input: options and their errors (one sentence naming the option, never a
// URL), URL targets (one origin, credentials as Basic, nothing secret displayed), --urls
// files (comments, size bound) and --source-addresses ranges.
#include "load/load_options.h"

#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "load/address_range.h"
#include "load/load_plan.h"
#include "load/load_target.h"
#include "temp_dir.h"

namespace tollgate::gateway::load {
namespace {

std::string ErrorOf(const std::vector<std::string>& words) {
  absl::StatusOr<LoadOptions> options = ParseLoadOptions(words);
  if (options.ok()) return "";
  return std::string(options.status().message());
}

// Defaults: 16 connections, 1 thread, closed loop for 10 s.
TEST(LoadOptionsTest, Defaults) {
  absl::StatusOr<LoadOptions> options = ParseLoadOptions({"http://h/x"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connections, 16);
  EXPECT_EQ(options->threads, 1);
  EXPECT_EQ(options->duration, std::chrono::seconds(10));
  EXPECT_FALSE(options->requests);
  EXPECT_FALSE(options->rate);
}

// Both spellings of a value and durations in several units.
TEST(LoadOptionsTest, ValuesAndDurations) {
  absl::StatusOr<LoadOptions> options =
      ParseLoadOptions({"--connections=64", "http://h/x", "--threads", "2", "--duration", "1m30s",
                        "--rate", "2500.5", "--timeout", "750ms", "--json", "out.json"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connections, 64);
  EXPECT_EQ(options->threads, 2);
  EXPECT_EQ(options->duration, std::chrono::seconds(90));
  EXPECT_EQ(*options->rate, 2500.5);
  EXPECT_EQ(options->timeout, std::chrono::milliseconds(750));
  EXPECT_EQ(*options->json, "out.json");
  EXPECT_EQ(options->urls, std::vector<std::string>{"http://h/x"});
}

// Each bad option is refused with a sentence that names it.
TEST(LoadOptionsTest, BadOptionsNameTheOption) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"http://h/", "--connections", "0"}, "--connections"},
      {{"http://h/", "--connections", "many"}, "--connections"},
      {{"http://h/", "--threads", "300"}, "--threads"},
      {{"http://h/", "--threads", "4", "--connections", "2"}, "--threads"},
      {{"http://h/", "--duration", "soon"}, "--duration"},
      {{"http://h/", "--duration", "0s"}, "--duration"},
      {{"http://h/", "--requests", "-5"}, "--requests"},
      {{"http://h/", "--rate", "0"}, "--rate"},
      {{"http://h/", "--rate", "nan"}, "--rate"},
      {{"http://h/", "--rate"}, "--rate"},
      {{"http://h/", "--insecure=yes"}, "--insecure"},
      {{"http://h/", "--bogus"}, "--bogus"},
      {{"http://h/", "-c", "3"}, "-c"},
      {{"http://h/", "--json", "a", "--json", "b"}, "--json"},
      {{"http://h/", "--duration", "1s", "--requests", "5"}, "--requests"},
      {{"http://h/", "--cacert", "ca.pem", "--insecure"}, "--insecure"},
      {{"http://h/", "--urls", "f"}, "--urls"},
  };
  for (const auto& [words, option] : cases) {
    const std::string error = ErrorOf(words);
    EXPECT_NE(error.find(option), std::string::npos) << option << ": " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
  EXPECT_NE(ErrorOf({}).find("no URL"), std::string::npos);
}

// --help wins even over errors, and the help lists every option.
TEST(LoadOptionsTest, HelpListsEveryOption) {
  absl::StatusOr<LoadOptions> options = ParseLoadOptions({"--bogus", "--help"});
  ASSERT_TRUE(options.ok());
  EXPECT_TRUE(options->help);
  const std::string help = LoadHelp();
  for (const char* option : {"--urls", "--connections", "--threads", "--duration", "--requests",
                             "--rate", "--source-addresses", "--cacert", "--insecure", "--report",
                             "--json", "--timeout", "--quiet", "--help"}) {
    EXPECT_NE(help.find(option), std::string::npos) << option;
  }
}

// A URL's credentials become Basic auth; the display shows the origin only.
TEST(LoadTargetTest, CredentialsAndDisplay) {
  absl::StatusOr<LoadTargets> targets = BuildTargets(
      {"https://user:pa%3Ass@Dl.Example.com:8443/SECRETTOKEN/acme/agents/a.whl?x=1#frag",
       "https://dl.example.com:8443/SECRETTOKEN/acme/agents/b.whl"});
  ASSERT_TRUE(targets.ok()) << targets.status();
  EXPECT_TRUE(targets->origin.tls);
  EXPECT_EQ(targets->origin.port, "8443");
  EXPECT_EQ(targets->Display(), "https://Dl.Example.com:8443");
  ASSERT_EQ(targets->requests.size(), 2u);
  EXPECT_EQ(targets->requests[0],
            "GET /SECRETTOKEN/acme/agents/a.whl?x=1 HTTP/1.1\r\nHost: Dl.Example.com:8443\r\n"
            "User-Agent: tollgate-load\r\nAuthorization: Basic dXNlcjpwYTpzcw==\r\n\r\n");
  EXPECT_EQ(targets->requests[1].find("Authorization"), std::string::npos);
}

// IPv6 literals, default ports and an empty path.
TEST(LoadTargetTest, Ipv6AndDefaults) {
  absl::StatusOr<LoadTargets> targets = BuildTargets({"http://[::1]"});
  ASSERT_TRUE(targets.ok()) << targets.status();
  EXPECT_EQ(targets->origin.host, "::1");
  EXPECT_EQ(targets->origin.port, "80");
  EXPECT_EQ(targets->Display(), "http://[::1]:80");
  EXPECT_EQ(targets->requests[0].substr(0, 33), "GET / HTTP/1.1\r\nHost: [::1]\r\nUser");
}

// Bad URLs are refused by position, never quoted (they may hold a token).
TEST(LoadTargetTest, BadUrlsRefusedByPosition) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"ftp://h/SECRET"}, "URL 1: unsupported scheme"},
      {{"http:///SECRET"}, "URL 1: the URL names no host"},
      {{"http://"}, "URL 1: the URL names no host"},
      {{"/SECRET/relative"}, "URL 1: not an absolute URL"},
      {{"http://h:0/SECRET"}, "URL 1: bad port"},
      {{"http://h/SECRET", "http://other/SECRET"}, "URL 2: another origin"},
      {{"http://h/SECRET", "https://h/SECRET"}, "URL 2: another origin"},
      {{"http://h:81/SECRET", "http://h/SECRET"}, "URL 2: another origin"},
  };
  for (const auto& [urls, expected] : cases) {
    absl::StatusOr<LoadTargets> targets = BuildTargets(urls);
    ASSERT_FALSE(targets.ok()) << expected;
    const std::string message(targets.status().message());
    EXPECT_EQ(message.rfind(expected, 0), 0u) << message;
    EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;
  }
}

// A --urls file: comments and blank lines skipped, white space trimmed.
TEST(LoadTargetTest, UrlFileSkipsComments) {
  storage::testing::TempDir dir;
  const std::string path = (dir.path() / "urls.txt").string();
  std::ofstream(path) << "# the hot files\n\nhttp://h/a\r\n  http://h/b  \n  # indented comment\n";
  absl::StatusOr<std::vector<std::string>> urls = ReadUrlFile(path);
  ASSERT_TRUE(urls.ok()) << urls.status();
  EXPECT_EQ(*urls, (std::vector<std::string>{"http://h/a", "http://h/b"}));
}

// Huge, missing and empty --urls files are refused with a bounded read.
TEST(LoadTargetTest, UrlFileLimits) {
  storage::testing::TempDir dir;
  const std::string huge = (dir.path() / "huge.txt").string();
  {
    std::ofstream file(huge);
    const std::string line = "http://h/" + std::string(990, 'a') + "\n";
    for (uint64_t written = 0; written <= kMaxUrlFileBytes; written += line.size()) file << line;
  }
  absl::StatusOr<std::vector<std::string>> urls = ReadUrlFile(huge);
  ASSERT_FALSE(urls.ok());
  EXPECT_NE(urls.status().message().find("larger than 16 MiB"), absl::string_view::npos);

  const std::string many = (dir.path() / "many.txt").string();
  {
    std::ofstream file(many);
    for (size_t i = 0; i <= kMaxUrls; ++i) file << "http://h/" << i << "\n";
  }
  urls = ReadUrlFile(many);
  ASSERT_FALSE(urls.ok());
  EXPECT_NE(urls.status().message().find("more than"), absl::string_view::npos);

  EXPECT_FALSE(ReadUrlFile((dir.path() / "missing.txt").string()).ok());
  const std::string empty = (dir.path() / "empty.txt").string();
  std::ofstream(empty) << "# nothing\n";
  EXPECT_FALSE(ReadUrlFile(empty).ok());
}

// Ranges: IPv4 and IPv6, single addresses, wrap-around.
TEST(AddressRangeTest, GoodRanges) {
  absl::StatusOr<AddressRange> range = AddressRange::Parse("127.0.0.2-127.0.0.40");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->size(), 39u);
  EXPECT_EQ(range->At(0).to_string(), "127.0.0.2");
  EXPECT_EQ(range->At(38).to_string(), "127.0.0.40");
  EXPECT_EQ(range->At(39).to_string(), "127.0.0.2");

  range = AddressRange::Parse("10.0.0.255-10.0.1.1");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->At(1).to_string(), "10.0.1.0");

  range = AddressRange::Parse("fd00::ffff:ffff:ffff:fffe-fd00::1:0:0:0:1");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->size(), 4u);
  EXPECT_EQ(range->At(2).to_string(), "fd00:0:0:1::");

  range = AddressRange::Parse("127.0.0.9");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->size(), 1u);
  EXPECT_EQ(AddressRange::Parse("10.0.0.0-10.0.255.255")->size(), 65536u);
}

// Bad ranges: reversed, mixed families, too large, not addresses.
TEST(AddressRangeTest, BadRanges) {
  for (const char* text :
       {"127.0.0.40-127.0.0.2", "127.0.0.1-::1", "10.0.0.0-10.1.0.0", "::1-::1:0:0",
        "fd00::-fd01::", "localhost-127.0.0.3", "", "-", "1.2.3.4-", "1.2.3.4-5"}) {
    absl::StatusOr<AddressRange> range = AddressRange::Parse(text);
    EXPECT_FALSE(range.ok()) << text;
    if (!range.ok()) {
      EXPECT_EQ(range.status().message().rfind("--source-addresses: ", 0), 0u) << text;
    }
  }
}

// The plan refuses a source range of another family than the server's address.
TEST(LoadPlanTest, SourceFamilyMustMatchTheServer) {
  absl::StatusOr<LoadOptions> options =
      ParseLoadOptions({"http://127.0.0.1:9/x", "--source-addresses", "::1-::2"});
  ASSERT_TRUE(options.ok());
  absl::StatusOr<LoadPlan> plan = MakePlan(*options);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("--source-addresses"), absl::string_view::npos);
}

// An unreadable --cacert is a usage error naming the option.
TEST(LoadPlanTest, UnreadableCaFile) {
  absl::StatusOr<LoadOptions> options =
      ParseLoadOptions({"https://127.0.0.1:9/x", "--cacert", "/nonexistent/ca.pem"});
  ASSERT_TRUE(options.ok());
  absl::StatusOr<LoadPlan> plan = MakePlan(*options);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().message().rfind("--cacert", 0), 0u);
}

}  // namespace
}  // namespace tollgate::gateway::load
