// A SNAPSHOT version's own maven-metadata.xml
// ("{group}/{artifact}/2.1-SNAPSHOT/maven-metadata.xml"): which timestamped build Maven fetches
// for each classifier and extension (<snapshotVersions>) and which build Gradle fetches
// everything of (<snapshot>), generated from the in-scope files of that folder so it never
// names a file the credential may not fetch.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tollgate/formats/package_file.h"

namespace tollgate::formats {

// The document for `version_dir` ("com/acme/tools/agent/2.1-SNAPSHOT"), or nullopt when that is
// not a SNAPSHOT version's folder or none of `files` is a build in it.
std::optional<std::string> RenderSnapshotMetadata(std::string_view version_dir,
                                                  std::span<const PackageFile* const> files);

}  // namespace tollgate::formats
