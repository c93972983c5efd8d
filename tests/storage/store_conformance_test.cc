// The contract every Stores implementation keeps, run against each one. To cover a new
// implementation, add a StoreEnvironment for it and a line to INSTANTIATE_TEST_SUITE_P.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "expect_same_entitlement.h"
#include "store_environments.h"
#include "tollgate/storage/openpgp/ensure_signing_key.h"
#include "tollgate/storage/stores.h"

namespace tollgate::storage {
namespace {

using testing::ExpectSameEntitlement;
using testing::StoreEnvironment;
using testing::StoreFactory;

using policy::Entitlement;
using policy::OrgDirectory;
using policy::OrgRole;
using policy::Principal;
using policy::PrincipalKind;

const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);

// A token with every field set, so round trips check them all.
Entitlement FullToken(const std::string& identifier, const std::string& repo,
                      const std::string& token) {
  Entitlement e;
  e.identifier = identifier;
  e.org = "acme";
  e.repo = repo;
  e.name = "customer-" + identifier;
  e.token = token;
  e.is_active = false;
  e.user = "alice";
  e.limit_date_range_from = kNow - absl::Hours(24);
  e.limit_date_range_to = kNow + absl::Hours(24 * 365);
  e.limit_num_downloads = 10;
  e.limit_num_clients = 2;
  e.limit_bandwidth = 5;
  e.limit_bandwidth_unit = policy::BandwidthUnit::kGigabyte;
  e.limit_package_query = "name:agent AND version:>=2.0";
  e.limit_path_query = "releases/**";
  e.scheduled_reset_period = policy::ResetPeriod::kMonthly;
  e.usage_reset_at = kNow + absl::Hours(24 * 30);
  e.metadata_json = R"({"customer_id":42})";
  e.created_at = kNow;
  e.updated_at = kNow + absl::Seconds(1);
  return e;
}

// A token with only the required fields set.
Entitlement Token(const std::string& identifier, const std::string& repo,
                  const std::string& token) {
  Entitlement e;
  e.identifier = identifier;
  e.org = "acme";
  e.repo = repo;
  e.name = identifier;
  e.token = token;
  e.created_at = kNow;
  e.updated_at = kNow;
  return e;
}

Repository Repo(const std::string& slug) {
  Repository repository;
  repository.org = "acme";
  repository.slug = slug;
  repository.name = "Repository " + slug;
  repository.created_at = kNow;
  return repository;
}

ArtifactRecord Record(const std::string& repo, const std::string& path) {
  ArtifactRecord record;
  record.org = "acme";
  record.repo = repo;
  record.path = path;
  record.size = 1234;
  record.sha256 = std::string(64, 'a');
  record.uploader = "ci-bot";
  record.uploaded_at = kNow;
  record.sha1 = std::string(40, 'b');
  record.sha512 = std::string(128, 'c');
  record.metadata = R"({"requires_python":">=3.8"})";
  return record;
}

policy::Member Member(const std::string& name, OrgRole role, const std::string& key_hash) {
  return {name, role, key_hash, kNow};
}

policy::Service Service(const std::string& slug, OrgRole role, const std::string& key_hash) {
  return {slug, "Service " + slug, "runs " + slug, role, key_hash, kNow + absl::Seconds(1)};
}

// acme's directory at `revision` with every kind of field set, so round trips check them all.
OrgDirectory FullDirectory(uint64_t revision) {
  OrgDirectory d;
  d.org = "acme";
  d.created_at = kNow;
  d.revision = revision;
  d.max_active_entitlements = 25;
  d.members = {Member("alice", OrgRole::kOwner, "hash-alice"),
               Member("bob", OrgRole::kMember, "hash-bob")};
  d.services = {Service("ci", OrgRole::kManager, "hash-ci")};
  d.teams = {{"devs",
              "Developers",
              "the build crew",
              {{PrincipalKind::kUser, "bob"}, {PrincipalKind::kService, "ci"}},
              kNow + absl::Seconds(2)}};
  d.grants["agents"] = {{PrincipalKind::kTeam, "devs", policy::Privilege::kWrite},
                        {PrincipalKind::kUser, "bob", policy::Privilege::kAdmin}};
  d.grants["tools"] = {{PrincipalKind::kService, "ci", policy::Privilege::kRead}};
  return d;
}

void ExpectSameDirectory(const OrgDirectory& actual, const OrgDirectory& expected) {
  EXPECT_EQ(actual.org, expected.org);
  EXPECT_EQ(actual.created_at, expected.created_at);
  EXPECT_EQ(actual.max_active_entitlements, expected.max_active_entitlements);
  ASSERT_EQ(actual.members.size(), expected.members.size());
  for (size_t i = 0; i < expected.members.size(); ++i) {
    EXPECT_EQ(actual.members[i].name, expected.members[i].name);
    EXPECT_EQ(actual.members[i].role, expected.members[i].role);
    EXPECT_EQ(actual.members[i].key_hash, expected.members[i].key_hash);
    EXPECT_EQ(actual.members[i].created_at, expected.members[i].created_at);
  }
  ASSERT_EQ(actual.services.size(), expected.services.size());
  for (size_t i = 0; i < expected.services.size(); ++i) {
    EXPECT_EQ(actual.services[i].slug, expected.services[i].slug);
    EXPECT_EQ(actual.services[i].name, expected.services[i].name);
    EXPECT_EQ(actual.services[i].description, expected.services[i].description);
    EXPECT_EQ(actual.services[i].role, expected.services[i].role);
    EXPECT_EQ(actual.services[i].key_hash, expected.services[i].key_hash);
    EXPECT_EQ(actual.services[i].created_at, expected.services[i].created_at);
  }
  ASSERT_EQ(actual.teams.size(), expected.teams.size());
  for (size_t i = 0; i < expected.teams.size(); ++i) {
    EXPECT_EQ(actual.teams[i].slug, expected.teams[i].slug);
    EXPECT_EQ(actual.teams[i].name, expected.teams[i].name);
    EXPECT_EQ(actual.teams[i].description, expected.teams[i].description);
    EXPECT_EQ(actual.teams[i].members, expected.teams[i].members);
    EXPECT_EQ(actual.teams[i].created_at, expected.teams[i].created_at);
  }
  EXPECT_EQ(actual.grants, expected.grants);
}

AuditEntry Entry(const std::string& org, const std::string& action) {
  AuditEntry entry;
  entry.org = org;
  entry.at = kNow;
  entry.actor_kind = "user";
  entry.actor = "alice";
  entry.client_address = "192.0.2.7";
  entry.action = action;
  entry.target = org + "/agents";
  entry.details_json = R"({"before":{"limit":1},"after":{"limit":2}})";
  return entry;
}

// Every test starts with org `acme` and its repositories `agents` and `tools`.
class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    environment_ = GetParam().make();
    ASSERT_NO_FATAL_FAILURE(Reopen());
    ASSERT_TRUE(stores_.accounts->CreateOrg("acme", kNow).ok());
    ASSERT_TRUE(stores_.repositories->Create(Repo("agents")).ok());
    ASSERT_TRUE(stores_.repositories->Create(Repo("tools")).ok());
  }

  // Drops every handle on the data, then opens it again.
  void Reopen() {
    stores_ = Stores();
    absl::StatusOr<Stores> opened = environment_->Open();
    ASSERT_TRUE(opened.ok()) << opened.status();
    stores_ = *std::move(opened);
  }

  // Replaces `org`'s directory with its current copy as `change` leaves it.
  absl::Status Change(const std::string& org, const std::function<void(OrgDirectory&)>& change) {
    DirectoryPtr current = stores_.accounts->Directory(org);
    if (current == nullptr) return absl::NotFoundError(org);
    OrgDirectory next = *current;
    change(next);
    return stores_.accounts->ReplaceDirectory(next);
  }

  // Stores `entitlement` over the token with its identifier as stored now, dated one second
  // after it.
  absl::Status UpdateCurrent(Entitlement entitlement) {
    EntitlementPtr current =
        stores_.entitlements->Get(entitlement.org, entitlement.repo, entitlement.identifier);
    if (current == nullptr) return absl::NotFoundError(entitlement.identifier);
    entitlement.updated_at = current->updated_at + absl::Seconds(1);
    return stores_.entitlements->Update(entitlement, current->updated_at);
  }

  std::unique_ptr<StoreEnvironment> environment_;
  Stores stores_;
};

