// RubyGems: identity from gem file names, and the repository's spec indexes.
#include "ruby/ruby_format.h"

#include <array>
#include <optional>
#include <string>

#include "common/scan.h"
#include "raw/raw_format.h"

namespace tollgate::formats {
namespace {

// The spec indexes, and the legacy full index of old clients.
constexpr std::array<std::string_view, 10> kSpecIndexNames{
    "specs.4.8",           "specs.4.8.gz",         "latest_specs.4.8",
    "latest_specs.4.8.gz", "prerelease_specs.4.8", "prerelease_specs.4.8.gz",
    "Marshal.4.8",         "Marshal.4.8.Z",
};

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

class Ruby final : public Format {
 public:
  PackageFormat id() const override { return PackageFormat::kRuby; }
  std::string_view name() const override { return "ruby"; }
  // The spec indexes, and the per-gem specs of quick/Marshal.4.8/.
  bool IsIndexFile(std::string_view, std::string_view file) const override {
    for (std::string_view name : kSpecIndexNames) {
      if (file == name) return true;
    }
    return file.ends_with(".gemspec.rz");
  }
  std::optional<PackageIdentity> IdentifyByExtension(std::string_view,
                                                     std::string_view file) const override {
    if (const auto stem = StemOf(file, ".gem")) return ParseGem(*stem);
    return std::nullopt;
  }
  int CompareVersions(std::string_view a, std::string_view b) const override {
    return CompareNaturalVersions(a, b);
  }
};

}  // namespace

const Format& RubyFormat() {
  static const Ruby format;
  return format;
}

}  // namespace tollgate::formats
