// Process management for the test redis-server.
#include "redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "child_process.h"

namespace tollgate::testing {

std::vector<std::string> ClientIdsNamed(std::string_view client_list, std::string_view name) {
  // One line per client: "id=7 addr=… name=NAME …".
  std::vector<std::string> ids;
  std::istringstream lines{std::string(client_list)};
  std::string line;
  const std::string wanted = " name=" + std::string(name) + " ";
  while (std::getline(lines, line)) {
    if (line.rfind("id=", 0) != 0 || (line + " ").find(wanted) == std::string::npos) continue;
    ids.push_back(line.substr(3, line.find(' ') - 3));
  }
  return ids;
}
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

RedisServer::RedisServer(RedisData data, std::vector<std::string> extra_args)
    : RedisServer(data, std::move(extra_args), "") {}

RedisServer::RedisServer(RedisData data, std::vector<std::string> extra_args,
                         std::string sentinel_config)
    : data_(data),
      extra_args_(std::move(extra_args)),
      sentinel_config_(std::move(sentinel_config)) {
  char pattern[] = "/tmp/tollgate-redis-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  port_ = FreeLoopbackPort();
  // A Sentinel rewrites its configuration file as it learns, so it needs one of its own.
  if (!sentinel_config_.empty()) std::ofstream(dir_ / "sentinel.conf") << sentinel_config_;
  Start();
}

std::unique_ptr<RedisServer> RedisServer::Sentinel(int master_port, const std::string& master_name,
                                                   int quorum) {
  const std::string config = "sentinel monitor " + master_name + " 127.0.0.1 " +
                             std::to_string(master_port) + " " + std::to_string(quorum) +
                             "\nsentinel down-after-milliseconds " + master_name +
                             " 1000\nsentinel failover-timeout " + master_name +
                             " 5000\nsentinel parallel-syncs " + master_name + " 1\n";
  return std::unique_ptr<RedisServer>(new RedisServer(RedisData::kLostOnStop, {}, config));
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
  std::vector<std::string> args = {"redis-server"};
  if (!sentinel_config_.empty()) {
    args.insert(args.end(), {(dir_ / "sentinel.conf").string(), "--sentinel"});
  }
  args.insert(args.end(),
              {"--port", port, "--bind", "127.0.0.1", "--dir", dir_.string(), "--logfile", log});
  if (sentinel_config_.empty()) {
    args.insert(args.end(), {"--save", "", "--appendonly", append_only});
  }
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::execvp("redis-server", argv.data());
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

void RedisServer::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string RedisServer::url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

}  // namespace tollgate::testing
