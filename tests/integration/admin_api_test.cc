// The admin listener of the real binary (SPEC §3): API-key authentication, repositories,
// entitlement tokens, field validation, pagination, package upload/list/delete and health.
#include <filesystem>
#include <string>
#include <vector>

#include "boost/json/array.hpp"
#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "response_assertions.h"
#include "tollgate/base/concat.h"
#include "tollgate_process.h"

namespace tollgate::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kReposUrl = "/api/v1/repos/default/";
constexpr std::string_view kTokensUrl = "/api/v1/entitlements/default/agents/";
constexpr std::string_view kPackagesUrl = "/api/v1/packages/default/agents/";
constexpr std::string_view kDebPath = "pool/agent_2.0_amd64.deb";
constexpr std::string_view kDebBytes = "agent 2.0 package bytes\n";
constexpr std::string_view kDebSha256 =
    "03243ef6593602c3d1e284b426190855ba1d6e82e0965e400851d909b855a8c8";
constexpr std::string_view kReplacementBytes = "agent 2.1 package bytes, replaced\n";
constexpr std::string_view kPlacedBytes = "placed by hand\n";
constexpr std::string_view kPlacedSha256 =
    "e89ec6e759276236b5227518bf2ef792441a592bde815831071f57f5f3c75172";

bool IsRfc3339Utc(const json::value& value) {
  if (!value.is_string()) return false;
  const std::string_view text = value.as_string();
  return text.size() >= 20 && text[4] == '-' && text[10] == 'T' && text.ends_with("Z");
}

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tollgate_.Start({"--threads", "2"}));
    ASSERT_FALSE(tollgate_.admin_key().empty());
    tollgate_.CreateRepo("agents", "private");
  }

  HttpResponse Upload(std::string_view path, std::string_view bytes, Headers headers = {},
                      std::string_view query = "") const {
    headers.emplace_back("X-Api-Key", tollgate_.admin_key());
    headers.emplace_back("Content-Type", "application/octet-stream");
    return tollgate_.admin().Request("PUT", Concat(kPackagesUrl, "files/", path, query), headers,
                                     bytes);
  }

  HttpResponse Download(std::string_view token, std::string_view path) const {
    return tollgate_.download().Get(Concat("/", token, "/default/agents/", path));
  }

  // Regular files anywhere under the repository folder.
  std::vector<std::string> FilesInRepository() const {
    std::vector<std::string> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(tollgate_.RepoDir("agents"), ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file()) files.push_back(it->path().string());
    }
    return files;
  }

  TollgateProcess tollgate_;
};

// Creating a repository answers 201 with its slug, type and creation time.
TEST_F(AdminApiTest, CreateRepositoryAnswers201) {
  const HttpResponse response =
      tollgate_.Admin("POST", kReposUrl, R"({"slug": "tools", "repository_type": "public"})");
  ASSERT_EQ(response.status, 201) << response.body;
  const json::value repo = ParseJson(response.body);
  EXPECT_EQ(JsonString(repo, "slug"), "tools");
  EXPECT_EQ(JsonString(repo, "repository_type"), "public");
  EXPECT_TRUE(IsRfc3339Utc(repo.at("created_at"))) << response.body;
}

// Creating a repository whose slug exists answers 409.
TEST_F(AdminApiTest, DuplicateRepositoryIs409) {
  const HttpResponse response =
      tollgate_.Admin("POST", kReposUrl, R"({"slug": "agents", "repository_type": "private"})");
  EXPECT_EQ(response.status, 409) << response.body;
}

// An unknown repository_type is 422 naming the field.
TEST_F(AdminApiTest, InvalidRepositoryTypeIs422) {
  const HttpResponse response =
      tollgate_.Admin("POST", kReposUrl, R"({"slug": "tools", "repository_type": "secret"})");
  ASSERT_TRUE(IsApiError(response, 422, "invalid_field"));
  EXPECT_TRUE(JsonString(ParseJson(response.body), "detail").starts_with("repository_type"))
      << response.body;
}

