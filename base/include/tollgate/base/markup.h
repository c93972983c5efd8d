// Text put into HTML, XML or SVG: the five markup characters as character references.
#pragma once

#include <string>
#include <string_view>

namespace tollgate {

// Appends `text` with &, <, >, " and ' as character references (the same in HTML and XML,
// in element content and in quoted attribute values).
void AppendHtmlEscaped(std::string& out, std::string_view text);

// `text` escaped as AppendHtmlEscaped does.
std::string HtmlEscaped(std::string_view text);

}  // namespace tollgate
