// npm packages: `{name}/-/{name}-{version}.tgz` (scoped `@scope/{name}/-/…`), scoped
// packuments, and SemVer's version order.
#pragma once

#include <string_view>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

// SemVer 2.0.0's precedence (minor and patch may be left out, read as 0); versions that do not
// parse sort below every valid one, in natural order among themselves.
int CompareSemVer(std::string_view a, std::string_view b);

// What a version is to SemVer, in the order a registry prefers them for `latest`.
enum class SemVerKind { kInvalid, kPrerelease, kRelease };

// `version` read as CompareSemVer reads it ("2.0.0" a release, "2.0.0-rc.1" a pre-release).
SemVerKind ClassifySemVer(std::string_view version);

const Format& NpmFormat();

}  // namespace tollgate::formats
