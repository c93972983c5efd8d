// An entitlement token as the instance cache keeps it. Every instance holds every token, so a
// token's resting form is what decides how many tokens fit in memory: here the fixed-size
// fields lie inline, every string shares one buffer, and the compiled scopes are shared.
// Readers get a policy::Entitlement expanded from it (see CachedExpansion).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/time/time.h"
#include "tollgate/policy/entitlement.h"

namespace tollgate::storage {

class CompactEntitlement {
 public:
  explicit CompactEntitlement(const policy::Entitlement& entitlement);
  CompactEntitlement(const CompactEntitlement&) = delete;
  CompactEntitlement& operator=(const CompactEntitlement&) = delete;

  std::string_view identifier() const { return Text(kIdentifier); }
  std::string_view org() const { return Text(kOrg); }
  std::string_view repo() const { return Text(kRepo); }
  std::string_view token() const { return Text(kToken); }
  absl::Time created_at() const { return created_at_; }
  bool is_active() const { return is_active_; }
  bool has_user() const { return Has(kHasUser); }
  // The bytes of all its strings together.
  size_t text_size() const { return text_ends_.back(); }

  // Every field, as it was given.
  policy::Entitlement Expand() const;

 private:
  // The strings, in the order of the buffer.
  enum TextField : uint8_t {
    kIdentifier,
    kOrg,
    kRepo,
    kName,
    kToken,
    kUser,
    kPackageQuery,
    kPathQuery,
    kMetadata,
    kTextFieldCount,
  };
  // Which optional fields are present, as bits.
  enum Present : uint16_t {
    kHasUser = 1 << 0,
    kHasPackageQuery = 1 << 1,
    kHasPathQuery = 1 << 2,
    kHasDateFrom = 1 << 3,
    kHasDateTo = 1 << 4,
    kHasDownloads = 1 << 5,
    kHasClients = 1 << 6,
    kHasBandwidth = 1 << 7,
    kHasUsageResetAt = 1 << 8,
  };

  std::string_view Text(TextField field) const;
  std::optional<std::string> OptionalText(TextField field, Present bit) const;
  bool Has(Present bit) const { return (present_ & bit) != 0; }

  std::shared_ptr<const policy::ScopeQuery> package_scope_;
  std::shared_ptr<const policy::ScopeQuery> path_scope_;
  absl::Time limit_date_range_from_;
  absl::Time limit_date_range_to_;
  absl::Time usage_reset_at_;
  absl::Time created_at_;
  absl::Time updated_at_;
  int64_t limit_num_downloads_ = 0;
  int64_t limit_num_clients_ = 0;
  int64_t limit_bandwidth_ = 0;
  std::unique_ptr<char[]> texts_;
  // Where each string ends in texts_; it starts where the one before it ends.
  std::array<uint32_t, kTextFieldCount> text_ends_{};
  uint16_t present_ = 0;
  policy::BandwidthUnit limit_bandwidth_unit_;
  policy::ResetPeriod scheduled_reset_period_;
  bool is_active_;
};

using CompactEntitlementPtr = std::shared_ptr<const CompactEntitlement>;

// `compact` expanded, through a cache of this thread's recent expansions (1,024 tokens, 4-way
// set-associative): a token in use is expanded once, not on every download. The cache holds
// the compact form it expanded, so a replaced token (a new CompactEntitlement) never meets an
// old expansion. Tokens with more than kMaxCachedTextBytes of strings (large metadata) are
// expanded every time instead, so no thread's cache holds more than about 1,024 × 8 KiB.
inline constexpr size_t kMaxCachedTextBytes = 8 * 1024;
std::shared_ptr<const policy::Entitlement> CachedExpansion(const CompactEntitlementPtr& compact);

}  // namespace tollgate::storage
