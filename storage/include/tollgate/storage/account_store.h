// Orgs and their directories of accounts (policy/org_directory.h). API keys are stored only as
// hashes; every lookup is served from memory.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tollgate/policy/org_directory.h"

namespace tollgate::storage {

using DirectoryPtr = std::shared_ptr<const policy::OrgDirectory>;

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Creates org `org` with an empty directory. AlreadyExists if it does; Unavailable when the
  // store cannot be written.
  virtual absl::Status CreateOrg(const std::string& org, absl::Time now) = 0;
  // True when at least one org exists: the bootstrap test of SPEC §6.
  virtual bool AnyOrgExists() const = 0;

  // This instance's copy of `org`'s directory, or nullptr when there is no such org. Reads no
  // disk; the copy is immutable and carries the revision it was read at.
  virtual DirectoryPtr Directory(const std::string& org) const = 0;

  // Makes `directory` the directory of `directory.org` when the stored one is still at
  // `directory.revision`; the stored copy then has revision + 1, and every instance sees it
  // (on Redis, within the change channel's delay). NotFound when the org does not exist,
  // Aborted when the directory changed since it was read (read it again and retry),
  // AlreadyExists when one of its key hashes belongs to an account of another org (or to two
  // of its own accounts), Unavailable when the store cannot be written. Accounts with an
  // empty key hash have no key.
  virtual absl::Status ReplaceDirectory(const policy::OrgDirectory& directory) = 0;

  // The user or service whose API key hashes to `key_hash`, with its current org role, or
  // nullopt. Reads no disk.
  virtual std::optional<policy::Principal> FindByKeyHash(const std::string& key_hash) const = 0;
};

}  // namespace tollgate::storage
