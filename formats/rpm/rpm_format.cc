// RPM: identity from package file names, repodata/ metadata, and rpm's version order.
#include "rpm/rpm_format.h"

#include <optional>
#include <string>

#include "common/scan.h"

namespace tollgate::formats {
namespace {

// yum/dnf metadata below a repodata/ folder: repomd.xml (and its signature and key) and the
// XML, SQLite and YAML files it lists. Anything else there — a stray .rpm, a tarball — keeps
// its identity, so a scope still applies to it.
bool IsRepodataFile(std::string_view dir, std::string_view file) {
  const bool in_repodata =
      AnySegment(dir, [](std::string_view segment) { return segment == "repodata"; });
  return in_repodata && (file.starts_with("repomd.xml") || file.ends_with(".xml") ||
                         file.find(".xml.") != std::string_view::npos ||
                         file.find(".sqlite") != std::string_view::npos ||
                         file.find(".yaml") != std::string_view::npos);
}

// `{name}-{version}-{release}.{arch}`: names may contain dashes, so version and release are
// the last two dash-separated fields.
std::optional<PackageIdentity> ParseRpm(std::string_view stem) {
  const size_t dot = stem.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view arch = stem.substr(dot + 1);
  const std::string_view nvr = stem.substr(0, dot);
  if (arch.empty()) return std::nullopt;
  for (char c : arch) {
    if (!IsAlnum(c) && c != '_') return std::nullopt;
  }
  const size_t release_dash = nvr.rfind('-');
  if (release_dash == std::string_view::npos || release_dash == 0) return std::nullopt;
  const size_t version_dash = nvr.rfind('-', release_dash - 1);
  if (version_dash == std::string_view::npos || version_dash == 0 ||
      version_dash + 1 == release_dash || release_dash + 1 == nvr.size()) {
    return std::nullopt;
  }
  PackageIdentity identity =
      MakeIdentity(PackageFormat::kRpm, std::string(nvr.substr(0, version_dash)),
                   std::string(nvr.substr(version_dash + 1)));
  identity.architecture = arch;
  return identity;
}

bool IsRpmSignificant(char c) { return IsAlnum(c) || c == '~' || c == '^'; }

// A port of rpm's rpmvercmp() onto string_view positions.
int Rpmvercmp(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && !IsRpmSignificant(a[i])) ++i;
    while (j < b.size() && !IsRpmSignificant(b[j])) ++j;
    const char ca = i < a.size() ? a[i] : '\0';
    const char cb = j < b.size() ? b[j] : '\0';
    // '~' sorts before everything, even the end of the string.
    if (ca == '~' || cb == '~') {
      if (ca != '~') return 1;
      if (cb != '~') return -1;
      ++i;
      ++j;
      continue;
    }
    // '^' sorts after the end of the string but before any other segment.
    if (ca == '^' || cb == '^') {
      if (ca == '\0') return -1;
      if (cb == '\0') return 1;
      if (ca != '^') return 1;
      if (cb != '^') return -1;
      ++i;
      ++j;
      continue;
    }
    if (ca == '\0' || cb == '\0') break;
    const bool numeric = IsDigit(ca);
    const std::string_view seg_a = numeric ? TakeDigits(a, &i) : TakeWhile(a, &i, IsAlpha);
    const std::string_view seg_b = numeric ? TakeDigits(b, &j) : TakeWhile(b, &j, IsAlpha);
    // Segments of different kinds: the numeric one is newer.
    if (seg_b.empty()) return numeric ? 1 : -1;
    const int c = numeric ? CompareDigitRuns(seg_a, seg_b) : Sign(seg_a.compare(seg_b));
    if (c != 0) return c;
  }
  // Every segment matched; whichever still has characters left is newer.
  const bool a_left = i < a.size();
  const bool b_left = j < b.size();
  return static_cast<int>(a_left) - static_cast<int>(b_left);
}

struct RpmVersion {
  std::string_view epoch;  // empty means 0
  std::string_view version;
  std::string_view release;  // empty when there is no '-'
};

// rpm's parseEVR(): an epoch only when the string starts with digits and a ':'; the release
// after the last '-'.
RpmVersion SplitRpmVersion(std::string_view v) {
  RpmVersion out;
  size_t pos = 0;
  const std::string_view digits = TakeDigits(v, &pos);
  if (pos < v.size() && v[pos] == ':') {
    out.epoch = digits;
    v.remove_prefix(pos + 1);
  }
  if (const size_t dash = v.rfind('-'); dash != std::string_view::npos) {
    out.release = v.substr(dash + 1);
    v = v.substr(0, dash);
  }
  out.version = v;
  return out;
}

class Rpm final : public Format {
 public:
  PackageFormat id() const override { return PackageFormat::kRpm; }
  std::string_view name() const override { return "rpm"; }
  bool IsIndexFile(std::string_view dir, std::string_view file) const override {
    return IsRepodataFile(dir, file);
  }
  std::optional<PackageIdentity> IdentifyByExtension(std::string_view,
                                                     std::string_view file) const override {
    if (const auto stem = StemOf(file, ".rpm")) return ParseRpm(*stem);
    return std::nullopt;
  }
  int CompareVersions(std::string_view a, std::string_view b) const override {
    return CompareRpmVersions(a, b);
  }
};

}  // namespace

int CompareRpmVersions(std::string_view a, std::string_view b) {
  const RpmVersion va = SplitRpmVersion(a);
  const RpmVersion vb = SplitRpmVersion(b);
  if (const int c = CompareDigitRuns(va.epoch, vb.epoch); c != 0) return c;
  if (const int c = Rpmvercmp(va.version, vb.version); c != 0) return c;
  // rpm itself treats a missing release as "any release" when matching dependencies; that is
  // not an order, so here a missing release is the empty one and sorts below any release.
  return Rpmvercmp(va.release, vb.release);
}

const Format& RpmFormat() {
  static const Rpm format;
  return format;
}

}  // namespace tollgate::formats
