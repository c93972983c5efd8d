// The package formats tollgate knows, and the questions the rest of the code asks about a path
// or a version without knowing which format answers. Adding a format: a folder in formats/, a
// PackageFormat value, and one line in registry.cc.
#pragma once

#include <optional>
#include <string_view>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

// The format of `id`.
const Format& FormatOf(PackageFormat id);

// "deb", "rpm", "python", "npm", "maven", "nuget", "ruby", "raw".
std::string_view PackageFormatName(PackageFormat format);

// nullopt when `name` is not one of the names above (case-insensitive).
std::optional<PackageFormat> ParsePackageFormat(std::string_view name);

// True for index and metadata files: every format's own (Release, InRelease, Packages*,
// Sources*, repodata/…, maven-metadata.xml*, npm packuments …), index.html, a folder path, and
// checksum and signature files.
bool IsIndexFile(std::string_view path);

// The identity of the normalised repository-relative `path` ("pool/main/a/agent_2.1.0_amd64.deb"),
// or nullopt for an index file. Paths matching no format are `raw` with the file name as
// name and an empty version. Never fails.
std::optional<PackageIdentity> IdentifyPackage(std::string_view path);

// The version order of `format` (deb → dpkg, rpm → rpmvercmp, python → PEP 440, npm → SemVer,
// others → natural).
int CompareVersions(PackageFormat format, std::string_view a, std::string_view b);

}  // namespace tollgate::formats
