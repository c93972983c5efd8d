// AccountStore on Redis: Lua scripts check, write and publish each change atomically; the
// API key hash is reserved with a key of its own, so no two accounts share one.
#include "redis_account_store.h"

#include <mutex>
#include <utility>

#include "redis_codec.h"
#include "redis_layout.h"
#include "tollgate/policy/concat.h"

namespace tollgate::storage {
namespace {

namespace layout = redis_layout;

// KEYS: orgs. ARGV: channel, message, org, created_at.
constexpr std::string_view kCreateOrgScript = R"lua(
if redis.call('HSETNX', KEYS[1], ARGV[3], ARGV[4]) == 0 then return 'exists' end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 'ok'
)lua";

// KEYS: orgs, user, org's user set, API key reservation. ARGV: channel, message, org, name,
// field/value pairs.
constexpr std::string_view kCreateUserScript = R"lua(
if redis.call('HEXISTS', KEYS[1], ARGV[3]) == 0 then return 'no_org' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'exists' end
if not redis.call('SET', KEYS[4], KEYS[2], 'NX') then return 'exists' end
redis.call('HSET', KEYS[2], unpack(ARGV, 5))
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 'ok'
)lua";

std::vector<std::string> EncodeUser(const Account& account, const std::string& key_hash) {
  FieldWriter fields;
  fields.Text("role", OrgRoleName(account.role));
  fields.Text("key_hash", key_hash);
  fields.Time("created_at", account.created_at);
  return fields.pairs();
}

// The account and its key hash; DataLoss when a field is missing or unknown.
absl::StatusOr<std::pair<std::string, Account>> DecodeUser(const std::string& org,
                                                           const std::string& name,
                                                           const RedisHash& hash) {
  FieldReader fields(hash);
  Account account;
  account.org = org;
  account.name = name;
  std::optional<OrgRole> role = ParseOrgRole(fields.Text("role"));
  if (!role) fields.Fail("role");
  account.role = role.value_or(OrgRole::kMember);
  account.created_at = fields.Time("created_at");
  std::string key_hash = fields.Text("key_hash");
  if (absl::Status status = fields.status(Concat("user ", org, "/", name)); !status.ok()) {
    return status;
  }
  return std::make_pair(std::move(key_hash), std::move(account));
}

absl::Status UnknownOutcome(std::string_view outcome) {
  return absl::InternalError(Concat("unexpected answer from a redis script: ", outcome));
}

}  // namespace

RedisAccountStore::RedisAccountStore(RedisStoreContext& context)
    : context_(context),
      create_org_script_(kCreateOrgScript),
      create_user_script_(kCreateUserScript) {}

absl::Status RedisAccountStore::CreateOrg(const std::string& org, absl::Time now) {
  std::lock_guard lock(context_.replica_mu());
  absl::StatusOr<std::string> outcome = context_.RunWrite(
      create_org_script_, {layout::OrgsKey()},
      {std::string(layout::kChangesChannel), layout::OrgChange(org), org, EncodeTime(now)});
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "exists") return absl::AlreadyExistsError(Concat("org ", org, " already exists"));
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  std::lock_guard index_lock(mu_);
  orgs_.insert(org);
  return absl::OkStatus();
}

bool RedisAccountStore::OrgExists(const std::string& org) const {
  std::shared_lock lock(mu_);
  return orgs_.contains(org);
}

bool RedisAccountStore::AnyOrgExists() const {
  std::shared_lock lock(mu_);
  return !orgs_.empty();
}

absl::Status RedisAccountStore::CreateUser(const Account& account, const std::string& key_hash) {
  const std::vector<std::string> fields = EncodeUser(account, key_hash);
  // What every instance will decode from Redis, to the microsecond.
  absl::StatusOr<std::pair<std::string, Account>> copy =
      DecodeUser(account.org, account.name, ToHash(fields));
  if (!copy.ok()) return copy.status();
  std::vector<std::string> args = {std::string(layout::kChangesChannel),
                                   layout::UserChange(account.org, account.name), account.org,
                                   account.name};
  args.insert(args.end(), fields.begin(), fields.end());
  std::lock_guard lock(context_.replica_mu());
  absl::StatusOr<std::string> outcome =
      context_.RunWrite(create_user_script_,
                        {layout::OrgsKey(), layout::UserKey(account.org, account.name),
                         layout::OrgUsersKey(account.org), layout::ApiKeyKey(key_hash)},
                        args);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "no_org") {
    return absl::NotFoundError(Concat("org ", account.org, " does not exist"));
  }
  if (*outcome == "exists") {
    // Keys are random, so in practice it is the name that collided.
    return absl::AlreadyExistsError(
        Concat("user ", account.org, "/", account.name, " already exists"));
  }
  if (*outcome != "ok") return UnknownOutcome(*outcome);
  std::lock_guard index_lock(mu_);
  PutUserLocked(copy->first, copy->second);
  return absl::OkStatus();
}

