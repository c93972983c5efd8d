// The npm view: a registry. `{name}` and `@scope/{name}` answer the packument of the versions
// the credential may see; any other path is the repository file at that path, so tarball URLs
// stay below the registry URL, the only place npm sends its `_authToken`.
#pragma once

#include "tollgate/formats/package_view.h"

namespace tollgate::formats {

const PackageView& NpmView();

}  // namespace tollgate::formats
