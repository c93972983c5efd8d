// RepositoryStore on Redis: Lua scripts check, write and log each change atomically;
// a delete takes the repository's tokens, their string reservations and its artifact
// records with it.
#include "redis_repository_store.h"

#include <mutex>
#include <utility>

#include "redis_codec.h"
#include "redis_layout.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace layout = redis_layout;

// KEYS: orgs, repository, org's repository set, signing key. ARGV: change log, message, org,
// slug, field/value pairs. A signing key left by an earlier repository of the name (deleted
// by a version that kept no keys) is dropped, never inherited.
constexpr std::string_view kCreateScript = R"lua(
if redis.call('HEXISTS', KEYS[1], ARGV[3]) == 0 then return 'no_org' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'exists' end
redis.call('DEL', KEYS[4])
redis.call('HSET', KEYS[2], unpack(ARGV, 5))
redis.call('SADD', KEYS[3], ARGV[4])
append_change(ARGV[1], ARGV[2])
return 'ok'
)lua";

// KEYS: repository. ARGV: change log, message, field/value pairs. Answers the repository's
// fields as they now are, or 'not_found'.
constexpr std::string_view kUpdateScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 'not_found' end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
append_change(ARGV[1], ARGV[2])
return redis.call('HGETALL', KEYS[1])
)lua";

// KEYS: repository, org's repository set, repository's token set, artifact records, their
// generation, signing key.
// ARGV: change log, message, slug, token-hash key prefix, entitlement key prefix and suffix.
// The entitlement keys are built here from the token set: on one Redis server (not a
// cluster) a script may touch keys it was not given.
constexpr std::string_view kDeleteScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 'not_found' end
for _, identifier in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local entitlement = ARGV[5] .. identifier .. ARGV[6]
  local token_hash = redis.call('HGET', entitlement, 'token_hash')
  if token_hash then redis.call('DEL', ARGV[4] .. token_hash) end
  redis.call('DEL', entitlement)
end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
redis.call('SREM', KEYS[2], ARGV[3])
append_change(ARGV[1], ARGV[2])
return 'ok'
)lua";

std::vector<std::string> EncodeRepository(const Repository& repository) {
  FieldWriter fields;
  fields.Text("name", repository.name);
  fields.Text("repository_type", RepositoryTypeName(repository.type));
  fields.Text("storage", repository.storage_json);
  fields.Time("created_at", repository.created_at);
  return fields.pairs();
}

// DataLoss when a field is missing or holds a value this version does not know.
absl::StatusOr<Repository> DecodeRepository(const std::string& org, const std::string& slug,
                                            const RedisHash& hash) {
  FieldReader fields(hash);
  Repository repository;
  repository.org = org;
  repository.slug = slug;
  repository.name = fields.Text("name");
  std::optional<RepositoryType> type = ParseRepositoryType(fields.Text("repository_type"));
  if (!type) fields.Fail("repository_type");
  repository.type = type.value_or(RepositoryType::kPrivate);
  repository.storage_json = fields.Text("storage");
  repository.created_at = fields.Time("created_at");
  if (absl::Status status = fields.status(Concat("repository ", org, "/", slug)); !status.ok()) {
    return status;
  }
  return repository;
}

absl::Status NoSuchRepository(const std::string& org, const std::string& slug) {
  return absl::NotFoundError(Concat("repository ", org, "/", slug, " does not exist"));
}

absl::Status UnknownOutcome(std::string_view outcome) {
  return absl::InternalError(Concat("unexpected answer from a redis script: ", outcome));
}

std::vector<std::string> ChangeArgs(const std::string& org, const std::string& slug) {
  return {std::string(layout::kChangeLogKey), layout::RepositoryChange(org, slug)};
}

}  // namespace

RedisRepositoryStore::RedisRepositoryStore(RedisStoreContext& context,
                                           RedisEntitlementStore& entitlements)
    : context_(context),
      entitlements_(entitlements),
      create_script_(layout::WithChangeLog(kCreateScript)),
      update_script_(layout::WithChangeLog(kUpdateScript)),
      delete_script_(layout::WithChangeLog(kDeleteScript)) {}

absl::Status RedisRepositoryStore::Create(const Repository& repository) {
  const std::string& org = repository.org;
  const std::string& slug = repository.slug;
  const std::vector<std::string> fields = EncodeRepository(repository);
  // What every instance will decode from Redis, to the microsecond.
  absl::StatusOr<Repository> copy = DecodeRepository(org, slug, ToHash(fields));
  if (!copy.ok()) return copy.status();
  std::vector<std::string> args = ChangeArgs(org, slug);
  args.insert(args.end(), {org, slug});
  args.insert(args.end(), fields.begin(), fields.end());
  std::lock_guard lock(context_.replica_mu());
  absl::StatusOr<std::string> outcome =
      context_.RunWrite(create_script_,
                        {layout::OrgsKey(), layout::RepoKey(org, slug), layout::OrgReposKey(org),
                         layout::RepoSigningKeyKey(org, slug)},
                        args);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "no_org") return absl::NotFoundError(Concat("org ", org, " does not exist"));
  if (*outcome == "exists") {
    return absl::AlreadyExistsError(Concat("repository ", org, "/", slug, " already exists"));
  }
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  index_.Put(*std::move(copy));
  return absl::OkStatus();
}

