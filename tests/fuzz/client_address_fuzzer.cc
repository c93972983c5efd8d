// libFuzzer target: whatever forwarding header a client sends through a trusted proxy, the
// client key is an address (or an IPv6 /64), and the walk is linear in the header's length.
// The first byte picks X-Forwarded-For or Forwarded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "boost/asio/ip/address.hpp"
#include "http/client_address.h"

namespace {

namespace ip = boost::asio::ip;
using tollgate::gateway::Cidr;

// "10.1.2.3" or "2001:db8:1:2::/64".
bool IsClientKey(std::string_view key) {
  boost::system::error_code ec;
  if (key.ends_with("/64")) key.remove_suffix(3);
  ip::make_address(key, ec);
  return !ec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const std::vector<Cidr> kTrusted = {*tollgate::gateway::ParseCidr("10.0.0.0/8"),
                                             *tollgate::gateway::ParseCidr("::1")};
  const auto header = data[0] % 2 == 0 ? tollgate::gateway::ClientHeader::kXForwardedFor
                                       : tollgate::gateway::ClientHeader::kForwarded;
  const std::string_view chain(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string key =
      tollgate::gateway::ClientKey(ip::make_address("10.0.0.1"), chain, header, kTrusted);
  if (!IsClientKey(key)) std::abort();
  // A peer outside the trusted proxies is always itself, whatever it sends.
  if (tollgate::gateway::ClientKey(ip::make_address("192.0.2.7"), chain, header, kTrusted) !=
      "192.0.2.7") {
    std::abort();
  }
  return 0;
}
