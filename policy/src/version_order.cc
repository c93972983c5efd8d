// Version ordering per package format (SPEC §5.1). Everything works on string_view positions
// and fixed-size state: no allocation, since query matching calls this on the download path.
#include "tollgate/policy/version_order.h"

#include <cstddef>
#include <optional>
#include <string_view>

#include "tollgate/base/text.h"

namespace tollgate::policy {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
// Versions copied from a file or a form may carry any ASCII whitespace around them.
constexpr std::string_view kAsciiWhitespace = " \t\n\v\f\r";

int Sign(int value) { return (value > 0) - (value < 0); }

// The maximal run at `*pos` of characters satisfying `pred`; advances `*pos` past it.
template <typename Pred>
std::string_view TakeWhile(std::string_view s, size_t* pos, Pred pred) {
  const size_t start = *pos;
  while (*pos < s.size() && pred(s[*pos])) ++*pos;
  return s.substr(start, *pos - start);
}

std::string_view TakeDigits(std::string_view s, size_t* pos) { return TakeWhile(s, pos, IsDigit); }

// Compares two runs of decimal digits as numbers of any length (so nothing can overflow):
// after dropping leading zeros the longer one is larger, equal lengths compare bytewise. An
// empty run is zero.
int CompareDigitRuns(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

// Bytewise comparison with ASCII letters folded to lower case.
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

// ---- Debian (dpkg) -------------------------------------------------------------------------

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

// ---- RPM (rpmvercmp) -----------------------------------------------------------------------

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

// ---- PEP 440 -------------------------------------------------------------------------------

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

// The next `sep`-separated field of `*rest` (consumed), or empty once `*rest` is exhausted.
template <typename IsSep>
std::string_view NextField(std::string_view* rest, IsSep is_sep) {
  size_t end = 0;
  while (end < rest->size() && !is_sep((*rest)[end])) ++end;
  const std::string_view field = rest->substr(0, end);
  rest->remove_prefix(end < rest->size() ? end + 1 : end);
  return field;
}

bool IsDot(char c) { return c == '.'; }
bool IsLocalSeparator(char c) { return c == '.' || c == '-' || c == '_'; }
bool IsAllDigits(std::string_view s) {
  for (const char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

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

// ---- SemVer --------------------------------------------------------------------------------

struct SemVersion {
  std::string_view major;
  std::string_view minor;       // empty means 0
  std::string_view patch;       // empty means 0
  std::string_view prerelease;  // dot-separated identifiers; empty for a release
};

bool IsIdentifierChar(char c) { return IsAlnum(c) || c == '-'; }

// "0" or digits without a leading zero (SemVer §2, §9).
bool IsNumericIdentifier(std::string_view s) {
  return !s.empty() && IsAllDigits(s) && (s.size() == 1 || s.front() != '0');
}

// Non-empty dot-separated identifiers of [0-9A-Za-z-]; all-digit ones without leading zeros
// when `strict_numbers` (pre-release yes, build metadata no).
bool IsIdentifierList(std::string_view s, bool strict_numbers) {
  do {
    const std::string_view id = NextField(&s, IsDot);
    if (id.empty()) return false;
    for (const char c : id) {
      if (!IsIdentifierChar(c)) return false;
    }
    if (strict_numbers && IsAllDigits(id) && !IsNumericIdentifier(id)) return false;
  } while (!s.empty());
  return true;
}

// SemVer 2.0.0, plus a leading '=' and/or 'v', and minor and patch that may be left out (read
// as 0) so that query literals like "2.1" mean "2.1.0".
std::optional<SemVersion> ParseSemVer(std::string_view s) {
  s = TrimWhitespace(s, kAsciiWhitespace);
  if (!s.empty() && s.front() == '=') s.remove_prefix(1);
  if (!s.empty() && (s.front() == 'v' || s.front() == 'V')) s.remove_prefix(1);
  if (const size_t plus = s.find('+'); plus != std::string_view::npos) {
    // A trailing dot would leave an empty identifier that NextField cannot see.
    const std::string_view build = s.substr(plus + 1);
    if (build.empty() || build.back() == '.' || !IsIdentifierList(build, false)) {
      return std::nullopt;
    }
    s = s.substr(0, plus);
  }
  SemVersion v;
  if (const size_t dash = s.find('-'); dash != std::string_view::npos) {
    v.prerelease = s.substr(dash + 1);
    if (v.prerelease.empty() || v.prerelease.back() == '.' ||
        !IsIdentifierList(v.prerelease, true)) {
      return std::nullopt;
    }
    s = s.substr(0, dash);
  }
  if (s.empty() || s.back() == '.') return std::nullopt;
  std::string_view* const parts[] = {&v.major, &v.minor, &v.patch};
  for (std::string_view* part : parts) {
    *part = NextField(&s, IsDot);
    if (!IsNumericIdentifier(*part)) return std::nullopt;
    if (s.empty()) break;
  }
  if (!s.empty()) return std::nullopt;
  return v;
}

// SemVer §11.4: identifiers pairwise; numeric ones numerically and below alphanumeric ones,
// those in ASCII order; a longer list wins when one is a prefix of the other.
int ComparePrereleases(std::string_view a, std::string_view b) {
  while (!a.empty() && !b.empty()) {
    const std::string_view ia = NextField(&a, IsDot);
    const std::string_view ib = NextField(&b, IsDot);
    const bool na = IsAllDigits(ia);
    const bool nb = IsAllDigits(ib);
    if (na != nb) return na ? -1 : 1;
    if (const int c = na ? CompareDigitRuns(ia, ib) : Sign(ia.compare(ib)); c != 0) return c;
  }
  return static_cast<int>(!a.empty()) - static_cast<int>(!b.empty());
}

int CompareParsedSemVer(const SemVersion& a, const SemVersion& b) {
  if (const int c = CompareDigitRuns(a.major, b.major); c != 0) return c;
  if (const int c = CompareDigitRuns(a.minor, b.minor); c != 0) return c;
  if (const int c = CompareDigitRuns(a.patch, b.patch); c != 0) return c;
  // A pre-release sorts below its release (§11.3).
  if (a.prerelease.empty() != b.prerelease.empty()) return a.prerelease.empty() ? 1 : -1;
  return ComparePrereleases(a.prerelease, b.prerelease);
}

// Orders two optionally-parsed versions so that the result stays a total order over any mix:
// a malformed version sorts below every well-formed one, and malformed ones among themselves
// in natural order. (Falling back to natural order only when one side is malformed would
// break transitivity: natural order puts "1.0.0-rc.1" above "1.0.0".)
template <typename Parsed, typename Compare>
int CompareWithFallback(std::string_view a, std::string_view b, const std::optional<Parsed>& pa,
                        const std::optional<Parsed>& pb, Compare compare) {
  if (pa && pb) return compare(*pa, *pb);
  if (pa || pb) return pa ? 1 : -1;
  return CompareNaturalVersions(a, b);
}

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

int CompareRpmVersions(std::string_view a, std::string_view b) {
  const RpmVersion va = SplitRpmVersion(a);
  const RpmVersion vb = SplitRpmVersion(b);
  if (const int c = CompareDigitRuns(va.epoch, vb.epoch); c != 0) return c;
  if (const int c = Rpmvercmp(va.version, vb.version); c != 0) return c;
  // rpm itself treats a missing release as "any release" when matching dependencies; that is
  // not an order, so here a missing release is the empty one and sorts below any release.
  return Rpmvercmp(va.release, vb.release);
}

int ComparePep440Versions(std::string_view a, std::string_view b) {
  return CompareWithFallback(a, b, ParsePep440(a), ParsePep440(b), CompareParsedPep440);
}

int CompareSemVer(std::string_view a, std::string_view b) {
  return CompareWithFallback(a, b, ParseSemVer(a), ParseSemVer(b), CompareParsedSemVer);
}

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

int CompareVersions(PackageFormat format, std::string_view a, std::string_view b) {
  switch (format) {
    case PackageFormat::kDeb:
      return CompareDebianVersions(a, b);
    case PackageFormat::kRpm:
      return CompareRpmVersions(a, b);
    case PackageFormat::kPython:
      return ComparePep440Versions(a, b);
    case PackageFormat::kNpm:
      return CompareSemVer(a, b);
    case PackageFormat::kMaven:
    case PackageFormat::kNuget:
    case PackageFormat::kRuby:
    case PackageFormat::kRaw:
      break;
  }
  return CompareNaturalVersions(a, b);
}

}  // namespace tollgate::policy
