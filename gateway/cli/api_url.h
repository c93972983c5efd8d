// The admin API's base URL as the client verbs take it (--api), and the percent-encoding of
// the path segments they put into request targets.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tollgate::gateway::cli {

struct ApiUrl {
  bool tls = false;         // https://
  std::string host;         // name or address, IPv6 without brackets
  std::string port;         // "80" (or "443" for https) when the URL names none
  std::string host_header;  // the Host header: the URL's authority
  std::string base_path;    // a path prefix before /api/v1, without a trailing '/'; often ""
};

// Reads `http://HOST[:PORT][/PREFIX]` or the same with https. InvalidArgument (naming what is
// wrong, never quoting the text) for another scheme, credentials, a query or a fragment in the URL,
// or text that is no URL.
absl::StatusOr<ApiUrl> ParseApiUrl(std::string_view text);

// `segment` with every byte outside RFC 3986's unreserved set as %XX, so that a name with
// '/', '?', '%' or spaces stays one path segment.
std::string EncodeSegment(std::string_view segment);

// `path` encoded segment by segment, its '/' separators kept (artifact paths).
std::string EncodePath(std::string_view path);

}  // namespace tollgate::gateway::cli
