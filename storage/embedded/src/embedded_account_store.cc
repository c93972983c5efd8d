// AccountStore on SQLite: a directory is written durably first (its document, and its key
// hashes in api_keys, which keeps them unique across orgs), then mirrored in memory.
#include "tollgate/storage/embedded/embedded_account_store.h"

#include <utility>
#include <vector>

#include "sqlite_database.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/index/org_directory_codec.h"

namespace tollgate::storage {
namespace {

absl::Status NoSuchOrg(const std::string& org) {
  return absl::NotFoundError(Concat("org ", org, " does not exist"));
}

// Makes `key_hashes` the API keys of `org`. AlreadyExists when another org holds one.
absl::Status WriteKeyHashes(SqliteSession& session, const std::string& org,
                            const std::vector<std::string>& key_hashes) {
  absl::StatusOr<SqliteStatement> remove = session.Prepare("DELETE FROM api_keys WHERE org = ?1");
  if (!remove.ok()) return remove.status();
  remove->Bind(1, org);
  if (absl::Status removed = remove->Run(); !removed.ok()) return removed;
  absl::StatusOr<SqliteStatement> insert =
      session.Prepare("INSERT INTO api_keys (key_hash, org) VALUES (?1, ?2)");
  if (!insert.ok()) return insert.status();
  for (const std::string& key_hash : key_hashes) {
    insert->Bind(1, key_hash);
    insert->Bind(2, org);
    absl::Status inserted = insert->Run();
    if (absl::IsAlreadyExists(inserted)) {
      return absl::AlreadyExistsError(
          Concat("an API key of org ", org, " belongs to an account of another org"));
    }
    if (!inserted.ok()) return inserted;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<EmbeddedAccountStore>> EmbeddedAccountStore::Load(
    std::shared_ptr<SqliteDatabase> db) {
  std::unique_ptr<EmbeddedAccountStore> store(new EmbeddedAccountStore(db));
  std::vector<DirectoryPtr> directories;
  absl::Status status = db->Read([&directories](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> select =
        session.Prepare("SELECT org, revision, json FROM org_directories");
    if (!select.ok()) return select.status();
    for (;;) {
      absl::StatusOr<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      absl::StatusOr<policy::OrgDirectory> directory =
          DecodeDirectory(select->ColumnText(0), static_cast<uint64_t>(select->ColumnInt(1)),
                          select->ColumnText(2));
      if (!directory.ok()) return directory.status();
      directories.push_back(std::make_shared<const policy::OrgDirectory>(*std::move(directory)));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  store->index_.ReplaceAll(directories);
  return store;
}

absl::Status EmbeddedAccountStore::CreateOrg(const std::string& org, absl::Time now) {
  policy::OrgDirectory empty;
  empty.org = org;
  empty.created_at = now;
  absl::StatusOr<StoredDirectory> stored = PrepareDirectory(empty, kFirstDirectoryRevision);
  if (!stored.ok()) return stored.status();
  std::lock_guard write_lock(write_mu_);
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> insert =
        session.Prepare("INSERT INTO orgs (name, created_at) VALUES (?1, ?2)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, org);
    insert->Bind(2, now);
    if (absl::Status inserted = insert->Run(); !inserted.ok()) return inserted;
    absl::StatusOr<SqliteStatement> directory =
        session.Prepare("INSERT INTO org_directories (org, revision, json) VALUES (?1, ?2, ?3)");
    if (!directory.ok()) return directory.status();
    directory->Bind(1, org);
    directory->Bind(2, static_cast<int64_t>(kFirstDirectoryRevision));
    directory->Bind(3, stored->json);
    return directory->Run();
  });
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(Concat("org ", org, " already exists"));
  }
  if (!status.ok()) return status;
  index_.Put(std::move(stored->copy));
  return absl::OkStatus();
}

bool EmbeddedAccountStore::AnyOrgExists() const { return !index_.Empty(); }

DirectoryPtr EmbeddedAccountStore::Directory(const std::string& org) const {
  return index_.Get(org);
}

absl::Status EmbeddedAccountStore::ReplaceDirectory(const policy::OrgDirectory& directory) {
  const std::string& org = directory.org;
  absl::StatusOr<StoredDirectory> stored = PrepareDirectory(directory, directory.revision + 1);
  if (!stored.ok()) return stored.status();
  std::lock_guard write_lock(write_mu_);
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> update = session.Prepare(
        "UPDATE org_directories SET revision = revision + 1, json = ?3 "
        "WHERE org = ?1 AND revision = ?2");
    if (!update.ok()) return update.status();
    update->Bind(1, org);
    update->Bind(2, static_cast<int64_t>(directory.revision));
    update->Bind(3, stored->json);
    if (absl::Status updated = update->Run(); !updated.ok()) return updated;
    if (session.changes() == 0) {
      absl::StatusOr<SqliteStatement> exists =
          session.Prepare("SELECT 1 FROM org_directories WHERE org = ?1");
      if (!exists.ok()) return exists.status();
      exists->Bind(1, org);
      absl::StatusOr<bool> found = exists->Step();
      if (!found.ok()) return found.status();
      if (!*found) return NoSuchOrg(org);
      return absl::AbortedError(Concat("the directory of org ", org, " changed since revision ",
                                       directory.revision, "; read it again"));
    }
    return WriteKeyHashes(session, org, stored->key_hashes);
  });
  if (!status.ok()) return status;
  index_.Put(std::move(stored->copy));
  return absl::OkStatus();
}

std::optional<policy::Principal> EmbeddedAccountStore::FindByKeyHash(
    const std::string& key_hash) const {
  return index_.FindByKeyHash(key_hash);
}

}  // namespace tollgate::storage
