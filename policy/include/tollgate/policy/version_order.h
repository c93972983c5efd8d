// Version ordering per package format (SPEC §5.1): dpkg for deb, rpmvercmp for rpm, PEP 440
// for python, SemVer 2 for npm, and a natural numeric-aware order for everything else.
// Every comparison is allocation-free: it runs on the download path inside query matching.
#pragma once

#include <string_view>

#include "tollgate/policy/package_identity.h"

namespace tollgate::policy {

// Each returns <0 when a sorts before b, 0 when they are equal in that format's order, >0
// otherwise. Malformed input never fails: it is ordered by a documented fallback.
int CompareDebianVersions(std::string_view a, std::string_view b);
int CompareRpmVersions(std::string_view a, std::string_view b);
int ComparePep440Versions(std::string_view a, std::string_view b);
int CompareSemVer(std::string_view a, std::string_view b);
int CompareNaturalVersions(std::string_view a, std::string_view b);

// The comparison of `format` (deb → dpkg, rpm → rpmvercmp, python → PEP 440, npm → SemVer,
// others → natural).
int CompareVersions(PackageFormat format, std::string_view a, std::string_view b);

}  // namespace tollgate::policy
