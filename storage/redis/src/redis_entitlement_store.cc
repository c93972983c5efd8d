// EntitlementStore on Redis: each write is one Lua script that checks, writes and logs
// the change atomically; the replica then takes the decoded copy of exactly what was written.
#include "redis_entitlement_store.h"

#include <mutex>
#include <utility>

#include "redis_codec.h"
#include "redis_layout.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/index/entitlement_checks.h"

namespace tollgate::storage {
namespace {

using policy::Entitlement;
namespace layout = redis_layout;

// KEYS: entitlement, repository, repository's token set, token-hash reservation.
// ARGV: change log, message, identifier, field/value pairs.
constexpr std::string_view kCreateScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 'identifier_taken' end
if redis.call('EXISTS', KEYS[2]) == 0 then return 'no_repository' end
if not redis.call('SET', KEYS[4], ARGV[3], 'NX') then return 'token_taken' end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('SADD', KEYS[3], ARGV[3])
append_change(ARGV[1], ARGV[2])
return 'ok'
)lua";

// KEYS: entitlement, the new token-hash reservation.
// ARGV: change log, message, identifier, org, repo, token-hash key prefix, new token hash,
// expected updated_at, field/value pairs.
constexpr std::string_view kUpdateScript = R"lua(
local current = redis.call('HMGET', KEYS[1], 'org', 'repo', 'token_hash', 'updated_at')
if current[1] ~= ARGV[4] or current[2] ~= ARGV[5] then return 'not_found' end
if current[4] ~= ARGV[8] then return 'stale' end
if current[3] ~= ARGV[7] then
  if not redis.call('SET', KEYS[2], ARGV[3], 'NX') then return 'token_taken' end
  redis.call('DEL', ARGV[6] .. current[3])
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 9))
append_change(ARGV[1], ARGV[2])
return 'ok'
)lua";

// KEYS: repository, repository's token set, then of each new token its entitlement key and
// its token-hash reservation. ARGV: change log, message, token-hash key prefix, entitlement key
// prefix and suffix, then of each new token its identifier, the number N of its field/value
// strings and those N strings. The keys of the standard tokens that go are built here from
// the token set: on one Redis server (not a cluster) a script may touch keys it was not given.
// Everything is checked before the first write, so a refusal changes nothing.
constexpr std::string_view kReplaceStandardScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 'no_repository' end
local leaving = {}
local token_hashes = {}
for _, identifier in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local current = redis.call('HMGET', ARGV[4] .. identifier .. ARGV[5], 'user', 'token_hash')
  if not current[1] then
    table.insert(leaving, identifier)
    token_hashes[identifier] = current[2] or ''
  end
end
for i = 3, #KEYS, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 'identifier_taken' end
  local holder = redis.call('GET', KEYS[i + 1])
  if holder and not token_hashes[holder] then return 'token_taken' end
end
for _, identifier in ipairs(leaving) do
  redis.call('DEL', ARGV[4] .. identifier .. ARGV[5], ARGV[3] .. token_hashes[identifier])
  redis.call('SREM', KEYS[2], identifier)
end
local next_arg = 6
for i = 3, #KEYS, 2 do
  local identifier, count = ARGV[next_arg], tonumber(ARGV[next_arg + 1])
  redis.call('HSET', KEYS[i], unpack(ARGV, next_arg + 2, next_arg + 1 + count))
  redis.call('SET', KEYS[i + 1], identifier)
  redis.call('SADD', KEYS[2], identifier)
  next_arg = next_arg + 2 + count
end
append_change(ARGV[1], ARGV[2])
return 'ok'
)lua";

// KEYS: entitlement, repository's token set.
// ARGV: change log, message, identifier, org, repo, token-hash key prefix.
constexpr std::string_view kDeleteScript = R"lua(
local current = redis.call('HMGET', KEYS[1], 'org', 'repo', 'token_hash')
if current[1] ~= ARGV[4] or current[2] ~= ARGV[5] then return 'not_found' end
redis.call('DEL', KEYS[1], ARGV[6] .. current[3])
redis.call('SREM', KEYS[2], ARGV[3])
append_change(ARGV[1], ARGV[2])
return 'ok'
)lua";

