// Spelling of org roles, shared by every store and the admin API.
#include "tollgate/storage/account_store.h"

#include <array>
#include <utility>

namespace tollgate::storage {
namespace {

constexpr std::array<std::pair<OrgRole, std::string_view>, 3> kRoleNames{{
    {OrgRole::kOwner, "owner"},
    {OrgRole::kManager, "manager"},
    {OrgRole::kMember, "member"},
}};

}  // namespace

std::string_view OrgRoleName(OrgRole role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "member";
}

std::optional<OrgRole> ParseOrgRole(std::string_view name) {
  for (const auto& [value, spelled] : kRoleNames) {
    if (spelled == name) return value;
  }
  return std::nullopt;
}

}  // namespace tollgate::storage
