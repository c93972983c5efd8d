// The embedded store set: every store served in process from one SQLite database.
#pragma once

#include <filesystem>

#include "absl/status/statusor.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {

// Opens (creating if needed) the SQLite database `data_dir/tollgate.db` and loads the
// in-memory indexes. Unavailable/Internal with the reason when the file cannot be used.
absl::StatusOr<Stores> OpenEmbeddedStores(const std::filesystem::path& data_dir);

}  // namespace tollgate::storage
