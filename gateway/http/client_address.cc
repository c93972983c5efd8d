// Client identification behind trusted proxies.
#include "http/client_address.h"

#include <optional>

#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

namespace tollgate::gateway {
namespace ip = boost::asio::ip;

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<ip::address> ParseAddress(std::string_view text) {
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return storage::Unmapped(address);
}

// One element of X-Forwarded-For ("1.2.3.4", "2001:db8::1") or a Forwarded `for=` value
// ("1.2.3.4:5678", "\"[2001:db8::1]:80\"", "_hidden", "unknown").
std::optional<ip::address> ParseNode(std::string_view node) {
  node = Trim(node);
  if (node.size() >= 2 && node.front() == '"' && node.back() == '"') {
    node = node.substr(1, node.size() - 2);
  }
  if (!node.empty() && node.front() == '[') {
    const size_t close = node.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return ParseAddress(node.substr(1, close - 1));
  }
  if (std::optional<ip::address> whole = ParseAddress(node)) return whole;
  // IPv4 with a port.
  if (const size_t colon = node.find(':');
      colon != std::string_view::npos && node.find(':', colon + 1) == std::string_view::npos) {
    return ParseAddress(node.substr(0, colon));
  }
  return std::nullopt;
}

// Forwarded parameter names are case-insensitive (RFC 7239 §4).
bool IsForParameter(std::string_view pair) {
  return pair.size() > 4 && (pair[0] == 'f' || pair[0] == 'F') &&
         (pair[1] == 'o' || pair[1] == 'O') && (pair[2] == 'r' || pair[2] == 'R') && pair[3] == '=';
}

// The address one element of the chosen header names: an X-Forwarded-For element, or the for=
// parameter of a Forwarded element (parameters separated by ';'). nullopt when it names none.
std::optional<ip::address> ElementAddress(std::string_view element, ClientHeader header) {
  if (header == ClientHeader::kXForwardedFor) return ParseNode(element);
  for (size_t p = 0; p <= element.size();) {
    size_t q = element.find(';', p);
    if (q == std::string_view::npos) q = element.size();
    const std::string_view pair = Trim(element.substr(p, q - p));
    p = q + 1;
    if (IsForParameter(pair)) return ParseNode(pair.substr(4));
  }
  return std::nullopt;
}

bool IsTrusted(const ip::address& address, const std::vector<Cidr>& trusted) {
  for (const Cidr& cidr : trusted) {
    if (cidr.Contains(address)) return true;
  }
  return false;
}

}  // namespace

std::string AddressKey(const ip::address& candidate) {
  const ip::address address = storage::Unmapped(candidate);
  if (address.is_v4()) return address.to_string();
  ip::address_v6::bytes_type bytes = address.to_v6().to_bytes();
  for (size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return Concat(ip::address_v6(bytes).to_string(), "/64");
}

absl::StatusOr<ClientHeader> ParseClientHeader(std::string_view name) {
  if (EqualsIgnoreCase(name, "x-forwarded-for")) return ClientHeader::kXForwardedFor;
  if (EqualsIgnoreCase(name, "forwarded")) return ClientHeader::kForwarded;
  return absl::InvalidArgumentError(Concat("'", name, "' is not x-forwarded-for or forwarded"));
}

std::string_view ClientHeaderName(ClientHeader header) {
  return header == ClientHeader::kForwarded ? "Forwarded" : "X-Forwarded-For";
}

std::string ClientKey(const ip::address& peer, std::string_view chain, ClientHeader header,
                      const std::vector<Cidr>& trusted_proxies) {
  const ip::address direct = storage::Unmapped(peer);
  if (!IsTrusted(direct, trusted_proxies)) return AddressKey(direct);
  // Walked from the right, element by element: only the part a trusted proxy appended is
  // believed, so whatever the client wrote further left never decides.
  std::optional<ip::address> leftmost_trusted;
  std::string_view rest = chain;
  while (!Trim(rest).empty()) {
    const size_t comma = rest.rfind(',');
    const std::string_view element =
        comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    const std::optional<ip::address> address = ElementAddress(element, header);
    if (!address) return AddressKey(direct);  // the walk met a malformed element
    if (!IsTrusted(*address, trusted_proxies)) return AddressKey(*address);
    leftmost_trusted = address;
  }
  return AddressKey(leftmost_trusted.value_or(direct));
}

std::string RequestClientKey(const boost::beast::http::request_header<>& request,
                             const ip::address& peer, ClientHeader header,
                             const std::vector<Cidr>& trusted_proxies, std::string& chain) {
  chain.clear();
  const auto [first, last] = request.equal_range(ClientHeaderName(header));
  for (auto line = first; line != last; ++line) {
    if (!chain.empty()) chain += ',';
    chain += std::string_view(line->value());
  }
  return ClientKey(peer, chain, header, trusted_proxies);
}

}  // namespace tollgate::gateway
