// Tests of what only the Redis stores do: instances sharing one Redis see each other's
// writes, share the token-hash key, and keep serving from their replica through an outage.
#include "tollgate/storage/redis/redis_stores.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "eventually.h"
#include "redis_server.h"
#include "tollgate/storage/redis/redis_change_follower.h"
#include "tollgate/storage/redis/redis_sync_client.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {
namespace {

using policy::Entitlement;
using policy::OrgDirectory;
using policy::OrgRole;
using testing::Eventually;

const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);
// SPEC §4.3: changes take effect on every instance within a second.
constexpr absl::Duration kPropagation = absl::Seconds(1);
// Noticing an outage or a recovery: a heartbeat, plus reconnect backoff of up to 2 s.
constexpr absl::Duration kDetection = absl::Seconds(5);

Repository Agents() {
  Repository repository;
  repository.org = "acme";
  repository.slug = "agents";
  repository.created_at = kNow;
  return repository;
}

Entitlement Token(const std::string& identifier, const std::string& token) {
  Entitlement e;
  e.identifier = identifier;
  e.org = "acme";
  e.repo = "agents";
  e.name = identifier;
  e.token = token;
  e.created_at = kNow;
  e.updated_at = kNow;
  return e;
}

// Replaces `org`'s directory on `stores` with its current copy as `change` leaves it.
absl::Status Change(const Stores& stores, const std::string& org,
                    const std::function<void(OrgDirectory&)>& change) {
  DirectoryPtr current = stores.accounts->Directory(org);
  if (current == nullptr) return absl::NotFoundError(org);
  OrgDirectory next = *current;
  change(next);
  return stores.accounts->ReplaceDirectory(next);
}

// Adds member `name` with key hash `key_hash` to `org` on `stores`.
absl::Status AddMember(const Stores& stores, const std::string& org, const std::string& name,
                       OrgRole role, const std::string& key_hash) {
  return Change(stores, org, [&](OrgDirectory& d) {
    d.members.push_back({name, role, key_hash, kNow});
  });
}

// Two instances, A and B, on one fresh redis-server; org acme and repository acme/agents
// exist, and B has seen them.
class RedisStoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_.port = redis_.port();
    ASSERT_NO_FATAL_FAILURE(Open(a_));
    ASSERT_NO_FATAL_FAILURE(Open(b_));
    ASSERT_TRUE(a_.accounts->CreateOrg("acme", kNow).ok());
    ASSERT_TRUE(a_.repositories->Create(Agents()).ok());
    ASSERT_TRUE(Eventually([this] { return b_.repositories->Get("acme", "agents") != nullptr; },
                           kPropagation));
  }

  void Open(Stores& stores) {
    absl::StatusOr<Stores> opened = OpenRedisStores(endpoint_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    stores = *std::move(opened);
  }

  // Runs one command on the server directly, as an operator or a fault would.
  void Raw(const std::vector<std::string>& command) {
    absl::StatusOr<RedisReply> reply = RedisSyncClient(endpoint_).Command(command);
    ASSERT_TRUE(reply.ok()) << reply.status();
    ASSERT_FALSE(reply->is_error()) << reply->str;
  }

  // Runs commands in one MULTI on the server directly.
  void RawTransaction(const std::vector<std::vector<std::string>>& commands) {
    ASSERT_TRUE(RedisSyncClient(endpoint_).Transaction(commands).ok());
  }

  // Drops the change-log connections of both instances, as a network fault would.
  void KillFollowers() {
    absl::StatusOr<RedisReply> list = RedisSyncClient(endpoint_).Command({"CLIENT", "LIST"});
    ASSERT_TRUE(list.ok()) << list.status();
    const std::vector<std::string> followers =
        ::tollgate::testing::ClientIdsNamed(list->str, kChangeFollowerClientName);
    ASSERT_EQ(followers.size(), 2u) << list->str;  // A's and B's
    for (const std::string& id : followers) Raw({"CLIENT", "KILL", "ID", id});
  }

  // Runs one command on the server directly and returns its integer reply.
  int64_t Integer(const std::vector<std::string>& command) {
    absl::StatusOr<RedisReply> reply = RedisSyncClient(endpoint_).Command(command);
    EXPECT_TRUE(reply.ok() && reply->type == RedisReply::Type::kInteger);
    return reply.ok() ? reply->integer : -1;
  }

  bool BFinds(const std::string& token) {
    return b_.entitlements->FindByToken("acme", "agents", token) != nullptr;
  }

  ::tollgate::testing::RedisServer redis_;  // first: outlives the stores
  RedisEndpoint endpoint_;
  Stores a_;
  Stores b_;
};

