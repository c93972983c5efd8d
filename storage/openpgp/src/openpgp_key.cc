// Signing keys with RNP: generation, the checks an uploaded key passes, and signing. A stored
// key goes through the same checks each time it is loaded, so the key that signs is always
// the one the checks chose.
#include "tollgate/storage/openpgp/openpgp_key.h"

#include <utility>
#include <vector>

#include "rnp_handles.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

// Ed25519's own hash, and one every gpgv in use verifies.
constexpr char kHash[] = "SHA512";
constexpr size_t kMaxUserIdLength = 1024;
constexpr uint32_t kMinRsaBits = 2048;
// Exported keys are a few KiB.
constexpr size_t kMaxExportSize = 1024 * 1024;

absl::Status Refused(std::string_view why) { return absl::InvalidArgumentError(std::string(why)); }

// What one key of an upload is, for the choice of its signing key.
struct KeyFacts {
  bool has_secret = false;
  bool signs = false;
  bool is_protected = false;
  bool is_revoked = false;
  bool is_expired = false;
  bool is_valid = false;
  std::string algorithm;  // RNP's name: "RSA", "EDDSA", "ECDSA", "DSA" …
  uint32_t bits = 0;
};

absl::StatusOr<KeyFacts> ReadFacts(rnp_key_handle_t key) {
  KeyFacts facts;
  char* algorithm = nullptr;
  absl::Status status = rnp::Run({
      {[&] { return rnp_key_have_secret(key, &facts.has_secret); }, "reading a key"},
      {[&] { return rnp_key_allows_usage(key, "sign", &facts.signs); }, "reading a key's usage"},
      {[&] { return rnp_key_is_revoked(key, &facts.is_revoked); }, "reading a revocation"},
      {[&] { return rnp_key_is_expired(key, &facts.is_expired); }, "reading an expiry"},
      {[&] { return rnp_key_is_valid(key, &facts.is_valid); }, "reading a key's validity"},
      {[&] { return rnp_key_get_bits(key, &facts.bits); }, "reading a key's size"},
      {[&] { return rnp_key_get_alg(key, &algorithm); }, "reading a key's algorithm"},
  });
  const rnp::Text owned_algorithm(algorithm);
  if (!status.ok()) return status;
  facts.algorithm = owned_algorithm.get();
  // RNP answers this only for a key with a secret part.
  if (facts.has_secret) {
    status = rnp::Check(rnp_key_is_protected(key, &facts.is_protected), "reading a protection");
    if (!status.ok()) return status;
  }
  return facts;
}

// Whether apt's gpgv verifies signatures of this algorithm and size.
bool AptVerifies(const KeyFacts& facts) {
  if (facts.algorithm == "RSA") return facts.bits >= kMinRsaBits;
  return facts.algorithm == "EDDSA" || facts.algorithm == "ECDSA";
}

// A key read into a context of its own: the primary key, its subkeys, and which of them
// signs. Declared in this order so the key handles go before their context.
struct LoadedKey {
  rnp::Ffi ffi;
  std::vector<rnp::Key> keys;  // the primary key first
  size_t signer = 0;

  rnp_key_handle_t primary() const { return keys.front().get(); }
};

// The one primary key `ffi` holds; InvalidArgument when it holds none or several.
absl::StatusOr<rnp::Key> OnlyPrimaryKey(rnp_ffi_t ffi) {
  rnp_identifier_iterator_t raw_iterator = nullptr;
  absl::Status status =
      rnp::Check(rnp_identifier_iterator_create(ffi, &raw_iterator, "fingerprint"), "listing keys");
  if (!status.ok()) return status;
  const rnp::IdentifierIterator iterator(raw_iterator);
  rnp::Key primary;
  size_t primaries = 0;
  for (;;) {
    const char* fingerprint = nullptr;
    rnp_key_handle_t raw_key = nullptr;
    status = rnp::Check(rnp_identifier_iterator_next(iterator.get(), &fingerprint), "listing keys");
    if (!status.ok()) return status;
    if (fingerprint == nullptr) break;
    status = rnp::Check(rnp_locate_key(ffi, "fingerprint", fingerprint, &raw_key), "finding a key");
    if (!status.ok()) return status;
    rnp::Key key(raw_key);
    bool is_primary = false;
    status = rnp::Check(rnp_key_is_primary(key.get(), &is_primary), "reading a key");
    if (!status.ok()) return status;
    if (!is_primary) continue;
    ++primaries;
    primary = std::move(key);
  }
  if (primaries == 0) return Refused("holds no primary key");
  if (primaries > 1) {
    return Refused(Concat("holds ", primaries, " primary keys; send one key with its subkeys"));
  }
  return primary;
}

