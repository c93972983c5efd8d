// Request-target routing and path normalisation for the download listener (SPEC §2).
#include "http/route.h"

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

// Decodes one segment onto the end of `out`. Checks run on decoded bytes so that every
// spelling of a forbidden byte is caught, and decoding happens once so "%252e" stays the
// harmless literal "%2e". On failure `out` holds a partial segment.
absl::Status AppendDecodedSegment(std::string_view raw, std::string& out) {
  const size_t start = out.size();
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
  if (std::string_view(out).substr(start) == "..") {
    return absl::InvalidArgumentError("'..' segment in path");
  }
  return absl::OkStatus();
}

// Returns the text up to the next '/' and advances `rest` past that slash.
std::string_view NextSegment(std::string_view& rest) {
  const size_t slash = rest.find('/');
  const std::string_view segment = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  return segment;
}

}  // namespace

absl::Status NormaliseArtifactPath(std::string_view raw, ArtifactPath& result) {
  if (raw.size() > kMaxTargetLength) return absl::InvalidArgumentError("path is too long");
  result.path.clear();
  result.is_folder = false;
  std::string_view rest = raw;
  for (;;) {
    const bool last = rest.find('/') == std::string_view::npos;
    const size_t before = result.path.size();
    if (!result.path.empty()) result.path.push_back('/');
    const size_t start = result.path.size();
    if (absl::Status s = AppendDecodedSegment(NextSegment(rest), result.path); !s.ok()) return s;
    // A trailing "" or "." names the folder itself, as in RFC 3986 dot-segment removal.
    const std::string_view segment = std::string_view(result.path).substr(start);
    const bool names_folder = segment.empty() || segment == ".";
    if (names_folder) result.path.resize(before);
    if (last) {
      result.is_folder = names_folder;
      return absl::OkStatus();
    }
  }
}

absl::StatusOr<ArtifactPath> NormaliseArtifactPath(std::string_view raw) {
  ArtifactPath result;
  if (absl::Status s = NormaliseArtifactPath(raw, result); !s.ok()) return s;
  return result;
}

namespace {

// npm asks for a scoped package's packument as "@scope%2fname" (SPEC §7): the one place an
// encoded '/' is a separator. Any other encoded '/' is left for NormaliseArtifactPath to refuse.
std::string_view NpmScopedName(std::string_view rest) {
  static thread_local std::string decoded;
  constexpr std::string_view kNpmView = "-/npm/@";
  if (!rest.starts_with(kNpmView)) return rest;
  const std::string_view name = rest.substr(kNpmView.size() - 1);
  if (name.find('/') != std::string_view::npos || name.size() < 4) return rest;
  const size_t slash = name.find("%2");
  if (slash == std::string_view::npos || slash + 2 >= name.size() ||
      (name[slash + 2] != 'f' && name[slash + 2] != 'F')) {
    return rest;
  }
  decoded.assign(rest.substr(0, kNpmView.size() - 1));
  decoded.append(name.substr(0, slash));
  decoded.push_back('/');
  decoded.append(name.substr(slash + 3));
  return decoded;
}

}  // namespace

absl::Status RouteDownloadTarget(std::string_view target, DownloadRoute& route) {
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
  for (std::string* segment : {&route.token, &route.org, &route.repo}) {
    segment->clear();
    if (absl::Status s = AppendDecodedSegment(NextSegment(rest), *segment); !s.ok()) return s;
    if (segment->empty() || *segment == ".") {
      return absl::InvalidArgumentError("path must be /{credential}/{org}/{repo}/{file}");
    }
  }
  if (!policy::IsValidSlug(route.org)) {
    return absl::InvalidArgumentError("invalid organisation name");
  }
  if (!policy::IsValidSlug(route.repo)) {
    return absl::InvalidArgumentError("invalid repository name");
  }
  if (absl::Status s = NormaliseArtifactPath(NpmScopedName(rest), route.artifact); !s.ok()) {
    return s;
  }
  if (route.token == "basic") {
    route.source = CredentialSource::kBasic;
    route.token.clear();
  } else if (route.token == "public") {
    route.source = CredentialSource::kPublic;
    route.token.clear();
  } else {
    route.source = CredentialSource::kPathToken;
  }
  return absl::OkStatus();
}

absl::StatusOr<DownloadRoute> RouteDownloadTarget(std::string_view target) {
  DownloadRoute route;
  if (absl::Status s = RouteDownloadTarget(target, route); !s.ok()) return s;
  return route;
}

}  // namespace tollgate::gateway
