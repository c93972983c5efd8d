// Python distributions: wheels and sdists with PEP 503-normalised names, PEP 658 metadata
// files, and PEP 440's version order.
#pragma once

#include <string>
#include <string_view>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

// PEP 440's order (as `packaging` sorts); versions that do not parse sort below every valid
// one, in natural order among themselves.
int ComparePep440Versions(std::string_view a, std::string_view b);

// PEP 503: lowercase, and each run of "-", "_" and "." becomes one "-".
std::string NormalizePythonName(std::string_view name);

const Format& PythonFormat();

}  // namespace tollgate::formats