// Accounts.

// A store that was never written holds no org.
TEST_P(StoreConformanceTest, FreshStoreHasNoOrg) {
  std::unique_ptr<StoreEnvironment> fresh = GetParam().make();
  absl::StatusOr<Stores> stores = fresh->Open();
  ASSERT_TRUE(stores.ok()) << stores.status();
  EXPECT_FALSE(stores->accounts->AnyOrgExists());
}

// A created org exists; others do not.
TEST_P(StoreConformanceTest, CreatedOrgExists) {
  EXPECT_TRUE(stores_.accounts->AnyOrgExists());
  EXPECT_TRUE(stores_.accounts->Directory("acme") != nullptr);
  EXPECT_FALSE(stores_.accounts->Directory("globex") != nullptr);
}

// Creating an org twice is AlreadyExists.
TEST_P(StoreConformanceTest, DuplicateOrgIsRefused) {
  EXPECT_EQ(stores_.accounts->CreateOrg("acme", kNow).code(), absl::StatusCode::kAlreadyExists);
}

// A new org has an empty directory, stamped with its creation time.
TEST_P(StoreConformanceTest, CreatedOrgHasEmptyDirectory) {
  DirectoryPtr directory = stores_.accounts->Directory("acme");
  ASSERT_NE(directory, nullptr);
  EXPECT_EQ(directory->org, "acme");
  EXPECT_EQ(directory->created_at, kNow);
  EXPECT_FALSE(directory->max_active_entitlements.has_value());
  EXPECT_TRUE(directory->members.empty());
  EXPECT_TRUE(directory->services.empty());
  EXPECT_TRUE(directory->teams.empty());
  EXPECT_TRUE(directory->grants.empty());
  EXPECT_EQ(stores_.accounts->Directory("globex"), nullptr);
}

// A replaced directory reads back with every field intact, one revision on.
TEST_P(StoreConformanceTest, ReplacedDirectoryRoundTrips) {
  const uint64_t revision = stores_.accounts->Directory("acme")->revision;
  const OrgDirectory full = FullDirectory(revision);
  ASSERT_TRUE(stores_.accounts->ReplaceDirectory(full).ok());
  DirectoryPtr found = stores_.accounts->Directory("acme");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->revision, revision + 1);
  ExpectSameDirectory(*found, full);
}

// A replacement made from an outdated copy is Aborted and changes nothing.
TEST_P(StoreConformanceTest, StaleReplacementIsAborted) {
  DirectoryPtr read = stores_.accounts->Directory("acme");
  OrgDirectory first = *read;
  first.members.push_back(Member("alice", OrgRole::kOwner, "hash-alice"));
  ASSERT_TRUE(stores_.accounts->ReplaceDirectory(first).ok());
  OrgDirectory second = *read;
  second.members.push_back(Member("mallory", OrgRole::kOwner, "hash-mallory"));
  EXPECT_EQ(stores_.accounts->ReplaceDirectory(second).code(), absl::StatusCode::kAborted);
  DirectoryPtr now = stores_.accounts->Directory("acme");
  EXPECT_EQ(now->revision, read->revision + 1);
  ASSERT_EQ(now->members.size(), 1u);
  EXPECT_EQ(now->members[0].name, "alice");
  EXPECT_FALSE(stores_.accounts->FindByKeyHash("hash-mallory").has_value());
}

// Replacing the directory of an org that does not exist is NotFound.
TEST_P(StoreConformanceTest, ReplacementOfMissingOrgIsNotFound) {
  OrgDirectory directory;
  directory.org = "globex";
  directory.revision = 1;
  directory.members.push_back(Member("bob", OrgRole::kOwner, "hash-bob"));
  EXPECT_EQ(stores_.accounts->ReplaceDirectory(directory).code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(stores_.accounts->FindByKeyHash("hash-bob").has_value());
}

// A directory read before a replacement keeps its values: replacements never mutate.
TEST_P(StoreConformanceTest, ReplacementLeavesEarlierReadsUnchanged) {
  DirectoryPtr before = stores_.accounts->Directory("acme");
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                d.members.push_back(Member("alice", OrgRole::kOwner, "hash-alice"));
              }).ok());
  EXPECT_TRUE(before->members.empty());
}

// Members and services are found by their key hash, with their org role.
TEST_P(StoreConformanceTest, AccountsFoundByKeyHash) {
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                d.members.push_back(Member("alice", OrgRole::kManager, "hash-alice"));
                d.services.push_back(Service("ci", OrgRole::kMember, "hash-ci"));
              }).ok());
  std::optional<Principal> alice = stores_.accounts->FindByKeyHash("hash-alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->org, "acme");
  EXPECT_EQ(alice->kind, PrincipalKind::kUser);
  EXPECT_EQ(alice->name, "alice");
  EXPECT_EQ(alice->role, OrgRole::kManager);
  std::optional<Principal> ci = stores_.accounts->FindByKeyHash("hash-ci");
  ASSERT_TRUE(ci.has_value());
  EXPECT_EQ(ci->org, "acme");
  EXPECT_EQ(ci->kind, PrincipalKind::kService);
  EXPECT_EQ(ci->name, "ci");
  EXPECT_EQ(ci->role, OrgRole::kMember);
}

// An unknown key hash finds nobody.
TEST_P(StoreConformanceTest, UnknownKeyHashFindsNobody) {
  EXPECT_FALSE(stores_.accounts->FindByKeyHash("no-such-hash").has_value());
  EXPECT_FALSE(stores_.accounts->FindByKeyHash("").has_value());
}

// A changed role shows in the next lookup by key hash.
TEST_P(StoreConformanceTest, KeyHashLookupFollowsRoleChanges) {
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                d.members.push_back(Member("alice", OrgRole::kMember, "hash-alice"));
              }).ok());
  ASSERT_TRUE(
      Change("acme", [](OrgDirectory& d) { d.FindMember("alice")->role = OrgRole::kOwner; }).ok());
  EXPECT_EQ(stores_.accounts->FindByKeyHash("hash-alice")->role, OrgRole::kOwner);
}

