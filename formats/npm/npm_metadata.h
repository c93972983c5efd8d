// What the npm view needs from inside a package tarball: its package.json, which becomes the
// version's document in the packument.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "tollgate/formats/byte_source.h"

namespace tollgate::formats {

// The package.json of the gzip-compressed tarball `file` (npm puts it at `package/package.json`;
// any single top-level folder is accepted, as npm strips the first path component), as compact
// JSON without its `readme`. InvalidArgument when `file` is not a gzip-compressed tar, holds no
// such member, the member is larger than 1 MiB, or it is not a JSON object.
absl::StatusOr<std::string> ReadNpmMetadata(const ByteSource& file);

}  // namespace tollgate::formats
