// Accounts end to end on both stores (issue #6): keys shown once, rotation and deletion that
// revoke at once, API keys on the download listener, user tokens, the org quota, sync,
// upload ownership and the audit log.
#include <chrono>
#include <string>
#include <thread>

#include "accounts_fixture.h"
#include "boost/json/serialize.hpp"
#include "response_assertions.h"
#include "tollgate/base/concat.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kPackage = "pool/agent_2.0_amd64.deb";
constexpr std::string_view kServicesUrl = "/api/v1/orgs/default/services/";
constexpr std::string_view kMembersUrl = "/api/v1/orgs/default/members/";
constexpr std::string_view kTokensUrl = "/api/v1/entitlements/default/agents/";

json::array Grant(std::string_view kind, std::string_view name, std::string_view privilege) {
  return json::array{json::object{{"kind", kind}, {"name", name}, {"privilege", privilege}}};
}

class AccountsBehaviourTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    tollgate_.CreateRepo("agents");
    tollgate_.PlaceFile("agents", kPackage, "package bytes\n");
  }
};

// A service's key is in the create response only: never in lists, reads, updates or the log.
TEST_P(AccountsBehaviourTest, ServiceKeyIsShownOnceAndNeverListed) {
  const TestAccount ci = CreateService("CI Pipeline");
  EXPECT_EQ(ci.name, "ci-pipeline");
  EXPECT_GE(ci.key.size(), 27u);  // 160 bits of base62
  for (const HttpResponse& response :
       {AsOwner("GET", kServicesUrl), AsOwner("GET", Concat(kServicesUrl, "ci-pipeline/")),
        AsOwner("PATCH", Concat(kServicesUrl, "ci-pipeline/"), R"({"description": "builds"})"),
        AsOwner("GET", "/api/v1/audit-log/default/")}) {
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.body.find(ci.key), std::string::npos);
    EXPECT_EQ(response.body.find("\"key\""), std::string::npos) << response.body;
  }
  EXPECT_EQ(tollgate_.Log().find(ci.key), std::string::npos);
}

// Refreshing a service key answers the new key once; the old one is refused at once.
TEST_P(AccountsBehaviourTest, RefreshKillsTheOldServiceKey) {
  const TestAccount ci = CreateService("ci");
  ASSERT_EQ(As(ci.key, "GET", "/api/v1/user/self").status, 200);
  const HttpResponse refreshed = AsOwner("POST", Concat(kServicesUrl, "ci/refresh/"));
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string new_key = JsonString(ParseJson(refreshed.body), "key");
  EXPECT_NE(new_key, ci.key);
  EXPECT_TRUE(IsApiError(As(ci.key, "GET", "/api/v1/user/self"), 401, "invalid_api_key"));
  const HttpResponse self = As(new_key, "GET", "/api/v1/user/self");
  ASSERT_EQ(self.status, 200);
  EXPECT_EQ(JsonString(ParseJson(self.body), "kind"), "service");
}

// A member refreshes their own key; the old one stops working.
TEST_P(AccountsBehaviourTest, MemberRefreshesOwnKey) {
  const TestAccount bob = AddMember("bob");
  const HttpResponse refreshed = As(bob.key, "POST", Concat(kMembersUrl, "bob/refresh/"));
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_TRUE(IsApiError(As(bob.key, "GET", "/api/v1/user/self"), 401, "invalid_api_key"));
  EXPECT_EQ(As(JsonString(ParseJson(refreshed.body), "key"), "GET", "/api/v1/user/self").status,
            200);
}

// Deleting a service revokes its key on the admin API and the download listener at once.
TEST_P(AccountsBehaviourTest, DeletingAServiceKillsItsKey) {
  const TestAccount ci = CreateService("ci");
  SetPrivileges("agents", Grant("service", "ci", "read"));
  ASSERT_EQ(DownloadWith(BasicAuthorization("ci", ci.key), "agents", kPackage).status, 200);
  ASSERT_EQ(AsOwner("DELETE", Concat(kServicesUrl, "ci/")).status, 204);
  EXPECT_TRUE(IsApiError(As(ci.key, "GET", "/api/v1/user/self"), 401, "invalid_api_key"));
  EXPECT_TRUE(IsDenial(DownloadWith(BasicAuthorization("ci", ci.key), "agents", kPackage), 401,
                       "invalid_credentials"));
}