// A removed member's and a removed service's keys stop resolving.
TEST_P(StoreConformanceTest, RemovedAccountsKeysStopResolving) {
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                d.members.push_back(Member("alice", OrgRole::kOwner, "hash-alice"));
                d.members.push_back(Member("bob", OrgRole::kMember, "hash-bob"));
                d.services.push_back(Service("ci", OrgRole::kMember, "hash-ci"));
              }).ok());
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                std::erase_if(d.members, [](const policy::Member& m) { return m.name == "bob"; });
                d.services.clear();
              }).ok());
  EXPECT_FALSE(stores_.accounts->FindByKeyHash("hash-bob").has_value());
  EXPECT_FALSE(stores_.accounts->FindByKeyHash("hash-ci").has_value());
  EXPECT_TRUE(stores_.accounts->FindByKeyHash("hash-alice").has_value());
}

// After a key rotation only the new key's hash resolves.
TEST_P(StoreConformanceTest, RotatedKeyRetiresTheOldHash) {
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                d.services.push_back(Service("ci", OrgRole::kMember, "hash-old"));
              }).ok());
  ASSERT_TRUE(
      Change("acme", [](OrgDirectory& d) { d.FindService("ci")->key_hash = "hash-new"; }).ok());
  EXPECT_FALSE(stores_.accounts->FindByKeyHash("hash-old").has_value());
  EXPECT_EQ(stores_.accounts->FindByKeyHash("hash-new")->name, "ci");
}

// A key hash may move from one account to another of the same org in one replacement.
TEST_P(StoreConformanceTest, KeyHashMayMoveWithinTheOrg) {
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                d.members.push_back(Member("alice", OrgRole::kOwner, "hash-1"));
              }).ok());
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                d.FindMember("alice")->key_hash = "hash-2";
                d.services.push_back(Service("ci", OrgRole::kMember, "hash-1"));
              }).ok());
  EXPECT_EQ(stores_.accounts->FindByKeyHash("hash-1")->kind, PrincipalKind::kService);
  EXPECT_EQ(stores_.accounts->FindByKeyHash("hash-2")->name, "alice");
}

// A key hash held by another org's account is refused, changing nothing.
TEST_P(StoreConformanceTest, KeyHashOfAnotherOrgIsRefused) {
  ASSERT_TRUE(stores_.accounts->CreateOrg("globex", kNow).ok());
  ASSERT_TRUE(Change("globex", [](OrgDirectory& d) {
                d.members.push_back(Member("bob", OrgRole::kOwner, "hash-taken"));
              }).ok());
  const uint64_t revision = stores_.accounts->Directory("acme")->revision;
  EXPECT_EQ(Change("acme",
                   [](OrgDirectory& d) {
                     d.members.push_back(Member("alice", OrgRole::kOwner, "hash-alice"));
                     d.services.push_back(Service("ci", OrgRole::kMember, "hash-taken"));
                   })
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(stores_.accounts->Directory("acme")->revision, revision);
  EXPECT_FALSE(stores_.accounts->FindByKeyHash("hash-alice").has_value());
  EXPECT_EQ(stores_.accounts->FindByKeyHash("hash-taken")->org, "globex");
}

// A key hash another org gave up may be taken.
TEST_P(StoreConformanceTest, KeyHashFreedByAnotherOrgMayBeTaken) {
  ASSERT_TRUE(stores_.accounts->CreateOrg("globex", kNow).ok());
  ASSERT_TRUE(Change("globex", [](OrgDirectory& d) {
                d.members.push_back(Member("bob", OrgRole::kOwner, "hash-1"));
              }).ok());
  ASSERT_TRUE(
      Change("globex", [](OrgDirectory& d) { d.FindMember("bob")->key_hash = "hash-2"; }).ok());
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                d.members.push_back(Member("alice", OrgRole::kOwner, "hash-1"));
              }).ok());
  EXPECT_EQ(stores_.accounts->FindByKeyHash("hash-1")->org, "acme");
}

// Two accounts of one directory with the same key hash are refused.
TEST_P(StoreConformanceTest, SharedKeyHashInOneDirectoryIsRefused) {
  EXPECT_EQ(Change("acme",
                   [](OrgDirectory& d) {
                     d.members.push_back(Member("alice", OrgRole::kOwner, "hash-1"));
                     d.services.push_back(Service("ci", OrgRole::kMember, "hash-1"));
                   })
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(stores_.accounts->FindByKeyHash("hash-1").has_value());
}

// Repositories.

// A created repository reads back with every field intact.
TEST_P(StoreConformanceTest, RepositoryRoundTrips) {
  Repository repository = Repo("pypi");
  repository.type = RepositoryType::kPublic;
  repository.storage_json = R"({"type":"http","url":"https://origin.example"})";
  ASSERT_TRUE(stores_.repositories->Create(repository).ok());
  RepositoryPtr found = stores_.repositories->Get("acme", "pypi");
  ASSERT_TRUE(found != nullptr);
  EXPECT_EQ(found->name, repository.name);
  EXPECT_EQ(found->type, RepositoryType::kPublic);
  EXPECT_EQ(found->storage_json, repository.storage_json);
  EXPECT_EQ(found->created_at, kNow);
}

// Creating a repository twice is AlreadyExists.
TEST_P(StoreConformanceTest, DuplicateRepositoryIsRefused) {
  EXPECT_EQ(stores_.repositories->Create(Repo("agents")).code(), absl::StatusCode::kAlreadyExists);
}

// A repository of an org that does not exist is NotFound.
TEST_P(StoreConformanceTest, RepositoryOfMissingOrgIsRefused) {
  Repository repository = Repo("agents");
  repository.org = "globex";
  EXPECT_EQ(stores_.repositories->Create(repository).code(), absl::StatusCode::kNotFound);
}

// Update changes name, type and storage.
TEST_P(StoreConformanceTest, RepositoryUpdateChangesFields) {
  Repository changed = Repo("agents");
  changed.name = "Agents, renamed";
  changed.type = RepositoryType::kPublic;
  changed.storage_json = R"({"type":"http","url":"https://x.example"})";
  ASSERT_TRUE(stores_.repositories->Update(changed).ok());
  RepositoryPtr found = stores_.repositories->Get("acme", "agents");
  ASSERT_TRUE(found != nullptr);
  EXPECT_EQ(found->name, "Agents, renamed");
  EXPECT_EQ(found->type, RepositoryType::kPublic);
  EXPECT_EQ(found->storage_json, changed.storage_json);
}

// Updating a repository that does not exist is NotFound.
TEST_P(StoreConformanceTest, UpdateOfMissingRepositoryIsNotFound) {
  EXPECT_EQ(stores_.repositories->Update(Repo("nope")).code(), absl::StatusCode::kNotFound);
}

// A deleted repository is gone.
TEST_P(StoreConformanceTest, DeletedRepositoryIsGone) {
  ASSERT_TRUE(stores_.repositories->Delete("acme", "agents").ok());
  EXPECT_EQ(stores_.repositories->Get("acme", "agents"), nullptr);
}

// Deleting a repository that does not exist is NotFound.
TEST_P(StoreConformanceTest, DeleteOfMissingRepositoryIsNotFound) {
  EXPECT_EQ(stores_.repositories->Delete("acme", "nope").code(), absl::StatusCode::kNotFound);
}

// List gives an org's repositories ordered by slug.
TEST_P(StoreConformanceTest, RepositoriesListedBySlug) {
  ASSERT_TRUE(stores_.repositories->Create(Repo("bin")).ok());
  std::vector<Repository> list = stores_.repositories->List("acme");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].slug, "agents");
  EXPECT_EQ(list[1].slug, "bin");
  EXPECT_EQ(list[2].slug, "tools");
  EXPECT_TRUE(stores_.repositories->List("globex").empty());
}

