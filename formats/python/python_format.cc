// Python: identity from wheel and sdist names, PEP 658 metadata files, and PEP 440's order.
#include "python/python_format.h"

#include <array>
#include <optional>
#include <string>

#include "common/scan.h"
#include "python/python_metadata.h"
#include "raw/raw_format.h"
#include "tollgate/base/text.h"

namespace tollgate::formats {
namespace {

// PEP 658 metadata beside python distributions.
constexpr std::array<std::string_view, 3> kMetadataSuffixes{".whl.metadata", ".tar.gz.metadata",
                                                            ".zip.metadata"};

// A distribution name as PEP 508 allows it: ASCII letters, digits and "-_.", starting and
// ending with a letter or digit.
bool IsPythonName(std::string_view name) {
  if (name.empty() || !IsAlnum(name.front()) || !IsAlnum(name.back())) return false;
  for (char c : name) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::string NormalizePythonName(std::string_view name) {
  std::string normalized;
  normalized.reserve(name.size());
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (normalized.empty() || normalized.back() != '-') normalized.push_back('-');
    } else {
      normalized.push_back(ToLowerAscii(c));
    }
  }
  return normalized;
}

namespace {

PackageIdentity PythonIdentity(std::string_view name, std::string_view version) {
  return MakeIdentity(PackageFormat::kPython, NormalizePythonName(name), std::string(version));
}

// `{name}-{version}(-{build})?-{py}-{abi}-{plat}`: PEP 427 escapes dashes in every field as
// "_", so a wheel has exactly five or six fields; a build tag starts with a digit.
std::optional<PackageIdentity> ParseWheel(std::string_view stem) {
  std::array<std::string_view, 6> fields;
  size_t count = 0;
  for (std::string_view rest = stem;;) {
    if (count == fields.size()) return std::nullopt;
    const size_t dash = rest.find('-');
    fields[count++] = rest.substr(0, dash);
    if (dash == std::string_view::npos) break;
    rest.remove_prefix(dash + 1);
  }
  if (count < 5) return std::nullopt;
  for (size_t i = 0; i < count; ++i) {
    if (fields[i].empty()) return std::nullopt;
  }
  if (count == 6 && !IsDigit(fields[2][0])) return std::nullopt;
  if (!IsPythonName(fields[0]) || !IsDigit(fields[1][0])) return std::nullopt;
  return PythonIdentity(fields[0], fields[1]);
}

// `{name}-{version}`: legacy sdists keep dashes in names ("python-dateutil-2.8.2"), so the
// version starts at the last dash followed by a digit. Without one it is not an sdist.
std::optional<PackageIdentity> ParseSdist(std::string_view stem) {
  size_t dash = stem.rfind('-');
  while (dash != std::string_view::npos && !(dash + 1 < stem.size() && IsDigit(stem[dash + 1]))) {
    dash = dash == 0 ? std::string_view::npos : stem.rfind('-', dash - 1);
  }
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view name = stem.substr(0, dash);
  if (!IsPythonName(name)) return std::nullopt;
  return PythonIdentity(name, stem.substr(dash + 1));
}

enum class PreKind { kAlpha = 0, kBeta = 1, kRc = 2 };

struct Pep440Version {
  std::string_view epoch;    // digits; empty means 0
  std::string_view release;  // "1.2.3"
  std::optional<PreKind> pre;
  std::string_view pre_number;  // digits; empty means 0
  bool has_post = false;
  std::string_view post_number;
  bool has_dev = false;
  std::string_view dev_number;
  bool has_local = false;
  std::string_view local;  // segments separated by '.', '-' or '_'
};

// A hand-written equivalent of PEP 440's canonical regular expression (as in `packaging`).
class Pep440Parser {
 public:
  explicit Pep440Parser(std::string_view s) : s_(s) {}

