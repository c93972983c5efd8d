// --source-addresses A-B: the client addresses a load run binds its connections to, handed out
// round-robin, so a gateway's per-client limits see many clients.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "boost/asio/ip/address.hpp"

namespace tollgate::gateway::load {

class AddressRange {
 public:
  static constexpr uint64_t kMaxSize = 65536;

  // Reads "A-B" (or a single address "A"): two IPv4 or two IPv6 addresses, A ≤ B, at most
  // kMaxSize addresses. InvalidArgument, with a message that names what is wrong, otherwise.
  static absl::StatusOr<AddressRange> Parse(std::string_view text);

  uint64_t size() const { return size_; }
  bool is_v4() const { return first_.is_v4(); }
  // The address `index` places after the first, wrapping around: At(size()) == At(0).
  boost::asio::ip::address At(uint64_t index) const;

 private:
  AddressRange(boost::asio::ip::address first, uint64_t size) : first_(first), size_(size) {}

  boost::asio::ip::address first_;
  uint64_t size_ = 1;
};

}  // namespace tollgate::gateway::load
