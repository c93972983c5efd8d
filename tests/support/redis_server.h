// A real redis-server for tests: started on a free loopback port in a temp folder, stopped
// by pid. Tests that involve Redis talk to this, never to a mock.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace tollgate::testing {

// Whether the data survives Stop and Start: kept in an append-only file, or lost.
enum class RedisData { kLostOnStop, kKeptOnStop };

class RedisServer {
 public:
  // Picks a free port and starts redis-server on 127.0.0.1. Throws std::runtime_error with
  // redis-server's log when it does not answer PING within 10 s.
  explicit RedisServer(RedisData data = RedisData::kLostOnStop);
  ~RedisServer();  // stops the server (SIGTERM, then SIGKILL after 5 s) and removes its folder
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Stops the server, keeping its port, so a test can simulate an outage.
  void Stop();
  // Starts it again on the same port (after Stop). Throws like the constructor.
  void Start();

  int port() const { return port_; }
  // redis://127.0.0.1:PORT
  std::string url() const;
  bool running() const { return pid_ > 0; }

 private:
  std::filesystem::path dir_;
  RedisData data_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace tollgate::testing
