// HTTP-date formatting and parsing, entity-tag comparison, and the precedence rules of
// RFC 9110 §13.2.2 for the preconditions a download honours.
#include "http/conditional_request.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "tollgate/base/text.h"

namespace tollgate::gateway {
namespace {

// Indexed like absl::Weekday, which starts on Monday.
constexpr std::array<std::string_view, 7> kDayNames = {"Mon", "Tue", "Wed", "Thu",
                                                       "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Removes `prefix` from the front of `s` when it is there (absl::ConsumePrefix takes only
// absl::string_view, a type of its own in Debian's abseil).
bool Consume(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// Exactly `count` digits.
bool ConsumeNumber(std::string_view& s, size_t count, int& out) {
  if (s.size() < count) return false;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) return false;
    value = value * 10 + (s[i] - '0');
  }
  s.remove_prefix(count);
  out = value;
  return true;
}

// Names are case-sensitive in HTTP-date (RFC 9110 §5.6.7). `index` is zero-based.
template <size_t N>
bool ConsumeName(std::string_view& s, const std::array<std::string_view, N>& names, int& index) {
  for (size_t i = 0; i < N; ++i) {
    if (Consume(s, names[i])) {
      index = static_cast<int>(i);
      return true;
    }
  }
  return false;
}

struct DateFields {
  int year = 0;
  int month = 0;  // 1-based
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

bool ConsumeMonth(std::string_view& s, DateFields& f) {
  if (!ConsumeName(s, kMonthNames, f.month)) return false;
  ++f.month;
  return true;
}

bool ConsumeTimeOfDay(std::string_view& s, DateFields& f) {
  return ConsumeNumber(s, 2, f.hour) && Consume(s, ":") && ConsumeNumber(s, 2, f.minute) &&
         Consume(s, ":") && ConsumeNumber(s, 2, f.second);
}

// "Sun, 06 Nov 1994 08:49:37 GMT". Like most recipients, the weekday is read but not checked
// against the date.
bool ConsumeImfFixdate(std::string_view& s, DateFields& f) {
  int weekday = 0;
  return ConsumeName(s, kDayNames, weekday) && Consume(s, ", ") && ConsumeNumber(s, 2, f.day) &&
         Consume(s, " ") && ConsumeMonth(s, f) && Consume(s, " ") && ConsumeNumber(s, 4, f.year) &&
         Consume(s, " ") && ConsumeTimeOfDay(s, f) && Consume(s, " GMT");
}

// "Sunday, 06-Nov-94 08:49:37 GMT"
bool ConsumeRfc850Date(std::string_view& s, DateFields& f) {
  int weekday = 0;
  if (!(ConsumeName(s, kLongDayNames, weekday) && Consume(s, ", ") && ConsumeNumber(s, 2, f.day) &&
        Consume(s, "-") && ConsumeMonth(s, f) && Consume(s, "-") && ConsumeNumber(s, 2, f.year) &&
        Consume(s, " ") && ConsumeTimeOfDay(s, f) && Consume(s, " GMT"))) {
    return false;
  }
  // RFC 9110 wants "no more than 50 years ahead of now"; a fixed pivot keeps this function
  // pure, and clients stopped sending this form decades ago.
  f.year += f.year < 69 ? 2000 : 1900;
  return true;
}

// "Sun Nov  6 08:49:37 1994"
bool ConsumeAsctimeDate(std::string_view& s, DateFields& f) {
  int weekday = 0;
  return ConsumeName(s, kDayNames, weekday) && Consume(s, " ") && ConsumeMonth(s, f) &&
         Consume(s, " ") &&
         (Consume(s, " ") ? ConsumeNumber(s, 1, f.day) : ConsumeNumber(s, 2, f.day)) &&
         Consume(s, " ") && ConsumeTimeOfDay(s, f) && Consume(s, " ") &&
         ConsumeNumber(s, 4, f.year);
}

struct EntityTag {
  bool weak = false;
  std::string_view opaque;  // between the quotes
};

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text
std::optional<EntityTag> ConsumeEntityTag(std::string_view& s) {
  EntityTag tag;
  tag.weak = Consume(s, "W/");
  if (!Consume(s, "\"")) return std::nullopt;
  const size_t close = s.find('"');
  if (close == std::string_view::npos) return std::nullopt;
  tag.opaque = s.substr(0, close);
  for (char c : tag.opaque) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return std::nullopt;
  }
  s.remove_prefix(close + 1);
  return tag;
}

std::optional<EntityTag> ParseEntityTag(std::string_view s) {
  std::optional<EntityTag> tag = ConsumeEntityTag(s);
  if (!s.empty()) return std::nullopt;
  return tag;
}

// Weak comparison against every member of a #entity-tag list; the whole list must parse.
bool ListMatchesWeakly(std::string_view list, const EntityTag& ours) {
  bool matched = false;
  bool after_tag = false;
  while (true) {
    list.remove_prefix(std::min(list.find_first_not_of(kHttpWhitespace), list.size()));
    if (list.empty()) return matched;
    if (Consume(list, ",")) {
      after_tag = false;
      continue;
    }
    if (after_tag) return false;
    const std::optional<EntityTag> tag = ConsumeEntityTag(list);
    if (!tag) return false;
    matched = matched || tag->opaque == ours.opaque;
    after_tag = true;
  }
}

}  // namespace

FixedText<48> FormatEtag(uint64_t size, absl::Time modified) {
  // Unsigned like nginx's, so a pre-1970 mtime still gives a valid (if odd) tag. Two 64-bit
  // numbers in hex, two quotes and a dash always fit in 48 characters.
  const auto seconds = static_cast<uint64_t>(absl::ToUnixSeconds(modified));
  FixedText<48> text;
  char* const end = text.chars.data() + text.chars.size();
  char* out = text.chars.data();
  *out++ = '"';
  out = std::to_chars(out, end, seconds, 16).ptr;
  *out++ = '-';
  out = std::to_chars(out, end, size, 16).ptr;
  *out++ = '"';
  text.size = static_cast<size_t>(out - text.chars.data());
  return text;
}

namespace {

FixedText<32> FormatHttpDateUncached(absl::Time t) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  t = std::clamp(t, absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), utc),
                 absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), utc));
  const absl::CivilSecond c = absl::ToCivilSecond(t, utc);
  FixedText<32> text;
  const int written = absl::SNPrintF(
      text.chars.data(), text.chars.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
      kDayNames[static_cast<size_t>(absl::GetWeekday(c))], c.day(),
      kMonthNames[static_cast<size_t>(c.month() - 1)], c.year(), c.hour(), c.minute(), c.second());
  // 29 characters, the year being clamped to 4 digits; the clamp keeps a view inside regardless.
  text.size = std::min(static_cast<size_t>(std::max(written, 0)), text.chars.size() - 1);
  return text;
}

}  // namespace

