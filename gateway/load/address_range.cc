// Addresses as numbers: IPv4 as 32 bits, IPv6 as two 64-bit halves with carries.
#include "load/address_range.h"

#include <string>

namespace tollgate::gateway::load {
namespace ip = boost::asio::ip;

namespace {

struct U128 {
  uint64_t high = 0;
  uint64_t low = 0;
};

U128 FromV6(const ip::address_v6& address) {
  const ip::address_v6::bytes_type bytes = address.to_bytes();
  U128 out;
  for (int i = 0; i < 8; ++i) out.high = (out.high << 8) | bytes[static_cast<size_t>(i)];
  for (int i = 8; i < 16; ++i) out.low = (out.low << 8) | bytes[static_cast<size_t>(i)];
  return out;
}

ip::address_v6 ToV6(U128 value) {
  ip::address_v6::bytes_type bytes{};
  for (int i = 7; i >= 0; --i) {
    bytes[static_cast<size_t>(i)] = static_cast<unsigned char>(value.high & 0xff);
    value.high >>= 8;
  }
  for (int i = 15; i >= 8; --i) {
    bytes[static_cast<size_t>(i)] = static_cast<unsigned char>(value.low & 0xff);
    value.low >>= 8;
  }
  return ip::address_v6(bytes);
}

absl::StatusOr<ip::address> ParseOne(std::string_view text) {
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(text), ec);
  if (ec) return absl::InvalidArgumentError("--source-addresses: not an IP address range A-B");
  return address;
}

}  // namespace

absl::StatusOr<AddressRange> AddressRange::Parse(std::string_view text) {
  // An IPv6 address holds no '-', so the first '-' splits the range.
  const size_t dash = text.find('-');
  absl::StatusOr<ip::address> first = ParseOne(text.substr(0, dash));
  if (!first.ok()) return first.status();
  absl::StatusOr<ip::address> last =
      dash == std::string_view::npos ? first : ParseOne(text.substr(dash + 1));
  if (!last.ok()) return last.status();
  if (first->is_v4() != last->is_v4()) {
    return absl::InvalidArgumentError("--source-addresses: both ends must be IPv4 or both IPv6");
  }
  uint64_t span = 0;  // last - first
  if (first->is_v4()) {
    const uint32_t a = first->to_v4().to_uint();
    const uint32_t b = last->to_v4().to_uint();
    if (a > b)
      return absl::InvalidArgumentError("--source-addresses: the first address is above the last");
    span = b - a;
  } else {
    const U128 a = FromV6(first->to_v6());
    const U128 b = FromV6(last->to_v6());
    if (a.high > b.high || (a.high == b.high && a.low > b.low)) {
      return absl::InvalidArgumentError("--source-addresses: the first address is above the last");
    }
    const uint64_t borrow = b.low < a.low ? 1 : 0;
    if (b.high - a.high - borrow != 0) {
      return absl::InvalidArgumentError("--source-addresses: more than 65536 addresses");
    }
    span = b.low - a.low;
  }
  if (span >= kMaxSize) {
    return absl::InvalidArgumentError("--source-addresses: more than 65536 addresses");
  }
  return AddressRange(*first, span + 1);
}

ip::address AddressRange::At(uint64_t index) const {
  const uint64_t offset = index % size_;
  if (first_.is_v4())
    return ip::address_v4(first_.to_v4().to_uint() + static_cast<uint32_t>(offset));
  U128 value = FromV6(first_.to_v6());
  const uint64_t low = value.low + offset;
  if (low < value.low) ++value.high;
  value.low = low;
  return ToV6(value);
}

}  // namespace tollgate::gateway::load
