// A repository's signing key, made on first need: repositories created before tollgate kept
// signing keys have none until something (the apt view) asks.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollgate/storage/signing_key_store.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {

// The user id of the keys tollgate makes: "tollgate ORG/REPO <noreply@tollgate.invalid>"
// (.invalid: the address can never reach anyone).
std::string SigningKeyUserId(std::string_view org, std::string_view repo);

// The signing key of `org`/`repo`; when it has none, a new one (GenerateSigningKey) stored
// with PutIfAbsent. Idempotent under concurrency, also across instances on one Redis: every
// caller answers the key that was stored first. NotFound when the repository does not
// exist; Unavailable when the store cannot be reached; Internal when no key can be made.
// Blocks on the store (a SQLite read or a Redis round trip; the first time also about a
// millisecond of key generation): not for an event loop's hot path without a cache.
absl::StatusOr<SigningKeyMaterial> EnsureSigningKey(const Stores& stores, const std::string& org,
                                                    const std::string& repo);

}  // namespace tollgate::storage
