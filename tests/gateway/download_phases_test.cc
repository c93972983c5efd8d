// Socket-free tests of the download phases (route, authenticate, locate, decide, reserve,
// Finish) through DownloadPipeline::Prepare and the reserve phase, on real embedded stores.
#include <optional>
#include <string>

#include "await.h"
#include "boost/asio/io_context.hpp"
#include "boost/beast/http/message.hpp"
#include "boost/json/parse.hpp"
#include "download/download_pipeline.h"
#include "download/phases.h"
#include "download_world.h"
#include "gtest/gtest.h"

namespace tollgate::gateway {
namespace {

namespace http = boost::beast::http;
using policy::Reason;
using tollgate::testing::Await;
using tollgate::testing::DownloadWorld;

constexpr std::string_view kDeb = "pool/main/a/agent_2.1.0_amd64.deb";
constexpr size_t kDebSize = 4096;

class DownloadPhasesTest : public ::testing::Test {
 protected:
  DownloadPhasesTest() {
    world_.AddFile("agents", kDeb, kDebSize);
    world_.AddFile("agents", "pool/main/a/agent_1.9.0_amd64.deb", 100);
    world_.AddFile("agents", "simple/index.html", 10);
    world_.AddFile("agents", "dists/stable/Release", 20);
    world_.AddToken("agents", "plainToken001");
    world_.AddToken("agents", "scopedToken01", [](policy::Entitlement& e) {
      e.limit_package_query = "name:agent AND version:>=2.0";
    });
    world_.AddToken("agents", "disabledToken", [](policy::Entitlement& e) { e.is_active = false; });
    world_.AddToken("agents", "countedToken1",
                    [](policy::Entitlement& e) { e.limit_num_downloads = 1; });
  }

  // Runs route → decide for `method target` with the extra header `name: value`.
  DownloadContext& Prepare(http::verb method, std::string target, std::string_view name = {},
                           std::string_view value = {},
                           std::optional<DownloadOptions> options = std::nullopt) {
    request_ = http::request_header<>();
    request_.method(method);
    request_.target(target);
    request_.version(11);
    if (!name.empty()) request_.set(name, value);
    pipeline_.emplace(world_.Services(options.value_or(DownloadOptions{})));
    context_.Reset(request_, peer_);
    pipeline_->Prepare(context_);
    return context_;
  }
  DownloadContext& Get(std::string target, std::string_view name = {},
                       std::string_view value = {}) {
    return Prepare(http::verb::get, std::move(target), name, value);
  }

  PhaseOutcome Reserve() { return Await(io_, gateway::Reserve(context_, pipeline_->services())); }