// Every field of `e`, as HSET takes them. The token hash is kept so that a later update or
// delete can release the token string's reservation without knowing the HMAC key.
std::vector<std::string> EncodeEntitlement(const Entitlement& e, const std::string& token_hash) {
  FieldWriter fields;
  fields.Text("identifier", e.identifier);
  fields.Text("org", e.org);
  fields.Text("repo", e.repo);
  fields.Text("name", e.name);
  fields.Text("token", e.token);
  fields.Text("token_hash", token_hash);
  fields.Text("is_active", e.is_active ? "1" : "0");
  fields.OptionalText("user", e.user);
  fields.OptionalTime("limit_date_range_from", e.limit_date_range_from);
  fields.OptionalTime("limit_date_range_to", e.limit_date_range_to);
  fields.OptionalInt("limit_num_downloads", e.limit_num_downloads);
  fields.OptionalInt("limit_num_clients", e.limit_num_clients);
  fields.OptionalInt("limit_bandwidth", e.limit_bandwidth);
  fields.Text("limit_bandwidth_unit", policy::BandwidthUnitName(e.limit_bandwidth_unit));
  fields.OptionalText("limit_package_query", e.limit_package_query);
  fields.OptionalText("limit_path_query", e.limit_path_query);
  fields.Text("scheduled_reset_period", policy::ResetPeriodName(e.scheduled_reset_period));
  fields.OptionalTime("usage_reset_at", e.usage_reset_at);
  fields.Text("metadata_json", e.metadata_json);
  fields.Time("created_at", e.created_at);
  fields.Time("updated_at", e.updated_at);
  return fields.pairs();
}

// DataLoss when a field is missing or holds a value this version does not know.
absl::StatusOr<Entitlement> DecodeEntitlement(const RedisHash& hash) {
  FieldReader fields(hash);
  Entitlement e;
  e.identifier = fields.Text("identifier");
  e.org = fields.Text("org");
  e.repo = fields.Text("repo");
  e.name = fields.Text("name");
  e.token = fields.Text("token");
  const std::string is_active = fields.Text("is_active");
  if (is_active != "0" && is_active != "1") fields.Fail("is_active");
  e.is_active = is_active == "1";
  e.user = fields.OptionalText("user");
  e.limit_date_range_from = fields.OptionalTime("limit_date_range_from");
  e.limit_date_range_to = fields.OptionalTime("limit_date_range_to");
  e.limit_num_downloads = fields.OptionalInt("limit_num_downloads");
  e.limit_num_clients = fields.OptionalInt("limit_num_clients");
  e.limit_bandwidth = fields.OptionalInt("limit_bandwidth");
  std::optional<policy::BandwidthUnit> unit =
      policy::ParseBandwidthUnit(fields.Text("limit_bandwidth_unit"));
  if (!unit) fields.Fail("limit_bandwidth_unit");
  e.limit_bandwidth_unit = unit.value_or(policy::BandwidthUnit::kByte);
  e.limit_package_query = fields.OptionalText("limit_package_query");
  e.limit_path_query = fields.OptionalText("limit_path_query");
  std::optional<policy::ResetPeriod> period =
      policy::ParseResetPeriod(fields.Text("scheduled_reset_period"));
  if (!period) fields.Fail("scheduled_reset_period");
  e.scheduled_reset_period = period.value_or(policy::ResetPeriod::kNever);
  e.usage_reset_at = fields.OptionalTime("usage_reset_at");
  e.metadata_json = fields.Text("metadata_json");
  e.created_at = fields.Time("created_at");
  e.updated_at = fields.Time("updated_at");
  if (absl::Status status = fields.status(Concat("entitlement ", e.identifier)); !status.ok()) {
    return status;
  }
  return e;
}

