// Repositories at an S3-compatible origin on the real binary, with a real nginx (WebDAV PUT
// and DELETE) standing in for the object store: requests are signed with Signature V4,
// package uploads stream to the origin (after a HEAD for what is there) and delete there, and
// plain HTTP origins refuse both.
#include <atomic>
#include <filesystem>
#include <string>

#include "archive_builder.h"
#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nginx_server.h"
#include "response_assertions.h"
#include "scripted_origin.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/sha256.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccessKey = "TESTACCESSKEY";
constexpr std::string_view kSecretKey = "test-secret-key-never-logged";
constexpr std::string_view kDeb = "pool/agent_3.0_amd64.deb";
// SHA-256 of the empty body, which signed requests without a body carry.
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

class OriginUploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tollgate_.Start(AllowingLoopbackOrigins({"--threads", "2"})));
    std::filesystem::create_directories(nginx_.root() / "bucket");
    CreateRepo(
        "s3repo",
        json::object{
            {"type", "http"},
            {"url", nginx_.url() + "/bucket/"},
            {"s3",
             {{"region", "us-east-1"}, {"access_key", kAccessKey}, {"secret_key", kSecretKey}}}});
  }

  void CreateRepo(std::string_view slug, json::object storage) const {
    const json::object request{
        {"slug", slug}, {"repository_type", "private"}, {"storage", std::move(storage)}};
    const HttpResponse response =
        tollgate_.Admin("POST", "/api/v1/repos/default/", json::serialize(request));
    if (response.status != 201) throw std::runtime_error("create repo: " + response.body);
  }

  HttpResponse Upload(std::string_view repo, std::string_view path, std::string_view body,
                      Headers headers = {}, std::string_view query = "") const {
    return tollgate_.Admin("PUT", Concat("/api/v1/packages/default/", repo, "/files/", path, query),
                           body, std::move(headers));
  }

  // A member of the org holding `privilege` on s3repo; its API key.
  std::string Member(std::string_view name, std::string_view privilege) const {
    const HttpResponse added =
        tollgate_.Admin("POST", "/api/v1/orgs/default/members/",
                        json::serialize(json::object{{"name", name}, {"role", "member"}}));
    if (added.status != 201) throw std::runtime_error("add member: " + added.body);
    const json::array grants{
        json::object{{"kind", "user"}, {"name", name}, {"privilege", privilege}}};
    const HttpResponse granted =
        tollgate_.Admin("PUT", "/api/v1/repos/default/s3repo/privileges/", json::serialize(grants));
    if (granted.status != 200) throw std::runtime_error("grant: " + granted.body);
    return JsonString(ParseJson(added.body), "key");
  }

  HttpResponse UploadAs(const std::string& key, std::string_view path, std::string_view body,
                        std::string_view query = "") const {
    return tollgate_.admin().Request("PUT",
                                     Concat("/api/v1/packages/default/s3repo/files/", path, query),
                                     {{"X-Api-Key", key}}, body);
  }

  // The access-log lines of nginx that mention `path`, once it logged `min_lines` requests.
  std::vector<std::string> OriginLines(std::string_view path, size_t min_lines = 0) const {
    std::vector<std::string> found;
    for (const std::string& line : Lines(nginx_.AccessLog(min_lines))) {
      if (line.find(path) != std::string::npos) found.push_back(line);
    }
    return found;
  }

  // nginx with WebDAV writes under /bucket/, like an object store's PUT and DELETE.
  NginxServer nginx_{
      "    location /bucket/ { dav_methods PUT DELETE; create_full_put_path on; }\n"};
  TollgateProcess tollgate_;
};

// A download from an S3 origin carries a Signature V4 Authorization, x-amz-date and
// x-amz-content-sha256 (the empty body's hash).
TEST_F(OriginUploadTest, DownloadsAreSigned) {
  WriteFile(nginx_.root() / "bucket" / kDeb, "package bytes");
  const std::string token = tollgate_.CreateTokenString("s3repo");
  const HttpResponse response =
      tollgate_.download().Get(Concat("/", token, "/default/s3repo/", kDeb));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, "package bytes");
  const std::vector<std::string> lines = OriginLines(kDeb, 1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(Concat("auth=\"AWS4-HMAC-SHA256 Credential=", kAccessKey, "/")),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[0].find("/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;"
                          "x-amz-date, Signature="),
            std::string::npos)
      << lines[0];
  EXPECT_EQ(lines[0].find("amz_date=\"-\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(Concat("amz_sha256=\"", kEmptySha256, "\"")), std::string::npos)
      << lines[0];
  EXPECT_EQ(nginx_.AccessLog().find(kSecretKey), std::string::npos);
}

