// Slug syntax shared by orgs, repositories and accounts.
#include "tollgate/policy/slug.h"

#include <algorithm>

namespace tollgate::policy {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

bool IsValidSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > 64) return false;
  for (size_t i = 0; i < slug.size(); ++i) {
    const char c = slug[i];
    if (!IsAsciiAlnum(c) && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

std::string SlugFromName(std::string_view name) {
  constexpr size_t kMaxLength = 64;
  std::string slug;
  bool pending_dash = false;
  for (const char c : name) {
    if (!IsAsciiAlnum(c)) {
      pending_dash = !slug.empty();
      continue;
    }
    if (pending_dash) slug += '-';
    pending_dash = false;
    slug += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  slug.resize(std::min(slug.size(), kMaxLength));
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

}  // namespace tollgate::policy
