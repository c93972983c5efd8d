// A tiny HTTP origin on loopback whose every connection runs a test's script, for answers a
// real nginx will not give on demand: never answering, closing a keep-alive connection just
// as it is reused, chunked bodies.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tollgate::testing {

class ScriptedOrigin {
 public:
  // Runs `script(fd, n)` on its own thread for the n-th accepted connection (0-based); the
  // connection is closed when the script returns.
  using Script = std::function<void(int fd, int connection)>;

  // Listens on 127.0.0.1 on a free port. Throws std::runtime_error when it cannot.
  explicit ScriptedOrigin(Script script);
  // Stops accepting, shuts every connection down (unblocking scripts) and joins the threads.
  ~ScriptedOrigin();
  ScriptedOrigin(const ScriptedOrigin&) = delete;
  ScriptedOrigin& operator=(const ScriptedOrigin&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  int connections() const { return accepted_; }

  // Reads one request header (through the blank line); "" when the peer closed first.
  static std::string ReadRequestHeader(int fd);
  // Writes all of `bytes`; false when the peer is gone.
  static bool WriteAll(int fd, std::string_view bytes);
  // Blocks until the peer closes or the connection is shut down.
  static void WaitForClose(int fd);

 private:
  void AcceptLoop();

  Script script_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_ = 0;
  std::atomic<bool> stopping_ = false;
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> open_fds_;
  std::vector<std::thread> workers_;
};

}  // namespace tollgate::testing