// Basic name:APIKEY and Bearer APIKEY download with read; without read the answer names it.
TEST_P(AccountsBehaviourTest, ApiKeysDownloadWithReadOnly) {
  const TestAccount reader = AddMember("reader");
  const TestAccount outsider = AddMember("outsider");
  SetPrivileges("agents", Grant("user", "reader", "read"));
  const HttpResponse basic =
      DownloadWith(BasicAuthorization("reader", reader.key), "agents", kPackage);
  EXPECT_EQ(basic.status, 200);
  EXPECT_EQ(basic.body, "package bytes\n");
  EXPECT_EQ(DownloadWith(Concat("Bearer ", reader.key), "agents", kPackage).status, 200);
  EXPECT_TRUE(
      IsDenial(DownloadWith(BasicAuthorization("outsider", outsider.key), "agents", kPackage), 403,
               "insufficient_privilege"));
  // The key belongs to reader, so another name with it is a wrong credential.
  EXPECT_TRUE(IsDenial(DownloadWith(BasicAuthorization("outsider", reader.key), "agents", kPackage),
                       401, "invalid_credentials"));
  // Nor in the token-only header forms (a token as the Basic user, `Token …`, a bare token).
  for (const std::string& token_form :
       {BasicAuthorization(reader.key, ""), Concat("Token ", reader.key), reader.key}) {
    const HttpResponse refused = DownloadWith(token_form, "agents", kPackage);
    EXPECT_TRUE(refused.status == 401 || refused.status == 400) << token_form;
    EXPECT_NE(refused.status, 200);
  }
  // An API key is never accepted as the URL's first segment.
  EXPECT_TRUE(
      IsDenial(tollgate_.download().Get(Concat("/", reader.key, "/default/agents/", kPackage)), 401,
               "invalid_credentials"));
}

// Any account of the org may download from a public repository with its key.
TEST_P(AccountsBehaviourTest, ApiKeysReadPublicRepositoriesWithoutAGrant) {
  tollgate_.CreateRepo("open", "public");
  tollgate_.PlaceFile("open", kPackage, "open bytes\n");
  const TestAccount member = AddMember("member");
  EXPECT_EQ(DownloadWith(BasicAuthorization("member", member.key), "open", kPackage).status, 200);
  EXPECT_TRUE(IsDenial(DownloadWith(BasicAuthorization("member", "wrong-key"), "open", kPackage),
                       401, "invalid_credentials"));
}

// A team grant gives its members the privilege; leaving the team takes it away.
TEST_P(AccountsBehaviourTest, TeamGrantsFollowMembership) {
  const TestAccount dev = AddMember("dev");
  ASSERT_EQ(AsOwner("POST", "/api/v1/orgs/default/teams/", R"({"name": "Developers"})").status,
            201);
  ASSERT_EQ(AsOwner("PUT", "/api/v1/orgs/default/teams/developers/members/dev/").status, 200);
  SetPrivileges("agents", Grant("team", "developers", "write"));
  EXPECT_EQ(As(dev.key, "GET", kTokensUrl).status, 200);
  ASSERT_EQ(AsOwner("DELETE", "/api/v1/orgs/default/teams/developers/members/dev/").status, 204);
  EXPECT_TRUE(IsApiError(As(dev.key, "GET", kTokensUrl), 403, "insufficient_privilege"));
}

