// npm: identity from tarball paths, scoped packuments, package.json from inside tarballs, and
// SemVer's order.
#include "npm/npm_format.h"

#include <optional>
#include <string>

#include "common/scan.h"
#include "npm/npm_metadata.h"
#include "raw/raw_format.h"
#include "tollgate/base/text.h"

namespace tollgate::formats {
namespace {

// The name part of a scoped packument URL (`@scope/{name}`): lowercase as npm requires of new
// names, and without a dot, so `@scope/tool.tar.gz` and the like stay files with an identity.
bool IsPackumentName(std::string_view name) {
  if (name.empty() || !(IsLower(name[0]) || IsDigit(name[0]))) return false;
  for (char c : name) {
    if (!IsLower(c) && !IsDigit(c) && c != '-' && c != '_' && c != '~') return false;
  }
  return true;
}

// A scope segment of a scoped packument, "@scope".
bool IsNpmScope(std::string_view segment) {
  if (segment.size() < 2 || segment[0] != '@') return false;
  for (char c : segment.substr(1)) {
    if (!IsLower(c) && !IsDigit(c) && c != '-' && c != '_' && c != '.' && c != '~') return false;
  }
  return true;
}

// `@scope/{name}`, and nothing deeper. An unscoped packument (`{name}` at the root) cannot be
// told from any other dot-free file there ("internal-tool"), and an index file is exempt from
// every scope, so unscoped packuments are raw files named after the package, which a
// `name:` query still matches.
bool IsNpmPackument(std::string_view dir, std::string_view file) {
  return IsNpmScope(dir) && IsPackumentName(file);
}

// `…/{name}/-/{name}-{version}.tgz` or `…/@{scope}/{name}/-/{name}-{version}.tgz`. The version
// is everything after "{name}-", pre-release included, and starts with a digit as SemVer does.
std::optional<PackageIdentity> ParseNpm(std::string_view dir, std::string_view stem) {
  if (PopSegment(dir) != "-") return std::nullopt;
  const std::string_view name = PopSegment(dir);
  if (name.empty() || stem.size() < name.size() + 2 || !stem.starts_with(name) ||
      stem[name.size()] != '-' || !IsDigit(stem[name.size() + 1])) {
    return std::nullopt;
  }
  PackageIdentity identity =
      MakeIdentity(PackageFormat::kNpm, std::string(), std::string(stem.substr(name.size() + 1)));
  const std::string_view scope = PopSegment(dir);
  if (IsNpmScope(scope)) {
    identity.name.reserve(scope.size() + 1 + name.size());
    identity.name.append(scope).append("/");
  }
  identity.name.append(name);
  return identity;
}

struct SemVersion {
  std::string_view major;
  std::string_view minor;       // empty means 0
  std::string_view patch;       // empty means 0
  std::string_view prerelease;  // dot-separated identifiers; empty for a release
};

bool IsIdentifierChar(char c) { return IsAlnum(c) || c == '-'; }

// "0" or digits without a leading zero (SemVer §2, §9).
bool IsNumericIdentifier(std::string_view s) {
  return !s.empty() && IsAllDigits(s) && (s.size() == 1 || s.front() != '0');
}

// Non-empty dot-separated identifiers of [0-9A-Za-z-]; all-digit ones without leading zeros
// when `strict_numbers` (pre-release yes, build metadata no).
bool IsIdentifierList(std::string_view s, bool strict_numbers) {
  do {
    const std::string_view id = NextField(&s, IsDot);
    if (id.empty()) return false;
    for (const char c : id) {
      if (!IsIdentifierChar(c)) return false;
    }
    if (strict_numbers && IsAllDigits(id) && !IsNumericIdentifier(id)) return false;
  } while (!s.empty());
  return true;
}

// SemVer 2.0.0, plus a leading '=' and/or 'v', and minor and patch that may be left out (read
// as 0) so that query literals like "2.1" mean "2.1.0".
std::optional<SemVersion> ParseSemVer(std::string_view s) {
  s = TrimWhitespace(s, kAsciiWhitespace);
  if (!s.empty() && s.front() == '=') s.remove_prefix(1);
  if (!s.empty() && (s.front() == 'v' || s.front() == 'V')) s.remove_prefix(1);
  if (const size_t plus = s.find('+'); plus != std::string_view::npos) {
    // A trailing dot would leave an empty identifier that NextField cannot see.
    const std::string_view build = s.substr(plus + 1);
    if (build.empty() || build.back() == '.' || !IsIdentifierList(build, false)) {
      return std::nullopt;
    }
    s = s.substr(0, plus);
  }
  SemVersion v;
  if (const size_t dash = s.find('-'); dash != std::string_view::npos) {
    v.prerelease = s.substr(dash + 1);
    if (v.prerelease.empty() || v.prerelease.back() == '.' ||
        !IsIdentifierList(v.prerelease, true)) {
      return std::nullopt;
    }
    s = s.substr(0, dash);
  }
  if (s.empty() || s.back() == '.') return std::nullopt;
  std::string_view* const parts[] = {&v.major, &v.minor, &v.patch};
  for (std::string_view* part : parts) {
    *part = NextField(&s, IsDot);
    if (!IsNumericIdentifier(*part)) return std::nullopt;
    if (s.empty()) break;
  }
  if (!s.empty()) return std::nullopt;
  return v;
}

// SemVer §11.4: identifiers pairwise; numeric ones numerically and below alphanumeric ones,
// those in ASCII order; a longer list wins when one is a prefix of the other.
int ComparePrereleases(std::string_view a, std::string_view b) {
  while (!a.empty() && !b.empty()) {
    const std::string_view ia = NextField(&a, IsDot);
    const std::string_view ib = NextField(&b, IsDot);
    const bool na = IsAllDigits(ia);
    const bool nb = IsAllDigits(ib);
    if (na != nb) return na ? -1 : 1;
    if (const int c = na ? CompareDigitRuns(ia, ib) : Sign(ia.compare(ib)); c != 0) return c;
  }
  return static_cast<int>(!a.empty()) - static_cast<int>(!b.empty());
}

int CompareParsedSemVer(const SemVersion& a, const SemVersion& b) {
  if (const int c = CompareDigitRuns(a.major, b.major); c != 0) return c;
  if (const int c = CompareDigitRuns(a.minor, b.minor); c != 0) return c;
  if (const int c = CompareDigitRuns(a.patch, b.patch); c != 0) return c;
  // A pre-release sorts below its release (§11.3).
  if (a.prerelease.empty() != b.prerelease.empty()) return a.prerelease.empty() ? 1 : -1;
  return ComparePrereleases(a.prerelease, b.prerelease);
}

class Npm final : public Format {
 public:
  PackageFormat id() const override { return PackageFormat::kNpm; }
  std::string_view name() const override { return "npm"; }
  bool IsIndexFile(std::string_view dir, std::string_view file) const override {
    return IsNpmPackument(dir, file);
  }
  std::optional<PackageIdentity> IdentifyByExtension(std::string_view dir,
                                                     std::string_view file) const override {
    if (const auto stem = StemOf(file, ".tgz")) return ParseNpm(dir, *stem);
    return std::nullopt;
  }
  absl::StatusOr<std::string> ReadMetadata(std::string_view, const PackageIdentity&,
                                           const ByteSource& file) const override {
    return ReadNpmMetadata(file);
  }
  int CompareVersions(std::string_view a, std::string_view b) const override {
    return CompareSemVer(a, b);
  }
};

}  // namespace

int CompareSemVer(std::string_view a, std::string_view b) {
  return CompareWithFallback(a, b, ParseSemVer(a), ParseSemVer(b), CompareParsedSemVer);
}

SemVerKind ClassifySemVer(std::string_view version) {
  const std::optional<SemVersion> parsed = ParseSemVer(version);
  if (!parsed) return SemVerKind::kInvalid;
  return parsed->prerelease.empty() ? SemVerKind::kRelease : SemVerKind::kPrerelease;
}

const Format& NpmFormat() {
  static const Npm format;
  return format;
}

}  // namespace tollgate::formats
