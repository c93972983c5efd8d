// Repository signing keys with RNP, entirely in memory (no keyring file, home folder, agent
// or temporary file): making one, checking an uploaded one, and the two signatures apt
// reads, InRelease (clearsigned) and Release.gpg (detached).
//
// Thread-safe: every call builds its own RNP context and shares nothing with another call.
// The price: RNP checks a secret key's material before its first signature in a context, so
// a signature with an Ed25519 key takes under a millisecond and one with an RSA-3072 key
// about 150 ms (primality tests), measured on the 2-core test machine; callers that sign the
// same text often keep the result. Error messages never hold key material.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollgate/storage/signing_key_store.h"

namespace tollgate::storage {

// The largest secret key ImportSigningKey reads. An armored RSA-4096 key with an encryption
// subkey is about 7 KiB: the bound leaves room for more subkeys and user ids, and bounds what
// parsing a hostile upload costs.
inline constexpr size_t kMaxImportedKeySize = 64 * 1024;

// A new Ed25519 primary key that certifies and signs (EdDSA, which the gpgv apt runs
// verifies), for `user_id` (such as "tollgate acme/agents <noreply@tollgate.invalid>"): no
// expiry, no passphrase, self-signed with SHA-512. InvalidArgument when `user_id` is empty,
// longer than 1024 bytes or holds a NUL; Internal when RNP fails.
absl::StatusOr<SigningKeyMaterial> GenerateSigningKey(std::string_view user_id);

// Checks an uploaded secret key (armored, or binary) and answers it as stored: the public
// and secret parts exported again by RNP (so nothing but the key's own packets is kept) and
// the primary key's fingerprint. The upload must hold one primary key whose secret parts
// include exactly one usable signing key: present (not a stub), without a passphrase, not
// expired or revoked, RSA of 2048 bits or more, EdDSA or ECDSA (what apt's gpgv verifies).
// The key must sign a test message. InvalidArgument with a sentence saying what is wrong
// otherwise (for an API to prefix with its field name); Internal when RNP fails.
absl::StatusOr<SigningKeyMaterial> ImportSigningKey(std::string_view secret_key);

// `text` clearsigned (RFC 4880 §7, SHA-512), as apt's InRelease. Internal when `key` cannot
// be read or does not sign (a stored key that was damaged).
absl::StatusOr<std::string> ClearSign(const SigningKeyMaterial& key, std::string_view text);

// An armored detached signature of `data` (SHA-512), as apt's Release.gpg. Errors as
// ClearSign.
absl::StatusOr<std::string> DetachSign(const SigningKeyMaterial& key, std::string_view data);

}  // namespace tollgate::storage
