// Reading one member out of an archive (zip, tar with any compression, ar) with libarchive,
// within fixed bounds: a hostile archive costs at most kMaxArchiveEntries headers,
// kMaxInflatedBytes of decompressed members before the one wanted (a compressed tar must be
// inflated to get past them; a zip is not: its members are found through its directory), and
// the wanted member's first `max_bytes` bytes, whatever it claims about itself.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollgate/formats/byte_source.h"

namespace tollgate::formats {

// Headers read before giving up on finding a member.
inline constexpr int kMaxArchiveEntries = 100000;
// Bytes of other members a stream-compressed archive may inflate before the one wanted.
inline constexpr uint64_t kMaxInflatedBytes = 64 << 20;

// Whether a member (by its path inside the archive) is the one wanted.
using MemberMatcher = std::function<bool(std::string_view member_path)>;

// The content of the first regular member of `archive` that `wanted` accepts, or nullopt when
// there is none. InvalidArgument when the archive cannot be read, or the member is larger than
// `max_bytes`.
absl::StatusOr<std::optional<std::string>> ReadArchiveMember(const ByteSource& archive,
                                                             const MemberMatcher& wanted,
                                                             size_t max_bytes);
// The same for an archive held in memory (a member of another archive: a .deb's control.tar).
absl::StatusOr<std::optional<std::string>> ReadArchiveMember(std::string_view archive,
                                                             const MemberMatcher& wanted,
                                                             size_t max_bytes);

}  // namespace tollgate::formats
