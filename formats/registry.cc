// The list of formats, and the questions asked of all of them at once.
#include "tollgate/formats/registry.h"

#include <array>

#include "common/scan.h"
#include "deb/deb_format.h"
#include "maven/maven_format.h"
#include "npm/npm_format.h"
#include "nuget/nuget_format.h"
#include "python/python_format.h"
#include "raw/raw_format.h"
#include "rpm/rpm_format.h"
#include "ruby/ruby_format.h"
#include "tollgate/base/text.h"

namespace tollgate::formats {
namespace {

// One line per format. The order is that of the second identification pass: Maven before
// Python (an sdist's shape also matches a classified Maven archive), raw last.
const std::array<const Format*, 8>& Formats() {
  static const std::array<const Format*, 8> formats = {
      &DebFormat(),  &RpmFormat(),   &NpmFormat(),    &NugetFormat(),
      &RubyFormat(), &MavenFormat(), &PythonFormat(), &RawFormat(),
  };
  return formats;
}

// Checksums and signatures are index files of every format, those of packages too: they carry
// no identity of their own.
constexpr std::array<std::string_view, 6> kChecksumAndSignatureSuffixes{
    ".sha1", ".sha256", ".sha512", ".md5", ".asc", ".sig",
};

}  // namespace

const Format& FormatOf(PackageFormat id) {
  for (const Format* format : Formats()) {
    if (format->id() == id) return *format;
  }
  return RawFormat();
}

std::string_view PackageFormatName(PackageFormat format) { return FormatOf(format).name(); }

std::optional<PackageFormat> ParsePackageFormat(std::string_view name) {
  for (const Format* format : Formats()) {
    if (EqualsIgnoreCase(name, format->name())) return format->id();
  }
  return std::nullopt;
}

bool IsIndexFile(std::string_view path) {
  std::string_view dir = path;
  const std::string_view file = PopSegment(dir);
  // A folder path is answered with the folder's index.html (PEP 503 simple pages).
  if (file.empty() || file == "index.html") return true;
  for (std::string_view suffix : kChecksumAndSignatureSuffixes) {
    if (file.ends_with(suffix)) return true;
  }
  for (const Format* format : Formats()) {
    if (format->IsIndexFile(dir, file)) return true;
  }
  return false;
}

std::optional<PackageIdentity> IdentifyPackage(std::string_view path) {
  if (IsIndexFile(path)) return std::nullopt;
  std::string_view dir = path;
  const std::string_view file = PopSegment(dir);
  for (const Format* format : Formats()) {
    if (auto identity = format->IdentifyByExtension(dir, file)) return identity;
  }
  for (const Format* format : Formats()) {
    if (auto identity = format->IdentifyByShape(dir, file)) return identity;
  }
  return std::nullopt;  // unreachable: raw takes every file
}

int CompareVersions(PackageFormat format, std::string_view a, std::string_view b) {
  return FormatOf(format).CompareVersions(a, b);
}

}  // namespace tollgate::formats
