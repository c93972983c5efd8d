// A repository's signing key as the views' signer (formats::ViewSigner): what signs apt's
// InRelease and Release.gpg and answers key.asc.
#pragma once

#include <string>
#include <string_view>

#include "tollgate/formats/package_view.h"
#include "tollgate/storage/signing_key_store.h"

namespace tollgate::storage {

// Thread-safe and immutable. Each signature costs what openpgp_key.h says (under 1 ms with an
// Ed25519 key, about 150 ms with RSA-3072): run it where that may take its time.
class RepositorySigner final : public formats::ViewSigner {
 public:
  explicit RepositorySigner(SigningKeyMaterial key) : key_(std::move(key)) {}

  // Internal when the stored key cannot sign (openpgp_key.h).
  absl::StatusOr<std::string> ClearSign(std::string_view text) const override;
  absl::StatusOr<std::string> DetachSign(std::string_view text) const override;
  absl::StatusOr<std::string> PublicKey() const override { return key_.public_key; }

  // The primary key's fingerprint: what tells documents signed by two keys apart.
  const std::string& fingerprint() const { return key_.fingerprint; }

 private:
  const SigningKeyMaterial key_;
};

}  // namespace tollgate::storage
