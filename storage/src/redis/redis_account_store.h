// AccountStore on Redis, answering reads from every instance's in-memory replica.
#pragma once

#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "redis_script.h"
#include "redis_store_context.h"
#include "tollgate/storage/account_store.h"

namespace tollgate::storage {

class RedisAccountStore final : public AccountStore {
 public:
  explicit RedisAccountStore(RedisStoreContext& context);

  // Writes go to Redis first (atomically, with a change message), then to the replica;
  // Unavailable or DeadlineExceeded when Redis did not confirm the write.
  absl::Status CreateOrg(const std::string& org, absl::Time now) override;
  // Reads come from the replica only.
  bool OrgExists(const std::string& org) const override;
  bool AnyOrgExists() const override;
  absl::Status CreateUser(const Account& account, const std::string& key_hash) override;
  std::optional<Account> FindByKeyHash(const std::string& key_hash) const override;

  // Keeping the replica; callers hold the context's replica_mu().

  struct Snapshot {
    std::vector<std::string> orgs;
    std::vector<std::pair<std::string, Account>> users;  // key hash, account
  };
  // Reads every org and user from Redis. A user that does not decode is DataLoss when
  // `strict`, and skipped otherwise.
  absl::StatusOr<Snapshot> Fetch(bool strict);
  void Reset(const Snapshot& snapshot);
  // Re-read one org or user after a change message: one that is gone, or does not decode,
  // leaves the replica. Unavailable/DeadlineExceeded/Internal when Redis could not be read.
  absl::Status RefreshOrg(const std::string& org);
  absl::Status RefreshUser(const std::string& org, const std::string& name);

 private:
  using UserName = std::pair<std::string, std::string>;  // org, name

  // Need mu_ held exclusively.
  void PutUserLocked(const std::string& key_hash, const Account& account);
  void EraseUserLocked(const UserName& user);

  RedisStoreContext& context_;
  // Guards the indexes below; held only for memory reads and updates, never across Redis.
  mutable std::shared_mutex mu_;
  absl::flat_hash_set<std::string> orgs_;
  absl::flat_hash_map<std::string, Account> by_key_hash_;
  // Each user's key hash, so that the old one goes when the user changes elsewhere.
  absl::flat_hash_map<UserName, std::string> key_hash_of_;
  const RedisScript create_org_script_;
  const RedisScript create_user_script_;
};

}  // namespace tollgate::storage
