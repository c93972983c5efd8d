// SigningKeyStore on Redis: one hash per repository beside the repository's own, written by
// a script that checks the repository exists, so a key never outlives a deleted repository.
#include "redis_signing_key_store.h"

#include <utility>
#include <vector>

#include "redis_codec.h"
#include "redis_layout.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace layout = redis_layout;

// KEYS: repository, its signing key. ARGV: "replace" or "if_absent", then field/value pairs.
// Answers the signing key's fields as they now are, or 'no_repository'.
constexpr std::string_view kPutScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 'no_repository' end
if ARGV[1] == 'replace' or redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[2], unpack(ARGV, 2))
end
return redis.call('HGETALL', KEYS[2])
)lua";

// DataLoss when a field is missing. The message names the repository, never a value.
absl::StatusOr<SigningKeyMaterial> Decode(const std::string& org, const std::string& repo,
                                          const RedisHash& hash) {
  FieldReader fields(hash);
  SigningKeyMaterial material;
  material.public_key = fields.Text("public_key");
  material.secret_key = fields.Text("secret_key");
  material.fingerprint = fields.Text("fingerprint");
  if (absl::Status s = fields.status(Concat("signing key of ", org, "/", repo)); !s.ok()) return s;
  return material;
}

}  // namespace

RedisSigningKeyStore::RedisSigningKeyStore(RedisStoreContext& context)
    : context_(context), put_script_(kPutScript) {}

absl::StatusOr<SigningKeyMaterial> RedisSigningKeyStore::Get(const std::string& org,
                                                             const std::string& repo) const {
  absl::StatusOr<RedisReply> reply =
      context_.Command({"HGETALL", layout::RepoSigningKeyKey(org, repo)});
  if (!reply.ok()) return reply.status();
  absl::StatusOr<RedisHash> hash = HashFields(*reply);
  if (!hash.ok()) return hash.status();
  if (hash->empty()) {
    return absl::NotFoundError(Concat("repository ", org, "/", repo, " has no signing key"));
  }
  return Decode(org, repo, *hash);
}

absl::Status RedisSigningKeyStore::Put(const std::string& org, const std::string& repo,
                                       const SigningKeyMaterial& material) {
  return Write(org, repo, material, /*replace=*/true).status();
}

absl::StatusOr<SigningKeyMaterial> RedisSigningKeyStore::PutIfAbsent(
    const std::string& org, const std::string& repo, const SigningKeyMaterial& material) {
  return Write(org, repo, material, /*replace=*/false);
}

absl::StatusOr<SigningKeyMaterial> RedisSigningKeyStore::Write(const std::string& org,
                                                               const std::string& repo,
                                                               const SigningKeyMaterial& material,
                                                               bool replace) {
  FieldWriter fields;
  fields.Text("public_key", material.public_key);
  fields.Text("secret_key", material.secret_key);
  fields.Text("fingerprint", material.fingerprint);
  std::vector<std::string> args = {replace ? "replace" : "if_absent"};
  args.insert(args.end(), fields.pairs().begin(), fields.pairs().end());
  absl::StatusOr<RedisReply> reply = context_.Run(
      put_script_, {layout::RepoKey(org, repo), layout::RepoSigningKeyKey(org, repo)}, args);
  if (!reply.ok()) return reply.status();
  if (reply->type == RedisReply::Type::kString && reply->str == "no_repository") {
    return absl::NotFoundError(Concat("repository ", org, "/", repo, " does not exist"));
  }
  // An error reply is Redis's or the script's text, which never quotes the arguments.
  absl::StatusOr<RedisHash> hash = HashFields(*reply);
  if (!hash.ok()) return hash.status();
  return Decode(org, repo, *hash);
}

}  // namespace tollgate::storage
