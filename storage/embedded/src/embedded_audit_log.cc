// AuditLog on SQLite: one row per entry; its rowid is the entry's id.
#include "tollgate/storage/embedded/embedded_audit_log.h"

#include "sqlite_database.h"

namespace tollgate::storage {

absl::Status EmbeddedAuditLog::Append(const AuditEntry& entry) {
  return db_->Write([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> insert = session.Prepare(
        "INSERT INTO audit_log (org, at, actor_kind, actor, client_address, action, target, "
        "details_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, entry.org);
    insert->Bind(2, entry.at);
    insert->Bind(3, entry.actor_kind);
    insert->Bind(4, entry.actor);
    insert->Bind(5, entry.client_address);
    insert->Bind(6, entry.action);
    insert->Bind(7, entry.target);
    insert->Bind(8, entry.details_json);
    return insert->Run();
  });
}

absl::StatusOr<AuditPage> EmbeddedAuditLog::List(const std::string& org, int64_t offset,
                                                 int64_t limit) const {
  if (offset < 0 || limit < 0) {
    return absl::InvalidArgumentError("audit log offset and limit must not be negative");
  }
  AuditPage page;
  absl::Status status = db_->Read([&](SqliteSession& session) -> absl::Status {
    absl::StatusOr<SqliteStatement> count =
        session.Prepare("SELECT COUNT(*) FROM audit_log WHERE org = ?1");
    if (!count.ok()) return count.status();
    count->Bind(1, org);
    absl::StatusOr<bool> counted = count->Step();
    if (!counted.ok()) return counted.status();
    page.total = *counted ? count->ColumnInt(0) : 0;

    absl::StatusOr<SqliteStatement> select = session.Prepare(
        "SELECT id, at, actor_kind, actor, client_address, action, target, details_json "
        "FROM audit_log WHERE org = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3");
    if (!select.ok()) return select.status();
    select->Bind(1, org);
    select->Bind(2, limit);
    select->Bind(3, offset);
    for (;;) {
      absl::StatusOr<bool> row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      AuditEntry& entry = page.entries.emplace_back();
      entry.id = select->ColumnInt(0);
      entry.org = org;
      entry.at = select->ColumnTime(1);
      entry.actor_kind = select->ColumnText(2);
      entry.actor = select->ColumnText(3);
      entry.client_address = select->ColumnText(4);
      entry.action = select->ColumnText(5);
      entry.target = select->ColumnText(6);
      entry.details_json = select->ColumnText(7);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

}  // namespace tollgate::storage
