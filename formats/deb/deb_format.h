// Debian packages: `{name}_{version}_{arch}.deb` (and .udeb, .ddeb), apt's metadata files, and
// dpkg's version order.
#pragma once

#include <string_view>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

// dpkg's order: epoch, upstream version, revision, with '~' before everything. Pool file names
// carry the epoch colon percent-encoded ("1%3a2.0"); that reads as ':'.
int CompareDebianVersions(std::string_view a, std::string_view b);

const Format& DebFormat();

}  // namespace tollgate::formats
