// Typed reads of JSON request fields. Each read leaves the target untouched when the field
// is absent and fails with InvalidArgument "<field>: <why>" (→ 422) on a wrong value.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/json/object.hpp"
#include "boost/json/value.hpp"

namespace tollgate::gateway::admin {

// The body as a JSON object ("" reads as {}). InvalidArgument when it is not JSON or not
// an object; callers answer that with 400.
absl::StatusOr<boost::json::object> ParseJsonObject(std::string_view body);

// InvalidArgument "<field>: cannot be set here" for the first field of `object` that is not
// in `allowed`.
absl::Status RejectOtherFields(const boost::json::object& object,
                               std::initializer_list<std::string_view> allowed);

absl::Status ReadString(const boost::json::object& object, std::string_view field,
                        std::string& out);
// A string of `min_length` to `max_length` bytes ("name: must be 1 to 200 characters long").
absl::Status ReadBoundedString(const boost::json::object& object, std::string_view field,
                               size_t min_length, size_t max_length, std::string& out);

// Display names of repositories, services and teams: 1 to 200 characters. Descriptions: up to
// 1000, so that an org's directory, held whole by every instance, stays small.
inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxDescriptionLength = 1000;
// `null` clears the value.
absl::Status ReadNullableString(const boost::json::object& object, std::string_view field,
                                std::optional<std::string>& out);
absl::Status ReadBool(const boost::json::object& object, std::string_view field, bool& out);
// A whole number from 0 to 2^63-1; `null` clears the value.
absl::Status ReadNullableCount(const boost::json::object& object, std::string_view field,
                               std::optional<int64_t>& out);
// An RFC 3339 timestamp; `null` clears the value.
absl::Status ReadNullableTime(const boost::json::object& object, std::string_view field,
                              std::optional<absl::Time>& out);

// RFC 3339 UTC, e.g. 2026-11-22T10:00:00Z (fractional seconds only when present).
std::string FormatTimestamp(absl::Time time);
boost::json::value TimestampOrNull(const std::optional<absl::Time>& time);

}  // namespace tollgate::gateway::admin
