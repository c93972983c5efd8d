// Tests of redis:// URL parsing and the endpoint's description for logs.
#include "tollgate/storage/redis/redis_endpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

struct GoodUrl {
  std::string_view url;
  std::string_view host;
  int port;
  std::string_view password;
  int db;
};

// Every accepted form parses into the expected host, port, password and database.
TEST(ParseRedisUrlTest, AcceptsTheDocumentedForms) {
  const GoodUrl kCases[] = {
      {"redis://127.0.0.1:6380", "127.0.0.1", 6380, "", 0},
      {"redis://localhost", "localhost", 6379, "", 0},
      {"redis://redis.internal:6379/3", "redis.internal", 6379, "", 3},
      {"redis://host/", "host", 6379, "", 0},
      {"redis://host/15", "host", 6379, "", 15},
      {"redis://:s3cret@host:7000/2", "host", 7000, "s3cret", 2},
      {"redis://default:s3cret@host", "host", 6379, "s3cret", 0},
      {"redis://anyone:s3cret@host", "host", 6379, "s3cret", 0},
      {"redis://:@host", "host", 6379, "", 0},
      {"redis://:p%40ss%2Fw%3Ard@host", "host", 6379, "p@ss/w:rd", 0},
      {"redis://:p@ss/w:rd@host:1/1", "host", 1, "p@ss/w:rd", 1},
      {"redis://[::1]:6390/4", "::1", 6390, "", 4},
      {"redis://[::1]", "::1", 6379, "", 0},
      {"redis://:pw@[fe80::1:2]:65535", "fe80::1:2", 65535, "pw", 0},
      {"REDIS://Host_1.example-2:1", "Host_1.example-2", 1, "", 0},
  };
  for (const GoodUrl& c : kCases) {
    const absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl(c.url);
    ASSERT_TRUE(endpoint.ok()) << c.url << ": " << endpoint.status();
    EXPECT_EQ(endpoint->host, c.host) << c.url;
    EXPECT_EQ(endpoint->port, c.port) << c.url;
    EXPECT_EQ(endpoint->password, c.password) << c.url;
    EXPECT_EQ(endpoint->db, c.db) << c.url;
  }
}

struct BadUrl {
  std::string_view url;
  std::string_view part;  // the word the error must name
};

// Every malformed URL is InvalidArgument naming the part that is wrong.
TEST(ParseRedisUrlTest, RejectsMalformedUrlsNamingThePart) {
  const BadUrl kCases[] = {
      {"", "scheme"},
      {"127.0.0.1:6379", "scheme"},
      {"rediss://host", "scheme"},
      {"http://host", "scheme"},
      {"redis://", "host"},
      {"redis://:6379", "host"},
      {"redis://:pw@", "host"},
      {"redis://ho st", "host"},
      {"redis://host?db=1", "host"},
      {"redis://::1:6379", "host"},
      {"redis://[::1", "host"},
      {"redis://[::1]x", "host"},
      {"redis://[127.0.0.1]", "host"},
      {"redis://[::g]", "host"},
      {"redis://host:", "port"},
      {"redis://host:0", "port"},
      {"redis://host:65536", "port"},
      {"redis://host:+1", "port"},
      {"redis://host:-1", "port"},
      {"redis://host:12ab", "port"},
      {"redis://host:99999999999", "port"},
      {"redis://host/x", "db"},
      {"redis://host/-1", "db"},
      {"redis://host/1/2", "db"},
      {"redis://host/1?x=y", "db"},
      {"redis://host/99999999999", "db"},
      {"redis://justaword@host", "password"},
      {"redis://:bad%zzescape@host", "password"},
      {"redis://:bad%4@host", "password"},
  };
  for (const BadUrl& c : kCases) {
    const absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl(c.url);
    ASSERT_FALSE(endpoint.ok()) << c.url;
    EXPECT_EQ(endpoint.status().code(), absl::StatusCode::kInvalidArgument) << c.url;
    EXPECT_NE(ToStd(endpoint.status().message()).find(c.part), std::string_view::npos)
        << c.url << ": " << endpoint.status();
  }
}

// No error quotes the password, even when a mistyped URL puts it where a port belongs.
TEST(ParseRedisUrlTest, ErrorsNeverContainThePassword) {
  constexpr std::string_view kSecret = "hunter2secret";
  const std::string kCases[] = {
      Concat("redis://host:", kSecret),         Concat("redis://", kSecret, "@host"),
      Concat("redis://:", kSecret, "%zz@host"), Concat("redis://:", kSecret, "@host:port"),
      Concat("redis://:", kSecret, "@ho st"),   Concat("redis://:", kSecret, "@host/db"),
      Concat("redis://host/", kSecret),         Concat("redis:/:", kSecret, "@host"),
      Concat(":", kSecret, "@host:6379"),
  };
  for (const std::string& url : kCases) {
    const absl::StatusOr<RedisEndpoint> endpoint = ParseRedisUrl(url);
    ASSERT_FALSE(endpoint.ok()) << url;
    EXPECT_EQ(ToStd(endpoint.status().message()).find(kSecret), std::string_view::npos)
        << endpoint.status();
  }
}

// Describe gives host:port/db (or the Sentinels' master name) without the password,
// bracketing IPv6 addresses.
TEST(RedisEndpointTest, DescribeOmitsThePassword) {
  RedisEndpoint plain;
  plain.host = "10.0.0.5";
  plain.port = 6380;
  plain.password = "s3cret";
  plain.db = 2;
  EXPECT_EQ(plain.Describe(), "10.0.0.5:6380/2");
  RedisEndpoint ipv6;
  ipv6.host = "::1";
  EXPECT_EQ(ipv6.Describe(), "[::1]:6379/0");
  RedisEndpoint sentinel = plain;
  sentinel.sentinels = {{"10.0.0.7", 26379}};
  sentinel.master_name = "tollgate";
  EXPECT_EQ(sentinel.Describe(), "sentinel master tollgate/2");
}

// A default-constructed endpoint is the local Redis on its standard port.
TEST(RedisEndpointTest, DefaultsToLocalRedis) {
  EXPECT_EQ(RedisEndpoint().Describe(), "127.0.0.1:6379/0");
}

}  // namespace
}  // namespace tollgate::storage
