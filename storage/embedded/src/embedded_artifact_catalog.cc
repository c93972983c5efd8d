// ArtifactCatalog on SQLite: one row per uploaded file, keyed by org, repo and path.
#include "tollgate/storage/embedded/embedded_artifact_catalog.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "sqlite_database.h"

namespace tollgate::storage {
namespace {

constexpr char kSelect[] =
    "SELECT org, repo, path, size, sha256, uploader, uploaded_at, sha1, sha512, metadata "
    "FROM artifacts "
    "WHERE org = ?1 AND repo = ?2";

ArtifactRecord ReadRow(const SqliteStatement& row) {
  ArtifactRecord record;
  record.org = row.ColumnText(0);
  record.repo = row.ColumnText(1);
  record.path = row.ColumnText(2);
  record.size = static_cast<uint64_t>(row.ColumnInt(3));
  record.sha256 = row.ColumnText(4);
  record.uploader = row.ColumnOptionalText(5);
  record.uploaded_at = row.ColumnTime(6);
  record.sha1 = row.ColumnText(7);
  record.sha512 = row.ColumnText(8);
  record.metadata = row.ColumnText(9);
  return record;
}

}  // namespace

absl::Status EmbeddedArtifactCatalog::Put(const ArtifactRecord& record) { return PutAll({record}); }

absl::Status EmbeddedArtifactCatalog::PutAll(const std::vector<ArtifactRecord>& records) {
  if (records.empty()) return absl::OkStatus();
  const ArtifactRecord* failed = nullptr;
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> upsert = session.Prepare(
        "INSERT INTO artifacts (org, repo, path, size, sha256, uploader, uploaded_at, sha1, "
        "sha512, metadata) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
        "ON CONFLICT (org, repo, path) DO UPDATE SET size = excluded.size, "
        "sha256 = excluded.sha256, uploader = excluded.uploader, "
        "uploaded_at = excluded.uploaded_at, sha1 = excluded.sha1, sha512 = excluded.sha512, "
        "metadata = excluded.metadata");
    if (!upsert.ok()) return upsert.status();
    for (const ArtifactRecord& record : records) {
      upsert->Bind(1, record.org);
      upsert->Bind(2, record.repo);
      upsert->Bind(3, record.path);
      upsert->Bind(4, static_cast<int64_t>(record.size));
      upsert->Bind(5, record.sha256);
      upsert->Bind(6, record.uploader);
      upsert->Bind(7, record.uploaded_at);
      upsert->Bind(8, record.sha1);
      upsert->Bind(9, record.sha512);
      upsert->Bind(10, record.metadata);
      if (absl::Status run = upsert->Run(); !run.ok()) {
        failed = &record;
        return run;
      }
    }
    return absl::OkStatus();
  });
  if (status.ok()) {
    for (const ArtifactRecord& record : records) Advance(record.org, record.repo);
  }
  if (absl::IsNotFound(status) && failed != nullptr) {
    return absl::NotFoundError(
        absl::StrCat("repository ", failed->org, "/", failed->repo, " does not exist"));
  }
  return status;
}

absl::Status EmbeddedArtifactCatalog::Remove(const std::string& org, const std::string& repo,
                                             const std::string& path) {
  absl::Status status = db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> remove =
        session.Prepare("DELETE FROM artifacts WHERE org = ?1 AND repo = ?2 AND path = ?3");
    if (!remove.ok()) return remove.status();
    remove->Bind(1, org);
    remove->Bind(2, repo);
    remove->Bind(3, path);
    absl::Status removed = remove->Run();
    if (!removed.ok()) return removed;
    if (session.changes() == 0) {
      return absl::NotFoundError(
          absl::StrCat("no artifact record for ", org, "/", repo, "/", path));
    }
    return absl::OkStatus();
  });
  if (status.ok()) Advance(org, repo);
  return status;
}

std::optional<ArtifactRecord> EmbeddedArtifactCatalog::Get(const std::string& org,
                                                           const std::string& repo,
                                                           const std::string& path) const {
  std::optional<ArtifactRecord> record;
  absl::Status status = db_->Read([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> select =
        session.Prepare(absl::StrCat(kSelect, " AND path = ?3"));
    if (!select.ok()) return select.status();
    select->Bind(1, org);
    select->Bind(2, repo);
    select->Bind(3, path);
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (*row) record = ReadRow(*select);
    return absl::OkStatus();
  });
  // The interface has no error channel here, and a failed read never filled `record`.
  status.IgnoreError();
  return record;
}

std::vector<ArtifactRecord> EmbeddedArtifactCatalog::List(const std::string& org,
                                                          const std::string& repo) const {
  std::vector<ArtifactRecord> records;
  absl::Status status = db_->Read([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> select =
        session.Prepare(absl::StrCat(kSelect, " ORDER BY path"));
    if (!select.ok()) return select.status();
    select->Bind(1, org);
    select->Bind(2, repo);
    for (;;) {
      absl::StatusOr<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      records.push_back(ReadRow(*select));
    }
  });
  // The interface has no error channel here: a half-read list would mislead, so return none.
  if (!status.ok()) records.clear();
  return records;
}

absl::StatusOr<uint64_t> EmbeddedArtifactCatalog::Generation(const std::string& org,
                                                             const std::string& repo) const {
  std::lock_guard lock(generations_mu_);
  const auto it = generations_.find(absl::StrCat(org, "/", repo));
  return it == generations_.end() ? 0 : it->second;
}

void EmbeddedArtifactCatalog::Advance(const std::string& org, const std::string& repo) {
  std::lock_guard lock(generations_mu_);
  generations_[absl::StrCat(org, "/", repo)] = ++last_generation_;
}

}  // namespace tollgate::storage