  std::optional<Pep440Version> Parse() {
    Pep440Version v;
    if (Peek() == 'v' || Peek() == 'V') ++pos_;
    const size_t start = pos_;
    if (const std::string_view epoch = Digits(); !epoch.empty() && Peek() == '!') {
      v.epoch = epoch;
      ++pos_;
    } else {
      pos_ = start;
    }
    const size_t release_start = pos_;
    if (Digits().empty()) return std::nullopt;
    while (Peek() == '.' && IsDigit(PeekAt(1))) {
      ++pos_;
      Digits();
    }
    v.release = s_.substr(release_start, pos_ - release_start);
    ParsePre(&v);
    ParsePost(&v);
    ParseDev(&v);
    if (Peek() == '+' && !ParseLocal(&v)) return std::nullopt;
    if (pos_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  char PeekAt(size_t offset) const { return pos_ + offset < s_.size() ? s_[pos_ + offset] : '\0'; }
  char Peek() const { return PeekAt(0); }
  std::string_view Digits() { return TakeDigits(s_, &pos_); }

  void OptionalSeparator() {
    if (Peek() == '.' || Peek() == '-' || Peek() == '_') ++pos_;
  }

  bool Word(std::string_view word) {
    if (!EqualsIgnoreCase(s_.substr(pos_, word.size()), word)) return false;
    pos_ += word.size();
    return true;
  }

  // Consuming the separator after a label even when no number follows is what the regular
  // expression does too: the next component's leading separator is optional.
  std::string_view LabelNumber() {
    OptionalSeparator();
    return Digits();
  }

  void ParsePre(Pep440Version* v) {
    const size_t start = pos_;
    OptionalSeparator();
    // Longer spellings first: "alpha" must not be read as "a" followed by garbage.
    static constexpr struct {
      std::string_view word;
      PreKind kind;
    } kLabels[] = {{"alpha", PreKind::kAlpha}, {"a", PreKind::kAlpha},    {"beta", PreKind::kBeta},
                   {"b", PreKind::kBeta},      {"preview", PreKind::kRc}, {"pre", PreKind::kRc},
                   {"rc", PreKind::kRc},       {"c", PreKind::kRc}};
    for (const auto& label : kLabels) {
      if (Word(label.word)) {
        v->pre = label.kind;
        v->pre_number = LabelNumber();
        return;
      }
    }
    pos_ = start;
  }

  void ParsePost(Pep440Version* v) {
    // The implicit post-release spelling "1.0-1".
    if (Peek() == '-' && IsDigit(PeekAt(1))) {
      ++pos_;
      v->has_post = true;
      v->post_number = Digits();
      return;
    }
    const size_t start = pos_;
    OptionalSeparator();
    if (Word("post") || Word("rev") || Word("r")) {
      v->has_post = true;
      v->post_number = LabelNumber();
      return;
    }
    pos_ = start;
  }

  void ParseDev(Pep440Version* v) {
    const size_t start = pos_;
    OptionalSeparator();
    if (Word("dev")) {
      v->has_dev = true;
      v->dev_number = LabelNumber();
      return;
    }
    pos_ = start;
  }

  // "+" then alphanumeric segments joined by '.', '-' or '_'; false when malformed.
  bool ParseLocal(Pep440Version* v) {
    ++pos_;
    const size_t start = pos_;
    if (TakeWhile(s_, &pos_, IsAlnum).empty()) return false;
    while ((Peek() == '.' || Peek() == '-' || Peek() == '_') && IsAlnum(PeekAt(1))) {
      ++pos_;
      TakeWhile(s_, &pos_, IsAlnum);
    }
    v->has_local = true;
    v->local = s_.substr(start, pos_ - start);
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

std::optional<Pep440Version> ParsePep440(std::string_view s) {
  return Pep440Parser(TrimWhitespace(s, kAsciiWhitespace)).Parse();
}

bool IsLocalSeparator(char c) { return c == '.' || c == '-' || c == '_'; }

// Release segments with implicit trailing zeros: "1.0" == "1.0.0".
int ComparePep440Releases(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    if (const int c = CompareDigitRuns(NextField(&a, IsDot), NextField(&b, IsDot)); c != 0) {
      return c;
    }
  }
  return 0;
}

// Local segments pairwise: numeric ones numerically and above alphanumeric ones, those
// case-insensitively; when one runs out first it is the smaller.
int ComparePep440Locals(std::string_view a, std::string_view b) {
  while (!a.empty() && !b.empty()) {
    const std::string_view sa = NextField(&a, IsLocalSeparator);
    const std::string_view sb = NextField(&b, IsLocalSeparator);
    const bool na = IsAllDigits(sa);
    const bool nb = IsAllDigits(sb);
    if (na != nb) return na ? 1 : -1;
    if (const int c = na ? CompareDigitRuns(sa, sb) : CompareFolded(sa, sb); c != 0) return c;
  }
  return static_cast<int>(!a.empty()) - static_cast<int>(!b.empty());
}

// The rank of the pre-release slot in `packaging`'s sort key: a bare dev release sorts below
// every pre-release, and no pre-release sorts above all of them.
int PreRank(const Pep440Version& v) {
  if (v.pre) return 1 + static_cast<int>(*v.pre);
  if (!v.has_post && v.has_dev) return 0;
  return 4;
}

int CompareParsedPep440(const Pep440Version& a, const Pep440Version& b) {
  if (const int c = CompareDigitRuns(a.epoch, b.epoch); c != 0) return c;
  if (const int c = ComparePep440Releases(a.release, b.release); c != 0) return c;
  if (const int c = Sign(PreRank(a) - PreRank(b)); c != 0) return c;
  if (const int c = CompareDigitRuns(a.pre_number, b.pre_number); c != 0) return c;
  if (a.has_post != b.has_post) return a.has_post ? 1 : -1;
  if (const int c = CompareDigitRuns(a.post_number, b.post_number); c != 0) return c;
  // No dev release sorts above every dev release.
  if (a.has_dev != b.has_dev) return a.has_dev ? -1 : 1;
  if (const int c = CompareDigitRuns(a.dev_number, b.dev_number); c != 0) return c;
  if (a.has_local != b.has_local) return a.has_local ? 1 : -1;
  return ComparePep440Locals(a.local, b.local);
}

class Python final : public Format {
 public:
  PackageFormat id() const override { return PackageFormat::kPython; }
  std::string_view name() const override { return "python"; }
  bool IsIndexFile(std::string_view, std::string_view file) const override {
    for (std::string_view suffix : kMetadataSuffixes) {
      if (file.ends_with(suffix)) return true;
    }
    return false;
  }
  std::optional<PackageIdentity> IdentifyByExtension(std::string_view,
                                                     std::string_view file) const override {
    if (const auto stem = StemOf(file, ".whl")) return ParseWheel(*stem);
    return std::nullopt;
  }
  // After Maven in the registry: an sdist's shape would also match a classified Maven archive
  // ("tool-1.0-bin.zip").
  std::optional<PackageIdentity> IdentifyByShape(std::string_view,
                                                 std::string_view file) const override {
    for (std::string_view extension : {".tar.gz", ".zip"}) {
      if (const auto stem = StemOf(file, extension)) {
        if (auto identity = ParseSdist(*stem)) return identity;
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::string> ReadMetadata(std::string_view path, const PackageIdentity&,
                                           const ByteSource& file) const override {
    return ReadPythonMetadata(path, file);
  }
  int CompareVersions(std::string_view a, std::string_view b) const override {
    return ComparePep440Versions(a, b);
  }
};

}  // namespace

int ComparePep440Versions(std::string_view a, std::string_view b) {
  return CompareWithFallback(a, b, ParsePep440(a), ParsePep440(b), CompareParsedPep440);
}

const Format& PythonFormat() {
  static const Python format;
  return format;
}

}  // namespace tollgate::formats
