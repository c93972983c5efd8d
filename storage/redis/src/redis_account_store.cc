// AccountStore on Redis: Lua scripts check, write and log each change atomically; each
// API key hash is reserved for one org with a key of its own, so no two orgs share one.
#include "redis_account_store.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <tuple>
#include <utility>

#include "redis_codec.h"
#include "redis_layout.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/index/org_directory_codec.h"

namespace tollgate::storage {
namespace {

namespace layout = redis_layout;

// The scripts spell the directory hash's fields as layout::kRevisionField and kJsonField do.

// KEYS: orgs, directory. ARGV: change log, message, org, created_at, revision, json.
constexpr std::string_view kCreateOrgScript = R"lua(
if redis.call('HSETNX', KEYS[1], ARGV[3], ARGV[4]) == 0 then return 'exists' end
redis.call('HSET', KEYS[2], 'revision', ARGV[5], 'json', ARGV[6])
append_change(ARGV[1], ARGV[2])
return 'ok'
)lua";

// KEYS: orgs, directory, org's key-hash set. ARGV: change log, message, org, expected revision,
// json, API-key key prefix, key hashes… Every check comes before the first write: a script
// that stops half-way keeps what it wrote.
constexpr std::string_view kReplaceScript = R"lua(
if redis.call('HEXISTS', KEYS[1], ARGV[3]) == 0 then return 'no_org' end
if redis.call('HGET', KEYS[2], 'revision') ~= ARGV[4] then return 'stale' end
local keep = {}
for i = 7, #ARGV do
  local owner = redis.call('GET', ARGV[6] .. ARGV[i])
  if owner and owner ~= ARGV[3] then return 'key_taken' end
  keep[ARGV[i]] = true
end
for _, old in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if not keep[old] and redis.call('GET', ARGV[6] .. old) == ARGV[3] then
    redis.call('DEL', ARGV[6] .. old)
  end
end
redis.call('DEL', KEYS[3])
for i = 7, #ARGV do
  redis.call('SET', ARGV[6] .. ARGV[i], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[i])
end
redis.call('HINCRBY', KEYS[2], 'revision', 1)
redis.call('HSET', KEYS[2], 'json', ARGV[5])
append_change(ARGV[1], ARGV[2])
return 'ok'
)lua";

// KEYS: orgs, directory, org's key-hash set, legacy user set. ARGV: change log, message, org,
// revision, json, API-key key prefix, legacy user key prefix, number of users N, N user
// names, key hashes… The reservations of the users' keys are taken over for the org.
constexpr std::string_view kConvertScript = R"lua(
if redis.call('HEXISTS', KEYS[1], ARGV[3]) == 0 then return 'no_org' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'exists' end
local users = tonumber(ARGV[8])
for i = 9, 8 + users do redis.call('DEL', ARGV[7] .. ARGV[i]) end
for i = 9 + users, #ARGV do
  redis.call('SET', ARGV[6] .. ARGV[i], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[i])
end
redis.call('DEL', KEYS[4])
redis.call('HSET', KEYS[2], 'revision', ARGV[4], 'json', ARGV[5])
append_change(ARGV[1], ARGV[2])
return 'ok'
)lua";

absl::Status UnknownOutcome(std::string_view outcome) {
  return absl::InternalError(Concat("unexpected answer from a redis script: ", outcome));
}

// The directory a directory hash holds. DataLoss when a field is missing or does not decode.
absl::StatusOr<DirectoryPtr> DecodeStoredDirectory(const std::string& org, const RedisHash& hash) {
  FieldReader fields(hash);
  std::optional<int64_t> revision = fields.OptionalInt(layout::kRevisionField);
  if (!revision || *revision < 0) fields.Fail(layout::kRevisionField);
  const std::string json = fields.Text(layout::kJsonField);
  if (absl::Status status = fields.status(Concat("directory of org ", org)); !status.ok()) {
    return status;
  }
  absl::StatusOr<policy::OrgDirectory> directory =
      DecodeDirectory(org, static_cast<uint64_t>(*revision), json);
  if (!directory.ok()) return directory.status();
  return std::make_shared<const policy::OrgDirectory>(*std::move(directory));
}

// A user hash of an earlier version as a member. DataLoss when a field is missing or unknown.
absl::StatusOr<policy::Member> DecodeLegacyUser(const std::string& org, const std::string& name,
                                                const RedisHash& hash) {
  FieldReader fields(hash);
  policy::Member member;
  member.name = name;
  std::optional<policy::OrgRole> role = policy::ParseOrgRole(fields.Text("role"));
  if (!role) fields.Fail("role");
  member.role = role.value_or(policy::OrgRole::kMember);
  member.key_hash = fields.Text("key_hash");
  member.created_at = fields.Time("created_at");
  if (absl::Status status = fields.status(Concat("user ", org, "/", name)); !status.ok()) {
    return status;
  }
  return member;
}

}  // namespace

