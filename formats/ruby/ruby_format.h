// RubyGems: `{name}-{version}[-{platform}].gem`, the spec indexes, and the natural version order.
#pragma once

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

const Format& RubyFormat();

}  // namespace tollgate::formats
