// What the Python view needs from inside a distribution: its Requires-Python, from a wheel's
// `*.dist-info/METADATA` or an sdist's top-level `PKG-INFO`.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollgate/formats/byte_source.h"

namespace tollgate::formats {

// {"requires_python": "…"} (the key only when the distribution declares one), for the
// distribution whose file name ends `path`.
absl::StatusOr<std::string> ReadPythonMetadata(std::string_view path, const ByteSource& file);

}  // namespace tollgate::formats
