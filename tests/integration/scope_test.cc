// Package and path scopes of entitlement tokens on the real binary (SPEC §4.1, §5): what a
// scoped token may download, that index files stay readable, and how the API reports
// identities and refuses queries that do not parse.
#include <chrono>
#include <string>

#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "gtest/gtest.h"
#include "response_assertions.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;

class ScopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tollgate_.Start());
    tollgate_.CreateRepo("debian");
    for (const char* path : {"pool/main/a/agent_2.1.0_amd64.deb",
                             "pool/main/a/agent_1.9.0_amd64.deb", "pool/main/o/other_3.0_amd64.deb",
                             "dists/stable/Release", "dists/stable/main/binary-amd64/Packages",
                             "releases/tool-1.0.tar.gz", "nested/releases/tool-1.0.tar.gz"}) {
      tollgate_.PlaceFile("debian", path, Concat("bytes of ", path, "\n"));
    }
  }

  std::string Token(json::object fields) {
    fields["name"] = "scoped";
    return JsonString(tollgate_.CreateToken("debian", std::move(fields)), "token");
  }

  HttpResponse Get(const std::string& token, std::string_view path) const {
    return tollgate_.download().Get(Concat("/", token, "/default/debian/", path));
  }

  TollgateProcess tollgate_;
};

// The issue's example: `name:agent AND version:>=2.0` admits agent 2.1.0 only, and the
// apt index stays readable.
TEST_F(ScopeTest, PackageScopeAdmitsOnlyMatchingPackages) {
  const std::string token = Token({{"limit_package_query", "name:agent AND version:>=2.0"}});
  const HttpResponse inside = Get(token, "pool/main/a/agent_2.1.0_amd64.deb");
  EXPECT_EQ(inside.status, 200);
  EXPECT_EQ(inside.body, "bytes of pool/main/a/agent_2.1.0_amd64.deb\n");
  EXPECT_TRUE(
      IsDenial(Get(token, "pool/main/a/agent_1.9.0_amd64.deb"), 403, "package_not_allowed"));
  EXPECT_TRUE(IsDenial(Get(token, "pool/main/o/other_3.0_amd64.deb"), 403, "package_not_allowed"));
  EXPECT_EQ(Get(token, "dists/stable/Release").status, 200);
  EXPECT_EQ(Get(token, "dists/stable/main/binary-amd64/Packages").status, 200);
}

// A path scope is anchored at the repository root: `releases/**` is not `nested/releases/`.
// The query that once took a worker for 20 s ("**/" 22 times, then "z") against a file 14
// folders deep is refused within 100 ms: matching is linear, whatever the query.
TEST_F(ScopeTest, AdversarialPathScopeAnswersAtOnce) {
  std::string query;
  for (int i = 0; i < 22; ++i) query += "**/";
  query += "z";
  std::string path;
  for (int i = 0; i < 14; ++i) path += "a/";
  path += "tool-1.0.tar.gz";
  tollgate_.PlaceFile("debian", path, "deep\n");
  const std::string token = Token({{"limit_path_query", query}});
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(IsDenial(Get(token, path), 403, "path_not_allowed"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100));
}

TEST_F(ScopeTest, PathScopeIsAnchored) {
  const std::string token = Token({{"limit_path_query", "releases/**"}});
  EXPECT_EQ(Get(token, "releases/tool-1.0.tar.gz").status, 200);
  EXPECT_TRUE(IsDenial(Get(token, "nested/releases/tool-1.0.tar.gz"), 403, "path_not_allowed"));
  EXPECT_EQ(Get(token, "dists/stable/Release").status, 200);
}

