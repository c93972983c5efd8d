// AuditLog on the embedded SQLite database. Nothing is kept in memory: only the admin API
// reads it, a page at a time.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "tollgate/storage/audit_log.h"

namespace tollgate::storage {

class SqliteDatabase;

class EmbeddedAuditLog final : public AuditLog {
 public:
  explicit EmbeddedAuditLog(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  absl::Status Append(const AuditEntry& entry) override;
  absl::StatusOr<AuditPage> List(const std::string& org, int64_t offset,
                                 int64_t limit) const override;

 private:
  const std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace tollgate::storage
