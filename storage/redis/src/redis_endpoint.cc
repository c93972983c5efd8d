// Parsing `redis://[[user]:password@]host[:port][/db]` into a RedisEndpoint. Errors name the
// part that is wrong but never quote the URL: a mistyped one may carry the password anywhere.
#include "tollgate/storage/redis/redis_endpoint.h"

#include <charconv>
#include <cstddef>
#include <limits>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

constexpr absl::string_view kScheme = "redis://";
constexpr int kDefaultPort = 6379;

absl::Status Invalid(std::string_view what) {
  return absl::InvalidArgumentError(Concat("redis URL: ", what));
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A scheme as RFC 3986 spells it; only such text is safe to quote back in an error.
bool IsSchemeName(std::string_view text) {
  if (text.empty() || text.size() > 16 || !IsAlpha(text.front())) return false;
  for (char c : text) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// Decodes %XX escapes (passwords with reserved characters arrive encoded); nullopt when an
// escape is malformed.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

// Plain decimal digits (no sign, no spaces) within [min, max].
std::optional<int> ParseNumber(std::string_view text, int min, int max) {
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (!IsDigit(c)) return std::nullopt;
  }
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

bool IsHostNameChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_'; }

bool IsIpv6Char(char c) { return HexValue(c) >= 0 || c == ':' || c == '.'; }

}  // namespace

std::string RedisEndpoint::Describe() const {
  if (!sentinels.empty()) return Concat("sentinel master ", master_name, '/', db);
  // Brackets keep an IPv6 address apart from the port, as in the URL.
  if (host.find(':') != std::string::npos) return Concat('[', host, "]:", port, '/', db);
  return Concat(host, ':', port, '/', db);
}

absl::StatusOr<RedisEndpoint> ParseRedisUrl(std::string_view url) {
  if (!absl::StartsWithIgnoreCase(absl::string_view(url.data(), url.size()), kScheme)) {
    const size_t separator = url.find("://");
    if (separator != std::string_view::npos && IsSchemeName(url.substr(0, separator))) {
      return Invalid(Concat("scheme \"", url.substr(0, separator),
                            "\" is not supported (only redis://, without TLS)"));
    }
    return Invalid("scheme: expected redis://[:password@]host[:port][/db]");
  }
  std::string_view rest = url.substr(kScheme.size());
  RedisEndpoint endpoint;
  endpoint.port = kDefaultPort;

  // The last '@' ends the user information: neither host, port nor db can contain one, so a
  // password with an unencoded '@' or '/' still parses.
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view user_info = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    const size_t colon = user_info.find(':');
    if (colon == std::string_view::npos) {
      // Clients disagree on whether "redis://word@host" names a user or a password; guessing
      // wrong would silently drop a password, so it is refused.
      return Invalid("password: put a ':' before the password, as in redis://:password@host");
    }
    // The user part is ignored: AUTH is sent with the password alone, which Redis 6+ checks
    // against the "default" user (the form cloud providers hand out as
    // redis://default:password@host, and the form Redis before 6 understands).
    std::optional<std::string> password = PercentDecode(user_info.substr(colon + 1));
    if (!password) return Invalid("password: malformed %-escape");
    endpoint.password = std::move(*password);
  }

  const size_t slash = rest.find('/');
  const std::string_view host_port = rest.substr(0, slash);
  const std::string_view db =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);

  std::string_view port;
  bool has_port = false;
  if (host_port.starts_with('[')) {
    const size_t close = host_port.find(']');
    if (close == std::string_view::npos) return Invalid("host: missing ']' after IPv6 address");
    const std::string_view address = host_port.substr(1, close - 1);
    if (address.find(':') == std::string_view::npos) {
      return Invalid("host: brackets hold an IPv6 address only");
    }
    for (char c : address) {
      if (!IsIpv6Char(c)) return Invalid("host: invalid character in IPv6 address");
    }
    endpoint.host = std::string(address);
    const std::string_view after = host_port.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Invalid("host: unexpected text after ']'");
      port = after.substr(1);
      has_port = true;
    }
  } else {
    const size_t colon = host_port.find(':');
    const std::string_view name = host_port.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = host_port.substr(colon + 1);
      has_port = true;
      if (port.find(':') != std::string_view::npos) {
        return Invalid("host: write an IPv6 address in brackets, as in redis://[::1]:6379");
      }
    }
    if (name.empty()) return Invalid("host: missing");
    for (char c : name) {
      if (!IsHostNameChar(c)) return Invalid("host: invalid character in host name");
    }
    endpoint.host = std::string(name);
  }

  if (has_port) {
    const std::optional<int> number = ParseNumber(port, 1, 65535);
    if (!number) return Invalid("port: expected a number from 1 to 65535");
    endpoint.port = *number;
  }
  if (!db.empty()) {
    const std::optional<int> number = ParseNumber(db, 0, std::numeric_limits<int>::max());
    if (!number) return Invalid("db: expected a database number (and no query or fragment)");
    endpoint.db = *number;
  }
  return endpoint;
}

}  // namespace tollgate::storage
