// RPM packages: `{name}-{version}-{release}.{arch}.rpm`, yum/dnf's repodata/, and rpmvercmp.
#pragma once

#include <string_view>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

// rpm's order: epoch, then version and release by rpmvercmp ('~' before everything, '^' after
// the end but before any other segment).
int CompareRpmVersions(std::string_view a, std::string_view b);

const Format& RpmFormat();

}  // namespace tollgate::formats