// Propagation between instances (SPEC §4.3).

// A token created on one instance works on another within a second.
TEST_F(RedisStoresTest, CreatedTokenReachesOtherInstance) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-new-111")).ok());
  EXPECT_TRUE(Eventually([this] { return BFinds("token-new-111"); }, kPropagation));
}

// A token disabled on one instance is disabled on another within a second.
TEST_F(RedisStoresTest, DisabledTokenReachesOtherInstance) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-abc-123"); }, kPropagation));
  Entitlement disabled = Token("e1", "token-abc-123");
  disabled.is_active = false;
  disabled.updated_at = kNow + absl::Seconds(1);
  ASSERT_TRUE(a_.entitlements->Update(disabled, kNow).ok());
  EXPECT_TRUE(Eventually(
      [this] {
        EntitlementPtr found = b_.entitlements->FindByToken("acme", "agents", "token-abc-123");
        return found != nullptr && !found->is_active;
      },
      kPropagation));
}

// A token deleted on one instance stops working on another within a second.
TEST_F(RedisStoresTest, DeletedTokenStopsWorkingOnOtherInstance) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-abc-123"); }, kPropagation));
  ASSERT_TRUE(a_.entitlements->Delete("acme", "agents", "e1").ok());
  EXPECT_TRUE(Eventually([this] { return !BFinds("token-abc-123"); }, kPropagation));
  EXPECT_FALSE(b_.entitlements->ContainsToken("token-abc-123"));
}

// A token refreshed on one instance answers only to its new string on another within a
// second.
TEST_F(RedisStoresTest, RefreshedTokenRetiresOldStringOnOtherInstance) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-old-111")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-old-111"); }, kPropagation));
  Entitlement refreshed = Token("e1", "token-new-222");
  refreshed.updated_at = kNow + absl::Seconds(1);
  ASSERT_TRUE(a_.entitlements->Update(refreshed, kNow).ok());
  EXPECT_TRUE(Eventually([this] { return !BFinds("token-old-111") && BFinds("token-new-222"); },
                         kPropagation));
}

// An update on B that read the token before A refreshed it is Aborted, leaves the refresh in
// place, and leaves B holding the refreshed token, so that a retry succeeds at once.
TEST_F(RedisStoresTest, UpdateFromBeforeARefreshOnOtherInstanceIsAborted) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-old-111")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-old-111"); }, kPropagation));
  const Entitlement read_on_b = *b_.entitlements->Get("acme", "agents", "e1");
  Entitlement refreshed = Token("e1", "token-new-222");
  refreshed.updated_at = kNow + absl::Seconds(1);
  ASSERT_TRUE(a_.entitlements->Update(refreshed, kNow).ok());

  Entitlement renamed = read_on_b;
  renamed.name = "renamed";
  renamed.updated_at = kNow + absl::Seconds(2);
  EXPECT_EQ(b_.entitlements->Update(renamed, read_on_b.updated_at).code(),
            absl::StatusCode::kAborted);
  EXPECT_FALSE(BFinds("token-old-111"));
  Entitlement retry = *b_.entitlements->Get("acme", "agents", "e1");
  EXPECT_EQ(retry.token, "token-new-222");
  const absl::Time retry_read_at = retry.updated_at;
  retry.name = "renamed";
  retry.updated_at = kNow + absl::Seconds(2);
  ASSERT_TRUE(b_.entitlements->Update(retry, retry_read_at).ok());
  EXPECT_TRUE(Eventually(
      [this] {
        EntitlementPtr found = a_.entitlements->Get("acme", "agents", "e1");
        return found->name == "renamed" && found->token == "token-new-222";
      },
      kPropagation));
}

