// The JSON document an org's directory is stored as, the same on both stores. The org's name
// and the directory's revision are kept beside the document, not in it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tollgate/policy/org_directory.h"
#include "tollgate/storage/account_store.h"

namespace tollgate::storage {

// A new org's directory starts at this revision, so that a directory built from scratch
// (revision 0) can never replace a stored one by accident.
inline constexpr uint64_t kFirstDirectoryRevision = 1;

// `directory` as compact JSON: created_at, max_active_entitlements (null: unlimited), members,
// services, teams and grants, with names spelled as policy/org_directory.h spells them and
// times in microseconds since the Unix epoch. org and revision are left out.
std::string EncodeDirectory(const policy::OrgDirectory& directory);

// The directory of `org` at `revision` that `json` holds. DataLoss naming the org and the
// first bad field (e.g. "members[1].role") when the document is not JSON, lacks a field or
// holds a value this version does not know. Fields it does not know are ignored.
absl::StatusOr<policy::OrgDirectory> DecodeDirectory(const std::string& org, uint64_t revision,
                                                     std::string_view json);

// What a store writes for `directory` to become revision `revision`.
struct StoredDirectory {
  std::string json;
  std::vector<std::string> key_hashes;  // of its members and services, empty ones left out
  DirectoryPtr copy;  // as every reader will decode it from the store, to the microsecond
};
// AlreadyExists when two accounts of `directory` share a key hash.
absl::StatusOr<StoredDirectory> PrepareDirectory(const policy::OrgDirectory& directory,
                                                 uint64_t revision);

}  // namespace tollgate::storage