// Deleting a repository deletes its tokens, and only its tokens.
TEST_P(StoreConformanceTest, RepositoryDeleteRemovesItsTokens) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "shared-token-1")).ok());
  ASSERT_TRUE(stores_.entitlements->Create(Token("e2", "tools", "shared-token-1")).ok());
  ASSERT_TRUE(stores_.repositories->Delete("acme", "agents").ok());
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1"), nullptr);
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "shared-token-1"), nullptr);
  EXPECT_TRUE(stores_.entitlements->List("acme", "agents").empty());
  EXPECT_NE(stores_.entitlements->FindByToken("acme", "tools", "shared-token-1"), nullptr);
}

// A token identifier freed by a repository delete can be used again.
TEST_P(StoreConformanceTest, RepositoryDeleteFreesTokenIdentifiers) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-one-1")).ok());
  ASSERT_TRUE(stores_.repositories->Delete("acme", "agents").ok());
  EXPECT_TRUE(stores_.entitlements->Create(Token("e1", "tools", "token-one-1")).ok());
}

// Deleting a repository deletes its artifact records.
TEST_P(StoreConformanceTest, RepositoryDeleteRemovesItsArtifactRecords) {
  ASSERT_TRUE(stores_.artifacts->Put(Record("agents", "a.deb")).ok());
  ASSERT_TRUE(stores_.repositories->Delete("acme", "agents").ok());
  ASSERT_TRUE(stores_.repositories->Create(Repo("agents")).ok());
  EXPECT_TRUE(stores_.artifacts->List("acme", "agents").empty());
}

// Signing keys.

// Stored material as the stores see it: opaque text (the library checks keys, not the store).
SigningKeyMaterial KeyMaterial(const std::string& tag) {
  return {"public " + tag, "secret " + tag, "FINGERPRINT-" + tag};
}

void ExpectSameKey(const absl::StatusOr<SigningKeyMaterial>& actual,
                   const SigningKeyMaterial& expected) {
  ASSERT_TRUE(actual.ok()) << actual.status();
  EXPECT_EQ(actual->public_key, expected.public_key);
  EXPECT_EQ(actual->secret_key, expected.secret_key);
  EXPECT_EQ(actual->fingerprint, expected.fingerprint);
}

// A stored signing key reads back with all three parts.
TEST_P(StoreConformanceTest, SigningKeyRoundTrips) {
  ASSERT_TRUE(stores_.signing_keys->Put("acme", "agents", KeyMaterial("a")).ok());
  ExpectSameKey(stores_.signing_keys->Get("acme", "agents"), KeyMaterial("a"));
}

// A repository without a signing key reads as NotFound, and so does one that does not exist.
TEST_P(StoreConformanceTest, MissingSigningKeyIsNotFound) {
  EXPECT_EQ(stores_.signing_keys->Get("acme", "agents").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(stores_.signing_keys->Get("acme", "nope").status().code(), absl::StatusCode::kNotFound);
}

// Put replaces the key, and only that repository's.
TEST_P(StoreConformanceTest, SigningKeyPutReplaces) {
  ASSERT_TRUE(stores_.signing_keys->Put("acme", "agents", KeyMaterial("a")).ok());
  ASSERT_TRUE(stores_.signing_keys->Put("acme", "tools", KeyMaterial("t")).ok());
  ASSERT_TRUE(stores_.signing_keys->Put("acme", "agents", KeyMaterial("b")).ok());
  ExpectSameKey(stores_.signing_keys->Get("acme", "agents"), KeyMaterial("b"));
  ExpectSameKey(stores_.signing_keys->Get("acme", "tools"), KeyMaterial("t"));
}

// PutIfAbsent stores the first key and answers it to every later call.
TEST_P(StoreConformanceTest, SigningKeyPutIfAbsentKeepsTheFirst) {
  ExpectSameKey(stores_.signing_keys->PutIfAbsent("acme", "agents", KeyMaterial("a")),
                KeyMaterial("a"));
  ExpectSameKey(stores_.signing_keys->PutIfAbsent("acme", "agents", KeyMaterial("b")),
                KeyMaterial("a"));
  ExpectSameKey(stores_.signing_keys->Get("acme", "agents"), KeyMaterial("a"));
}

// A key for a repository that does not exist is refused by both writes.
TEST_P(StoreConformanceTest, SigningKeyOfMissingRepositoryIsRefused) {
  EXPECT_EQ(stores_.signing_keys->Put("acme", "nope", KeyMaterial("a")).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(stores_.signing_keys->PutIfAbsent("acme", "nope", KeyMaterial("a")).status().code(),
            absl::StatusCode::kNotFound);
}

// Deleting a repository deletes its signing key: a new repository of that name has none.
TEST_P(StoreConformanceTest, RepositoryDeleteRemovesItsSigningKey) {
  ASSERT_TRUE(stores_.signing_keys->Put("acme", "agents", KeyMaterial("a")).ok());
  ASSERT_TRUE(stores_.repositories->Delete("acme", "agents").ok());
  ASSERT_TRUE(stores_.repositories->Create(Repo("agents")).ok());
  EXPECT_EQ(stores_.signing_keys->Get("acme", "agents").status().code(),
            absl::StatusCode::kNotFound);
}

// EnsureSigningKey makes a key for a repository without one, and answers it from then on.
TEST_P(StoreConformanceTest, EnsureSigningKeyMakesOneKey) {
  absl::StatusOr<SigningKeyMaterial> made = EnsureSigningKey(stores_, "acme", "agents");
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_TRUE(made->public_key.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
  ExpectSameKey(EnsureSigningKey(stores_, "acme", "agents"), *made);
  ExpectSameKey(stores_.signing_keys->Get("acme", "agents"), *made);
}

// EnsureSigningKey keeps a key that was set, and makes none for a missing repository.
TEST_P(StoreConformanceTest, EnsureSigningKeyKeepsAStoredKey) {
  ASSERT_TRUE(stores_.signing_keys->Put("acme", "agents", KeyMaterial("a")).ok());
  ExpectSameKey(EnsureSigningKey(stores_, "acme", "agents"), KeyMaterial("a"));
  EXPECT_EQ(EnsureSigningKey(stores_, "acme", "nope").status().code(), absl::StatusCode::kNotFound);
}

// Two instances on one store, each with several threads, asking at once for a key nobody
// made yet all end with the same key.
TEST_P(StoreConformanceTest, ConcurrentEnsureSigningKeyAgreesOnOneKey) {
  absl::StatusOr<Stores> other = environment_->Open();
  ASSERT_TRUE(other.ok()) << other.status();
  constexpr int kThreads = 6;
  std::vector<absl::StatusOr<SigningKeyMaterial>> answers(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    const Stores& instance = i % 2 == 0 ? stores_ : *other;
    threads.emplace_back(
        [&answers, &instance, i] { answers[i] = EnsureSigningKey(instance, "acme", "agents"); });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(answers[0].ok()) << answers[0].status();
  for (const absl::StatusOr<SigningKeyMaterial>& answer : answers) {
    ExpectSameKey(answer, *answers[0]);
  }
  ExpectSameKey(stores_.signing_keys->Get("acme", "agents"), *answers[0]);
}

// Entitlements.

// A created token reads back by identifier with every field intact.
TEST_P(StoreConformanceTest, TokenRoundTrips) {
  const Entitlement token = FullToken("e1", "agents", "token-full-1");
  ASSERT_TRUE(stores_.entitlements->Create(token).ok());
  EntitlementPtr found = stores_.entitlements->Get("acme", "agents", "e1");
  ASSERT_NE(found, nullptr);
  ExpectSameEntitlement(*found, token);
}

// A token is found by its string in its repository.
TEST_P(StoreConformanceTest, FindByTokenFindsIt) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  EntitlementPtr found = stores_.entitlements->FindByToken("acme", "agents", "token-abc-123");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->identifier, "e1");
}

// A wrong token string finds nothing.
TEST_P(StoreConformanceTest, FindByWrongTokenIsNull) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-abc-124"), nullptr);
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", ""), nullptr);
}

// A token of one repository finds nothing in another.
TEST_P(StoreConformanceTest, FindByTokenOfOtherRepositoryIsNull) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "tools", "token-abc-123"), nullptr);
}