// An invalid slug is 422 naming the field.
TEST_F(AdminApiTest, InvalidRepositorySlugIs422) {
  const HttpResponse response =
      tollgate_.Admin("POST", kReposUrl, R"({"slug": "../evil", "repository_type": "private"})");
  ASSERT_TRUE(IsApiError(response, 422, "invalid_field"));
  EXPECT_TRUE(JsonString(ParseJson(response.body), "detail").starts_with("slug")) << response.body;
}

// A repository can be read back, and the list holds it with pagination headers.
TEST_F(AdminApiTest, GetAndListRepositories) {
  const HttpResponse one = tollgate_.Admin("GET", Concat(kReposUrl, "agents/"));
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(JsonString(ParseJson(one.body), "slug"), "agents");
  const HttpResponse list = tollgate_.Admin("GET", kReposUrl);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_TRUE(ParseJson(list.body).is_array());
  EXPECT_EQ(ParseJson(list.body).as_array().size(), 1u);
  EXPECT_EQ(list.Header("X-Total-Count"), "1");
  EXPECT_FALSE(list.Header("Link").empty());
}

// PATCHing a repository to public makes /public/ serve it.
TEST_F(AdminApiTest, PatchRepositoryToPublicOpensIt) {
  tollgate_.PlaceFile("agents", "readme.txt", "hello\n");
  ASSERT_EQ(tollgate_.download().Get("/public/default/agents/readme.txt").status, 401);
  const HttpResponse patched =
      tollgate_.Admin("PATCH", Concat(kReposUrl, "agents/"), R"({"repository_type": "public"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(JsonString(ParseJson(patched.body), "repository_type"), "public");
  const HttpResponse download = tollgate_.download().Get("/public/default/agents/readme.txt");
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body, "hello\n");
}

// Deleting a repository answers 204, after which it is 404.
// A repository that still holds files is not deleted (its files would resurface in a new
// repository of the same name).
TEST_F(AdminApiTest, DeleteRepositoryWithFilesIs409) {
  tollgate_.PlaceFile("agents", "pool/a.txt", "a\n");
  EXPECT_TRUE(IsApiError(tollgate_.Admin("DELETE", Concat(kReposUrl, "agents/")), 409,
                         "repository_not_empty"));
  EXPECT_EQ(tollgate_.Admin("GET", Concat(kReposUrl, "agents/")).status, 200);
}

TEST_F(AdminApiTest, DeleteRepositoryAnswers204) {
  const HttpResponse deleted = tollgate_.Admin("DELETE", Concat(kReposUrl, "agents/"));
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(tollgate_.Admin("GET", Concat(kReposUrl, "agents/")).status, 404);
}

// Creating a token answers 201 with the SPEC §3 fields, the token string included.
TEST_F(AdminApiTest, CreateTokenAnswers201WithSpecFields) {
  const HttpResponse response =
      tollgate_.Admin("POST", kTokensUrl,
                      R"({"name": "customer-42", "limit_date_range_to": "2027-08-01T00:00:00Z",
          "limit_num_downloads": 10, "limit_bandwidth": 5, "limit_bandwidth_unit": "gigabyte",
          "metadata": {"customer_id": 42}})");
  ASSERT_EQ(response.status, 201) << response.body;
  const json::value token = ParseJson(response.body);
  ASSERT_TRUE(token.is_object());
  for (const std::string_view field :
       {"identifier", "name", "token", "is_active", "user", "limit_date_range_from",
        "limit_date_range_to", "limit_num_downloads", "limit_num_clients", "limit_bandwidth",
        "limit_bandwidth_unit", "limit_package_query", "limit_path_query", "scheduled_reset_period",
        "scheduled_reset_at", "metadata", "created_at", "updated_at"}) {
    EXPECT_TRUE(token.as_object().contains(field)) << "no " << field << " in " << response.body;
  }
  EXPECT_EQ(JsonString(token, "name"), "customer-42");
  EXPECT_FALSE(JsonString(token, "identifier").empty());
  EXPECT_FALSE(JsonString(token, "token").empty());
  EXPECT_EQ(token.at("is_active"), json::value(true));
  EXPECT_TRUE(token.at("user").is_null());
  EXPECT_EQ(JsonString(token, "limit_date_range_to"), "2027-08-01T00:00:00Z");
  EXPECT_EQ(token.at("limit_num_downloads"), json::value(10));
  EXPECT_EQ(JsonString(token, "limit_bandwidth_unit"), "gigabyte");
  EXPECT_EQ(token.at("metadata"), json::value(json::object{{"customer_id", 42}}));
  EXPECT_TRUE(IsRfc3339Utc(token.at("created_at"))) << response.body;
}

