// Where the Redis stores keep what, and the change log they append to: the one place that
// spells key names. Org, repository and user names are slugs ([A-Za-z0-9._-], see
// policy/slug.h), so a ':' in a key always separates parts.
//
//   tollgate:meta                             hash    token_hash_key (HMAC key of token hashes),
//                                                     changelog_epoch (see below)
//   tollgate:changelog                        stream  the change log: one entry {change: MESSAGE}
//                                                     per write, trimmed to about
//                                                     kChangeLogMaxLength entries
//   tollgate:orgs                             hash    org → created_at
//   tollgate:org:{org}:directory              hash    revision, json (the org's directory as
//                                                     storage/src/org_directory_codec.h writes it)
//   tollgate:org:{org}:apikeys                set     key hashes of the directory's accounts
//   tollgate:org:{org}:audit                  list    audit entries as JSON, newest first
//   tollgate:org:{org}:audit:id               string  the last audit entry id given out (INCR)
//   tollgate:org:{org}:repos                  set     repository slugs
//   tollgate:apikey:{key_hash}                string  the org whose directory holds the key
//                                                     (keeps key hashes unique across orgs)
//   tollgate:repo:{org}:{slug}                hash    name, repository_type, storage, created_at
//   tollgate:repo:{org}:{slug}:tokens         set     identifiers of the repository's tokens
//   tollgate:repo:{org}:{slug}:tokhash:{hash} string  identifier (keeps token strings unique)
//   tollgate:repo:{org}:{slug}:artifacts      hash    path → JSON record
//   tollgate:repo:{org}:{slug}:artifacts:gen  string  the records' generation (INCR per change)
//   tollgate:repo:{org}:{slug}:signing        hash    public_key, secret_key, fingerprint (the
//                                                     repository's OpenPGP signing key)
//   tollgate:{tok:ID}:ent                     hash    every field of the entitlement
//   tollgate:{af:CLIENT}:failures             zset    a client's invalid credentials in the
//                                                     brute-force window (score: ms)
//   tollgate:{af:CLIENT}:block                string  set while the client is blocked (PX)
//
// ({org} etc. above are placeholders; the only real braces are the hash tag {tok:ID}, shared
// with the usage ledger's keys of the token.) Times are microseconds since the Unix epoch.
//
// The change log orders every write: each write script appends one entry naming what it
// changed, in the same atomic step as the write (WithChangeLog), and every instance re-reads what
// the entries name, in order, from the last entry it has seen. changelog_epoch is a random value
// set by the first instance that loads an empty Redis; an instance whose epoch differs from
// Redis's (Redis lost its data, or was replaced by another) loads everything again, as does
// one whose position is behind the oldest entry trimming kept or ahead of the newest.
//
// The write scripts need one Redis server, not a Redis Cluster: a token's script touches its
// {tok:ID} keys and its repository's keys, which hash to different slots; deleting a
// repository and replacing its standard tokens (entitlement sync) touch the keys of many
// tokens, and build the keys of the tokens that go from the repository's token set instead of
// declaring them.
//
// Earlier versions kept users as tollgate:org:{org}:users (set of names) and
// tollgate:user:{org}:{name} (hash: role, key_hash, created_at), with tollgate:apikey:{hash}
// naming the user's key. Opening the stores converts them into the directory of each org that
// has none yet and deletes them (RedisAccountStore::ConvertLegacyUsers).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tollgate/base/concat.h"

