// Configuration and process management for the test nginx.
#include "nginx_server.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "child_process.h"

namespace tollgate::testing {
namespace fs = std::filesystem;

namespace {

constexpr char kNginx[] = "/usr/sbin/nginx";

// nginx.conf with @DIR@, @PORT@ and @SERVER@ replaced. One process without a master: it keeps
// the test's user, so it can read the temp root and write uploads there, and its pid is the
// one to stop.
constexpr std::string_view kConfigTemplate = R"(daemon off;
master_process off;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log;
events { worker_connections 256; }
http {
  log_format origin '$request_method $uri $status auth="$http_authorization" range="$http_range" cookie="$http_cookie" sent=$body_bytes_sent conn=$connection amz_date="$http_x_amz_date" amz_sha256="$http_x_amz_content_sha256"';
  access_log @DIR@/access.log origin;
  client_body_temp_path @DIR@/body;
  proxy_temp_path @DIR@/proxy;
  fastcgi_temp_path @DIR@/fastcgi;
  uwsgi_temp_path @DIR@/uwsgi;
  scgi_temp_path @DIR@/scgi;
  types { application/vnd.debian.binary-package deb; application/gzip gz; }
  default_type application/octet-stream;
  sendfile on;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:@PORT@;
    root @DIR@/root;
@SERVER@
  }
}
)";

std::string Config(const fs::path& dir, int port, const std::string& server_directives) {
  std::string config(kConfigTemplate);
  const auto replace = [&config](std::string_view name, const std::string& value) {
    for (size_t at = config.find(name); at != std::string::npos;
         at = config.find(name, at + value.size())) {
      config.replace(at, name.size(), value);
    }
  };
  replace("@SERVER@", server_directives);
  replace("@PORT@", std::to_string(port));
  replace("@DIR@", dir.string());
  return config;
}

}  // namespace

NginxServer::NginxServer(std::string server_directives)
    : server_directives_(std::move(server_directives)) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/tollgate-nginx-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  fs::create_directories(root());
  port_ = FreeLoopbackPort();
  std::ofstream(dir_ / "nginx.conf") << Config(dir_, port_, server_directives_);
  Start();
}

NginxServer::~NginxServer() {
  Stop();
  std::error_code ignored;  // a leftover temp folder is not worth failing a test for
  fs::remove_all(dir_, ignored);
}

void NginxServer::Start() {
  if (pid_ > 0) return;
  const std::string config = (dir_ / "nginx.conf").string();
  const std::string prefix = dir_.string() + "/";
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::execl(kNginx, kNginx, "-c", config.c_str(), "-p", prefix.c_str(), "-e",
            (prefix + "error.log").c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int attempt = 0; attempt < 200; ++attempt) {  // up to 10 s
    if (AcceptsConnections(port_)) return;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("nginx exited: " + ReadWholeFile(dir_ / "error.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Stop();
  throw std::runtime_error("nginx did not accept connections: " +
                           ReadWholeFile(dir_ / "error.log"));
}

void NginxServer::Stop() {
  StopChild(pid_);
  pid_ = -1;
}

std::string NginxServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string NginxServer::AccessLog(size_t min_lines) const {
  for (int attempt = 0;; ++attempt) {  // up to 5 s
    std::string log = ReadWholeFile(dir_ / "access.log");
    if (static_cast<size_t>(std::count(log.begin(), log.end(), '\n')) >= min_lines ||
        attempt == 250) {
      return log;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace tollgate::testing