// Files that merely look like metadata by name are not exempt from a path scope: a
// dot-free file at the root, and a non-metadata file inside a repodata/ folder.
TEST_F(ScopeTest, LookalikeIndexFilesStayInScope) {
  tollgate_.PlaceFile("debian", "internal-tool", "secret\n");
  tollgate_.PlaceFile("debian", "internal/repodata/secret.tar.gz", "secret\n");
  tollgate_.PlaceFile("debian", "el9/repodata/repomd.xml", "<repomd/>\n");
  const std::string token = Token({{"limit_path_query", "releases/**"}});
  EXPECT_TRUE(IsDenial(Get(token, "internal-tool"), 403, "path_not_allowed"));
  EXPECT_TRUE(IsDenial(Get(token, "internal/repodata/secret.tar.gz"), 403, "path_not_allowed"));
  EXPECT_EQ(Get(token, "el9/repodata/repomd.xml").status, 200);
}

// A missing artifact is 404 for a scoped token even when it would be outside the scope.
TEST_F(ScopeTest, MissingArtifactIsNotFoundBeforeScope) {
  const std::string token = Token({{"limit_package_query", "name:agent"}});
  EXPECT_TRUE(IsDenial(Get(token, "pool/main/z/zzz_1.0_amd64.deb"), 404, "not_found"));
}

// Date checks come before the scope: an expired scoped token says token_expired.
TEST_F(ScopeTest, ExpiryComesBeforeScope) {
  const std::string token = Token(
      {{"limit_package_query", "name:agent"}, {"limit_date_range_to", "2020-01-01T00:00:00Z"}});
  EXPECT_TRUE(IsDenial(Get(token, "pool/main/o/other_3.0_amd64.deb"), 403, "token_expired"));
}

// Changing a token's scope takes effect on the next request.
TEST_F(ScopeTest, PatchedScopeAppliesAtOnce) {
  const json::object created =
      tollgate_.CreateToken("debian", {{"name", "s"}, {"limit_package_query", "name:other"}});
  const std::string token = JsonString(created, "token");
  EXPECT_EQ(Get(token, "pool/main/a/agent_2.1.0_amd64.deb").status, 403);
  const HttpResponse patched = tollgate_.Admin(
      "PATCH",
      Concat("/api/v1/entitlements/default/debian/", JsonString(created, "identifier"), "/"),
      R"({"limit_package_query": "name:agent"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Get(token, "pool/main/a/agent_2.1.0_amd64.deb").status, 200);
}

// A query that does not parse is refused with 422 naming the field and the position.
TEST_F(ScopeTest, UnparsableQueryIs422WithPosition) {
  const HttpResponse response =
      tollgate_.Admin("POST", "/api/v1/entitlements/default/debian/",
                      R"({"name": "bad", "limit_package_query": "name:agent AND (version:>=2"})");
  ASSERT_TRUE(IsApiError(response, 422, "invalid_field"));
  EXPECT_EQ(JsonString(ParseJson(response.body), "detail"),
            "limit_package_query: position 16: unclosed '('");
}

// The package list reports each file's format, name and version from its path.
TEST_F(ScopeTest, PackageListReportsIdentity) {
  const HttpResponse response = tollgate_.Admin("GET", "/api/v1/packages/default/debian/");
  ASSERT_EQ(response.status, 200) << response.body;
  bool saw_agent = false;
  bool saw_release = false;
  const json::value packages = ParseJson(response.body);
  for (const json::value& item : packages.as_array()) {
    const json::object& package = item.as_object();
    if (package.at("path") == "pool/main/a/agent_2.1.0_amd64.deb") {
      saw_agent = true;
      EXPECT_EQ(package.at("format"), "deb") << json::serialize(package);
      EXPECT_EQ(package.at("name"), "agent");
      EXPECT_EQ(package.at("version"), "2.1.0");
    }
    if (package.at("path") == "dists/stable/Release") {
      saw_release = true;
      EXPECT_TRUE(package.at("format").is_null()) << json::serialize(package);
    }
  }
  EXPECT_TRUE(saw_agent);
  EXPECT_TRUE(saw_release);
}

}  // namespace
}  // namespace tollgate::testing
