// Repositories' OpenPGP signing keys (SPEC §7: apt's Release files are signed with them).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tollgate::storage {

// One repository's signing key. `secret_key` is the one secret here: it never leaves the
// process through the API, a log line, an audit entry or an error message.
struct SigningKeyMaterial {
  std::string public_key;   // armored transferable public key (what apt's signed-by reads)
  std::string secret_key;   // armored transferable secret key, without a passphrase
  std::string fingerprint;  // of the primary key: 40 uppercase hex digits
};

// Reads and writes go to the store itself (SQLite, or one Redis round trip): no instance
// keeps a copy, so a replaced key is what every instance signs with from the next call on.
// Callers on an event loop should not call these per request without a cache of their own.
class SigningKeyStore {
 public:
  virtual ~SigningKeyStore() = default;

  // NotFound when org/repo has no key (or does not exist); Unavailable when the store
  // cannot be read.
  virtual absl::StatusOr<SigningKeyMaterial> Get(const std::string& org,
                                                 const std::string& repo) const = 0;
  // Sets or replaces the key of org/repo. NotFound when the repository does not exist;
  // Unavailable when the store did not confirm the write.
  virtual absl::Status Put(const std::string& org, const std::string& repo,
                           const SigningKeyMaterial& material) = 0;
  // Stores `material` only when org/repo has no key yet, atomically, and answers the key
  // the repository holds afterwards: `material`, or the one another writer stored first.
  // Errors as Put.
  virtual absl::StatusOr<SigningKeyMaterial> PutIfAbsent(const std::string& org,
                                                         const std::string& repo,
                                                         const SigningKeyMaterial& material) = 0;
};

}  // namespace tollgate::storage
