// Parses the Authorization header of a download request (SPEC §2): Basic for pip, apt, curl
// and friends, Bearer for npm, Token and a bare token for Cargo. Syntax only; whether the
// secret is valid is decided elsewhere.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tollgate::gateway {

struct PresentedCredential {
  enum class Kind {
    kBasic,   // user and password: a token as the password, or an account's API key
    kBearer,  // an entitlement token or an API key
    kToken,   // an entitlement token and nothing else: `Token …`, a bare token, or a Basic
              // user name with an empty password (pip's https://TOKEN@host/…)
  };
  Kind kind = Kind::kBasic;
  std::string username;  // Basic only; may be empty (":token")
  std::string secret;    // the password, bearer token or token; never log it
};

// Reads `Basic base64(user:password)` (RFC 7617; strict, padded base64, split at the first
// ':'; an empty password makes the user name the token), `Bearer token68` (RFC 6750),
// `Token TOKEN`, or a bare TOKEN (no space; the entitlement token syntax
// [A-Za-z0-9][A-Za-z0-9._-]{7,127}); scheme names are case-insensitive. Returns
// InvalidArgument for any other scheme, bad base64, a missing ':', an empty token, or a
// control character in the credentials. Error messages never contain the secret.
absl::StatusOr<PresentedCredential> ParseAuthorization(std::string_view header_value);

}  // namespace tollgate::gateway