// The immutable copy the replica holds, decoded from what Redis holds (or is about to), so
// every instance holds the same value. With `strict_scopes` a query that does not parse is
// InvalidArgument; without, it stays uncompiled, which makes the token admit nothing (fail
// closed) instead of failing the load, as in the embedded store.
absl::StatusOr<EntitlementPtr> ReplicaCopy(const RedisHash& hash, bool strict_scopes) {
  absl::StatusOr<Entitlement> decoded = DecodeEntitlement(hash);
  if (!decoded.ok()) return decoded.status();
  absl::Status compiled = policy::CompileScopes(*decoded);
  if (strict_scopes && !compiled.ok()) return compiled;
  return std::make_shared<const Entitlement>(*std::move(decoded));
}

absl::Status TokenTaken(const std::string& org, const std::string& repo) {
  return absl::AlreadyExistsError(Concat("the token string is already used in ", org, "/", repo));
}

absl::Status IdentifierTaken(const std::string& identifier) {
  return absl::AlreadyExistsError(Concat("entitlement identifier ", identifier, " is taken"));
}

absl::Status NoSuchRepository(const std::string& org, const std::string& repo) {
  return absl::NotFoundError(Concat("repository ", org, "/", repo, " does not exist"));
}

absl::Status NoSuchToken(const std::string& org, const std::string& repo,
                         const std::string& identifier) {
  return absl::NotFoundError(
      Concat("entitlement ", identifier, " does not exist in ", org, "/", repo));
}

absl::Status UnknownOutcome(std::string_view outcome) {
  return absl::InternalError(Concat("unexpected answer from a redis script: ", outcome));
}

// The script arguments that every write starts with: the change log, and the entry to append.
std::vector<std::string> ChangeArgs(std::string_view identifier) {
  return {std::string(layout::kChangeLogKey), layout::EntitlementChange(identifier),
          std::string(identifier)};
}

}  // namespace

RedisEntitlementStore::RedisEntitlementStore(RedisStoreContext& context, std::string token_hash_key)
    : context_(context),
      index_(std::move(token_hash_key)),
      create_script_(layout::WithChangeLog(kCreateScript)),
      update_script_(layout::WithChangeLog(kUpdateScript)),
      replace_standard_script_(layout::WithChangeLog(kReplaceStandardScript)),
      delete_script_(layout::WithChangeLog(kDeleteScript)) {}

absl::Status RedisEntitlementStore::Create(const Entitlement& entitlement) {
  std::lock_guard lock(context_.replica_mu());
  const std::string token_hash = index_.HashToken(entitlement.token);
  const std::vector<std::string> fields = EncodeEntitlement(entitlement, token_hash);
  absl::StatusOr<EntitlementPtr> copy = ReplicaCopy(ToHash(fields), /*strict_scopes=*/true);
  if (!copy.ok()) return copy.status();
  const std::string& org = entitlement.org;
  const std::string& repo = entitlement.repo;
  std::vector<std::string> args = ChangeArgs(entitlement.identifier);
  args.insert(args.end(), fields.begin(), fields.end());
  absl::StatusOr<std::string> outcome = context_.RunWrite(
      create_script_,
      {layout::EntitlementKey(entitlement.identifier), layout::RepoKey(org, repo),
       layout::RepoTokensKey(org, repo), Concat(layout::TokenHashKeyPrefix(org, repo), token_hash)},
      args);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "identifier_taken") return IdentifierTaken(entitlement.identifier);
  if (*outcome == "no_repository") return NoSuchRepository(org, repo);
  if (*outcome == "token_taken") return TokenTaken(org, repo);
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  index_.Put(**copy);
  return absl::OkStatus();
}

