// Repositories backed by an HTTP origin (SPEC §3 storage "http") on the real binary, with a
// real nginx as the origin: pass-through of ranges and conditionals, origin failures, the
// enforcement order (nothing reaches the origin before the checks pass), usage counting,
// origin credentials, and the repository API's handling of the storage secrets.
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nginx_server.h"
#include "response_assertions.h"
#include "scripted_origin.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kDeb = "pool/agent_2.0_amd64.deb";
constexpr std::string_view kOtherDeb = "pool/tool_1.0_amd64.deb";
// "Basic " + base64("origin-user:origin-pass")
constexpr std::string_view kOriginBasic = "Basic b3JpZ2luLXVzZXI6b3JpZ2luLXBhc3M=";
constexpr std::string_view kOriginBearer = "origin-bearer-token-0123";

// 10000 bytes with every byte value, so that any mangling of binary data shows.
std::string Payload() {
  std::string bytes;
  for (size_t i = 0; i < 10000; ++i) bytes.push_back(static_cast<char>((i * 7 + i / 256) & 0xff));
  return bytes;
}

// Origin locations that only answer with the right credentials.
std::string AuthLocations() {
  return Concat("    location /basic-area/ { if ($http_authorization != \"", kOriginBasic,
                "\") { return 401; } }\n",
                "    location /bearer-area/ { if ($http_authorization != \"Bearer ", kOriginBearer,
                "\") { return 401; } }\n");
}

class OriginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string_view area : {"files", "basic-area", "bearer-area"}) {
      WriteFile(nginx_.root() / area / kDeb, payload_);
      WriteFile(nginx_.root() / area / kOtherDeb, payload_);
    }
    ASSERT_TRUE(
        tollgate_.Start(AllowingLoopbackOrigins({"--threads", "2", "--dedupe-window", "0"})));
    CreateOriginRepo("mirror", json::object{{"type", "http"}, {"url", nginx_.url() + "/files/"}});
    token_ = tollgate_.CreateTokenString("mirror");
  }

  // A private repository stored at `storage`; throws unless created.
  void CreateOriginRepo(std::string_view slug, json::object storage) const {
    const json::object request{
        {"slug", slug}, {"repository_type", "private"}, {"storage", std::move(storage)}};
    const HttpResponse response =
        tollgate_.Admin("POST", "/api/v1/repos/default/", json::serialize(request));
    if (response.status != 201) throw std::runtime_error("create repo: " + response.body);
  }

  static std::string Url(std::string_view token, std::string_view path = kDeb,
                         std::string_view repo = "mirror") {
    return Concat("/", token, "/default/", repo, "/", path);
  }

  HttpResponse Get(std::string_view target, const Headers& headers = {}) const {
    return tollgate_.download().Get(target, headers);
  }

  json::object Usage(std::string_view identifier, std::string_view repo = "mirror") const {
    const HttpResponse response = tollgate_.Admin(
        "GET", Concat("/api/v1/entitlements/default/", repo, "/", identifier, "/usage/"));
    return ParseJson(response.body).as_object();
  }

  // How many requests for `path` reached the origin, once it logged `min_lines` requests.
  size_t OriginRequests(std::string_view path, size_t min_lines = 0) const {
    size_t count = 0;
    for (const std::string& line : Lines(nginx_.AccessLog(min_lines))) {
      if (line.find(path) != std::string::npos) ++count;
    }
    return count;
  }

  NginxServer nginx_{AuthLocations()};
  TollgateProcess tollgate_;
  const std::string payload_ = Payload();
  std::string token_;
};

// A GET is answered with the origin's bytes, length, type and validators.
TEST_F(OriginTest, FullDownloadRelaysOriginBytesAndHeaders) {
  const HttpResponse response = Get(Url(token_));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(response.body == payload_) << "body differs (" << response.body.size() << " bytes)";
  EXPECT_EQ(response.Header("Content-Length"), std::to_string(payload_.size()));
  EXPECT_EQ(response.Header("Content-Type"), "application/vnd.debian.binary-package");
  EXPECT_FALSE(response.Header("ETag").empty());
  EXPECT_TRUE(response.Header("Last-Modified").ends_with(" GMT"));
  EXPECT_EQ(response.Header("Accept-Ranges"), "bytes");
  EXPECT_FALSE(response.HasHeader("Server"));  // the origin's own headers stay behind
}