// A custom token string is kept as given and downloads.
TEST_F(AdminApiTest, CustomTokenStringIsKept) {
  tollgate_.PlaceFile("agents", "a.txt", "a\n");
  const json::object token = tollgate_.CreateToken(
      "agents", json::object{{"name", "custom"}, {"token", "Customer-42.token_v1"}});
  EXPECT_EQ(JsonString(token, "token"), "Customer-42.token_v1");
  EXPECT_EQ(Download("Customer-42.token_v1", "a.txt").status, 200);
}

// The same custom token string twice in one repository is 409.
TEST_F(AdminApiTest, DuplicateCustomTokenInRepositoryIs409) {
  tollgate_.CreateToken("agents", json::object{{"name", "one"}, {"token", "shared-token-123"}});
  const HttpResponse response =
      tollgate_.Admin("POST", kTokensUrl, R"({"name": "two", "token": "shared-token-123"})");
  EXPECT_EQ(response.status, 409) << response.body;
}

// The same token string may exist in two repositories and downloads from each.
TEST_F(AdminApiTest, SameTokenStringInTwoRepositories) {
  tollgate_.CreateRepo("tools", "private");
  tollgate_.PlaceFile("agents", "a.txt", "a\n");
  tollgate_.PlaceFile("tools", "t.txt", "t\n");
  tollgate_.CreateToken("agents", json::object{{"name", "one"}, {"token", "multi-repo-token"}});
  tollgate_.CreateToken("tools", json::object{{"name", "one"}, {"token", "multi-repo-token"}});
  EXPECT_EQ(Download("multi-repo-token", "a.txt").status, 200);
  EXPECT_EQ(tollgate_.download().Get("/multi-repo-token/default/tools/t.txt").status, 200);
}

// A token for a repository that does not exist is 404.
TEST_F(AdminApiTest, TokenInUnknownRepositoryIs404) {
  const HttpResponse response =
      tollgate_.Admin("POST", "/api/v1/entitlements/default/nope/", R"({"name": "x"})");
  EXPECT_EQ(response.status, 404) << response.body;
}

struct InvalidFieldCase {
  const char* test_name;
  const char* field;
  const char* body;
};

class InvalidTokenFieldTest : public AdminApiTest,
                              public ::testing::WithParamInterface<InvalidFieldCase> {};

// An invalid value in a token creation is 422 invalid_field with a detail naming the field.
TEST_P(InvalidTokenFieldTest, Is422NamingTheField) {
  const HttpResponse response = tollgate_.Admin("POST", kTokensUrl, GetParam().body);
  ASSERT_TRUE(IsApiError(response, 422, "invalid_field"));
  const std::string detail = JsonString(ParseJson(response.body), "detail");
  EXPECT_TRUE(detail.starts_with(Concat(GetParam().field, ":"))) << detail;
  EXPECT_EQ(tollgate_.Admin("GET", kTokensUrl).Header("X-Total-Count"), "0")
      << "the invalid token was stored";
}

