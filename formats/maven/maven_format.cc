// Maven: identity from repository layout paths, and maven-metadata.xml as its index.
#include "maven/maven_format.h"

#include <optional>
#include <string>

#include "common/scan.h"
#include "raw/raw_format.h"

namespace tollgate::formats {
namespace {

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
      version.find_first_of("0123456789") == std::string_view::npos ||
      !SplitMavenFileName(artifact, version, file)) {
    return std::nullopt;
  }
  PackageIdentity identity =
      MakeIdentity(PackageFormat::kMaven, std::string(artifact), std::string(version));
  identity.group = dir;
  for (char& c : identity.group) {
    if (c == '/') c = '.';
  }
  return identity;
}

class Maven final : public Format {
 public:
  PackageFormat id() const override { return PackageFormat::kMaven; }
  std::string_view name() const override { return "maven"; }
  bool IsIndexFile(std::string_view, std::string_view file) const override {
    return file == "maven-metadata.xml";
  }
  // Maven takes any extension, so it comes after the formats that own theirs.
  std::optional<PackageIdentity> IdentifyByShape(std::string_view dir,
                                                 std::string_view file) const override {
    return ParseMaven(dir, file);
  }
  int CompareVersions(std::string_view a, std::string_view b) const override {
    return CompareNaturalVersions(a, b);
  }
};

}  // namespace

std::optional<MavenFileName> SplitMavenFileName(std::string_view artifact, std::string_view version,
                                                std::string_view file) {
  if (artifact.empty() || !file.starts_with(artifact) || file.size() == artifact.size() ||
      file[artifact.size()] != '-') {
    return std::nullopt;
  }
  const std::string_view after_artifact = file.substr(artifact.size() + 1);
  std::string_view rest = after_artifact;
  if (rest.starts_with(version)) {
    rest.remove_prefix(version.size());
  } else if (version.ends_with(kMavenSnapshot)) {
    // A unique snapshot replaces "SNAPSHOT" with the deploy time and build number.
    const std::string_view base = version.substr(0, version.size() - kMavenSnapshot.size());
    if (!rest.starts_with(base)) return std::nullopt;
    rest.remove_prefix(base.size());
    const size_t stamp = SnapshotStampLength(rest);
    if (stamp == 0) return std::nullopt;
    rest.remove_prefix(stamp);
  } else {
    return std::nullopt;
  }
  MavenFileName name;
  name.value = after_artifact.substr(0, after_artifact.size() - rest.size());
  // What remains is ".{ext}" or "-{classifier}.{ext}".
  if (rest.size() < 2 || (rest[0] != '.' && rest[0] != '-')) return std::nullopt;
  const size_t dot = rest.find('.');
  if (dot == std::string_view::npos || dot + 1 == rest.size()) return std::nullopt;
  if (rest[0] == '-') {
    if (dot == 1) return std::nullopt;
    name.classifier = rest.substr(1, dot - 1);
  }
  name.extension = rest.substr(dot + 1);
  return name;
}

const Format& MavenFormat() {
  static const Maven format;
  return format;
}

}  // namespace tollgate::formats