// A finished download gives its origin connection back at once, even while its client keeps
// the connection open: with one origin connection per event loop, three keep-alive clients
// (two on the same loop of the two) are each served in turn.
TEST_F(OriginTest, IdleClientsHoldNoOriginConnection) {
  CreateOriginRepo("narrow", json::object{{"type", "http"},
                                          {"url", nginx_.url() + "/files/"},
                                          {"max_connections", 1},
                                          {"connect_timeout", 1}});
  const std::string token = tollgate_.CreateTokenString("narrow");
  std::vector<std::unique_ptr<HttpConnection>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<HttpConnection>(tollgate_.download_port()));
    const HttpResponse response =
        clients.back()->Send(HttpRequest{"GET", Url(token, kDeb, "narrow"), {}, ""});
    EXPECT_EQ(response.status, 200) << "client " << i << ": " << response.body;
  }
}

// A HEAD is passed on as a HEAD: headers with the origin's length and no body.
TEST_F(OriginTest, HeadAnswersLengthWithoutBody) {
  const HttpResponse response = tollgate_.download().Request("HEAD", Url(token_));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("Content-Length"), std::to_string(payload_.size()));
  EXPECT_TRUE(response.body.empty());
  EXPECT_NE(nginx_.AccessLog(1).find(Concat("HEAD /files/", kDeb, " 200")), std::string::npos);
}

// A Range goes to the origin and its 206 comes back with Content-Range.
TEST_F(OriginTest, RangeIsAnsweredByTheOrigin) {
  const HttpResponse response = Get(Url(token_), {{"Range", "bytes=100-199"}});
  ASSERT_EQ(response.status, 206);
  EXPECT_EQ(response.Header("Content-Range"), "bytes 100-199/10000");
  EXPECT_TRUE(response.body == payload_.substr(100, 100));
}

// An unsatisfiable range is the origin's 416, as a range_not_satisfiable denial.
TEST_F(OriginTest, UnsatisfiableRangeIs416) {
  const HttpResponse response = Get(Url(token_), {{"Range", "bytes=20000-"}});
  EXPECT_TRUE(IsDenial(response, 416, "range_not_satisfiable"));
  EXPECT_EQ(response.Header("Content-Range"), "bytes */10000");
}

// If-None-Match with the origin's ETag gives 304; If-Modified-Since with its date too.
TEST_F(OriginTest, ConditionalRequestsGet304) {
  const HttpResponse full = Get(Url(token_));
  ASSERT_EQ(full.status, 200);
  const HttpResponse by_etag = Get(Url(token_), {{"If-None-Match", full.Header("ETag")}});
  EXPECT_EQ(by_etag.status, 304);
  EXPECT_EQ(by_etag.Header("ETag"), full.Header("ETag"));
  EXPECT_TRUE(by_etag.body.empty());
  const HttpResponse by_date =
      Get(Url(token_), {{"If-Modified-Since", full.Header("Last-Modified")}});
  EXPECT_EQ(by_date.status, 304);
}

