// The set of stores one tollgate process works with, and how to open the embedded set.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tollgate/storage/account_store.h"
#include "tollgate/storage/artifact_catalog.h"
#include "tollgate/storage/audit_log.h"
#include "tollgate/storage/entitlement_store.h"
#include "tollgate/storage/repository_store.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::storage {

struct Stores {
  std::shared_ptr<AccountStore> accounts;
  std::shared_ptr<RepositoryStore> repositories;
  std::shared_ptr<EntitlementStore> entitlements;
  std::shared_ptr<ArtifactCatalog> artifacts;
  std::shared_ptr<UsageLedger> usage;
  std::shared_ptr<AuditLog> audit;
  // Whether the backing store answers (SPEC `/readyz`). Cheap: never a network call.
  std::function<bool()> is_reachable;
  // How long this instance's copy of the state may have missed changes: zero while in sync
  // (always, for the embedded store). Cheap: never a network call.
  std::function<absl::Duration()> staleness;
};

// Opens (creating if needed) the SQLite database `data_dir/tollgate.db` and loads the
// in-memory indexes. Unavailable/Internal with the reason when the file cannot be used.
absl::StatusOr<Stores> OpenEmbeddedStores(const std::filesystem::path& data_dir);

}  // namespace tollgate::storage
