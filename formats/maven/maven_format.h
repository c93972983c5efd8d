// Maven artifacts: `{group/path}/{artifact}/{version}/{artifact}-{version}[-{classifier}].{ext}`,
// maven-metadata.xml, and the natural version order.
#pragma once

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

const Format& MavenFormat();

}  // namespace tollgate::formats
