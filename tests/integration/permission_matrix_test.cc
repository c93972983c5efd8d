// The admin API's permission matrix (SPEC §3 "who" column) on both stores: every endpoint
// called by an owner, a manager, members holding admin/write/read on the repository, a
// member without a privilege, a service with write, an entitlement token and no key.
#include <array>
#include <filesystem>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "accounts_fixture.h"
#include "boost/json/serialize.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;

// The callers, in the order of every row's expected statuses.
enum Caller { kOwner, kManager, kRepoAdmin, kWriter, kReader, kNobody, kService, kToken, kNoKey };
constexpr int kCallers = 9;
constexpr std::array<std::string_view, kCallers> kCallerNames = {
    "owner",        "manager", "repo-admin", "writer", "reader",
    "no-privilege", "service", "token",      "no-key"};

// One endpoint: how to make a fresh target for one call (so that no call depends on what an
// earlier one changed), the body, and the status each caller must get.
struct Row {
  std::string name;
  std::string method;
  std::function<std::string(int call)> target;
  std::string body;
  std::array<int, kCallers> expected;
};

class PermissionMatrixTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    for (std::string_view repo : {"agents", "mirror"}) tollgate_.CreateRepo(repo);
    keys_[kOwner] = tollgate_.admin_key();
    keys_[kManager] = AddMember("manager", "manager").key;
    keys_[kRepoAdmin] = AddMember("repo-admin").key;
    keys_[kWriter] = AddMember("writer").key;
    keys_[kReader] = AddMember("reader").key;
    keys_[kNobody] = AddMember("nobody").key;
    keys_[kService] = CreateService("ci").key;
    for (std::string_view repo : {"agents", "mirror"}) SetPrivileges(repo, Grants());
    keys_[kToken] = tollgate_.CreateTokenString("agents");
    ASSERT_EQ(AsOwner("POST", "/api/v1/orgs/default/teams/", R"({"name": "ops"})").status, 201);
  }

  static json::array Grants() {
    json::array grants;
    for (auto [kind, name, privilege] :
         {std::tuple{"user", "repo-admin", "admin"}, std::tuple{"user", "writer", "write"},
          std::tuple{"user", "reader", "read"}, std::tuple{"service", "ci", "write"}}) {
      grants.push_back(json::object{{"kind", kind}, {"name", name}, {"privilege", privilege}});
    }
    return grants;
  }

  // A fresh name for call `call` of a row.
  static std::string Fresh(std::string_view prefix, int call) { return Concat(prefix, call); }

  std::string FreshToken(int call) const {
    return JsonString(tollgate_.CreateToken("agents", {{"name", Fresh("t", call)}}), "identifier");
  }

  // A new member for one call; names never repeat within a test.
  std::string FreshMember(int /*call*/) { return AddMember(Fresh("m", ++members_made_)).name; }

  void Check(const Row& row) {
    for (int caller = 0; caller < kCallers; ++caller) {
      const std::string target = row.target(caller);
      const HttpResponse response = As(keys_[caller], row.method, target, row.body);
      EXPECT_EQ(response.status, row.expected[caller])
          << row.name << " as " << kCallerNames[caller] << ": " << row.method << " " << target
          << " → " << response.body;
    }
  }

  std::array<std::string, kCallers> keys_;
  int members_made_ = 0;
};

auto Fixed(std::string target) {
  return [target = std::move(target)](int) { return target; };
}

constexpr int k401 = 401;