INSTANTIATE_TEST_SUITE_P(
    AdminApi, InvalidTokenFieldTest,
    ::testing::Values(
        InvalidFieldCase{"NegativeDownloadLimit", "limit_num_downloads",
                         R"({"name": "x", "limit_num_downloads": -1})"},
        InvalidFieldCase{"NegativeClientLimit", "limit_num_clients",
                         R"({"name": "x", "limit_num_clients": -5})"},
        InvalidFieldCase{"FractionalBandwidth", "limit_bandwidth",
                         R"({"name": "x", "limit_bandwidth": 1.5})"},
        InvalidFieldCase{"TokenWithSpaceAndBang", "token",
                         R"({"name": "x", "token": "bad token!"})"},
        InvalidFieldCase{"TokenTooShort", "token", R"({"name": "x", "token": "short"})"},
        InvalidFieldCase{"TokenStartingWithDash", "token",
                         R"({"name": "x", "token": "-starts-with-dash"})"},
        InvalidFieldCase{
            "UnknownBandwidthUnit", "limit_bandwidth_unit",
            R"({"name": "x", "limit_bandwidth": 5, "limit_bandwidth_unit": "furlong"})"},
        InvalidFieldCase{"NotRfc3339Date", "limit_date_range_to",
                         R"({"name": "x", "limit_date_range_to": "next tuesday"})"},
        InvalidFieldCase{"DateWithoutTimeZone", "limit_date_range_from",
                         R"({"name": "x", "limit_date_range_from": "2027-08-01 00:00:00"})"},
        InvalidFieldCase{"WindowEndingBeforeItStarts", "limit_date_range_to",
                         R"({"name": "x", "limit_date_range_from": "2027-08-01T00:00:00Z",
                             "limit_date_range_to": "2026-08-01T00:00:00Z"})"},
        InvalidFieldCase{"UnknownResetPeriod", "scheduled_reset_period",
                         R"({"name": "x", "scheduled_reset_period": "sometimes"})"},
        InvalidFieldCase{"MetadataNotAnObject", "metadata", R"({"name": "x", "metadata": 5})"},
        InvalidFieldCase{"MissingName", "name", R"({"limit_num_downloads": 3})"},
        InvalidFieldCase{"IsActiveNotBoolean", "is_active",
                         R"({"name": "x", "is_active": "yes"})"}),
    [](const ::testing::TestParamInfo<InvalidFieldCase>& param_info) {
      return std::string(param_info.param.test_name);
    });

