// Encoding of values in the Redis stores' hashes, and shape checks on replies.
#include "redis_codec.h"

#include <charconv>

#include "absl/strings/string_view.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

absl::Status UnexpectedReply(const RedisReply& reply) {
  if (reply.is_error()) return absl::InternalError(Concat("redis replied: ", reply.str));
  return absl::InternalError(
      Concat("unexpected redis reply of type ", static_cast<int>(reply.type)));
}

}  // namespace

std::string EncodeTime(absl::Time time) { return Concat(absl::ToUnixMicros(time)); }

std::optional<absl::Time> DecodeTime(std::string_view text) {
  std::optional<int64_t> micros = DecodeInt(text);
  if (!micros) return std::nullopt;
  return absl::FromUnixMicros(*micros);
}

std::optional<int64_t> DecodeInt(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view RepositoryTypeName(RepositoryType type) {
  return type == RepositoryType::kPublic ? "public" : "private";
}

std::optional<RepositoryType> ParseRepositoryType(std::string_view name) {
  if (name == "public") return RepositoryType::kPublic;
  if (name == "private") return RepositoryType::kPrivate;
  return std::nullopt;
}

absl::StatusOr<RedisHash> HashFields(const RedisReply& reply) {
  if (reply.is_error() && !reply.str.starts_with("WRONGTYPE")) return UnexpectedReply(reply);
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() % 2 != 0) {
    return absl::DataLossError(Concat("not a hash: ", UnexpectedReply(reply).message()));
  }
  RedisHash hash;
  hash.reserve(reply.elements.size() / 2);
  for (size_t i = 0; i < reply.elements.size(); i += 2) {
    hash.insert_or_assign(reply.elements[i].str, reply.elements[i + 1].str);
  }
  return hash;
}

absl::StatusOr<std::vector<std::string>> ArrayStrings(const RedisReply& reply) {
  if (reply.type != RedisReply::Type::kArray) return UnexpectedReply(reply);
  std::vector<std::string> strings;
  strings.reserve(reply.elements.size());
  for (const RedisReply& element : reply.elements) strings.push_back(element.str);
  return strings;
}

const std::string* FindField(const RedisHash& hash, std::string_view name) {
  auto it = hash.find(absl::string_view(name.data(), name.size()));
  return it == hash.end() ? nullptr : &it->second;
}

RedisHash ToHash(const std::vector<std::string>& pairs) {
  RedisHash hash;
  for (size_t i = 0; i + 1 < pairs.size(); i += 2) hash.insert_or_assign(pairs[i], pairs[i + 1]);
  return hash;
}

std::string FieldReader::Text(std::string_view name) {
  const std::string* value = FindField(hash_, name);
  if (value == nullptr) {
    Fail(name);
    return {};
  }
  return *value;
}

std::optional<std::string> FieldReader::OptionalText(std::string_view name) {
  const std::string* value = FindField(hash_, name);
  if (value == nullptr) return std::nullopt;
  return *value;
}

absl::Time FieldReader::Time(std::string_view name) {
  std::optional<absl::Time> time = OptionalTime(name);
  if (!time) Fail(name);
  return time.value_or(absl::UnixEpoch());
}

std::optional<absl::Time> FieldReader::OptionalTime(std::string_view name) {
  const std::string* value = FindField(hash_, name);
  if (value == nullptr) return std::nullopt;
  std::optional<absl::Time> time = DecodeTime(*value);
  if (!time) Fail(name);
  return time;
}

std::optional<int64_t> FieldReader::OptionalInt(std::string_view name) {
  const std::string* value = FindField(hash_, name);
  if (value == nullptr) return std::nullopt;
  std::optional<int64_t> number = DecodeInt(*value);
  if (!number) Fail(name);
  return number;
}

void FieldReader::Fail(std::string_view name) {
  if (bad_field_.empty()) bad_field_ = name;
}

absl::Status FieldReader::status(std::string_view what) const {
  if (bad_field_.empty()) return absl::OkStatus();
  return absl::DataLossError(Concat(what, " has a missing or unknown value in field ", bad_field_));
}

void FieldWriter::Text(std::string_view name, std::string_view value) {
  pairs_.emplace_back(name);
  pairs_.emplace_back(value);
}

void FieldWriter::OptionalText(std::string_view name, const std::optional<std::string>& value) {
  if (value) Text(name, *value);
}

void FieldWriter::Time(std::string_view name, absl::Time value) { Text(name, EncodeTime(value)); }

void FieldWriter::OptionalTime(std::string_view name, const std::optional<absl::Time>& value) {
  if (value) Time(name, *value);
}

void FieldWriter::OptionalInt(std::string_view name, const std::optional<int64_t>& value) {
  if (value) Text(name, Concat(*value));
}

}  // namespace tollgate::storage