// A replica that missed a change (no message) refuses an update based on it as stale, and
// catches up with that token at once.
TEST_F(RedisStoresTest, StaleReplicaUpdateCatchesTheReplicaUp) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  const Entitlement read = *a_.entitlements->Get("acme", "agents", "e1");
  const absl::Time changed_at = kNow + absl::Seconds(5);
  // Disabled behind the stores' back: no message.
  Raw({"HSET", "tollgate:{tok:e1}:ent", "is_active", "0", "updated_at",
       std::to_string(absl::ToUnixMicros(changed_at))});
  Entitlement renamed = read;
  renamed.name = "renamed";
  renamed.updated_at = kNow + absl::Seconds(1);
  EXPECT_EQ(a_.entitlements->Update(renamed, read.updated_at).code(), absl::StatusCode::kAborted);
  Entitlement current = *a_.entitlements->Get("acme", "agents", "e1");
  EXPECT_FALSE(current.is_active);
  EXPECT_EQ(current.updated_at, changed_at);
  current.name = "renamed";
  current.updated_at = changed_at + absl::Seconds(1);
  ASSERT_TRUE(a_.entitlements->Update(current, changed_at).ok());
  EXPECT_FALSE(a_.entitlements->Get("acme", "agents", "e1")->is_active);
}

// Standard tokens replaced on one instance are replaced on another, user tokens kept.
TEST_F(RedisStoresTest, ReplacedStandardTokensReachOtherInstance) {
  ASSERT_TRUE(a_.entitlements->Create(Token("old1", "token-old-111")).ok());
  Entitlement user_token = Token("mine", "token-user-333");
  user_token.user = "alice";
  ASSERT_TRUE(a_.entitlements->Create(user_token).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-old-111") && BFinds("token-user-333"); },
                         kPropagation));
  ASSERT_TRUE(
      a_.entitlements->ReplaceStandardTokens("acme", "agents", {Token("new1", "token-new-444")})
          .ok());
  EXPECT_TRUE(Eventually([this] { return BFinds("token-new-444") && !BFinds("token-old-111"); },
                         kPropagation));
  EXPECT_TRUE(BFinds("token-user-333"));
  EXPECT_EQ(b_.entitlements->List("acme", "agents").size(), 2u);
}

// A repository deleted on one instance takes its tokens with it on another.
TEST_F(RedisStoresTest, RepositoryDeleteReachesOtherInstance) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-abc-123"); }, kPropagation));
  ASSERT_TRUE(a_.repositories->Delete("acme", "agents").ok());
  EXPECT_TRUE(Eventually(
      [this] { return !b_.repositories->Get("acme", "agents") && !BFinds("token-abc-123"); },
      kPropagation));
}