FixedText<32> FormatHttpDateText(absl::Time t) {
  // Every download of a file sends its Last-Modified: a thread remembers the last second it
  // formatted, which a hot file hits every time. (FormatHttpDate, which the Date header uses
  // once a second, does not pass through here and so never evicts it.)
  struct Last {
    int64_t second = 0;
    FixedText<32> text;
    bool set = false;
  };
  thread_local Last last;
  const int64_t second = absl::ToUnixSeconds(t);
  if (!last.set || last.second != second) last = {second, FormatHttpDateUncached(t), true};
  return last.text;
}

std::string FormatHttpDate(absl::Time t) {
  const FixedText<32> text = FormatHttpDateUncached(t);
  return std::string(text.view());
}

std::optional<absl::Time> ParseHttpDate(std::string_view s) {
  s = TrimWhitespace(s);
  DateFields f;
  bool parsed = false;
  if (s.size() > 3 && s[3] == ',') {
    parsed = ConsumeImfFixdate(s, f);
  } else if (s.size() > 3 && s[3] == ' ') {
    parsed = ConsumeAsctimeDate(s, f);
  } else {
    parsed = ConsumeRfc850Date(s, f);
  }
  if (!parsed || !s.empty()) return std::nullopt;
  // CivilDay normalises 31 Feb to 3 Mar; a changed field means the date did not exist.
  const absl::CivilDay day(f.year, f.month, f.day);
  if (day.day() != f.day || f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
  // A leap second (:60) becomes the next second, which is all HTTP can say about it.
  return absl::FromCivil(absl::CivilSecond(f.year, f.month, f.day, f.hour, f.minute, f.second),
                         absl::UTCTimeZone());
}

bool IsNotModified(std::string_view if_none_match, std::string_view if_modified_since,
                   const Validators& v) {
  const std::string_view none_match = TrimWhitespace(if_none_match);
  if (!none_match.empty()) {
    if (none_match == "*") return true;
    const std::optional<EntityTag> ours = ParseEntityTag(v.etag);
    return ours && ListMatchesWeakly(none_match, *ours);
  }
  const std::optional<absl::Time> since = ParseHttpDate(if_modified_since);
  return since && absl::ToUnixSeconds(v.last_modified) <= absl::ToUnixSeconds(*since);
}

bool IfRangeAllowsPartial(std::string_view if_range, const Validators& v) {
  const std::string_view value = TrimWhitespace(if_range);
  if (value.empty()) return true;
  if (value.front() == '"' || value.starts_with("W/")) {
    const std::optional<EntityTag> theirs = ParseEntityTag(value);
    const std::optional<EntityTag> ours = ParseEntityTag(v.etag);
    return theirs && ours && !theirs->weak && !ours->weak && theirs->opaque == ours->opaque;
  }
  const std::optional<absl::Time> date = ParseHttpDate(value);
  return date && absl::ToUnixSeconds(*date) == absl::ToUnixSeconds(v.last_modified);
}

}  // namespace tollgate::gateway
