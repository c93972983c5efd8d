// Text the views put into HTML, XML and URLs: percent-encoding, and which text a document can
// carry at all (escaping markup is tollgate/base/markup.h).
#pragma once

#include <string>
#include <string_view>

namespace tollgate::formats {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points beyond
// U+10FFFF) without control characters (C0, DEL, C1) or the noncharacters U+FFFE and U+FFFF:
// text an XML 1.0 document can carry, once escaped, and a client reads back unchanged. Names
// from repository paths may be any bytes; what fails this cannot be put into a document.
bool IsPrintableUtf8(std::string_view text);

// Appends repository path `path` percent-encoded for a URL path: every byte but RFC 3986's
// unreserved characters and '/' is encoded.
void AppendUrlPath(std::string& out, std::string_view path);

}  // namespace tollgate::formats
