// NuGet packages: `{id}.{version}.nupkg`, the v3 index.json files and .nuspec manifests, and the
// natural version order.
#pragma once

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

const Format& NugetFormat();

}  // namespace tollgate::formats
