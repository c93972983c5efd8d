// Repository storage objects in the API. Secrets are stored as given (they must be sent to
// the origin) and never shown back.
#include "admin/storage_json.h"

#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "tollgate/storage/http_origin_config.h"

namespace tollgate::gateway::admin {
namespace json = boost::json;

namespace {

constexpr char kExpected[] =
    R"(storage: must be {"type": "fs"} or {"type": "http", "url": "http://…"})";

json::value ParseStored(std::string_view storage_json) {
  boost::system::error_code ec;
  json::value value = json::parse(storage_json, ec);
  return ec ? json::value(json::object{{"type", "fs"}}) : value;
}

}  // namespace

absl::StatusOr<std::string> StorageToStore(const json::value& storage,
                                           std::string_view stored_json) {
  const json::object* object = storage.if_object();
  const json::value* type = object != nullptr ? object->if_contains("type") : nullptr;
  if (type == nullptr || !type->is_string()) return absl::InvalidArgumentError(kExpected);
  if (type->as_string() == "fs") {
    if (object->size() != 1)
      return absl::InvalidArgumentError(R"(storage: {"type": "fs"} takes no other fields)");
    return json::serialize(storage);
  }
  if (type->as_string() != "http") return absl::InvalidArgumentError(kExpected);
  // Validated first, so a bad URL is reported as such rather than as a changed origin.
  if (absl::StatusOr<storage::HttpOriginConfig> parsed = storage::ParseHttpOriginConfig(*object);
      !parsed.ok()) {
    return parsed.status();
  }
  json::object kept = *object;
  if (absl::Status s = storage::RestoreStorageSecrets(kept, ParseStored(stored_json)); !s.ok()) {
    return s;
  }
  return json::serialize(kept);
}

json::value StorageForApi(std::string_view storage_json) {
  return storage::RedactStorageSecrets(ParseStored(storage_json));
}

}  // namespace tollgate::gateway::admin
