// What tollgate puts on the wire towards an origin: the authority, the encoded target and
// the request header with the origin's credentials.
#pragma once

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "tollgate/storage/http_origin.h"

namespace tollgate::storage {

// "host:port" ("[v6]:port"); the port is left out when it is 80, unless `always_port`.
std::string OriginAuthority(const HttpOriginConfig& origin, bool always_port);

// `path` percent-encoded as S3 canonical URIs require: every byte except A–Z a–z 0–9
// '-' '.' '_' '~' and '/' becomes %XX (uppercase hex). Never fails.
std::string EncodeArtifactPath(std::string_view path);

// The complete request header (request line, Host, credentials, `request.headers`,
// Content-Length for PUT, blank line) for `request` to `origin` at time `now`.
std::string OriginRequestHeader(const HttpOriginConfig& origin, const OriginRequest& request,
                                absl::Time now);

}  // namespace tollgate::storage
