// How an upload's temporary file is named, next to the file it will become.
#pragma once

#include <cstddef>
#include <string_view>

#include "absl/strings/string_view.h"

namespace tollgate::storage {

// Uploads are written under this prefix next to their final name; such names are never
// served, listed or accepted as a target.
inline constexpr absl::string_view kUploadPrefix = ".tollgate-upload-";
// Random letters and digits after the prefix.
inline constexpr size_t kUploadSuffixLength = 6;

// True when `name` (one path segment) is exactly what BeginWrite names a temporary.
bool IsUploadName(std::string_view name);

}  // namespace tollgate::storage
