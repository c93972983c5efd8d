// JSON field readers for request validation.
#include "admin/json_fields.h"

#include <algorithm>

#include "boost/json/parse.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace json = boost::json;

namespace {

absl::Status WrongType(std::string_view field, std::string_view expected) {
  return absl::InvalidArgumentError(Concat(field, ": must be ", expected));
}

}  // namespace

absl::StatusOr<json::object> ParseJsonObject(std::string_view body) {
  if (body.empty()) return json::object{};
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) return absl::InvalidArgumentError(Concat("body is not valid JSON: ", ec.message()));
  if (!value.is_object()) return absl::InvalidArgumentError("body must be a JSON object");
  return std::move(value.as_object());
}

absl::Status RejectOtherFields(const json::object& object,
                               std::initializer_list<std::string_view> allowed) {
  for (const auto& [field, value] : object) {
    const std::string_view name(field);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return absl::InvalidArgumentError(Concat(name, ": cannot be set here"));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadString(const json::object& object, std::string_view field, std::string& out) {
  const json::value* value = object.if_contains(field);
  if (value == nullptr) return absl::OkStatus();
  if (!value->is_string()) return WrongType(field, "a string");
  out = std::string(value->as_string());
  return absl::OkStatus();
}

absl::Status ReadBoundedString(const json::object& object, std::string_view field,
                               size_t min_length, size_t max_length, std::string& out) {
  std::string value = out;
  if (absl::Status s = ReadString(object, field, value); !s.ok()) return s;
  if (object.contains(field) && (value.size() < min_length || value.size() > max_length)) {
    return absl::InvalidArgumentError(
        Concat(field, ": must be ", min_length, " to ", max_length, " characters long"));
  }
  out = std::move(value);
  return absl::OkStatus();
}

absl::Status ReadNullableString(const json::object& object, std::string_view field,
                                std::optional<std::string>& out) {
  const json::value* value = object.if_contains(field);
  if (value == nullptr) return absl::OkStatus();
  if (value->is_null()) {
    out.reset();
    return absl::OkStatus();
  }
  if (!value->is_string()) return WrongType(field, "a string or null");
  out = std::string(value->as_string());
  return absl::OkStatus();
}

absl::Status ReadBool(const json::object& object, std::string_view field, bool& out) {
  const json::value* value = object.if_contains(field);
  if (value == nullptr) return absl::OkStatus();
  if (!value->is_bool()) return WrongType(field, "true or false");
  out = value->as_bool();
  return absl::OkStatus();
}

absl::Status ReadNullableCount(const json::object& object, std::string_view field,
                               std::optional<int64_t>& out) {
  const json::value* value = object.if_contains(field);
  if (value == nullptr) return absl::OkStatus();
  if (value->is_null()) {
    out.reset();
    return absl::OkStatus();
  }
  if (value->is_int64() && value->as_int64() >= 0) {
    out = value->as_int64();
    return absl::OkStatus();
  }
  if (value->is_uint64() && value->as_uint64() <= INT64_MAX) {
    out = static_cast<int64_t>(value->as_uint64());
    return absl::OkStatus();
  }
  return WrongType(field, "a whole number of zero or more, or null");
}

absl::Status ReadNullableTime(const json::object& object, std::string_view field,
                              std::optional<absl::Time>& out) {
  const json::value* value = object.if_contains(field);
  if (value == nullptr) return absl::OkStatus();
  if (value->is_null()) {
    out.reset();
    return absl::OkStatus();
  }
  if (!value->is_string()) return WrongType(field, "an RFC 3339 timestamp or null");
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(value->as_string()), &time, &error)) {
    return WrongType(field, "an RFC 3339 timestamp such as 2027-08-01T00:00:00Z");
  }
  out = time;
  return absl::OkStatus();
}

std::string FormatTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", time, absl::UTCTimeZone());
}

json::value TimestampOrNull(const std::optional<absl::Time>& time) {
  if (!time) return nullptr;
  return json::string(FormatTimestamp(*time));
}

}  // namespace tollgate::gateway::admin
