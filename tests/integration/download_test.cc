// The download listener of the real binary (SPEC §2, §2.1): credentials, denials, HTTP
// semantics (ranges, conditionals, HEAD, keep-alive, HTTP/1.0), paths and the access log.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "boost/json/object.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "response_assertions.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kDebPath = "pool/main/a/agent/agent_2.0_amd64.deb";
constexpr std::string_view kSecretMarker = "TOP-SECRET-DO-NOT-SERVE";

// 10000 bytes with every byte value, so that any mangling of binary data shows.
std::string Payload() {
  std::string bytes;
  bytes.reserve(10000);
  for (size_t i = 0; i < 10000; ++i) bytes.push_back(static_cast<char>((i * 7 + i / 256) & 0xff));
  return bytes;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

class DownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tollgate_.Start({"--threads", "2"}));
    tollgate_.CreateRepo("agents", "private");
    const json::object token =
        tollgate_.CreateToken("agents", json::object{{"name", "customer-42"}});
    token_ = JsonString(token, "token");
    identifier_ = JsonString(token, "identifier");
    tollgate_.PlaceFile("agents", kDebPath, payload_);
  }

  // /{token}/default/{repo}/{path}
  static std::string TokenUrl(std::string_view token, std::string_view path,
                              std::string_view repo = "agents") {
    return Concat("/", token, "/default/", repo, "/", path);
  }
  std::string DebUrl() const { return TokenUrl(token_, kDebPath); }

  HttpResponse Get(std::string_view target, const Headers& headers = {}) const {
    return tollgate_.download().Get(target, headers);
  }

  // Creates a token in `agents` with extra `fields`; its JSON.
  json::object TokenWith(json::object fields) const {
    fields["name"] = "windowed";
    return tollgate_.CreateToken("agents", std::move(fields));
  }

  HttpResponse TokenAction(std::string_view identifier, std::string_view action,
                           std::string_view body = {}) const {
    return tollgate_.Admin(
        "POST", Concat("/api/v1/entitlements/default/agents/", identifier, "/", action, "/"), body);
  }

  TollgateProcess tollgate_;
  const std::string payload_ = Payload();
  std::string token_;
  std::string identifier_;
};

// A token URL answers 200 with exactly the bytes of the file.
TEST_F(DownloadTest, TokenUrlServesExactBytes) {
  const HttpResponse response = Get(DebUrl());
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_) << "body differs (" << response.body.size() << " bytes)";
}

// A file response carries Content-Length, Content-Type by extension, ETag, Last-Modified and
// Accept-Ranges.
TEST_F(DownloadTest, TokenUrlSendsFileHeaders) {
  const HttpResponse response = Get(DebUrl());
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("Content-Length"), std::to_string(payload_.size()));
  EXPECT_EQ(response.Header("Content-Type"), "application/vnd.debian.binary-package");
  EXPECT_FALSE(response.Header("ETag").empty());
  EXPECT_TRUE(response.Header("Last-Modified").ends_with(" GMT"))
      << response.Header("Last-Modified");
  EXPECT_EQ(response.Header("Accept-Ranges"), "bytes");
}

