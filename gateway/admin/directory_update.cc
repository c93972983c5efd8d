// The retry loop of directory changes.
#include "admin/directory_update.h"

#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {

absl::StatusOr<policy::OrgDirectory> UpdateDirectory(storage::AccountStore& accounts,
                                                     const std::string& org,
                                                     const DirectoryChange& change) {
  // Admin writes are rare; a handful of lost races in a row means something is wrong.
  constexpr int kAttempts = 8;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const storage::DirectoryPtr current = accounts.Directory(org);
    if (current == nullptr) return absl::NotFoundError(Concat("org ", org, " does not exist"));
    policy::OrgDirectory updated = *current;
    if (absl::Status s = change(updated); !s.ok()) return s;
    absl::Status stored = accounts.ReplaceDirectory(updated);
    if (stored.ok()) {
      ++updated.revision;
      return updated;
    }
    if (!absl::IsAborted(stored)) return stored;
  }
  return absl::UnavailableError(Concat("the accounts of ", org, " kept changing; try again"));
}

}  // namespace tollgate::gateway::admin
