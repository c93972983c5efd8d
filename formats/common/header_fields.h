// Fields of the RFC 822-style header blocks packages carry: a wheel's METADATA, an sdist's
// PKG-INFO, a .deb's control file ("Name: value", continuation lines start with a blank).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tollgate::formats {

// The value of the first field `name` (ASCII case ignored) of the first paragraph of `text`,
// with continuation lines joined by '\n' as written and surrounding blanks trimmed; nullopt
// when absent.
std::optional<std::string> HeaderField(std::string_view text, std::string_view name);

// The first paragraph of `text` (up to its first empty line), without trailing newlines.
std::string_view FirstParagraph(std::string_view text);

}  // namespace tollgate::formats
