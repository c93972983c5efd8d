// Stopping and starting the real binary: usage still batched when SIGTERM comes is written
// before the process exits, and the upload temporaries a crash left behind are removed at
// start while everything else in the artifacts folder stays.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "boost/json/object.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "redis_server.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kPackage = "pool/agent_2.1.0_amd64.deb";

std::string DownloadUrl(const std::string& token, std::string_view path = kPackage) {
  return Concat("/", token, "/default/agents/", path);
}

// Downloads with a token without counted limits right before SIGTERM all show in its usage
// after a restart: the ledger writes its last batch on the way out.
TEST(RestartTest, UsageBatchedAtSigtermIsWritten) {
  RedisServer redis;
  TollgateProcess server;
  const std::vector<std::string> args = {"--redis", redis.url(), "--dedupe-window", "0"};
  ASSERT_TRUE(server.Start(args));
  server.CreateRepo("agents");
  server.PlaceFile("agents", kPackage, std::string(100, 'p'));
  const json::object token = server.CreateToken("agents", {{"name", "customer"}});
  constexpr int kDownloads = 20;
  {
    HttpConnection connection(server.download_port());
    HttpRequest request;
    request.target = DownloadUrl(JsonString(token, "token"));
    for (int i = 0; i < kDownloads; ++i) ASSERT_EQ(connection.Send(request).status, 200) << i;
  }
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_EQ(server.Log().find("usage_flush_failed"), std::string::npos) << server.Log();

  ASSERT_TRUE(server.Start(args));
  const HttpResponse usage = server.Admin(
      "GET",
      Concat("/api/v1/entitlements/default/agents/", JsonString(token, "identifier"), "/usage/"));
  ASSERT_EQ(usage.status, 200) << usage.body;
  const json::object body = ParseJson(usage.body).as_object();
  EXPECT_EQ(body.at("downloads").as_int64(), kDownloads);
  EXPECT_EQ(body.at("events").as_array().size(), static_cast<size_t>(kDownloads));
}

// At start, upload temporaries older than any live upload are removed; a fresh one (an
// upload under way on another instance sharing the folder) and files whose names only
// resemble a temporary's stay, and the artifact among them is still served.
TEST(RestartTest, LeftoverUploadTemporariesAreRemovedAtStart) {
  TollgateProcess server;
  const fs::path repo = server.RepoDir("agents");
  const fs::path stale = repo / "pool" / ".tollgate-upload-Ab3dE9";
  const fs::path fresh = repo / ".tollgate-upload-Zz9yY8";
  const fs::path lookalike_artifact = repo / "pool" / "tollgate-upload-Ab3dE9";
  const fs::path longer_name = repo / ".tollgate-upload-Ab3dE9.deb";
  for (const fs::path& file : {stale, fresh, lookalike_artifact, longer_name}) {
    WriteFile(file, "partial");
  }
  const auto an_hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const fs::path& file : {stale, lookalike_artifact, longer_name}) {
    fs::last_write_time(file, an_hour_ago);
  }

  ASSERT_TRUE(server.Start());
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(fresh));
  EXPECT_TRUE(fs::exists(lookalike_artifact));
  EXPECT_TRUE(fs::exists(longer_name));
  EXPECT_TRUE(server.WaitForLog("leftover_uploads_removed")) << server.Log();

  server.CreateRepo("agents");
  const std::string token = server.CreateTokenString("agents");
  const HttpResponse artifact =
      server.download().Get(DownloadUrl(token, "pool/tollgate-upload-Ab3dE9"));
  EXPECT_EQ(artifact.status, 200);
  EXPECT_EQ(artifact.body, "partial");
}

}  // namespace
}  // namespace tollgate::testing