// If-Range with a stale ETag makes the origin send the whole body instead of the range.
TEST_F(OriginTest, IfRangeWithStaleEtagGetsWholeBody) {
  const HttpResponse response =
      Get(Url(token_), {{"Range", "bytes=0-9"}, {"If-Range", "\"stale-etag\""}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.size(), payload_.size());
}

// A file the origin does not have is a not_found denial.
TEST_F(OriginTest, OriginMissingFileIsNotFound) {
  EXPECT_TRUE(IsDenial(Get(Url(token_, "pool/missing_1.0_amd64.deb")), 404, "not_found"));
}

// An origin that refuses connections gives 502 upstream_unavailable, and serving resumes
// when it is back.
TEST_F(OriginTest, OriginDownIsUpstreamUnavailable) {
  nginx_.Stop();
  EXPECT_TRUE(IsDenial(Get(Url(token_)), 502, "upstream_unavailable"));
  nginx_.Start();
  EXPECT_EQ(Get(Url(token_)).status, 200);
}

// A failing origin is logged once per change of state, not once per request: one
// origin_failed line for ten failures, one recovered line when it answers again.
TEST_F(OriginTest, FailingOriginIsLoggedOncePerEpisode) {
  nginx_.Stop();
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(IsDenial(Get(Url(token_)), 502, "upstream_unavailable"));
  }
  nginx_.Start();
  EXPECT_EQ(Get(Url(token_)).status, 200);
  EXPECT_EQ(Get(Url(token_)).status, 200);
  ASSERT_TRUE(tollgate_.WaitForLog(" recovered ")) << tollgate_.Log();
  size_t failed = 0;
  size_t recovered = 0;
  for (const std::string& line : Lines(tollgate_.Log())) {
    if (line.find(" origin_failed ") != std::string::npos) {
      ++failed;
      EXPECT_NE(line.find("subject=\"origin default/mirror\""), std::string::npos) << line;
    }
    if (line.find(" recovered ") != std::string::npos) {
      ++recovered;
      EXPECT_NE(line.find("failures=10"), std::string::npos) << line;
      EXPECT_NE(line.find("after=origin_failed"), std::string::npos) << line;
    }
  }
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(recovered, 1u);
}

// An origin that accepts but never answers gives 504 upstream_timeout after its read timeout.
TEST_F(OriginTest, StalledOriginIsUpstreamTimeout) {
  ScriptedOrigin stalled([](int fd, int) { ScriptedOrigin::WaitForClose(fd); });
  CreateOriginRepo("stalled",
                   json::object{{"type", "http"}, {"url", stalled.url()}, {"read_timeout", 1}});
  const std::string token = tollgate_.CreateTokenString("stalled");
  EXPECT_TRUE(IsDenial(Get(Url(token, kDeb, "stalled")), 504, "upstream_timeout"));
}

// An origin answering 5xx is upstream_unavailable, with the origin's status in the detail.
TEST_F(OriginTest, OriginServerErrorIsUpstreamUnavailable) {
  ScriptedOrigin failing([](int fd, int) {
    ScriptedOrigin::ReadRequestHeader(fd);
    ScriptedOrigin::WriteAll(fd, "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n");
  });
  CreateOriginRepo("failing", json::object{{"type", "http"}, {"url", failing.url()}});
  const std::string token = tollgate_.CreateTokenString("failing");
  const HttpResponse response = Get(Url(token, kDeb, "failing"));
  EXPECT_TRUE(IsDenial(response, 502, "upstream_unavailable"));
  EXPECT_NE(response.body.find("503"), std::string::npos) << response.body;
}

