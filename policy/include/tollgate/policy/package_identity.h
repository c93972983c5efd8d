// What a repository path is (SPEC §5): a package file with a format, name and version, or
// an index/metadata file with no identity.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tollgate::policy {

enum class PackageFormat { kDeb, kRpm, kPython, kNpm, kMaven, kNuget, kRuby, kRaw };

// "deb", "rpm", "python", "npm", "maven", "nuget", "ruby", "raw".
std::string_view PackageFormatName(PackageFormat format);
// nullopt when `name` is not one of the names above (case-insensitive).
std::optional<PackageFormat> ParsePackageFormat(std::string_view name);

struct PackageIdentity {
  PackageFormat format = PackageFormat::kRaw;
  std::string name;          // see SPEC §5: PEP 503-normalised for python, "@scope/name" for npm
  std::string version;       // empty for raw files
  std::string architecture;  // deb and rpm; empty otherwise
  std::string group;         // maven groupId, dotted ("com.example.tools"); empty otherwise
};

// True for index and metadata files: Release, InRelease, Packages*, Sources*, repodata/…,
// index.html, maven-metadata.xml*, npm packuments, checksum and signature files.
bool IsIndexFile(std::string_view path);

// The identity of the normalised repository-relative `path` ("pool/main/a/agent_2.1.0_amd64.deb"),
// or nullopt for an index file. Paths matching no format are `raw` with the file name as
// name and an empty version. Never fails.
std::optional<PackageIdentity> IdentifyPackage(std::string_view path);

}  // namespace tollgate::policy