// Get with the identifier of another repository's token finds nothing.
TEST_P(StoreConformanceTest, GetOfOtherRepositoryIsNull) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  EXPECT_EQ(stores_.entitlements->Get("acme", "tools", "e1"), nullptr);
}

// Two tokens with the same string in one repository are refused.
TEST_P(StoreConformanceTest, DuplicateTokenInRepositoryIsRefused) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  EXPECT_EQ(stores_.entitlements->Create(Token("e2", "agents", "token-abc-123")).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e2"), nullptr);
}

// The same string may be a token of two repositories (multi-repository tokens).
TEST_P(StoreConformanceTest, SameTokenInTwoRepositoriesIsAllowed) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  ASSERT_TRUE(stores_.entitlements->Create(Token("e2", "tools", "token-abc-123")).ok());
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-abc-123")->identifier, "e1");
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "tools", "token-abc-123")->identifier, "e2");
}

// ContainsToken knows a token string in any repository until its last holder is gone.
TEST_P(StoreConformanceTest, ContainsTokenFollowsEveryHolder) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  ASSERT_TRUE(stores_.entitlements->Create(Token("e2", "tools", "token-abc-123")).ok());
  EXPECT_TRUE(stores_.entitlements->ContainsToken("token-abc-123"));
  EXPECT_FALSE(stores_.entitlements->ContainsToken("token-abc-124"));
  ASSERT_TRUE(stores_.entitlements->Delete("acme", "agents", "e1").ok());
  EXPECT_TRUE(stores_.entitlements->ContainsToken("token-abc-123"));
  ASSERT_TRUE(stores_.repositories->Delete("acme", "tools").ok());
  EXPECT_FALSE(stores_.entitlements->ContainsToken("token-abc-123"));
}

// A refreshed token's old string is no longer known anywhere.
TEST_P(StoreConformanceTest, ContainsTokenForgetsARefreshedString) {
  Entitlement token = Token("e1", "agents", "token-abc-123");
  ASSERT_TRUE(stores_.entitlements->Create(token).ok());
  token.token = "token-new-456";
  ASSERT_TRUE(UpdateCurrent(token).ok());
  EXPECT_FALSE(stores_.entitlements->ContainsToken("token-abc-123"));
  EXPECT_TRUE(stores_.entitlements->ContainsToken("token-new-456"));
}

// A taken identifier is refused.
TEST_P(StoreConformanceTest, DuplicateIdentifierIsRefused) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  EXPECT_EQ(stores_.entitlements->Create(Token("e1", "agents", "token-xyz-789")).code(),
            absl::StatusCode::kAlreadyExists);
}

// A token of a repository that does not exist is NotFound.
TEST_P(StoreConformanceTest, TokenOfMissingRepositoryIsRefused) {
  EXPECT_EQ(stores_.entitlements->Create(Token("e1", "nope", "token-abc-123")).code(),
            absl::StatusCode::kNotFound);
}

// Update replaces every field.
TEST_P(StoreConformanceTest, UpdateReplacesFields) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  const Entitlement changed = FullToken("e1", "agents", "token-abc-123");
  ASSERT_TRUE(stores_.entitlements->Update(changed, kNow).ok());
  ExpectSameEntitlement(*stores_.entitlements->Get("acme", "agents", "e1"), changed);
}

// After a refresh the old string stops working and the new one works.
TEST_P(StoreConformanceTest, UpdateOfTokenStringRetiresTheOldOne) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-old-123")).ok());
  ASSERT_TRUE(UpdateCurrent(Token("e1", "agents", "token-new-456")).ok());
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-old-123"), nullptr);
  EXPECT_NE(stores_.entitlements->FindByToken("acme", "agents", "token-new-456"), nullptr);
}

// Updating to a string another token of the repository holds is refused, leaving both as
// they were.
TEST_P(StoreConformanceTest, UpdateToTakenTokenStringIsRefused) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-one-111")).ok());
  ASSERT_TRUE(stores_.entitlements->Create(Token("e2", "agents", "token-two-222")).ok());
  EXPECT_EQ(UpdateCurrent(Token("e2", "agents", "token-one-111")).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-one-111")->identifier, "e1");
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-two-222")->identifier, "e2");
}

// Updating a token that does not exist is NotFound.
TEST_P(StoreConformanceTest, UpdateOfMissingTokenIsNotFound) {
  EXPECT_EQ(
      stores_.entitlements->Update(Token("e1", "agents", "token-abc-123"), kNow - absl::Seconds(1))
          .code(),
      absl::StatusCode::kNotFound);
}

// A token read before an update keeps its values: updates replace, never mutate.
TEST_P(StoreConformanceTest, UpdateLeavesEarlierReadsUnchanged) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  EntitlementPtr before = stores_.entitlements->Get("acme", "agents", "e1");
  Entitlement changed = Token("e1", "agents", "token-abc-123");
  changed.name = "renamed";
  ASSERT_TRUE(UpdateCurrent(changed).ok());
  EXPECT_EQ(before->name, "e1");
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1")->name, "renamed");
}

// A deleted token is found neither by identifier nor by string.
TEST_P(StoreConformanceTest, DeletedTokenIsGone) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  ASSERT_TRUE(stores_.entitlements->Delete("acme", "agents", "e1").ok());
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1"), nullptr);
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-abc-123"), nullptr);
}

// Deleting a token that does not exist is NotFound.
TEST_P(StoreConformanceTest, DeleteOfMissingTokenIsNotFound) {
  EXPECT_EQ(stores_.entitlements->Delete("acme", "agents", "e1").code(),
            absl::StatusCode::kNotFound);
}

// List gives a repository's tokens oldest first.
TEST_P(StoreConformanceTest, TokensListedOldestFirst) {
  Entitlement newer = Token("a-newer", "agents", "token-newer-1");
  newer.created_at = kNow + absl::Minutes(5);
  ASSERT_TRUE(stores_.entitlements->Create(newer).ok());
  ASSERT_TRUE(stores_.entitlements->Create(Token("z-older", "agents", "token-older-1")).ok());
  ASSERT_TRUE(stores_.entitlements->Create(Token("other", "tools", "token-other-1")).ok());
  std::vector<EntitlementPtr> list = stores_.entitlements->List("acme", "agents");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]->identifier, "z-older");
  EXPECT_EQ(list[1]->identifier, "a-newer");
}

