// Process management for the test redis-server.
#include "redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "child_process.h"

namespace tollgate::testing {
namespace {

bool Answers(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  if (ok) {
    constexpr char kPing[] = "PING\r\n";
    char reply[16] = {};
    ok = ::write(fd, kPing, sizeof kPing - 1) == sizeof kPing - 1 &&
         ::read(fd, reply, sizeof reply) > 0 && std::string(reply).starts_with("+PONG");
  }
  ::close(fd);
  return ok;
}

}  // namespace

RedisServer::RedisServer(RedisData data) : data_(data) {
  char pattern[] = "/tmp/tollgate-redis-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  port_ = FreeLoopbackPort();
  Start();
}

RedisServer::~RedisServer() {
  Stop();
  std::error_code ignored;  // a leftover temp folder is not worth failing a test for
  std::filesystem::remove_all(dir_, ignored);
}

void RedisServer::Start() {
  if (pid_ > 0) return;
  const std::string port = std::to_string(port_);
  const std::string log = (dir_ / "redis.log").string();
  // On SIGTERM redis-server writes the append-only file out whole before it exits.
  const char* append_only = data_ == RedisData::kKeptOnStop ? "yes" : "no";
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", append_only, "--dir", dir_.c_str(), "--logfile",
             log.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int attempt = 0; attempt < 200; ++attempt) {  // up to 10 s
    if (Answers(port_)) return;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited: " + ReadWholeFile(dir_ / "redis.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Stop();
  throw std::runtime_error("redis-server did not answer: " + ReadWholeFile(dir_ / "redis.log"));
}

void RedisServer::Stop() {
  StopChild(pid_);
  pid_ = -1;
}

std::string RedisServer::url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

}  // namespace tollgate::testing
