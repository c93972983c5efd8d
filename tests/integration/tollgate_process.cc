// Process control for the integration tests: everything here is bounded in time, and only the
// child started here is ever signalled, by its pid.
#include "tollgate_process.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"

namespace tollgate::testing {
namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kPollInterval = std::chrono::milliseconds(10);

// The value of `key` in a text (`key=value`) or JSON (`"key":"value"`) log line.
std::string LogField(std::string_view line, std::string_view key) {
  const std::string text_key = " " + std::string(key) + "=";
  if (size_t at = line.find(text_key); at != std::string_view::npos) {
    const std::string_view rest = line.substr(at + text_key.size());
    return std::string(rest.substr(0, rest.find(' ')));
  }
  const std::string json_key = "\"" + std::string(key) + "\":\"";
  if (size_t at = line.find(json_key); at != std::string_view::npos) {
    const std::string_view rest = line.substr(at + json_key.size());
    return std::string(rest.substr(0, rest.find('"')));
  }
  return "";
}

// The port of "host:port"; 0 when there is none.
uint16_t PortOf(std::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return 0;
  const std::string digits(address.substr(colon + 1));
  char* end = nullptr;
  const unsigned long port = std::strtoul(digits.c_str(), &end, 10);
  if (digits.empty() || *end != '\0' || port == 0 || port > 65535) return 0;
  return static_cast<uint16_t>(port);
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

std::string TollgateBinary() { return TOLLGATE_BINARY; }

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/tollgate-it-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;  // a leftover temp folder is not worth failing a test over
  fs::remove_all(path_, ignored);
}

std::vector<std::string> AllowingLoopbackOrigins(std::vector<std::string> args) {
  args.insert(args.end(), {"--origin-allow", "127.0.0.0/8"});
  return args;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void WriteFile(const fs::path& path, std::string_view content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create " + path.parent_path().string());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

json::value ParseJson(std::string_view body) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) throw std::runtime_error("not JSON (" + ec.message() + "): " + std::string(body));
  return value;
}

std::string JsonString(const json::value& value, std::string_view key) {
  const json::object* object = value.if_object();
  const json::value* member = object != nullptr ? object->if_contains(key) : nullptr;
  if (member == nullptr || !member->is_string()) {
    throw std::runtime_error("no string \"" + std::string(key) + "\" in " + json::serialize(value));
  }
  return std::string(member->as_string());
}

CommandResult RunTollgate(const std::vector<std::string>& args, const Environment& env,
                          std::chrono::seconds timeout) {
  return RunCommand(TollgateBinary(), args, env, timeout);
}

TollgateProcess::TollgateProcess() = default;

TollgateProcess::~TollgateProcess() { Stop(); }

fs::path TollgateProcess::RepoDir(std::string_view repo, std::string_view org) const {
  return artifacts_dir() / org / repo;
}

::testing::AssertionResult TollgateProcess::Start(const std::vector<std::string>& extra_args,
                                                  const Environment& env) {
  if (running()) return ::testing::AssertionFailure() << "tollgate is already running";
  ++run_;
  log_path_ = root() / ("tollgate-" + std::to_string(run_) + ".log");
  std::vector<std::string> args = {
      "serve",      "--listen",          "127.0.0.1:0", "--admin-listen",        "127.0.0.1:0",
      "--data-dir", data_dir().string(), "--artifacts", artifacts_dir().string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = Spawn(TollgateBinary(), args, env, root() / ("tollgate-" + std::to_string(run_) + ".out"),
               log_path_);
  download_port_ = admin_port_ = 0;
  listening_line_.clear();

  const Clock::time_point deadline = Clock::now() + kStartTimeout;
  for (;;) {
    for (const std::string& line : Lines(Log())) {
      if (line.find(" listening ") == std::string::npos &&
          line.find("\"event\":\"listening\"") == std::string::npos) {
        continue;
      }
      download_port_ = PortOf(LogField(line, "download"));
      admin_port_ = PortOf(LogField(line, "admin"));
      listening_line_ = line;
    }
    if (!listening_line_.empty()) break;
    if (std::optional<int> code = WaitUntil(pid_, Clock::now())) {
      pid_ = -1;
      return ::testing::AssertionFailure()
             << "tollgate exited with " << *code << " before listening; its log:\n"
             << Log();
    }
    if (Clock::now() >= deadline) {
      Stop();
      return ::testing::AssertionFailure() << "no `listening` line within 10 s; the log:\n"
                                           << Log();
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  if (download_port_ == 0 || admin_port_ == 0) {
    Stop();
    return ::testing::AssertionFailure() << "cannot read the ports of: " << listening_line_;
  }
  admin_key_ = Trim(ReadFile(data_dir() / "admin-api-key"));
  return ::testing::AssertionSuccess();
}

int TollgateProcess::Stop(std::chrono::seconds grace) {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  std::optional<int> code = WaitUntil(pid_, Clock::now() + grace);
  if (!code) {
    ::kill(pid_, SIGKILL);
    code = WaitUntil(pid_, Clock::now() + std::chrono::seconds(5));
  }
  pid_ = -1;
  return code.value_or(-1);
}

void TollgateProcess::Signal(int signal) const {
  if (running()) ::kill(pid_, signal);
}

int TollgateProcess::WaitForExit(std::chrono::seconds timeout) {
  if (!running()) return -1;
  const std::optional<int> code = WaitUntil(pid_, Clock::now() + timeout);
  if (!code) return -1;
  pid_ = -1;
  return *code;
}

std::string TollgateProcess::Log() const { return ReadFile(log_path_); }

bool TollgateProcess::WaitForLog(std::string_view needle, std::chrono::milliseconds timeout) const {
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    if (Log().find(needle) != std::string::npos) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

HttpResponse TollgateProcess::Admin(std::string_view method, std::string_view target,
                                    std::string_view body, Headers headers) const {
  headers.emplace_back("X-Api-Key", admin_key_);
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  return admin().Request(method, target, headers, body);
}

json::object TollgateProcess::CreateRepo(std::string_view slug, std::string_view type) const {
  const json::object request{{"slug", slug}, {"repository_type", type}};
  const HttpResponse response = Admin("POST", "/api/v1/repos/default/", json::serialize(request));
  if (response.status != 201) {
    throw std::runtime_error("creating repo " + std::string(slug) + " answered " +
                             std::to_string(response.status) + ": " + response.body);
  }
  return ParseJson(response.body).as_object();
}

json::object TollgateProcess::CreateToken(std::string_view repo, json::object fields) const {
  const std::string target = "/api/v1/entitlements/default/" + std::string(repo) + "/";
  const HttpResponse response = Admin("POST", target, json::serialize(fields));
  if (response.status != 201) {
    throw std::runtime_error("creating a token in " + std::string(repo) + " answered " +
                             std::to_string(response.status) + ": " + response.body);
  }
  return ParseJson(response.body).as_object();
}

std::string TollgateProcess::CreateTokenString(std::string_view repo, std::string_view name) const {
  return JsonString(CreateToken(repo, json::object{{"name", name}}), "token");
}

void TollgateProcess::PlaceFile(std::string_view repo, std::string_view path,
                                std::string_view content) const {
  WriteFile(RepoDir(repo) / path, content);
}

}  // namespace tollgate::testing