// Org-level endpoints: the org itself, members, teams, services, the audit log.
TEST_P(PermissionMatrixTest, OrgEndpoints) {
  const std::string org = "/api/v1/orgs/default/";
  const std::vector<Row> rows = {
      {"self",
       "GET",
       Fixed("/api/v1/user/self"),
       "",
       {200, 200, 200, 200, 200, 200, 200, k401, k401}},
      {"org get", "GET", Fixed(org), "", {200, 200, 200, 200, 200, 200, 200, k401, k401}},
      {"org patch",
       "PATCH",
       Fixed(org),
       R"({"max_active_entitlements": null})",
       {200, 403, 403, 403, 403, 403, 403, k401, k401}},
      {"members list",
       "GET",
       Fixed(org + "members/"),
       "",
       {200, 200, 200, 200, 200, 200, 200, k401, k401}},
      {"member patch",
       "PATCH",
       [&](int c) { return Concat(org, "members/", FreshMember(c), "/"); },
       R"({"role": "manager"})",
       {200, 200, 403, 403, 403, 403, 403, k401, k401}},
      {"member delete",
       "DELETE",
       [&](int c) { return Concat(org, "members/", FreshMember(c), "/"); },
       "",
       {204, 204, 403, 403, 403, 403, 403, k401, k401}},
      {"member refresh",
       "POST",
       [&](int c) { return Concat(org, "members/", FreshMember(c), "/refresh/"); },
       "",
       {200, 200, 403, 403, 403, 403, 403, k401, k401}},
      {"teams list",
       "GET",
       Fixed(org + "teams/"),
       "",
       {200, 200, 403, 403, 403, 403, 403, k401, k401}},
      {"team member put",
       "PUT",
       Fixed(org + "teams/ops/members/reader/"),
       "",
       {200, 200, 403, 403, 403, 403, 403, k401, k401}},
      {"services list",
       "GET",
       Fixed(org + "services/"),
       "",
       {200, 200, 403, 403, 403, 403, 403, k401, k401}},
      {"service get",
       "GET",
       Fixed(org + "services/ci/"),
       "",
       {200, 200, 403, 403, 403, 403, 403, k401, k401}},
      {"service patch",
       "PATCH",
       Fixed(org + "services/ci/"),
       R"({"description": "x"})",
       {200, 200, 403, 403, 403, 403, 403, k401, k401}},
      {"audit log",
       "GET",
       Fixed("/api/v1/audit-log/default/"),
       "",
       {200, 200, 403, 403, 403, 403, 403, k401, k401}},
  };
  for (const Row& row : rows) Check(row);
  // Creations: a fresh name per call, so an allowed call never collides with an earlier one.
  const std::array<int, kCallers> create = {201, 201, 403, 403, 403, 403, 403, k401, k401};
  for (int caller = 0; caller < kCallers; ++caller) {
    for (auto [path, body] :
         {std::pair{"members/", Concat(R"({"name": ")", Fresh("new", caller), R"("})")},
          std::pair{"teams/", Concat(R"({"name": ")", Fresh("team", caller), R"("})")},
          std::pair{"services/", Concat(R"({"name": ")", Fresh("svc", caller), R"("})")}}) {
      const HttpResponse response = As(keys_[caller], "POST", Concat(org, path), body);
      EXPECT_EQ(response.status, create[caller])
          << "POST " << path << " as " << kCallerNames[caller] << " → " << response.body;
    }
  }
  // Rotation and deletion of services, each on a service made for the call.
  for (int caller = 0; caller < kCallers; ++caller) {
    for (std::string_view method : {"POST", "DELETE"}) {
      const std::string slug = CreateService(Concat("rot", method, caller)).name;
      const std::string target =
          Concat(org, "services/", slug, method == "POST" ? "/refresh/" : "/");
      const int allowed = method == "POST" ? 200 : 204;
      const int expected = caller <= kManager ? allowed : caller >= kToken ? k401 : 403;
      EXPECT_EQ(As(keys_[caller], method, target).status, expected)
          << method << " " << target << " as " << kCallerNames[caller];
    }
  }
}

// Repository endpoints: the repositories, their privilege lists and signing keys.
TEST_P(PermissionMatrixTest, RepositoryEndpoints) {
  const std::string repos = "/api/v1/repos/default/";
  const std::vector<Row> rows = {
      {"repos list", "GET", Fixed(repos), "", {200, 200, 200, 200, 200, 200, 200, k401, k401}},
      {"repo get",
       "GET",
       Fixed(repos + "agents/"),
       "",
       {200, 200, 200, 200, 200, 403, 200, k401, k401}},
      {"repo patch",
       "PATCH",
       Fixed(repos + "agents/"),
       R"({"name": "Agents"})",
       {200, 200, 200, 403, 403, 403, 403, k401, k401}},
      {"repo delete",
       "DELETE",
       [&](int c) {
         const std::string slug = Fresh("gone", c);
         tollgate_.CreateRepo(slug);
         return Concat(repos, slug, "/");
       },
       "",
       {204, 204, 403, 403, 403, 403, 403, k401, k401}},
      {"privileges get",
       "GET",
       Fixed(repos + "agents/privileges/"),
       "",
       {200, 200, 200, 403, 403, 403, 403, k401, k401}},
      {"privileges put",
       "PUT",
       Fixed(repos + "agents/privileges/"),
       json::serialize(Grants()),
       {200, 200, 200, 403, 403, 403, 403, k401, k401}},
      {"signing key get",
       "GET",
       Fixed(repos + "agents/signing-key/"),
       "",
       {200, 200, 200, 200, 200, 403, 200, k401, k401}},
      {"signing key put",
       "PUT",
       Fixed(repos + "agents/signing-key/"),
       json::serialize(json::object{
           {"secret_key",
            ReadFile(std::filesystem::path(TOLLGATE_TESTDATA) / "openpgp" / "rsa_secret.asc")}}),
       {200, 200, 200, 403, 403, 403, 403, k401, k401}},
  };
  for (const Row& row : rows) Check(row);
  const std::array<int, kCallers> create = {201, 201, 403, 403, 403, 403, 403, k401, k401};
  for (int caller = 0; caller < kCallers; ++caller) {
    const std::string body =
        Concat(R"({"slug": ")", Fresh("new", caller), R"(", "repository_type": "private"})");
    EXPECT_EQ(As(keys_[caller], "POST", repos, body).status, create[caller])
        << "repo create as " << kCallerNames[caller];
  }
}

