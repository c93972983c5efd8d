// package.json out of an npm tarball, through libarchive and Boost.JSON, bounded in size and
// depth whatever the tarball holds.
#include "npm/npm_metadata.h"

#include <array>

#include "boost/json.hpp"
#include "common/archive_member.h"
#include "tollgate/base/concat.h"

namespace tollgate::formats {
namespace {

// A package.json is a few KiB; one of a MiB is not a package tollgate lists.
constexpr size_t kMaxPackageJsonBytes = 1 << 20;

// What is kept of one, repeated in every packument of the package: a thousand versions of a
// big one could otherwise make a packument of a GiB.
constexpr size_t kMaxKeptBytes = 64 << 10;

// The fields npm's abbreviated metadata carries: what resolving and installing need. A
// package.json too big to keep whole is kept as these.
// clang-format off
constexpr std::array<std::string_view, 18> kInstallFields = {
    "name", "version", "dependencies", "optionalDependencies", "peerDependencies",
    "peerDependenciesMeta", "bundleDependencies", "bundledDependencies", "devDependencies", "bin",
    "directories", "engines", "os", "cpu", "libc", "hasInstallScript", "deprecated", "license"};
// clang-format on

// "{folder}/package.json" exactly one folder deep, as tar may store it with a leading "./".
bool IsPackageJson(std::string_view member) {
  if (member.starts_with("./")) member.remove_prefix(2);
  const size_t slash = member.find('/');
  return slash != 0 && slash != std::string_view::npos &&
         member.substr(slash + 1) == "package.json";
}

// npm tarballs are gzip-compressed tar; checking the magic first keeps the archive formats
// libarchive reads for other package types (zip, ar, xz …) away from npm files.
absl::Status CheckGzip(const ByteSource& file) {
  std::array<char, 2> magic{};
  absl::StatusOr<size_t> got = file.ReadAt(0, magic.data(), magic.size());
  if (!got.ok()) return got.status();
  if (*got != magic.size() || magic[0] != '\x1f' || magic[1] != '\x8b') {
    return absl::InvalidArgumentError("not a gzip-compressed tarball");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadNpmMetadata(const ByteSource& file) {
  if (absl::Status gzip = CheckGzip(file); !gzip.ok()) return gzip;
  absl::StatusOr<std::optional<std::string>> content =
      ReadArchiveMember(file, IsPackageJson, kMaxPackageJsonBytes);
  if (!content.ok()) return content.status();
  if (!*content) return absl::InvalidArgumentError("the tarball holds no package/package.json");
  // Boost.JSON's defaults are the bounds wanted here: nesting at most 32 deep, UTF-8 checked.
  boost::system::error_code error;
  boost::json::value package = boost::json::parse(**content, error);
  if (error) return absl::InvalidArgumentError(Concat("package.json: ", error.message()));
  if (!package.is_object()) return absl::InvalidArgumentError("package.json is not an object");
  // npm's own registry keeps a readme beside the versions, not in them; here it would be
  // repeated in every version of every packument, and no client reads it from there.
  package.as_object().erase("readme");
  std::string kept = boost::json::serialize(package);
  if (kept.size() <= kMaxKeptBytes) return kept;
  boost::json::object install;
  for (std::string_view field : kInstallFields) {
    if (const boost::json::value* value = package.as_object().if_contains(field)) {
      install.emplace(field, *value);
    }
  }
  kept = boost::json::serialize(install);
  if (kept.size() > kMaxKeptBytes) {
    return absl::InvalidArgumentError(
        Concat("package.json's install fields alone exceed ", kMaxKeptBytes >> 10, " KiB"));
  }
  return kept;
}

}  // namespace tollgate::formats
