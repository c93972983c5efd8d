// NuGet: identity from package file names, and the feed's metadata files.
#include "nuget/nuget_format.h"

#include <optional>
#include <string>

#include "common/scan.h"
#include "raw/raw_format.h"

namespace tollgate::formats {
namespace {

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

class Nuget final : public Format {
 public:
  PackageFormat id() const override { return PackageFormat::kNuget; }
  std::string_view name() const override { return "nuget"; }
  // The v3 service index, registrations and version lists; manifests in the flat container.
  bool IsIndexFile(std::string_view, std::string_view file) const override {
    return file == "index.json" || file.ends_with(".nuspec");
  }
  std::optional<PackageIdentity> IdentifyByExtension(std::string_view,
                                                     std::string_view file) const override {
    if (const auto stem = StemOf(file, ".nupkg")) return ParseNuget(*stem);
    return std::nullopt;
  }
  int CompareVersions(std::string_view a, std::string_view b) const override {
    return CompareNaturalVersions(a, b);
  }
};

}  // namespace

const Format& NugetFormat() {
  static const Nuget format;
  return format;
}

}  // namespace tollgate::formats
