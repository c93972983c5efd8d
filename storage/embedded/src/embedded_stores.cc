// Opening the embedded store set: one SQLite database in the data folder behind all stores.
#include "tollgate/storage/embedded/embedded_stores.h"

#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sqlite_database.h"
#include "tollgate/storage/embedded/embedded_account_store.h"
#include "tollgate/storage/embedded/embedded_artifact_catalog.h"
#include "tollgate/storage/embedded/embedded_audit_log.h"
#include "tollgate/storage/embedded/embedded_entitlement_store.h"
#include "tollgate/storage/embedded/embedded_repository_store.h"
#include "tollgate/storage/embedded/embedded_signing_key_store.h"
#include "tollgate/storage/embedded/embedded_usage_ledger.h"

namespace tollgate::storage {

absl::StatusOr<Stores> OpenEmbeddedStores(const std::filesystem::path& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", data_dir.string(), ": ", error.message()));
  }
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> opened =
      SqliteDatabase::Open(data_dir / "tollgate.db");
  if (!opened.ok()) return opened.status();
  std::shared_ptr<SqliteDatabase> db = *std::move(opened);

  absl::StatusOr<std::unique_ptr<EmbeddedEntitlementStore>> entitlements =
      EmbeddedEntitlementStore::Load(db);
  if (!entitlements.ok()) return entitlements.status();
  std::shared_ptr<EmbeddedEntitlementStore> shared_entitlements = *std::move(entitlements);
  absl::StatusOr<std::unique_ptr<EmbeddedRepositoryStore>> repositories =
      EmbeddedRepositoryStore::Load(db, shared_entitlements);
  if (!repositories.ok()) return repositories.status();
  absl::StatusOr<std::unique_ptr<EmbeddedAccountStore>> accounts = EmbeddedAccountStore::Load(db);
  if (!accounts.ok()) return accounts.status();
  absl::StatusOr<std::unique_ptr<EmbeddedUsageLedger>> usage = EmbeddedUsageLedger::Open(db);
  if (!usage.ok()) return usage.status();

  Stores stores;
  stores.accounts = *std::move(accounts);
  stores.repositories = *std::move(repositories);
  stores.entitlements = std::move(shared_entitlements);
  stores.artifacts = std::make_shared<EmbeddedArtifactCatalog>(db);
  stores.signing_keys = std::make_shared<EmbeddedSigningKeyStore>(db);
  stores.audit = std::make_shared<EmbeddedAuditLog>(std::move(db));
  stores.usage = *std::move(usage);
  // The database lives in this process: when it cannot be written, the writes say so, and
  // there is no other copy to fall behind.
  stores.is_reachable = [] { return true; };
  stores.staleness = [] { return absl::ZeroDuration(); };
  return stores;
}

}  // namespace tollgate::storage