// A user token works while its user holds read; removing the member deletes it at once, so a
// later member of the same name never inherits it.
TEST_P(AccountsBehaviourTest, MemberRemovalKillsTheirUserTokens) {
  const TestAccount alice = AddMember("alice");
  SetPrivileges("agents", Grant("user", "alice", "read"));
  const HttpResponse me = As(alice.key, "GET", Concat(kTokensUrl, "me/"));
  ASSERT_EQ(me.status, 200) << me.body;
  const json::value token = ParseJson(me.body);
  EXPECT_EQ(JsonString(token, "user"), "alice");
  const std::string url = Concat("/", JsonString(token, "token"), "/default/agents/", kPackage);
  ASSERT_EQ(tollgate_.download().Get(url).status, 200);
  // The second call answers the same token rather than making another.
  EXPECT_EQ(JsonString(ParseJson(As(alice.key, "GET", Concat(kTokensUrl, "me/")).body), "token"),
            JsonString(token, "token"));

  ASSERT_EQ(AsOwner("DELETE", Concat(kMembersUrl, "alice/")).status, 204);
  EXPECT_TRUE(IsDenial(tollgate_.download().Get(url), 401, "invalid_credentials"));

  const TestAccount new_alice = AddMember("alice");
  SetPrivileges("agents", Grant("user", "alice", "read"));
  EXPECT_TRUE(IsDenial(tollgate_.download().Get(url), 401, "invalid_credentials"));
  EXPECT_NE(
      JsonString(ParseJson(As(new_alice.key, "GET", Concat(kTokensUrl, "me/")).body), "token"),
      JsonString(token, "token"));
}

// A write user may not replace a file placed by hand: it is nobody's upload.
TEST_P(AccountsBehaviourTest, WriteUserCannotOverwritePlacedFiles) {
  const TestAccount writer = AddMember("writer");
  SetPrivileges("agents", Grant("user", "writer", "write"));
  const HttpResponse response = tollgate_.admin().Request(
      "PUT", Concat("/api/v1/packages/default/agents/files/", kPackage, "?overwrite=true"),
      {{"X-Api-Key", writer.key}}, "replaced");
  EXPECT_TRUE(IsApiError(response, 403, "insufficient_privilege"));
  EXPECT_EQ(
      DownloadWith(BasicAuthorization("admin", tollgate_.admin_key()), "agents", kPackage).body,
      "package bytes\n");
}

// A new repository does not inherit the privileges of a deleted one of the same name.
TEST_P(AccountsBehaviourTest, RecreatedRepositoryStartsWithoutGrants) {
  AddMember("reader");
  tollgate_.CreateRepo("temp");
  SetPrivileges("temp", Grant("user", "reader", "read"));
  ASSERT_EQ(AsOwner("DELETE", "/api/v1/repos/default/temp/").status, 204);
  tollgate_.CreateRepo("temp");
  EXPECT_EQ(AsOwner("GET", "/api/v1/repos/default/temp/privileges/").body, "[]");
}

// Every member reads a public repository: their user token of it needs no grant.
TEST_P(AccountsBehaviourTest, UserTokensOfPublicRepositoriesNeedNoGrant) {
  tollgate_.CreateRepo("open", "public");
  tollgate_.PlaceFile("open", kPackage, "open bytes\n");
  const TestAccount member = AddMember("member");
  const HttpResponse me = As(member.key, "GET", "/api/v1/entitlements/default/open/me/");
  ASSERT_EQ(me.status, 200) << me.body;
  const HttpResponse download = tollgate_.download().Get(
      Concat("/", JsonString(ParseJson(me.body), "token"), "/default/open/", kPackage));
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body, "open bytes\n");
}

// A write user deletes its own uploads but not another account's; an admin deletes any.
TEST_P(AccountsBehaviourTest, WriteUserDeletesOnlyOwnUploads) {
  const TestAccount writer = AddMember("writer");
  SetPrivileges("agents", Grant("user", "writer", "write"));
  ASSERT_EQ(Upload(writer.key, "agents", "pool/own_1.0_all.deb", "mine").status, 201);
  ASSERT_EQ(Upload(tollgate_.admin_key(), "agents", "pool/theirs_1.0_all.deb", "theirs").status,
            201);
  const std::string files = "/api/v1/packages/default/agents/files/";
  EXPECT_EQ(As(writer.key, "DELETE", Concat(files, "pool/own_1.0_all.deb")).status, 204);
  EXPECT_TRUE(IsApiError(As(writer.key, "DELETE", Concat(files, "pool/theirs_1.0_all.deb")), 403,
                         "insufficient_privilege"));
  EXPECT_EQ(AsOwner("DELETE", Concat(files, "pool/theirs_1.0_all.deb")).status, 204);
}

