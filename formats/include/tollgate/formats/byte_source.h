// The bytes of one package file as the formats read them: random access by offset, so that a
// format can read a zip's central directory or an ar member without the file being in memory,
// and without formats/ knowing about descriptors, stores or sockets.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"

namespace tollgate::formats {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Reads up to `length` bytes at `offset` into `out`; fewer only at the end of the source.
  // Unavailable when the bytes cannot be read.
  virtual absl::StatusOr<size_t> ReadAt(uint64_t offset, char* out, size_t length) const = 0;
};

}  // namespace tollgate::formats