  DownloadWorld world_;
  http::request_header<> request_;
  boost::asio::ip::address peer_ = boost::asio::ip::make_address("203.0.113.7");
  std::optional<DownloadPipeline> pipeline_;
  DownloadContext context_;
  boost::asio::io_context io_;
};

DownloadOptions ContextualRealm() {
  DownloadOptions options;
  options.contextual_realm = true;
  return options;
}

std::string Url(std::string_view token, std::string_view path) {
  return std::string("/").append(token).append("/acme/agents/").append(path);
}

// Only GET and HEAD are downloads; anything else is 405 naming them.
TEST_F(DownloadPhasesTest, OtherMethodsAreNotAllowed) {
  const DownloadContext& context = Prepare(http::verb::post, Url("plainToken001", kDeb));
  EXPECT_EQ(context.denial, Reason::kMethodNotAllowed);
  EXPECT_EQ(context.head.status_int(), 405u);
  EXPECT_EQ(context.head.Get("Allow"), "GET, HEAD");
}

// A traversal attempt is a bad request, before any credential is looked at.
TEST_F(DownloadPhasesTest, TraversalIsBadRequest) {
  EXPECT_EQ(Get("/plainToken001/acme/agents/pool/../../etc/passwd").denial, Reason::kBadRequest);
}

// A token of no such repository is invalid credentials, with the Basic challenge.
TEST_F(DownloadPhasesTest, UnknownRepositoryIsInvalidCredentials) {
  const DownloadContext& context = Get("/plainToken001/acme/nothing/a.deb");
  EXPECT_EQ(context.denial, Reason::kInvalidCredentials);
  EXPECT_EQ(context.head.status_int(), 401u);
  EXPECT_EQ(context.head.Get("WWW-Authenticate"), R"(Basic realm="tollgate")");
}

// With the contextual realm, a 401 names the repository.
TEST_F(DownloadPhasesTest, ContextualRealmNamesTheRepository) {
  const DownloadContext& context =
      Prepare(http::verb::get, Url("wrongToken999", kDeb), {}, {}, ContextualRealm());
  EXPECT_EQ(context.denial, Reason::kInvalidCredentials);
  EXPECT_EQ(context.head.Get("WWW-Authenticate"), R"(Basic realm="acme/agents")");
}

// /basic/ without an Authorization header on a private repository is missing credentials.
TEST_F(DownloadPhasesTest, BasicWithoutCredentialsIsMissingCredentials) {
  EXPECT_EQ(Get(std::string("/basic/acme/agents/").append(kDeb)).denial,
            Reason::kMissingCredentials);
}

// An Authorization header that cannot be read is a bad request.
TEST_F(DownloadPhasesTest, MalformedAuthorizationIsBadRequest) {
  EXPECT_EQ(
      Get(std::string("/basic/acme/agents/").append(kDeb), "Authorization", "Basic !!!").denial,
      Reason::kBadRequest);
}

// A disabled token is refused as such.
TEST_F(DownloadPhasesTest, DisabledTokenIsRefused) {
  EXPECT_EQ(Get(Url("disabledToken", kDeb)).denial, Reason::kTokenDisabled);
}

// An existing file is a 200 with its length, validators, type and the whole file to send.
TEST_F(DownloadPhasesTest, ExistingFileIsServedWhole) {
  const DownloadContext& context = Get(Url("plainToken001", kDeb));
  EXPECT_FALSE(context.denial.has_value());
  EXPECT_EQ(context.head.status_int(), 200u);
  EXPECT_EQ(context.head.content_length(), kDebSize);
  EXPECT_FALSE(context.head.Get("ETag").empty());
  EXPECT_FALSE(context.head.Get("Last-Modified").empty());
  EXPECT_EQ(context.head.Get("Accept-Ranges"), "bytes");
  EXPECT_EQ(context.head.Get("Content-Type"), "application/vnd.debian.binary-package");
  ASSERT_TRUE(context.file.has_value());
  EXPECT_EQ(context.file->offset, 0u);
  EXPECT_EQ(context.file->length, kDebSize);
}

// The lookup comes before the scopes: a missing file is 404 even outside the token's scope.
TEST_F(DownloadPhasesTest, MissingFileIsNotFoundBeforeScopes) {
  EXPECT_EQ(Get(Url("scopedToken01", "pool/main/o/other_1.0_amd64.deb")).denial, Reason::kNotFound);
}

// An existing package outside the token's package scope is refused.
TEST_F(DownloadPhasesTest, OutOfScopePackageIsRefused) {
  EXPECT_EQ(Get(Url("scopedToken01", "pool/main/a/agent_1.9.0_amd64.deb")).denial,
            Reason::kPackageNotAllowed);
  EXPECT_FALSE(Get(Url("scopedToken01", kDeb)).denial.has_value());
}

// A satisfiable single range is a 206 of that slice.
TEST_F(DownloadPhasesTest, RangeIsPartialContent) {
  const DownloadContext& context = Get(Url("plainToken001", kDeb), "Range", "bytes=0-9");
  EXPECT_EQ(context.head.status_int(), 206u);
  EXPECT_EQ(context.head.Get("Content-Range"), "bytes 0-9/4096");
  EXPECT_EQ(context.head.content_length(), 10u);
  ASSERT_TRUE(context.file.has_value());
  EXPECT_EQ(context.file->length, 10u);
}

// A range past the end is 416, naming the file's size.
TEST_F(DownloadPhasesTest, UnsatisfiableRangeNamesTheSize) {
  const DownloadContext& context = Get(Url("plainToken001", kDeb), "Range", "bytes=99999-");
  EXPECT_EQ(context.denial, Reason::kRangeNotSatisfiable);
  EXPECT_EQ(context.head.status_int(), 416u);
  EXPECT_EQ(context.head.Get("Content-Range"), "bytes */4096");
  EXPECT_FALSE(context.file.has_value());
}

// A matching If-None-Match is a 304 with nothing to send.
TEST_F(DownloadPhasesTest, MatchingEtagIsNotModified) {
  const std::string etag(Get(Url("plainToken001", kDeb)).head.Get("ETag"));
  const DownloadContext& context = Get(Url("plainToken001", kDeb), "If-None-Match", etag);
  EXPECT_EQ(context.head.status_int(), 304u);
  EXPECT_FALSE(context.file.has_value());
}

// HEAD answers the length but sends no bytes.
TEST_F(DownloadPhasesTest, HeadHasALengthButNoBody) {
  const DownloadContext& context = Prepare(http::verb::head, Url("plainToken001", kDeb));
  EXPECT_EQ(context.head.status_int(), 200u);
  EXPECT_EQ(context.head.content_length(), kDebSize);
  EXPECT_FALSE(context.file.has_value());
}

// A folder path serves that folder's index.html.
TEST_F(DownloadPhasesTest, FolderServesItsIndexPage) {
  const DownloadContext& context = Get(Url("plainToken001", "simple/"));
  EXPECT_EQ(context.path, "simple/index.html");
  EXPECT_EQ(context.head.status_int(), 200u);
  EXPECT_EQ(context.head.content_length(), 10u);
}

// With limit_num_downloads = 1 the second package download is refused by the reservation.
TEST_F(DownloadPhasesTest, ReserveEnforcesTheDownloadLimit) {
  Get(Url("countedToken1", kDeb));
  EXPECT_EQ(Reserve(), kContinue);
  EXPECT_TRUE(context_.counts);
  Get(Url("countedToken1", "pool/main/a/agent_1.9.0_amd64.deb"));
  EXPECT_EQ(Reserve(), Reason::kDownloadLimitReached);
}

// HEAD and index files never count, so they never reach the limit either.
TEST_F(DownloadPhasesTest, HeadAndIndexFilesDoNotCount) {
  Prepare(http::verb::head, Url("countedToken1", kDeb));
  EXPECT_EQ(Reserve(), kContinue);
  EXPECT_FALSE(context_.counts);
  Get(Url("countedToken1", "dists/stable/Release"));
  EXPECT_EQ(Reserve(), kContinue);
  EXPECT_FALSE(context_.counts);
  Get(Url("countedToken1", kDeb));
  EXPECT_EQ(Reserve(), kContinue);
  EXPECT_TRUE(context_.counts);
}

// For an origin repository the reservation before the fetch only checks: a token over its limit
// is refused before the origin is asked, and one under it records nothing yet.
TEST_F(DownloadPhasesTest, OriginDownloadsAreCheckedBeforeTheFetch) {
  // Nothing listens on port 9: a fetch would fail with upstream_unavailable.
  world_.AddRepository("mirror", storage::RepositoryType::kPrivate,
                       R"({"type":"http","url":"http://127.0.0.1:9/"})");
  world_.AddToken("mirror", "mirrorCounted",
                  [](policy::Entitlement& e) { e.limit_num_downloads = 1; });
  const std::string target = "/mirrorCounted/acme/mirror/pool/a_1.0_amd64.deb";
  Get(target);
  ASSERT_TRUE(context_.origin.has_value());
  EXPECT_EQ(Reserve(), kContinue);
  const absl::StatusOr<storage::UsageSnapshot> before =
      Await(io_, world_.stores().usage->Read("mirrorCounted-id", context_.usage.period));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->downloads, 0);

  // Use the one download up; then the check for another file refuses without an origin request.
  context_.usage.check_only = false;
  ASSERT_EQ(Await(io_, world_.stores().usage->Reserve(context_.usage)).value(),
            storage::ReservationResult::kGranted);
  Get("/mirrorCounted/acme/mirror/pool/b_1.0_amd64.deb");
  EXPECT_EQ(Reserve(), Reason::kDownloadLimitReached);
}

// Finish writes the JSON denial with its reason header, and a phase's own sentence wins.
TEST_F(DownloadPhasesTest, FinishWritesTheDenial) {
  Get(Url("plainToken001", kDeb));
  context_.denial_detail = "The repository's origin answered 503.";
  Finish(context_, pipeline_->services(), Reason::kUpstreamUnavailable);
  EXPECT_EQ(context_.head.status_int(), 502u);
  EXPECT_EQ(context_.head.Get("X-Tollgate-Reason"), "upstream_unavailable");
  EXPECT_EQ(context_.head.Get("Content-Type"), "application/json");
  EXPECT_EQ(context_.head.content_length(), context_.body.size());
  EXPECT_FALSE(context_.file.has_value());
  EXPECT_FALSE(context_.counts);
  const boost::json::value body = boost::json::parse(context_.body);
  EXPECT_EQ(body.at("code").as_string(), "upstream_unavailable");
  EXPECT_EQ(body.at("detail").as_string(), "The repository's origin answered 503.");
}

// A context reused for the next request keeps nothing of the last one.
TEST_F(DownloadPhasesTest, ResetLeavesNothingOfThePreviousRequest) {
  Get(Url("wrongToken999", kDeb));
  ASSERT_TRUE(context_.denial.has_value());
  const DownloadContext& context = Get(Url("plainToken001", kDeb));
  EXPECT_FALSE(context.denial.has_value());
  EXPECT_TRUE(context.body.empty());
  EXPECT_FALSE(context.head.Has("X-Tollgate-Reason"));
  EXPECT_FALSE(context.head.Has("WWW-Authenticate"));
  EXPECT_EQ(context.head.status_int(), 200u);
}

}  // namespace
}  // namespace tollgate::gateway