absl::Status RedisEntitlementStore::Update(const Entitlement& entitlement,
                                           absl::Time expected_updated_at) {
  if (absl::Status s = CheckLaterUpdate(entitlement, expected_updated_at); !s.ok()) return s;
  std::lock_guard lock(context_.replica_mu());
  const std::string token_hash = index_.HashToken(entitlement.token);
  const std::vector<std::string> fields = EncodeEntitlement(entitlement, token_hash);
  absl::StatusOr<EntitlementPtr> copy = ReplicaCopy(ToHash(fields), /*strict_scopes=*/true);
  if (!copy.ok()) return copy.status();
  const std::string& org = entitlement.org;
  const std::string& repo = entitlement.repo;
  const std::string prefix = layout::TokenHashKeyPrefix(org, repo);
  std::vector<std::string> args = ChangeArgs(entitlement.identifier);
  args.insert(args.end(), {org, repo, prefix, token_hash, EncodeTime(expected_updated_at)});
  args.insert(args.end(), fields.begin(), fields.end());
  absl::StatusOr<std::string> outcome = context_.RunWrite(
      update_script_, {layout::EntitlementKey(entitlement.identifier), Concat(prefix, token_hash)},
      args);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "not_found") return NoSuchToken(org, repo, entitlement.identifier);
  if (*outcome == "stale") {
    // This replica may be what was behind: catch it up, so that a retry reads the current
    // token. On failure the next message or reload does.
    Refresh({entitlement.identifier}).IgnoreError();
    return absl::AbortedError(Concat("entitlement ", entitlement.identifier,
                                     " changed since it was read; read it again"));
  }
  if (*outcome == "token_taken") return TokenTaken(org, repo);
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  index_.Put(**copy);
  return absl::OkStatus();
}

absl::Status RedisEntitlementStore::ReplaceStandardTokens(const std::string& org,
                                                          const std::string& repo,
                                                          const std::vector<Entitlement>& tokens) {
  if (absl::Status s = CheckStandardTokens(org, repo, tokens); !s.ok()) return s;
  std::lock_guard lock(context_.replica_mu());
  const std::string prefix = layout::TokenHashKeyPrefix(org, repo);
  std::vector<std::string> keys = {layout::RepoKey(org, repo), layout::RepoTokensKey(org, repo)};
  // One message for the whole repository: the other instances re-read its tokens and swap
  // them in at once, as this one does below.
  std::vector<std::string> args = {
      std::string(layout::kChangeLogKey), layout::RepositoryChange(org, repo), prefix,
      std::string(layout::kEntitlementKeyPrefix), std::string(layout::kEntitlementKeySuffix)};
  std::vector<CompactEntitlementPtr> copies;
  copies.reserve(tokens.size());
  for (const Entitlement& token : tokens) {
    const std::string token_hash = index_.HashToken(token.token);
    const std::vector<std::string> fields = EncodeEntitlement(token, token_hash);
    absl::StatusOr<EntitlementPtr> copy = ReplicaCopy(ToHash(fields), /*strict_scopes=*/true);
    if (!copy.ok()) return copy.status();
    copies.push_back(std::make_shared<const CompactEntitlement>(**copy));
    keys.push_back(layout::EntitlementKey(token.identifier));
    keys.push_back(Concat(prefix, token_hash));
    args.push_back(token.identifier);
    args.push_back(Concat(fields.size()));
    args.insert(args.end(), fields.begin(), fields.end());
  }
  absl::StatusOr<std::string> outcome = context_.RunWrite(replace_standard_script_, keys, args);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "no_repository") return NoSuchRepository(org, repo);
  // Which identifier: the script does not say, and the caller made them all up anyway.
  if (*outcome == "identifier_taken") {
    return absl::AlreadyExistsError(
        Concat("an identifier of the new tokens of ", org, "/", repo, " is taken"));
  }
  if (*outcome == "token_taken") return TokenTaken(org, repo);
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  index_.ReplaceStandardTokens(org, repo, std::move(copies));
  return absl::OkStatus();
}

absl::Status RedisEntitlementStore::Delete(const std::string& org, const std::string& repo,
                                           const std::string& identifier) {
  std::lock_guard lock(context_.replica_mu());
  std::vector<std::string> args = ChangeArgs(identifier);
  args.insert(args.end(), {org, repo, layout::TokenHashKeyPrefix(org, repo)});
  absl::StatusOr<std::string> outcome = context_.RunWrite(
      delete_script_, {layout::EntitlementKey(identifier), layout::RepoTokensKey(org, repo)}, args);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "not_found") return NoSuchToken(org, repo, identifier);
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  index_.Remove(identifier);
  return absl::OkStatus();
}

