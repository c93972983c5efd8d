// Repositories' signing keys through the admin API of the real binary, on both stores
// (SPEC §7): made with the repository, replaced by an admin's upload, the public part for
// readers, and never the secret part in an answer, the audit log or the server's log.
#include <filesystem>
#include <string>

#include "accounts_fixture.h"
#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "redis_server.h"
#include "response_assertions.h"
#include "tollgate/base/concat.h"

namespace tollgate::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kKeyUrl = "/api/v1/repos/default/agents/signing-key/";
// The fingerprint GnuPG gave tests/testdata/openpgp/rsa_secret.asc.
constexpr std::string_view kRsaFingerprint = "B5A8AE55A711ACFA6DA416B855A55B2E728C07B3";

std::string TestKey(std::string_view name) {
  return ReadFile(std::filesystem::path(TOLLGATE_TESTDATA) / "openpgp" / name);
}

std::string SecretKeyBody(std::string_view armored) {
  return json::serialize(json::object{{"secret_key", armored}});
}

bool IsFingerprint(std::string_view text) {
  return text.size() == 40 && text.find_first_not_of("0123456789ABCDEF") == std::string_view::npos;
}

class SigningKeyTest : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    tollgate_.CreateRepo("agents");
  }

  // GET of the key as the owner; fails the test unless 200.
  json::value Key() const {
    const HttpResponse response = AsOwner("GET", kKeyUrl);
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.body.find("PRIVATE"), std::string::npos) << response.body;
    return ParseJson(response.body);
  }
};

// A new repository has a key: its armored public part and its fingerprint, nothing else.
TEST_P(SigningKeyTest, NewRepositoryHasAPublicKey) {
  const json::value key = Key();
  EXPECT_TRUE(JsonString(key, "public_key").starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
  EXPECT_TRUE(IsFingerprint(JsonString(key, "fingerprint"))) << json::serialize(key);
  EXPECT_EQ(key.as_object().size(), 2u) << json::serialize(key);
}

// The key stays the same from one request to the next, and across a restart.
TEST_P(SigningKeyTest, KeyIsStable) {
  const std::string fingerprint = JsonString(Key(), "fingerprint");
  EXPECT_EQ(JsonString(Key(), "fingerprint"), fingerprint);
  tollgate_.Stop();
  ASSERT_TRUE(tollgate_.Start(StoreArgs()));
  EXPECT_EQ(JsonString(Key(), "fingerprint"), fingerprint);
}

// Each repository has a key of its own.
TEST_P(SigningKeyTest, RepositoriesHaveKeysOfTheirOwn) {
  tollgate_.CreateRepo("tools");
  const HttpResponse tools = AsOwner("GET", "/api/v1/repos/default/tools/signing-key/");
  ASSERT_EQ(tools.status, 200) << tools.body;
  EXPECT_NE(JsonString(ParseJson(tools.body), "fingerprint"), JsonString(Key(), "fingerprint"));
}

// An admin's PUT of a GnuPG key replaces the key: the answer and later GETs give its
// fingerprint and public part, never the secret.
TEST_P(SigningKeyTest, PutOfAnImportedKeyChangesTheFingerprint) {
  const std::string before = JsonString(Key(), "fingerprint");
  const HttpResponse put = AsOwner("PUT", kKeyUrl, SecretKeyBody(TestKey("rsa_secret.asc")));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body.find("PRIVATE"), std::string::npos) << put.body;
  EXPECT_EQ(JsonString(ParseJson(put.body), "fingerprint"), kRsaFingerprint);
  EXPECT_NE(before, kRsaFingerprint);
  EXPECT_EQ(JsonString(Key(), "fingerprint"), kRsaFingerprint);
}

// A reader gets the public key but cannot replace it; a writer cannot either.
TEST_P(SigningKeyTest, OnlyAdminsPut) {
  const TestAccount reader = AddMember("reader");
  const TestAccount writer = AddMember("writer");
  SetPrivileges(
      "agents",
      json::array{json::object{{"kind", "user"}, {"name", "reader"}, {"privilege", "read"}},
                  json::object{{"kind", "user"}, {"name", "writer"}, {"privilege", "write"}}});
  const std::string body = SecretKeyBody(TestKey("rsa_secret.asc"));
  EXPECT_TRUE(IsApiError(As(reader.key, "PUT", kKeyUrl, body), 403, "insufficient_privilege"));
  EXPECT_TRUE(IsApiError(As(writer.key, "PUT", kKeyUrl, body), 403, "insufficient_privilege"));
  const HttpResponse read = As(reader.key, "GET", kKeyUrl);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_NE(JsonString(ParseJson(read.body), "fingerprint"), kRsaFingerprint);
}

