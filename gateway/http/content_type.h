// Content-Type of an artifact, chosen from its file name (SPEC §2: "Content-Type (by
// extension)").
#pragma once

#include <string_view>

namespace tollgate::gateway {

// The media type for `path` (a relative artifact path; only its last segment matters): the
// longest known extension wins, case-insensitively, and Debian's extensionless index files
// (Release, InRelease, Packages, Sources) are plain text. Never fails: anything unknown is
// application/octet-stream. The result refers to static storage.
std::string_view ContentTypeFor(std::string_view path);

}  // namespace tollgate::gateway
