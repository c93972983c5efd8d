// The HTTP origin storage object: reading, validation messages naming the field, redaction
// of secrets and keeping them across updates to the same origin.
#include "tollgate/storage/http_origin_config.h"

#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "gtest/gtest.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace json = boost::json;

json::object Object(std::string_view text) { return json::parse(text).as_object(); }

// The message of a refused configuration, or "" when it was accepted.
std::string Refusal(std::string_view text) {
  absl::StatusOr<HttpOriginConfig> parsed = ParseHttpOriginConfig(Object(text));
  if (parsed.ok()) return "";
  EXPECT_TRUE(absl::IsInvalidArgument(parsed.status()));
  return std::string(ToStd(parsed.status().message()));
}

// A minimal configuration gets the documented defaults and a folder base path.
TEST(HttpOriginConfigTest, MinimalConfigGetsDefaults) {
  absl::StatusOr<HttpOriginConfig> config =
      ParseHttpOriginConfig(Object(R"({"type":"http","url":"http://origin.internal/pkgs"})"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "origin.internal");
  EXPECT_EQ(config->port, 80);
  EXPECT_EQ(config->base_path, "/pkgs/");
  EXPECT_EQ(config->authorization, "");
  EXPECT_FALSE(config->s3.has_value());
  EXPECT_EQ(config->connect_timeout, absl::Seconds(5));
  EXPECT_EQ(config->read_timeout, absl::Seconds(30));
  EXPECT_EQ(config->max_connections, 64u);
  EXPECT_EQ(config->max_idle, 16u);
}

// Every field is read: port, IPv6 host, timeouts in (fractional) seconds, pool limits.
TEST(HttpOriginConfigTest, ReadsEveryField) {
  absl::StatusOr<HttpOriginConfig> config = ParseHttpOriginConfig(
      Object(R"({"type":"http","url":"http://[::1]:8080/a%20b/","connect_timeout":0.5,)"
             R"("read_timeout":12,"max_connections":8,"max_idle":2})"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "::1");
  EXPECT_EQ(config->port, 8080);
  EXPECT_EQ(config->base_path, "/a%20b/");
  EXPECT_EQ(config->connect_timeout, absl::Milliseconds(500));
  EXPECT_EQ(config->read_timeout, absl::Seconds(12));
  EXPECT_EQ(config->max_connections, 8u);
  EXPECT_EQ(config->max_idle, 2u);
}

// Basic credentials become a ready Authorization value; bearer tokens too.
TEST(HttpOriginConfigTest, AuthBecomesAuthorizationHeader) {
  EXPECT_EQ(ParseHttpOriginConfig(
                Object(R"({"type":"http","url":"http://o/","auth":{"basic":"user:pass"}})"))
                ->authorization,
            "Basic dXNlcjpwYXNz");
  EXPECT_EQ(ParseHttpOriginConfig(
                Object(R"({"type":"http","url":"http://o/","auth":{"bearer":"tok-123"}})"))
                ->authorization,
            "Bearer tok-123");
}

// S3 credentials are read whole.
TEST(HttpOriginConfigTest, ReadsS3Credentials) {
  absl::StatusOr<HttpOriginConfig> config = ParseHttpOriginConfig(
      Object(R"({"type":"http","url":"http://minio:9000/bucket/",)"
             R"("s3":{"region":"eu-west-1","access_key":"AK","secret_key":"SK"}})"));
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->s3.has_value());
  EXPECT_EQ(config->s3->region, "eu-west-1");
  EXPECT_EQ(config->s3->access_key, "AK");
  EXPECT_EQ(config->s3->secret_key, "SK");
}

// Bad values are refused with a message naming the field.
TEST(HttpOriginConfigTest, RefusalsNameTheField) {
  EXPECT_TRUE(Refusal(R"({"type":"http"})").starts_with("storage.url:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"ftp://o/"})").starts_with("storage.url:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"https://o/"})").starts_with("storage.url:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://u:p@o/"})").starts_with("storage.url:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/?x=1"})").starts_with("storage.url:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/","colour":1})")
                  .starts_with("storage.colour: unknown field"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/","read_timeout":0})")
                  .starts_with("storage.read_timeout:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/","connect_timeout":"5s"})")
                  .starts_with("storage.connect_timeout:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/","max_connections":0})")
                  .starts_with("storage.max_connections:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/","max_connections":2,"max_idle":3})")
                  .starts_with("storage.max_idle:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/","auth":{"basic":"nocolon"}})")
                  .starts_with("storage.auth.basic:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/","auth":{"bearer":"a b"}})")
                  .starts_with("storage.auth.bearer:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/","s3":{"region":"us-east-1"}})")
                  .starts_with("storage.s3.access_key:"));
  EXPECT_TRUE(Refusal(R"({"type":"http","url":"http://o/",)"
                      R"("s3":{"region":"US","access_key":"A","secret_key":"S"}})")
                  .starts_with("storage.s3.region:"));
}

// A secret with a line break could inject a header, so it is refused — without quoting it.
TEST(HttpOriginConfigTest, SecretWithLineBreakIsRefusedWithoutQuotingIt) {
  const std::string message =
      Refusal(R"({"type":"http","url":"http://o/","auth":{"bearer":"evil\r\nX-Injected: 1"}})");
  EXPECT_TRUE(message.starts_with("storage.auth.bearer:")) << message;
  EXPECT_EQ(message.find("evil"), std::string::npos) << message;
}

// Redaction replaces every secret and nothing else.
TEST(HttpOriginConfigTest, RedactionHidesEverySecret) {
  const json::value redacted = RedactStorageSecrets(
      json::parse(R"({"type":"http","url":"http://o/","auth":{"basic":"u:p"},)"
                  R"("s3":{"region":"r","access_key":"AK","secret_key":"SK"}})"));
  EXPECT_EQ(redacted.at("auth").at("basic").as_string(), kRedactedSecret);
  EXPECT_EQ(redacted.at("s3").at("secret_key").as_string(), kRedactedSecret);
  EXPECT_EQ(redacted.at("s3").at("access_key").as_string(), "AK");
  EXPECT_EQ(redacted.at("url").as_string(), "http://o/");
}

// An update that sends the redacted value keeps the stored secret for the same origin, written
// the same way or not (an explicit default port, the prefix with or without its last '/').
TEST(HttpOriginConfigTest, RedactedSecretIsKeptForTheSameOrigin) {
  json::object update =
      Object(R"({"type":"http","url":"http://o:80/prefix","auth":{"bearer":"********"}})");
  const absl::Status s = RestoreStorageSecrets(
      update, json::parse(R"({"type":"http","url":"http://o/prefix/","auth":{"bearer":"kept"}})"));
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(update.at("auth").at("bearer").as_string(), "kept");
}

// The stored secret is not kept when the update points at another host or port.
TEST(HttpOriginConfigTest, RedactedSecretIsNotSentToAnotherOrigin) {
  const json::value stored = json::parse(
      R"({"type":"http","url":"http://o/","s3":{"region":"r","access_key":"A","secret_key":"S"}})");
  json::object other_host =
      Object(R"({"type":"http","url":"http://elsewhere/",)"
             R"("s3":{"region":"r","access_key":"A","secret_key":"********"}})");
  EXPECT_TRUE(absl::IsInvalidArgument(RestoreStorageSecrets(other_host, stored)));
  json::object other_port =
      Object(R"({"type":"http","url":"http://o:81/",)"
             R"("s3":{"region":"r","access_key":"A","secret_key":"********"}})");
  const absl::Status s = RestoreStorageSecrets(other_port, stored);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_TRUE(ToStd(s.message()).starts_with("storage.s3.secret_key:")) << s;
}

// The path prefix is part of the origin: a secret given for one bucket or folder of a host
// is not replayed to another one, nor to a prefix that only starts the same way.
TEST(HttpOriginConfigTest, RedactedSecretIsNotSentToAnotherPathPrefix) {
  const json::value stored =
      json::parse(R"({"type":"http","url":"http://o/bucket-a/","auth":{"bearer":"kept"}})");
  for (const char* url : {"http://o/bucket-b/", "http://o/", "http://o/bucket-a/inner/",
                          "http://o/bucket-a%2F/", "http://o/BUCKET-A/"}) {
    json::object update =
        Object(Concat(R"({"type":"http","url":")", url, R"(","auth":{"bearer":"********"}})"));
    const absl::Status s = RestoreStorageSecrets(update, stored);
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << url;
    EXPECT_TRUE(ToStd(s.message()).starts_with("storage.auth.bearer:")) << s;
    EXPECT_EQ(update.at("auth").at("bearer").as_string(), kRedactedSecret) << url;
  }
}

// Moving to another origin without the secret fields is refused rather than silently
// dropping the secret; an explicit null or a new value is accepted.
TEST(HttpOriginConfigTest, MovedOriginNeedsTheSecretFieldsAgain) {
  const json::value stored = json::parse(
      R"({"type":"http","url":"http://o/a/","s3":{"region":"r","access_key":"A","secret_key":"S"}})");
  json::object omitted = Object(R"({"type":"http","url":"http://o/b/"})");
  const absl::Status s = RestoreStorageSecrets(omitted, stored);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_TRUE(ToStd(s.message()).starts_with("storage.s3:")) << s;
  json::object dropped = Object(R"({"type":"http","url":"http://o/b/","s3":null})");
  EXPECT_TRUE(RestoreStorageSecrets(dropped, stored).ok());
  json::object renewed = Object(
      R"({"type":"http","url":"http://o/b/","s3":{"region":"r","access_key":"A","secret_key":"N"}})");
  EXPECT_TRUE(RestoreStorageSecrets(renewed, stored).ok());
  EXPECT_EQ(renewed.at("s3").at("secret_key").as_string(), "N");
  // The same origin may still leave a secret out, which drops it.
  json::object same = Object(R"({"type":"http","url":"http://o/a/"})");
  EXPECT_TRUE(RestoreStorageSecrets(same, stored).ok());
}

// A redacted value with no stored secret behind it is refused.
TEST(HttpOriginConfigTest, RedactedSecretWithoutStoredOneIsRefused) {
  json::object update = Object(R"({"type":"http","url":"http://o/","auth":{"bearer":"********"}})");
  EXPECT_TRUE(absl::IsInvalidArgument(
      RestoreStorageSecrets(update, json::parse(R"({"type":"http","url":"http://o/"})"))));
}

// Stored JSON is recognised as an HTTP origin only when its type says so.
TEST(HttpOriginConfigTest, RecognisesHttpStorage) {
  EXPECT_TRUE(IsHttpStorage(R"({"type":"http","url":"http://o/"})"));
  EXPECT_FALSE(IsHttpStorage(R"({"type":"fs"})"));
  EXPECT_FALSE(IsHttpStorage("not json"));
}

}  // namespace
}  // namespace tollgate::storage
