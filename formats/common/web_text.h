// Text the views put into HTML and URLs: escaping and percent-encoding.
#pragma once

#include <string>
#include <string_view>

namespace tollgate::formats {

// Appends `text` with &, <, >, " and ' as character references.
void AppendHtmlEscaped(std::string& out, std::string_view text);

// Appends repository path `path` percent-encoded for a URL path: every byte but RFC 3986's
// unreserved characters and '/' is encoded.
void AppendUrlPath(std::string& out, std::string_view path);

}  // namespace tollgate::formats