// A repository deleted and created again at once leaves no old token behind elsewhere.
TEST_F(RedisStoresTest, RecreatedRepositoryDropsOldTokensOnOtherInstance) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-abc-123"); }, kPropagation));
  ASSERT_TRUE(a_.repositories->Delete("acme", "agents").ok());
  ASSERT_TRUE(a_.repositories->Create(Agents()).ok());
  ASSERT_TRUE(a_.entitlements->Create(Token("e2", "token-xyz-789")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-xyz-789"); }, kPropagation));
  EXPECT_FALSE(BFinds("token-abc-123"));
}

// A member added on one instance is found by its API key hash on another, with its role and
// the new revision.
TEST_F(RedisStoresTest, DirectoryChangeReachesOtherInstance) {
  ASSERT_TRUE(AddMember(a_, "acme", "alice", OrgRole::kManager, "hash-1").ok());
  const uint64_t revision = a_.accounts->Directory("acme")->revision;
  ASSERT_TRUE(Eventually([this] { return b_.accounts->FindByKeyHash("hash-1").has_value(); },
                         kPropagation));
  EXPECT_EQ(b_.accounts->FindByKeyHash("hash-1")->role, OrgRole::kManager);
  EXPECT_EQ(b_.accounts->Directory("acme")->revision, revision);
}

// A key rotated on one instance answers only to its new hash on another within a second.
TEST_F(RedisStoresTest, RotatedKeyFailsOnOtherInstance) {
  ASSERT_TRUE(AddMember(a_, "acme", "alice", OrgRole::kOwner, "hash-old").ok());
  ASSERT_TRUE(Eventually([this] { return b_.accounts->FindByKeyHash("hash-old").has_value(); },
                         kPropagation));
  ASSERT_TRUE(Change(a_, "acme", [](OrgDirectory& d) {
                d.FindMember("alice")->key_hash = "hash-new";
              }).ok());
  EXPECT_TRUE(Eventually(
      [this] {
        return !b_.accounts->FindByKeyHash("hash-old").has_value() &&
               b_.accounts->FindByKeyHash("hash-new").has_value();
      },
      kPropagation));
}

// A member removed on one instance loses its key on another within a second (SPEC §4.3).
TEST_F(RedisStoresTest, RemovedMemberFailsOnOtherInstance) {
  ASSERT_TRUE(AddMember(a_, "acme", "alice", OrgRole::kOwner, "hash-1").ok());
  ASSERT_TRUE(Eventually([this] { return b_.accounts->FindByKeyHash("hash-1").has_value(); },
                         kPropagation));
  ASSERT_TRUE(Change(a_, "acme", [](OrgDirectory& d) { d.members.clear(); }).ok());
  EXPECT_TRUE(Eventually([this] { return !b_.accounts->FindByKeyHash("hash-1").has_value(); },
                         kPropagation));
}

// Two instances replacing the same revision: the second is Aborted, whatever its replica saw.
TEST_F(RedisStoresTest, ConcurrentReplacementsOnTwoInstancesAbortOne) {
  ASSERT_TRUE(
      Eventually([this] { return b_.accounts->Directory("acme") != nullptr; }, kPropagation));
  const OrgDirectory on_b = *b_.accounts->Directory("acme");
  ASSERT_TRUE(AddMember(a_, "acme", "alice", OrgRole::kOwner, "hash-a").ok());
  OrgDirectory changed = on_b;
  changed.members.push_back({"mallory", OrgRole::kOwner, "hash-m", kNow});
  EXPECT_EQ(b_.accounts->ReplaceDirectory(changed).code(), absl::StatusCode::kAborted);
  EXPECT_FALSE(a_.accounts->FindByKeyHash("hash-m").has_value());
}

// After an Aborted replacement the instance holds the current directory, though no message
// announced the change: a retry can read it at once.
TEST_F(RedisStoresTest, AbortedReplacementCatchesTheReplicaUp) {
  const OrgDirectory read = *a_.accounts->Directory("acme");
  Raw({"HINCRBY", "tollgate:org:acme:directory", "revision", "1"});  // behind the stores' back
  EXPECT_EQ(a_.accounts->ReplaceDirectory(read).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(a_.accounts->Directory("acme")->revision, read.revision + 1);
  EXPECT_TRUE(a_.accounts->ReplaceDirectory(*a_.accounts->Directory("acme")).ok());
}

// A key hash one org holds is refused to another org through any instance.
TEST_F(RedisStoresTest, KeyHashIsReservedAcrossInstances) {
  ASSERT_TRUE(AddMember(a_, "acme", "alice", OrgRole::kOwner, "hash-1").ok());
  ASSERT_TRUE(b_.accounts->CreateOrg("globex", kNow).ok());
  EXPECT_EQ(AddMember(b_, "globex", "bob", OrgRole::kOwner, "hash-1").code(),
            absl::StatusCode::kAlreadyExists);
}

// A directory that this version cannot read takes its keys out of service.
TEST_F(RedisStoresTest, UnreadableDirectoryFailsClosed) {
  ASSERT_TRUE(AddMember(a_, "acme", "alice", OrgRole::kOwner, "hash-1").ok());
  ASSERT_TRUE(Eventually([this] { return b_.accounts->FindByKeyHash("hash-1").has_value(); },
                         kPropagation));
  Raw({"HSET", "tollgate:org:acme:directory", "json",
       R"({"created_at":0,"members":[{"name":"alice","role":"emperor"}]})"});
  Raw({"XADD", "tollgate:changelog", "*", "change", "dir acme"});
  EXPECT_TRUE(Eventually([this] { return !b_.accounts->FindByKeyHash("hash-1").has_value(); },
                         kPropagation));
}

// Users stored by an earlier version become members of their org's directory when an
// instance opens the store, keeping their keys; the old keys are deleted.
TEST_F(RedisStoresTest, LegacyUsersAreConvertedOnOpen) {
  const std::string created = std::to_string(absl::ToUnixMicros(kNow));
  Raw({"HSET", "tollgate:orgs", "globex", created});
  Raw({"SADD", "tollgate:org:globex:users", "bob", "carol"});
  Raw({"HSET", "tollgate:user:globex:bob", "role", "owner", "key_hash", "hash-bob", "created_at",
       created});
  Raw({"HSET", "tollgate:user:globex:carol", "role", "member", "key_hash", "hash-carol",
       "created_at", created});
  Raw({"SET", "tollgate:apikey:hash-bob", "tollgate:user:globex:bob"});
  Raw({"SET", "tollgate:apikey:hash-carol", "tollgate:user:globex:carol"});

  Stores c;
  ASSERT_NO_FATAL_FAILURE(Open(c));
  std::optional<policy::Principal> bob = c.accounts->FindByKeyHash("hash-bob");
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->org, "globex");
  EXPECT_EQ(bob->role, OrgRole::kOwner);
  DirectoryPtr directory = c.accounts->Directory("globex");
  ASSERT_NE(directory, nullptr);
  EXPECT_EQ(directory->created_at, kNow);
  ASSERT_EQ(directory->members.size(), 2u);
  EXPECT_EQ(directory->members[0].name, "bob");
  EXPECT_EQ(directory->members[1].role, OrgRole::kMember);
  EXPECT_EQ(Integer({"EXISTS", "tollgate:user:globex:bob", "tollgate:org:globex:users"}), 0);
  // The converted keys stay reserved, and the org's own replacements manage them.
  EXPECT_EQ(AddMember(c, "acme", "mallory", OrgRole::kOwner, "hash-bob").code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(Change(c, "globex", [](OrgDirectory& d) { d.members.pop_back(); }).ok());
  EXPECT_TRUE(AddMember(c, "acme", "carol", OrgRole::kMember, "hash-carol").ok());
}

// An org created on one instance exists on another.
TEST_F(RedisStoresTest, OrgReachesOtherInstance) {
  ASSERT_TRUE(a_.accounts->CreateOrg("globex", kNow).ok());
  EXPECT_TRUE(
      Eventually([this] { return b_.accounts->Directory("globex") != nullptr; }, kPropagation));
}

// Artifact records written through one instance are read through another at once.
TEST_F(RedisStoresTest, ArtifactRecordIsReadByOtherInstance) {
  ArtifactRecord record;
  record.org = "acme";
  record.repo = "agents";
  record.path = "pool/a_1.0_amd64.deb";
  record.sha256 = std::string(64, 'b');
  record.uploaded_at = kNow;
  ASSERT_TRUE(a_.artifacts->Put(record).ok());
  EXPECT_TRUE(b_.artifacts->Get("acme", "agents", record.path).has_value());
}

// A signing key replaced through one instance is the one another instance reads at once.
TEST_F(RedisStoresTest, SigningKeyIsReadByOtherInstance) {
  ASSERT_TRUE(a_.signing_keys->Put("acme", "agents", {"public", "secret", "FPR-A"}).ok());
  absl::StatusOr<SigningKeyMaterial> read = b_.signing_keys->Get("acme", "agents");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->fingerprint, "FPR-A");
}

// A signing key left behind by an earlier repository of the same name (deleted by a version
// that kept no keys) is not inherited by a new repository.
TEST_F(RedisStoresTest, NewRepositoryDropsALeftoverSigningKey) {
  Repository tools = Agents();
  tools.slug = "tools";
  ASSERT_NO_FATAL_FAILURE(Raw({"HSET", "tollgate:repo:acme:tools:signing", "public_key", "p",
                               "secret_key", "s", "fingerprint", "LEFTOVER"}));
  ASSERT_TRUE(a_.repositories->Create(tools).ok());
  EXPECT_EQ(a_.signing_keys->Get("acme", "tools").status().code(), absl::StatusCode::kNotFound);
}

// The token-hash key.

// A token string taken through one instance is refused through another: both hash it with
// the same key.
TEST_F(RedisStoresTest, TokenHashKeyIsShared) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  EXPECT_EQ(b_.entitlements->Create(Token("e2", "token-abc-123")).code(),
            absl::StatusCode::kAlreadyExists);
}

