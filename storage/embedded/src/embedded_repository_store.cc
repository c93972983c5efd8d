// RepositoryStore on SQLite: rows are written durably first, then mirrored in memory.
#include "tollgate/storage/embedded/embedded_repository_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "sqlite_database.h"

namespace tollgate::storage {
namespace {

std::string_view TypeName(RepositoryType type) {
  return type == RepositoryType::kPublic ? "public" : "private";
}

std::optional<RepositoryType> ParseType(std::string_view name) {
  if (name == "public") return RepositoryType::kPublic;
  if (name == "private") return RepositoryType::kPrivate;
  return std::nullopt;
}

absl::Status NoSuchRepository(const std::string& org, const std::string& slug) {
  return absl::NotFoundError(absl::StrCat("repository ", org, "/", slug, " does not exist"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<EmbeddedRepositoryStore>> EmbeddedRepositoryStore::Load(
    std::shared_ptr<SqliteDatabase> db, std::shared_ptr<EmbeddedEntitlementStore> entitlements) {
  std::unique_ptr<EmbeddedRepositoryStore> store(
      new EmbeddedRepositoryStore(db, std::move(entitlements)));
  // Not shared yet, so filling the indexes needs no lock.
  absl::Status status = db->Read([&store](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> select = session.Prepare(
        "SELECT org, slug, name, repository_type, storage_json, created_at FROM repositories");
    if (!select.ok()) return select.status();
    for (;;) {
      absl::StatusOr<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Repository repository;
      repository.org = select->ColumnText(0);
      repository.slug = select->ColumnText(1);
      repository.name = select->ColumnText(2);
      const std::string type = select->ColumnText(3);
      std::optional<RepositoryType> parsed = ParseType(type);
      if (!parsed) {
        return absl::DataLossError(absl::StrCat("repository ", repository.org, "/", repository.slug,
                                                " has unknown type \"", type, "\""));
      }
      repository.type = *parsed;
      repository.storage_json = select->ColumnText(4);
      repository.created_at = select->ColumnTime(5);
      store->index_.Put(std::move(repository));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return store;
}

absl::Status EmbeddedRepositoryStore::Create(const Repository& repository) {
  std::lock_guard write_lock(write_mu_);
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> insert = session.Prepare(
        "INSERT INTO repositories (org, slug, name, repository_type, storage_json, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, repository.org);
    insert->Bind(2, repository.slug);
    insert->Bind(3, repository.name);
    insert->Bind(4, TypeName(repository.type));
    insert->Bind(5, repository.storage_json);
    insert->Bind(6, repository.created_at);
    return insert->Run();
  });
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(
        absl::StrCat("repository ", repository.org, "/", repository.slug, " already exists"));
  }
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(absl::StrCat("org ", repository.org, " does not exist"));
  }
  if (!status.ok()) return status;
  index_.Put(repository);
  return absl::OkStatus();
}

absl::Status EmbeddedRepositoryStore::Update(const Repository& repository) {
  std::lock_guard write_lock(write_mu_);
  const RepositoryPtr stored = Get(repository.org, repository.slug);
  if (stored == nullptr) return NoSuchRepository(repository.org, repository.slug);
  Repository updated = *stored;
  updated.name = repository.name;
  updated.type = repository.type;
  updated.storage_json = repository.storage_json;
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> update = session.Prepare(
        "UPDATE repositories SET name = ?3, repository_type = ?4, storage_json = ?5 "
        "WHERE org = ?1 AND slug = ?2");
    if (!update.ok()) return update.status();
    update->Bind(1, updated.org);
    update->Bind(2, updated.slug);
    update->Bind(3, updated.name);
    update->Bind(4, TypeName(updated.type));
    update->Bind(5, updated.storage_json);
    return update->Run();
  });
  if (!status.ok()) return status;
  index_.Put(std::move(updated));
  return absl::OkStatus();
}

absl::Status EmbeddedRepositoryStore::Delete(const std::string& org, const std::string& slug) {
  std::lock_guard write_lock(write_mu_);
  if (!Get(org, slug)) return NoSuchRepository(org, slug);
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    // Children first: the foreign keys refuse to orphan them.
    for (const char* sql : {"DELETE FROM entitlements WHERE org = ?1 AND repo = ?2",
                            "DELETE FROM artifacts WHERE org = ?1 AND repo = ?2",
                            "DELETE FROM signing_keys WHERE org = ?1 AND repo = ?2",
                            "DELETE FROM repositories WHERE org = ?1 AND slug = ?2"}) {
      absl::StatusOr<SqliteStatement> remove = session.Prepare(sql);
      if (!remove.ok()) return remove.status();
      remove->Bind(1, org);
      remove->Bind(2, slug);
      absl::Status removed = remove->Run();
      if (!removed.ok()) return removed;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  index_.Remove(org, slug);
  entitlements_->ForgetRepository(org, slug);
  return absl::OkStatus();
}

RepositoryPtr EmbeddedRepositoryStore::Get(const std::string& org, const std::string& slug) const {
  return index_.Get(org, slug);
}

std::vector<Repository> EmbeddedRepositoryStore::List(const std::string& org) const {
  return index_.List(org);
}

}  // namespace tollgate::storage
