// The packument is built from the catalog alone: each version's document is the package.json
// read from its tarball, with everything the registry vouches for (identity, dist) set here.
#include "npm/npm_view.h"

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "boost/json.hpp"
#include "common/scan.h"
#include "common/web_text.h"
#include "npm/npm_format.h"
#include "tollgate/base/concat.h"

namespace tollgate::formats {
namespace {

namespace json = boost::json;

// `name`, or `@scope/name`: one segment, or two of which the first names a scope.
bool IsPackageName(std::string_view rest) {
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return !rest.empty();
  return rest.starts_with('@') && slash > 1 && rest.find('/', slash + 1) == std::string_view::npos;
}

bool IsHexDigest(std::string_view digest, size_t length) {
  return digest.size() == length && std::all_of(digest.begin(), digest.end(), [](char c) {
           return IsDigit(c) || (c >= 'a' && c <= 'f');
         });
}

// npm's time format: "2024-05-01T12:00:00.000Z".
std::string IsoTime(int64_t unix_micros) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMicros(unix_micros),
                          absl::UTCTimeZone());
}

// The package.json the catalog read from the tarball; empty when it could not be read (the
// version is still listed: the tarball is served, and npm needs no more than name and version).
json::object StoredPackageJson(const PackageFile& file) {
  if (file.metadata.empty()) return {};
  boost::system::error_code error;
  json::value stored = json::parse(file.metadata, error);
  if (error || !stored.is_object()) return {};
  return std::move(stored.as_object());
}

json::object Dist(const ViewRequest& request, const PackageFile& file) {
  std::string tarball(request.view_url);
  AppendUrlPath(tarball, file.path);
  json::object dist{{"tarball", tarball}};
  // Records from before the catalog kept these digests have none; npm then checks nothing.
  if (IsHexDigest(file.sha1, 40)) dist["shasum"] = file.sha1;
  if (IsHexDigest(file.sha512, 128)) {
    dist["integrity"] = Concat("sha512-", absl::Base64Escape(absl::HexStringToBytes(file.sha512)));
  }
  return dist;
}

// One entry of `versions`. Fields starting with '_' are what registries and clients add
// (`_hasShrinkwrap`, `_resolved`, `_integrity` …), never a package's own, so a tarball sets
// none; the identity is the catalog's whatever the tarball claims, and `dist` is tollgate's.
json::object VersionDocument(const ViewRequest& request, const PackageFile& file) {
  json::object document;
  for (json::key_value_pair& field : StoredPackageJson(file)) {
    if (!field.key().starts_with('_')) document.emplace(field.key(), std::move(field.value()));
  }
  const PackageIdentity& identity = file.identity;
  document["name"] = identity.name;
  document["version"] = identity.version;
  document["_id"] = Concat(identity.name, "@", identity.version);
  document["dist"] = Dist(request, file);
  return document;
}

// The highest release of `ascending` (in SemVer order); the highest pre-release only when
// there is no release.
std::string_view Latest(const std::vector<const PackageFile*>& ascending) {
  const PackageFile* latest = ascending.front();
  for (const PackageFile* file : ascending) {
    if (ClassifySemVer(file->identity.version) >= ClassifySemVer(latest->identity.version)) {
      latest = file;
    }
  }
  return latest->identity.version;
}

ViewAnswer Packument(const ViewRequest& request) {
  const std::string_view name = request.rest;
  std::vector<const PackageFile*> files;
  for (const PackageFile* file : request.files) {
    if (file->identity.name == name) files.push_back(file);
  }
  // npm reads a 404 as "no such package".
  if (files.empty()) return ViewAnswer::NotFound();
  // Stable: files come ordered by path, so of one version stored at several paths the first
  // by path is the one listed.
  std::stable_sort(files.begin(), files.end(), [](const PackageFile* a, const PackageFile* b) {
    return CompareSemVer(a->identity.version, b->identity.version) < 0;
  });

  json::object versions;
  json::object times;
  int64_t created = files.front()->recorded_unix_micros;
  int64_t modified = created;
  for (const PackageFile* file : files) {
    const std::string& version = file->identity.version;
    if (versions.contains(version)) continue;
    versions[version] = VersionDocument(request, *file);
    times[version] = IsoTime(file->recorded_unix_micros);
    created = std::min(created, file->recorded_unix_micros);
    modified = std::max(modified, file->recorded_unix_micros);
  }
  // No version is named so: a tarball's version starts with a digit.
  times["created"] = IsoTime(created);
  times["modified"] = IsoTime(modified);
  json::object packument{{"_id", name},
                         {"name", name},
                         {"dist-tags", json::object{{"latest", Latest(files)}}},
                         {"versions", std::move(versions)},
                         {"time", std::move(times)}};
  return ViewAnswer::Document("application/json", json::serialize(packument));
}

class Npm final : public PackageView {
 public:
  std::string_view name() const override { return "npm"; }
  PackageFormat format() const override { return PackageFormat::kNpm; }
  bool NeedsFiles(std::string_view rest, bool is_folder) const override {
    return !is_folder && IsPackageName(rest);
  }
  absl::StatusOr<ViewAnswer> Answer(const ViewRequest& request) const override {
    if (NeedsFiles(request.rest, request.is_folder)) return Packument(request);
    // The registry's root and folders are no file, and a repository's files under "-/" are
    // never served as themselves (npm's own "-/ping", "-/whoami" and search are not offered).
    if (request.is_folder || request.rest.empty() || request.rest.starts_with("-/")) {
      return ViewAnswer::NotFound();
    }
    return ViewAnswer::RepositoryFile(std::string(request.rest));
  }
};

}  // namespace

const PackageView& NpmView() {
  static const Npm view;
  return view;
}

}  // namespace tollgate::formats
