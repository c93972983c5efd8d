// A real redis-server for tests: started on a free loopback port in a temp folder, stopped
// by pid. Tests that involve Redis talk to this, never to a mock.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::testing {

// The ids of the clients named `name` in a CLIENT LIST answer, for CLIENT KILL ID.
std::vector<std::string> ClientIdsNamed(std::string_view client_list, std::string_view name);

// Whether the data survives Stop and Start: kept in an append-only file, or lost.
enum class RedisData { kLostOnStop, kKeptOnStop };

class RedisServer {
 public:
  // Picks a free port and starts redis-server on 127.0.0.1 with `extra_args` (e.g.
  // {"--replicaof", "127.0.0.1", "6379"}). Throws std::runtime_error with redis-server's log
  // when it does not answer PING within 10 s.
  explicit RedisServer(RedisData data = RedisData::kLostOnStop,
                       std::vector<std::string> extra_args = {});
  // A Redis Sentinel (redis-server --sentinel) watching the master at 127.0.0.1:`master_port`
  // as `master_name`, with a quorum of `quorum`, judging a master down after 1 s of silence.
  static std::unique_ptr<RedisServer> Sentinel(int master_port, const std::string& master_name,
                                               int quorum);
  ~RedisServer();  // stops the server (SIGTERM, then SIGKILL after 5 s) and removes its folder
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Stops the server, keeping its port, so a test can simulate an outage.
  void Stop();
  // Kills the server with SIGKILL (no shutdown, no last write), keeping its port.
  void Kill();
  // Starts it again on the same port (after Stop). Throws like the constructor.
  void Start();

  int port() const { return port_; }
  // redis://127.0.0.1:PORT
  std::string url() const;
  bool running() const { return pid_ > 0; }

 private:
  RedisServer(RedisData data, std::vector<std::string> extra_args, std::string sentinel_config);

  std::filesystem::path dir_;
  RedisData data_;
  std::vector<std::string> extra_args_;
  std::string sentinel_config_;  // non-empty: runs as a Sentinel with this configuration
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace tollgate::testing
