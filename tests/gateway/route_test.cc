// Tests of download request-target routing and artifact path normalisation (SPEC §2).
#include "http/route.h"

#include <initializer_list>
#include <string>

#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

// Refused targets must be InvalidArgument, the status the gateway turns into 400 bad_request.
void ExpectRefused(std::string_view target) {
  SCOPED_TRACE(target);
  const absl::StatusOr<DownloadRoute> route = RouteDownloadTarget(target);
  ASSERT_FALSE(route.ok());
  EXPECT_EQ(route.status().code(), absl::StatusCode::kInvalidArgument);
}

// A token in the first segment selects kPathToken and carries the token.
TEST(RouteDownloadTargetTest, FirstSegmentIsPathToken) {
  const absl::StatusOr<DownloadRoute> route =
      RouteDownloadTarget("/tok12345/acme/agents/pool/a_1.0_amd64.deb");
  ASSERT_TRUE(route.ok()) << route.status();
  EXPECT_EQ(route->source, CredentialSource::kPathToken);
  EXPECT_EQ(route->token, "tok12345");
  EXPECT_EQ(route->org, "acme");
  EXPECT_EQ(route->repo, "agents");
  EXPECT_EQ(route->artifact.path, "pool/a_1.0_amd64.deb");
  EXPECT_FALSE(route->artifact.is_folder);
}

// `basic` and `public` are keywords, not tokens, and leave the token empty.
TEST(RouteDownloadTargetTest, KeywordsSelectBasicAndPublic) {
  const struct {
    std::string_view target;
    CredentialSource source;
  } cases[] = {
      {"/basic/acme/agents/x.whl", CredentialSource::kBasic},
      {"/public/acme/agents/x.whl", CredentialSource::kPublic},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.target);
    const absl::StatusOr<DownloadRoute> route = RouteDownloadTarget(c.target);
    ASSERT_TRUE(route.ok()) << route.status();
    EXPECT_EQ(route->source, c.source);
    EXPECT_EQ(route->token, "");
    EXPECT_EQ(route->artifact.path, "x.whl");
  }
}

// Keywords are case-sensitive, so `Basic` is just an (unknown) token.
TEST(RouteDownloadTargetTest, KeywordsAreCaseSensitive) {
  const absl::StatusOr<DownloadRoute> route = RouteDownloadTarget("/Basic/acme/agents/x");
  ASSERT_TRUE(route.ok()) << route.status();
  EXPECT_EQ(route->source, CredentialSource::kPathToken);
  EXPECT_EQ(route->token, "Basic");
}

// The query string plays no part in routing.
TEST(RouteDownloadTargetTest, QueryIsIgnored) {
  const absl::StatusOr<DownloadRoute> route =
      RouteDownloadTarget("/public/acme/agents/simple/pkg/?a=%2F..&b=/");
  ASSERT_TRUE(route.ok()) << route.status();
  EXPECT_EQ(route->artifact.path, "simple/pkg");
  EXPECT_TRUE(route->artifact.is_folder);
}

// The repository root, with or without a trailing slash, is the folder "".
TEST(RouteDownloadTargetTest, RepositoryRootIsFolder) {
  for (std::string_view target : {"/public/acme/agents", "/public/acme/agents/",
                                  "/public/acme/agents?x", "/public/acme/agents/./"}) {
    SCOPED_TRACE(target);
    const absl::StatusOr<DownloadRoute> route = RouteDownloadTarget(target);
    ASSERT_TRUE(route.ok()) << route.status();
    EXPECT_EQ(route->artifact.path, "");
    EXPECT_TRUE(route->artifact.is_folder);
  }
}

// Percent-escapes in the credential, org and repo segments are decoded too.
TEST(RouteDownloadTargetTest, DecodesPrefixSegments) {
  const absl::StatusOr<DownloadRoute> route = RouteDownloadTarget("/t%6Fk/%61cme/agents/x");
  ASSERT_TRUE(route.ok()) << route.status();
  EXPECT_EQ(route->token, "tok");
  EXPECT_EQ(route->org, "acme");
}

// Fewer than credential, org and repo segments (or empty ones) is malformed.
TEST(RouteDownloadTargetTest, RefusesMissingSegments) {
  for (std::string_view target :
       {"/", "/tok", "/tok/", "/tok/acme", "/tok/acme/", "//acme/agents/x", "/tok//agents/x",
        "/tok/acme//x", "/./acme/agents/x", "/%2e/acme/agents/x", "/?/acme/agents"}) {
    ExpectRefused(target);
  }
}

// Org and repo must be slugs, which also keeps "." and ".." out of them.
TEST(RouteDownloadTargetTest, RefusesInvalidOrgOrRepo) {
  for (std::string_view target :
       {"/tok/-acme/agents/x", "/tok/acme/agents!/x", "/tok/ac%20me/agents/x",
        "/tok/acme/.hidden/x", "/tok/acme/%2e%2e/x"}) {
    ExpectRefused(target);
  }
}

// Only origin-form targets are routed: absolute-form, asterisk-form and relative ones are not.
TEST(RouteDownloadTargetTest, RefusesTargetsNotStartingWithSlash) {
  for (std::string_view target :
       {"", "*", "tok/acme/agents/x", "http://example.com/tok/acme/agents/x"}) {
    ExpectRefused(target);
  }
}

