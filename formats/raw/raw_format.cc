// The raw format: the file name as name, no version, natural version order.
#include "raw/raw_format.h"

#include <string>

#include "common/scan.h"

namespace tollgate::formats {
namespace {

class Raw final : public Format {
 public:
  PackageFormat id() const override { return PackageFormat::kRaw; }
  std::string_view name() const override { return "raw"; }
  // Last in the registry: whatever no other format claimed.
  std::optional<PackageIdentity> IdentifyByShape(std::string_view,
                                                 std::string_view file) const override {
    return MakeIdentity(PackageFormat::kRaw, std::string(file), std::string());
  }
  int CompareVersions(std::string_view a, std::string_view b) const override {
    return CompareNaturalVersions(a, b);
  }
};

}  // namespace

int CompareNaturalVersions(std::string_view a, std::string_view b) {
  const auto not_digit = [](char c) { return !IsDigit(c); };
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const bool digits_a = IsDigit(a[i]);
    const bool digits_b = IsDigit(b[j]);
    // Runs alternate, so kinds can only differ at the very start ("1.0" against "v1.0").
    if (digits_a != digits_b) return digits_a ? -1 : 1;
    const int c = digits_a
                      ? CompareDigitRuns(TakeDigits(a, &i), TakeDigits(b, &j))
                      : CompareFolded(TakeWhile(a, &i, not_digit), TakeWhile(b, &j, not_digit));
    if (c != 0) return c;
  }
  return static_cast<int>(i < a.size()) - static_cast<int>(j < b.size());
}

const Format& RawFormat() {
  static const Raw format;
  return format;
}

}  // namespace tollgate::formats
