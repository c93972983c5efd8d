// AuditLog on Redis: one list per org, newest entry first. Like the artifact catalog it keeps
// no replica: only the admin API reads it, a page at a time.
#pragma once

#include <string>

#include "redis_script.h"
#include "redis_store_context.h"
#include "tollgate/storage/audit_log.h"

namespace tollgate::storage {

// Entries are kept for as long as Redis keeps its data: there is no cap on a list's length.
class RedisAuditLog final : public AuditLog {
 public:
  explicit RedisAuditLog(RedisStoreContext& context);

  // Unavailable or DeadlineExceeded when Redis did not confirm the write (it may still have
  // happened).
  absl::Status Append(const AuditEntry& entry) override;
  // Reads Redis: the page and the total come from one transaction. DataLoss when an entry
  // of the page does not decode.
  absl::StatusOr<AuditPage> List(const std::string& org, int64_t offset,
                                 int64_t limit) const override;

 private:
  RedisStoreContext& context_;
  const RedisScript append_script_;
};

}  // namespace tollgate::storage