// An upload streams to the origin as a signed PUT (UNSIGNED-PAYLOAD, or the client's
// X-Checksum-Sha256 for S3 to verify the body against), after a signed HEAD found nothing
// there; it is recorded, listed, and downloads. Replacing a recorded upload needs no HEAD.
TEST_F(OriginUploadTest, UploadArrivesAtOrigin) {
  const std::string body(3 * 1024 * 1024 + 17, 'x');  // several relay chunks
  const HttpResponse first = Upload("s3repo", kDeb, body);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string actual = JsonString(ParseJson(first.body), "sha256");
  EXPECT_EQ(ReadFile(nginx_.root() / "bucket" / kDeb), body);
  std::vector<std::string> lines = OriginLines(kDeb, 2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].starts_with(Concat("HEAD /bucket/", kDeb, " 404"))) << lines[0];
  EXPECT_NE(lines[0].find(Concat("Credential=", kAccessKey, "/")), std::string::npos) << lines[0];
  EXPECT_TRUE(lines[1].starts_with(Concat("PUT /bucket/", kDeb, " 201"))) << lines[1];
  EXPECT_NE(lines[1].find(Concat("Credential=", kAccessKey, "/")), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("amz_sha256=\"UNSIGNED-PAYLOAD\""), std::string::npos) << lines[1];

  const HttpResponse again =
      Upload("s3repo", kDeb, body, {{"X-Checksum-Sha256", actual}}, "?overwrite=true");
  ASSERT_EQ(again.status, 201) << again.body;
  lines = OriginLines(kDeb, 3);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[2].starts_with(Concat("PUT /bucket/", kDeb, " 20"))) << lines[2];
  EXPECT_NE(lines[2].find(Concat("amz_sha256=\"", actual, "\"")), std::string::npos) << lines[2];

  const HttpResponse listed = tollgate_.Admin("GET", "/api/v1/packages/default/s3repo/");
  ASSERT_EQ(listed.status, 200);
  const json::array packages = ParseJson(listed.body).as_array();
  ASSERT_EQ(packages.size(), 1u);
  EXPECT_EQ(packages[0].at("path").as_string(), kDeb);
  EXPECT_EQ(packages[0].at("name").as_string(), "agent");
  const std::string token = tollgate_.CreateTokenString("s3repo");
  EXPECT_TRUE(tollgate_.download().Get(Concat("/", token, "/default/s3repo/", kDeb)).body == body);
}

// An upload whose body does not match X-Checksum-Sha256 is refused and never completes at
// the origin: its last byte was held back, so the origin saw an unfinished request.
TEST_F(OriginUploadTest, ChecksumMismatchLeavesNothingAtOrigin) {
  const HttpResponse response =
      Upload("s3repo", kDeb, "the real body", {{"X-Checksum-Sha256", std::string(64, 'a')}});
  EXPECT_TRUE(IsApiError(response, 422, "checksum_mismatch"));
  EXPECT_FALSE(std::filesystem::exists(nginx_.root() / "bucket" / kDeb));
  EXPECT_TRUE(ParseJson(tollgate_.Admin("GET", "/api/v1/packages/default/s3repo/").body)
                  .as_array()
                  .empty());
}

// A second upload to the same path is a conflict unless overwrite is asked for.
TEST_F(OriginUploadTest, ExistingPathNeedsOverwrite) {
  ASSERT_EQ(Upload("s3repo", kDeb, "one").status, 201);
  EXPECT_TRUE(IsApiError(Upload("s3repo", kDeb, "two"), 409, "conflict"));
  EXPECT_EQ(ReadFile(nginx_.root() / "bucket" / kDeb), "one");
  EXPECT_EQ(Upload("s3repo", kDeb, "two", {}, "?overwrite=true").status, 201);
  EXPECT_EQ(ReadFile(nginx_.root() / "bucket" / kDeb), "two");
}

