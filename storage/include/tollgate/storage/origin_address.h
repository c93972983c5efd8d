// Which addresses tollgate may connect to as a repository's origin (--origin-allow). Loopback,
// link-local (cloud metadata endpoints such as 169.254.169.254), unspecified and multicast
// addresses are refused unless an operator allows them, so that whoever may set a
// repository's storage cannot make tollgate fetch from the host itself or its metadata service.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "boost/asio/ip/address.hpp"
#include "tollgate/storage/cidr.h"

namespace tollgate::storage {

enum class AddressKind {
  kOrdinary,     // anything else, private networks (10/8, fc00::/7 …) included
  kLoopback,     // 127.0.0.0/8, ::1
  kLinkLocal,    // 169.254.0.0/16, fe80::/10
  kUnspecified,  // 0.0.0.0/8 (Linux connects 0.0.0.0 to the host itself), ::
  kMulticast,    // 224.0.0.0/4, ff00::/8
  kMetadata,     // cloud metadata services outside link-local: 100.100.100.200 (Alibaba),
                 // 168.63.129.16 (Azure), fd00:ec2::254 (AWS over IPv6)
};

// The kind of `address`. An IPv4 address inside IPv6 — mapped (::ffff:a.b.c.d), compatible
// (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) — is of its IPv4 address's kind. Never fails.
AddressKind ClassifyAddress(const boost::asio::ip::address& address);

// "loopback", "link-local", "unspecified", "multicast", "cloud metadata" or "ordinary".
std::string_view AddressKindName(AddressKind kind);

// The --origin-allow rule: an immutable list of ranges, shared by every event loop.
class OriginAddressRule {
 public:
  explicit OriginAddressRule(std::vector<Cidr> allowed = {}) : allowed_(std::move(allowed)) {}

  // OK for an ordinary address and for one inside an allowed range. PermissionDenied
  // "ADDRESS is a loopback address …" naming the option otherwise.
  absl::Status Check(const boost::asio::ip::address& address) const;

 private:
  std::vector<Cidr> allowed_;
};

}  // namespace tollgate::storage
