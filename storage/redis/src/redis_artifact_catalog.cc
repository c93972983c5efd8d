// ArtifactCatalog on Redis: one hash per repository, path → the record as compact JSON.
#include "redis_artifact_catalog.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "boost/json.hpp"
#include "redis_codec.h"
#include "redis_layout.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace json = boost::json;
namespace layout = redis_layout;

// KEYS: repository, its artifact records, their generation. ARGV: path, record.
constexpr std::string_view kPutScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 'no_repository' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[3])
return 'ok'
)lua";

// KEYS: artifact records, their generation. ARGV: path.
constexpr std::string_view kRemoveScript = R"lua(
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 'not_found' end
redis.call('INCR', KEYS[2])
return 'ok'
)lua";

std::string EncodeRecord(const ArtifactRecord& record) {
  json::object object;
  object["size"] = record.size;
  object["sha256"] = record.sha256;
  if (!record.sha1.empty()) object["sha1"] = record.sha1;
  if (!record.sha512.empty()) object["sha512"] = record.sha512;
  if (!record.metadata.empty()) object["metadata"] = record.metadata;
  if (record.uploader) object["uploader"] = *record.uploader;
  object["uploaded_at"] = absl::ToUnixMicros(record.uploaded_at);
  return json::serialize(object);
}

// nullopt when `text` is not a record this version can read.
std::optional<ArtifactRecord> DecodeRecord(const std::string& org, const std::string& repo,
                                           const std::string& path, std::string_view text) {
  boost::system::error_code error;
  const json::value value = json::parse(json::string_view(text.data(), text.size()), error);
  const json::object* object = error ? nullptr : value.if_object();
  if (object == nullptr) return std::nullopt;
  const json::value* size = object->if_contains("size");
  const json::value* sha256 = object->if_contains("sha256");
  const json::value* uploader = object->if_contains("uploader");
  const json::value* uploaded_at = object->if_contains("uploaded_at");
  if (size == nullptr || sha256 == nullptr || !sha256->is_string() || uploaded_at == nullptr ||
      !uploaded_at->is_int64() || (uploader != nullptr && !uploader->is_string())) {
    return std::nullopt;
  }
  ArtifactRecord record;
  record.org = org;
  record.repo = repo;
  record.path = path;
  record.size = size->to_number<uint64_t>(error);
  if (error) return std::nullopt;
  record.sha256 = std::string(sha256->get_string());
  if (uploader != nullptr) record.uploader = std::string(uploader->get_string());
  record.uploaded_at = absl::FromUnixMicros(uploaded_at->get_int64());
  // Absent in records of earlier versions.
  for (auto [name, field] : {std::pair{"sha1", &record.sha1}, std::pair{"sha512", &record.sha512},
                             std::pair{"metadata", &record.metadata}}) {
    const json::value* text_field = object->if_contains(name);
    if (text_field != nullptr && text_field->is_string()) {
      *field = std::string(text_field->get_string());
    }
  }
  return record;
}

}  // namespace

RedisArtifactCatalog::RedisArtifactCatalog(RedisStoreContext& context)
    : context_(context), put_script_(kPutScript), remove_script_(kRemoveScript) {}

absl::Status RedisArtifactCatalog::Put(const ArtifactRecord& record) {
  absl::StatusOr<std::string> outcome = context_.RunWrite(
      put_script_,
      {layout::RepoKey(record.org, record.repo), layout::RepoArtifactsKey(record.org, record.repo),
       layout::RepoArtifactsGenerationKey(record.org, record.repo)},
      {record.path, EncodeRecord(record)});
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "no_repository") {
    return absl::NotFoundError(
        Concat("repository ", record.org, "/", record.repo, " does not exist"));
  }
  if (*outcome != "ok") {
    return absl::InternalError(Concat("unexpected answer from a redis script: ", *outcome));
  }
  return absl::OkStatus();
}

absl::Status RedisArtifactCatalog::Remove(const std::string& org, const std::string& repo,
                                          const std::string& path) {
  absl::StatusOr<std::string> outcome = context_.RunWrite(
      remove_script_,
      {layout::RepoArtifactsKey(org, repo), layout::RepoArtifactsGenerationKey(org, repo)}, {path});
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "not_found") {
    return absl::NotFoundError(Concat("no artifact record for ", org, "/", repo, "/", path));
  }
  if (*outcome != "ok") {
    return absl::InternalError(Concat("unexpected answer from a redis script: ", *outcome));
  }
  return absl::OkStatus();
}

std::optional<ArtifactRecord> RedisArtifactCatalog::Get(const std::string& org,
                                                        const std::string& repo,
                                                        const std::string& path) const {
  absl::StatusOr<RedisReply> reply =
      context_.Command({"HGET", layout::RepoArtifactsKey(org, repo), path});
  // The interface has no error channel here.
  if (!reply.ok() || reply->type != RedisReply::Type::kString) return std::nullopt;
  return DecodeRecord(org, repo, path, reply->str);
}

std::vector<ArtifactRecord> RedisArtifactCatalog::List(const std::string& org,
                                                       const std::string& repo) const {
  std::vector<ArtifactRecord> records;
  absl::StatusOr<RedisReply> reply =
      context_.Command({"HGETALL", layout::RepoArtifactsKey(org, repo)});
  if (!reply.ok()) return records;
  absl::StatusOr<RedisHash> hash = HashFields(*reply);
  if (!hash.ok()) return records;
  records.reserve(hash->size());
  for (const auto& [path, text] : *hash) {
    std::optional<ArtifactRecord> record = DecodeRecord(org, repo, path, text);
    if (record) records.push_back(*std::move(record));
  }
  std::sort(records.begin(), records.end(),
            [](const ArtifactRecord& a, const ArtifactRecord& b) { return a.path < b.path; });
  return records;
}

absl::StatusOr<uint64_t> RedisArtifactCatalog::Generation(const std::string& org,
                                                          const std::string& repo) const {
  absl::StatusOr<RedisReply> reply =
      context_.Command({"GET", layout::RepoArtifactsGenerationKey(org, repo)});
  if (!reply.ok()) return reply.status();
  if (reply->type == RedisReply::Type::kNil) return 0;
  uint64_t generation = 0;
  if (reply->type != RedisReply::Type::kString || !absl::SimpleAtoi(reply->str, &generation)) {
    return absl::InternalError("unexpected reply to GET of an artifact generation");
  }
  return generation;
}

}  // namespace tollgate::storage