// An object put at the origin by other means is found with a HEAD before writing: without
// overwrite the upload is a conflict, and the object is untouched.
TEST_F(OriginUploadTest, ObjectAlreadyAtOriginIsAConflict) {
  WriteFile(nginx_.root() / "bucket" / kDeb, "placed at the origin");
  EXPECT_TRUE(IsApiError(Upload("s3repo", kDeb, "mine"), 409, "conflict"));
  EXPECT_EQ(ReadFile(nginx_.root() / "bucket" / kDeb), "placed at the origin");
  const std::vector<std::string> lines = OriginLines(kDeb, 1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].starts_with(Concat("HEAD /bucket/", kDeb, " 200"))) << lines[0];
}

// An object tollgate did not upload is nobody's upload: a writer cannot replace it even with
// overwrite (and nothing is sent), an admin can.
TEST_F(OriginUploadTest, ObjectTollgateDidNotUploadNeedsAdminToReplace) {
  WriteFile(nginx_.root() / "bucket" / kDeb, "placed at the origin");
  const std::string writer = Member("writer", "write");
  const HttpResponse refused = UploadAs(writer, kDeb, "mine", "?overwrite=true");
  EXPECT_TRUE(IsApiError(refused, 403, "insufficient_privilege"));
  EXPECT_NE(refused.body.find("admin on default/s3repo"), std::string::npos) << refused.body;
  EXPECT_EQ(ReadFile(nginx_.root() / "bucket" / kDeb), "placed at the origin");
  for (const std::string& line : OriginLines(kDeb, 1)) {
    EXPECT_FALSE(line.starts_with("PUT ")) << line;
  }
  EXPECT_EQ(Upload("s3repo", kDeb, "replaced", {}, "?overwrite=true").status, 201);
  EXPECT_EQ(ReadFile(nginx_.root() / "bucket" / kDeb), "replaced");
}

// A writer replaces its own uploads, never another account's; a new path needs no overwrite.
TEST_F(OriginUploadTest, WriterReplacesOnlyItsOwnUploads) {
  const std::string writer = Member("writer", "write");
  ASSERT_EQ(UploadAs(writer, kDeb, "one").status, 201);
  EXPECT_EQ(UploadAs(writer, kDeb, "two", "?overwrite=true").status, 201);
  EXPECT_EQ(ReadFile(nginx_.root() / "bucket" / kDeb), "two");
  constexpr std::string_view kOwners = "pool/owner_1.0_amd64.deb";
  ASSERT_EQ(Upload("s3repo", kOwners, "owner's").status, 201);
  EXPECT_TRUE(IsApiError(UploadAs(writer, kOwners, "mine", "?overwrite=true"), 403,
                         "insufficient_privilege"));
  EXPECT_EQ(ReadFile(nginx_.root() / "bucket" / kOwners), "owner's");
}

// Deleting a package of an S3 repository deletes the object at the origin and the record.
TEST_F(OriginUploadTest, DeleteRemovesObjectAtOrigin) {
  ASSERT_EQ(Upload("s3repo", kDeb, "bytes").status, 201);
  const HttpResponse deleted =
      tollgate_.Admin("DELETE", Concat("/api/v1/packages/default/s3repo/files/", kDeb));
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_FALSE(std::filesystem::exists(nginx_.root() / "bucket" / kDeb));
  EXPECT_TRUE(ParseJson(tollgate_.Admin("GET", "/api/v1/packages/default/s3repo/").body)
                  .as_array()
                  .empty());
}

// A repository holding uploads at its origin cannot be deleted before its packages.
TEST_F(OriginUploadTest, RepositoryWithUploadsIsNotDeleted) {
  ASSERT_EQ(Upload("s3repo", kDeb, "bytes").status, 201);
  EXPECT_TRUE(IsApiError(tollgate_.Admin("DELETE", "/api/v1/repos/default/s3repo/"), 409,
                         "repository_not_empty"));
}

// Uploads and deletions to a plain HTTP origin are refused: it is read-only through tollgate.
TEST_F(OriginUploadTest, PlainHttpOriginRefusesUploads) {
  CreateRepo("plain", json::object{{"type", "http"}, {"url", nginx_.url() + "/bucket/"}});
  EXPECT_TRUE(IsApiError(Upload("plain", kDeb, "bytes"), 405, "upload_not_supported"));
  EXPECT_TRUE(
      IsApiError(tollgate_.Admin("DELETE", Concat("/api/v1/packages/default/plain/files/", kDeb)),
                 405, "upload_not_supported"));
  EXPECT_TRUE(OriginLines(kDeb).empty());
}

