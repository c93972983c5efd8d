// Where a Redis server is: parsed from `redis://[:password@]host:port[/db]` (SPEC §6).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tollgate::storage {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // empty: no AUTH; never logged
  int db = 0;

  // "host:port/db", without the password, for logs and errors.
  std::string Describe() const;

  bool operator==(const RedisEndpoint&) const = default;
};

// InvalidArgument naming what is wrong (scheme, host, port, db) — never echoing the password.
absl::StatusOr<RedisEndpoint> ParseRedisUrl(std::string_view url);

}  // namespace tollgate::storage
