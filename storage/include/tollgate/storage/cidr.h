// Address ranges in CIDR notation: the proxies trusted to name a client (--trusted-proxy) and
// the origin addresses an operator allows despite their kind (--origin-allow).
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "boost/asio/ip/address.hpp"

namespace tollgate::storage {

struct Cidr {
  boost::asio::ip::address network;
  int prefix_length = 0;

  // True when `address` (IPv4-mapped IPv6 counts as its IPv4 address) is inside the range.
  bool Contains(const boost::asio::ip::address& address) const;

  bool operator==(const Cidr&) const = default;
};

// "10.0.0.0/8", "::1/128" or a bare address (a single host), in the strict notation only
// (no "127.1" or "0x7f.0.0.1"). InvalidArgument "'TEXT' is not …" otherwise.
absl::StatusOr<Cidr> ParseCidr(std::string_view text);

// `address` itself, or the IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) stands
// for: the kernel connects the two forms to the same host.
boost::asio::ip::address Unmapped(const boost::asio::ip::address& address);

}  // namespace tollgate::storage
