// First-run set-up (SPEC §6): an org with an owner whose API key is handed over once.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tollgate/storage/stores.h"

namespace tollgate::gateway {

// Creates org `org` with owner `owner` and returns the owner's new API key (the only copy;
// the store keeps its hash). AlreadyExists when the org exists; InvalidArgument on a bad
// name; Unavailable when the store cannot be written.
absl::StatusOr<std::string> CreateOrgWithOwner(const storage::Stores& stores,
                                               const std::string& org, const std::string& owner,
                                               absl::Time now);

// When the store holds no org, creates org `default` with owner `admin` and writes the key
// to `data_dir/admin-api-key` (mode 0600). Returns that path, or nullopt when an org
// already existed (or another instance sharing the store created it first). Unavailable/Internal
// when the key file cannot be written.
absl::StatusOr<std::optional<std::filesystem::path>> BootstrapIfEmpty(
    const storage::Stores& stores, const std::filesystem::path& data_dir, absl::Time now);

}  // namespace tollgate::gateway
