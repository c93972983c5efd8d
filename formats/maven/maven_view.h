// The Maven view: a Maven 2 repository of the repository's files whose maven-metadata.xml
// (and its checksum files) list only the versions the asking credential may download.
#pragma once

#include "tollgate/formats/package_view.h"

namespace tollgate::formats {

const PackageView& MavenView();

}  // namespace tollgate::formats
