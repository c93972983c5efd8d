// Slug syntax shared by orgs, repositories and accounts.
#include "tollgate/policy/slug.h"

namespace tollgate::policy {

bool IsValidSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > 64) return false;
  for (size_t i = 0; i < slug.size(); ++i) {
    const char c = slug[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

}  // namespace tollgate::policy
