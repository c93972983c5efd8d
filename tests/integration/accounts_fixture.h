// A tollgate server with accounts, on the embedded store or on a real redis-server: the base
// of the account, privilege and permission-matrix tests, which run the same on both stores.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "boost/json/array.hpp"
#include "boost/json/object.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "redis_server.h"
#include "tollgate_process.h"

namespace tollgate::testing {

enum class StoreKind { kEmbedded, kRedis };

// "Embedded" / "Redis", for parameterised test names.
std::string StoreName(const ::testing::TestParamInfo<StoreKind>& info);

// An account made through the API and its key (shown once, kept by the test).
struct TestAccount {
  std::string name;
  std::string key;
};

class AccountsTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override;

  // The arguments that put an instance on this test's store ({} or {"--redis", url}).
  std::vector<std::string> StoreArgs() const;

  // An admin API request with `key` in X-Api-Key (no header when `key` is empty).
  HttpResponse As(const std::string& key, std::string_view method, std::string_view target,
                  std::string_view body = {}, Headers headers = {}) const;
  // The same, as the bootstrap owner.
  HttpResponse AsOwner(std::string_view method, std::string_view target,
                       std::string_view body = {}) const {
    return As(tollgate_.admin_key(), method, target, body);
  }

  // Adds member `name` with `role`; fails the test unless 201.
  TestAccount AddMember(std::string_view name, std::string_view role = "member");
  // Creates a service named `name` with `role`; its slug is returned as the name.
  TestAccount CreateService(std::string_view name, std::string_view role = "member");
  // Replaces the privilege list of default/`repo`.
  void SetPrivileges(std::string_view repo, const boost::json::array& grants);
  // Uploads `bytes` to default/`repo`/`path` with `key`; returns the response.
  HttpResponse Upload(const std::string& key, std::string_view repo, std::string_view path,
                      std::string_view bytes) const;
  // GET of default/`repo`/`path` on the download listener with `authorization`.
  HttpResponse DownloadWith(std::string_view authorization, std::string_view repo,
                            std::string_view path) const;

  std::unique_ptr<RedisServer> redis_;
  TollgateProcess tollgate_;
};

}  // namespace tollgate::testing
