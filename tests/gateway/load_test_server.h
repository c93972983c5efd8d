// A scripted HTTP/1.1 server on 127.0.0.1 for the load generator's tests (raw Asio on its own
// thread): it counts the requests it received, answers each with what the script says, and
// counts what it answered, so a test can compare the generator's totals with the server's.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"

namespace tollgate::gateway::load::testing {

struct ScriptedReply {
  std::string bytes;          // the whole response as sent
  bool close_after = false;   // close the connection after sending it
  bool endless_head = false;  // after `bytes`, send header lines until the client goes away
  bool silent = false;        // send nothing and keep the connection open
  int status = 0;             // for the server's own count (0: not counted)
  std::string reason;         // X-Tollgate-Reason, for the server's own count
};

// `number` counts requests from 0 over all connections.
using Script = std::function<ScriptedReply(uint64_t number)>;

class ScriptedServer {
 public:
  // Starts listening on 127.0.0.1 at a free port. With `tls`, speaks TLS with that context.
  explicit ScriptedServer(Script script, std::shared_ptr<boost::asio::ssl::context> tls = nullptr);
  ~ScriptedServer();  // stops the thread and closes every connection
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  int port() const { return port_; }
  // http(s)://127.0.0.1:PORT followed by `path`.
  std::string Url(std::string_view path) const;

  uint64_t requests() const { return requests_.load(); }
  uint64_t connections() const { return connections_.load(); }
  std::map<int, uint64_t> statuses() const;
  std::map<std::string, uint64_t> reasons() const;
  std::set<std::string> client_addresses() const;
  // The request heads received, in order (only the first 100).
  std::vector<std::string> heads() const;

  // Replies: 200 with a body of `size` bytes; a denial with X-Tollgate-Reason and a JSON body.
  static ScriptedReply Ok(size_t size, bool chunked = false, bool close = false);
  static ScriptedReply Denied(int status, std::string_view reason);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Script script_;
  int port_ = 0;
  bool tls_ = false;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> connections_{0};
  mutable std::mutex mutex_;
  std::map<int, uint64_t> statuses_;
  std::map<std::string, uint64_t> reasons_;
  std::set<std::string> clients_;
  std::vector<std::string> heads_;
  std::thread thread_;

  friend struct ServerAccess;
};

}  // namespace tollgate::gateway::load::testing