// Readers racing an update see a whole token, old or new, never a mix of the two.
TEST_P(StoreConformanceTest, ReadersDuringUpdatesSeeWholeTokens) {
  constexpr int kUpdates = 40;
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-even-0")).ok());
  std::atomic<bool> done = false;
  std::thread reader([&] {
    while (!done.load()) {
      for (const char* token : {"token-even-0", "token-odd-1"}) {
        EntitlementPtr found = stores_.entitlements->FindByToken("acme", "agents", token);
        if (found != nullptr) {
          EXPECT_EQ(found->token, token);
        }
      }
    }
  });
  for (int i = 1; i <= kUpdates; ++i) {
    Entitlement next = Token("e1", "agents", i % 2 == 0 ? "token-even-0" : "token-odd-1");
    next.name = "version-" + std::to_string(i);
    EXPECT_TRUE(UpdateCurrent(next).ok());
  }
  done = true;
  reader.join();
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1")->name,
            "version-" + std::to_string(kUpdates));
}

// An update based on an outdated read is Aborted and writes nothing: a write that read the
// token before a refresh cannot bring the old string back.
TEST_P(StoreConformanceTest, StaleUpdateIsAbortedAndChangesNothing) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-old-123")).ok());
  const Entitlement read = *stores_.entitlements->Get("acme", "agents", "e1");
  ASSERT_TRUE(UpdateCurrent(Token("e1", "agents", "token-new-456")).ok());
  Entitlement stale = read;
  stale.name = "renamed";
  stale.updated_at = read.updated_at + absl::Seconds(5);
  EXPECT_EQ(stores_.entitlements->Update(stale, read.updated_at).code(),
            absl::StatusCode::kAborted);
  EntitlementPtr stored = stores_.entitlements->Get("acme", "agents", "e1");
  EXPECT_EQ(stored->name, "e1");
  EXPECT_EQ(stored->updated_at, read.updated_at + absl::Seconds(1));
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-old-123"), nullptr);
  EXPECT_NE(stores_.entitlements->FindByToken("acme", "agents", "token-new-456"), nullptr);
}

// An update that expects the stored updated_at to the microsecond succeeds.
TEST_P(StoreConformanceTest, UpdateWithCurrentUpdatedAtSucceeds) {
  Entitlement token = Token("e1", "agents", "token-abc-123");
  token.updated_at = kNow + absl::Microseconds(7);
  ASSERT_TRUE(stores_.entitlements->Create(token).ok());
  token.is_active = false;
  token.updated_at = kNow + absl::Microseconds(8);
  ASSERT_TRUE(stores_.entitlements->Update(token, kNow + absl::Microseconds(7)).ok());
  EXPECT_FALSE(stores_.entitlements->Get("acme", "agents", "e1")->is_active);
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1")->updated_at,
            kNow + absl::Microseconds(8));
}

// An update that keeps updated_at is refused: it could not be told from the token it replaces.
TEST_P(StoreConformanceTest, UpdateWithoutLaterUpdatedAtIsRefused) {
  Entitlement token = Token("e1", "agents", "token-abc-123");
  ASSERT_TRUE(stores_.entitlements->Create(token).ok());
  token.name = "renamed";
  EXPECT_EQ(stores_.entitlements->Update(token, kNow).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1")->name, "e1");
}

// Replacing the standard tokens removes the old ones, keeps user tokens, and the copies'
// strings work while the removed ones do not.
TEST_P(StoreConformanceTest, ReplaceStandardTokensKeepsUserTokens) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("old1", "agents", "token-old-111")).ok());
  ASSERT_TRUE(stores_.entitlements->Create(Token("old2", "agents", "token-old-222")).ok());
  Entitlement user_token = Token("mine", "agents", "token-user-333");
  user_token.user = "alice";
  ASSERT_TRUE(stores_.entitlements->Create(user_token).ok());
  ASSERT_TRUE(stores_.entitlements->Create(Token("other", "tools", "token-old-111")).ok());

  std::vector<Entitlement> standard = {FullToken("new1", "agents", "token-old-111"),
                                       Token("new2", "agents", "token-new-444")};
  standard[0].user.reset();
  ASSERT_TRUE(stores_.entitlements->ReplaceStandardTokens("acme", "agents", standard).ok());

  std::vector<std::string> identifiers;
  for (const EntitlementPtr& token : stores_.entitlements->List("acme", "agents")) {
    identifiers.push_back(token->identifier);
  }
  std::sort(identifiers.begin(), identifiers.end());
  EXPECT_EQ(identifiers, (std::vector<std::string>{"mine", "new1", "new2"}));
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "old1"), nullptr);
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-old-111")->identifier,
            "new1");
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-new-444")->identifier,
            "new2");
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-old-222"), nullptr);
  EXPECT_FALSE(stores_.entitlements->ContainsToken("token-old-222"));
  EXPECT_NE(stores_.entitlements->FindByToken("acme", "agents", "token-user-333"), nullptr);
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "tools", "token-old-111")->identifier,
            "other");
  ExpectSameEntitlement(*stores_.entitlements->Get("acme", "agents", "new1"), standard[0]);
}

// The quota's count: active standard tokens of one repository, not disabled or user tokens.
TEST_P(StoreConformanceTest, CountsActiveStandardTokens) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-aaa-111")).ok());
  Entitlement disabled = Token("e2", "agents", "token-bbb-222");
  disabled.is_active = false;
  ASSERT_TRUE(stores_.entitlements->Create(disabled).ok());
  Entitlement user_token = Token("mine", "agents", "token-user-333");
  user_token.user = "alice";
  ASSERT_TRUE(stores_.entitlements->Create(user_token).ok());
  ASSERT_TRUE(stores_.entitlements->Create(Token("e3", "tools", "token-ccc-333")).ok());
  EXPECT_EQ(stores_.entitlements->CountActiveStandardTokens("acme", "agents"), 1);
  EXPECT_EQ(stores_.entitlements->CountActiveStandardTokens("acme", "tools"), 1);
  EXPECT_EQ(stores_.entitlements->CountActiveStandardTokens("acme", "nope"), 0);
}

// What a replacement wrote is what the store holds after reopening.
TEST_P(StoreConformanceTest, ReplacedStandardTokensSurviveReopen) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("old1", "agents", "token-old-111")).ok());
  ASSERT_TRUE(
      stores_.entitlements
          ->ReplaceStandardTokens("acme", "agents", {Token("new1", "agents", "token-new-1")})
          .ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "old1"), nullptr);
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-old-111"), nullptr);
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-new-1")->identifier, "new1");
}

// A replacement that cannot be made whole changes nothing: two new tokens with one string.
TEST_P(StoreConformanceTest, FailedReplaceChangesNothing) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("old1", "agents", "token-old-111")).ok());
  EXPECT_EQ(stores_.entitlements
                ->ReplaceStandardTokens("acme", "agents",
                                        {Token("new1", "agents", "token-new-444"),
                                         Token("new2", "agents", "token-new-444")})
                .code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_NE(stores_.entitlements->FindByToken("acme", "agents", "token-old-111"), nullptr);
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "new1"), nullptr);
  EXPECT_FALSE(stores_.entitlements->ContainsToken("token-new-444"));
}

