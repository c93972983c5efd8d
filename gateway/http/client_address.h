// Who the client is for counted limits (SPEC §4.2): its IPv4 address or IPv6 /64 prefix,
// taken from X-Forwarded-For / Forwarded only when the peer is a trusted proxy.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/asio/ip/address.hpp"

namespace tollgate::gateway {

struct Cidr {
  boost::asio::ip::address network;
  int prefix_length = 0;

  bool Contains(const boost::asio::ip::address& address) const;
};

// "10.0.0.0/8", "::1/128" or a bare address (a single host). InvalidArgument otherwise.
absl::StatusOr<Cidr> ParseCidr(std::string_view text);

// The client key: `peer` itself, unless `peer` is inside `trusted_proxies`, in which case
// the forwarding headers are walked from the right and the first address that is not a
// trusted proxy is the client (the peer when the headers are absent or malformed).
// IPv4-mapped IPv6 addresses count as IPv4; IPv6 addresses are cut to their /64, written
// "2001:db8:1:2::/64".
std::string ClientKey(const boost::asio::ip::address& peer, std::string_view x_forwarded_for,
                      std::string_view forwarded, const std::vector<Cidr>& trusted_proxies);

}  // namespace tollgate::gateway
