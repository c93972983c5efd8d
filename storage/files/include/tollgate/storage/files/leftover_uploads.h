// What uploads cut short by a crash leave in the artifacts folder: temporary files that are
// never served or listed, but hold disk space until removed.
#pragma once

#include <cstddef>
#include <filesystem>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tollgate::storage {

// Removes every upload temporary in the repositories below `root` ({root}/{org}/{repo}/…,
// following links at the org and repo levels as uploads do, none below) whose last change
// is before `older_than`; other files, however similar their names, stay. Returns how many
// were removed, or Unavailable naming the first folder or file it could not handle (what
// was removed by then stays removed).
absl::StatusOr<size_t> RemoveLeftoverUploads(const std::filesystem::path& root,
                                             absl::Time older_than);

}  // namespace tollgate::storage
