// CIDR ranges: parsing and membership, with IPv4-mapped IPv6 addresses read as IPv4.
#include "tollgate/storage/cidr.h"

#include <charconv>
#include <string>

#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace ip = boost::asio::ip;

ip::address Unmapped(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

bool Cidr::Contains(const ip::address& candidate) const {
  const ip::address address = Unmapped(candidate);
  if (address.is_v4() != network.is_v4()) return false;
  const auto compare = [&](const auto& a, const auto& b) {
    int bits = prefix_length;
    for (size_t i = 0; i < a.size() && bits > 0; ++i, bits -= 8) {
      const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
      if ((a[i] & mask) != (b[i] & mask)) return false;
    }
    return true;
  };
  return address.is_v4() ? compare(address.to_v4().to_bytes(), network.to_v4().to_bytes())
                         : compare(address.to_v6().to_bytes(), network.to_v6().to_bytes());
}

absl::StatusOr<Cidr> ParseCidr(std::string_view text) {
  const size_t slash = text.find('/');
  boost::system::error_code ec;
  // make_address is inet_pton: only the strict dotted-quad and RFC 4291 forms.
  const ip::address parsed = ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) return absl::InvalidArgumentError(Concat("'", text, "' is not an address or CIDR"));
  const ip::address network = Unmapped(parsed);
  const int max_length = network.is_v4() ? 32 : 128;
  int length = max_length;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (error != std::errc() || end != digits.data() + digits.size() || length < 0 ||
        length > max_length) {
      return absl::InvalidArgumentError(Concat("'", text, "' has an invalid prefix length"));
    }
  }
  return Cidr{network, length};
}

}  // namespace tollgate::storage
