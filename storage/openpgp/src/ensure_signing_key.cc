// Making a repository's signing key when it has none.
#include "tollgate/storage/openpgp/ensure_signing_key.h"

#include "tollgate/base/concat.h"
#include "tollgate/storage/openpgp/openpgp_key.h"

namespace tollgate::storage {

std::string SigningKeyUserId(std::string_view org, std::string_view repo) {
  return Concat("tollgate ", org, "/", repo, " <noreply@tollgate.invalid>");
}

absl::StatusOr<SigningKeyMaterial> EnsureSigningKey(const Stores& stores, const std::string& org,
                                                    const std::string& repo) {
  absl::StatusOr<SigningKeyMaterial> stored = stores.signing_keys->Get(org, repo);
  if (!absl::IsNotFound(stored.status())) return stored;
  // A key made here for a repository that does not exist is refused by PutIfAbsent: the
  // store, not this instance's copy of the repositories, decides.
  absl::StatusOr<SigningKeyMaterial> made = GenerateSigningKey(SigningKeyUserId(org, repo));
  if (!made.ok()) return made.status();
  return stores.signing_keys->PutIfAbsent(org, repo, *made);
}

}  // namespace tollgate::storage
