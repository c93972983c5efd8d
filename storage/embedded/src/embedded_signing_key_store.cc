// SigningKeyStore on SQLite: the signing_keys table, keyed by org and repository, whose
// rows go with their repository (foreign key; EmbeddedRepositoryStore::Delete removes them).
#include "tollgate/storage/embedded/embedded_signing_key_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "sqlite_database.h"

namespace tollgate::storage {
namespace {

// The insert both writes share; what happens when the row exists is appended.
constexpr char kInsert[] =
    "INSERT INTO signing_keys (org, repo, public_key, secret_key, fingerprint) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (org, repo) DO ";

absl::Status NoSuchRepository(const std::string& org, const std::string& repo) {
  return absl::NotFoundError(absl::StrCat("repository ", org, "/", repo, " does not exist"));
}

absl::Status Insert(SqliteSession& session, const std::string& on_conflict, const std::string& org,
                    const std::string& repo, const SigningKeyMaterial& material) {
  absl::StatusOr<SqliteStatement> insert = session.Prepare(absl::StrCat(kInsert, on_conflict));
  if (!insert.ok()) return insert.status();
  insert->Bind(1, org);
  insert->Bind(2, repo);
  insert->Bind(3, material.public_key);
  insert->Bind(4, material.secret_key);
  insert->Bind(5, material.fingerprint);
  absl::Status status = insert->Run();
  // The foreign key names the missing parent: the repository.
  if (absl::IsNotFound(status)) return NoSuchRepository(org, repo);
  return status;
}

absl::StatusOr<SigningKeyMaterial> Select(SqliteSession& session, const std::string& org,
                                          const std::string& repo) {
  absl::StatusOr<SqliteStatement> select = session.Prepare(
      "SELECT public_key, secret_key, fingerprint FROM signing_keys WHERE org = ?1 AND repo = ?2");
  if (!select.ok()) return select.status();
  select->Bind(1, org);
  select->Bind(2, repo);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return absl::NotFoundError(absl::StrCat("repository ", org, "/", repo, " has no signing key"));
  return SigningKeyMaterial{select->ColumnText(0), select->ColumnText(1), select->ColumnText(2)};
}

}  // namespace

absl::StatusOr<SigningKeyMaterial> EmbeddedSigningKeyStore::Get(const std::string& org,
                                                                const std::string& repo) const {
  absl::StatusOr<SigningKeyMaterial> material;
  absl::Status status = db_->Read([&](SqliteSession& session) -> absl::Status {
    material = Select(session, org, repo);
    return material.status();
  });
  if (!status.ok()) return status;
  return material;
}

absl::Status EmbeddedSigningKeyStore::Put(const std::string& org, const std::string& repo,
                                          const SigningKeyMaterial& material) {
  return db_->Write([&](SqliteSession& session) {
    return Insert(session,
                  "UPDATE SET public_key = excluded.public_key, secret_key = excluded.secret_key, "
                  "fingerprint = excluded.fingerprint",
                  org, repo, material);
  });
}

absl::StatusOr<SigningKeyMaterial> EmbeddedSigningKeyStore::PutIfAbsent(
    const std::string& org, const std::string& repo, const SigningKeyMaterial& material) {
  absl::StatusOr<SigningKeyMaterial> stored;
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    if (absl::Status s = Insert(session, "NOTHING", org, repo, material); !s.ok()) return s;
    stored = Select(session, org, repo);
    return stored.status();
  });
  if (!status.ok()) return status;
  return stored;
}

}  // namespace tollgate::storage
