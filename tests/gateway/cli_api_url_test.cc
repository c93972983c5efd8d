// Tests of --api parsing and of the percent-encoding of request path segments.
#include "absl/strings/match.h"
#include "cli/api_url.h"
#include "gtest/gtest.h"

namespace tollgate::gateway::cli {
namespace {

// Host, port and an optional path prefix are taken apart.
TEST(ParseApiUrlTest, HostPortAndPrefix) {
  const absl::StatusOr<ApiUrl> url = ParseApiUrl("http://127.0.0.1:8081/tollgate/");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, "8081");
  EXPECT_EQ(url->host_header, "127.0.0.1:8081");
  EXPECT_EQ(url->base_path, "/tollgate");
}

// Without a port, HTTP's 80; IPv6 literals lose their brackets for connecting only.
TEST(ParseApiUrlTest, DefaultPortAndIpv6) {
  const absl::StatusOr<ApiUrl> url = ParseApiUrl("http://[::1]");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, "80");
  EXPECT_EQ(url->host_header, "[::1]");
  EXPECT_EQ(url->base_path, "");
}

// https:// is TLS, on 443 unless the URL names a port.
TEST(ParseApiUrlTest, HttpsIsTls) {
  const absl::StatusOr<ApiUrl> url = ParseApiUrl("https://admin.example");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->port, "443");
  EXPECT_FALSE(ParseApiUrl("http://admin.example")->tls);
}

// Other schemes, credentials, queries and non-URLs are refused.
TEST(ParseApiUrlTest, RefusesWhatItCannotUse) {
  for (const std::string_view text :
       {"ftp://127.0.0.1:8081", "http://user:pw@127.0.0.1", "http://127.0.0.1/?x=1",
        "127.0.0.1:8081", "not a url", "http://"}) {
    SCOPED_TRACE(text);
    const absl::StatusOr<ApiUrl> url = ParseApiUrl(text);
    ASSERT_FALSE(url.ok());
    EXPECT_EQ(url.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(url.status().message(), "--api: "));
  }
}

// The refused text is never echoed: it may be a credential, or a key given to the wrong option.
TEST(ParseApiUrlTest, ErrorOmitsTheText) {
  for (const std::string_view text :
       {"http://admin:s3cret@127.0.0.1", "s3cret-key-in-wrong-place"}) {
    SCOPED_TRACE(text);
    const absl::StatusOr<ApiUrl> url = ParseApiUrl(text);
    ASSERT_FALSE(url.ok());
    EXPECT_EQ(url.status().message().find("s3cret"), absl::string_view::npos);
  }
}

// Unreserved characters pass; everything else, '/' included, is %XX.
TEST(EncodeSegmentTest, EncodesReserved) {
  EXPECT_EQ(EncodeSegment("a-Z_0.9~"), "a-Z_0.9~");
  EXPECT_EQ(EncodeSegment("a b/c?d%e#f"), "a%20b%2Fc%3Fd%25e%23f");
  EXPECT_EQ(EncodeSegment("\xC3\xBC"), "%C3%BC");
}

// Paths keep their separators, each segment encoded.
TEST(EncodePathTest, KeepsSlashes) {
  EXPECT_EQ(EncodePath("pool/main/a b+1.deb"), "pool/main/a%20b%2B1.deb");
}

}  // namespace
}  // namespace tollgate::gateway::cli