// Instances that open an empty Redis at the same moment agree on one token-hash key.
TEST_F(RedisStoresTest, InstancesOpeningTogetherAgreeOnTheKey) {
  Raw({"FLUSHALL"});
  Stores c;
  Stores d;
  std::thread open_c([&] { Open(c); });
  Open(d);
  open_c.join();
  ASSERT_TRUE(c.entitlements != nullptr && d.entitlements != nullptr);
  ASSERT_TRUE(c.accounts->CreateOrg("acme", kNow).ok());
  ASSERT_TRUE(c.repositories->Create(Agents()).ok());
  ASSERT_TRUE(c.entitlements->Create(Token("e1", "token-abc-123")).ok());
  EXPECT_EQ(d.entitlements->Create(Token("e2", "token-abc-123")).code(),
            absl::StatusCode::kAlreadyExists);
}

// Keeping the replica.

// A replica that lost its connection catches up from the change log, not by loading
// everything: a token deleted behind the stores' back (no entry) meanwhile stays, while the
// change logged meanwhile arrives.
TEST_F(RedisStoresTest, ReconnectCatchesUpFromTheLog) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-abc-123"); }, kPropagation));
  ASSERT_NO_FATAL_FAILURE(KillFollowers());
  Raw({"DEL", "tollgate:{tok:e1}:ent"});  // no entry: only a full load would notice
  ASSERT_TRUE(a_.entitlements->Create(Token("e2", "token-def-456")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-def-456"); }, kDetection));
  EXPECT_TRUE(BFinds("token-abc-123"));
}

// A replica whose position the log was trimmed past loads everything again: a token deleted
// behind the stores' back is then gone.
TEST_F(RedisStoresTest, LogTrimmedPastTheReplicaReloadsIt) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-abc-123"); }, kPropagation));
  // In one step, so no replica reads the entry before it is trimmed.
  RawTransaction({{"DEL", "tollgate:{tok:e1}:ent"},
                  {"XADD", "tollgate:changelog", "*", "change", "ent unseen"},
                  {"XTRIM", "tollgate:changelog", "MAXLEN", "0"}});
  EXPECT_TRUE(Eventually([this] { return !BFinds("token-abc-123"); }, kDetection));
}

