// SigningKeyStore on the embedded SQLite database: one row per repository, read from the
// database on every call (nothing secret is kept in memory between calls).
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "tollgate/storage/signing_key_store.h"

namespace tollgate::storage {

class SqliteDatabase;

class EmbeddedSigningKeyStore final : public SigningKeyStore {
 public:
  explicit EmbeddedSigningKeyStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  absl::StatusOr<SigningKeyMaterial> Get(const std::string& org,
                                         const std::string& repo) const override;
  absl::Status Put(const std::string& org, const std::string& repo,
                   const SigningKeyMaterial& material) override;
  // One transaction: the insert that yields to an existing row, and the read of the row.
  absl::StatusOr<SigningKeyMaterial> PutIfAbsent(const std::string& org, const std::string& repo,
                                                 const SigningKeyMaterial& material) override;

 private:
  const std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace tollgate::storage
