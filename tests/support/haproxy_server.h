// A real HAProxy for tests (Debian's haproxy, /usr/sbin/haproxy) running a given configuration
// in the foreground, its addresses passed through the environment as the configuration in
// deploy/fleet/ expects, stopped by pid.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "run_command.h"

namespace tollgate::testing {

class HaproxyServer {
 public:
  // Starts haproxy with `config`, TOLLGATE_LB_LISTEN set to 127.0.0.1 on a free port and
  // `env` added; waits (10 s at most) until that port accepts. Throws std::runtime_error with
  // haproxy's output when it does not.
  HaproxyServer(const std::filesystem::path& config, const Environment& env);
  ~HaproxyServer();  // stops haproxy (SIGTERM, then SIGKILL after 5 s) and removes its folder
  HaproxyServer(const HaproxyServer&) = delete;
  HaproxyServer& operator=(const HaproxyServer&) = delete;

  int port() const { return port_; }
  std::string Output() const;  // what haproxy wrote so far

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace tollgate::testing