// `primary` followed by its subkeys.
absl::StatusOr<std::vector<rnp::Key>> WithSubkeys(rnp::Key primary) {
  std::vector<rnp::Key> keys;
  keys.push_back(std::move(primary));
  size_t count = 0;
  absl::Status status =
      rnp::Check(rnp_key_get_subkey_count(keys.front().get(), &count), "counting subkeys");
  for (size_t i = 0; status.ok() && i < count; ++i) {
    rnp_key_handle_t subkey = nullptr;
    status = rnp::Check(rnp_key_get_subkey_at(keys.front().get(), i, &subkey), "reading a subkey");
    if (status.ok()) keys.emplace_back(subkey);
  }
  if (!status.ok()) return status;
  return keys;
}

// Why the keys that could sign could not, remembered while looking for the one that can.
struct Shortcomings {
  bool any_secret = false;
  bool is_protected = false;
  bool unverifiable = false;
  bool expired = false;
  bool revoked = false;
  std::string algorithm;  // of the unverifiable one, e.g. "DSA" or "RSA-1024"

  absl::Status Explain() const {
    if (!any_secret) {
      return Refused(
          "holds no secret key (a public key? export with gpg --armor --export-secret-keys)");
    }
    if (is_protected) {
      return Refused(
          "is protected by a passphrase, or holds only a stub of its secret key; remove the "
          "passphrase before sending it");
    }
    if (unverifiable) {
      return Refused(Concat("signs with ", algorithm,
                            ", which apt cannot verify; use Ed25519, ECDSA or RSA of 2048 bits "
                            "or more"));
    }
    if (expired) return Refused("has expired, or its self-signature is not valid");
    if (revoked) return Refused("is revoked");
    return Refused("holds no secret key that may sign");
  }
};

// The index in `keys` of the one usable signing key, or why there is not exactly one.
absl::StatusOr<size_t> OnlySigner(const std::vector<rnp::Key>& keys) {
  std::vector<size_t> usable;
  Shortcomings shortcomings;
  for (size_t i = 0; i < keys.size(); ++i) {
    absl::StatusOr<KeyFacts> facts = ReadFacts(keys[i].get());
    if (!facts.ok()) return facts.status();
    shortcomings.any_secret |= facts->has_secret;
    if (!facts->has_secret || !facts->signs) continue;
    if (facts->is_revoked) {
      shortcomings.revoked = true;
    } else if (facts->is_expired || !facts->is_valid) {
      shortcomings.expired = true;
    } else if (facts->is_protected) {
      // Also a stub (gpg --export-secret-subkeys), which holds no secret at all.
      shortcomings.is_protected = true;
    } else if (!AptVerifies(*facts)) {
      shortcomings.unverifiable = true;
      shortcomings.algorithm =
          facts->algorithm == "RSA" ? Concat(facts->algorithm, "-", facts->bits) : facts->algorithm;
    } else {
      usable.push_back(i);
    }
  }
  if (usable.size() == 1) return usable.front();
  if (usable.empty()) return shortcomings.Explain();
  return Refused(Concat("holds ", usable.size(),
                        " secret keys that can sign; send a key with exactly one (gpg "
                        "--export-secret-subkeys with one subkey's fingerprint followed by !)"));
}

