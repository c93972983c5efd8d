// The package-manager views on the real binary, beyond what the real clients exercise: the
// token checks that still apply to index files, credentials with different scopes kept apart,
// --public-url, hostile Host headers, revalidation, the reserved folder, damaged packages.
#include <string>

#include "archive_builder.h"
#include "boost/json/object.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "response_assertions.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;

std::string Wheel(std::string_view version) {
  return formats::testing::BuildArchive(formats::testing::ArchiveKind::kZip,
                                        {{Concat("acme_agent-", version, ".dist-info/METADATA"),
                                          "Name: acme-agent\nRequires-Python: >=3.8\n"}});
}

std::string WheelPath(std::string_view version) {
  return Concat("acme_agent-", version, "-py3-none-any.whl");
}

class ViewsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartWith({})); }

  void StartWith(std::vector<std::string> args) {
    args.insert(args.end(), {"--threads", "2"});
    ASSERT_TRUE(tollgate_.Start(args));
    tollgate_.CreateRepo("agents", "private");
    for (std::string_view version : {"1.0", "2.0", "3.0"}) {
      tollgate_.PlaceFile("agents", WheelPath(version), Wheel(version));
    }
    token_ = tollgate_.CreateTokenString("agents");
  }

  std::string Page(std::string_view token = {}) const {
    return Concat("/", token.empty() ? token_ : token, "/default/agents/-/pypi/simple/acme-agent/");
  }

  HttpResponse Get(std::string_view target, const Headers& headers = {}) const {
    return tollgate_.download().Get(target, headers);
  }

  TollgateProcess tollgate_;
  std::string token_;
};

// A view is an index file: no scope applies to it, but the token's state does.
TEST_F(ViewsTest, DisabledTokenIsRefusedTheView) {
  const json::object token = tollgate_.CreateToken("agents", json::object{{"name", "off"}});
  const std::string identifier = JsonString(token, "identifier");
  ASSERT_EQ(
      tollgate_
          .Admin("POST", Concat("/api/v1/entitlements/default/agents/", identifier, "/disable/"))
          .status,
      200);
  EXPECT_TRUE(IsDenial(Get(Page(JsonString(token, "token"))), 403, "token_disabled"));
  EXPECT_TRUE(IsDenial(Get("/basic/default/agents/-/pypi/simple/"), 401, "missing_credentials"));
  EXPECT_TRUE(IsDenial(Get(Page("wrong-token-0000")), 401, "invalid_credentials"));
}

// Two credentials on the same URL form with different scopes never see each other's view,
// although the view cache keeps documents by URL form.
TEST_F(ViewsTest, ScopesKeepViewsApart) {
  const std::string scoped = JsonString(
      tollgate_.CreateToken(
          "agents", json::object{{"name", "scoped"}, {"limit_package_query", "version:<2.0"}}),
      "token");
  const std::string page = "/basic/default/agents/-/pypi/simple/acme-agent/";
  for (int round = 0; round < 2; ++round) {  // the second round answers from the cache
    const HttpResponse all = Get(page, {{"Authorization", Concat("Bearer ", token_)}});
    ASSERT_EQ(all.status, 200);
    EXPECT_NE(all.body.find(WheelPath("3.0")), std::string::npos);
    const HttpResponse some = Get(page, {{"Authorization", Concat("Bearer ", scoped)}});
    ASSERT_EQ(some.status, 200);
    EXPECT_NE(some.body.find(WheelPath("1.0")), std::string::npos);
    EXPECT_EQ(some.body.find(WheelPath("2.0")), std::string::npos);
    EXPECT_EQ(some.body.find(WheelPath("3.0")), std::string::npos);
    EXPECT_NE(all.Header("ETag"), some.Header("ETag"));
  }
}

// A path query of "*" (files at the top only) is a scope, never the same cache entry as no
// path query at all.
TEST_F(ViewsTest, PathQueryStarIsNotNoQuery) {
  tollgate_.PlaceFile("agents", Concat("private/", WheelPath("9.9")), Wheel("9.9"));
  const std::string top_only =
      JsonString(tollgate_.CreateToken(
                     "agents", json::object{{"name", "top-only"}, {"limit_path_query", "*"}}),
                 "token");
  const std::string page = "/basic/default/agents/-/pypi/simple/acme-agent/";
  const HttpResponse all = Get(page, {{"Authorization", Concat("Bearer ", token_)}});
  ASSERT_EQ(all.status, 200);
  ASSERT_NE(all.body.find(WheelPath("9.9")), std::string::npos);
  const HttpResponse top = Get(page, {{"Authorization", Concat("Bearer ", top_only)}});
  ASSERT_EQ(top.status, 200);
  EXPECT_EQ(top.body.find(WheelPath("9.9")), std::string::npos) << top.body;
  EXPECT_NE(top.body.find(WheelPath("3.0")), std::string::npos);
}