// A new standard token may not take the string of a user token that stays; nothing changes.
TEST_P(StoreConformanceTest, ReplaceOntoUserTokenStringChangesNothing) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("old1", "agents", "token-old-111")).ok());
  Entitlement user_token = Token("mine", "agents", "token-user-333");
  user_token.user = "alice";
  ASSERT_TRUE(stores_.entitlements->Create(user_token).ok());
  EXPECT_EQ(stores_.entitlements
                ->ReplaceStandardTokens("acme", "agents",
                                        {Token("new1", "agents", "token-new-444"),
                                         Token("new2", "agents", "token-user-333")})
                .code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_NE(stores_.entitlements->FindByToken("acme", "agents", "token-old-111"), nullptr);
  EXPECT_EQ(stores_.entitlements->FindByToken("acme", "agents", "token-user-333")->identifier,
            "mine");
  EXPECT_FALSE(stores_.entitlements->ContainsToken("token-new-444"));
}

// Only standard tokens of the named repository may be given; a user token is refused.
TEST_P(StoreConformanceTest, ReplaceWithUserTokenIsRefused) {
  Entitlement user_token = Token("new1", "agents", "token-user-333");
  user_token.user = "alice";
  EXPECT_EQ(stores_.entitlements->ReplaceStandardTokens("acme", "agents", {user_token}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(stores_.entitlements
                ->ReplaceStandardTokens("acme", "agents", {Token("new1", "tools", "token-abc-1")})
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// Replacing the standard tokens of a repository that does not exist is NotFound.
TEST_P(StoreConformanceTest, ReplaceInMissingRepositoryIsNotFound) {
  EXPECT_EQ(stores_.entitlements
                ->ReplaceStandardTokens("acme", "nope", {Token("new1", "nope", "token-abc-1")})
                .code(),
            absl::StatusCode::kNotFound);
}

// Artifact records.

// A record reads back with every field intact.
TEST_P(StoreConformanceTest, ArtifactRecordRoundTrips) {
  ASSERT_TRUE(stores_.artifacts->Put(Record("agents", "pool/a_1.0_amd64.deb")).ok());
  std::optional<ArtifactRecord> found =
      stores_.artifacts->Get("acme", "agents", "pool/a_1.0_amd64.deb");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->size, 1234u);
  EXPECT_EQ(found->sha256, std::string(64, 'a'));
  EXPECT_EQ(found->uploader, "ci-bot");
  EXPECT_EQ(found->uploaded_at, kNow);
  EXPECT_EQ(found->sha1, std::string(40, 'b'));
  EXPECT_EQ(found->sha512, std::string(128, 'c'));
  EXPECT_EQ(found->metadata, R"({"requires_python":">=3.8"})");
  std::vector<ArtifactRecord> listed = stores_.artifacts->List("acme", "agents");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].metadata, found->metadata);
}

// The generation of a repository's records moves with every put and remove, and only with
// those of that repository: what the views' copies compare to know they are current.
TEST_P(StoreConformanceTest, ArtifactGenerationMovesWithEveryChange) {
  absl::StatusOr<uint64_t> start = stores_.artifacts->Generation("acme", "agents");
  ASSERT_TRUE(start.ok()) << start.status();
  ASSERT_TRUE(stores_.artifacts->Put(Record("agents", "a.deb")).ok());
  absl::StatusOr<uint64_t> after_put = stores_.artifacts->Generation("acme", "agents");
  ASSERT_TRUE(after_put.ok());
  EXPECT_NE(*after_put, *start);
  const absl::StatusOr<uint64_t> tools_before = stores_.artifacts->Generation("acme", "tools");
  ASSERT_TRUE(stores_.artifacts->Put(Record("agents", "a.deb")).ok());
  absl::StatusOr<uint64_t> after_replace = stores_.artifacts->Generation("acme", "agents");
  EXPECT_NE(*after_replace, *after_put);
  EXPECT_EQ(*stores_.artifacts->Generation("acme", "tools"), *tools_before);
  ASSERT_TRUE(stores_.artifacts->Remove("acme", "agents", "a.deb").ok());
  EXPECT_NE(*stores_.artifacts->Generation("acme", "agents"), *after_replace);
  // A refused change is no change.
  const uint64_t before_refusal = *stores_.artifacts->Generation("acme", "agents");
  EXPECT_FALSE(stores_.artifacts->Remove("acme", "agents", "a.deb").ok());
  EXPECT_EQ(*stores_.artifacts->Generation("acme", "agents"), before_refusal);
}

// Put on an existing path replaces the record.
TEST_P(StoreConformanceTest, ArtifactPutReplaces) {
  ASSERT_TRUE(stores_.artifacts->Put(Record("agents", "a.deb")).ok());
  ArtifactRecord replaced = Record("agents", "a.deb");
  replaced.size = 99;
  replaced.uploader.reset();
  ASSERT_TRUE(stores_.artifacts->Put(replaced).ok());
  std::optional<ArtifactRecord> found = stores_.artifacts->Get("acme", "agents", "a.deb");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->size, 99u);
  EXPECT_FALSE(found->uploader.has_value());
}

// A removed record is gone.
TEST_P(StoreConformanceTest, RemovedArtifactRecordIsGone) {
  ASSERT_TRUE(stores_.artifacts->Put(Record("agents", "a.deb")).ok());
  ASSERT_TRUE(stores_.artifacts->Remove("acme", "agents", "a.deb").ok());
  EXPECT_FALSE(stores_.artifacts->Get("acme", "agents", "a.deb").has_value());
}

// Removing a record that does not exist is NotFound.
TEST_P(StoreConformanceTest, RemoveOfMissingArtifactRecordIsNotFound) {
  EXPECT_EQ(stores_.artifacts->Remove("acme", "agents", "a.deb").code(),
            absl::StatusCode::kNotFound);
}

// List gives a repository's records ordered by path.
TEST_P(StoreConformanceTest, ArtifactRecordsListedByPath) {
  ASSERT_TRUE(stores_.artifacts->Put(Record("agents", "b/z.deb")).ok());
  ASSERT_TRUE(stores_.artifacts->Put(Record("agents", "a.deb")).ok());
  ASSERT_TRUE(stores_.artifacts->Put(Record("tools", "t.deb")).ok());
  std::vector<ArtifactRecord> list = stores_.artifacts->List("acme", "agents");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].path, "a.deb");
  EXPECT_EQ(list[1].path, "b/z.deb");
}

// Audit log.

// Entries list newest first, each with an id and every field as appended.
TEST_P(StoreConformanceTest, AuditEntriesListNewestFirst) {
  for (const char* action : {"a1", "a2", "a3"}) {
    ASSERT_TRUE(stores_.audit->Append(Entry("acme", action)).ok());
  }
  absl::StatusOr<AuditPage> page = stores_.audit->List("acme", 0, 10);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->entries.size(), 3u);
  EXPECT_EQ(page->entries[0].action, "a3");
  EXPECT_EQ(page->entries[1].action, "a2");
  EXPECT_EQ(page->entries[2].action, "a1");
  EXPECT_GT(page->entries[0].id, page->entries[1].id);
  EXPECT_GT(page->entries[1].id, page->entries[2].id);
  const AuditEntry expected = Entry("acme", "a1");
  const AuditEntry& oldest = page->entries[2];
  EXPECT_EQ(oldest.org, expected.org);
  EXPECT_EQ(oldest.at, expected.at);
  EXPECT_EQ(oldest.actor_kind, expected.actor_kind);
  EXPECT_EQ(oldest.actor, expected.actor);
  EXPECT_EQ(oldest.client_address, expected.client_address);
  EXPECT_EQ(oldest.target, expected.target);
  EXPECT_EQ(oldest.details_json, expected.details_json);
}

