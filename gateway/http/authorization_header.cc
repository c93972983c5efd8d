// Authorization header syntax (RFC 9110 §11.6.2, RFC 7617, RFC 6750) with a strict base64
// decoder, so that odd encodings are refused rather than guessed at.
#include "http/authorization_header.h"

#include <cstdint>
#include <optional>

#include "absl/strings/ascii.h"
#include "tollgate/base/text.h"
#include "tollgate/policy/entitlement.h"

namespace tollgate::gateway {
namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// RFC 4648 §4 with padding required. Non-zero bits under the padding are refused too, so each
// byte string has exactly one accepted spelling.
std::optional<std::string> DecodeBase64(std::string_view in) {
  if (in.empty() || in.size() % 4 != 0) return std::nullopt;
  // Any other '=' falls in the data part below, where it is not a base64 character.
  const size_t padding = in.ends_with("==") ? 2 : (in.ends_with('=') ? 1 : 0);
  std::string out;
  out.reserve(in.size() / 4 * 3);
  uint32_t bits = 0;
  const size_t data_chars = in.size() - padding;
  for (size_t i = 0; i < data_chars; ++i) {
    const int v = Base64Value(in[i]);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if (i % 4 == 3) {
      out.push_back(static_cast<char>(bits >> 16));
      out.push_back(static_cast<char>(bits >> 8));
      out.push_back(static_cast<char>(bits));
      bits = 0;
    }
  }
  if (padding == 2) {
    if ((bits & 0xf) != 0) return std::nullopt;
    out.push_back(static_cast<char>(bits >> 4));
  } else if (padding == 1) {
    if ((bits & 0x3) != 0) return std::nullopt;
    out.push_back(static_cast<char>(bits >> 10));
    out.push_back(static_cast<char>(bits >> 2));
  }
  return out;
}

// token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool IsToken68(std::string_view s) {
  const size_t end = s.find_last_not_of('=');
  if (end == std::string_view::npos) return false;
  for (char c : s.substr(0, end + 1)) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_' &&
        c != '~' && c != '+' && c != '/') {
      return false;
    }
  }
  return true;
}

bool HasControl(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<PresentedCredential> ParseAuthorization(std::string_view header_value) {
  const std::string_view value = TrimWhitespace(header_value);
  const size_t space = value.find(' ');
  const std::string_view scheme = value.substr(0, space);
  const std::string_view param =
      space == std::string_view::npos ? std::string_view() : TrimWhitespace(value.substr(space));

  PresentedCredential credential;
  if (space == std::string_view::npos && policy::ValidateTokenString(value).ok()) {
    credential.kind = PresentedCredential::Kind::kToken;  // Cargo's bare token
    credential.secret = std::string(value);
    return credential;
  }
  if (EqualsIgnoreCase(scheme, "Token")) {
    if (!policy::ValidateTokenString(param).ok())
      return absl::InvalidArgumentError("malformed token");
    credential.kind = PresentedCredential::Kind::kToken;
    credential.secret = std::string(param);
    return credential;
  }
  if (EqualsIgnoreCase(scheme, "Bearer")) {
    if (!IsToken68(param)) return absl::InvalidArgumentError("malformed Bearer token");
    credential.kind = PresentedCredential::Kind::kBearer;
    credential.secret = std::string(param);
    return credential;
  }
  if (!EqualsIgnoreCase(scheme, "Basic")) {
    return absl::InvalidArgumentError("unsupported Authorization scheme");
  }
  std::optional<std::string> decoded = DecodeBase64(param);
  if (!decoded) return absl::InvalidArgumentError("Basic credentials are not valid base64");
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError("Basic credentials lack a ':' between user and password");
  }
  if (HasControl(*decoded)) {
    return absl::InvalidArgumentError("Basic credentials contain a control character");
  }
  if (colon + 1 == decoded->size()) {
    // pip sends https://TOKEN@host/… as the user name with an empty password.
    if (!policy::ValidateTokenString(std::string_view(*decoded).substr(0, colon)).ok()) {
      return absl::InvalidArgumentError("Basic password is empty and the user is no token");
    }
    credential.kind = PresentedCredential::Kind::kToken;
    credential.secret = decoded->substr(0, colon);
    return credential;
  }
  credential.kind = PresentedCredential::Kind::kBasic;
  credential.username = decoded->substr(0, colon);
  credential.secret = decoded->substr(colon + 1);
  return credential;
}

}  // namespace tollgate::gateway
