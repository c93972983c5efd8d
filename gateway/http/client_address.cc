// Client identification behind trusted proxies.
#include "http/client_address.h"

#include <charconv>
#include <optional>

#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace ip = boost::asio::ip;

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

ip::address Unmapped(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

std::optional<ip::address> ParseAddress(std::string_view text) {
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return Unmapped(address);
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

// The client addresses a header lists, in order (nearest proxy last). Empty on any
// malformed element, so a garbled header cannot choose the client.
std::vector<ip::address> ForwardedChain(std::string_view x_forwarded_for,
                                        std::string_view forwarded) {
  std::vector<ip::address> chain;
  if (!forwarded.empty()) {
    for (size_t start = 0; start <= forwarded.size();) {
      size_t end = forwarded.find(',', start);
      if (end == std::string_view::npos) end = forwarded.size();
      std::string_view element = forwarded.substr(start, end - start);
      start = end + 1;
      // Parameters are separated by ';'; only for= names the client.
      bool found = false;
      for (size_t p = 0; p <= element.size();) {
        size_t q = element.find(';', p);
        if (q == std::string_view::npos) q = element.size();
        std::string_view pair = Trim(element.substr(p, q - p));
        p = q + 1;
        if (IsForParameter(pair)) {
          std::optional<ip::address> address = ParseNode(pair.substr(4));
          if (!address) return {};
          chain.push_back(*address);
          found = true;
        }
      }
      if (!found) return {};
    }
    return chain;
  }
  for (size_t start = 0; start <= x_forwarded_for.size() && !x_forwarded_for.empty();) {
    size_t end = x_forwarded_for.find(',', start);
    if (end == std::string_view::npos) end = x_forwarded_for.size();
    std::optional<ip::address> address = ParseNode(x_forwarded_for.substr(start, end - start));
    if (!address) return {};
    chain.push_back(*address);
    start = end + 1;
  }
  return chain;
}

bool IsTrusted(const ip::address& address, const std::vector<Cidr>& trusted) {
  for (const Cidr& cidr : trusted) {
    if (cidr.Contains(address)) return true;
  }
  return false;
}

std::string Key(const ip::address& address) {
  if (address.is_v4()) return address.to_string();
  ip::address_v6::bytes_type bytes = address.to_v6().to_bytes();
  for (size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return Concat(ip::address_v6(bytes).to_string(), "/64");
}

}  // namespace

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
  std::optional<ip::address> network = ParseAddress(text.substr(0, slash));
  if (!network) return absl::InvalidArgumentError(Concat("'", text, "' is not an address or CIDR"));
  const int max_length = network->is_v4() ? 32 : 128;
  int length = max_length;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (error != std::errc() || end != digits.data() + digits.size() || length < 0 ||
        length > max_length) {
      return absl::InvalidArgumentError(Concat("'", text, "' has an invalid prefix length"));
    }
  }
  return Cidr{*network, length};
}

std::string ClientKey(const ip::address& peer, std::string_view x_forwarded_for,
                      std::string_view forwarded, const std::vector<Cidr>& trusted_proxies) {
  ip::address client = Unmapped(peer);
  if (IsTrusted(client, trusted_proxies)) {
    const std::vector<ip::address> chain = ForwardedChain(x_forwarded_for, forwarded);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      client = *it;
      if (!IsTrusted(*it, trusted_proxies)) break;
    }
  }
  return Key(client);
}

}  // namespace tollgate::gateway
