// The web console on the real admin listener: index.html and the embedded assets with their
// content types, caching and security headers; HEAD, 304, 405, unknown assets, and paths under
// /ui/ that try to reach the API or the file system.
#include <regex>
#include <string>

#include "gtest/gtest.h"
#include "http_client.h"
#include "response_assertions.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

constexpr std::string_view kConsolePolicy =
    "default-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'";

::testing::AssertionResult HasConsoleHeaders(const HttpResponse& response) {
  const std::pair<std::string_view, std::string_view> expected[] = {
      {"Content-Security-Policy", kConsolePolicy},
      {"X-Frame-Options", "DENY"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"}};
  for (const auto& [name, value] : expected) {
    if (response.Header(name) != value) {
      return ::testing::AssertionFailure()
             << name << " is '" << response.Header(name) << "', wanted '" << value << "'";
    }
  }
  return ::testing::AssertionSuccess();
}

// The hashed asset that index.html loads with `attribute="/ui/…"` ending in `extension`.
std::string AssetNamedIn(const std::string& index, std::string_view extension) {
  const std::regex pattern(Concat("=\"(/ui/[A-Za-z0-9_-]+\\", extension, ")\""));
  std::smatch match;
  return std::regex_search(index, match, pattern) ? match[1].str() : "";
}

class AdminConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(tollgate_.Start({"--threads", "2"})); }

  HttpResponse Get(std::string_view target, Headers headers = {}) const {
    return tollgate_.admin().Get(target, headers);
  }

  TollgateProcess tollgate_;
};

// GET / answers the console's index.html, revalidated on every load, with the strict CSP.
TEST_F(AdminConsoleTest, IndexIsServedWithSecurityHeaders) {
  const HttpResponse response = Get("/");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(response.Header("Cache-Control"), "no-cache");
  EXPECT_FALSE(response.Header("ETag").empty());
  EXPECT_TRUE(HasConsoleHeaders(response));
  EXPECT_NE(response.body.find("<script type=\"module\" src=\"/ui/"), std::string::npos);
}

// The script and stylesheet named by index.html are served with their types, immutable.
TEST_F(AdminConsoleTest, AssetsHaveTheirContentTypes) {
  const std::string index = Get("/").body;
  const std::pair<std::string_view, std::string_view> assets[] = {
      {".js", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"}};
  for (const auto& [extension, type] : assets) {
    const std::string target = AssetNamedIn(index, extension);
    ASSERT_FALSE(target.empty()) << "no " << extension << " in " << index;
    const HttpResponse response = Get(target);
    ASSERT_EQ(response.status, 200) << target;
    EXPECT_EQ(response.Header("Content-Type"), type) << target;
    EXPECT_EQ(response.Header("Cache-Control"), "public, max-age=31536000, immutable") << target;
    EXPECT_FALSE(response.body.empty()) << target;
    EXPECT_TRUE(HasConsoleHeaders(response)) << target;
  }
}

// An unknown asset is the API's JSON 404, still under the console's headers.
TEST_F(AdminConsoleTest, UnknownAssetIsNotFound) {
  for (std::string_view target : {"/ui/missing.js", "/ui/", "/ui", "/ui/index.html/x"}) {
    const HttpResponse response = Get(target);
    EXPECT_TRUE(IsApiError(response, 404, "not_found")) << target;
    EXPECT_TRUE(HasConsoleHeaders(response)) << target;
  }
}

// HEAD answers GET's headers and length without a body.
TEST_F(AdminConsoleTest, HeadAnswersWithoutBody) {
  const HttpResponse get = Get("/");
  const HttpResponse head = tollgate_.admin().Request("HEAD", "/");
  ASSERT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.Header("ETag"), get.Header("ETag"));
  EXPECT_TRUE(HasConsoleHeaders(head));
}

// A request carrying the current ETag is answered 304 without a body.
TEST_F(AdminConsoleTest, MatchingEtagAnswersNotModified) {
  const std::string etag = Get("/").Header("ETag");
  const HttpResponse response = Get("/", {{"If-None-Match", etag}});
  EXPECT_EQ(response.status, 304);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(response.Header("ETag"), etag);
  EXPECT_EQ(Get("/", {{"If-None-Match", "\"stale\""}}).status, 200);
}

// The console only reads: other methods are 405 with Allow.
TEST_F(AdminConsoleTest, OtherMethodsAreRefused) {
  const HttpResponse response = tollgate_.admin().Request("POST", "/", {}, "{}");
  EXPECT_TRUE(IsApiError(response, 405, "method_not_allowed"));
  EXPECT_EQ(response.Header("Allow"), "GET, HEAD");
}

// Dot segments under /ui/, plain or encoded, name no asset: they reach neither the API (with
// a valid key) nor a file of the data folder.
TEST_F(AdminConsoleTest, DotSegmentsDoNotEscapeTheTable) {
  const Headers key = {{"X-Api-Key", tollgate_.admin_key()}};
  for (std::string_view target : {"/ui/../api/v1/user/self/", "/ui/%2e%2e/api/v1/user/self/",
                                  "/ui/..%2fapi%2fv1%2fuser%2fself/", "/ui/../admin-api-key",
                                  "/ui/%2e%2e%2fadmin-api-key", "/ui/./index.html"}) {
    const HttpResponse response = Get(target, key);
    EXPECT_TRUE(IsApiError(response, 404, "not_found")) << target;
    EXPECT_EQ(response.body.find(tollgate_.admin_key()), std::string::npos) << target;
  }
  EXPECT_EQ(Get("/api/v1/user/self/", key).status, 200);
}

}  // namespace
}  // namespace tollgate::testing
