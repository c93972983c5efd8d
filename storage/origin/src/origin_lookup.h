// The DNS lookup of an origin's host, with a deadline, and the --origin-allow check of every
// address it returns: nothing connects to an address the rule refuses.
#pragma once

#include "absl/status/statusor.h"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "tollgate/storage/http_origin.h"
#include "tollgate/storage/origin_address.h"

namespace tollgate::storage {

using OriginEndpoints = boost::asio::ip::tcp::resolver::results_type;

// The addresses of `origin` (a literal address stands for itself; glibc also reads forms
// such as "2130706433" or "0x7f.1" as IPv4 addresses, which are then checked like any other).
// DeadlineExceeded when the lookup takes longer than the connect timeout; Unavailable when
// the name does not resolve; PermissionDenied when `rule` refuses any one of the addresses
// (a name with one refused address is refused as a whole, so that a DNS answer cannot slip
// one in among good ones). Completes on `executor`.
boost::asio::awaitable<absl::StatusOr<OriginEndpoints>> LookUpOrigin(
    const boost::asio::any_io_executor& executor, const HttpOriginConfig& origin,
    const OriginAddressRule& rule);

}  // namespace tollgate::storage
