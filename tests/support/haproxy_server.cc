// Process management for the test HAProxy.
#include "haproxy_server.h"

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "child_process.h"

namespace tollgate::testing {
namespace fs = std::filesystem;

namespace {
constexpr char kHaproxy[] = "/usr/sbin/haproxy";
}  // namespace

HaproxyServer::HaproxyServer(const fs::path& config, const Environment& env) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/tollgate-haproxy-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  port_ = FreeLoopbackPort();
  Environment all = env;
  all["TOLLGATE_LB_LISTEN"] = "127.0.0.1:" + std::to_string(port_);
  // -db: foreground, no daemon, so the pid is haproxy's own.
  pid_ = Spawn(kHaproxy, {"-db", "-f", config.string()}, all, dir_ / "out.log", dir_ / "err.log");
  for (int attempt = 0; attempt < 200; ++attempt) {  // up to 10 s
    if (AcceptsConnections(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string output = Output();
  StopChild(pid_);
  pid_ = -1;
  throw std::runtime_error("haproxy did not accept connections: " + output);
}

HaproxyServer::~HaproxyServer() {
  StopChild(pid_);
  std::error_code ignored;  // a leftover temp folder is not worth failing a test for
  fs::remove_all(dir_, ignored);
}

std::string HaproxyServer::Output() const {
  return ReadWholeFile(dir_ / "out.log") + ReadWholeFile(dir_ / "err.log");
}

}  // namespace tollgate::testing