// Reads a secret key into a context of its own and picks its signing key. InvalidArgument
// (as ImportSigningKey) when it is not a key that may sign here.
absl::StatusOr<LoadedKey> LoadSigningKey(std::string_view secret_key) {
  absl::StatusOr<rnp::Ffi> ffi = rnp::NewFfi();
  if (!ffi.ok()) return ffi.status();
  absl::StatusOr<rnp::Input> input = rnp::MemoryInput(secret_key);
  if (!input.ok()) return input.status();
  // Not permissive: a packet RNP cannot read refuses the whole key.
  if (rnp_import_keys(ffi->get(), input->get(),
                      RNP_LOAD_SAVE_PUBLIC_KEYS | RNP_LOAD_SAVE_SECRET_KEYS,
                      nullptr) != RNP_SUCCESS) {
    return Refused("is not an OpenPGP key (armored or binary)");
  }
  absl::StatusOr<rnp::Key> primary = OnlyPrimaryKey(ffi->get());
  if (!primary.ok()) return primary.status();
  absl::StatusOr<std::vector<rnp::Key>> keys = WithSubkeys(*std::move(primary));
  if (!keys.ok()) return keys.status();
  absl::StatusOr<size_t> signer = OnlySigner(*keys);
  if (!signer.ok()) return signer.status();
  return LoadedKey{*std::move(ffi), *std::move(keys), *signer};
}

absl::StatusOr<std::string> Export(rnp_key_handle_t primary, uint32_t part) {
  absl::StatusOr<rnp::Output> output = rnp::MemoryOutput(kMaxExportSize);
  if (!output.ok()) return output.status();
  const absl::Status status =
      rnp::Check(rnp_key_export(primary, output->get(),
                                part | RNP_KEY_EXPORT_SUBKEYS | RNP_KEY_EXPORT_ARMORED),
                 "exporting a key");
  if (!status.ok()) return status;
  return rnp::ArmoredText(output->get());
}

// The public and secret parts of a loaded key, as RNP writes them, and its fingerprint.
absl::StatusOr<SigningKeyMaterial> Material(const LoadedKey& key) {
  absl::StatusOr<std::string> public_key = Export(key.primary(), RNP_KEY_EXPORT_PUBLIC);
  if (!public_key.ok()) return public_key.status();
  absl::StatusOr<std::string> secret_key = Export(key.primary(), RNP_KEY_EXPORT_SECRET);
  if (!secret_key.ok()) return secret_key.status();
  absl::StatusOr<std::string> fingerprint = rnp::Fingerprint(key.primary());
  if (!fingerprint.ok()) return fingerprint.status();
  return SigningKeyMaterial{*std::move(public_key), *std::move(secret_key),
                            *std::move(fingerprint)};
}

enum class SignatureForm { kCleartext, kDetached };

absl::StatusOr<std::string> Sign(const LoadedKey& key, SignatureForm form, std::string_view data) {
  absl::StatusOr<rnp::Input> input = rnp::MemoryInput(data);
  if (!input.ok()) return input.status();
  absl::StatusOr<rnp::Output> output = rnp::MemoryOutput(0);  // as large as the text needs
  if (!output.ok()) return output.status();
  rnp_op_sign_t raw_op = nullptr;
  const rnp_result_t created =
      form == SignatureForm::kCleartext
          ? rnp_op_sign_cleartext_create(&raw_op, key.ffi.get(), input->get(), output->get())
          : rnp_op_sign_detached_create(&raw_op, key.ffi.get(), input->get(), output->get());
  absl::Status status = rnp::Check(created, "starting a signature");
  if (!status.ok()) return status;
  const rnp::SignOp op(raw_op);
  status = rnp::Run({
      {[&] { return rnp_op_sign_set_armor(op.get(), true); }, "armoring a signature"},
      {[&] { return rnp_op_sign_set_hash(op.get(), kHash); }, "choosing a hash"},
      {[&] { return rnp_op_sign_add_signature(op.get(), key.keys[key.signer].get(), nullptr); },
       "adding the signer"},
      {[&] { return rnp_op_sign_execute(op.get()); }, "signing"},
  });
  if (!status.ok()) return status;
  return rnp::ArmoredText(output->get());
}