// The last owner can be neither removed nor demoted.
TEST_P(AccountsBehaviourTest, LastOwnerStays) {
  EXPECT_EQ(AsOwner("DELETE", Concat(kMembersUrl, "admin/")).status, 409);
  EXPECT_EQ(AsOwner("PATCH", Concat(kMembersUrl, "admin/"), R"({"role": "member"})").status, 409);
  const TestAccount manager = AddMember("manager", "manager");
  EXPECT_TRUE(IsApiError(As(manager.key, "DELETE", Concat(kMembersUrl, "admin/")), 403,
                         "insufficient_privilege"));
}

// Every change is in the audit log with who, what and from where, newest first and paged;
// limit changes show their before and after.
TEST_P(AccountsBehaviourTest, AuditLogRecordsChanges) {
  const std::string identifier = JsonString(
      tollgate_.CreateToken("agents", {{"name", "c"}, {"limit_num_downloads", 5}}), "identifier");
  ASSERT_EQ(
      AsOwner("PATCH", Concat(kTokensUrl, identifier, "/"), R"({"limit_num_downloads": 9})").status,
      200);
  const HttpResponse log = AsOwner("GET", "/api/v1/audit-log/default/?page_size=2");
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_EQ(log.Header("X-Total-Count"), "3");  // repository, token, token update
  const json::array entries = ParseJson(log.body).as_array();
  ASSERT_EQ(entries.size(), 2u);
  const json::object& update = entries[0].as_object();
  EXPECT_EQ(update.at("action"), "entitlement.update");
  EXPECT_EQ(update.at("actor").at("name"), "admin");
  EXPECT_EQ(update.at("client_address"), "127.0.0.1");
  EXPECT_EQ(update.at("details").at("before").at("limit_num_downloads"), 5);
  EXPECT_EQ(update.at("details").at("after").at("limit_num_downloads"), 9);
  EXPECT_EQ(entries[1].at("action"), "entitlement.create");
  // No token string ever reaches the log.
  EXPECT_EQ(log.body.find("\"token\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(BothStores, AccountsBehaviourTest,
                         ::testing::Values(StoreKind::kEmbedded, StoreKind::kRedis), StoreName);

// Two instances on one Redis: a key rotated on one is refused by the other within a second.
TEST(AccountsAcrossInstancesTest, RotatedKeyDiesOnEveryInstance) {
  RedisServer redis;
  TollgateProcess first;
  TollgateProcess second;
  ASSERT_TRUE(first.Start({"--redis", redis.url()}));
  ASSERT_TRUE(second.Start({"--redis", redis.url()}));
  Headers owner{{"X-Api-Key", first.admin_key()}, {"Content-Type", "application/json"}};
  const HttpResponse created =
      first.admin().Request("POST", kServicesUrl, owner, R"({"name": "ci"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string key = JsonString(ParseJson(created.body), "key");
  const Headers as_ci{{"X-Api-Key", key}};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (second.admin().Get("/api/v1/user/self", as_ci).status != 200 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(second.admin().Get("/api/v1/user/self", as_ci).status, 200);

  const auto rotated_at = std::chrono::steady_clock::now();
  ASSERT_EQ(first.admin().Request("POST", Concat(kServicesUrl, "ci/refresh/"), owner).status, 200);
  while (second.admin().Get("/api/v1/user/self", as_ci).status != 401 &&
         std::chrono::steady_clock::now() < rotated_at + std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(IsApiError(second.admin().Get("/api/v1/user/self", as_ci), 401, "invalid_api_key"));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - rotated_at);
  // A figure for the record (SPEC §4.3 asks for under 1 s), not an assertion on timing.
  std::printf("old key refused by the second instance after %lld ms\n",
              static_cast<long long>(took.count()));
}

}  // namespace
}  // namespace tollgate::testing
