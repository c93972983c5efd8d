// gzip for generated documents (apt's Packages.gz): deterministic, so the same document always
// compresses to the same bytes and Release can list its hash before anyone asks for it.
#pragma once

#include <string>
#include <string_view>

namespace tollgate::formats {

// `bytes` as one gzip member at zlib's default level (gzip -6: a third of -9's time on a
// Packages of 1,000 stanzas, for about the same size), with no file name and a zero
// modification time in its header. Aborts only if zlib cannot allocate.
std::string Gzip(std::string_view bytes);

}  // namespace tollgate::formats