// A key that cannot sign here is 422 naming secret_key, and the key stays as it was.
TEST_P(SigningKeyTest, UnusableKeyIs422AndChangesNothing) {
  const std::string before = JsonString(Key(), "fingerprint");
  for (const std::string& upload :
       {std::string("not a key"), TestKey("protected_secret.asc"), TestKey("rsa_public.asc")}) {
    const HttpResponse response = AsOwner("PUT", kKeyUrl, SecretKeyBody(upload));
    ASSERT_TRUE(IsApiError(response, 422, "invalid_field"));
    EXPECT_TRUE(JsonString(ParseJson(response.body), "detail").starts_with("secret_key: "))
        << response.body;
    EXPECT_EQ(response.body.find("BEGIN"), std::string::npos) << response.body;
  }
  EXPECT_EQ(JsonString(Key(), "fingerprint"), before);
}

// A PUT without secret_key, or with another field, is 422; a body that is not JSON is 400.
TEST_P(SigningKeyTest, MalformedPutIsRefused) {
  EXPECT_TRUE(IsApiError(AsOwner("PUT", kKeyUrl, "{}"), 422, "invalid_field"));
  EXPECT_TRUE(IsApiError(AsOwner("PUT", kKeyUrl, R"({"secret_key": "x", "public_key": "y"})"), 422,
                         "invalid_field"));
  EXPECT_TRUE(IsApiError(AsOwner("PUT", kKeyUrl, "secret"), 400, "bad_request"));
}

// The key of a repository that does not exist is 404.
TEST_P(SigningKeyTest, UnknownRepositoryIs404) {
  EXPECT_TRUE(
      IsApiError(AsOwner("GET", "/api/v1/repos/default/nope/signing-key/"), 404, "not_found"));
}

// A PUT is audited with the fingerprints before and after; the audit log holds no key.
TEST_P(SigningKeyTest, PutIsAuditedWithFingerprintsOnly) {
  const std::string before = JsonString(Key(), "fingerprint");
  ASSERT_EQ(AsOwner("PUT", kKeyUrl, SecretKeyBody(TestKey("rsa_secret.asc"))).status, 200);
  const HttpResponse log = AsOwner("GET", "/api/v1/audit-log/default/");
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_EQ(log.body.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(log.body.find("PUBLIC"), std::string::npos);
  const json::value entries = ParseJson(log.body);
  const json::object& entry = entries.as_array().at(0).as_object();
  EXPECT_EQ(entry.at("action"), "repository.signing_key");
  EXPECT_EQ(entry.at("target"), "default/agents");
  EXPECT_EQ(entry.at("details").at("before").at("fingerprint"), before.c_str());
  EXPECT_EQ(entry.at("details").at("after").at("fingerprint"), kRsaFingerprint.data());
}

// The server's log never shows the uploaded secret key.
TEST_P(SigningKeyTest, LogNeverShowsTheSecretKey) {
  const std::string secret = TestKey("rsa_secret.asc");
  ASSERT_EQ(AsOwner("PUT", kKeyUrl, SecretKeyBody(secret)).status, 200);
  ASSERT_EQ(AsOwner("PUT", kKeyUrl, SecretKeyBody(TestKey("protected_secret.asc"))).status, 422);
  const std::string log = tollgate_.Log();
  EXPECT_EQ(log.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(log.find(secret.substr(100, 40)), std::string::npos);
}

// A repository deleted and made again gets a new key, not its predecessor's.
TEST_P(SigningKeyTest, RecreatedRepositoryGetsANewKey) {
  tollgate_.CreateRepo("tools");
  const std::string url = "/api/v1/repos/default/tools/signing-key/";
  ASSERT_EQ(AsOwner("PUT", url, SecretKeyBody(TestKey("rsa_secret.asc"))).status, 200);
  ASSERT_EQ(AsOwner("DELETE", "/api/v1/repos/default/tools/").status, 204);
  tollgate_.CreateRepo("tools");
  const HttpResponse key = AsOwner("GET", url);
  ASSERT_EQ(key.status, 200) << key.body;
  EXPECT_NE(JsonString(ParseJson(key.body), "fingerprint"), kRsaFingerprint);
}

INSTANTIATE_TEST_SUITE_P(BothStores, SigningKeyTest,
                         ::testing::Values(StoreKind::kEmbedded, StoreKind::kRedis), StoreName);

// Instances on one Redis sign with one key: a PUT on one is what the other answers at once.
TEST(SigningKeyAcrossInstancesTest, InstancesShareTheKey) {
  RedisServer redis;
  TollgateProcess first;
  TollgateProcess second;
  ASSERT_TRUE(first.Start({"--redis", redis.url()}));
  first.CreateRepo("agents");
  ASSERT_TRUE(second.Start({"--redis", redis.url()}));
  const Headers owner{{"X-Api-Key", first.admin_key()}, {"Content-Type", "application/json"}};
  const auto fingerprint = [&](const TollgateProcess& instance) {
    const HttpResponse key = instance.admin().Request("GET", kKeyUrl, owner);
    EXPECT_EQ(key.status, 200) << key.body;
    return JsonString(ParseJson(key.body), "fingerprint");
  };
  EXPECT_EQ(fingerprint(second), fingerprint(first));
  const HttpResponse put =
      first.admin().Request("PUT", kKeyUrl, owner, SecretKeyBody(TestKey("rsa_secret.asc")));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(fingerprint(second), kRsaFingerprint);
}

}  // namespace
}  // namespace tollgate::testing