namespace tollgate::storage::redis_layout {

inline constexpr std::string_view kChangeLogKey = "tollgate:changelog";
// The field of a change-log entry that holds its change message.
inline constexpr std::string_view kChangeField = "change";
inline constexpr std::string_view kChangeLogEpochField = "changelog_epoch";
// Entries the log keeps at least (XADD MAXLEN ~ trims whole radix-tree nodes, so a little
// more): an instance disconnected for more changes than this loads everything again.
inline constexpr int kChangeLogMaxLength = 100'000;

// `body`, a write script that calls append_change(ARGV[1], ARGV[2]) with kChangeLogKey and its
// change message in the step that writes, with that function defined before it.
std::string WithChangeLog(std::string_view body);

inline std::string MetaKey() { return "tollgate:meta"; }
// The brute-force keys of a client key (an IPv4 address or IPv6 /64).
inline std::string AuthFailuresKey(std::string_view client) {
  return Concat("tollgate:{af:", client, "}:failures");
}
inline std::string AuthBlockKey(std::string_view client) {
  return Concat("tollgate:{af:", client, "}:block");
}
inline constexpr std::string_view kTokenHashKeyField = "token_hash_key";
inline std::string OrgsKey() { return "tollgate:orgs"; }
inline std::string DirectoryKey(std::string_view org) {
  return Concat("tollgate:org:", org, ":directory");
}
inline constexpr std::string_view kRevisionField = "revision";
inline constexpr std::string_view kJsonField = "json";
inline std::string OrgApiKeysKey(std::string_view org) {
  return Concat("tollgate:org:", org, ":apikeys");
}
inline std::string AuditKey(std::string_view org) { return Concat("tollgate:org:", org, ":audit"); }
inline std::string AuditIdKey(std::string_view org) { return Concat(AuditKey(org), ":id"); }
inline std::string OrgReposKey(std::string_view org) {
  return Concat("tollgate:org:", org, ":repos");
}
// Followed by a key hash: the key that reserves that API key for one org.
inline constexpr std::string_view kApiKeyKeyPrefix = "tollgate:apikey:";
// The keys of earlier versions' users, read only to convert them.
inline std::string LegacyOrgUsersKey(std::string_view org) {
  return Concat("tollgate:org:", org, ":users");
}
inline std::string LegacyUserKeyPrefix(std::string_view org) {
  return Concat("tollgate:user:", org, ':');
}
inline std::string RepoKey(std::string_view org, std::string_view slug) {
  return Concat("tollgate:repo:", org, ':', slug);
}
inline std::string RepoTokensKey(std::string_view org, std::string_view slug) {
  return Concat(RepoKey(org, slug), ":tokens");
}
// Followed by a token hash: the key that reserves that token string in the repository.
inline std::string TokenHashKeyPrefix(std::string_view org, std::string_view slug) {
  return Concat(RepoKey(org, slug), ":tokhash:");
}
inline std::string RepoArtifactsKey(std::string_view org, std::string_view slug) {
  return Concat(RepoKey(org, slug), ":artifacts");
}
inline std::string RepoArtifactsGenerationKey(std::string_view org, std::string_view slug) {
  return Concat(RepoKey(org, slug), ":artifacts:gen");
}
inline std::string RepoSigningKeyKey(std::string_view org, std::string_view slug) {
  return Concat(RepoKey(org, slug), ":signing");
}
// An entitlement key is kEntitlementKeyPrefix + identifier + kEntitlementKeySuffix.
inline constexpr std::string_view kEntitlementKeyPrefix = "tollgate:{tok:";
inline constexpr std::string_view kEntitlementKeySuffix = "}:ent";
inline std::string EntitlementKey(std::string_view identifier) {
  return Concat(kEntitlementKeyPrefix, identifier, kEntitlementKeySuffix);
}

// A change message names one object that changed, or was created or deleted; instances
// re-read it from Redis, so a message never carries the object itself.
enum class ChangeKind { kDirectory, kRepository, kEntitlement };

struct Change {
  ChangeKind kind;
  std::vector<std::string> names;  // org | org, slug | identifier
};

// "dir ORG" (an org was created, or its directory replaced), "repo ORG SLUG",
// "ent IDENTIFIER".
inline std::string DirectoryChange(std::string_view org) { return Concat("dir ", org); }
inline std::string RepositoryChange(std::string_view org, std::string_view slug) {
  return Concat("repo ", org, ' ', slug);
}
inline std::string EntitlementChange(std::string_view identifier) {
  return Concat("ent ", identifier);
}

// nullopt for a message of a kind this version does not know, or with the wrong number of
// names.
std::optional<Change> ParseChange(std::string_view message);

}  // namespace tollgate::storage::redis_layout
