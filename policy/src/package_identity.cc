// Package identity from a repository path (SPEC §5): which paths are index or metadata files,
// and the format, name and version of the package files.
#include "tollgate/policy/package_identity.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "tollgate/base/text.h"

namespace tollgate::policy {
namespace {

constexpr std::array<std::pair<PackageFormat, std::string_view>, 8> kFormatNames{{
    {PackageFormat::kDeb, "deb"},
    {PackageFormat::kRpm, "rpm"},
    {PackageFormat::kPython, "python"},
    {PackageFormat::kNpm, "npm"},
    {PackageFormat::kMaven, "maven"},
    {PackageFormat::kNuget, "nuget"},
    {PackageFormat::kRuby, "ruby"},
    {PackageFormat::kRaw, "raw"},
}};

// Index and metadata files recognised by their whole name, wherever they are. Packages and
// Sources are here rather than under dists/ because flat apt repositories keep them at the root.
constexpr std::array<std::string_view, 26> kIndexFileNames{
    // apt.
    "Release",
    "InRelease",
    "Release.gpg",
    "Packages",
    "Packages.gz",
    "Packages.xz",
    "Packages.bz2",
    "Packages.lzma",
    "Packages.zst",
    "Sources",
    "Sources.gz",
    "Sources.xz",
    "Sources.bz2",
    "Sources.lzma",
    "Sources.zst",
    // PEP 503 simple pages; the NuGet v3 service index, registrations and version lists.
    "index.html",
    "index.json",
    "maven-metadata.xml",
    // RubyGems: the spec indexes, and the legacy full index of old clients.
    "specs.4.8",
    "specs.4.8.gz",
    "latest_specs.4.8",
    "latest_specs.4.8.gz",
    "prerelease_specs.4.8",
    "prerelease_specs.4.8.gz",
    "Marshal.4.8",
    "Marshal.4.8.Z",
};

// Checksums and signatures (of packages too: they carry no identity of their own), PEP 658
// metadata beside python distributions, NuGet manifests in the flat container, and the
// per-gem specs of RubyGems' quick/Marshal.4.8/ index.
constexpr std::array<std::string_view, 11> kIndexFileSuffixes{
    ".sha1",         ".sha256",          ".sha512",       ".md5",    ".asc",        ".sig",
    ".whl.metadata", ".tar.gz.metadata", ".zip.metadata", ".nuspec", ".gemspec.rz",
};

// File-name prefixes of apt metadata below a dists/ folder: package and source lists, their
// pdiffs, Contents, translations, AppStream (Components, icons) and command-not-found data.
constexpr std::array<std::string_view, 7> kAptIndexPrefixes{
    "Packages", "Sources", "Contents-", "Translation-", "Components-", "icons-", "Commands-",
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAlnum(char c) { return IsDigit(c) || IsLower(c) || (c >= 'A' && c <= 'Z'); }

// The fields every format has; the formats that have an architecture or a group add it.
PackageIdentity MakeIdentity(PackageFormat format, std::string name, std::string version) {
  PackageIdentity identity;
  identity.format = format;
  identity.name = std::move(name);
  identity.version = std::move(version);
  return identity;
}

// Removes and returns the last '/'-separated segment of `path`; `path` keeps the folder part
// (empty when there is none).
std::string_view PopSegment(std::string_view& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return std::exchange(path, std::string_view());
  const std::string_view segment = path.substr(slash + 1);
  path = path.substr(0, slash);
  return segment;
}

// Calls `visit` with each '/'-separated segment of `path`, first to last, until it returns true.
template <typename Visit>
bool AnySegment(std::string_view path, Visit visit) {
  while (!path.empty()) {
    const size_t slash = path.find('/');
    if (visit(path.substr(0, slash))) return true;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return false;
}

// apt metadata below a dists/ folder; anything in a by-hash folder (Acquire-By-Hash names the
// file by its digest) or a pdiff folder such as Packages.diff/ belongs to it too.
bool IsAptDistsIndex(std::string_view dir, std::string_view file) {
  bool under_dists = false;
  bool in_hash_or_diff_folder = false;
  AnySegment(dir, [&](std::string_view segment) {
    if (segment == "dists") {
      under_dists = true;
    } else if (under_dists && (segment == "by-hash" || segment.ends_with(".diff"))) {
      in_hash_or_diff_folder = true;
    }
    return false;
  });
  if (!under_dists) return false;
  if (in_hash_or_diff_folder || file == "Index") return true;
  for (std::string_view prefix : kAptIndexPrefixes) {
    if (file.starts_with(prefix)) return true;
  }
  return false;
}

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

// yum/dnf metadata below a repodata/ folder: repomd.xml (and its signature and key) and the
// XML, SQLite and YAML files it lists. Anything else there — a stray .rpm, a tarball — keeps
// its identity, so a scope still applies to it.
bool IsRepodataFile(std::string_view dir, std::string_view file) {
  const bool in_repodata =
      AnySegment(dir, [](std::string_view segment) { return segment == "repodata"; });
  return in_repodata && (file.starts_with("repomd.xml") || file.ends_with(".xml") ||
                         file.find(".xml.") != std::string_view::npos ||
                         file.find(".sqlite") != std::string_view::npos ||
                         file.find(".yaml") != std::string_view::npos);
}

// Replaces the percent-encoded epoch colon ("1%3a2.0") that pools use in file names.
std::string DecodeEpoch(std::string_view version) {
  std::string decoded;
  decoded.reserve(version.size());
  for (size_t i = 0; i < version.size(); ++i) {
    if (version[i] == '%' && i + 2 < version.size() && version[i + 1] == '3' &&
        (version[i + 2] == 'a' || version[i + 2] == 'A')) {
      decoded.push_back(':');
      i += 2;
    } else {
      decoded.push_back(version[i]);
    }
  }
  return decoded;
}

// `{name}_{version}_{arch}`: none of the three may contain '_' in Debian.
std::optional<PackageIdentity> ParseDeb(std::string_view stem) {
  const size_t first = stem.find('_');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = stem.find('_', first + 1);
  if (second == std::string_view::npos || stem.find('_', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view name = stem.substr(0, first);
  const std::string_view version = stem.substr(first + 1, second - first - 1);
  const std::string_view arch = stem.substr(second + 1);
  if (name.empty() || version.empty() || arch.empty()) return std::nullopt;
  PackageIdentity identity =
      MakeIdentity(PackageFormat::kDeb, std::string(name), DecodeEpoch(version));
  identity.architecture = arch;
  return identity;
}

// `{name}-{version}-{release}.{arch}`: names may contain dashes, so version and release are
// the last two dash-separated fields.
std::optional<PackageIdentity> ParseRpm(std::string_view stem) {
  const size_t dot = stem.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view arch = stem.substr(dot + 1);
  const std::string_view nvr = stem.substr(0, dot);
  if (arch.empty()) return std::nullopt;
  for (char c : arch) {
    if (!IsAlnum(c) && c != '_') return std::nullopt;
  }
  const size_t release_dash = nvr.rfind('-');
  if (release_dash == std::string_view::npos || release_dash == 0) return std::nullopt;
  const size_t version_dash = nvr.rfind('-', release_dash - 1);
  if (version_dash == std::string_view::npos || version_dash == 0 ||
      version_dash + 1 == release_dash || release_dash + 1 == nvr.size()) {
    return std::nullopt;
  }
  PackageIdentity identity =
      MakeIdentity(PackageFormat::kRpm, std::string(nvr.substr(0, version_dash)),
                   std::string(nvr.substr(version_dash + 1)));
  identity.architecture = arch;
  return identity;
}

// A distribution name as PEP 508 allows it: ASCII letters, digits and "-_.", starting and
// ending with a letter or digit.
bool IsPythonName(std::string_view name) {
  if (name.empty() || !IsAlnum(name.front()) || !IsAlnum(name.back())) return false;
  for (char c : name) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// PEP 503: lowercase, and each run of "-", "_" and "." becomes one "-".
std::string NormalizePythonName(std::string_view name) {
  std::string normalized;
  normalized.reserve(name.size());
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (normalized.empty() || normalized.back() != '-') normalized.push_back('-');
    } else {
      normalized.push_back(ToLowerAscii(c));
    }
  }
  return normalized;
}

PackageIdentity PythonIdentity(std::string_view name, std::string_view version) {
  return MakeIdentity(PackageFormat::kPython, NormalizePythonName(name), std::string(version));
}

// `{name}-{version}(-{build})?-{py}-{abi}-{plat}`: PEP 427 escapes dashes in every field as
// "_", so a wheel has exactly five or six fields; a build tag starts with a digit.
std::optional<PackageIdentity> ParseWheel(std::string_view stem) {
  std::array<std::string_view, 6> fields;
  size_t count = 0;
  for (std::string_view rest = stem;;) {
    if (count == fields.size()) return std::nullopt;
    const size_t dash = rest.find('-');
    fields[count++] = rest.substr(0, dash);
    if (dash == std::string_view::npos) break;
    rest.remove_prefix(dash + 1);
  }
  if (count < 5) return std::nullopt;
  for (size_t i = 0; i < count; ++i) {
    if (fields[i].empty()) return std::nullopt;
  }
  if (count == 6 && !IsDigit(fields[2][0])) return std::nullopt;
  if (!IsPythonName(fields[0]) || !IsDigit(fields[1][0])) return std::nullopt;
  return PythonIdentity(fields[0], fields[1]);
}

// `{name}-{version}`: legacy sdists keep dashes in names ("python-dateutil-2.8.2"), so the
// version starts at the last dash followed by a digit. Without one it is not an sdist.
std::optional<PackageIdentity> ParseSdist(std::string_view stem) {
  size_t dash = stem.rfind('-');
  while (dash != std::string_view::npos && !(dash + 1 < stem.size() && IsDigit(stem[dash + 1]))) {
    dash = dash == 0 ? std::string_view::npos : stem.rfind('-', dash - 1);
  }
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view name = stem.substr(0, dash);
  if (!IsPythonName(name)) return std::nullopt;
  return PythonIdentity(name, stem.substr(dash + 1));
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

// NuGet's version syntax: 1 to 4 numeric parts, then an optional "-prerelease" and "+metadata"
// made of letters, digits, dots and dashes.
bool IsNugetVersion(std::string_view version) {
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    const size_t start = i;
    while (i < version.size() && IsDigit(version[i])) ++i;
    if (i == start) return false;
    if (i == version.size() || version[i] != '.' || part == 3) break;
    ++i;
  }
  for (char label_start : {'-', '+'}) {
    if (i == version.size() || version[i] != label_start) continue;
    const size_t start = ++i;
    while (i < version.size() && (IsAlnum(version[i]) || version[i] == '.' || version[i] == '-')) {
      ++i;
    }
    if (i == start) return false;
  }
  return i == version.size();
}

// A NuGet id: letters, digits and "_" in parts joined by "." or "-".
bool IsNugetId(std::string_view id) {
  const auto word = [](char c) { return IsAlnum(c) || c == '_'; };
  if (id.empty() || !word(id.front()) || !word(id.back())) return false;
  for (char c : id) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

// `{id}.{version}`: ids contain dots too ("Newtonsoft.Json.13.0.1"), so the version starts at
// the first dot followed by a digit after which the rest is a whole version.
std::optional<PackageIdentity> ParseNuget(std::string_view stem) {
  for (size_t dot = stem.find('.'); dot != std::string_view::npos; dot = stem.find('.', dot + 1)) {
    const std::string_view version = stem.substr(dot + 1);
    if (IsNugetVersion(version) && IsNugetId(stem.substr(0, dot))) {
      return MakeIdentity(PackageFormat::kNuget, std::string(stem.substr(0, dot)),
                          std::string(version));
    }
  }
  return std::nullopt;
}

// A RubyGems version as it appears in a file name: numeric first part, then dot-separated
// alphanumeric parts ("7.1.0.beta1"); a dash would start the platform.
bool IsGemVersion(std::string_view field) {
  size_t i = 0;
  while (i < field.size() && IsDigit(field[i])) ++i;
  if (i == 0) return false;
  while (i < field.size()) {
    if (field[i] != '.') return false;
    const size_t start = ++i;
    while (i < field.size() && IsAlnum(field[i])) ++i;
    if (i == start) return false;
  }
  return true;
}

// `{name}-{version}[-{platform}]`: the version is the first dash-separated field after the
// name that is a gem version, so dashed names ("aws-sdk-core") and platforms
// ("x86_64-linux") both work.
std::optional<PackageIdentity> ParseGem(std::string_view stem) {
  for (size_t dash = stem.find('-'); dash != std::string_view::npos;
       dash = stem.find('-', dash + 1)) {
    if (dash == 0) continue;
    // substr clamps the count when this is the last field.
    const std::string_view field = stem.substr(dash + 1, stem.find('-', dash + 1) - dash - 1);
    if (IsGemVersion(field)) {
      return MakeIdentity(PackageFormat::kRuby, std::string(stem.substr(0, dash)),
                          std::string(field));
    }
  }
  return std::nullopt;
}

// `{artifact}-{timestamp}-{build}` of a deployed snapshot: "20230915.101502-3". Returns the
// length of that prefix of `text`, or 0.
size_t SnapshotStampLength(std::string_view text) {
  size_t i = 0;
  const auto digits = [&](size_t count) {
    const size_t start = i;
    while (i < text.size() && IsDigit(text[i]) && (count == 0 || i - start < count)) ++i;
    return count == 0 ? i > start : i - start == count;
  };
  const auto literal = [&](char c) { return i < text.size() && text[i++] == c; };
  return digits(8) && literal('.') && digits(6) && literal('-') && digits(0) ? i : 0;
}

// `{group/path}/{artifact}/{version}/{artifact}-{version}[-{classifier}].{ext}`, with at least
// one group segment. A version folder without a digit ("latest", "linux") is not a version:
// without that check raw trees like `tool/linux/tool-linux-x64.tar.gz` would look like Maven.
std::optional<PackageIdentity> ParseMaven(std::string_view dir, std::string_view file) {
  const std::string_view version = PopSegment(dir);
  const std::string_view artifact = PopSegment(dir);
  if (dir.empty() || artifact.empty() ||
      version.find_first_of("0123456789") == std::string_view::npos) {
    return std::nullopt;
  }
  if (!file.starts_with(artifact) || file.size() == artifact.size() ||
      file[artifact.size()] != '-') {
    return std::nullopt;
  }
  std::string_view rest = file.substr(artifact.size() + 1);
  constexpr std::string_view kSnapshot = "SNAPSHOT";
  if (rest.starts_with(version)) {
    rest.remove_prefix(version.size());
  } else if (version.ends_with(kSnapshot)) {
    // A unique snapshot replaces "SNAPSHOT" with the deploy time and build number.
    const std::string_view base = version.substr(0, version.size() - kSnapshot.size());
    if (!rest.starts_with(base)) return std::nullopt;
    rest.remove_prefix(base.size());
    const size_t stamp = SnapshotStampLength(rest);
    if (stamp == 0) return std::nullopt;
    rest.remove_prefix(stamp);
  } else {
    return std::nullopt;
  }
  // What remains is ".{ext}" or "-{classifier}.{ext}".
  if (rest.size() < 2 || (rest[0] != '.' && rest[0] != '-')) return std::nullopt;
  if (rest[0] == '-') {
    const size_t dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 1 || dot + 1 == rest.size()) return std::nullopt;
  }
  PackageIdentity identity =
      MakeIdentity(PackageFormat::kMaven, std::string(artifact), std::string(version));
  identity.group = dir;
  for (char& c : identity.group) {
    if (c == '/') c = '.';
  }
  return identity;
}

// The format the file's extension promises, when the name has that format's shape.
std::optional<PackageIdentity> IdentifyByExtension(std::string_view dir, std::string_view file) {
  const auto stem_of = [file](std::string_view extension) -> std::optional<std::string_view> {
    if (!file.ends_with(extension)) return std::nullopt;
    return file.substr(0, file.size() - extension.size());
  };
  for (std::string_view extension : {".deb", ".udeb", ".ddeb"}) {
    if (const auto stem = stem_of(extension)) return ParseDeb(*stem);
  }
  if (const auto stem = stem_of(".rpm")) return ParseRpm(*stem);
  if (const auto stem = stem_of(".whl")) return ParseWheel(*stem);
  if (const auto stem = stem_of(".tgz")) return ParseNpm(dir, *stem);
  if (const auto stem = stem_of(".nupkg")) return ParseNuget(*stem);
  if (const auto stem = stem_of(".gem")) return ParseGem(*stem);
  return std::nullopt;
}

}  // namespace

std::string_view PackageFormatName(PackageFormat format) {
  for (const auto& [value, name] : kFormatNames) {
    if (value == format) return name;
  }
  return "raw";
}

std::optional<PackageFormat> ParsePackageFormat(std::string_view name) {
  for (const auto& [value, format_name] : kFormatNames) {
    if (EqualsIgnoreCase(name, format_name)) return value;
  }
  return std::nullopt;
}

bool IsIndexFile(std::string_view path) {
  std::string_view dir = path;
  const std::string_view file = PopSegment(dir);
  // A folder path is answered with the folder's index.html.
  if (file.empty()) return true;
  for (std::string_view name : kIndexFileNames) {
    if (file == name) return true;
  }
  for (std::string_view suffix : kIndexFileSuffixes) {
    if (file.ends_with(suffix)) return true;
  }
  return IsRepodataFile(dir, file) || IsAptDistsIndex(dir, file) || IsNpmPackument(dir, file);
}

std::optional<PackageIdentity> IdentifyPackage(std::string_view path) {
  if (IsIndexFile(path)) return std::nullopt;
  std::string_view dir = path;
  const std::string_view file = PopSegment(dir);
  if (auto identity = IdentifyByExtension(dir, file)) return identity;
  // Maven takes any extension, so it comes after the formats that own theirs, and before the
  // sdist, whose shape would also match a classified Maven archive ("tool-1.0-bin.zip").
  if (auto identity = ParseMaven(dir, file)) return identity;
  for (std::string_view extension : {".tar.gz", ".zip"}) {
    if (file.ends_with(extension)) {
      if (auto identity = ParseSdist(file.substr(0, file.size() - extension.size()))) {
        return identity;
      }
    }
  }
  return MakeIdentity(PackageFormat::kRaw, std::string(file), std::string());
}

}  // namespace tollgate::policy