// /basic/ accepts the token as the password of Basic credentials with any user name.
TEST_F(DownloadTest, BasicRouteAcceptsTokenAsBasicPassword) {
  const HttpResponse response = Get(Concat("/basic/default/agents/", kDebPath),
                                    {{"Authorization", BasicAuthorization("anyone", token_)}});
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// /basic/ accepts the token as a Bearer credential (npm).
TEST_F(DownloadTest, BasicRouteAcceptsBearerToken) {
  const HttpResponse response =
      Get(Concat("/basic/default/agents/", kDebPath), {{"Authorization", "Bearer " + token_}});
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// The token-only forms: pip's token as the Basic user with an empty password, Cargo's
// `Token …` and bare token; a wrong token in any of them is invalid_credentials, and one
// whose syntax is not a token's is bad_request.
TEST_F(DownloadTest, BasicRouteAcceptsTokenOnlyForms) {
  const std::string target = Concat("/basic/default/agents/", kDebPath);
  for (const std::string& authorization :
       {BasicAuthorization(token_, ""), Concat("Token ", token_), token_}) {
    SCOPED_TRACE(authorization);
    const HttpResponse response = Get(target, {{"Authorization", authorization}});
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.body == payload_);
  }
  for (const std::string& wrong :
       {BasicAuthorization("unknown-token-1234", ""), std::string("Token unknown-token-1234"),
        std::string("unknown-token-1234")}) {
    EXPECT_TRUE(IsDenial(Get(target, {{"Authorization", wrong}}), 401, "invalid_credentials"))
        << wrong;
  }
  EXPECT_TRUE(IsDenial(Get(target, {{"Authorization", "Token no"}}), 400, "bad_request"));
}

// /basic/ without an Authorization header on a private repo is 401 missing_credentials.
TEST_F(DownloadTest, BasicRouteWithoutCredentialsIsMissingCredentials) {
  const HttpResponse response = Get(Concat("/basic/default/agents/", kDebPath));
  EXPECT_TRUE(IsDenial(response, 401, "missing_credentials"));
  EXPECT_EQ(response.Header("WWW-Authenticate"), "Basic realm=\"tollgate\"");
}

// /basic/ with a wrong password is 401 invalid_credentials.
TEST_F(DownloadTest, BasicRouteWithWrongPasswordIsInvalidCredentials) {
  const HttpResponse response =
      Get(Concat("/basic/default/agents/", kDebPath),
          {{"Authorization", BasicAuthorization("token", "wrong-token-value-123")}});
  EXPECT_TRUE(IsDenial(response, 401, "invalid_credentials"));
}

// /public/ serves a public repository without credentials.
TEST_F(DownloadTest, PublicRouteServesPublicRepository) {
  tollgate_.CreateRepo("open", "public");
  tollgate_.PlaceFile("open", "tools/tool-1.0.tar.gz", payload_);
  const HttpResponse response = Get("/public/default/open/tools/tool-1.0.tar.gz");
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// /public/ on a private repository is 401 missing_credentials with a challenge.
TEST_F(DownloadTest, PublicRouteOnPrivateRepositoryIs401) {
  const HttpResponse response = Get(Concat("/public/default/agents/", kDebPath));
  EXPECT_TRUE(IsDenial(response, 401, "missing_credentials"));
  EXPECT_EQ(response.Header("WWW-Authenticate"), "Basic realm=\"tollgate\"");
}

// An unknown token is 401 invalid_credentials with WWW-Authenticate.
TEST_F(DownloadTest, UnknownTokenIs401WithChallenge) {
  const HttpResponse response = Get(TokenUrl("no-such-token-0123456789", kDebPath));
  EXPECT_TRUE(IsDenial(response, 401, "invalid_credentials"));
  EXPECT_EQ(response.Header("WWW-Authenticate"), "Basic realm=\"tollgate\"");
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
}

// A valid token of another repository is 401 invalid_credentials here.
TEST_F(DownloadTest, TokenOfAnotherRepositoryIs401) {
  tollgate_.CreateRepo("other", "private");
  const std::string other_token = tollgate_.CreateTokenString("other", "someone-else");
  const HttpResponse response = Get(TokenUrl(other_token, kDebPath));
  EXPECT_TRUE(IsDenial(response, 401, "invalid_credentials"));
}

// Without valid credentials a private repo answers 401 for a missing path too, never 404.
TEST_F(DownloadTest, MissingPathWithoutCredentialsIs401Not404) {
  EXPECT_TRUE(IsDenial(Get("/basic/default/agents/no/such/file.deb"), 401, "missing_credentials"));
  EXPECT_TRUE(IsDenial(Get("/public/default/agents/no/such/file.deb"), 401, "missing_credentials"));
  EXPECT_TRUE(IsDenial(Get(TokenUrl("no-such-token-0123456789", "no/such/file.deb")), 401,
                       "invalid_credentials"));
}

// A valid token asking for a file that does not exist gets 404 not_found.
TEST_F(DownloadTest, MissingPathWithValidTokenIs404) {
  EXPECT_TRUE(IsDenial(Get(TokenUrl(token_, "no/such/file.deb")), 404, "not_found"));
}

// With --contextual-realm the challenge names the repository.
TEST(DownloadRealmTest, ContextualRealmNamesTheRepository) {
  TollgateProcess tollgate;
  ASSERT_TRUE(tollgate.Start({"--contextual-realm"}));
  tollgate.CreateRepo("agents", "private");
  const HttpResponse response =
      tollgate.download().Get("/basic/default/agents/pool/agent_2.0_amd64.deb");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.Header("WWW-Authenticate"), "Basic realm=\"default/agents\"");
}

// A disabled token is 403 token_disabled.
TEST_F(DownloadTest, DisabledTokenIs403) {
  ASSERT_EQ(TokenAction(identifier_, "disable").status, 200);
  EXPECT_TRUE(IsDenial(Get(DebUrl()), 403, "token_disabled"));
}

// A disabled token that is enabled again downloads again.
TEST_F(DownloadTest, ReenabledTokenDownloadsAgain) {
  ASSERT_EQ(TokenAction(identifier_, "disable").status, 200);
  ASSERT_EQ(Get(DebUrl()).status, 403);
  ASSERT_EQ(TokenAction(identifier_, "enable").status, 200);
  const HttpResponse response = Get(DebUrl());
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// A token whose limit_date_range_to has passed is 403 token_expired.
TEST_F(DownloadTest, ExpiredTokenIs403) {
  const json::object token = TokenWith({{"limit_date_range_to", "2020-01-01T00:00:00Z"}});
  EXPECT_TRUE(IsDenial(Get(TokenUrl(JsonString(token, "token"), kDebPath)), 403, "token_expired"));
}

// A token whose limit_date_range_from is in the future is 403 token_not_yet_valid.
TEST_F(DownloadTest, NotYetValidTokenIs403) {
  const json::object token = TokenWith({{"limit_date_range_from", "2099-01-01T00:00:00Z"}});
  EXPECT_TRUE(
      IsDenial(Get(TokenUrl(JsonString(token, "token"), kDebPath)), 403, "token_not_yet_valid"));
}

// A token inside its date window downloads.
TEST_F(DownloadTest, TokenInsideDateWindowDownloads) {
  const json::object token = TokenWith({{"limit_date_range_from", "2020-01-01T00:00:00Z"},
                                        {"limit_date_range_to", "2099-01-01T00:00:00Z"}});
  EXPECT_EQ(Get(TokenUrl(JsonString(token, "token"), kDebPath)).status, 200);
}

// Moving limit_date_range_to into the past with PATCH expires a working token.
TEST_F(DownloadTest, PatchedDateWindowExpiresToken) {
  ASSERT_EQ(Get(DebUrl()).status, 200);
  const HttpResponse patched =
      tollgate_.Admin("PATCH", Concat("/api/v1/entitlements/default/agents/", identifier_, "/"),
                      R"({"limit_date_range_to": "2021-06-01T00:00:00Z"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_TRUE(IsDenial(Get(DebUrl()), 403, "token_expired"));
}

// After refresh the old token string is 401 and the new one downloads.
TEST_F(DownloadTest, RefreshKillsOldTokenString) {
  const HttpResponse refreshed = TokenAction(identifier_, "refresh");
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string new_token = JsonString(ParseJson(refreshed.body), "token");
  EXPECT_NE(new_token, token_);
  EXPECT_TRUE(IsDenial(Get(DebUrl()), 401, "invalid_credentials"));
  EXPECT_EQ(Get(TokenUrl(new_token, kDebPath)).status, 200);
}

// Refresh with a custom token string makes exactly that string work.
TEST_F(DownloadTest, RefreshWithCustomTokenUsesIt) {
  const HttpResponse refreshed =
      TokenAction(identifier_, "refresh", R"({"token": "customer-42-rotated"})");
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(JsonString(ParseJson(refreshed.body), "token"), "customer-42-rotated");
  EXPECT_EQ(Get(TokenUrl("customer-42-rotated", kDebPath)).status, 200);
  EXPECT_EQ(Get(DebUrl()).status, 401);
}

// A deleted token is 401 invalid_credentials.
TEST_F(DownloadTest, DeletedTokenIs401) {
  const HttpResponse deleted =
      tollgate_.Admin("DELETE", Concat("/api/v1/entitlements/default/agents/", identifier_, "/"));
  ASSERT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_TRUE(IsDenial(Get(DebUrl()), 401, "invalid_credentials"));
}

// POST on a download URL is 405 method_not_allowed with Allow listing GET and HEAD.
TEST_F(DownloadTest, PostIs405WithAllow) {
  const HttpResponse response = tollgate_.download().Request("POST", DebUrl(), {}, "x");
  EXPECT_TRUE(IsDenial(response, 405, "method_not_allowed"));
  const std::string allow = response.Header("Allow");
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("HEAD"), std::string::npos) << allow;
}

// DELETE on a download URL is 405 as well.
TEST_F(DownloadTest, DeleteIs405) {
  const HttpResponse response = tollgate_.download().Request("DELETE", DebUrl());
  EXPECT_TRUE(IsDenial(response, 405, "method_not_allowed"));
  EXPECT_FALSE(response.Header("Allow").empty());
}

// HEAD answers 200 with the file's Content-Length and sends no body bytes.
TEST_F(DownloadTest, HeadHasContentLengthAndNoBody) {
  const RawExchange exchange = tollgate_.download().SendRaw(
      Concat("HEAD ", DebUrl(), " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  ASSERT_TRUE(exchange.closed_by_server);
  const size_t header_end = exchange.received.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos) << exchange.received;
  const std::string header = Lower(exchange.received.substr(0, header_end + 2));
  EXPECT_TRUE(header.starts_with("http/1.1 200")) << header;
  EXPECT_NE(header.find(Concat("\r\ncontent-length: ", payload_.size(), "\r\n")), std::string::npos)
      << header;
  EXPECT_EQ(exchange.received.size(), header_end + 4) << "HEAD sent body bytes";
}

// A single Range answers 206 with Content-Range and exactly those bytes.
TEST_F(DownloadTest, RangeGives206WithContentRange) {
  const HttpResponse response = Get(DebUrl(), {{"Range", "bytes=10-19"}});
  EXPECT_EQ(response.status, 206);
  EXPECT_EQ(response.Header("Content-Range"), Concat("bytes 10-19/", payload_.size()));
  EXPECT_EQ(response.Header("Content-Length"), "10");
  EXPECT_TRUE(response.body == payload_.substr(10, 10));
}

// A suffix range gives the last N bytes.
TEST_F(DownloadTest, SuffixRangeGivesTail) {
  const HttpResponse response = Get(DebUrl(), {{"Range", "bytes=-100"}});
  EXPECT_EQ(response.status, 206);
  EXPECT_EQ(response.Header("Content-Range"), Concat("bytes ", payload_.size() - 100, "-",
                                                     payload_.size() - 1, "/", payload_.size()));
  EXPECT_TRUE(response.body == payload_.substr(payload_.size() - 100));
}

// An open-ended range gives everything from its start (a resumed download).
TEST_F(DownloadTest, OpenEndedRangeGivesRest) {
  const HttpResponse response = Get(DebUrl(), {{"Range", "bytes=9000-"}});
  EXPECT_EQ(response.status, 206);
  EXPECT_TRUE(response.body == payload_.substr(9000));
}

// A range starting past the end is 416 with Content-Range: bytes */SIZE.
TEST_F(DownloadTest, UnsatisfiableRangeIs416) {
  const HttpResponse response = Get(DebUrl(), {{"Range", Concat("bytes=", payload_.size(), "-")}});
  EXPECT_TRUE(IsDenial(response, 416, "range_not_satisfiable"));
  EXPECT_EQ(response.Header("Content-Range"), Concat("bytes */", payload_.size()));
}

// If-None-Match with the current ETag answers 304 without a body.
TEST_F(DownloadTest, IfNoneMatchGives304) {
  const std::string etag = Get(DebUrl()).Header("ETag");
  ASSERT_FALSE(etag.empty());
  const HttpResponse response = Get(DebUrl(), {{"If-None-Match", etag}});
  EXPECT_EQ(response.status, 304);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(response.Header("ETag"), etag);
}

// If-None-Match with another ETag answers 200 with the file.
TEST_F(DownloadTest, IfNoneMatchWithOtherEtagGives200) {
  const HttpResponse response = Get(DebUrl(), {{"If-None-Match", "\"not-the-etag\""}});
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// If-Modified-Since with the Last-Modified value answers 304.
TEST_F(DownloadTest, IfModifiedSinceGives304) {
  const std::string last_modified = Get(DebUrl()).Header("Last-Modified");
  ASSERT_FALSE(last_modified.empty());
  const HttpResponse response = Get(DebUrl(), {{"If-Modified-Since", last_modified}});
  EXPECT_EQ(response.status, 304);
  EXPECT_TRUE(response.body.empty());
}

// If-Modified-Since long before the file's time answers 200.
TEST_F(DownloadTest, IfModifiedSinceInThePastGives200) {
  const HttpResponse response =
      Get(DebUrl(), {{"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}});
  EXPECT_EQ(response.status, 200);
}

// A replaced file (new size) is not answered 304 for the old ETag.
TEST_F(DownloadTest, ReplacedFileIsNotAnswered304ForOldEtag) {
  const std::string old_etag = Get(DebUrl()).Header("ETag");
  tollgate_.PlaceFile("agents", kDebPath, "a different, shorter body");
  const HttpResponse response = Get(DebUrl(), {{"If-None-Match", old_etag}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "a different, shorter body");
}

// If-Range with a stale validator ignores Range and answers 200 with the whole file.
TEST_F(DownloadTest, IfRangeMismatchGivesWholeFile) {
  const HttpResponse response =
      Get(DebUrl(), {{"Range", "bytes=0-9"}, {"If-Range", "\"stale-etag\""}});
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// If-Range with the current ETag honours Range.
TEST_F(DownloadTest, IfRangeMatchGives206) {
  const std::string etag = Get(DebUrl()).Header("ETag");
  const HttpResponse response = Get(DebUrl(), {{"Range", "bytes=0-9"}, {"If-Range", etag}});
  EXPECT_EQ(response.status, 206);
  EXPECT_TRUE(response.body == payload_.substr(0, 10));
}

// A folder URL ending in '/' serves that folder's index.html as HTML.
TEST_F(DownloadTest, FolderUrlServesIndexHtml) {
  const std::string index = "<!DOCTYPE html><html><body>agent</body></html>\n";
  tollgate_.PlaceFile("agents", "simple/agent/index.html", index);
  const HttpResponse response = Get(TokenUrl(token_, "simple/agent/"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, index);
  EXPECT_TRUE(response.Header("Content-Type").starts_with("text/html"))
      << response.Header("Content-Type");
}

// An uploaded HTML or SVG file is served inert: no sniffing, sandboxed with nothing allowed;
// denials carry the same headers.
TEST_F(DownloadTest, ActiveContentIsServedInert) {
  tollgate_.PlaceFile("agents", "docs/page.html", "<script>alert(1)</script>");
  tollgate_.PlaceFile("agents", "docs/logo.svg", "<svg onload=\"alert(1)\"/>");
  for (const std::string_view path : {"docs/page.html", "docs/logo.svg", "docs/missing.html"}) {
    SCOPED_TRACE(path);
    const HttpResponse response = Get(TokenUrl(token_, path));
    EXPECT_EQ(response.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(response.Header("Content-Security-Policy"), "default-src 'none'; sandbox");
  }
}

// A folder URL without an index.html is 404.
TEST_F(DownloadTest, FolderWithoutIndexIs404) {
  EXPECT_TRUE(IsDenial(Get(TokenUrl(token_, "pool/main/")), 404, "not_found"));
}

// Empty and '.' segments are dropped (apt asks for ./Packages).
TEST_F(DownloadTest, DotAndEmptySegmentsAreDropped) {
  const HttpResponse response = Get(TokenUrl(token_, "./pool//main/./a/agent/agent_2.0_amd64.deb"));
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// No spelling of '..', encoded '/', backslash or NUL serves a file planted outside the repo
// folder; each answers 400 or 404.
TEST_F(DownloadTest, TraversalNeverLeaksFilesOutsideRepository) {
  const std::string secret = Concat(kSecretMarker, "\n");
  WriteFile(tollgate_.artifacts_dir() / "default" / "secret.txt", secret);  // beside the repo
  WriteFile(tollgate_.artifacts_dir() / "secret.txt", secret);
  WriteFile(tollgate_.root() / "secret.txt", secret);  // outside the artifacts dir
  WriteFile(tollgate_.artifacts_dir() / "default" / "vault" / "secret.txt", secret);
  const std::string t = "/" + token_;
  const std::vector<std::string> targets = {
      t + "/default/agents/../secret.txt",
      t + "/default/agents/../../secret.txt",
      t + "/default/agents/../../../secret.txt",
      t + "/default/agents/../vault/secret.txt",
      t + "/default/agents/pool/../../secret.txt",
      t + "/default/agents/./../secret.txt",
      t + "/default/agents/%2e%2e/secret.txt",
      t + "/default/agents/%2E%2E/vault/secret.txt",
      t + "/default/agents/.%2e/secret.txt",
      t + "/default/agents/%2e%2e/%2e%2e/%2e%2e/secret.txt",
      t + "/default/agents/%2e%2e%2fsecret.txt",
      t + "/default/agents/..%2fsecret.txt",
      t + "/default/agents/..%2f..%2fsecret.txt",
      t + "/default/agents/..%2Fvault%2Fsecret.txt",
      t + "/default/agents/..%5csecret.txt",
      t + "/default/agents/..\\secret.txt",
      t + "/default/agents/%252e%252e/secret.txt",
      t + "/default/agents/..%00/secret.txt",
      t + "/default/agents/%00/../secret.txt",
      t + "/default/agents/....//secret.txt",
      t + "/default/agents%2f..%2fvault/secret.txt",
      t + "/default/%2e%2e/secret.txt",
      t + "/default/agents/pool/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt",
  };
  for (const std::string& target : targets) {
    const HttpResponse response = Get(target);
    EXPECT_TRUE(response.status == 400 || response.status == 404)
        << target << " answered " << response.status;
    EXPECT_EQ(response.body.find(kSecretMarker), std::string::npos) << target << " leaked it";
  }
  const HttpResponse basic = Get("/basic/default/agents/../secret.txt",
                                 {{"Authorization", BasicAuthorization("token", token_)}});
  EXPECT_TRUE(basic.status == 400 || basic.status == 404) << basic.status;
  EXPECT_EQ(basic.body.find(kSecretMarker), std::string::npos);
}

// /public/ on a public repo does not serve files beside it through '..' either.
TEST_F(DownloadTest, PublicRouteTraversalNeverLeaks) {
  tollgate_.CreateRepo("open", "public");
  tollgate_.PlaceFile("open", "readme.txt", "public\n");
  WriteFile(tollgate_.artifacts_dir() / "default" / "secret.txt", kSecretMarker);
  const std::vector<std::string> targets = {
      "/public/default/open/../secret.txt", "/public/default/open/%2e%2e/secret.txt",
      "/public/default/open/..%2fsecret.txt", Concat("/public/default/open/../agents/", kDebPath)};
  for (const std::string& target : targets) {
    const HttpResponse response = Get(target);
    EXPECT_TRUE(response.status == 400 || response.status == 404)
        << target << " answered " << response.status;
    EXPECT_EQ(response.body.find(kSecretMarker), std::string::npos) << target;
    EXPECT_NE(response.body, payload_) << target << " served another repository's file";
  }
}

// A symlink in the repo that points outside it is 404 (relative, absolute, and via a folder).
TEST_F(DownloadTest, SymlinkOutOfRepositoryIs404) {
  WriteFile(tollgate_.artifacts_dir() / "default" / "secret.txt", kSecretMarker);
  WriteFile(tollgate_.root() / "outside" / "secret.txt", kSecretMarker);
  const fs::path repo = tollgate_.RepoDir("agents");
  fs::create_symlink("../secret.txt", repo / "escape.txt");
  fs::create_symlink(tollgate_.root() / "outside" / "secret.txt", repo / "escape-absolute.txt");
  fs::create_directory_symlink(tollgate_.root() / "outside", repo / "escape-folder");
  for (const std::string_view path :
       {"escape.txt", "escape-absolute.txt", "escape-folder/secret.txt"}) {
    const HttpResponse response = Get(TokenUrl(token_, path));
    EXPECT_TRUE(IsDenial(response, 404, "not_found")) << path;
    EXPECT_EQ(response.body.find(kSecretMarker), std::string::npos) << path;
  }
}

// A symlink to a file inside the repo is served.
TEST_F(DownloadTest, SymlinkInsideRepositoryServes) {
  fs::create_symlink(std::string(kDebPath), tollgate_.RepoDir("agents") / "latest.deb");
  const HttpResponse response = Get(TokenUrl(token_, "latest.deb"));
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// Three requests are answered on one kept-alive connection.
TEST_F(DownloadTest, KeepAliveServesThreeRequestsOnOneConnection) {
  HttpConnection connection(tollgate_.download_port());
  const HttpResponse first = connection.Send({"GET", DebUrl(), {}, ""});
  const HttpResponse second = connection.Send({"GET", DebUrl(), {{"Range", "bytes=0-4"}}, ""});
  const HttpResponse third = connection.Send({"HEAD", DebUrl(), {}, ""});
  EXPECT_EQ(first.status, 200);
  EXPECT_TRUE(first.body == payload_);
  EXPECT_TRUE(first.keep_alive);
  EXPECT_EQ(second.status, 206);
  EXPECT_TRUE(second.body == payload_.substr(0, 5));
  EXPECT_TRUE(second.keep_alive);
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(third.Header("Content-Length"), std::to_string(payload_.size()));
}

// A denial does not end a kept-alive connection: the next request is served on it.
TEST_F(DownloadTest, KeepAliveSurvivesDenial) {
  const std::vector<HttpResponse> responses = tollgate_.download().RequestsOnOneConnection(
      {{"GET", TokenUrl("no-such-token-0123456789", kDebPath), {}, ""}, {"GET", DebUrl(), {}, ""}});
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].status, 401);
  EXPECT_EQ(responses[1].status, 200);
  EXPECT_TRUE(responses[1].body == payload_);
}

// An HTTP/1.0 request is answered with the file and the connection is then closed.
TEST_F(DownloadTest, Http10RequestIsAnsweredAndClosed) {
  const RawExchange exchange = tollgate_.download().SendRaw(
      Concat("GET ", DebUrl(), " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"));
  EXPECT_TRUE(exchange.closed_by_server) << "the connection stayed open";
  const size_t header_end = exchange.received.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos) << exchange.received;
  const std::string status_line = exchange.received.substr(0, exchange.received.find("\r\n"));
  EXPECT_TRUE(status_line.starts_with("HTTP/1.")) << status_line;
  EXPECT_NE(status_line.find(" 200"), std::string::npos) << status_line;
  EXPECT_TRUE(exchange.received.substr(header_end + 4) == payload_);
}

// A request that is not HTTP gets 400 and the connection is closed.
TEST_F(DownloadTest, MalformedRequestIs400) {
  const RawExchange exchange = tollgate_.download().SendRaw("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_TRUE(exchange.received.starts_with("HTTP/1.1 400")) << exchange.received;
  EXPECT_TRUE(exchange.closed_by_server);
}

// A request that is not HTTP still gets its access-log line, as a 400 bad_request.
TEST_F(DownloadTest, MalformedRequestIsLogged) {
  tollgate_.download().SendRaw("THIS IS NOT HTTP\r\n\r\n");
  ASSERT_TRUE(tollgate_.WaitForLog("reason=bad_request")) << tollgate_.Log();
  EXPECT_NE(tollgate_.Log().find("status=400"), std::string::npos) << tollgate_.Log();
}

// A successful download is logged with the token's identifier, status and bytes, and the
// token string never appears in the log.
TEST_F(DownloadTest, AccessLogShowsIdentifierNeverToken) {
  ASSERT_EQ(Get(DebUrl()).status, 200);
  ASSERT_EQ(Get(Concat("/basic/default/agents/", kDebPath),
                {{"Authorization", BasicAuthorization("token", token_)}})
                .status,
            200);
  ASSERT_TRUE(tollgate_.WaitForLog("token=" + identifier_)) << tollgate_.Log();
  std::string download_line;
  for (const std::string& line : Lines(tollgate_.Log())) {
    if (line.find(" download ") != std::string::npos &&
        line.find("token=" + identifier_) != std::string::npos) {
      download_line = line;
      break;
    }
  }
  EXPECT_NE(download_line.find("status=200"), std::string::npos) << download_line;
  EXPECT_NE(download_line.find(Concat("bytes=", payload_.size())), std::string::npos)
      << download_line;
  EXPECT_NE(download_line.find("method=GET"), std::string::npos) << download_line;
  EXPECT_EQ(tollgate_.Log().find(token_), std::string::npos) << "the token string was logged";
}

// The access log names the client by its address (here a second loopback address).
TEST_F(DownloadTest, AccessLogShowsClientAddress) {
  const HttpClient from_other_address(tollgate_.download_port(), "127.0.0.2");
  ASSERT_EQ(from_other_address.Get(DebUrl()).status, 200);
  EXPECT_TRUE(tollgate_.WaitForLog("client=127.0.0.2 ")) << tollgate_.Log();
}

// A request with an unknown token string is logged as a 401 without that string.
TEST_F(DownloadTest, AccessLogNeverShowsRefusedTokenString) {
  const std::string wrong = "guessed-token-string-0123456789";
  ASSERT_EQ(Get(TokenUrl(wrong, kDebPath)).status, 401);
  ASSERT_TRUE(tollgate_.WaitForLog("status=401")) << tollgate_.Log();
  EXPECT_TRUE(tollgate_.WaitForLog("invalid_credentials")) << tollgate_.Log();
  EXPECT_EQ(tollgate_.Log().find(wrong), std::string::npos) << tollgate_.Log();
}

}  // namespace
}  // namespace tollgate::testing
