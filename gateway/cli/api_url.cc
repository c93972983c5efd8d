// Parsing --api with Boost.URL, and percent-encoding of request path segments.
#include "cli/api_url.h"

#include "boost/url/parse.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::cli {

namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

absl::StatusOr<ApiUrl> ParseApiUrl(std::string_view text) {
  const auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) {
    // Not echoed: a key pasted into the wrong option must not end up on the screen.
    return absl::InvalidArgumentError("--api: expected a URL like http://127.0.0.1:8081");
  }
  if (parsed->scheme() != "http" && parsed->scheme() != "https") {
    return absl::InvalidArgumentError(Concat("--api: only http:// and https:// URLs work, not ",
                                             std::string_view(parsed->scheme()), "://"));
  }
  if (parsed->has_userinfo() || parsed->has_query() || parsed->has_fragment()) {
    return absl::InvalidArgumentError(
        "--api: give only http(s)://HOST[:PORT][/PREFIX]; the key goes in --api-key");
  }
  ApiUrl url;
  url.tls = parsed->scheme() == "https";
  url.host = parsed->host_address();
  if (url.host.empty()) return absl::InvalidArgumentError("--api: the URL names no host");
  url.port = parsed->has_port() ? std::string(parsed->port()) : url.tls ? "443" : "80";
  url.host_header = parsed->encoded_authority();
  url.base_path = parsed->encoded_path();
  while (!url.base_path.empty() && url.base_path.back() == '/') url.base_path.pop_back();
  return url;
}

std::string EncodeSegment(std::string_view segment) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(segment.size());
  for (const char c : segment) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      AppendTo(out, '%', kHex[byte >> 4], kHex[byte & 0xF]);
    }
  }
  return out;
}

std::string EncodePath(std::string_view path) {
  std::string out;
  for (size_t start = 0;;) {
    const size_t slash = path.find('/', start);
    out += EncodeSegment(path.substr(start, slash - start));
    if (slash == std::string_view::npos) return out;
    out.push_back('/');
    start = slash + 1;
  }
}

}  // namespace tollgate::gateway::cli