// offset skips the newest entries and limit bounds the page; total counts them all.
TEST_P(StoreConformanceTest, AuditPagesByOffsetAndLimit) {
  for (const char* action : {"a1", "a2", "a3", "a4", "a5"}) {
    ASSERT_TRUE(stores_.audit->Append(Entry("acme", action)).ok());
  }
  absl::StatusOr<AuditPage> middle = stores_.audit->List("acme", 1, 2);
  ASSERT_TRUE(middle.ok()) << middle.status();
  EXPECT_EQ(middle->total, 5);
  ASSERT_EQ(middle->entries.size(), 2u);
  EXPECT_EQ(middle->entries[0].action, "a4");
  EXPECT_EQ(middle->entries[1].action, "a3");

  absl::StatusOr<AuditPage> last = stores_.audit->List("acme", 4, 10);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->entries.size(), 1u);
  EXPECT_EQ(last->entries[0].action, "a1");

  absl::StatusOr<AuditPage> beyond = stores_.audit->List("acme", 10, 10);
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE(beyond->entries.empty());
  EXPECT_EQ(beyond->total, 5);

  absl::StatusOr<AuditPage> empty = stores_.audit->List("acme", 0, 0);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
  EXPECT_EQ(empty->total, 5);
}

// Each org sees only its own entries.
TEST_P(StoreConformanceTest, AuditLogsAreSeparatePerOrg) {
  ASSERT_TRUE(stores_.audit->Append(Entry("acme", "a1")).ok());
  ASSERT_TRUE(stores_.audit->Append(Entry("globex", "g1")).ok());
  ASSERT_TRUE(stores_.audit->Append(Entry("globex", "g2")).ok());
  absl::StatusOr<AuditPage> acme = stores_.audit->List("acme", 0, 10);
  absl::StatusOr<AuditPage> globex = stores_.audit->List("globex", 0, 10);
  ASSERT_TRUE(acme.ok() && globex.ok());
  EXPECT_EQ(acme->total, 1);
  ASSERT_EQ(acme->entries.size(), 1u);
  EXPECT_EQ(acme->entries[0].action, "a1");
  EXPECT_EQ(globex->total, 2);
  EXPECT_EQ(globex->entries[0].org, "globex");
  EXPECT_EQ(stores_.audit->List("initech", 0, 10)->total, 0);
}

// A negative offset or limit is InvalidArgument.
TEST_P(StoreConformanceTest, NegativeAuditPageIsRefused) {
  EXPECT_EQ(stores_.audit->List("acme", -1, 10).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(stores_.audit->List("acme", 0, -1).status().code(), absl::StatusCode::kInvalidArgument);
}

// Durability.

// Directories, with every field, and their key hashes are still there after reopening.
TEST_P(StoreConformanceTest, DirectoriesSurviveReopen) {
  const uint64_t revision = stores_.accounts->Directory("acme")->revision;
  const OrgDirectory full = FullDirectory(revision);
  ASSERT_TRUE(stores_.accounts->ReplaceDirectory(full).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_TRUE(stores_.accounts->Directory("acme") != nullptr);
  DirectoryPtr found = stores_.accounts->Directory("acme");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->revision, revision + 1);
  ExpectSameDirectory(*found, full);
  std::optional<Principal> alice = stores_.accounts->FindByKeyHash("hash-alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->role, OrgRole::kOwner);
}

// After reopening, replacements go on from the stored revision, and stale ones stay refused.
TEST_P(StoreConformanceTest, RevisionsSurviveReopen) {
  DirectoryPtr stale = stores_.accounts->Directory("acme");
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) { d.max_active_entitlements = 3; }).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(stores_.accounts->ReplaceDirectory(*stale).code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(Change("acme", [](OrgDirectory& d) { d.max_active_entitlements = 4; }).ok());
  EXPECT_EQ(stores_.accounts->Directory("acme")->max_active_entitlements, 4);
}

// Key hash reservations survive reopening: another org still cannot take one.
TEST_P(StoreConformanceTest, KeyHashReservationsSurviveReopen) {
  ASSERT_TRUE(stores_.accounts->CreateOrg("globex", kNow).ok());
  ASSERT_TRUE(Change("acme", [](OrgDirectory& d) {
                d.members.push_back(Member("alice", OrgRole::kOwner, "hash-alice"));
              }).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(Change("globex",
                   [](OrgDirectory& d) {
                     d.members.push_back(Member("bob", OrgRole::kOwner, "hash-alice"));
                   })
                .code(),
            absl::StatusCode::kAlreadyExists);
}

// Audit log entries are still there after reopening.
TEST_P(StoreConformanceTest, AuditLogSurvivesReopen) {
  ASSERT_TRUE(stores_.audit->Append(Entry("acme", "service.create")).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  absl::StatusOr<AuditPage> page = stores_.audit->List("acme", 0, 10);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total, 1);
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].action, "service.create");
}

// Repositories, and an update to one, are still there after reopening.
TEST_P(StoreConformanceTest, RepositoriesSurviveReopen) {
  Repository changed = Repo("agents");
  changed.type = RepositoryType::kPublic;
  ASSERT_TRUE(stores_.repositories->Update(changed).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  RepositoryPtr found = stores_.repositories->Get("acme", "agents");
  ASSERT_TRUE(found != nullptr);
  EXPECT_EQ(found->type, RepositoryType::kPublic);
  EXPECT_EQ(stores_.repositories->List("acme").size(), 2u);
}

// Tokens are found by string after reopening, with every field intact.
TEST_P(StoreConformanceTest, TokensSurviveReopen) {
  const Entitlement token = FullToken("e1", "agents", "token-full-1");
  ASSERT_TRUE(stores_.entitlements->Create(token).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EntitlementPtr found = stores_.entitlements->FindByToken("acme", "agents", "token-full-1");
  ASSERT_NE(found, nullptr);
  ExpectSameEntitlement(*found, token);
}

// A deleted repository and its tokens stay deleted after reopening.
TEST_P(StoreConformanceTest, RepositoryDeleteSurvivesReopen) {
  ASSERT_TRUE(stores_.entitlements->Create(Token("e1", "agents", "token-abc-123")).ok());
  ASSERT_TRUE(stores_.repositories->Delete("acme", "agents").ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(stores_.repositories->Get("acme", "agents"), nullptr);
  EXPECT_EQ(stores_.entitlements->Get("acme", "agents", "e1"), nullptr);
}

// A signing key is still there after reopening.
TEST_P(StoreConformanceTest, SigningKeySurvivesReopen) {
  ASSERT_TRUE(stores_.signing_keys->Put("acme", "agents", KeyMaterial("a")).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ExpectSameKey(stores_.signing_keys->Get("acme", "agents"), KeyMaterial("a"));
}

// Artifact records are still there after reopening.
TEST_P(StoreConformanceTest, ArtifactRecordsSurviveReopen) {
  ASSERT_TRUE(stores_.artifacts->Put(Record("agents", "a.deb")).ok());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_TRUE(stores_.artifacts->Get("acme", "agents", "a.deb").has_value());
}

INSTANTIATE_TEST_SUITE_P(AllStores, StoreConformanceTest, testing::AllStoreFactories(),
                         testing::StoreFactoryName);

}  // namespace
}  // namespace tollgate::storage
