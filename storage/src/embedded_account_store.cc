// AccountStore on SQLite: rows are written durably first, then mirrored in memory.
#include "tollgate/storage/embedded_account_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "sqlite_database.h"

namespace tollgate::storage {

absl::StatusOr<std::unique_ptr<EmbeddedAccountStore>> EmbeddedAccountStore::Load(
    std::shared_ptr<SqliteDatabase> db) {
  std::unique_ptr<EmbeddedAccountStore> store(new EmbeddedAccountStore(db));
  // Not shared yet, so filling the indexes needs no lock.
  absl::Status status = db->Read([&store](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> orgs = session.Prepare("SELECT name FROM orgs");
    if (!orgs.ok()) return orgs.status();
    for (;;) {
      absl::StatusOr<bool> row = orgs->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      store->orgs_.insert(orgs->ColumnText(0));
    }

    absl::StatusOr<SqliteStatement> users =
        session.Prepare("SELECT org, name, role, key_hash, created_at FROM users");
    if (!users.ok()) return users.status();
    for (;;) {
      absl::StatusOr<bool> row = users->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Account account;
      account.org = users->ColumnText(0);
      account.name = users->ColumnText(1);
      const std::string role = users->ColumnText(2);
      std::optional<OrgRole> parsed = ParseOrgRole(role);
      if (!parsed) {
        return absl::DataLossError(absl::StrCat("user ", account.org, "/", account.name,
                                                " has unknown role \"", role, "\""));
      }
      account.role = *parsed;
      account.created_at = users->ColumnTime(4);
      store->by_key_hash_.emplace(users->ColumnText(3), std::move(account));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return store;
}

absl::Status EmbeddedAccountStore::CreateOrg(const std::string& org, absl::Time now) {
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> insert =
        session.Prepare("INSERT INTO orgs (name, created_at) VALUES (?1, ?2)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, org);
    insert->Bind(2, now);
    return insert->Run();
  });
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat("org ", org, " already exists"));
  }
  if (!status.ok()) return status;
  std::lock_guard lock(mu_);
  orgs_.insert(org);
  return absl::OkStatus();
}

bool EmbeddedAccountStore::OrgExists(const std::string& org) const {
  std::shared_lock lock(mu_);
  return orgs_.contains(org);
}

bool EmbeddedAccountStore::AnyOrgExists() const {
  std::shared_lock lock(mu_);
  return !orgs_.empty();
}

absl::Status EmbeddedAccountStore::CreateUser(const Account& account, const std::string& key_hash) {
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> insert = session.Prepare(
        "INSERT INTO users (org, name, role, key_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, account.org);
    insert->Bind(2, account.name);
    insert->Bind(3, OrgRoleName(account.role));
    insert->Bind(4, key_hash);
    insert->Bind(5, account.created_at);
    return insert->Run();
  });
  if (absl::IsAlreadyExists(status)) {
    // Keys are random, so in practice it is the name that collided.
    return absl::AlreadyExistsError(
        absl::StrCat("user ", account.org, "/", account.name, " already exists"));
  }
  if (absl::IsNotFound(status)) {
    return absl::NotFoundError(absl::StrCat("org ", account.org, " does not exist"));
  }
  if (!status.ok()) return status;
  std::lock_guard lock(mu_);
  by_key_hash_.emplace(key_hash, account);
  return absl::OkStatus();
}

std::optional<Account> EmbeddedAccountStore::FindByKeyHash(const std::string& key_hash) const {
  std::shared_lock lock(mu_);
  auto it = by_key_hash_.find(key_hash);
  if (it == by_key_hash_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tollgate::storage