// Traversal and smuggling attempts anywhere in the target are refused.
TEST(RouteDownloadTargetTest, RefusesTraversalAttempts) {
  for (std::string_view target : {
           "/tok/acme/agents/../other/x",
           "/tok/acme/agents/a/../b",
           "/tok/acme/agents/%2e%2e/x",
           "/tok/acme/agents/%2E./x",
           "/tok/acme/agents/.%2E/x",
           "/tok/acme/agents/a/..",
           "/tok/acme/agents/a%2f..%2fb",
           "/tok/acme/agents/a%2F..%2Fb",
           "/tok/acme/agents/a%5cb",
           "/tok/acme/agents/a%5C..%5Cb",
           "/tok/acme/agents/a\\b",
           "/tok/acme/agents/a%00.deb",
           "/../acme/agents/x",
           "/tok%2facme/agents/x",
           "/tok/acme%00/agents/x",
       }) {
    ExpectRefused(target);
  }
}

// Targets up to 8 KiB are routed; one byte more is refused.
TEST(RouteDownloadTargetTest, LimitsTargetLength) {
  const std::string prefix = "/tok/acme/agents/";
  const std::string at_limit = prefix + std::string(kMaxTargetLength - prefix.size(), 'a');
  EXPECT_TRUE(RouteDownloadTarget(at_limit).ok());
  ExpectRefused(at_limit + "a");
}

// Error messages never repeat the token, which would leak it into logs and responses.
TEST(RouteDownloadTargetTest, ErrorsDoNotContainToken) {
  for (std::string_view target : {"/secret-token-1/acme/../x", "/secret-token-1/-acme/agents/x",
                                  "/secret-token-1/acme/agents/%zz", "/secret-token-1/acme"}) {
    SCOPED_TRACE(target);
    const absl::StatusOr<DownloadRoute> route = RouteDownloadTarget(target);
    ASSERT_FALSE(route.ok());
    EXPECT_EQ(route.status().message().find("secret-token-1"), std::string_view::npos);
  }
}

// Empty and "." segments are dropped, so apt's ./Packages and doubled slashes resolve.
TEST(NormaliseArtifactPathTest, DropsEmptyAndDotSegments) {
  const struct {
    std::string_view raw;
    std::string_view path;
  } cases[] = {
      {"./Packages", "Packages"},
      {"//a", "a"},
      {"a//b", "a/b"},
      {"a/./b", "a/b"},
      {"%2e/a", "a"},
      {"dists/stable/./main/binary-amd64/./Packages.gz",
       "dists/stable/main/binary-amd64/Packages.gz"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw);
    const absl::StatusOr<ArtifactPath> path = NormaliseArtifactPath(c.raw);
    ASSERT_TRUE(path.ok()) << path.status();
    EXPECT_EQ(path->path, c.path);
    EXPECT_FALSE(path->is_folder);
  }
}

// A path ending in '/', in a dropped "." segment, or empty names a folder.
TEST(NormaliseArtifactPathTest, RecognisesFolders) {
  const struct {
    std::string_view raw;
    std::string_view path;
  } cases[] = {
      {"", ""},
      {"/", ""},
      {".", ""},
      {"simple/", "simple"},
      {"simple/pkg/.", "simple/pkg"},
      {"simple//", "simple"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw);
    const absl::StatusOr<ArtifactPath> path = NormaliseArtifactPath(c.raw);
    ASSERT_TRUE(path.ok()) << path.status();
    EXPECT_EQ(path->path, c.path);
    EXPECT_TRUE(path->is_folder);
  }
}

// Escapes are decoded once; '+' stays a plus as it means nothing special in a path.
TEST(NormaliseArtifactPathTest, DecodesEscapesOnce) {
  const struct {
    std::string_view raw;
    std::string_view path;
  } cases[] = {
      {"agent_1%3a2.0_amd64.deb", "agent_1:2.0_amd64.deb"},
      {"lib%2Bext_1.0+dfsg.deb", "lib+ext_1.0+dfsg.deb"},
      {"a%20b", "a b"},
      {"%C3%A9t%C3%A9.txt", "\xC3\xA9t\xC3\xA9.txt"},
      {"%252e%252e/x", "%2e%2e/x"},
      {"%252F", "%2F"},
      {"...", "..."},
      {"..a/a..", "..a/a.."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw);
    const absl::StatusOr<ArtifactPath> path = NormaliseArtifactPath(c.raw);
    ASSERT_TRUE(path.ok()) << path.status();
    EXPECT_EQ(path->path, c.path);
  }
}

// Malformed escapes, encoded separators, control bytes and ".." segments are refused.
TEST(NormaliseArtifactPathTest, RefusesUnsafeInput) {
  for (std::string_view raw : std::initializer_list<std::string_view>{
           "%",
           "a%",
           "a%2",
           "%zz",
           "%g0",
           "%2x",  // malformed escapes
           "..",
           "a/..",
           "../a",
           "a/../b",
           "%2e%2e",  // dot-dot segments
           "%2E%2E/a",
           "%2E.",
           ".%2e",
           "a/%2e%2e/",  // encoded dot-dot
           "a%2fb",
           "a%2Fb",
           "a%5cb",
           "a%5Cb",  // encoded separators
           "a\\b",
           "a%00b",
           "a%01",
           "a%1f",
           "a%7f",  // backslash and control bytes
           std::string_view("a\0b", 3),
           "a\tb",
           "a\x7f",
       }) {
    SCOPED_TRACE(testing::Message() << "raw=" << raw);
    const absl::StatusOr<ArtifactPath> path = NormaliseArtifactPath(raw);
    ASSERT_FALSE(path.ok());
    EXPECT_EQ(path.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace tollgate::gateway