// Interim answers (103 Early Hints) before the real one are skipped, and the connection is
// not mistaken for a finished exchange.
TEST_F(OriginTest, InterimAnswersAreSkipped) {
  ScriptedOrigin origin([](int fd, int) {
    while (!ScriptedOrigin::ReadRequestHeader(fd).empty()) {
      ScriptedOrigin::WriteAll(fd,
                               "HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n"
                               "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    }
  });
  CreateOriginRepo("hints", json::object{{"type", "http"}, {"url", origin.url()}});
  HttpRequest request;
  request.target = Url(tollgate_.CreateTokenString("hints"), kDeb, "hints");
  const std::vector<HttpResponse> responses =
      tollgate_.download().RequestsOnOneConnection({request, request});
  ASSERT_EQ(responses.size(), 2u);
  for (const HttpResponse& response : responses) {
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.body, "hello");
  }
}

// A multi-range request is not passed on: the answer is the whole body, as from a folder.
TEST_F(OriginTest, MultiRangeGetsTheWholeBody) {
  const HttpResponse response = Get(Url(token_), {{"Range", "bytes=0-9,20-29"}});
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// A token outside its package scope is refused without the origin being asked.
TEST_F(OriginTest, ScopeDenialNeverContactsOrigin) {
  const std::string scoped = JsonString(
      tollgate_.CreateToken("mirror",
                            json::object{{"name", "scoped"}, {"limit_package_query", "name:tool"}}),
      "token");
  EXPECT_TRUE(IsDenial(Get(Url(scoped, kDeb)), 403, "package_not_allowed"));
  EXPECT_EQ(OriginRequests(kDeb), 0u);
  EXPECT_EQ(Get(Url(scoped, kOtherDeb)).status, 200);
  EXPECT_EQ(OriginRequests(kOtherDeb, 1), 1u);
}

// Requests without valid credentials are refused without the origin being asked.
TEST_F(OriginTest, UnauthenticatedRequestsNeverContactOrigin) {
  EXPECT_TRUE(IsDenial(Get(Concat("/basic/default/mirror/", kDeb)), 401, "missing_credentials"));
  EXPECT_TRUE(IsDenial(Get(Url("wrong-token-0123456789")), 401, "invalid_credentials"));
  EXPECT_EQ(OriginRequests(kDeb), 0u);
}

// The client's credentials never reach the origin.
TEST_F(OriginTest, ClientCredentialsAreNotForwarded) {
  const HttpResponse response =
      Get(Concat("/basic/default/mirror/", kDeb),
          {{"Authorization", BasicAuthorization("token", token_)}, {"Cookie", "session=abc"}});
  ASSERT_EQ(response.status, 200);
  const std::string log = nginx_.AccessLog(1);
  EXPECT_NE(log.find(Concat("GET /files/", kDeb, " 200 auth=\"-\" range=\"-\" cookie=\"-\"")),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find(token_), std::string::npos);
}

// Only a GET answered 200 or 206 counts as a download: HEAD, 304 and 404 do not.
TEST_F(OriginTest, DownloadsCountOnlyFor200And206) {
  const json::object token = tollgate_.CreateToken(
      "mirror", json::object{{"name", "counted"}, {"limit_num_downloads", 100}});
  const std::string secret = JsonString(token, "token");
  const std::string etag = Get(Url(secret)).Header("ETag");                  // 200: 1
  EXPECT_EQ(Get(Url(secret), {{"Range", "bytes=0-9"}}).status, 206);         // 206: 2
  EXPECT_EQ(Get(Url(secret), {{"If-None-Match", etag}}).status, 304);        // no
  EXPECT_EQ(tollgate_.download().Request("HEAD", Url(secret)).status, 200);  // no
  EXPECT_EQ(Get(Url(secret, "pool/missing_1.0_amd64.deb")).status, 404);     // no
  EXPECT_EQ(Usage(JsonString(token, "identifier")).at("downloads").as_int64(), 2);
}

// Bandwidth is reserved from the origin's Content-Length before the body is sent: a
// A token at its download limit is refused before the origin is asked for another file, but
// may still revalidate what it has: a 304 never counts.
TEST_F(OriginTest, ExhaustedTokenNeverReachesTheOriginButRevalidates) {
  const std::string secret = JsonString(
      tollgate_.CreateToken("mirror", json::object{{"name", "one"}, {"limit_num_downloads", 1}}),
      "token");
  const std::string etag = Get(Url(secret)).Header("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_TRUE(IsDenial(Get(Url(secret, kOtherDeb)), 403, "download_limit_reached"));
  EXPECT_EQ(OriginRequests(kOtherDeb), 0u);
  EXPECT_EQ(Get(Url(secret), {{"If-None-Match", etag}}).status, 304);
}

// download that would pass the limit is refused whole.
TEST_F(OriginTest, BandwidthIsReservedFromContentLength) {
  const json::object token =
      tollgate_.CreateToken("mirror", json::object{{"name", "metered"},
                                                   {"limit_bandwidth", 15000},
                                                   {"limit_bandwidth_unit", "byte"}});
  const std::string secret = JsonString(token, "token");
  EXPECT_EQ(Get(Url(secret)).status, 200);
  EXPECT_TRUE(IsDenial(Get(Url(secret, kOtherDeb)), 403, "bandwidth_limit_reached"));
  EXPECT_EQ(Usage(JsonString(token, "identifier")).at("bandwidth").as_int64(), 10000);
}

// Basic credentials from the storage config are sent to the origin.
TEST_F(OriginTest, BasicAuthIsSentToOrigin) {
  CreateOriginRepo("basic", json::object{{"type", "http"},
                                         {"url", nginx_.url() + "/basic-area/"},
                                         {"auth", {{"basic", "origin-user:origin-pass"}}}});
  const std::string token = tollgate_.CreateTokenString("basic");
  const HttpResponse response = Get(Url(token, kDeb, "basic"));
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == payload_);
}

// A bearer token from the storage config is sent to the origin.
TEST_F(OriginTest, BearerAuthIsSentToOrigin) {
  CreateOriginRepo("bearer", json::object{{"type", "http"},
                                          {"url", nginx_.url() + "/bearer-area/"},
                                          {"auth", {{"bearer", kOriginBearer}}}});
  const std::string token = tollgate_.CreateTokenString("bearer");
  EXPECT_EQ(Get(Url(token, kDeb, "bearer")).status, 200);
}

// An origin that refuses tollgate's credentials is upstream_unavailable, not the client's 401.
TEST_F(OriginTest, OriginRefusingCredentialsIsUpstreamUnavailable) {
  CreateOriginRepo("wrong", json::object{{"type", "http"},
                                         {"url", nginx_.url() + "/bearer-area/"},
                                         {"auth", {{"bearer", "not-the-right-one"}}}});
  const std::string token = tollgate_.CreateTokenString("wrong");
  EXPECT_TRUE(IsDenial(Get(Url(token, kDeb, "wrong")), 502, "upstream_unavailable"));
}

// The API never shows a storage secret, and neither does the log.
TEST_F(OriginTest, StorageSecretsAreRedacted) {
  CreateOriginRepo("secret", json::object{{"type", "http"},
                                          {"url", nginx_.url() + "/bearer-area/"},
                                          {"auth", {{"bearer", kOriginBearer}}}});
  const HttpResponse shown = tollgate_.Admin("GET", "/api/v1/repos/default/secret/");
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body.find(kOriginBearer), std::string::npos) << shown.body;
  const json::value storage = ParseJson(shown.body).at("storage");
  EXPECT_EQ(storage.at("auth").at("bearer").as_string(), "********");
  const HttpResponse listed = tollgate_.Admin("GET", "/api/v1/repos/default/");
  EXPECT_EQ(listed.body.find(kOriginBearer), std::string::npos);
  EXPECT_EQ(tollgate_.Log().find(kOriginBearer), std::string::npos);
}

// An update that sends the redacted value back keeps the stored secret.
TEST_F(OriginTest, UpdateKeepsRedactedSecret) {
  CreateOriginRepo("kept", json::object{{"type", "http"},
                                        {"url", nginx_.url() + "/bearer-area/"},
                                        {"auth", {{"bearer", kOriginBearer}}}});
  const json::value storage =
      ParseJson(tollgate_.Admin("GET", "/api/v1/repos/default/kept/").body).at("storage");
  json::object changed = storage.as_object();
  changed["read_timeout"] = 10;
  const HttpResponse patched = tollgate_.Admin("PATCH", "/api/v1/repos/default/kept/",
                                               json::serialize(json::object{{"storage", changed}}));
  ASSERT_EQ(patched.status, 200) << patched.body;
  const std::string token = tollgate_.CreateTokenString("kept");
  EXPECT_EQ(Get(Url(token, kDeb, "kept")).status, 200);
}

// Rotating only an origin secret is in the audit log as a mark, never with the secret.
TEST_F(OriginTest, RotatedSecretIsAuditedWithoutValue) {
  CreateOriginRepo("rotated", json::object{{"type", "http"},
                                           {"url", nginx_.url() + "/bearer-area/"},
                                           {"auth", {{"bearer", "old-origin-secret"}}}});
  json::object storage{{"type", "http"},
                       {"url", nginx_.url() + "/bearer-area/"},
                       {"auth", {{"bearer", "new-origin-secret"}}}};
  ASSERT_EQ(tollgate_
                .Admin("PATCH", "/api/v1/repos/default/rotated/",
                       json::serialize(json::object{{"storage", storage}}))
                .status,
            200);
  const HttpResponse log = tollgate_.Admin("GET", "/api/v1/audit-log/default/?page_size=1");
  ASSERT_EQ(log.status, 200) << log.body;
  const json::value entries = ParseJson(log.body);
  const json::object& entry = entries.as_array().at(0).as_object();
  EXPECT_EQ(entry.at("action"), "repository.update");
  EXPECT_EQ(entry.at("details").at("storage_secrets"), "changed");
  EXPECT_EQ(log.body.find("origin-secret"), std::string::npos) << log.body;
}

// A redacted secret is not kept when the update points at another origin.
TEST_F(OriginTest, UpdateToAnotherOriginNeedsTheSecretAgain) {
  CreateOriginRepo("moved", json::object{{"type", "http"},
                                         {"url", nginx_.url() + "/bearer-area/"},
                                         {"auth", {{"bearer", kOriginBearer}}}});
  const json::object storage{{"type", "http"},
                             {"url", "http://attacker.example:8080/"},
                             {"auth", {{"bearer", "********"}}}};
  const HttpResponse patched = tollgate_.Admin("PATCH", "/api/v1/repos/default/moved/",
                                               json::serialize(json::object{{"storage", storage}}));
  EXPECT_TRUE(IsApiError(patched, 422, "invalid_field"));
  EXPECT_NE(patched.body.find("storage.auth.bearer"), std::string::npos) << patched.body;
}

// A bad storage configuration is refused with 422 naming the field.
TEST_F(OriginTest, InvalidStorageIs422NamingTheField) {
  const auto create = [&](json::object storage) {
    const json::object request{
        {"slug", "bad"}, {"repository_type", "private"}, {"storage", std::move(storage)}};
    return tollgate_.Admin("POST", "/api/v1/repos/default/", json::serialize(request));
  };
  const HttpResponse no_url = create(json::object{{"type", "http"}});
  EXPECT_TRUE(IsApiError(no_url, 422, "invalid_field"));
  EXPECT_NE(no_url.body.find("storage.url"), std::string::npos) << no_url.body;
  const HttpResponse ftp = create(json::object{{"type", "http"}, {"url", "ftp://origin/"}});
  EXPECT_NE(ftp.body.find("storage.url"), std::string::npos) << ftp.body;
  const HttpResponse timeout =
      create(json::object{{"type", "http"}, {"url", "http://origin/"}, {"read_timeout", "soon"}});
  EXPECT_NE(timeout.body.find("storage.read_timeout"), std::string::npos) << timeout.body;
  const HttpResponse both = create(
      json::object{{"type", "http"},
                   {"url", "http://origin/"},
                   {"auth", {{"bearer", "x"}}},
                   {"s3", {{"region", "us-east-1"}, {"access_key", "A"}, {"secret_key", "S"}}}});
  EXPECT_NE(both.body.find("storage.s3"), std::string::npos) << both.body;
}

// A request that fails on a reused keep-alive connection before any answer byte (the origin
// closed it as it was reused) is sent again on a new connection.
TEST_F(OriginTest, StaleKeepAliveConnectionIsRetried) {
  ScriptedOrigin origin([](int fd, int connection) {
    if (ScriptedOrigin::ReadRequestHeader(fd).empty()) return;
    ScriptedOrigin::WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    if (connection == 0) {
      ScriptedOrigin::ReadRequestHeader(fd);  // takes the next request, closes unanswered
      return;
    }
    ScriptedOrigin::WaitForClose(fd);
  });
  CreateOriginRepo("flaky", json::object{{"type", "http"}, {"url", origin.url()}});
  const std::string token = tollgate_.CreateTokenString("flaky");
  // One client connection, so both requests use the same event loop and its pool.
  HttpRequest request;
  request.target = Url(token, kDeb, "flaky");
  const std::vector<HttpResponse> responses =
      tollgate_.download().RequestsOnOneConnection({request, request});
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].body, "hello");
  EXPECT_EQ(responses[1].status, 200) << responses[1].body;
  EXPECT_EQ(responses[1].body, "hello");
  EXPECT_EQ(origin.connections(), 2);
}

