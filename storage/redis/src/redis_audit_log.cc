// AuditLog on Redis: a Lua script numbers each entry (INCR per org) and pushes it as compact
// JSON onto the org's list; pages are LRANGEs of that list.
#include "redis_audit_log.h"

#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "boost/json.hpp"
#include "redis_codec.h"
#include "redis_layout.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace json = boost::json;
namespace layout = redis_layout;

// KEYS: the org's entries, its last id. ARGV: the entry as a JSON object without "id", which
// the script puts first.
constexpr std::string_view kAppendScript = R"lua(
local id = redis.call('INCR', KEYS[2])
redis.call('LPUSH', KEYS[1], '{"id":' .. id .. ',' .. string.sub(ARGV[1], 2))
return 'ok'
)lua";

// Never empty: the script splices "id" in after the opening brace.
std::string EncodeEntry(const AuditEntry& entry) {
  json::object object;
  object["at"] = absl::ToUnixMicros(entry.at);
  object["actor_kind"] = entry.actor_kind;
  object["actor"] = entry.actor;
  object["client_address"] = entry.client_address;
  object["action"] = entry.action;
  object["target"] = entry.target;
  object["details_json"] = entry.details_json;
  return json::serialize(object);
}

// nullopt when `text` is not an entry this version can read.
std::optional<AuditEntry> DecodeEntry(const std::string& org, std::string_view text) {
  boost::system::error_code error;
  const json::value value = json::parse(json::string_view(text.data(), text.size()), error);
  const json::object* object = error ? nullptr : value.if_object();
  if (object == nullptr) return std::nullopt;
  AuditEntry entry;
  entry.org = org;
  const json::value* id = object->if_contains("id");
  const json::value* at = object->if_contains("at");
  if (id == nullptr || !id->is_int64() || at == nullptr || !at->is_int64()) return std::nullopt;
  entry.id = id->get_int64();
  entry.at = absl::FromUnixMicros(at->get_int64());
  for (auto [name, field] :
       {std::pair{"actor_kind", &entry.actor_kind}, std::pair{"actor", &entry.actor},
        std::pair{"client_address", &entry.client_address}, std::pair{"action", &entry.action},
        std::pair{"target", &entry.target}, std::pair{"details_json", &entry.details_json}}) {
    const json::value* text_value = object->if_contains(name);
    if (text_value == nullptr || !text_value->is_string()) return std::nullopt;
    *field = std::string(text_value->get_string());
  }
  return entry;
}

absl::Status UnexpectedReply(const RedisReply& reply) {
  return absl::InternalError(
      Concat("unexpected redis reply to the audit log: ", reply.is_error() ? reply.str : ""));
}

}  // namespace

RedisAuditLog::RedisAuditLog(RedisStoreContext& context)
    : context_(context), append_script_(kAppendScript) {}

absl::Status RedisAuditLog::Append(const AuditEntry& entry) {
  absl::StatusOr<std::string> outcome = context_.RunWrite(
      append_script_, {layout::AuditKey(entry.org), layout::AuditIdKey(entry.org)},
      {EncodeEntry(entry)});
  if (!outcome.ok()) return outcome.status();
  if (*outcome != "ok") {
    return absl::InternalError(Concat("unexpected answer from a redis script: ", *outcome));
  }
  return absl::OkStatus();
}

absl::StatusOr<AuditPage> RedisAuditLog::List(const std::string& org, int64_t offset,
                                              int64_t limit) const {
  if (offset < 0 || limit < 0) {
    return absl::InvalidArgumentError("audit log offset and limit must not be negative");
  }
  const std::string key = layout::AuditKey(org);
  std::vector<std::vector<std::string>> batch = {{"LLEN", key}};
  // LRANGE's stop is inclusive, and a negative one counts from the end: no LRANGE for an
  // empty page.
  if (limit > 0) {
    const int64_t stop = limit > std::numeric_limits<int64_t>::max() - offset
                             ? std::numeric_limits<int64_t>::max()
                             : offset + limit - 1;
    batch.push_back({"LRANGE", key, Concat(offset), Concat(stop)});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = context_.Transaction(batch);
  if (!replies.ok()) return replies.status();
  const RedisReply& total = (*replies)[0];
  if (total.type != RedisReply::Type::kInteger) return UnexpectedReply(total);
  AuditPage page;
  page.total = total.integer;
  if (limit == 0) return page;
  absl::StatusOr<std::vector<std::string>> texts = ArrayStrings((*replies)[1]);
  if (!texts.ok()) return texts.status();
  for (const std::string& text : *texts) {
    std::optional<AuditEntry> entry = DecodeEntry(org, text);
    if (!entry) {
      return absl::DataLossError(Concat("an audit log entry of org ", org, " does not decode"));
    }
    page.entries.push_back(*std::move(entry));
  }
  return page;
}

}  // namespace tollgate::storage
