// Where a Redis server is: parsed from `redis://[:password@]host:port[/db]` (SPEC §6), or
// the master a set of Redis Sentinels names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tollgate::storage {

struct RedisHostPort {
  std::string host;
  int port = 0;

  bool operator==(const RedisHostPort&) const = default;
};

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // empty: no AUTH; never logged
  int db = 0;
  // Set: the master is whichever server these Sentinels name `master_name` (host and port
  // above are then not used), asked again after every lost connection.
  std::vector<RedisHostPort> sentinels;
  std::string master_name;
  // Counted reservations wait (WAIT) until this many replicas have them; 0: they do not.
  int wait_replicas = 0;

  // "host:port/db", or "sentinel master NAME/db", without the password, for logs and errors.
  std::string Describe() const;

  bool operator==(const RedisEndpoint&) const = default;
};

// InvalidArgument naming what is wrong (scheme, host, port, db) — never echoing the password.
absl::StatusOr<RedisEndpoint> ParseRedisUrl(std::string_view url);

}  // namespace tollgate::storage
