// One package file as the catalog knows it and the views render it: where it is, what it is,
// its hashes, and what its format read from inside it.
#pragma once

#include <cstdint>
#include <string>

#include "tollgate/formats/package_format.h"

namespace tollgate::formats {

struct PackageFile {
  std::string path;  // repository-relative, normalised
  PackageIdentity identity;
  uint64_t size = 0;
  std::string sha1;                  // lowercase hex
  std::string sha256;                // lowercase hex
  std::string sha512;                // lowercase hex
  std::string metadata;              // the format's ReadMetadata answer: compact JSON, or ""
  int64_t recorded_unix_micros = 0;  // when the catalog recorded the file (upload or index)
};

}  // namespace tollgate::formats
