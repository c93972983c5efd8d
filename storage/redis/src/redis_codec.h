// Values as the Redis stores write them into hashes, and reading replies back: times in
// microseconds since the Unix epoch (as the embedded store keeps them), integers in decimal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tollgate/storage/redis/redis_reply.h"
#include "tollgate/storage/repository_store.h"

namespace tollgate::storage {

using RedisHash = absl::flat_hash_map<std::string, std::string>;

std::string EncodeTime(absl::Time time);
// nullopt when `text` is not a decimal integer.
std::optional<absl::Time> DecodeTime(std::string_view text);
std::optional<int64_t> DecodeInt(std::string_view text);

std::string_view RepositoryTypeName(RepositoryType type);
std::optional<RepositoryType> ParseRepositoryType(std::string_view name);

// The fields of an HGETALL reply: empty for a missing key. DataLoss when the key holds
// something else (WRONGTYPE, or a reply of another shape): a value this version cannot read,
// which readers treat as they treat an undecodable one. Internal for any other error reply
// (e.g. LOADING), which may pass.
absl::StatusOr<RedisHash> HashFields(const RedisReply& reply);
// The strings of an array reply (SMEMBERS, HKEYS, …). Internal as HashFields.
absl::StatusOr<std::vector<std::string>> ArrayStrings(const RedisReply& reply);

// The field `name` of `hash`, or nullptr.
const std::string* FindField(const RedisHash& hash, std::string_view name);

// The hash that HSET with these field/value pairs leaves.
RedisHash ToHash(const std::vector<std::string>& pairs);

// Reads typed fields out of a hash, remembering the first one that was missing (when
// required) or malformed, so a decoder checks once at the end.
class FieldReader {
 public:
  explicit FieldReader(const RedisHash& hash) : hash_(hash) {}

  std::string Text(std::string_view name);
  std::optional<std::string> OptionalText(std::string_view name);
  absl::Time Time(std::string_view name);
  std::optional<absl::Time> OptionalTime(std::string_view name);
  std::optional<int64_t> OptionalInt(std::string_view name);
  // Records `name` as malformed, e.g. an enumeration value this version does not know.
  void Fail(std::string_view name);

  // DataLoss naming `what` and the first bad field, or OK.
  absl::Status status(std::string_view what) const;

 private:
  const RedisHash& hash_;
  std::string bad_field_;
};

// Appends field/value pairs for HSET, leaving absent optional values out.
class FieldWriter {
 public:
  void Text(std::string_view name, std::string_view value);
  void OptionalText(std::string_view name, const std::optional<std::string>& value);
  void Time(std::string_view name, absl::Time value);
  void OptionalTime(std::string_view name, const std::optional<absl::Time>& value);
  void OptionalInt(std::string_view name, const std::optional<int64_t>& value);

  const std::vector<std::string>& pairs() const { return pairs_; }

 private:
  std::vector<std::string> pairs_;
};

}  // namespace tollgate::storage
