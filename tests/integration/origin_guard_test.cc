// Who may point a repository at what (SPEC's origins rules) on the real binary: origin
// addresses refused without --origin-allow, in every spelling, at the API and again at
// download time; storage changes only by owners and managers; origin secrets never replayed
// to another origin.
#include <string>
#include <vector>

#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "response_assertions.h"
#include "scripted_origin.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kDeb = "pool/agent_2.0_amd64.deb";

// An origin that answers every request with "ok".
void AnswerOk(int fd, int) {
  while (!ScriptedOrigin::ReadRequestHeader(fd).empty()) {
    ScriptedOrigin::WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  }
}

class OriginGuardTest : public ::testing::Test {
 protected:
  HttpResponse CreateRepo(std::string_view slug, const json::object& storage,
                          std::string_view key = {}) const {
    const json::object request{
        {"slug", slug}, {"repository_type", "private"}, {"storage", storage}};
    return AdminAs(key, "POST", "/api/v1/repos/default/", json::serialize(request));
  }

  HttpResponse PatchStorage(std::string_view slug, const json::object& storage,
                            std::string_view key = {}) const {
    return AdminAs(key, "PATCH", Concat("/api/v1/repos/default/", slug, "/"),
                   json::serialize(json::object{{"storage", storage}}));
  }

  // An admin request with `key`, or with the bootstrap owner's key when it is empty.
  HttpResponse AdminAs(std::string_view key, std::string_view method, std::string_view target,
                       std::string_view body = {}) const {
    const std::string used = key.empty() ? tollgate_.admin_key() : std::string(key);
    return tollgate_.admin().Request(
        method, target, {{"X-Api-Key", used}, {"Content-Type", "application/json"}}, body);
  }

  static json::object Http(std::string url) {
    return json::object{{"type", "http"}, {"url", std::move(url)}};
  }

  ScriptedOrigin origin_{AnswerOk};
  TollgateProcess tollgate_;
};

// Without --origin-allow, the host itself and its metadata service are refused in every
// spelling — literals, glibc's decimal/hex/octal forms, IPv4-mapped IPv6, names — on create
// and on change, and nothing is created.
TEST_F(OriginGuardTest, SpecialAddressesAreRefusedAtTheApi) {
  ASSERT_TRUE(tollgate_.Start());
  const std::string port = std::to_string(origin_.port());
  for (const std::string& url :
       {Concat("http://127.0.0.1:", port, "/"), std::string("http://169.254.169.254/latest/"),
        Concat("http://2130706433:", port, "/"), Concat("http://0x7f.1:", port, "/"),
        Concat("http://017700000001:", port, "/"), Concat("http://[::ffff:127.0.0.1]:", port, "/"),
        Concat("http://[::ffff:a9fe:a9fe]/"), Concat("http://localhost:", port, "/"),
        std::string("http://[::1]/"), std::string("http://0.0.0.0/"),
        std::string("http://[fe80::1]/"), std::string("http://224.0.0.1/")}) {
    const HttpResponse created = CreateRepo("probe", Http(url));
    EXPECT_TRUE(IsApiError(created, 422, "origin_not_allowed")) << url;
    EXPECT_NE(created.body.find("--origin-allow"), std::string::npos) << created.body;
  }
  EXPECT_EQ(tollgate_.Admin("GET", "/api/v1/repos/default/probe/").status, 404);
  tollgate_.CreateRepo("files");
  EXPECT_TRUE(IsApiError(PatchStorage("files", Http("http://169.254.169.254/")), 422,
                         "origin_not_allowed"));
  EXPECT_EQ(origin_.connections(), 0);
}

// --origin-allow lets its range through and nothing else: loopback allowed, the metadata
// service still refused.
TEST_F(OriginGuardTest, AllowedRangeIsAccepted) {
  ASSERT_TRUE(tollgate_.Start({"--origin-allow", "127.0.0.0/8"}));
  EXPECT_EQ(CreateRepo("mirror", Http(origin_.url())).status, 201);
  EXPECT_TRUE(
      IsApiError(CreateRepo("meta", Http("http://169.254.169.254/")), 422, "origin_not_allowed"));
  const std::string token = tollgate_.CreateTokenString("mirror");
  EXPECT_EQ(tollgate_.download().Get(Concat("/", token, "/default/mirror/", kDeb)).body, "ok");
}

