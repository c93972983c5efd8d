// Maven artifacts: `{group/path}/{artifact}/{version}/{artifact}-{version}[-{classifier}].{ext}`,
// maven-metadata.xml, and the natural version order.
#pragma once

#include <optional>
#include <string_view>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

const Format& MavenFormat();

// What ends a SNAPSHOT version ("2.1-SNAPSHOT"), and what a unique snapshot's file names
// replace with the deploy time and build number.
inline constexpr std::string_view kMavenSnapshot = "SNAPSHOT";

// A Maven file name "{artifact}-{value}[-{classifier}].{extension}" in parts. The value is the
// version itself, or for a unique snapshot (version "2.1-SNAPSHOT") the version with SNAPSHOT
// replaced by the deploy time and build number: "2.1-20230915.101502-3".
struct MavenFileName {
  std::string_view value;
  std::string_view classifier;  // empty when there is none
  std::string_view extension;   // "jar", "tar.gz", "jar.asc", "jar.sha1"
};

// `file` split as a file of `version` of `artifact`, or nullopt when it is not one.
std::optional<MavenFileName> SplitMavenFileName(std::string_view artifact, std::string_view version,
                                                std::string_view file);

}  // namespace tollgate::formats
