// Request-target routing and path normalisation for the download listener (SPEC §2).
#include "route.h"

#include <optional>
#include <utility>

#include "tollgate/policy/slug.h"

namespace tollgate::gateway {
namespace {

std::optional<int> HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// Decodes one segment. Checks run on decoded bytes so that every spelling of a forbidden byte
// is caught, and decoding happens once so "%252e" stays the harmless literal "%2e".
absl::StatusOr<std::string> DecodeSegment(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      const std::optional<int> high = i + 2 < raw.size() ? HexValue(raw[i + 1]) : std::nullopt;
      const std::optional<int> low = i + 2 < raw.size() ? HexValue(raw[i + 2]) : std::nullopt;
      if (!high || !low) return absl::InvalidArgumentError("malformed percent-escape in path");
      c = static_cast<char>(*high * 16 + *low);
      if (c == '/') return absl::InvalidArgumentError("encoded '/' in path");
      i += 2;
    }
    if (c == '\\') return absl::InvalidArgumentError("backslash in path");
    if (IsControl(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError("control character in path");
    }
    out.push_back(c);
  }
  if (out == "..") return absl::InvalidArgumentError("'..' segment in path");
  return out;
}

// Returns the text up to the next '/' and advances `rest` past that slash.
std::string_view NextSegment(std::string_view& rest) {
  const size_t slash = rest.find('/');
  const std::string_view segment = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  return segment;
}

}  // namespace

absl::StatusOr<ArtifactPath> NormaliseArtifactPath(std::string_view raw) {
  if (raw.size() > kMaxTargetLength) return absl::InvalidArgumentError("path is too long");
  ArtifactPath result;
  std::string_view rest = raw;
  for (;;) {
    const bool last = rest.find('/') == std::string_view::npos;
    absl::StatusOr<std::string> segment = DecodeSegment(NextSegment(rest));
    if (!segment.ok()) return segment.status();
    // A trailing "" or "." names the folder itself, as in RFC 3986 dot-segment removal.
    const bool names_folder = segment->empty() || *segment == ".";
    if (!names_folder) {
      if (!result.path.empty()) result.path.push_back('/');
      result.path.append(*segment);
    }
    if (last) {
      result.is_folder = names_folder;
      return result;
    }
  }
}

absl::StatusOr<DownloadRoute> RouteDownloadTarget(std::string_view target) {
  if (target.size() > kMaxTargetLength) {
    return absl::InvalidArgumentError("request target is too long");
  }
  if (target.empty() || target.front() != '/') {
    return absl::InvalidArgumentError("request target must be a path starting with '/'");
  }
  const std::string_view path = target.substr(0, target.find('?'));
  std::string_view rest = path.substr(1);
  // The credential, org and repo are positional, so unlike the artifact path an empty or "."
  // segment there is an error rather than something to drop.
  std::string decoded[3];
  for (std::string& segment : decoded) {
    absl::StatusOr<std::string> d = DecodeSegment(NextSegment(rest));
    if (!d.ok()) return d.status();
    if (d->empty() || *d == ".") {
      return absl::InvalidArgumentError("path must be /{credential}/{org}/{repo}/{file}");
    }
    segment = std::move(*d);
  }
  auto& [credential, org, repo] = decoded;
  if (!policy::IsValidSlug(org)) return absl::InvalidArgumentError("invalid organisation name");
  if (!policy::IsValidSlug(repo)) return absl::InvalidArgumentError("invalid repository name");
  absl::StatusOr<ArtifactPath> artifact = NormaliseArtifactPath(rest);
  if (!artifact.ok()) return artifact.status();

  DownloadRoute route;
  if (credential == "basic") {
    route.source = CredentialSource::kBasic;
  } else if (credential == "public") {
    route.source = CredentialSource::kPublic;
  } else {
    route.source = CredentialSource::kPathToken;
    route.token = std::move(credential);
  }
  route.org = std::move(org);
  route.repo = std::move(repo);
  route.artifact = std::move(*artifact);
  return route;
}

}  // namespace tollgate::gateway