// The rule is applied again at download time, after each lookup: a repository stored while
// loopback was allowed answers 502 once the server runs without --origin-allow, and the
// origin is never contacted.
TEST_F(OriginGuardTest, StoredOriginIsCheckedAgainAtDownload) {
  ASSERT_TRUE(tollgate_.Start({"--origin-allow", "127.0.0.0/8"}));
  ASSERT_EQ(CreateRepo("mirror", Http(origin_.url())).status, 201);
  const std::string token = tollgate_.CreateTokenString("mirror");
  tollgate_.Stop();
  ASSERT_TRUE(tollgate_.Start());
  const HttpResponse refused =
      tollgate_.download().Get(Concat("/", token, "/default/mirror/", kDeb));
  EXPECT_TRUE(IsDenial(refused, 502, "upstream_unavailable"));
  EXPECT_EQ(origin_.connections(), 0);
  EXPECT_TRUE(tollgate_.WaitForLog("--origin-allow"));
}

// An origin's redirect is never followed (it could name any host, the metadata service
// included): the download is 502 and only the origin itself was contacted.
TEST_F(OriginGuardTest, OriginRedirectIsNotFollowed) {
  ASSERT_TRUE(tollgate_.Start({"--origin-allow", "127.0.0.0/8"}));
  ScriptedOrigin redirecting([](int fd, int) {
    while (!ScriptedOrigin::ReadRequestHeader(fd).empty()) {
      ScriptedOrigin::WriteAll(fd,
                               "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/\r\n"
                               "Content-Length: 0\r\n\r\n");
    }
  });
  ASSERT_EQ(CreateRepo("moved", Http(redirecting.url())).status, 201);
  const std::string token = tollgate_.CreateTokenString("moved");
  const HttpResponse response =
      tollgate_.download().Get(Concat("/", token, "/default/moved/", kDeb));
  EXPECT_TRUE(IsDenial(response, 502, "upstream_unavailable"));
  EXPECT_FALSE(response.HasHeader("Location"));
  EXPECT_EQ(redirecting.connections(), 1);
}

// Changing storage takes an owner or manager of the org: a member with admin on the
// repository may rename it, but not point it elsewhere.
TEST_F(OriginGuardTest, StorageChangeNeedsOwnerOrManager) {
  ASSERT_TRUE(tollgate_.Start());
  tollgate_.CreateRepo("agents");
  const HttpResponse added =
      tollgate_.Admin("POST", "/api/v1/orgs/default/members/",
                      json::serialize(json::object{{"name", "alice"}, {"role", "member"}}));
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string alice = JsonString(ParseJson(added.body), "key");
  const json::array grants{
      json::object{{"kind", "user"}, {"name", "alice"}, {"privilege", "admin"}}};
  ASSERT_EQ(
      tollgate_.Admin("PUT", "/api/v1/repos/default/agents/privileges/", json::serialize(grants))
          .status,
      200);

  const HttpResponse moved = PatchStorage("agents", Http("http://origin.example/"), alice);
  EXPECT_TRUE(IsApiError(moved, 403, "insufficient_privilege"));
  EXPECT_NE(moved.body.find("owner or manager of default"), std::string::npos) << moved.body;
  EXPECT_TRUE(IsApiError(PatchStorage("agents", json::object{{"type", "fs"}}, alice), 403,
                         "insufficient_privilege"));
  EXPECT_EQ(
      AdminAs(alice, "PATCH", "/api/v1/repos/default/agents/", R"({"name": "Agents"})").status,
      200);
  const json::value shown = ParseJson(tollgate_.Admin("GET", "/api/v1/repos/default/agents/").body);
  EXPECT_EQ(shown.at("storage").at("type").as_string(), "fs");
}

// A stored secret is not replayed when the URL's path prefix changes (another bucket or
// folder on the same host), nor dropped silently when the update leaves it out.
TEST_F(OriginGuardTest, SecretIsNotReplayedToAnotherPathPrefix) {
  ASSERT_TRUE(tollgate_.Start({"--origin-allow", "127.0.0.0/8"}));
  json::object storage = Http(Concat(origin_.url(), "bucket-a/"));
  storage["auth"] = json::object{{"bearer", "bucket-a-secret"}};
  ASSERT_EQ(CreateRepo("mirror", storage).status, 201);

  json::object redacted = Http(Concat(origin_.url(), "bucket-b/"));
  redacted["auth"] = json::object{{"bearer", "********"}};
  const HttpResponse replayed = PatchStorage("mirror", redacted);
  EXPECT_TRUE(IsApiError(replayed, 422, "invalid_field"));
  EXPECT_NE(replayed.body.find("storage.auth.bearer"), std::string::npos) << replayed.body;

  const HttpResponse omitted = PatchStorage("mirror", Http(Concat(origin_.url(), "bucket-b/")));
  EXPECT_TRUE(IsApiError(omitted, 422, "invalid_field"));
  EXPECT_NE(omitted.body.find("storage.auth"), std::string::npos) << omitted.body;

  json::object dropped = Http(Concat(origin_.url(), "bucket-b/"));
  dropped["auth"] = nullptr;
  EXPECT_EQ(PatchStorage("mirror", dropped).status, 200);
}

}  // namespace
}  // namespace tollgate::testing
