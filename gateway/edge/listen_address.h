// Where a listener binds: an IP address (not a host name) and a port.
#pragma once

#include <cstdint>
#include <string>

namespace tollgate::gateway {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;  // 0 lets the kernel choose; the chosen port is logged

  bool operator==(const ListenAddress&) const = default;
};

}  // namespace tollgate::gateway
