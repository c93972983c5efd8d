// The audit log of admin changes (SPEC §3 `/api/v1/audit-log/{org}/`): who changed what,
// when, from where. Entries are appended, never edited; no entry ever holds a secret.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tollgate::storage {

struct AuditEntry {
  int64_t id = 0;  // assigned by the store: increasing within the org
  std::string org;
  absl::Time at;
  std::string actor_kind;  // "user" or "service"
  std::string actor;       // the account's name or slug
  std::string client_address;
  std::string action;               // e.g. "service.create", "entitlement.update"
  std::string target;               // what changed, e.g. "acme/agents/ent_3k9…"
  std::string details_json = "{}";  // a JSON object: before/after of changed fields
};

struct AuditPage {
  std::vector<AuditEntry> entries;  // newest first
  int64_t total = 0;                // entries of the org in all
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // Appends `entry` (its id is assigned here). Unavailable when the store cannot be written.
  virtual absl::Status Append(const AuditEntry& entry) = 0;
  // Entries of `org`, newest first, skipping `offset` and returning at most `limit`.
  // InvalidArgument when `offset` or `limit` is negative; Unavailable when the store cannot
  // be read.
  virtual absl::StatusOr<AuditPage> List(const std::string& org, int64_t offset,
                                         int64_t limit) const = 0;
};

}  // namespace tollgate::storage
