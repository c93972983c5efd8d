// Parses the Authorization header of a download request (SPEC §2): Basic for pip, apt, curl
// and friends, Bearer for npm. Syntax only; whether the secret is valid is decided elsewhere.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tollgate::gateway {

struct PresentedCredential {
  enum class Kind { kBasic, kBearer };
  Kind kind = Kind::kBasic;
  std::string username;  // empty for Bearer; may be empty for Basic (":token")
  std::string secret;    // the password or bearer token; never log it
};

// Reads `Basic base64(user:password)` (RFC 7617; strict, padded base64, split at the first
// ':') or `Bearer token68` (RFC 6750); scheme names are case-insensitive. Returns
// InvalidArgument for any other scheme, bad base64, a missing ':', an empty password or
// token, or a control character in the credentials. Error messages never contain the secret.
absl::StatusOr<PresentedCredential> ParseAuthorization(std::string_view header_value);

}  // namespace tollgate::gateway
