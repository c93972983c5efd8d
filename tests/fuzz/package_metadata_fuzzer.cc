// libFuzzer target: any bytes, read as a wheel, an sdist, an npm tarball or a .deb, give
// metadata or an error — never a crash, and (with run_fuzzers.sh's -timeout) never more than
// linear work. The first byte picks the file name, the rest is the file.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "tollgate/formats/byte_source.h"
#include "tollgate/formats/registry.h"

namespace {

class FuzzSource final : public tollgate::formats::ByteSource {
 public:
  FuzzSource(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint64_t size() const override { return size_; }
  absl::StatusOr<size_t> ReadAt(uint64_t offset, char* out, size_t length) const override {
    if (offset >= size_) return 0;
    const size_t count = length < size_ - offset ? length : size_ - offset;
    std::memcpy(out, data_ + offset, count);
    return count;
  }

 private:
  const uint8_t* data_;
  size_t size_;
};

constexpr std::string_view kPaths[] = {
    "agent-1.0-py3-none-any.whl",    "agent-1.0.tar.gz",         "agent-1.0.zip",
    "@acme/agent/-/agent-1.0.0.tgz", "pool/agent_1.0_amd64.deb", "com/acme/agent/1.0/agent-1.0.jar",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view path = kPaths[data[0] % std::size(kPaths)];
  const std::optional<tollgate::formats::PackageIdentity> identity =
      tollgate::formats::IdentifyPackage(path);
  if (!identity) return 0;
  const FuzzSource file(data + 1, size - 1);
  (void)tollgate::formats::FormatOf(identity->format).ReadMetadata(path, *identity, file);
  return 0;
}