// Entitlement token endpoints: write for everything but the caller's own user token (read).
TEST_P(PermissionMatrixTest, EntitlementEndpoints) {
  const std::string tokens = "/api/v1/entitlements/default/agents/";
  const std::array<int, kCallers> write_ok = {200, 200, 200, 200, 403, 403, 200, k401, k401};
  const auto on_fresh = [&](std::string_view suffix) {
    return [this, &tokens, suffix = std::string(suffix)](int c) {
      return Concat(tokens, FreshToken(c), "/", suffix);
    };
  };
  std::vector<Row> rows = {
      {"list", "GET", Fixed(tokens), "", write_ok},
      {"create",
       "POST",
       Fixed(tokens),
       R"({"name": "matrix"})",
       {201, 201, 201, 201, 403, 403, 201, k401, k401}},
      {"get", "GET", on_fresh(""), "", write_ok},
      {"patch", "PATCH", on_fresh(""), R"({"limit_num_downloads": 3})", write_ok},
      {"delete", "DELETE", on_fresh(""), "", {204, 204, 204, 204, 403, 403, 204, k401, k401}},
      {"usage", "GET", on_fresh("usage/"), "", write_ok},
      {"sync", "POST", Fixed("/api/v1/entitlements/default/mirror/sync/"),
       R"({"source": "agents"})", write_ok},
      {"me", "GET", Fixed(tokens + "me/"), "", {200, 200, 200, 200, 200, 403, 403, k401, k401}},
  };
  for (std::string_view action : {"enable", "disable", "refresh", "reset"}) {
    rows.push_back(
        {Concat("action ", action), "POST", on_fresh(Concat(action, "/")), "", write_ok});
  }
  for (const Row& row : rows) Check(row);
}

// Package endpoints: read lists, write uploads, deleting another's upload needs admin.
TEST_P(PermissionMatrixTest, PackageEndpoints) {
  const std::string packages = "/api/v1/packages/default/agents/";
  Check({"list", "GET", Fixed(packages), "", {200, 200, 200, 200, 200, 403, 200, k401, k401}});
  for (int caller = 0; caller < kCallers; ++caller) {
    const std::string path = Concat("files/pool/up", caller, "_1.0_all.deb");
    const HttpResponse uploaded = As(keys_[caller], "PUT", Concat(packages, path), "bytes");
    const std::array<int, kCallers> upload = {201, 201, 201, 201, 403, 403, 201, k401, k401};
    EXPECT_EQ(uploaded.status, upload[caller]) << "upload as " << kCallerNames[caller];

    const std::string theirs = Concat("files/pool/owner", caller, "_1.0_all.deb");
    ASSERT_EQ(Upload(tollgate_.admin_key(), "agents", theirs.substr(6), "x").status, 201);
    const std::array<int, kCallers> delete_theirs = {204, 204, 204, 403, 403, 403, 403, k401, k401};
    EXPECT_EQ(As(keys_[caller], "DELETE", Concat(packages, theirs)).status, delete_theirs[caller])
        << "delete another's upload as " << kCallerNames[caller];
  }
}

INSTANTIATE_TEST_SUITE_P(BothStores, PermissionMatrixTest,
                         ::testing::Values(StoreKind::kEmbedded, StoreKind::kRedis), StoreName);

}  // namespace
}  // namespace tollgate::testing
