// Archives built in memory for the metadata tests (tar, gzip-compressed or not), and a
// ByteSource over bytes held in a string, as the catalog hands a file to a format.
#pragma once

#include <string>
#include <vector>

#include "tollgate/formats/byte_source.h"

namespace tollgate::formats {

struct ArchiveMember {
  std::string path;
  std::string content;
};

// A POSIX tar of `members` in order, gzip-compressed when `gzip`.
std::string MakeTar(const std::vector<ArchiveMember>& members, bool gzip = true);

// The bytes of `data` as a ByteSource.
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  uint64_t size() const override { return data_.size(); }
  absl::StatusOr<size_t> ReadAt(uint64_t offset, char* out, size_t length) const override;

 private:
  std::string data_;
};

}  // namespace tollgate::formats
