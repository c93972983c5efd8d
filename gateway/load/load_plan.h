// What a load run does, settled before it starts (URLs parsed, server resolved, TLS set up)
// and shared read-only by every load thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "load/address_range.h"
#include "load/load_options.h"
#include "load/load_target.h"

namespace tollgate::gateway::load {

struct LoadPlan {
  LoadTargets targets;
  boost::asio::ip::tcp::endpoint server;
  std::optional<AddressRange> sources;
  std::shared_ptr<boost::asio::ssl::context> tls;  // set for https
  int connections = 16;
  int threads = 1;
  std::optional<uint64_t> requests;  // stop after this many; else after `duration`
  std::chrono::nanoseconds duration = std::chrono::seconds(10);
  std::optional<double> rate;  // open loop when set
  std::chrono::nanoseconds timeout = std::chrono::seconds(10);
  // After the duration (or an interrupt), requests in flight get this long to finish.
  std::chrono::nanoseconds grace = std::chrono::seconds(2);
};

// Builds the plan of `options`: reads --urls, parses the URLs and --source-addresses, resolves
// the origin's host (an address of the source range's family when one is given) and sets up
// TLS (the peer checked against --cacert or the system's CAs, and its name against the host,
// unless --insecure). InvalidArgument naming the option for what the user must fix;
// Unavailable when the host cannot be resolved. Blocks while resolving.
absl::StatusOr<LoadPlan> MakePlan(const LoadOptions& options);

}  // namespace tollgate::gateway::load
