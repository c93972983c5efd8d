// Debian: identity from pool file names, apt's index files, and dpkg's version order.
#include "deb/deb_format.h"

#include <array>
#include <optional>
#include <string>

#include "common/scan.h"
#include "deb/deb_metadata.h"
#include "tollgate/base/text.h"

namespace tollgate::formats {
namespace {

// apt's release files and package and source lists, wherever they are (flat repositories keep
// Packages and Sources at the root).
constexpr std::array<std::string_view, 15> kAptIndexNames{
    "Release",     "InRelease",    "Release.gpg",   "Packages",     "Packages.gz",
    "Packages.xz", "Packages.bz2", "Packages.lzma", "Packages.zst", "Sources",
    "Sources.gz",  "Sources.xz",   "Sources.bz2",   "Sources.lzma", "Sources.zst",
};

// File-name prefixes of apt metadata below a dists/ folder: package and source lists, their
// pdiffs, Contents, translations, AppStream (Components, icons) and command-not-found data.
constexpr std::array<std::string_view, 7> kAptIndexPrefixes{
    "Packages", "Sources", "Contents-", "Translation-", "Components-", "icons-", "Commands-",
};

// apt metadata below a dists/ folder; anything in a by-hash folder (Acquire-By-Hash names the
// file by its digest) or a pdiff folder such as Packages.diff/ belongs to it too.
bool IsAptDistsIndex(std::string_view dir, std::string_view file) {
  bool under_dists = false;
  bool in_hash_or_diff_folder = false;
  AnySegment(dir, [&](std::string_view segment) {
    if (segment == "dists") {
      under_dists = true;
    } else if (under_dists && (segment == "by-hash" || segment.ends_with(".diff"))) {
      in_hash_or_diff_folder = true;
    }
    return false;
  });
  if (!under_dists) return false;
  if (in_hash_or_diff_folder || file == "Index") return true;
  for (std::string_view prefix : kAptIndexPrefixes) {
    if (file.starts_with(prefix)) return true;
  }
  return false;
}

// Replaces the percent-encoded epoch colon ("1%3a2.0") that pools use in file names.
std::string DecodeEpoch(std::string_view version) {
  std::string decoded;
  decoded.reserve(version.size());
  for (size_t i = 0; i < version.size(); ++i) {
    if (version[i] == '%' && i + 2 < version.size() && version[i + 1] == '3' &&
        (version[i + 2] == 'a' || version[i + 2] == 'A')) {
      decoded.push_back(':');
      i += 2;
    } else {
      decoded.push_back(version[i]);
    }
  }
  return decoded;
}

// `{name}_{version}_{arch}`: none of the three may contain '_' in Debian.
std::optional<PackageIdentity> ParseDeb(std::string_view stem) {
  const size_t first = stem.find('_');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = stem.find('_', first + 1);
  if (second == std::string_view::npos || stem.find('_', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view name = stem.substr(0, first);
  const std::string_view version = stem.substr(first + 1, second - first - 1);
  const std::string_view arch = stem.substr(second + 1);
  if (name.empty() || version.empty() || arch.empty()) return std::nullopt;
  PackageIdentity identity =
      MakeIdentity(PackageFormat::kDeb, std::string(name), DecodeEpoch(version));
  identity.architecture = arch;
  return identity;
}

// Pool file names carry the epoch colon percent-encoded, so "%3a" must read as ':' both when
// splitting off the epoch and when comparing characters.
bool IsEscapedColon(std::string_view s, size_t pos) {
  return pos + 2 < s.size() && s[pos] == '%' && s[pos + 1] == '3' &&
         ToLowerAscii(s[pos + 2]) == 'a';
}

// Walks a Debian version part one (decoded) character at a time.
class DebianChars {
 public:
  explicit DebianChars(std::string_view s) : s_(s) {}

  bool AtEnd() const { return pos_ >= s_.size(); }
  bool AtDigit() const { return !AtEnd() && IsDigit(s_[pos_]); }
  void Next() { pos_ += IsEscapedColon(s_, pos_) ? 3 : 1; }
  std::string_view Digits() { return TakeDigits(s_, &pos_); }

  // dpkg's order(): '~' below the end of the part, the end (or a digit) next, then letters,
  // then every other character.
  int Weight() const {
    if (AtEnd() || AtDigit()) return 0;
    if (IsEscapedColon(s_, pos_)) return ':' + 256;
    const auto c = static_cast<unsigned char>(s_[pos_]);
    if (IsAlpha(static_cast<char>(c))) return c;
    if (c == '~') return -1;
    return c + 256;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// dpkg's verrevcmp: alternating non-digit parts (by Weight) and numeric parts.
int CompareDebianParts(std::string_view a, std::string_view b) {
  DebianChars x(a);
  DebianChars y(b);
  while (!x.AtEnd() || !y.AtEnd()) {
    while ((!x.AtEnd() && !x.AtDigit()) || (!y.AtEnd() && !y.AtDigit())) {
      const int wx = x.Weight();
      const int wy = y.Weight();
      if (wx != wy) return wx < wy ? -1 : 1;
      // Equal weights here are never 0, so neither side is at its end.
      x.Next();
      y.Next();
    }
    if (const int c = CompareDigitRuns(x.Digits(), y.Digits()); c != 0) return c;
  }
  return 0;
}

struct DebianVersion {
  std::string_view epoch;  // empty means 0
  std::string_view upstream;
  std::string_view revision;  // empty when there is no '-'
};

DebianVersion SplitDebianVersion(std::string_view v) {
  DebianVersion out;
  for (size_t i = 0; i < v.size(); ++i) {
    const bool colon = v[i] == ':';
    if (colon || IsEscapedColon(v, i)) {
      out.epoch = v.substr(0, i);
      v.remove_prefix(i + (colon ? 1 : 3));
      break;
    }
  }
  if (const size_t dash = v.rfind('-'); dash != std::string_view::npos) {
    out.revision = v.substr(dash + 1);
    v = v.substr(0, dash);
  }
  out.upstream = v;
  return out;
}

class Deb final : public Format {
 public:
  PackageFormat id() const override { return PackageFormat::kDeb; }
  std::string_view name() const override { return "deb"; }
  bool IsIndexFile(std::string_view dir, std::string_view file) const override {
    for (std::string_view name : kAptIndexNames) {
      if (file == name) return true;
    }
    return IsAptDistsIndex(dir, file);
  }
  std::optional<PackageIdentity> IdentifyByExtension(std::string_view,
                                                     std::string_view file) const override {
    for (std::string_view extension : {".deb", ".udeb", ".ddeb"}) {
      if (const auto stem = StemOf(file, extension)) return ParseDeb(*stem);
    }
    return std::nullopt;
  }
  absl::StatusOr<std::string> ReadMetadata(std::string_view, const PackageIdentity& identity,
                                           const ByteSource& file) const override {
    return ReadDebMetadata(identity, file);
  }
  int CompareVersions(std::string_view a, std::string_view b) const override {
    return CompareDebianVersions(a, b);
  }
};

}  // namespace

int CompareDebianVersions(std::string_view a, std::string_view b) {
  const DebianVersion va = SplitDebianVersion(a);
  const DebianVersion vb = SplitDebianVersion(b);
  // dpkg compares epochs as integers; the part comparison does the same for digit strings
  // without an overflow limit, and still gives a non-numeric epoch a consistent place.
  if (const int c = CompareDebianParts(va.epoch, vb.epoch); c != 0) return c;
  if (const int c = CompareDebianParts(va.upstream, vb.upstream); c != 0) return c;
  return CompareDebianParts(va.revision, vb.revision);
}

const Format& DebFormat() {
  static const Deb format;
  return format;
}

}  // namespace tollgate::formats