// Lists take page and page_size and answer X-Total-Count and a Link with the neighbours.
TEST_F(AdminApiTest, TokenListIsPaginated) {
  for (int i = 0; i < 5; ++i) {
    tollgate_.CreateToken("agents", json::object{{"name", Concat("customer-", i)}});
  }
  const HttpResponse page = tollgate_.Admin("GET", Concat(kTokensUrl, "?page=2&page_size=2"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(ParseJson(page.body).as_array().size(), 2u);
  EXPECT_EQ(page.Header("X-Total-Count"), "5");
  const std::string link = page.Header("Link");
  for (const std::string_view rel :
       {"rel=\"next\"", "rel=\"prev\"", "rel=\"first\"", "rel=\"last\""}) {
    EXPECT_NE(link.find(rel), std::string::npos) << rel << " missing in " << link;
  }
  EXPECT_NE(link.find("page=3"), std::string::npos) << link;
}

// The last page holds the remainder and has no next link.
TEST_F(AdminApiTest, LastTokenPageHasNoNext) {
  for (int i = 0; i < 5; ++i) {
    tollgate_.CreateToken("agents", json::object{{"name", Concat("customer-", i)}});
  }
  const HttpResponse page = tollgate_.Admin("GET", Concat(kTokensUrl, "?page=3&page_size=2"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(ParseJson(page.body).as_array().size(), 1u);
  EXPECT_EQ(page.Header("Link").find("rel=\"next\""), std::string::npos) << page.Header("Link");
}

// A page_size of 0 is 422 naming page_size.
TEST_F(AdminApiTest, ZeroPageSizeIs422) {
  const HttpResponse page = tollgate_.Admin("GET", Concat(kTokensUrl, "?page_size=0"));
  ASSERT_TRUE(IsApiError(page, 422, "invalid_field"));
  EXPECT_TRUE(JsonString(ParseJson(page.body), "detail").starts_with("page_size")) << page.body;
}

// The token list omits token strings unless show_tokens=true.
TEST_F(AdminApiTest, TokenListShowsTokensOnlyWhenAsked) {
  const std::string token = tollgate_.CreateTokenString("agents");
  const json::value hidden = ParseJson(tollgate_.Admin("GET", kTokensUrl).body);
  ASSERT_EQ(hidden.as_array().size(), 1u);
  EXPECT_FALSE(hidden.as_array()[0].as_object().contains("token"));
  const json::value shown =
      ParseJson(tollgate_.Admin("GET", Concat(kTokensUrl, "?show_tokens=true")).body);
  ASSERT_EQ(shown.as_array().size(), 1u);
  EXPECT_EQ(JsonString(shown.as_array()[0], "token"), token);
}

// One token can be read back by identifier, without its string unless asked.
TEST_F(AdminApiTest, GetOneTokenByIdentifier) {
  const json::object created = tollgate_.CreateToken("agents", json::object{{"name", "one"}});
  const std::string url = Concat(kTokensUrl, JsonString(created, "identifier"), "/");
  const HttpResponse plain = tollgate_.Admin("GET", url);
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(JsonString(ParseJson(plain.body), "name"), "one");
  EXPECT_FALSE(ParseJson(plain.body).as_object().contains("token"));
  const HttpResponse shown = tollgate_.Admin("GET", url + "?show_tokens=true");
  EXPECT_EQ(JsonString(ParseJson(shown.body), "token"), JsonString(created, "token"));
}

// PATCH changes a token's fields and keeps the rest.
TEST_F(AdminApiTest, PatchTokenChangesName) {
  const json::object created =
      tollgate_.CreateToken("agents", json::object{{"name", "one"}, {"limit_num_downloads", 3}});
  const std::string url = Concat(kTokensUrl, JsonString(created, "identifier"), "/");
  const HttpResponse patched = tollgate_.Admin("PATCH", url, R"({"name": "renamed"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  const json::value token = ParseJson(patched.body);
  EXPECT_EQ(JsonString(token, "name"), "renamed");
  EXPECT_EQ(token.at("limit_num_downloads"), json::value(3));
}

// Refresh gives a new token string and keeps identifier and name.
TEST_F(AdminApiTest, RefreshKeepsIdentifierAndName) {
  const json::object created = tollgate_.CreateToken("agents", json::object{{"name", "one"}});
  const std::string identifier = JsonString(created, "identifier");
  const HttpResponse refreshed =
      tollgate_.Admin("POST", Concat(kTokensUrl, identifier, "/refresh/"));
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const json::value token = ParseJson(refreshed.body);
  EXPECT_EQ(JsonString(token, "identifier"), identifier);
  EXPECT_EQ(JsonString(token, "name"), "one");
  EXPECT_NE(JsonString(token, "token"), JsonString(created, "token"));
}

// A PATCH built from a GET made before a refresh cannot bring the old string back: it stays
// refused on download, and the new one works.
TEST_F(AdminApiTest, PatchFromBeforeARefreshKeepsTheOldStringDead) {
  tollgate_.PlaceFile("agents", "a.txt", "a\n");
  const json::object created = tollgate_.CreateToken("agents", json::object{{"name", "one"}});
  const std::string url = Concat(kTokensUrl, JsonString(created, "identifier"), "/");
  const HttpResponse earlier = tollgate_.Admin("GET", url);
  ASSERT_EQ(earlier.status, 200) << earlier.body;
  const HttpResponse refreshed = tollgate_.Admin("POST", url + "refresh/");
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  json::object patch = ParseJson(earlier.body).as_object();
  patch["name"] = "renamed";
  const HttpResponse patched = tollgate_.Admin("PATCH", url, json::serialize(patch));
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(JsonString(ParseJson(patched.body), "name"), "renamed");
  EXPECT_EQ(Download(JsonString(created, "token"), "a.txt").status, 401);
  EXPECT_EQ(Download(JsonString(ParseJson(refreshed.body), "token"), "a.txt").status, 200);
}

// A sync that cannot be completed (a copied string is held by a user token of the target)
// answers 409 and changes nothing: the target's standard token keeps working.
TEST_F(AdminApiTest, FailedSyncLeavesTheTargetsTokens) {
  tollgate_.CreateRepo("tools", "private");
  tollgate_.PlaceFile("agents", "a.txt", "a\n");
  const std::string standard = tollgate_.CreateTokenString("agents", "standard");
  const HttpResponse mine = tollgate_.Admin("GET", Concat(kTokensUrl, "me/"));
  ASSERT_EQ(mine.status, 200) << mine.body;
  const HttpResponse taken = tollgate_.Admin(
      "POST", Concat(kTokensUrl, JsonString(ParseJson(mine.body), "identifier"), "/refresh/"),
      R"({"token": "shared-string-1"})");
  ASSERT_EQ(taken.status, 200) << taken.body;
  tollgate_.CreateToken("tools", json::object{{"name", "copied"}, {"token", "shared-string-1"}});
  EXPECT_TRUE(
      IsApiError(tollgate_.Admin("POST", Concat(kTokensUrl, "sync/"), R"({"source": "tools"})"),
                 409, "conflict"));
  EXPECT_EQ(Download(standard, "a.txt").status, 200);
  EXPECT_EQ(ParseJson(tollgate_.Admin("GET", kTokensUrl).body).as_array().size(), 2u);
}

// Disable and enable answer 200 with is_active switched.
TEST_F(AdminApiTest, DisableAndEnableSwitchIsActive) {
  const json::object created = tollgate_.CreateToken("agents", json::object{{"name", "one"}});
  const std::string url = Concat(kTokensUrl, JsonString(created, "identifier"), "/");
  const HttpResponse disabled = tollgate_.Admin("POST", url + "disable/");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(ParseJson(disabled.body).at("is_active"), json::value(false));
  const HttpResponse enabled = tollgate_.Admin("POST", url + "enable/");
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(ParseJson(enabled.body).at("is_active"), json::value(true));
}

// Deleting a token answers 204, after which it is 404.
TEST_F(AdminApiTest, DeleteTokenAnswers204) {
  const json::object created = tollgate_.CreateToken("agents", json::object{{"name", "one"}});
  const std::string url = Concat(kTokensUrl, JsonString(created, "identifier"), "/");
  EXPECT_EQ(tollgate_.Admin("DELETE", url).status, 204);
  EXPECT_EQ(tollgate_.Admin("GET", url).status, 404);
}

// An entitlement token sent as X-Api-Key is 401 entitlement_token_not_allowed.
TEST_F(AdminApiTest, EntitlementTokenAsApiKeyIsRefused) {
  const std::string token = tollgate_.CreateTokenString("agents");
  const HttpResponse response = tollgate_.admin().Get(kReposUrl, {{"X-Api-Key", token}});
  EXPECT_TRUE(IsApiError(response, 401, "entitlement_token_not_allowed"));
}

// An entitlement token sent as a Bearer credential is refused the same way.
TEST_F(AdminApiTest, EntitlementTokenAsBearerIsRefused) {
  const std::string token = tollgate_.CreateTokenString("agents");
  const HttpResponse response =
      tollgate_.admin().Get(kReposUrl, {{"Authorization", "Bearer " + token}});
  EXPECT_TRUE(IsApiError(response, 401, "entitlement_token_not_allowed"));
}

// No API key is 401 missing_api_key.
TEST_F(AdminApiTest, MissingApiKeyIs401) {
  EXPECT_TRUE(IsApiError(tollgate_.admin().Get(kReposUrl), 401, "missing_api_key"));
}

// A wrong API key is 401 invalid_api_key.
TEST_F(AdminApiTest, WrongApiKeyIs401) {
  const HttpResponse response =
      tollgate_.admin().Get(kReposUrl, {{"X-Api-Key", "not-the-admin-key-0123456789"}});
  EXPECT_TRUE(IsApiError(response, 401, "invalid_api_key"));
}

// The API key is accepted as a Bearer credential.
TEST_F(AdminApiTest, BearerApiKeyIsAccepted) {
  const HttpResponse response =
      tollgate_.admin().Get(kReposUrl, {{"Authorization", "Bearer " + tollgate_.admin_key()}});
  EXPECT_EQ(response.status, 200) << response.body;
}

// The API key is accepted as the password of Basic admin:KEY.
TEST_F(AdminApiTest, BasicApiKeyIsAccepted) {
  const HttpResponse response = tollgate_.admin().Get(
      kReposUrl, {{"Authorization", BasicAuthorization("admin", tollgate_.admin_key())}});
  EXPECT_EQ(response.status, 200) << response.body;
}

// /user/self names the caller.
TEST_F(AdminApiTest, UserSelfNamesTheCaller) {
  const HttpResponse response = tollgate_.Admin("GET", "/api/v1/user/self");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(JsonString(ParseJson(response.body), "name"), "admin");
}

// An upload answers 201 with path, size, sha256, uploader and upload time.
TEST_F(AdminApiTest, UploadAnswers201WithRecord) {
  const HttpResponse response =
      Upload(kDebPath, kDebBytes, {{"X-Checksum-Sha256", std::string(kDebSha256)}});
  ASSERT_EQ(response.status, 201) << response.body;
  const json::value record = ParseJson(response.body);
  EXPECT_EQ(JsonString(record, "path"), kDebPath);
  EXPECT_EQ(record.at("size").to_number<uint64_t>(), kDebBytes.size());
  EXPECT_EQ(JsonString(record, "sha256"), kDebSha256);
  EXPECT_EQ(JsonString(record, "uploader"), "admin");
  EXPECT_TRUE(IsRfc3339Utc(record.at("uploaded_at"))) << response.body;
}

// An uploaded file lands at {artifacts}/{org}/{repo}/{path} and downloads with the same bytes.
TEST_F(AdminApiTest, UploadedFileDownloadsSameBytes) {
  ASSERT_EQ(Upload(kDebPath, kDebBytes).status, 201);
  EXPECT_EQ(ReadFile(tollgate_.RepoDir("agents") / kDebPath), kDebBytes);
  const HttpResponse download = Download(tollgate_.CreateTokenString("agents"), kDebPath);
  EXPECT_EQ(download.status, 200);
  EXPECT_EQ(download.body, kDebBytes);
}

// An upload larger than 1 MiB (a typical package) is accepted and downloads byte for byte.
TEST_F(AdminApiTest, UploadLargerThanOneMebibyte) {
  std::string big(3u << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
  const HttpResponse response = Upload("pool/big_1.0_amd64.deb", big);
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(ParseJson(response.body).at("size").to_number<uint64_t>(), big.size());
  const HttpResponse download =
      Download(tollgate_.CreateTokenString("agents"), "pool/big_1.0_amd64.deb");
  EXPECT_EQ(download.status, 200);
  EXPECT_TRUE(download.body == big) << "downloaded " << download.body.size() << " bytes";
}

// An upload path with '..' is refused and writes nothing outside the repository folder.
TEST_F(AdminApiTest, UploadTraversalIsRefused) {
  for (const std::string_view path :
       {"../escape.txt", "..%2fescape.txt", "%2e%2e/escape.txt", "pool/../../escape.txt"}) {
    const HttpResponse response = Upload(path, "escaped\n");
    EXPECT_TRUE(response.status == 400 || response.status == 404 || response.status == 422)
        << path << " answered " << response.status << ": " << response.body;
  }
  EXPECT_FALSE(fs::exists(tollgate_.artifacts_dir() / "default" / "escape.txt"));
  EXPECT_FALSE(fs::exists(tollgate_.artifacts_dir() / "escape.txt"));
  EXPECT_TRUE(FilesInRepository().empty());
}

// A checksum mismatch is 422 checksum_mismatch and leaves no file behind.
TEST_F(AdminApiTest, ChecksumMismatchIs422AndLeavesNoFile) {
  const HttpResponse response =
      Upload(kDebPath, kDebBytes, {{"X-Checksum-Sha256", std::string(64, '0')}});
  EXPECT_TRUE(IsApiError(response, 422, "checksum_mismatch"));
  EXPECT_FALSE(fs::exists(tollgate_.RepoDir("agents") / kDebPath));
  EXPECT_TRUE(FilesInRepository().empty()) << FilesInRepository().front();
  EXPECT_EQ(Download(tollgate_.CreateTokenString("agents"), kDebPath).status, 404);
}

// Uploading over an existing path without overwrite is 409 and keeps the old bytes.
TEST_F(AdminApiTest, UploadOverExistingIs409) {
  ASSERT_EQ(Upload(kDebPath, kDebBytes).status, 201);
  const HttpResponse second = Upload(kDebPath, kReplacementBytes);
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_EQ(ReadFile(tollgate_.RepoDir("agents") / kDebPath), kDebBytes);
}

// ?overwrite=true replaces an existing file.
TEST_F(AdminApiTest, OverwriteTrueReplaces) {
  ASSERT_EQ(Upload(kDebPath, kDebBytes).status, 201);
  const HttpResponse second = Upload(kDebPath, kReplacementBytes, {}, "?overwrite=true");
  ASSERT_EQ(second.status, 201) << second.body;
  const HttpResponse download = Download(tollgate_.CreateTokenString("agents"), kDebPath);
  EXPECT_EQ(download.body, kReplacementBytes);
}

// Deleting a package answers 204 and the file then downloads as 404.
TEST_F(AdminApiTest, DeletePackageAnswers204ThenDownload404) {
  ASSERT_EQ(Upload(kDebPath, kDebBytes).status, 201);
  const std::string token = tollgate_.CreateTokenString("agents");
  ASSERT_EQ(Download(token, kDebPath).status, 200);
  const HttpResponse deleted = tollgate_.Admin("DELETE", Concat(kPackagesUrl, "files/", kDebPath));
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(Download(token, kDebPath).status, 404);
  EXPECT_EQ(ParseJson(tollgate_.Admin("GET", kPackagesUrl).body).as_array().size(), 0u);
}

// The package list shows uploads with their uploader.
TEST_F(AdminApiTest, PackageListShowsUploads) {
  ASSERT_EQ(Upload(kDebPath, kDebBytes).status, 201);
  const HttpResponse list = tollgate_.Admin("GET", kPackagesUrl);
  ASSERT_EQ(list.status, 200) << list.body;
  const json::array items = ParseJson(list.body).as_array();
  ASSERT_EQ(items.size(), 1u) << list.body;
  EXPECT_EQ(JsonString(items[0], "path"), kDebPath);
  EXPECT_EQ(JsonString(items[0], "sha256"), kDebSha256);
  EXPECT_EQ(JsonString(items[0], "uploader"), "admin");
  EXPECT_EQ(list.Header("X-Total-Count"), "1");
}

// A file placed in the folder by hand is listed with its size and SHA-256.
TEST_F(AdminApiTest, HandPlacedFileIsListedWithSha256) {
  tollgate_.PlaceFile("agents", "manual/placed.txt", kPlacedBytes);
  const HttpResponse list = tollgate_.Admin("GET", kPackagesUrl);
  ASSERT_EQ(list.status, 200) << list.body;
  const json::array items = ParseJson(list.body).as_array();
  ASSERT_EQ(items.size(), 1u) << list.body;
  EXPECT_EQ(JsonString(items[0], "path"), "manual/placed.txt");
  EXPECT_EQ(items[0].at("size").to_number<uint64_t>(), kPlacedBytes.size());
  EXPECT_EQ(JsonString(items[0], "sha256"), kPlacedSha256);
}

// Uploading into a repository that does not exist is 404.
TEST_F(AdminApiTest, UploadIntoUnknownRepositoryIs404) {
  const HttpResponse response =
      tollgate_.admin().Request("PUT", "/api/v1/packages/default/nope/files/a.txt",
                                {{"X-Api-Key", tollgate_.admin_key()}}, "a\n");
  EXPECT_EQ(response.status, 404) << response.body;
}

// /healthz answers 200 without an API key.
TEST_F(AdminApiTest, HealthzIs200WithoutKey) {
  EXPECT_EQ(tollgate_.admin().Get("/healthz").status, 200);
}

// /readyz answers 200 without an API key while the store is reachable.
TEST_F(AdminApiTest, ReadyzIs200WithoutKey) {
  EXPECT_EQ(tollgate_.admin().Get("/readyz").status, 200);
}

// Several admin requests are answered on one kept-alive connection.
TEST_F(AdminApiTest, KeepAliveServesSeveralRequests) {
  const Headers key = {{"X-Api-Key", tollgate_.admin_key()}};
  const std::vector<HttpResponse> responses =
      tollgate_.admin().RequestsOnOneConnection({{"GET", "/healthz", {}, ""},
                                                 {"GET", std::string(kReposUrl), key, ""},
                                                 {"POST",
                                                  std::string(kTokensUrl),
                                                  {key[0], {"Content-Type", "application/json"}},
                                                  R"({"name": "kept-alive"})"}});
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_EQ(responses[1].status, 200);
  EXPECT_EQ(responses[2].status, 201) << responses[2].body;
}

}  // namespace
}  // namespace tollgate::testing
