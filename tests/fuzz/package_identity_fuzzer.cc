// libFuzzer target: identity extraction accepts any path, and every format's version order
// is antisymmetric on any pair of inputs (the input is split in two at the first NUL).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tollgate/formats/registry.h"

namespace {

int Sign(int value) { return (value > 0) - (value < 0); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tollgate::formats;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  IsIndexFile(text);
  IdentifyPackage(text);

  const size_t split = text.find('\0');
  const std::string_view a = text.substr(0, split);
  const std::string_view b = split == std::string_view::npos ? a : text.substr(split + 1);
  for (PackageFormat format : {PackageFormat::kDeb, PackageFormat::kRpm, PackageFormat::kPython,
                               PackageFormat::kNpm, PackageFormat::kRaw}) {
    if (Sign(CompareVersions(format, a, b)) != -Sign(CompareVersions(format, b, a))) {
      std::abort();  // an order that is not antisymmetric would make scopes inconsistent
    }
    if (CompareVersions(format, a, a) != 0) std::abort();
  }
  return 0;
}
