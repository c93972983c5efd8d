// Validators and conditional requests (RFC 9110 §8.8 and §13): ETag and Last-Modified for a
// file, and whether If-None-Match / If-Modified-Since / If-Range let a cached copy be used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "tollgate/base/fixed_text.h"

namespace tollgate::gateway {

struct Validators {
  std::string_view etag;  // as sent in ETag, quotes included; views the caller's storage
  absl::Time last_modified;
};

// A strong ETag in nginx's form, "\"<hex unix seconds>-<hex size>\"", so caches warmed by an
// nginx serving the same files stay valid. Never fails.
FixedText<48> FormatEtag(uint64_t size, absl::Time modified);

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), whole seconds. Times outside years
// 0001–9999 are clamped to that range.
std::string FormatHttpDate(absl::Time t);
// The same into fixed storage, for the download path.
FixedText<32> FormatHttpDateText(absl::Time t);

// Reads an HTTP-date in any of RFC 9110 §5.6.7's three forms (IMF-fixdate, RFC 850,
// asctime). A two-digit RFC 850 year 69–99 means 19xx, 00–68 means 20xx. Returns nullopt for
// anything else, including impossible dates such as 31 Feb.
std::optional<absl::Time> ParseHttpDate(std::string_view s);

// True when the request's validators say the client's copy is current (answer 304).
// If-None-Match (weak comparison, `*` matches) wins over If-Modified-Since, which is used only
// when If-None-Match is absent and is compared at whole seconds. A malformed If-None-Match or
// an unparsable date never matches.
bool IsNotModified(std::string_view if_none_match, std::string_view if_modified_since,
                   const Validators& v);

// True when a Range may be honoured under `if_range`: it is absent, or it is an ETag that
// matches strongly (a weak one never does), or a date equal to last_modified at whole
// seconds. Anything malformed gives false, i.e. the whole body is sent.
bool IfRangeAllowsPartial(std::string_view if_range, const Validators& v);

}  // namespace tollgate::gateway
