// Resolution and TLS set-up happen once, here, so the threads only ever connect to one
// endpoint: the run sends nowhere but to the URLs' origin.
#include "load/load_plan.h"

#include "boost/asio/io_context.hpp"
#include "boost/asio/ssl/host_name_verification.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::load {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

absl::Status ConfigureTls(asio::ssl::context& tls, const LoadOptions& options,
                          const LoadOrigin& origin) {
  boost::system::error_code ec;
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                  asio::ssl::context::no_tlsv1_1);
  if (options.insecure) {
    tls.set_verify_mode(asio::ssl::verify_none);
    return absl::OkStatus();
  }
  if (options.cacert) {
    tls.load_verify_file(*options.cacert, ec);
    if (ec) return absl::InvalidArgumentError("--cacert: cannot read the CA certificates");
  } else {
    tls.set_default_verify_paths(ec);
    if (ec) return absl::InvalidArgumentError("--cacert: no system CA certificates; give one");
  }
  tls.set_verify_mode(asio::ssl::verify_peer);
  tls.set_verify_callback(asio::ssl::host_name_verification(origin.host));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LoadPlan> MakePlan(const LoadOptions& options) {
  LoadPlan plan;
  std::vector<std::string> urls = options.urls;
  if (options.urls_file) {
    absl::StatusOr<std::vector<std::string>> read = ReadUrlFile(*options.urls_file);
    if (!read.ok()) return read.status();
    urls = *std::move(read);
  }
  absl::StatusOr<LoadTargets> targets =
      BuildTargets(urls, options.urls_file ? "--urls: URL" : "URL");
  if (!targets.ok()) return targets.status();
  plan.targets = *std::move(targets);
  if (options.source_addresses) {
    absl::StatusOr<AddressRange> range = AddressRange::Parse(*options.source_addresses);
    if (!range.ok()) return range.status();
    plan.sources = *range;
  }
  plan.connections = options.connections;
  plan.threads = options.threads;
  plan.requests = options.requests;
  if (options.duration) plan.duration = *options.duration;
  plan.rate = options.rate;
  plan.timeout = options.timeout;
  plan.grace = std::min<std::chrono::nanoseconds>(std::chrono::seconds(2), options.timeout);

  asio::io_context io;
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  const tcp::resolver::results_type found =
      resolver.resolve(plan.targets.origin.host, plan.targets.origin.port, ec);
  if (ec || found.empty()) {
    return absl::UnavailableError(Concat("cannot resolve the host of ", plan.targets.Display()));
  }
  bool chosen = false;
  for (const auto& entry : found) {
    const tcp::endpoint endpoint = entry.endpoint();
    if (plan.sources && plan.sources->is_v4() != endpoint.address().is_v4()) continue;
    plan.server = endpoint;
    chosen = true;
    break;
  }
  if (!chosen) {
    return absl::InvalidArgumentError(
        "--source-addresses: the range's address family does not match the server's address");
  }
  if (plan.targets.origin.tls) {
    plan.tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    if (absl::Status s = ConfigureTls(*plan.tls, options, plan.targets.origin); !s.ok()) return s;
  }
  return plan;
}

}  // namespace tollgate::gateway::load