// A token that this version cannot read stops working instead of keeping its old value.
TEST_F(RedisStoresTest, UnreadableTokenFailsClosed) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-abc-123"); }, kPropagation));
  Raw({"HSET", "tollgate:{tok:e1}:ent", "limit_bandwidth_unit", "furlong"});
  Raw({"XADD", "tollgate:changelog", "*", "change", "ent e1"});
  EXPECT_TRUE(Eventually([this] { return !BFinds("token-abc-123"); }, kPropagation));
}

// A write still works after Redis forgot its scripts (as after a restart or failover).
TEST_F(RedisStoresTest, WritesSurviveAnEmptiedScriptCache) {
  Raw({"SCRIPT", "FLUSH"});
  EXPECT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
}

// Outage (SPEC §4.5).

// Opening fails with Unavailable when Redis does not answer.
TEST_F(RedisStoresTest, OpenWithoutRedisIsUnavailable) {
  redis_.Stop();
  EXPECT_EQ(OpenRedisStores(endpoint_).status().code(), absl::StatusCode::kUnavailable);
}

// While Redis is down, tokens, repositories and accounts are still read from the replica.
TEST_F(RedisStoresTest, ReadsServeFromReplicaWhileRedisIsDown) {
  ASSERT_TRUE(AddMember(a_, "acme", "alice", OrgRole::kOwner, "hash-1").ok());
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-abc-123"); }, kPropagation));
  redis_.Stop();
  ASSERT_TRUE(Eventually([this] { return !b_.is_reachable(); }, kDetection));
  EXPECT_TRUE(BFinds("token-abc-123"));
  EXPECT_TRUE(b_.repositories->Get("acme", "agents") != nullptr);
  EXPECT_TRUE(b_.accounts->FindByKeyHash("hash-1").has_value());
}

