// The `storage` field of the repository API (SPEC §3): {"type": "fs"} or an HTTP origin,
// validated on the way in and shown back with its secrets redacted.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "boost/json/value.hpp"

namespace tollgate::gateway::admin {

// The storage JSON text to store for the `storage` field of a create or update.
// `stored_json` is the repository's current storage: an update keeps a stored secret by
// sending "********" for it, as the API shows it. InvalidArgument "storage…: why" (→ 422).
absl::StatusOr<std::string> StorageToStore(const boost::json::value& storage,
                                           std::string_view stored_json);

// A stored storage JSON text as the API shows it: every secret replaced by "********".
boost::json::value StorageForApi(std::string_view storage_json);

}  // namespace tollgate::gateway::admin
