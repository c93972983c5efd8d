// Field-by-field mapping between policy::Entitlement and its JSON form.
#include "admin/entitlement_json.h"

#include <array>

#include "admin/json_fields.h"
#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::admin {
namespace json = boost::json;
using policy::Entitlement;

namespace {

json::value CountOrNull(const std::optional<int64_t>& count) {
  if (!count) return nullptr;
  return *count;
}

json::value StringOrNull(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::string(*text);
}

// Fields a client may send back unchanged from a GET; they are never written.
constexpr std::array<std::string_view, 6> kReadOnlyFields = {
    "identifier", "created_at", "updated_at", "usage", "user", "scheduled_reset_at"};

absl::Status ReadEnum(const json::object& fields, std::string_view field, auto parse, auto& out) {
  std::string name;
  if (absl::Status s = ReadString(fields, field, name); !s.ok() || name.empty()) return s;
  auto value = parse(name);
  if (!value) return absl::InvalidArgumentError(Concat(field, ": unknown value '", name, "'"));
  out = *value;
  return absl::OkStatus();
}

json::object UsageCounters(const storage::UsageSnapshot& usage) {
  return json::object{
      {"downloads", usage.downloads}, {"clients", usage.clients}, {"bandwidth", usage.bandwidth}};
}

}  // namespace

json::object UsageToJson(const storage::UsageSnapshot& usage,
                         const std::vector<storage::UsageEvent>& events) {
  json::object body = UsageCounters(usage);
  body["last_downloaded_at"] = TimestampOrNull(usage.last_downloaded_at);
  json::array listed;
  for (const storage::UsageEvent& event : events) {
    listed.push_back(json::object{{"at", FormatTimestamp(event.at)},
                                  {"client", event.client},
                                  {"path", event.path},
                                  {"bytes", event.bytes},
                                  {"status", event.status}});
  }
  body["events"] = std::move(listed);
  return body;
}

json::object EntitlementToJson(const Entitlement& e, bool show_token,
                               const storage::UsageSnapshot& usage,
                               const std::optional<absl::Time>& next_reset) {
  json::object object{
      {"identifier", e.identifier},
      {"name", e.name},
      {"is_active", e.is_active},
      {"user", StringOrNull(e.user)},
      {"limit_date_range_from", TimestampOrNull(e.limit_date_range_from)},
      {"limit_date_range_to", TimestampOrNull(e.limit_date_range_to)},
      {"limit_num_downloads", CountOrNull(e.limit_num_downloads)},
      {"limit_num_clients", CountOrNull(e.limit_num_clients)},
      {"limit_bandwidth", CountOrNull(e.limit_bandwidth)},
      {"limit_bandwidth_unit", policy::BandwidthUnitName(e.limit_bandwidth_unit)},
      {"limit_package_query", StringOrNull(e.limit_package_query)},
      {"limit_path_query", StringOrNull(e.limit_path_query)},
      {"scheduled_reset_period", policy::ResetPeriodName(e.scheduled_reset_period)},
      {"scheduled_reset_at", TimestampOrNull(next_reset)},
      {"metadata", json::parse(e.metadata_json)},
      {"created_at", FormatTimestamp(e.created_at)},
      {"updated_at", FormatTimestamp(e.updated_at)},
      {"usage", UsageCounters(usage)},
  };
  if (show_token) object["token"] = e.token;
  return object;
}

absl::Status ApplyEntitlementFields(const json::object& fields, Entitlement& e) {
  for (const auto& [key, value] : fields) {
    static constexpr std::array<std::string_view, 13> kWritable = {"name",
                                                                   "token",
                                                                   "is_active",
                                                                   "limit_date_range_from",
                                                                   "limit_date_range_to",
                                                                   "limit_num_downloads",
                                                                   "limit_num_clients",
                                                                   "limit_bandwidth",
                                                                   "limit_bandwidth_unit",
                                                                   "limit_package_query",
                                                                   "limit_path_query",
                                                                   "scheduled_reset_period",
                                                                   "metadata"};
    const bool known =
        std::find(kWritable.begin(), kWritable.end(), key) != kWritable.end() ||
        std::find(kReadOnlyFields.begin(), kReadOnlyFields.end(), key) != kReadOnlyFields.end();
    if (!known) return absl::InvalidArgumentError(Concat(key, ": unknown field"));
  }
  absl::Status status;
  const auto read = [&status](absl::Status s) {
    if (status.ok()) status = std::move(s);
  };
  read(ReadString(fields, "name", e.name));
  read(ReadString(fields, "token", e.token));
  read(ReadBool(fields, "is_active", e.is_active));
  read(ReadNullableTime(fields, "limit_date_range_from", e.limit_date_range_from));
  read(ReadNullableTime(fields, "limit_date_range_to", e.limit_date_range_to));
  read(ReadNullableCount(fields, "limit_num_downloads", e.limit_num_downloads));
  read(ReadNullableCount(fields, "limit_num_clients", e.limit_num_clients));
  read(ReadNullableCount(fields, "limit_bandwidth", e.limit_bandwidth));
  read(
      ReadEnum(fields, "limit_bandwidth_unit", policy::ParseBandwidthUnit, e.limit_bandwidth_unit));
  read(ReadNullableString(fields, "limit_package_query", e.limit_package_query));
  read(ReadNullableString(fields, "limit_path_query", e.limit_path_query));
  read(ReadEnum(fields, "scheduled_reset_period", policy::ParseResetPeriod,
                e.scheduled_reset_period));
  if (const json::value* metadata = fields.if_contains("metadata"); metadata != nullptr) {
    if (metadata->is_null()) {
      e.metadata_json = "{}";
    } else if (metadata->is_object()) {
      e.metadata_json = json::serialize(*metadata);
    } else {
      read(absl::InvalidArgumentError("metadata: must be a JSON object or null"));
    }
  }
  return status;
}

}  // namespace tollgate::gateway::admin