// An upload needs a fresh connection; with max_connections 1 it takes the slot of the idle
// connection a download left behind instead of waiting for it.
TEST_F(OriginUploadTest, UploadTakesTheSlotOfAnIdleConnection) {
  tollgate_.Stop();
  ASSERT_TRUE(
      tollgate_.Start(AllowingLoopbackOrigins({"--threads", "1"})));  // one event loop, so one pool
  CreateRepo(
      "single",
      json::object{
          {"type", "http"},
          {"url", nginx_.url() + "/bucket/"},
          {"max_connections", 1},
          {"connect_timeout", 2},
          {"s3",
           {{"region", "us-east-1"}, {"access_key", kAccessKey}, {"secret_key", kSecretKey}}}});
  WriteFile(nginx_.root() / "bucket" / "pool" / "first_1.0_amd64.deb", "first");
  const std::string token = tollgate_.CreateTokenString("single");
  ASSERT_EQ(
      tollgate_.download().Get(Concat("/", token, "/default/single/pool/first_1.0_amd64.deb")).body,
      "first");
  const HttpResponse uploaded = Upload("single", kDeb, "second");
  EXPECT_EQ(uploaded.status, 201) << uploaded.body;
}

// The existence check follows no redirect and fails closed: a HEAD answered with a redirect
// (here towards the metadata service) is 502, and the upload is never sent.
TEST_F(OriginUploadTest, RedirectedExistenceCheckIsUpstreamUnavailable) {
  std::atomic<bool> put_seen = false;
  ScriptedOrigin origin([&put_seen](int fd, int) {
    for (std::string header; !(header = ScriptedOrigin::ReadRequestHeader(fd)).empty();) {
      if (header.starts_with("PUT ")) put_seen = true;
      ScriptedOrigin::WriteAll(fd,
                               "HTTP/1.1 301 Moved Permanently\r\nLocation: "
                               "http://169.254.169.254/latest/\r\nContent-Length: 0\r\n\r\n");
    }
  });
  CreateRepo(
      "redirecting",
      json::object{
          {"type", "http"},
          {"url", origin.url()},
          {"s3",
           {{"region", "us-east-1"}, {"access_key", kAccessKey}, {"secret_key", kSecretKey}}}});
  EXPECT_TRUE(IsApiError(Upload("redirecting", kDeb, "bytes"), 502, "upstream_unavailable"));
  EXPECT_FALSE(put_seen);
  EXPECT_EQ(origin.connections(), 1);
}

// A chunked upload (no Content-Length) to an S3 origin is refused with 411: S3 needs the
// length before the body.
TEST_F(OriginUploadTest, ChunkedUploadIsLengthRequired) {
  const RawExchange exchange = tollgate_.admin().SendRaw(
      Concat("PUT /api/v1/packages/default/s3repo/files/", kDeb,
             " HTTP/1.1\r\nHost: t\r\nX-Api-Key: ", tollgate_.admin_key(),
             "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nbytes\r\n0\r\n\r\n"));
  EXPECT_TRUE(exchange.received.starts_with("HTTP/1.1 411")) << exchange.received;
  EXPECT_NE(exchange.received.find("length_required"), std::string::npos);
}

// A wheel uploaded through tollgate to an S3 origin is described on its way (its bytes are
// spooled while they stream to the origin), so the Python view lists it with its hash and
// Requires-Python, and its link downloads it from the origin.
TEST_F(OriginUploadTest, UploadedWheelShowsInThePythonView) {
  const std::string wheel = formats::testing::BuildArchive(
      formats::testing::ArchiveKind::kZip,
      {{"acme_agent-2.0.0.dist-info/METADATA", "Name: acme-agent\nRequires-Python: >=3.10\n"}});
  const std::string path = "py/acme_agent-2.0.0-py3-none-any.whl";
  ASSERT_EQ(Upload("s3repo", path, wheel).status, 201);
  const std::string token = tollgate_.CreateTokenString("s3repo");
  const HttpResponse page =
      tollgate_.download().Get(Concat("/", token, "/default/s3repo/-/pypi/simple/acme-agent/"));
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string link = Concat("/", token, "/default/s3repo/", path);
  EXPECT_NE(page.body.find(Concat(link, "#sha256=", storage::Sha256Hex(wheel))), std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find(R"(data-requires-python="&gt;=3.10")"), std::string::npos);
  const HttpResponse download = tollgate_.download().Get(link);
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body, wheel);
}

}  // namespace
}  // namespace tollgate::testing
