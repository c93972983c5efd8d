// The accounts fixture: server start on the chosen store and account helpers.
#include "accounts_fixture.h"

#include "boost/json/serialize.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::testing {
namespace json = boost::json;

std::string StoreName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kRedis ? "Redis" : "Embedded";
}

void AccountsTest::SetUp() {
  if (GetParam() == StoreKind::kRedis) redis_ = std::make_unique<RedisServer>();
  ASSERT_TRUE(tollgate_.Start(StoreArgs()));
  ASSERT_FALSE(tollgate_.admin_key().empty());
}

std::vector<std::string> AccountsTest::StoreArgs() const {
  if (redis_ == nullptr) return {};
  return {"--redis", redis_->url()};
}

HttpResponse AccountsTest::As(const std::string& key, std::string_view method,
                              std::string_view target, std::string_view body,
                              Headers headers) const {
  if (!key.empty()) headers.emplace_back("X-Api-Key", key);
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  return tollgate_.admin().Request(method, target, headers, body);
}

TestAccount AccountsTest::AddMember(std::string_view name, std::string_view role) {
  const HttpResponse response =
      AsOwner("POST", "/api/v1/orgs/default/members/",
              json::serialize(json::object{{"name", name}, {"role", role}}));
  EXPECT_EQ(response.status, 201) << response.body;
  if (response.status != 201) return {};
  const json::value body = ParseJson(response.body);
  return {JsonString(body, "name"), JsonString(body, "key")};
}

TestAccount AccountsTest::CreateService(std::string_view name, std::string_view role) {
  const HttpResponse response =
      AsOwner("POST", "/api/v1/orgs/default/services/",
              json::serialize(json::object{{"name", name}, {"role", role}}));
  EXPECT_EQ(response.status, 201) << response.body;
  if (response.status != 201) return {};
  const json::value body = ParseJson(response.body);
  return {JsonString(body, "slug"), JsonString(body, "key")};
}

void AccountsTest::SetPrivileges(std::string_view repo, const json::array& grants) {
  const HttpResponse response = AsOwner(
      "PUT", Concat("/api/v1/repos/default/", repo, "/privileges/"), json::serialize(grants));
  EXPECT_EQ(response.status, 200) << response.body;
}

HttpResponse AccountsTest::Upload(const std::string& key, std::string_view repo,
                                  std::string_view path, std::string_view bytes) const {
  Headers headers{{"X-Api-Key", key}, {"Content-Type", "application/octet-stream"}};
  return tollgate_.admin().Request(
      "PUT", Concat("/api/v1/packages/default/", repo, "/files/", path), headers, bytes);
}

HttpResponse AccountsTest::DownloadWith(std::string_view authorization, std::string_view repo,
                                        std::string_view path) const {
  Headers headers;
  if (!authorization.empty()) headers.emplace_back("Authorization", std::string(authorization));
  return tollgate_.download().Get(Concat("/basic/default/", repo, "/", path), headers);
}

}  // namespace tollgate::testing
