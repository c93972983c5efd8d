// The real `tollgate` binary as a test fixture: fresh temp folders, fork/exec, the ports from
// the `listening` log line, the bootstrapped admin key, a bounded SIGTERM stop, and helpers
// for the admin API calls most tests start with.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "boost/json/object.hpp"
#include "boost/json/value.hpp"
#include "gtest/gtest.h"
#include "http_client.h"
#include "run_command.h"

namespace tollgate::testing {

// The path of the binary under test (from CMake).
std::string TollgateBinary();

// A folder under $TMPDIR (or /tmp) removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();  // throws std::runtime_error when it cannot be created
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs `tollgate ARGS…` to completion with `env` added, capturing both streams. Killed with
// SIGKILL (timed_out set) when it has not finished within `timeout`.
CommandResult RunTollgate(const std::vector<std::string>& args, const Environment& env = {},
                          std::chrono::seconds timeout = std::chrono::seconds(20));

// `args` followed by --origin-allow 127.0.0.0/8: test origins listen on loopback, which
// tollgate refuses as an origin address unless the operator allows it.
std::vector<std::string> AllowingLoopbackOrigins(std::vector<std::string> args);

// The lines of `text` without their line ends; a trailing newline adds no empty line.
std::vector<std::string> Lines(std::string_view text);

// Reads a whole file; "" when it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

// Writes `content` to `path`, creating the parent folders; throws std::runtime_error on failure.
void WriteFile(const std::filesystem::path& path, std::string_view content);

// Parses a JSON body; throws (with the body in the message) when it is not JSON.
boost::json::value ParseJson(std::string_view body);

// The string member `key` of a JSON object body; throws when absent or not a string.
std::string JsonString(const boost::json::value& value, std::string_view key);

class TollgateProcess {
 public:
  // Creates the temp folders (data dir and artifacts dir are not created: tollgate must).
  TollgateProcess();
  // Stops the server if it runs (SIGTERM, then SIGKILL if needed) and removes the folders.
  ~TollgateProcess();
  TollgateProcess(const TollgateProcess&) = delete;
  TollgateProcess& operator=(const TollgateProcess&) = delete;

  // Starts `tollgate serve --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 --data-dir …
  // --artifacts … EXTRA_ARGS…` and waits up to 10 s for its `listening` line. Reads the admin
  // key file when there is one. Fails (with the server's log) when the server exits first,
  // the line never comes or the server is already running.
  ::testing::AssertionResult Start(const std::vector<std::string>& extra_args = {},
                                   const Environment& env = {});

  // SIGTERM, then waits up to `grace`; SIGKILL only when it has not exited by then. Returns
  // the exit code (128 + signal when killed), or -1 when it was not running.
  int Stop(std::chrono::seconds grace = std::chrono::seconds(15));

  // Sends `signal` to the running server (by pid).
  void Signal(int signal) const;

  // Waits up to `timeout` for the server to exit; its exit code, or -1 when still running.
  int WaitForExit(std::chrono::seconds timeout);

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  uint16_t download_port() const { return download_port_; }
  uint16_t admin_port() const { return admin_port_; }
  const std::string& admin_key() const { return admin_key_; }
  const std::filesystem::path& root() const { return root_.path(); }
  std::filesystem::path data_dir() const { return root() / "data"; }
  std::filesystem::path artifacts_dir() const { return root() / "artifacts"; }
  // The folder of `default/{repo}` in the artifacts dir.
  std::filesystem::path RepoDir(std::string_view repo, std::string_view org = "default") const;
  // The `listening` line of the current run.
  const std::string& listening_line() const { return listening_line_; }

  // Everything the current (or last) run wrote to stderr so far.
  std::string Log() const;
  // Waits up to `timeout` for `needle` to appear in Log(); false when it never does.
  bool WaitForLog(std::string_view needle,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  HttpClient download() const { return HttpClient(download_port_); }
  HttpClient admin() const { return HttpClient(admin_port_); }

  // An admin API request authenticated with X-Api-Key: admin_key().
  HttpResponse Admin(std::string_view method, std::string_view target, std::string_view body = {},
                     Headers headers = {}) const;
  // POST /api/v1/repos/default/ → the created repository; throws unless 201.
  boost::json::object CreateRepo(std::string_view slug, std::string_view type = "private") const;
  // POST /api/v1/entitlements/default/{repo}/ with `fields` → the token JSON; throws unless 201.
  boost::json::object CreateToken(std::string_view repo, boost::json::object fields) const;
  // The token string of a new entitlement named `name` in `repo`.
  std::string CreateTokenString(std::string_view repo, std::string_view name = "customer-42") const;
  // Places `content` at {artifacts}/default/{repo}/{path} by hand.
  void PlaceFile(std::string_view repo, std::string_view path, std::string_view content) const;

 private:
  TempDir root_;
  pid_t pid_ = -1;
  int run_ = 0;  // counts starts, so each run has its own log file
  uint16_t download_port_ = 0;
  uint16_t admin_port_ = 0;
  std::string admin_key_;
  std::string listening_line_;
  std::filesystem::path log_path_;
};

}  // namespace tollgate::testing