// Origin connections are kept alive across requests, also after a small error page: a 404
// and the next download reach the origin on one connection.
TEST_F(OriginTest, OriginConnectionIsReusedAfterErrorPage) {
  HttpRequest missing;
  missing.target = Url(token_, "pool/missing_1.0_amd64.deb");
  HttpRequest present;
  present.target = Url(token_);
  // One client connection, so both requests use the same event loop and its pool.
  const std::vector<HttpResponse> responses =
      tollgate_.download().RequestsOnOneConnection({missing, present});
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].status, 404);
  EXPECT_EQ(responses[1].status, 200);
  const std::vector<std::string> lines = Lines(nginx_.AccessLog(2));
  ASSERT_EQ(lines.size(), 2u);
  const auto connection = [](const std::string& line) {
    const size_t at = line.find(" conn=");
    return line.substr(at, line.find(' ', at + 1) - at);
  };
  EXPECT_EQ(connection(lines[0]), connection(lines[1])) << lines[0] << "\n" << lines[1];
}

// A request that finds every allowed connection busy for longer than the connect timeout is
// upstream_timeout.
TEST_F(OriginTest, BusyConnectionsTimeOut) {
  tollgate_.Stop();
  ASSERT_TRUE(
      tollgate_.Start(AllowingLoopbackOrigins({"--threads", "1"})));  // one event loop, so one pool
  ScriptedOrigin origin([](int fd, int) {
    if (ScriptedOrigin::ReadRequestHeader(fd).empty()) return;
    std::this_thread::sleep_for(std::chrono::seconds(2));
    ScriptedOrigin::WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow");
  });
  CreateOriginRepo("busy", json::object{{"type", "http"},
                                        {"url", origin.url()},
                                        {"max_connections", 1},
                                        {"connect_timeout", 0.3}});
  const std::string target = Url(tollgate_.CreateTokenString("busy"), kDeb, "busy");
  std::thread first([&] { EXPECT_EQ(Get(target).body, "slow"); });
  for (int waited = 0; origin.connections() == 0 && waited < 1000; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(origin.connections(), 1);
  EXPECT_TRUE(IsDenial(Get(target), 504, "upstream_timeout"));
  first.join();
}

// Artifact paths are percent-encoded on their way to the origin, so odd names arrive intact.
TEST_F(OriginTest, PathIsEncodedForTheOrigin) {
  WriteFile(nginx_.root() / "files" / "pool" / "my pkg+1.0~rc.tar.gz", "odd name");
  const HttpResponse response = Get(Url(token_, "pool/my%20pkg%2B1.0~rc.tar.gz"));
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, "odd name");
}

// With max_connections 1, concurrent downloads wait for the one origin connection in turn.
TEST_F(OriginTest, ConnectionLimitMakesRequestsWait) {
  tollgate_.Stop();
  ASSERT_TRUE(
      tollgate_.Start(AllowingLoopbackOrigins({"--threads", "1"})));  // one event loop, so one pool
  ScriptedOrigin origin([](int fd, int) {
    while (!ScriptedOrigin::ReadRequestHeader(fd).empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      ScriptedOrigin::WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
  });
  CreateOriginRepo("limited",
                   json::object{{"type", "http"}, {"url", origin.url()}, {"max_connections", 1}});
  const std::string target = Url(tollgate_.CreateTokenString("limited"), kDeb, "limited");
  std::vector<std::thread> clients;
  std::atomic<int> ok = 0;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back([&] {
      if (Get(target).body == "ok") ++ok;
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(origin.connections(), 1);
}

}  // namespace
}  // namespace tollgate::testing
