// Lowercase hexadecimal of bytes without allocating, for digests in keys and logs.
#pragma once

#include <cstddef>

namespace tollgate {

// Writes the lowercase hex of `size` bytes at `bytes` to `out`: 2 × `size` characters.
inline void WriteHex(const unsigned char* bytes, size_t size, char* out) {
  constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
}

}  // namespace tollgate
