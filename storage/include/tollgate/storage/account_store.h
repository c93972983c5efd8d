// Orgs and the accounts that call the admin API. Keys are stored only as hashes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tollgate::storage {

enum class OrgRole { kOwner, kManager, kMember };

// The role's name as the API and both stores spell it: "owner", "manager" or "member".
std::string_view OrgRoleName(OrgRole role);
// The role named exactly `name` (lowercase, as OrgRoleName spells it), or nullopt.
std::optional<OrgRole> ParseOrgRole(std::string_view name);

struct Account {
  std::string org;
  std::string name;
  OrgRole role = OrgRole::kMember;
  absl::Time created_at;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Creates org `org`. AlreadyExists if it does; Unavailable when the store cannot be written.
  virtual absl::Status CreateOrg(const std::string& org, absl::Time now) = 0;
  virtual bool OrgExists(const std::string& org) const = 0;
  // True when at least one org exists: the bootstrap test of SPEC §6.
  virtual bool AnyOrgExists() const = 0;

  // Adds user `account` whose API key hashes to `key_hash`. AlreadyExists, NotFound (org).
  virtual absl::Status CreateUser(const Account& account, const std::string& key_hash) = 0;
  // The account whose API key hashes to `key_hash`, or nullopt. Reads no disk.
  virtual std::optional<Account> FindByKeyHash(const std::string& key_hash) const = 0;
};

}  // namespace tollgate::storage
