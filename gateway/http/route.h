// Turns a download request-target (SPEC §2) into credential source, org, repo and a normalised
// artifact path. Pure and allocation-light: it is the first thing untrusted input meets.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tollgate::gateway {

// Longest request-target accepted; longer ones are refused before any decoding.
inline constexpr size_t kMaxTargetLength = 8 * 1024;

struct ArtifactPath {
  // Decoded segments joined by '/', without a leading slash; "" is the repository root.
  std::string path;
  // True when the URL path ended with '/' (or a dropped "." segment) or was empty.
  bool is_folder = false;
};

// Percent-decodes `raw` (the still-encoded rest of the URL path after /{…}/{org}/{repo}/)
// exactly once and drops empty and "." segments. Returns InvalidArgument, with a short message
// fit for a 400 detail, on a malformed escape, an encoded '/' or '\', a backslash, NUL or other
// control byte, a ".." segment (however encoded), or input longer than kMaxTargetLength.
absl::StatusOr<ArtifactPath> NormaliseArtifactPath(std::string_view raw);
// The same into `result`, reusing its storage (the download path keeps one per connection).
absl::Status NormaliseArtifactPath(std::string_view raw, ArtifactPath& result);

enum class CredentialSource { kPathToken, kBasic, kPublic };

struct DownloadRoute {
  CredentialSource source = CredentialSource::kPublic;
  // The decoded first path segment for kPathToken, else empty. Its syntax is not checked here,
  // so a malformed token fails authentication (401) like any unknown one.
  std::string token;
  std::string org;
  std::string repo;
  ArtifactPath artifact;
};

// Splits an origin-form `target` ("/{token|basic|public}/{org}/{repo}/{path}[?query]"; the
// query is ignored). Returns InvalidArgument, with a short message that never contains the
// token, for any target NormaliseArtifactPath would refuse, a target that does not start with
// '/' (absolute- and asterisk-form included), a missing or empty credential, org or repo
// segment, or an org or repo that is not a valid slug.
absl::StatusOr<DownloadRoute> RouteDownloadTarget(std::string_view target);
// The same into `route`, reusing its storage; on failure `route` holds partial values.
absl::Status RouteDownloadTarget(std::string_view target, DownloadRoute& route);

}  // namespace tollgate::gateway
