// npm packages: `{name}/-/{name}-{version}.tgz` (scoped `@scope/{name}/-/…`), scoped
// packuments, and SemVer's version order.
#pragma once

#include <string_view>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

// SemVer 2.0.0's precedence (minor and patch may be left out, read as 0); versions that do not
// parse sort below every valid one, in natural order among themselves.
int CompareSemVer(std::string_view a, std::string_view b);

const Format& NpmFormat();

}  // namespace tollgate::formats
