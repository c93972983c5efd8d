// Field rules of the entitlement model and the spelling of its enumerations.
#include "tollgate/policy/entitlement.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "scope_cache.h"
#include "tollgate/base/concat.h"
#include "tollgate/policy/scope_query.h"

namespace tollgate::policy {
namespace {

constexpr std::array<std::pair<BandwidthUnit, std::string_view>, 6> kUnitNames{{
    {BandwidthUnit::kByte, "byte"},
    {BandwidthUnit::kKilobyte, "kilobyte"},
    {BandwidthUnit::kMegabyte, "megabyte"},
    {BandwidthUnit::kGigabyte, "gigabyte"},
    {BandwidthUnit::kTerabyte, "terabyte"},
    {BandwidthUnit::kPetabyte, "petabyte"},
}};

constexpr std::array<std::pair<ResetPeriod, std::string_view>, 9> kPeriodNames{{
    {ResetPeriod::kNever, "never"},
    {ResetPeriod::kDaily, "daily"},
    {ResetPeriod::kWeekly, "weekly"},
    {ResetPeriod::kFortnightly, "fortnightly"},
    {ResetPeriod::kMonthly, "monthly"},
    {ResetPeriod::kBiMonthly, "bi_monthly"},
    {ResetPeriod::kQuarterly, "quarterly"},
    {ResetPeriod::kEvery6Months, "every_6_months"},
    {ResetPeriod::kAnnual, "annual"},
}};

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum v) {
  for (const auto& [value, name] : table) {
    if (value == v) return name;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> ValueOf(const std::array<std::pair<Enum, std::string_view>, N>& table,
                            std::string_view name) {
  for (const auto& [value, spelled] : table) {
    if (spelled == name) return value;
  }
  return std::nullopt;
}

bool IsTokenChar(char c, bool first) {
  const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return alnum || (!first && (c == '.' || c == '_' || c == '-'));
}

absl::Status NonNegative(std::string_view field, const std::optional<int64_t>& value) {
  if (value && *value < 0) {
    return absl::InvalidArgumentError(std::string(field) + ": must be zero or more");
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view BandwidthUnitName(BandwidthUnit unit) { return NameOf(kUnitNames, unit); }
std::optional<BandwidthUnit> ParseBandwidthUnit(std::string_view name) {
  return ValueOf(kUnitNames, name);
}
std::string_view ResetPeriodName(ResetPeriod period) { return NameOf(kPeriodNames, period); }
std::optional<ResetPeriod> ParseResetPeriod(std::string_view name) {
  return ValueOf(kPeriodNames, name);
}

bool Entitlement::HasCountedLimits() const {
  return limit_num_downloads.has_value() || limit_num_clients.has_value() ||
         limit_bandwidth.has_value();
}

std::optional<uint64_t> Entitlement::BandwidthLimitBytes() const {
  if (!limit_bandwidth) return std::nullopt;
  // Validation refuses negative limits; one that slips past it must fail closed, not read
  // as 2^64-1 bytes.
  if (*limit_bandwidth < 0) return 0;
  uint64_t bytes = static_cast<uint64_t>(*limit_bandwidth);
  const int steps = static_cast<int>(limit_bandwidth_unit);
  for (int i = 0; i < steps; ++i) {
    if (bytes > std::numeric_limits<uint64_t>::max() / 1000) {
      return std::numeric_limits<uint64_t>::max();
    }
    bytes *= 1000;
  }
  return bytes;
}

absl::Status ValidateTokenString(std::string_view token) {
  if (token.size() < 8 || token.size() > 128) {
    return absl::InvalidArgumentError("token: must be 8 to 128 characters long");
  }
  for (size_t i = 0; i < token.size(); ++i) {
    if (!IsTokenChar(token[i], i == 0)) {
      return absl::InvalidArgumentError("token: must match [A-Za-z0-9][A-Za-z0-9._-]{7,127}");
    }
  }
  return absl::OkStatus();
}

absl::Status CompileScopes(Entitlement& entitlement) {
  std::shared_ptr<const ScopeQuery> compiled[2];
  const std::pair<const std::optional<std::string>*, QueryKind> queries[2] = {
      {&entitlement.limit_package_query, QueryKind::kPackage},
      {&entitlement.limit_path_query, QueryKind::kPath}};
  for (int i = 0; i < 2; ++i) {
    const auto& [text, kind] = queries[i];
    if (!text->has_value()) continue;
    absl::StatusOr<std::shared_ptr<const ScopeQuery>> query =
        ScopeCache::Shared().Compile(**text, kind);
    if (!query.ok()) {
      return absl::InvalidArgumentError(
          Concat(kind == QueryKind::kPackage ? "limit_package_query: " : "limit_path_query: ",
                 query.status().message()));
    }
    compiled[i] = *std::move(query);
  }
  entitlement.package_scope = std::move(compiled[0]);
  entitlement.path_scope = std::move(compiled[1]);
  return absl::OkStatus();
}

absl::Status ValidateEntitlement(const Entitlement& e) {
  if (e.name.empty() || e.name.size() > 200) {
    return absl::InvalidArgumentError("name: must be 1 to 200 characters long");
  }
  if (absl::Status s = ValidateTokenString(e.token); !s.ok()) return s;
  for (const auto& [field, value] : {std::pair{"limit_num_downloads", e.limit_num_downloads},
                                     std::pair{"limit_num_clients", e.limit_num_clients},
                                     std::pair{"limit_bandwidth", e.limit_bandwidth}}) {
    if (absl::Status s = NonNegative(field, value); !s.ok()) return s;
  }
  if (e.limit_date_range_from && e.limit_date_range_to &&
      *e.limit_date_range_from >= *e.limit_date_range_to) {
    return absl::InvalidArgumentError(
        "limit_date_range_to: must be later than limit_date_range_from");
  }
  return absl::OkStatus();
}

absl::Time NextUpdatedAt(absl::Time previous, absl::Time now) {
  return absl::FromUnixMicros(std::max(absl::ToUnixMicros(now), absl::ToUnixMicros(previous) + 1));
}

}  // namespace tollgate::policy