EntitlementPtr RedisEntitlementStore::Get(const std::string& org, const std::string& repo,
                                          const std::string& identifier) const {
  return index_.Get(org, repo, identifier);
}

EntitlementPtr RedisEntitlementStore::FindByToken(const std::string& org, const std::string& repo,
                                                  std::string_view token) const {
  return index_.FindByToken(org, repo, token);
}

bool RedisEntitlementStore::ContainsToken(std::string_view token) const {
  return index_.ContainsToken(token);
}

std::vector<EntitlementPtr> RedisEntitlementStore::List(const std::string& org,
                                                        const std::string& repo) const {
  return index_.List(org, repo);
}

int64_t RedisEntitlementStore::CountActiveStandardTokens(const std::string& org,
                                                         const std::string& repo) const {
  return index_.CountActiveStandard(org, repo);
}

absl::StatusOr<std::vector<CompactEntitlementPtr>> RedisEntitlementStore::Fetch(
    const std::vector<std::string>& identifiers, bool strict) {
  // In chunks, each compacted before the next is read: a full load of millions of tokens
  // never holds all their replies, or all their expanded forms, at once.
  constexpr size_t kChunk = 10'000;
  std::vector<CompactEntitlementPtr> entitlements;
  entitlements.reserve(identifiers.size());
  for (size_t start = 0; start < identifiers.size(); start += kChunk) {
    std::vector<std::vector<std::string>> batch;
    const size_t end = std::min(identifiers.size(), start + kChunk);
    batch.reserve(end - start);
    for (size_t i = start; i < end; ++i) {
      batch.push_back({"HGETALL", layout::EntitlementKey(identifiers[i])});
    }
    absl::StatusOr<std::vector<RedisReply>> replies = context_.Commands(batch);
    if (!replies.ok()) return replies.status();
    for (const RedisReply& reply : *replies) {
      absl::StatusOr<RedisHash> hash = HashFields(reply);
      if (!hash.ok()) {
        if (strict || !absl::IsDataLoss(hash.status())) return hash.status();
        continue;
      }
      if (hash->empty()) continue;  // deleted since the identifier was listed
      absl::StatusOr<EntitlementPtr> copy = ReplicaCopy(*hash, /*strict_scopes=*/false);
      if (!copy.ok()) {
        if (strict) return copy.status();
        continue;
      }
      entitlements.push_back(std::make_shared<const CompactEntitlement>(**copy));
    }
  }
  return entitlements;
}

absl::Status RedisEntitlementStore::Refresh(const std::vector<std::string>& identifiers) {
  std::vector<std::vector<std::string>> batch;
  batch.reserve(identifiers.size());
  for (const std::string& identifier : identifiers) {
    batch.push_back({"HGETALL", layout::EntitlementKey(identifier)});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = context_.Commands(batch);
  if (!replies.ok()) return replies.status();
  std::vector<absl::StatusOr<RedisHash>> hashes;
  hashes.reserve(replies->size());
  for (const RedisReply& reply : *replies) {
    absl::StatusOr<RedisHash> hash = HashFields(reply);
    if (!hash.ok() && !absl::IsDataLoss(hash.status())) return hash.status();
    hashes.push_back(std::move(hash));
  }
  for (size_t i = 0; i < identifiers.size(); ++i) {
    absl::StatusOr<EntitlementPtr> copy = !hashes[i].ok() ? hashes[i].status()
                                          : hashes[i]->empty()
                                              ? absl::NotFoundError("deleted")
                                              : ReplicaCopy(*hashes[i], /*strict_scopes=*/false);
    if (copy.ok()) {
      index_.Put(**copy);
    } else {
      // Gone, or unreadable by this version: it must stop working here rather than keep an
      // old value.
      index_.Remove(identifiers[i]);
    }
  }
  return absl::OkStatus();
}

}  // namespace tollgate::storage
