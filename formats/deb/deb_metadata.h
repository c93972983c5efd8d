// What the Debian view needs from inside a .deb: its control paragraph, read from the
// control.tar member of the ar archive (DEBIAN/control as dpkg-deb packed it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollgate/formats/byte_source.h"
#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

// {"control": "<paragraph>"}: the first paragraph of the package's control file, each line
// ending in '\n' (also those that ended in "\r\n"). InvalidArgument when the file is no .deb
// tollgate reads (no control.tar, control.tar.gz, .xz or .zst within its bounds, no ./control in
// it, a control file over 64 KiB), when the paragraph is not well-formed deb822 (control_fields.h),
// lacks Package, Version or Architecture, or names another package than the file name (`identity`)
// does. The version may add an epoch the file name leaves out, as Debian's own pools do.
absl::StatusOr<std::string> ReadDebMetadata(const PackageIdentity& identity,
                                            const ByteSource& file);

// The control paragraph ReadDebMetadata put into `metadata`, or nullopt when there is none.
std::optional<std::string> ControlParagraphOf(std::string_view metadata);

}  // namespace tollgate::formats
