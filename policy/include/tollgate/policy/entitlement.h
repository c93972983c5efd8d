// The entitlement token model (SPEC §3 "Entitlement token JSON") and the rules on its fields.
// A plain value type: stores persist it, the gateway serialises it, Evaluate decides with it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace tollgate::policy {

class ScopeQuery;

// Units of `limit_bandwidth`, powers of 1000 as SPEC §3 says.
enum class BandwidthUnit { kByte, kKilobyte, kMegabyte, kGigabyte, kTerabyte, kPetabyte };

enum class ResetPeriod {
  kNever,
  kDaily,
  kWeekly,
  kFortnightly,
  kMonthly,
  kBiMonthly,
  kQuarterly,
  kEvery6Months,
  kAnnual,
};

std::string_view BandwidthUnitName(BandwidthUnit unit);
// nullopt when `name` is not one of SPEC's unit names.
std::optional<BandwidthUnit> ParseBandwidthUnit(std::string_view name);
std::string_view ResetPeriodName(ResetPeriod period);
// nullopt when `name` is not one of SPEC's period names.
std::optional<ResetPeriod> ParseResetPeriod(std::string_view name);

// The instance cache keeps tokens in storage/index's CompactEntitlement: a new field goes there
// too.
struct Entitlement {
  std::string identifier;  // stable public id; never the secret
  std::string org;
  std::string repo;
  std::string name;
  std::string token;  // the secret string customers put in URLs
  bool is_active = true;
  std::optional<std::string> user;  // set for user tokens (SPEC §4.4)
  std::optional<absl::Time> limit_date_range_from;
  std::optional<absl::Time> limit_date_range_to;
  std::optional<int64_t> limit_num_downloads;
  std::optional<int64_t> limit_num_clients;
  std::optional<int64_t> limit_bandwidth;
  BandwidthUnit limit_bandwidth_unit = BandwidthUnit::kByte;
  std::optional<std::string> limit_package_query;
  std::optional<std::string> limit_path_query;
  ResetPeriod scheduled_reset_period = ResetPeriod::kNever;
  // Where usage periods are counted from: the last manual reset, or created_at when never
  // reset. The API's `scheduled_reset_at` is derived from it (the current period's end).
  std::optional<absl::Time> usage_reset_at;
  std::string metadata_json = "{}";  // a JSON object kept verbatim as the client sent it
  absl::Time created_at;
  absl::Time updated_at;

  // The two queries compiled by CompileScopes, so the download path never parses. A query
  // without its compiled form admits nothing (fail closed).
  std::shared_ptr<const ScopeQuery> package_scope;
  std::shared_ptr<const ScopeQuery> path_scope;

  // True when a download must go through the usage ledger (SPEC §4.2).
  bool HasCountedLimits() const;
  // The anchor of usage periods: usage_reset_at, else created_at.
  absl::Time UsageAnchor() const { return usage_reset_at.value_or(created_at); }
  // The bandwidth limit in bytes, saturating at UINT64_MAX; nullopt when unlimited; 0 for an
  // (invalid) negative limit.
  std::optional<uint64_t> BandwidthLimitBytes() const;
};

// OK when `token` matches [A-Za-z0-9][A-Za-z0-9._-]{7,127}; InvalidArgument otherwise.
absl::Status ValidateTokenString(std::string_view token);

// Compiles limit_package_query and limit_path_query into package_scope and path_scope
// (clearing them for absent queries). Tokens with the same query text share one compiled
// scope. InvalidArgument "limit_package_query: position N: why" when a query does not parse,
// leaving the entitlement unchanged.
absl::Status CompileScopes(Entitlement& entitlement);

// OK when every field value is within SPEC's domain (non-negative limits, ordered date
// window, …); InvalidArgument whose message starts with the offending field's name.
absl::Status ValidateEntitlement(const Entitlement& entitlement);

// The updated_at of a write at `now` over a token last written at `previous`: `now`, but at
// least one microsecond (the stores' resolution) after `previous`, and whole microseconds.
// Every write so gives the token a new updated_at, which the stores compare to refuse a write
// based on an outdated read, even when the clock stands still or goes back.
absl::Time NextUpdatedAt(absl::Time previous, absl::Time now);

}  // namespace tollgate::policy
