// The non-inline scanning helpers.
#include "common/scan.h"

#include <utility>

#include "tollgate/base/text.h"

namespace tollgate::formats {

bool IsAllDigits(std::string_view s) {
  for (const char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

int CompareDigitRuns(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

int CompareFolded(std::string_view a, std::string_view b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    const auto ca = static_cast<unsigned char>(ToLowerAscii(a[i]));
    const auto cb = static_cast<unsigned char>(ToLowerAscii(b[i]));
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

std::string_view PopSegment(std::string_view& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return std::exchange(path, std::string_view());
  const std::string_view segment = path.substr(slash + 1);
  path = path.substr(0, slash);
  return segment;
}

PackageIdentity MakeIdentity(PackageFormat format, std::string name, std::string version) {
  PackageIdentity identity;
  identity.format = format;
  identity.name = std::move(name);
  identity.version = std::move(version);
  return identity;
}

}  // namespace tollgate::formats
