// The signing-key endpoint: the public part out, a whole secret key in, never a secret out.
#include "admin/signing_key_api.h"

#include "admin/audit.h"
#include "admin/authorization.h"
#include "admin/json_fields.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/openpgp/ensure_signing_key.h"
#include "tollgate/storage/openpgp/openpgp_key.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;
namespace json = boost::json;
using storage::SigningKeyMaterial;

namespace {

constexpr std::string_view kSecretKeyField = "secret_key";

json::object PublicPart(const SigningKeyMaterial& key) {
  return json::object{{"public_key", key.public_key}, {"fingerprint", key.fingerprint}};
}

ApiResponse GetSigningKey(const AdminContext& context, const std::string& org,
                          const std::string& slug) {
  absl::StatusOr<SigningKeyMaterial> key = storage::EnsureSigningKey(context.stores, org, slug);
  if (!key.ok()) return FromStatus(key.status());
  return Json(http::status::ok, PublicPart(*key));
}

ApiResponse PutSigningKey(const AdminContext& context, const ApiRequest& request,
                          const std::string& org, const std::string& slug) {
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  if (absl::Status s = RejectOtherFields(*fields, {kSecretKeyField}); !s.ok()) {
    return FromStatus(s);
  }
  std::string secret_key;
  if (absl::Status s = ReadString(*fields, kSecretKeyField, secret_key); !s.ok()) {
    return FromStatus(s);
  }
  if (!fields->contains(kSecretKeyField)) {
    return FromStatus(absl::InvalidArgumentError(Concat(
        kSecretKeyField, ": is required (an armored OpenPGP secret key without a passphrase)")));
  }
  absl::StatusOr<SigningKeyMaterial> key = storage::ImportSigningKey(secret_key);
  if (absl::IsInvalidArgument(key.status())) {
    return FromStatus(
        absl::InvalidArgumentError(Concat(kSecretKeyField, ": ", ToStd(key.status().message()))));
  }
  if (!key.ok()) return FromStatus(key.status());
  // The fingerprint it replaces, for the audit log; none when the repository had no key.
  absl::StatusOr<SigningKeyMaterial> before = context.stores.signing_keys->Get(org, slug);
  if (!before.ok() && !absl::IsNotFound(before.status())) return FromStatus(before.status());
  if (absl::Status s = context.stores.signing_keys->Put(org, slug, *key); !s.ok()) {
    return FromStatus(s);
  }
  RecordAudit(
      context, request, org, "repository.signing_key", Concat(org, "/", slug),
      json::object{
          {"before", json::object{{"fingerprint", before.ok() ? json::value(before->fingerprint)
                                                              : json::value(nullptr)}}},
          {"after", json::object{{"fingerprint", key->fingerprint}}}});
  return Json(http::status::ok, PublicPart(*key));
}

}  // namespace

ApiResponse HandleSigningKey(const AdminContext& context, const ApiRequest& request,
                             const std::string& org, const std::string& slug) {
  if (request.method != "GET" && request.method != "PUT") return MethodNotAllowed("GET or PUT");
  const Privilege needed = request.method == "GET" ? Privilege::kRead : Privilege::kAdmin;
  if (auto refused = CheckRepositoryAccess(context, request.caller, org, slug, needed)) {
    return *refused;
  }
  if (request.method == "GET") return GetSigningKey(context, org, slug);
  return PutSigningKey(context, request, org, slug);
}

}  // namespace tollgate::gateway::admin
