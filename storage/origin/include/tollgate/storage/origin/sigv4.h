// AWS Signature Version 4 for requests to S3-compatible origins: the canonical request, the
// string to sign and the Authorization header, computed without I/O from a request and a time.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "tollgate/storage/sha256.h"  // Sha256Hex, for payload hashes

namespace tollgate::storage {

struct SigV4Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region;
  std::string service = "s3";
};

struct SigV4Request {
  std::string method;  // "GET", "PUT", …
  // The request path as sent on the wire (already percent-encoded), e.g. "/bucket/a%20b.deb".
  std::string path;
  std::string query;  // raw query string without '?', may be empty
  // Headers to sign; must include "host". Names in any case; a name may repeat.
  std::vector<std::pair<std::string, std::string>> headers;
  // Lowercase hex SHA-256 of the body (Sha256Hex), or "UNSIGNED-PAYLOAD".
  std::string payload_hash;
};

struct SigV4Result {
  std::string authorization;      // value of the Authorization header
  std::string amz_date;           // value of X-Amz-Date (YYYYMMDDTHHMMSSZ) the signature used
  std::string canonical_request;  // for tests and debugging; contains no secret
  std::string string_to_sign;
};

// Signs `request` at time `now` (which must be finite). The caller sends X-Amz-Date: amz_date
// and, for service "s3", x-amz-content-sha256: payload_hash itself. Both are always signed with
// exactly those values, whether or not `request.headers` lists them; a listed x-amz-date (which
// must equal FormatAmzDate(now)) or, for "s3", x-amz-content-sha256 is not signed twice.
//
// Canonical URI: for "s3" each segment of the path is percent-decoded and encoded once, which
// leaves a correctly encoded path as it is and never double-encodes; dot segments and repeated
// slashes are kept, since they are part of an S3 key. For any other service the path is
// normalised (".", ".." and empty segments removed) and each segment encoded once more, as AWS
// specifies. Query: split on '&', each name and value decoded ("%XX" only: '+' stays a plus)
// and re-encoded, sorted by name then value. Header values are trimmed, runs of spaces and tabs
// collapsed, and values of a repeated name joined with ',' in the order given.
//
// Never fails: malformed percent escapes are signed as the literal characters.
SigV4Result SignV4(const SigV4Request& request, const SigV4Credentials& credentials,
                   absl::Time now);

// `now` in UTC as "20150830T123600Z".
std::string FormatAmzDate(absl::Time now);

}  // namespace tollgate::storage
