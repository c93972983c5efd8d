// AccountStore on Redis, answering reads from every instance's in-memory replica.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "redis_script.h"
#include "redis_store_context.h"
#include "tollgate/storage/account_store.h"
#include "tollgate/storage/index/directory_index.h"

namespace tollgate::storage {

class RedisAccountStore final : public AccountStore {
 public:
  explicit RedisAccountStore(RedisStoreContext& context);

  // Writes go to Redis first (atomically, with a change message), then to the replica;
  // Unavailable or DeadlineExceeded when Redis did not confirm the write (it may still have
  // happened).
  absl::Status CreateOrg(const std::string& org, absl::Time now) override;
  // When Aborted, the replica holds the directory Redis has, so a retry can read it at once.
  absl::Status ReplaceDirectory(const policy::OrgDirectory& directory) override;
  // Reads come from the replica only.
  bool AnyOrgExists() const override;
  DirectoryPtr Directory(const std::string& org) const override;
  std::optional<policy::Principal> FindByKeyHash(const std::string& key_hash) const override;

  // Keeping the replica; callers hold the context's replica_mu().

  // Turns the users of earlier versions into the directory of each org that has none yet,
  // and deletes them. DataLoss when a user does not decode; errors as Fetch otherwise.
  absl::Status ConvertLegacyUsers();

  struct Snapshot {
    std::vector<std::string> orgs;
    std::vector<DirectoryPtr> directories;
  };
  // Reads every org and its directory from Redis. A directory that does not decode is
  // DataLoss when `strict`, and left out (its keys stop working) otherwise.
  absl::StatusOr<Snapshot> Fetch(bool strict);
  void Reset(const Snapshot& snapshot) { index_.ReplaceAll(snapshot.directories); }
  // Re-reads `org`'s directory after a change message: one that is gone, or does not decode,
  // leaves the replica. Unavailable/DeadlineExceeded/Internal when Redis could not be read,
  // leaving the replica as it was.
  absl::Status Refresh(const std::string& org);

 private:
  // Converts the users of `org`, created at `created_at`, when it has no directory yet.
  absl::Status ConvertLegacyOrg(const std::string& org, absl::Time created_at);

  RedisStoreContext& context_;
  DirectoryIndex index_;
  const RedisScript create_org_script_;
  const RedisScript replace_script_;
  const RedisScript convert_script_;
};

}  // namespace tollgate::storage