RedisAccountStore::RedisAccountStore(RedisStoreContext& context)
    : context_(context),
      create_org_script_(layout::WithChangeLog(kCreateOrgScript)),
      replace_script_(layout::WithChangeLog(kReplaceScript)),
      convert_script_(layout::WithChangeLog(kConvertScript)) {}

absl::Status RedisAccountStore::CreateOrg(const std::string& org, absl::Time now) {
  policy::OrgDirectory empty;
  empty.org = org;
  empty.created_at = now;
  absl::StatusOr<StoredDirectory> stored = PrepareDirectory(empty, kFirstDirectoryRevision);
  if (!stored.ok()) return stored.status();
  std::lock_guard lock(context_.replica_mu());
  absl::StatusOr<std::string> outcome =
      context_.RunWrite(create_org_script_, {layout::OrgsKey(), layout::DirectoryKey(org)},
                        {std::string(layout::kChangeLogKey), layout::DirectoryChange(org), org,
                         EncodeTime(now), Concat(kFirstDirectoryRevision), stored->json});
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "exists") return absl::AlreadyExistsError(Concat("org ", org, " already exists"));
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  index_.Put(std::move(stored->copy));
  return absl::OkStatus();
}

absl::Status RedisAccountStore::ReplaceDirectory(const policy::OrgDirectory& directory) {
  const std::string& org = directory.org;
  absl::StatusOr<StoredDirectory> stored = PrepareDirectory(directory, directory.revision + 1);
  if (!stored.ok()) return stored.status();
  std::vector<std::string> args = {std::string(layout::kChangeLogKey),
                                   layout::DirectoryChange(org),
                                   org,
                                   Concat(directory.revision),
                                   stored->json,
                                   std::string(layout::kApiKeyKeyPrefix)};
  args.insert(args.end(), stored->key_hashes.begin(), stored->key_hashes.end());
  std::lock_guard lock(context_.replica_mu());
  absl::StatusOr<std::string> outcome = context_.RunWrite(
      replace_script_, {layout::OrgsKey(), layout::DirectoryKey(org), layout::OrgApiKeysKey(org)},
      args);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "no_org") return absl::NotFoundError(Concat("org ", org, " does not exist"));
  if (*outcome == "stale") {
    // This replica may be what was behind: catch it up, so that a retry reads the current
    // directory. On failure the next message or reload does.
    Refresh(org).IgnoreError();
    return absl::AbortedError(Concat("the directory of org ", org, " changed since revision ",
                                     directory.revision, "; read it again"));
  }
  if (*outcome == "key_taken") {
    return absl::AlreadyExistsError(
        Concat("an API key of org ", org, " belongs to an account of another org"));
  }
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  index_.Put(std::move(stored->copy));
  return absl::OkStatus();
}

bool RedisAccountStore::AnyOrgExists() const { return !index_.Empty(); }

DirectoryPtr RedisAccountStore::Directory(const std::string& org) const { return index_.Get(org); }

std::optional<policy::Principal> RedisAccountStore::FindByKeyHash(
    const std::string& key_hash) const {
  return index_.FindByKeyHash(key_hash);
}

absl::Status RedisAccountStore::ConvertLegacyUsers() {
  absl::StatusOr<RedisReply> orgs_reply = context_.Command({"HGETALL", layout::OrgsKey()});
  if (!orgs_reply.ok()) return orgs_reply.status();
  absl::StatusOr<RedisHash> orgs = HashFields(*orgs_reply);
  if (!orgs.ok()) return orgs.status();
  std::vector<std::pair<std::string, std::string>> listed(orgs->begin(), orgs->end());
  std::vector<std::vector<std::string>> batch;
  batch.reserve(listed.size());
  for (const auto& [org, created_at] : listed) {
    batch.push_back({"EXISTS", layout::DirectoryKey(org)});
  }
  absl::StatusOr<std::vector<RedisReply>> exists = context_.Commands(batch);
  if (!exists.ok()) return exists.status();
  for (size_t i = 0; i < listed.size(); ++i) {
    if ((*exists)[i].type != RedisReply::Type::kInteger) {
      return absl::InternalError(Concat("unexpected reply to EXISTS: ", (*exists)[i].str));
    }
    if ((*exists)[i].integer == 1) continue;
    const auto& [org, created_at_text] = listed[i];
    std::optional<absl::Time> created_at = DecodeTime(created_at_text);
    if (!created_at) {
      return absl::DataLossError(Concat("org ", org, " has an unknown created_at"));
    }
    if (absl::Status converted = ConvertLegacyOrg(org, *created_at); !converted.ok()) {
      return converted;
    }
  }
  return absl::OkStatus();
}