absl::Status RedisRepositoryStore::Update(const Repository& repository) {
  const std::string& org = repository.org;
  const std::string& slug = repository.slug;
  FieldWriter fields;
  fields.Text("name", repository.name);
  fields.Text("repository_type", RepositoryTypeName(repository.type));
  fields.Text("storage", repository.storage_json);
  std::vector<std::string> args = ChangeArgs(org, slug);
  args.insert(args.end(), fields.pairs().begin(), fields.pairs().end());
  std::lock_guard lock(context_.replica_mu());
  absl::StatusOr<RedisReply> reply =
      context_.Run(update_script_, {layout::RepoKey(org, slug)}, args);
  if (!reply.ok()) return reply.status();
  if (reply->type == RedisReply::Type::kString && reply->str == "not_found") {
    return NoSuchRepository(org, slug);
  }
  absl::StatusOr<RedisHash> hash = HashFields(*reply);
  if (!hash.ok()) return hash.status();
  absl::StatusOr<Repository> updated = DecodeRepository(org, slug, *hash);
  if (!updated.ok()) return updated.status();
  index_.Put(*std::move(updated));
  return absl::OkStatus();
}

absl::Status RedisRepositoryStore::Delete(const std::string& org, const std::string& slug) {
  std::vector<std::string> args = ChangeArgs(org, slug);
  args.insert(args.end(), {slug, layout::TokenHashKeyPrefix(org, slug),
                           std::string(layout::kEntitlementKeyPrefix),
                           std::string(layout::kEntitlementKeySuffix)});
  std::lock_guard lock(context_.replica_mu());
  absl::StatusOr<std::string> outcome = context_.RunWrite(
      delete_script_,
      {layout::RepoKey(org, slug), layout::OrgReposKey(org), layout::RepoTokensKey(org, slug),
       layout::RepoArtifactsKey(org, slug), layout::RepoArtifactsGenerationKey(org, slug),
       layout::RepoSigningKeyKey(org, slug)},
      args);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "not_found") return NoSuchRepository(org, slug);
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  index_.Remove(org, slug);
  entitlements_.ReplaceRepository(org, slug, {});
  return absl::OkStatus();
}

RepositoryPtr RedisRepositoryStore::Get(const std::string& org, const std::string& slug) const {
  return index_.Get(org, slug);
}

std::vector<Repository> RedisRepositoryStore::List(const std::string& org) const {
  return index_.List(org);
}

absl::StatusOr<RedisRepositoryStore::Snapshot> RedisRepositoryStore::Fetch(
    const std::vector<std::string>& orgs, bool strict) {
  std::vector<std::vector<std::string>> batch;
  batch.reserve(orgs.size());
  for (const std::string& org : orgs) batch.push_back({"SMEMBERS", layout::OrgReposKey(org)});
  absl::StatusOr<std::vector<RedisReply>> slug_replies = context_.Commands(batch);
  if (!slug_replies.ok()) return slug_replies.status();

  std::vector<std::pair<std::string, std::string>> names;  // org, slug
  for (size_t i = 0; i < orgs.size(); ++i) {
    absl::StatusOr<std::vector<std::string>> slugs = ArrayStrings((*slug_replies)[i]);
    if (!slugs.ok()) return slugs.status();
    for (std::string& slug : *slugs) names.emplace_back(orgs[i], std::move(slug));
  }
  batch.clear();
  for (const auto& [org, slug] : names) {
    batch.push_back({"HGETALL", layout::RepoKey(org, slug)});
    batch.push_back({"SMEMBERS", layout::RepoTokensKey(org, slug)});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = context_.Commands(batch);
  if (!replies.ok()) return replies.status();

  Snapshot snapshot;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StatusOr<RedisHash> hash = HashFields((*replies)[2 * i]);
    if (!hash.ok()) {
      if (strict || !absl::IsDataLoss(hash.status())) return hash.status();
      continue;
    }
    if (hash->empty()) continue;  // deleted since the org's set was read
    absl::StatusOr<Repository> repository =
        DecodeRepository(names[i].first, names[i].second, *hash);
    if (!repository.ok()) {
      if (strict) return repository.status();
      continue;
    }
    absl::StatusOr<std::vector<std::string>> tokens = ArrayStrings((*replies)[2 * i + 1]);
    if (!tokens.ok()) return tokens.status();
    snapshot.repositories.push_back(*std::move(repository));
    snapshot.token_identifiers.insert(snapshot.token_identifiers.end(), tokens->begin(),
                                      tokens->end());
  }
  return snapshot;
}

void RedisRepositoryStore::Reset(const std::vector<Repository>& repositories) {
  index_.ReplaceAll(repositories);
}

absl::Status RedisRepositoryStore::Refresh(const std::string& org, const std::string& slug) {
  absl::StatusOr<std::vector<RedisReply>> replies = context_.Commands(
      {{"HGETALL", layout::RepoKey(org, slug)}, {"SMEMBERS", layout::RepoTokensKey(org, slug)}});
  if (!replies.ok()) return replies.status();
  absl::StatusOr<RedisHash> hash = HashFields((*replies)[0]);
  if (!hash.ok() && !absl::IsDataLoss(hash.status())) return hash.status();
  absl::StatusOr<Repository> repository = NoSuchRepository(org, slug);
  if (!hash.ok()) {
    repository = hash.status();
  } else if (!hash->empty()) {
    repository = DecodeRepository(org, slug, *hash);
  }
  if (!repository.ok()) {
    // Deleted, or unreadable by this version: its tokens must stop working here too.
    index_.Remove(org, slug);
    entitlements_.ReplaceRepository(org, slug, {});
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> identifiers = ArrayStrings((*replies)[1]);
  if (!identifiers.ok()) return identifiers.status();
  absl::StatusOr<std::vector<CompactEntitlementPtr>> tokens =
      entitlements_.Fetch(*identifiers, /*strict=*/false);
  if (!tokens.ok()) return tokens.status();
  index_.Put(*std::move(repository));
  entitlements_.ReplaceRepository(org, slug, *std::move(tokens));
  return absl::OkStatus();
}

}  // namespace tollgate::storage
