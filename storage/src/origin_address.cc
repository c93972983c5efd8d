// Classification of origin addresses and the --origin-allow exceptions.
#include "tollgate/storage/origin_address.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace ip = boost::asio::ip;

namespace {

AddressKind ClassifyV4(const ip::address_v4& address) {
  const uint32_t value = address.to_uint();
  const uint32_t first = value >> 24;
  if (first == 127) return AddressKind::kLoopback;
  if (first == 0) return AddressKind::kUnspecified;
  if ((value >> 16) == 0xa9fe) return AddressKind::kLinkLocal;  // 169.254/16
  if ((first & 0xf0) == 0xe0) return AddressKind::kMulticast;   // 224/4
  if (address == ip::make_address_v4("100.100.100.200") ||
      address == ip::make_address_v4("168.63.129.16")) {
    return AddressKind::kMetadata;
  }
  return AddressKind::kOrdinary;
}

// The IPv4 address in the last four bytes of `bytes` when its first twelve are `prefix`.
bool EmbedsV4(const ip::address_v6::bytes_type& bytes, const std::array<uint8_t, 12>& prefix) {
  return std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

}  // namespace

AddressKind ClassifyAddress(const ip::address& address) {
  if (address.is_v4()) return ClassifyV4(address.to_v4());
  const ip::address_v6 v6 = address.to_v6();
  if (v6.is_loopback()) return AddressKind::kLoopback;
  if (v6.is_unspecified()) return AddressKind::kUnspecified;
  if (v6.is_link_local()) return AddressKind::kLinkLocal;
  if (v6.is_multicast()) return AddressKind::kMulticast;
  if (v6 == ip::make_address_v6("fd00:ec2::254")) return AddressKind::kMetadata;
  const ip::address_v6::bytes_type bytes = v6.to_bytes();
  // Mapped (::ffff:0:0/96), compatible (::/96) and NAT64 (64:ff9b::/96) forms reach, or may
  // be translated to, the IPv4 address they carry.
  static constexpr std::array<uint8_t, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr std::array<uint8_t, 12> kCompatible = {};
  static constexpr std::array<uint8_t, 12> kNat64 = {0, 0x64, 0xff, 0x9b};
  if (EmbedsV4(bytes, kMapped) || EmbedsV4(bytes, kCompatible) || EmbedsV4(bytes, kNat64)) {
    return ClassifyV4(ip::address_v4({bytes[12], bytes[13], bytes[14], bytes[15]}));
  }
  return AddressKind::kOrdinary;
}

std::string_view AddressKindName(AddressKind kind) {
  switch (kind) {
    case AddressKind::kOrdinary:
      return "ordinary";
    case AddressKind::kLoopback:
      return "loopback";
    case AddressKind::kLinkLocal:
      return "link-local";
    case AddressKind::kUnspecified:
      return "unspecified";
    case AddressKind::kMulticast:
      return "multicast";
    case AddressKind::kMetadata:
      return "cloud metadata";
  }
  return "ordinary";
}

absl::Status OriginAddressRule::Check(const ip::address& address) const {
  const AddressKind kind = ClassifyAddress(address);
  if (kind == AddressKind::kOrdinary) return absl::OkStatus();
  for (const Cidr& range : allowed_) {
    if (range.Contains(address)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      Concat(address.to_string(), " is a ", AddressKindName(kind),
             " address, which origins may only use when the server allows it with --origin-allow"));
}

}  // namespace tollgate::storage