// Signs with a stored key. A stored key that no longer passes the checks was damaged in the
// store: that is not the caller's mistake, so it is Internal.
absl::StatusOr<std::string> SignWithStored(const SigningKeyMaterial& material, SignatureForm form,
                                           std::string_view data) {
  absl::StatusOr<LoadedKey> key = LoadSigningKey(material.secret_key);
  if (!key.ok()) {
    return absl::InternalError(Concat("the stored signing key ", material.fingerprint, " ",
                                      ToStd(key.status().message())));
  }
  return Sign(*key, form, data);
}

}  // namespace

absl::StatusOr<SigningKeyMaterial> GenerateSigningKey(std::string_view user_id) {
  if (user_id.empty() || user_id.size() > kMaxUserIdLength ||
      user_id.find('\0') != std::string_view::npos) {
    return Refused(Concat("a user id is 1 to ", kMaxUserIdLength, " bytes without NUL"));
  }
  absl::StatusOr<rnp::Ffi> ffi = rnp::NewFfi();
  if (!ffi.ok()) return ffi.status();
  rnp_op_generate_t raw_op = nullptr;
  absl::Status status =
      rnp::Check(rnp_op_generate_create(&raw_op, ffi->get(), "EDDSA"), "starting a key");
  if (!status.ok()) return status;
  const rnp::GenerateOp op(raw_op);
  const std::string id(user_id);
  rnp_key_handle_t raw_key = nullptr;
  status = rnp::Run({
      {[&] { return rnp_op_generate_set_userid(op.get(), id.c_str()); }, "setting the user id"},
      {[&] { return rnp_op_generate_add_usage(op.get(), "sign"); }, "setting the usage"},
      {[&] { return rnp_op_generate_add_usage(op.get(), "certify"); }, "setting the usage"},
      // Zero: the key never expires (RNP's own default is two years).
      {[&] { return rnp_op_generate_set_expiration(op.get(), 0); }, "setting the expiry"},
      {[&] { return rnp_op_generate_set_hash(op.get(), kHash); }, "choosing a hash"},
      {[&] { return rnp_op_generate_execute(op.get()); }, "generating a key"},
      {[&] { return rnp_op_generate_get_key(op.get(), &raw_key); }, "reading the new key"},
  });
  const rnp::Key key(raw_key);
  if (!status.ok()) return status;
  absl::StatusOr<std::string> secret_key = Export(key.get(), RNP_KEY_EXPORT_SECRET);
  if (!secret_key.ok()) return secret_key.status();
  // Read back through the checks an upload passes, so a new key is stored exactly as an
  // uploaded one would be.
  absl::StatusOr<LoadedKey> loaded = LoadSigningKey(*secret_key);
  if (!loaded.ok()) return absl::InternalError(loaded.status().message());
  return Material(*loaded);
}

absl::StatusOr<SigningKeyMaterial> ImportSigningKey(std::string_view secret_key) {
  if (secret_key.empty()) return Refused("is empty");
  if (secret_key.size() > kMaxImportedKeySize) {
    return Refused(Concat("is larger than ", kMaxImportedKeySize / 1024, " KiB"));
  }
  absl::StatusOr<LoadedKey> key = LoadSigningKey(secret_key);
  if (!key.ok()) return key.status();
  // The checks read flags; only a signature shows the secret part really works.
  if (!Sign(*key, SignatureForm::kDetached, "tollgate").ok()) {
    return Refused("cannot make a signature with its signing key");
  }
  return Material(*key);
}

absl::StatusOr<std::string> ClearSign(const SigningKeyMaterial& key, std::string_view text) {
  return SignWithStored(key, SignatureForm::kCleartext, text);
}

absl::StatusOr<std::string> DetachSign(const SigningKeyMaterial& key, std::string_view data) {
  return SignWithStored(key, SignatureForm::kDetached, data);
}

}  // namespace tollgate::storage