absl::Status RedisAccountStore::ConvertLegacyOrg(const std::string& org, absl::Time created_at) {
  absl::StatusOr<RedisReply> names_reply =
      context_.Command({"SMEMBERS", layout::LegacyOrgUsersKey(org)});
  if (!names_reply.ok()) return names_reply.status();
  absl::StatusOr<std::vector<std::string>> names = ArrayStrings(*names_reply);
  if (!names.ok()) return names.status();
  std::vector<std::vector<std::string>> batch;
  batch.reserve(names->size());
  for (const std::string& name : *names) {
    batch.push_back({"HGETALL", Concat(layout::LegacyUserKeyPrefix(org), name)});
  }
  absl::StatusOr<std::vector<RedisReply>> users = context_.Commands(batch);
  if (!users.ok()) return users.status();

  policy::OrgDirectory directory;
  directory.org = org;
  directory.created_at = created_at;
  for (size_t i = 0; i < names->size(); ++i) {
    absl::StatusOr<RedisHash> hash = HashFields((*users)[i]);
    if (!hash.ok()) return hash.status();
    if (hash->empty()) continue;  // a name whose user hash was already gone
    absl::StatusOr<policy::Member> member = DecodeLegacyUser(org, (*names)[i], *hash);
    if (!member.ok()) return member.status();
    directory.members.push_back(*std::move(member));
  }
  std::sort(directory.members.begin(), directory.members.end(),
            [](const policy::Member& a, const policy::Member& b) {
              return std::tie(a.created_at, a.name) < std::tie(b.created_at, b.name);
            });
  absl::StatusOr<StoredDirectory> stored = PrepareDirectory(directory, kFirstDirectoryRevision);
  if (!stored.ok()) return stored.status();

  std::vector<std::string> args = {std::string(layout::kChangeLogKey),
                                   layout::DirectoryChange(org),
                                   org,
                                   Concat(kFirstDirectoryRevision),
                                   stored->json,
                                   std::string(layout::kApiKeyKeyPrefix),
                                   layout::LegacyUserKeyPrefix(org),
                                   Concat(names->size())};
  args.insert(args.end(), names->begin(), names->end());
  args.insert(args.end(), stored->key_hashes.begin(), stored->key_hashes.end());
  absl::StatusOr<std::string> outcome =
      context_.RunWrite(convert_script_,
                        {layout::OrgsKey(), layout::DirectoryKey(org), layout::OrgApiKeysKey(org),
                         layout::LegacyOrgUsersKey(org)},
                        args);
  if (!outcome.ok()) return outcome.status();
  // 'exists': another instance converted the org first.
  if (*outcome != "ok" && *outcome != "exists") return UnknownOutcome(*outcome);
  return absl::OkStatus();
}

absl::StatusOr<RedisAccountStore::Snapshot> RedisAccountStore::Fetch(bool strict) {
  absl::StatusOr<RedisReply> orgs_reply = context_.Command({"HKEYS", layout::OrgsKey()});
  if (!orgs_reply.ok()) return orgs_reply.status();
  absl::StatusOr<std::vector<std::string>> orgs = ArrayStrings(*orgs_reply);
  if (!orgs.ok()) return orgs.status();
  Snapshot snapshot;
  snapshot.orgs = *std::move(orgs);

  std::vector<std::vector<std::string>> batch;
  batch.reserve(snapshot.orgs.size());
  for (const std::string& org : snapshot.orgs) {
    batch.push_back({"HGETALL", layout::DirectoryKey(org)});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = context_.Commands(batch);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < snapshot.orgs.size(); ++i) {
    absl::StatusOr<RedisHash> hash = HashFields((*replies)[i]);
    if (!hash.ok()) {
      if (strict || !absl::IsDataLoss(hash.status())) return hash.status();
      continue;
    }
    // Only an org that an instance of an earlier version created after the conversion lacks
    // one; it is not served.
    if (hash->empty()) continue;
    absl::StatusOr<DirectoryPtr> directory = DecodeStoredDirectory(snapshot.orgs[i], *hash);
    if (!directory.ok()) {
      if (strict) return directory.status();
      continue;
    }
    snapshot.directories.push_back(*std::move(directory));
  }
  return snapshot;
}

absl::Status RedisAccountStore::Refresh(const std::string& org) {
  absl::StatusOr<RedisReply> reply = context_.Command({"HGETALL", layout::DirectoryKey(org)});
  if (!reply.ok()) return reply.status();
  absl::StatusOr<RedisHash> hash = HashFields(*reply);
  if (!hash.ok() && !absl::IsDataLoss(hash.status())) return hash.status();
  absl::StatusOr<DirectoryPtr> directory =
      absl::NotFoundError(Concat("directory of org ", org, " is gone"));
  if (!hash.ok()) {
    directory = hash.status();
  } else if (!hash->empty()) {
    directory = DecodeStoredDirectory(org, *hash);
  }
  if (directory.ok()) {
    index_.Put(*std::move(directory));
  } else {
    // Gone, or unreadable by this version: its keys must stop working here.
    index_.Remove(org);
  }
  return absl::OkStatus();
}

}  // namespace tollgate::storage
