// Who the client is for counted limits (SPEC §4.2): its IPv4 address or IPv6 /64 prefix,
// taken from X-Forwarded-For / Forwarded only when the peer is a trusted proxy.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/asio/ip/address.hpp"
#include "boost/beast/http/message.hpp"
#include "tollgate/storage/cidr.h"

namespace tollgate::gateway {

using storage::Cidr;
using storage::ParseCidr;

// Which forwarding header names the client behind trusted proxies (--client-header): one
// family only, never both, so a client cannot add the other one to choose its own address.
enum class ClientHeader { kXForwardedFor, kForwarded };

// "x-forwarded-for" or "forwarded", any case. InvalidArgument otherwise.
absl::StatusOr<ClientHeader> ParseClientHeader(std::string_view name);

// The header's field name: "X-Forwarded-For" or "Forwarded".
std::string_view ClientHeaderName(ClientHeader header);

// The client key of one address: IPv4 as it is (also when IPv4-mapped), IPv6 cut to its /64,
// written "2001:db8:1:2::/64".
std::string AddressKey(const boost::asio::ip::address& address);

// The client key of SPEC's counted limits: `peer` itself, unless `peer` is inside
// `trusted_proxies`. Then `chain` — every line of the `header` field, joined by ',' in order —
// is walked from the right: trusted proxies are skipped and the first other address is the
// client; when every address is trusted, the leftmost one is; when the walk meets an element
// that names no address (or an empty chain), the peer itself. IPv4-mapped IPv6 addresses count
// as IPv4; IPv6 addresses are cut to their /64, written "2001:db8:1:2::/64".
std::string ClientKey(const boost::asio::ip::address& peer, std::string_view chain,
                      ClientHeader header, const std::vector<Cidr>& trusted_proxies);

// ClientKey of `request` from `peer`: every line of its `header` field, taken together.
// `chain` is scratch storage, reused between requests to spare an allocation.
std::string RequestClientKey(const boost::beast::http::request_header<>& request,
                             const boost::asio::ip::address& peer, ClientHeader header,
                             const std::vector<Cidr>& trusted_proxies, std::string& chain);

}  // namespace tollgate::gateway
