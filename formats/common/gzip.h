// gzip for generated documents (apt's Packages.gz): deterministic, so the same document always
// compresses to the same bytes and Release can list its hash before anyone asks for it.
#pragma once

#include <string>
#include <string_view>

namespace tollgate::formats {

// `bytes` as one gzip member at the best compression, with no file name and a zero
// modification time in its header. Aborts only if zlib cannot allocate.
std::string Gzip(std::string_view bytes);

}  // namespace tollgate::formats
