// A real nginx for tests (Debian's nginx-light, /usr/sbin/nginx): started on a free loopback
// port with its own prefix and configuration in a temp folder, serving a temp root folder,
// stopped by pid. Tests of HTTP origins talk to this, never to a mock.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace tollgate::testing {

class NginxServer {
 public:
  // Picks a free port and starts nginx (one process, no daemon) serving root() at "/".
  // `server_directives` go into the server block as they are (auth checks, WebDAV …). The
  // access log records method, URI, status, body bytes sent, the connection's serial number
  // and the Authorization, Range, Cookie, x-amz-date and x-amz-content-sha256 request headers
  // ("-" when absent). Throws std::runtime_error with nginx's error log
  // when it does not accept connections within 10 s.
  explicit NginxServer(std::string server_directives = "");
  ~NginxServer();  // stops nginx (SIGTERM, then SIGKILL after 5 s) and removes its folders
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  // Stops nginx, keeping its port and files, so a test can take the origin away.
  void Stop();
  // Starts it again (after Stop). Throws like the constructor.
  void Start();

  int port() const { return port_; }
  // http://127.0.0.1:PORT
  std::string url() const;
  bool running() const { return pid_ > 0; }
  // The folder served at "/".
  std::filesystem::path root() const { return dir_ / "root"; }
  // The access log, one request per line, once it holds at least `min_lines` lines (nginx
  // writes a request's line just after answering it, so a test that has just seen the answer
  // waits for it) or as it is after 5 s.
  std::string AccessLog(size_t min_lines = 0) const;

 private:
  std::filesystem::path dir_;
  std::string server_directives_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace tollgate::testing