// is_reachable turns false when Redis goes away and true again when it is back.
TEST_F(RedisStoresTest, ReachabilityFollowsRedis) {
  EXPECT_TRUE(b_.is_reachable());
  redis_.Stop();
  EXPECT_TRUE(Eventually([this] { return !b_.is_reachable(); }, kDetection));
  redis_.Start();
  EXPECT_TRUE(Eventually([this] { return b_.is_reachable(); }, kDetection));
}

// Writes fail with Unavailable while Redis is down, and work again once it is back.
TEST_F(RedisStoresTest, WritesFailWhileRedisIsDown) {
  redis_.Stop();
  EXPECT_EQ(a_.accounts->CreateOrg("globex", kNow).code(), absl::StatusCode::kUnavailable);
  redis_.Start();
  EXPECT_TRUE(a_.accounts->CreateOrg("globex", kNow).ok());
}

// Staleness is zero while the replica follows Redis, grows during an outage, and is zero
// again once the replica has caught up.
TEST_F(RedisStoresTest, StalenessGrowsOnlyDuringAnOutage) {
  ASSERT_TRUE(Eventually([this] { return b_.staleness() == absl::ZeroDuration(); }, kDetection));
  redis_.Stop();
  EXPECT_TRUE(Eventually([this] { return b_.staleness() > absl::ZeroDuration(); }, kDetection));
  redis_.Start();
  EXPECT_TRUE(Eventually([this] { return b_.staleness() == absl::ZeroDuration(); }, kDetection));
}

// A Redis that lost its data (a restart without persistence) is loaded in full: a token it
// lost stops working, though no entry ever said so.
TEST_F(RedisStoresTest, RedisThatLostItsDataIsReloaded) {
  ASSERT_TRUE(a_.entitlements->Create(Token("e1", "token-abc-123")).ok());
  ASSERT_TRUE(Eventually([this] { return BFinds("token-abc-123"); }, kPropagation));
  redis_.Stop();
  redis_.Start();
  EXPECT_TRUE(Eventually([this] { return !BFinds("token-abc-123"); }, kDetection));
}

}  // namespace
}  // namespace tollgate::storage