TEST_F(ViewsTest, AnswersCarryCachingHeadersAndRevalidate) {
  const HttpResponse first = Get(Page());
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("Cache-Control"), "private, max-age=60");
  EXPECT_EQ(first.Header("Content-Type"), "text/html; charset=utf-8");
  ASSERT_FALSE(first.Header("ETag").empty());
  const HttpResponse again = Get(Page(), {{"If-None-Match", first.Header("ETag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

// The cache keeps each form the Accept header selects apart, and any header selecting the same
// form gets the same document: JSON after HTML, HTML after JSON, however Accept is spelled.
TEST_F(ViewsTest, EachAcceptedFormIsCachedApart) {
  constexpr std::string_view kJson = "application/vnd.pypi.simple.v1+json";
  for (int round = 0; round < 2; ++round) {
    const HttpResponse html = Get(Page(), {{"Accept", "text/html"}});
    const HttpResponse json = Get(Page(), {{"Accept", std::string(kJson)}});
    const HttpResponse json_spelled_otherwise =
        Get(Page(), {{"Accept", Concat("text/html;q=0.1, ", kJson, ";q=0.9")}});
    EXPECT_EQ(html.Header("Content-Type"), "text/html; charset=utf-8") << round;
    EXPECT_EQ(json.Header("Content-Type"), kJson) << round;
    EXPECT_EQ(json_spelled_otherwise.body, json.body) << round;
    EXPECT_NE(html.Header("ETag"), json.Header("ETag")) << round;
  }
}

// Without --public-url the links are built from Host, which must then be a plain host.
TEST_F(ViewsTest, HostileHostHeaderIsRefused) {
  for (std::string_view host : {"evil.example/\"><script>", "a b", "x@y"}) {
    EXPECT_TRUE(IsDenial(Get(Page(), {{"Host", std::string(host)}}), 400, "bad_request"));
  }
  const HttpResponse page = Get(Page(), {{"Host", "dl.example:8443"}});
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find(Concat("http://dl.example:8443/", token_, "/default/agents/")),
            std::string::npos)
      << page.body;
}

TEST_F(ViewsTest, UnknownViewsAndTheBareFolderAreNotFound) {
  EXPECT_TRUE(IsDenial(Get(Concat("/", token_, "/default/agents/-/nope/")), 404, "not_found"));
  EXPECT_TRUE(IsDenial(Get(Concat("/", token_, "/default/agents/-/")), 404, "not_found"));
  EXPECT_TRUE(IsDenial(Get(Concat("/", token_, "/default/agents/-/pypi/simple/nothing/")), 404,
                       "not_found"));
}

TEST_F(ViewsTest, UploadUnderTheReservedFolderIsRefused) {
  const HttpResponse upload = tollgate_.Admin(
      "PUT", "/api/v1/packages/default/agents/files/-/pypi/simple/index.html", "<html>");
  EXPECT_EQ(upload.status, 422) << upload.body;
  EXPECT_NE(upload.body.find("reserved"), std::string::npos);
}

// A file placed by hand in the views' own folder is never served, not even through a view that
// names repository files (apt's pool/, Maven's paths).
TEST_F(ViewsTest, TheReservedFolderIsNeverARepositoryFile) {
  tollgate_.PlaceFile("agents", "-/secret.txt", "not for anyone");
  for (std::string_view view_path :
       {"-/deb/pool/-/secret.txt", "-/maven/-/secret.txt", "-/secret.txt"}) {
    const HttpResponse response = Get(Concat("/", token_, "/default/agents/", view_path));
    EXPECT_TRUE(IsDenial(response, 404, "not_found")) << view_path << ": " << response.status;
  }
}

// A file its format cannot read is listed without what it would have told, and never breaks
// the view.
TEST_F(ViewsTest, DamagedWheelIsListedWithoutItsMetadata) {
  tollgate_.PlaceFile("agents", WheelPath("4.0"), "PK\x03\x04 not really a zip");
  const std::string scoped =
      JsonString(tollgate_.CreateToken("agents", json::object{{"name", "fresh"}}), "token");
  const HttpResponse page = Get(Page(scoped));
  ASSERT_EQ(page.status, 200);
  const size_t link = page.body.find(WheelPath("4.0") + "#sha256=");
  ASSERT_NE(link, std::string::npos) << page.body;
  EXPECT_EQ(page.body.substr(link, page.body.find('\n', link) - link).find("requires-python"),
            std::string::npos);
}

TEST(ViewsPublicUrlTest, LinksFollowThePublicUrlWithItsPath) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start({"--public-url", "https://vendor.example/dl/"}));
  tollgate.CreateRepo("agents", "private");
  tollgate.PlaceFile("agents", WheelPath("1.0"), Wheel("1.0"));
  const std::string token = tollgate.CreateTokenString("agents");
  const HttpResponse page =
      tollgate.download().Get("/basic/default/agents/-/pypi/simple/Acme.Agent/",
                              {{"Authorization", Concat("Bearer ", token)}});
  ASSERT_EQ(page.status, 301);
  EXPECT_EQ(page.Header("Location"),
            "https://vendor.example/dl/basic/default/agents/-/pypi/simple/acme-agent/");
}

TEST(ViewsPublicUrlTest, MalformedPublicUrlStopsTheServer) {
  for (std::string_view url :
       {"vendor.example", "ftp://vendor.example", "https://u:p@host/", "https://host/?q=1"}) {
    TollgateProcess tollgate;
    EXPECT_FALSE(tollgate.Start({"--public-url", std::string(url)})) << url;
  }
}

// Public repositories have their views on /public/, with no credentials.
TEST(ViewsPublicRepositoryTest, PublicViewNeedsNoCredentials) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start());
  tollgate.CreateRepo("oss", "public");
  tollgate.PlaceFile("oss", WheelPath("1.0"), Wheel("1.0"));
  const HttpResponse page = tollgate.download().Get("/public/default/oss/-/pypi/simple/");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("acme-agent/"), std::string::npos);
}

}  // namespace
}  // namespace tollgate::testing
