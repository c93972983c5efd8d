// Repositories at an S3-compatible origin on the real binary, with a real nginx (WebDAV PUT
// and DELETE) standing in for the object store: requests are signed with Signature V4,
// package uploads stream to the origin and delete there, and plain HTTP origins refuse both.
#include <filesystem>
#include <string>

#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "nginx_server.h"
#include "response_assertions.h"
#include "tollgate/base/concat.h"
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
// X-Checksum-Sha256 for S3 to verify the body against), is recorded, listed, and downloads.
TEST_F(OriginUploadTest, UploadArrivesAtOrigin) {
  const std::string body(3 * 1024 * 1024 + 17, 'x');  // several relay chunks
  const HttpResponse first = Upload("s3repo", kDeb, body);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string actual = JsonString(ParseJson(first.body), "sha256");
  EXPECT_EQ(ReadFile(nginx_.root() / "bucket" / kDeb), body);
  std::vector<std::string> lines = OriginLines(kDeb, 1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].starts_with(Concat("PUT /bucket/", kDeb, " 201"))) << lines[0];
  EXPECT_NE(lines[0].find(Concat("Credential=", kAccessKey, "/")), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("amz_sha256=\"UNSIGNED-PAYLOAD\""), std::string::npos) << lines[0];

  const HttpResponse again =
      Upload("s3repo", kDeb, body, {{"X-Checksum-Sha256", actual}}, "?overwrite=true");
  ASSERT_EQ(again.status, 201) << again.body;
  lines = OriginLines(kDeb, 2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find(Concat("amz_sha256=\"", actual, "\"")), std::string::npos) << lines[1];

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

}  // namespace
}  // namespace tollgate::testing
