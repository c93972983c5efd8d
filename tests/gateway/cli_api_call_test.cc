// Tests of how client verbs become admin API requests (SPEC §3 paths, bodies and queries).
#include <string>
#include <vector>

#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "cli/api_call.h"
#include "gtest/gtest.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::cli {
namespace {

namespace json = boost::json;

// The call of `words` after `group`; fails the test (and returns {}) when it does not build.
ApiCall Build(std::string_view group, std::vector<std::string> words) {
  const absl::StatusOr<CommandLine> parsed = ParseCommandLine(group, words);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (!parsed.ok()) return {};
  absl::StatusOr<ApiCall> call = BuildApiCall(*parsed);
  EXPECT_TRUE(call.ok()) << call.status();
  return call.ok() ? *std::move(call) : ApiCall{};
}

std::string BuildError(std::string_view group, std::vector<std::string> words) {
  const absl::StatusOr<CommandLine> parsed = ParseCommandLine(group, words);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (!parsed.ok()) return "";
  const absl::StatusOr<ApiCall> call = BuildApiCall(*parsed);
  EXPECT_FALSE(call.ok());
  return call.ok() ? "" : std::string(call.status().message());
}

// Options map 1:1 to token fields: counts become numbers, "null" clears, JSON stays JSON.
TEST(BuildApiCallTest, EntsCreateMapsOptionsToFields) {
  const ApiCall call = Build("ents", {"create",
                                      "acme/agents",
                                      "--name",
                                      "customer-42",
                                      "--limit-num-downloads",
                                      "10",
                                      "--limit-num-clients",
                                      "null",
                                      "--limit-bandwidth",
                                      "5",
                                      "--limit-bandwidth-unit",
                                      "gigabyte",
                                      "--limit-date-range-to",
                                      "2027-08-01T00:00:00Z",
                                      "--limit-package-query",
                                      "name:agent",
                                      "--scheduled-reset-period",
                                      "monthly",
                                      "--metadata",
                                      R"({"customer_id": 42})",
                                      "--inactive"});
  EXPECT_EQ(call.method, "POST");
  EXPECT_EQ(call.target, "/api/v1/entitlements/acme/agents/");
  EXPECT_EQ(json::parse(call.body), json::parse(R"({
      "name": "customer-42", "limit_num_downloads": 10, "limit_num_clients": null,
      "limit_bandwidth": 5, "limit_bandwidth_unit": "gigabyte",
      "limit_date_range_to": "2027-08-01T00:00:00Z", "limit_package_query": "name:agent",
      "scheduled_reset_period": "monthly", "metadata": {"customer_id": 42},
      "is_active": false})"));
}

// Nullable text options send null for "null", so a PATCH can clear a limit.
TEST(BuildApiCallTest, NullClearsTextLimit) {
  const ApiCall call =
      Build("ents", {"update", "acme/agents", "ID1", "--limit-path-query", "null", "--active"});
  EXPECT_EQ(call.method, "PATCH");
  EXPECT_EQ(call.target, "/api/v1/entitlements/acme/agents/ID1/");
  EXPECT_EQ(json::parse(call.body),
            json::parse(R"({"limit_path_query": null, "is_active": true})"));
}

// Action verbs without options send no body.
TEST(BuildApiCallTest, ActionWithoutOptionsSendsNoBody) {
  const ApiCall call = Build("ents", {"disable", "acme/agents", "ID1"});
  EXPECT_EQ(call.method, "POST");
  EXPECT_EQ(call.target, "/api/v1/entitlements/acme/agents/ID1/disable/");
  EXPECT_EQ(call.body, "");
}

// Flags and paging options go into the query string.
TEST(BuildApiCallTest, QueryOptions) {
  EXPECT_EQ(
      Build("ents", {"list", "acme/agents", "--show-tokens", "--page", "2", "--page-size", "50"})
          .target,
      "/api/v1/entitlements/acme/agents/?show_tokens=true&page=2&page_size=50");
}

// Names with reserved characters stay one encoded path segment.
TEST(BuildApiCallTest, EncodesPathSegments) {
  EXPECT_EQ(Build("ents", {"get", "ac me/ag%ents", "a/b?c"}).target,
            "/api/v1/entitlements/ac%20me/ag%25ents/a%2Fb%3Fc/");
}

// A count that is no whole number is refused, naming the option.
TEST(BuildApiCallTest, RefusesBadCount) {
  EXPECT_EQ(
      BuildError("ents", {"create", "acme/agents", "--name", "n", "--limit-num-downloads", "ten"}),
      "--limit-num-downloads: expected a whole number or null");
}

// --metadata must be JSON.
TEST(BuildApiCallTest, RefusesBadJson) {
  EXPECT_EQ(BuildError("ents", {"create", "acme/agents", "--name", "n", "--metadata", "{oops"}),
            "--metadata: expected JSON");
}

// repos create defaults to a private repository; --storage-url becomes an HTTP origin.
TEST(BuildApiCallTest, ReposCreate) {
  const ApiCall call = Build("repos", {"create", "acme", "--slug", "agents", "--storage-url",
                                       "https://origin.example/agents"});
  EXPECT_EQ(call.target, "/api/v1/repos/acme/");
  EXPECT_EQ(json::parse(call.body), json::parse(R"({"slug": "agents", "repository_type": "private",
      "storage": {"type": "http", "url": "https://origin.example/agents"}})"));
}

// --type given explicitly wins over the default.
TEST(BuildApiCallTest, ReposCreatePublic) {
  EXPECT_EQ(
      json::parse(Build("repos", {"create", "acme", "--slug", "tools", "--type", "public"}).body),
      json::parse(R"({"slug": "tools", "repository_type": "public"})"));
}

// set-privileges PUTs the whole list of grants.
TEST(BuildApiCallTest, SetPrivilegesSendsGrantList) {
  const ApiCall call = Build("repos", {"set-privileges", "acme/agents", "--grant",
                                       "service:ci:write", "--grant", "team:qa:read"});
  EXPECT_EQ(call.method, "PUT");
  EXPECT_EQ(call.target, "/api/v1/repos/acme/agents/privileges/");
  EXPECT_EQ(json::parse(call.body), json::parse(R"([
      {"kind": "service", "name": "ci", "privilege": "write"},
      {"kind": "team", "name": "qa", "privilege": "read"}])"));
}

// Without --grant the list is emptied: the body is [] rather than nothing.
TEST(BuildApiCallTest, SetPrivilegesWithoutGrantsSendsEmptyList) {
  EXPECT_EQ(Build("repos", {"set-privileges", "acme/agents"}).body, "[]");
}

// A grant must have three non-empty parts.
TEST(BuildApiCallTest, RefusesMalformedGrant) {
  for (const std::string grant : {"ci:write", "service::write", ":ci:write", "service:ci:"}) {
    SCOPED_TRACE(grant);
    EXPECT_EQ(BuildError("repos", {"set-privileges", "acme/agents", "--grant", grant}),
              "--grant: expected KIND:NAME:PRIVILEGE such as team:ci:write");
  }
}

// services --team is repeatable and becomes the `teams` array.
TEST(BuildApiCallTest, ServiceTeamsBecomeArray) {
  const ApiCall call = Build("services", {"create", "acme", "--name", "CI", "--team", "builders",
                                          "--team", "release", "--role", "manager"});
  EXPECT_EQ(call.target, "/api/v1/orgs/acme/services/");
  EXPECT_EQ(json::parse(call.body), json::parse(R"({"name": "CI",
      "teams": ["builders", "release"], "role": "manager"})"));
}

// teams add-member sends {"kind"} only when --kind is given.
TEST(BuildApiCallTest, TeamMemberKindIsOptional) {
  EXPECT_EQ(Build("teams", {"add-member", "acme", "qa", "alice"}).body, "");
  const ApiCall call = Build("teams", {"add-member", "acme", "qa", "ci", "--kind", "service"});
  EXPECT_EQ(call.method, "PUT");
  EXPECT_EQ(call.target, "/api/v1/orgs/acme/teams/qa/members/ci/");
  EXPECT_EQ(json::parse(call.body), json::parse(R"({"kind": "service"})"));
}

// orgs update accepts null to remove the quota.
TEST(BuildApiCallTest, OrgQuotaNull) {
  const ApiCall call = Build("orgs", {"update", "acme", "--max-active-entitlements", "null"});
  EXPECT_EQ(call.method, "PATCH");
  EXPECT_EQ(call.target, "/api/v1/orgs/acme/");
  EXPECT_EQ(call.body, R"({"max_active_entitlements":null})");
}

// An upload is stored under the file's name unless --path says otherwise; slashes of the
// path stay separators.
TEST(BuildApiCallTest, UploadPath) {
  const ApiCall plain = Build("packages", {"upload", "acme/agents", "dist/agent_2.0_amd64.deb"});
  EXPECT_EQ(plain.method, "PUT");
  EXPECT_EQ(plain.target, "/api/v1/packages/acme/agents/files/agent_2.0_amd64.deb");
  EXPECT_EQ(plain.upload_file, "dist/agent_2.0_amd64.deb");
  EXPECT_EQ(plain.body, "");
  EXPECT_EQ(Build("packages",
                  {"upload", "acme/agents", "a.deb", "--path", "pool/main/a b.deb", "--overwrite"})
                .target,
            "/api/v1/packages/acme/agents/files/pool/main/a%20b.deb?overwrite=true");
}

// A FILE that names a folder gives no name to store the upload under.
TEST(BuildApiCallTest, UploadNeedsAFileName) {
  EXPECT_EQ(BuildError("packages", {"upload", "acme/agents", "dist/"}),
            "FILE names no file; give the stored path with --path");
}

// Every verb of the table builds a complete /api/v1 target: no placeholder is left unbound.
TEST(BuildApiCallTest, EveryVerbBindsEveryPlaceholder) {
  for (const VerbSpec& verb : Verbs()) {
    SCOPED_TRACE(Concat(verb.group, " ", verb.name));
    std::vector<std::string> words = {std::string(verb.name)};
    for (const ArgumentSpec& argument : verb.arguments) {
      words.push_back(argument.kind == ArgumentKind::kOwnerRepo ? "acme/agents" : "x");
    }
    for (const OptionSpec& option : verb.options) {
      if (option.required) {
        words.push_back(Concat("--", option.name));
        words.push_back(option.kind == OptionKind::kCount ? "1" : "v");
      }
    }
    if (verb.needs_a_field) words.insert(words.end(), {"--name", "v"});
    const ApiCall call = Build(verb.group, words);
    EXPECT_TRUE(call.target.starts_with("/api/v1/")) << call.target;
    EXPECT_EQ(call.target.find_first_of("{}"), std::string::npos) << call.target;
    EXPECT_EQ(call.method, verb.method);
  }
}

}  // namespace
}  // namespace tollgate::gateway::cli