std::optional<Account> RedisAccountStore::FindByKeyHash(const std::string& key_hash) const {
  std::shared_lock lock(mu_);
  auto it = by_key_hash_.find(key_hash);
  if (it == by_key_hash_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<RedisAccountStore::Snapshot> RedisAccountStore::Fetch(bool strict) {
  absl::StatusOr<RedisReply> orgs_reply = context_.Command({"HKEYS", layout::OrgsKey()});
  if (!orgs_reply.ok()) return orgs_reply.status();
  absl::StatusOr<std::vector<std::string>> orgs = ArrayStrings(*orgs_reply);
  if (!orgs.ok()) return orgs.status();
  Snapshot snapshot;
  snapshot.orgs = *std::move(orgs);

  std::vector<std::vector<std::string>> batch;
  for (const std::string& org : snapshot.orgs) {
    batch.push_back({"SMEMBERS", layout::OrgUsersKey(org)});
  }
  absl::StatusOr<std::vector<RedisReply>> name_replies = context_.Commands(batch);
  if (!name_replies.ok()) return name_replies.status();
  std::vector<UserName> names;
  for (size_t i = 0; i < snapshot.orgs.size(); ++i) {
    absl::StatusOr<std::vector<std::string>> org_names = ArrayStrings((*name_replies)[i]);
    if (!org_names.ok()) return org_names.status();
    for (std::string& name : *org_names) names.emplace_back(snapshot.orgs[i], std::move(name));
  }

  batch.clear();
  for (const auto& [org, name] : names) batch.push_back({"HGETALL", layout::UserKey(org, name)});
  absl::StatusOr<std::vector<RedisReply>> user_replies = context_.Commands(batch);
  if (!user_replies.ok()) return user_replies.status();
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StatusOr<RedisHash> hash = HashFields((*user_replies)[i]);
    if (!hash.ok()) return hash.status();
    if (hash->empty()) continue;  // removed since the org's set was read
    absl::StatusOr<std::pair<std::string, Account>> user =
        DecodeUser(names[i].first, names[i].second, *hash);
    if (!user.ok()) {
      if (strict) return user.status();
      continue;
    }
    snapshot.users.push_back(*std::move(user));
  }
  return snapshot;
}

void RedisAccountStore::Reset(const Snapshot& snapshot) {
  std::lock_guard lock(mu_);
  orgs_ = absl::flat_hash_set<std::string>(snapshot.orgs.begin(), snapshot.orgs.end());
  by_key_hash_.clear();
  key_hash_of_.clear();
  for (const auto& [key_hash, account] : snapshot.users) PutUserLocked(key_hash, account);
}

absl::Status RedisAccountStore::RefreshOrg(const std::string& org) {
  absl::StatusOr<RedisReply> reply = context_.Command({"HEXISTS", layout::OrgsKey(), org});
  if (!reply.ok()) return reply.status();
  if (reply->type != RedisReply::Type::kInteger) {
    return absl::InternalError(Concat("unexpected reply to HEXISTS: ", reply->str));
  }
  std::lock_guard lock(mu_);
  if (reply->integer == 1) {
    orgs_.insert(org);
  } else {
    orgs_.erase(org);
  }
  return absl::OkStatus();
}

absl::Status RedisAccountStore::RefreshUser(const std::string& org, const std::string& name) {
  absl::StatusOr<RedisReply> reply = context_.Command({"HGETALL", layout::UserKey(org, name)});
  if (!reply.ok()) return reply.status();
  absl::StatusOr<RedisHash> hash = HashFields(*reply);
  if (!hash.ok()) return hash.status();
  absl::StatusOr<std::pair<std::string, Account>> user =
      absl::NotFoundError(Concat("user ", org, "/", name, " is gone"));
  if (!hash->empty()) user = DecodeUser(org, name, *hash);
  std::lock_guard lock(mu_);
  if (user.ok()) {
    PutUserLocked(user->first, user->second);
  } else {
    // Removed, or unreadable by this version: its key must stop working here.
    EraseUserLocked({org, name});
  }
  return absl::OkStatus();
}

void RedisAccountStore::PutUserLocked(const std::string& key_hash, const Account& account) {
  EraseUserLocked({account.org, account.name});
  by_key_hash_.insert_or_assign(key_hash, account);
  key_hash_of_.insert_or_assign(UserName(account.org, account.name), key_hash);
}

void RedisAccountStore::EraseUserLocked(const UserName& user) {
  auto it = key_hash_of_.find(user);
  if (it == key_hash_of_.end()) return;
  by_key_hash_.erase(it->second);
  key_hash_of_.erase(it);
}

}  // namespace tollgate::storage
