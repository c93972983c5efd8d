// Digests of the documents views generate (apt's Release lists its index files by SHA-256),
// through OpenSSL. Package files' own digests come from the catalog, not from here.
#pragma once

#include <string>
#include <string_view>

namespace tollgate::formats {

enum class DigestAlgorithm { kSha256, kSha512 };

// Lowercase hex digest of `bytes`. Aborts only if OpenSSL cannot allocate.
std::string HexDigest(DigestAlgorithm algorithm, std::string_view bytes);

}  // namespace tollgate::formats
