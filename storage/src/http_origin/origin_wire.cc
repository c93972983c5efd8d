// Request headers towards an origin. Client credentials never get here: the gateway passes
// only the headers it chose, and the origin's own credentials are added here.
#include "origin_wire.h"

#include "tollgate/policy/concat.h"

namespace tollgate::storage {

std::string OriginAuthority(const HttpOriginConfig& origin, bool always_port) {
  std::string authority =
      origin.host.find(':') != std::string::npos ? Concat("[", origin.host, "]") : origin.host;
  if (always_port || origin.port != 80) AppendTo(authority, ":", origin.port);
  return authority;
}

std::string EncodeArtifactPath(std::string_view path) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(path.size());
  for (const char c : path) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || c == '/';
    if (unreserved) {
      encoded.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    encoded.push_back('%');
    encoded.push_back(kHex[byte >> 4]);
    encoded.push_back(kHex[byte & 0xf]);
  }
  return encoded;
}

std::string OriginRequestHeader(const HttpOriginConfig& origin, const OriginRequest& request,
                                absl::Time /*now*/) {
  const std::string target = Concat(origin.base_path, EncodeArtifactPath(request.path));
  std::string header = Concat(request.method, " ", target, " HTTP/1.1\r\n");
  AppendTo(header, "Host: ", OriginAuthority(origin, false), "\r\n");
  AppendTo(header, "User-Agent: tollgate\r\n");
  if (!origin.authorization.empty()) {
    AppendTo(header, "Authorization: ", origin.authorization, "\r\n");
  }
  for (const auto& [name, value] : request.headers) AppendTo(header, name, ": ", value, "\r\n");
  if (request.method == "PUT") AppendTo(header, "Content-Length: ", request.body_length, "\r\n");
  header += "\r\n";
  return header;
}

}  // namespace tollgate::storage
