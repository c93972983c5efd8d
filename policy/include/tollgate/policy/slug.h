// Names that appear in URLs and on disk: org, repository, user and service slugs.
#pragma once

#include <string>
#include <string_view>

namespace tollgate::policy {

// True for 1–64 characters of [A-Za-z0-9._-] that start with a letter or digit, so a slug
// is always one safe path segment (never "." or "..").
bool IsValidSlug(std::string_view slug);

// The slug a display name suggests, the way Cloudsmith derives service slugs: lowercase,
// each run of other characters becomes one '-', no leading or trailing '-', at most 64
// characters. "" when the name has no letter or digit.
std::string SlugFromName(std::string_view name);

}  // namespace tollgate::policy
