// `tollgate serve` configuration: command line over TOLLGATE_* environment over config file
// over defaults (SPEC §6). Parsing never exits; the caller prints the one-line error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "edge/listen_address.h"
#include "http/client_address.h"
#include "observe/log.h"
#include "tollgate/storage/redis/redis_endpoint.h"

namespace tollgate::gateway {

struct ServeConfig {
  ListenAddress listen{"127.0.0.1", 8080};
  ListenAddress admin_listen{"127.0.0.1", 8081};
  std::filesystem::path data_dir = "./var";
  std::filesystem::path artifacts;  // default: DATA_DIR/artifacts
  int threads = 0;                  // 0: one per core
  absl::Duration drain_timeout = absl::Seconds(30);
  // Shared store; embedded store when absent. With --redis-sentinel it names the Sentinels
  // and the master's name (its host and port are then not used; its password and db are).
  std::optional<storage::RedisEndpoint> redis;
  absl::Duration dedupe_window = absl::Minutes(10);
  absl::Duration stale_grace = absl::Seconds(60);
  // As given; folded into `redis` once every source is read.
  std::vector<storage::RedisHostPort> redis_sentinels;
  std::string redis_master;
  int redis_wait_replicas = 0;
  std::vector<Cidr> trusted_proxies;
  // Origin addresses allowed although loopback, link-local, unspecified or multicast.
  std::vector<Cidr> origin_allow;
  ClientHeader client_header = ClientHeader::kXForwardedFor;
  bool contextual_realm = false;
  // The download listener's address as customers see it, without a trailing '/'
  // ("https://dl.vendor.example", "https://vendor.example/dl"); "" when the views build their
  // URLs from the request's Host.
  std::string public_url;
  absl::Duration send_timeout = absl::Seconds(60);
  int max_connections = 10000;           // per listener
  int max_connections_per_client = 256;  // per listener
  // TLS on a listener when both of its files are given (PEM certificate chain, private key).
  std::string tls_cert, tls_key;
  std::string admin_tls_cert, admin_tls_key;
  int auth_fail_limit = 20;  // invalid credentials per client per minute
  absl::Duration auth_block = absl::Seconds(60);
  LogFormat log_format = LogFormat::kText;
};

using Environment = std::map<std::string, std::string>;

// Reads `args` (the words after `serve`), then `env` (TOLLGATE_<OPTION>), then the file
// named by --config / TOLLGATE_CONFIG. InvalidArgument naming the option on any bad value,
// unknown option or unreadable config file.
absl::StatusOr<ServeConfig> ParseServeConfig(const std::vector<std::string>& args,
                                             const Environment& env);

// `tollgate serve --help`: every option with its value and one line on what it does.
std::string ServeHelp();

// "30s", "10m", "1h", "250ms" or a bare number of seconds. InvalidArgument otherwise.
absl::StatusOr<absl::Duration> ParseDuration(std::string_view text);

// "host:port" or "[v6]:port". InvalidArgument otherwise.
absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view text);

// `--public-url`: an absolute http or https URL with a host and optionally a path, no user
// information, query or fragment. Returns it without a trailing '/'.
absl::StatusOr<std::string> ParsePublicUrl(std::string_view text);

// The process environment as a map, for ParseServeConfig.
Environment ProcessEnvironment();

}  // namespace tollgate::gateway
