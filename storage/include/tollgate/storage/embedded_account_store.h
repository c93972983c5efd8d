// AccountStore on the embedded SQLite database, with every account indexed in memory.
#pragma once

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "tollgate/storage/account_store.h"

namespace tollgate::storage {

class SqliteDatabase;

class EmbeddedAccountStore final : public AccountStore {
 public:
  // Reads every org and user of `db` into memory. Unavailable when the database cannot be
  // read; DataLoss when a row holds a value this version does not know.
  static absl::StatusOr<std::unique_ptr<EmbeddedAccountStore>> Load(
      std::shared_ptr<SqliteDatabase> db);

  absl::Status CreateOrg(const std::string& org, absl::Time now) override;
  bool OrgExists(const std::string& org) const override;
  bool AnyOrgExists() const override;
  absl::Status CreateUser(const Account& account, const std::string& key_hash) override;
  std::optional<Account> FindByKeyHash(const std::string& key_hash) const override;

 private:
  explicit EmbeddedAccountStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  const std::shared_ptr<SqliteDatabase> db_;
  // Guards the two indexes below; held only in memory, never across SQLite. Writers need no
  // lock of their own (unlike the other stores): accounts are only ever added, and additions
  // commute.
  mutable std::shared_mutex mu_;
  absl::flat_hash_set<std::string> orgs_;
  absl::flat_hash_map<std::string, Account> by_key_hash_;
};

}  // namespace tollgate::storage
