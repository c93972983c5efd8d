// Packing an entitlement's strings into one buffer, and expanding it back.
#include "tollgate/storage/index/compact_entitlement.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "absl/hash/hash.h"

namespace tollgate::storage {
namespace {

// Each thread's expansion cache: sets of kWays slots, a token's set chosen by its address,
// the oldest entry of a full set replaced. Enough for the tokens a busy thread serves at
// once, small enough (each slot holds one expanded Entitlement) to cost little per thread.
constexpr size_t kExpansionSets = 256;
constexpr size_t kWays = 4;

// A tripwire: a field added to Entitlement must be packed and expanded here too (and checked
// in CompactEntitlementTest). Binding every member fails to compile once their number changes.
[[maybe_unused]] void EveryFieldIsKept(const policy::Entitlement& e) {
  [[maybe_unused]] const auto& [identifier, org, repo, name, token, is_active, user, from, to,
                                downloads, clients, bandwidth, bandwidth_unit, package_query,
                                path_query, reset_period, usage_reset_at, metadata, created_at,
                                updated_at, package_scope, path_scope] = e;
}

}  // namespace

CompactEntitlement::CompactEntitlement(const policy::Entitlement& e)
    : package_scope_(e.package_scope),
      path_scope_(e.path_scope),
      limit_date_range_from_(e.limit_date_range_from.value_or(absl::Time())),
      limit_date_range_to_(e.limit_date_range_to.value_or(absl::Time())),
      usage_reset_at_(e.usage_reset_at.value_or(absl::Time())),
      created_at_(e.created_at),
      updated_at_(e.updated_at),
      limit_num_downloads_(e.limit_num_downloads.value_or(0)),
      limit_num_clients_(e.limit_num_clients.value_or(0)),
      limit_bandwidth_(e.limit_bandwidth.value_or(0)),
      limit_bandwidth_unit_(e.limit_bandwidth_unit),
      scheduled_reset_period_(e.scheduled_reset_period),
      is_active_(e.is_active) {
  const std::array<std::string_view, kTextFieldCount> texts = {
      e.identifier,
      e.org,
      e.repo,
      e.name,
      e.token,
      e.user ? std::string_view(*e.user) : std::string_view(),
      e.limit_package_query ? std::string_view(*e.limit_package_query) : "",
      e.limit_path_query ? std::string_view(*e.limit_path_query) : "",
      e.metadata_json,
  };
  size_t size = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    size += texts[i].size();
    // Far beyond anything the stores hold (admin request bodies are at most 1 MiB): a token
    // this large is a bug, not data.
    if (size > UINT32_MAX) std::abort();
    text_ends_[i] = static_cast<uint32_t>(size);
  }
  texts_ = std::make_unique_for_overwrite<char[]>(size);
  size_t at = 0;
  for (const std::string_view text : texts) {
    // An empty view may have no data at all, which memcpy must not be given.
    if (!text.empty()) std::memcpy(texts_.get() + at, text.data(), text.size());
    at += text.size();
  }
  const auto mark = [this](bool has, Present bit) {
    if (has) present_ |= bit;
  };
  mark(e.user.has_value(), kHasUser);
  mark(e.limit_package_query.has_value(), kHasPackageQuery);
  mark(e.limit_path_query.has_value(), kHasPathQuery);
  mark(e.limit_date_range_from.has_value(), kHasDateFrom);
  mark(e.limit_date_range_to.has_value(), kHasDateTo);
  mark(e.limit_num_downloads.has_value(), kHasDownloads);
  mark(e.limit_num_clients.has_value(), kHasClients);
  mark(e.limit_bandwidth.has_value(), kHasBandwidth);
  mark(e.usage_reset_at.has_value(), kHasUsageResetAt);
}

std::string_view CompactEntitlement::Text(TextField field) const {
  const uint32_t start = field == 0 ? 0 : text_ends_[field - 1];
  return std::string_view(texts_.get() + start, text_ends_[field] - start);
}

std::optional<std::string> CompactEntitlement::OptionalText(TextField field, Present bit) const {
  if (!Has(bit)) return std::nullopt;
  return std::string(Text(field));
}

policy::Entitlement CompactEntitlement::Expand() const {
  const auto optional_time = [this](absl::Time time, Present bit) {
    return Has(bit) ? std::optional<absl::Time>(time) : std::nullopt;
  };
  const auto optional_count = [this](int64_t count, Present bit) {
    return Has(bit) ? std::optional<int64_t>(count) : std::nullopt;
  };
  policy::Entitlement e;
  e.identifier = std::string(Text(kIdentifier));
  e.org = std::string(Text(kOrg));
  e.repo = std::string(Text(kRepo));
  e.name = std::string(Text(kName));
  e.token = std::string(Text(kToken));
  e.is_active = is_active_;
  e.user = OptionalText(kUser, kHasUser);
  e.limit_date_range_from = optional_time(limit_date_range_from_, kHasDateFrom);
  e.limit_date_range_to = optional_time(limit_date_range_to_, kHasDateTo);
  e.limit_num_downloads = optional_count(limit_num_downloads_, kHasDownloads);
  e.limit_num_clients = optional_count(limit_num_clients_, kHasClients);
  e.limit_bandwidth = optional_count(limit_bandwidth_, kHasBandwidth);
  e.limit_bandwidth_unit = limit_bandwidth_unit_;
  e.limit_package_query = OptionalText(kPackageQuery, kHasPackageQuery);
  e.limit_path_query = OptionalText(kPathQuery, kHasPathQuery);
  e.scheduled_reset_period = scheduled_reset_period_;
  e.usage_reset_at = optional_time(usage_reset_at_, kHasUsageResetAt);
  e.metadata_json = std::string(Text(kMetadata));
  e.created_at = created_at_;
  e.updated_at = updated_at_;
  e.package_scope = package_scope_;
  e.path_scope = path_scope_;
  return e;
}

std::shared_ptr<const policy::Entitlement> CachedExpansion(const CompactEntitlementPtr& compact) {
  if (compact->text_size() > kMaxCachedTextBytes) {
    return std::make_shared<const policy::Entitlement>(compact->Expand());
  }
  struct Slot {
    CompactEntitlementPtr compact;
    std::shared_ptr<const policy::Entitlement> expanded;
  };
  struct Set {
    std::array<Slot, kWays> slots;
    uint8_t next_victim = 0;
  };
  thread_local std::array<Set, kExpansionSets> sets;
  Set& set = sets[absl::Hash<const void*>{}(compact.get()) % kExpansionSets];
  for (const Slot& slot : set.slots) {
    if (slot.compact == compact) return slot.expanded;
  }
  Slot& victim = set.slots[set.next_victim];
  set.next_victim = static_cast<uint8_t>((set.next_victim + 1) % kWays);
  victim.expanded = std::make_shared<const policy::Entitlement>(compact->Expand());
  victim.compact = compact;
  return victim.expanded;
}

}  // namespace tollgate::storage
