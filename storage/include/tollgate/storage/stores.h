// The set of stores one tollgate process works with, and how to open the embedded set.
#pragma once

#include <functional>
#include <memory>

#include "absl/time/time.h"
#include "tollgate/storage/account_store.h"
#include "tollgate/storage/artifact_catalog.h"
#include "tollgate/storage/audit_log.h"
#include "tollgate/storage/entitlement_store.h"
#include "tollgate/storage/repository_store.h"
#include "tollgate/storage/signing_key_store.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::storage {

struct Stores {
  std::shared_ptr<AccountStore> accounts;
  std::shared_ptr<RepositoryStore> repositories;
  std::shared_ptr<EntitlementStore> entitlements;
  std::shared_ptr<ArtifactCatalog> artifacts;
  std::shared_ptr<SigningKeyStore> signing_keys;
  std::shared_ptr<UsageLedger> usage;
  std::shared_ptr<AuditLog> audit;
  // Whether the backing store answers (SPEC `/readyz`). Cheap: never a network call.
  std::function<bool()> is_reachable;
  // How long this instance's copy of the state may have missed changes: zero while in sync
  // (always, for the embedded store). Cheap: never a network call.
  std::function<absl::Duration()> staleness;
};

}  // namespace tollgate::storage
