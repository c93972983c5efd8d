#include "common/header_fields.h"

#include "tollgate/base/text.h"

namespace tollgate::formats {
namespace {

// The next line of `rest` without its "\n" or "\r\n"; advances `rest` past it.
std::string_view NextLine(std::string_view& rest) {
  const size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

std::string_view FirstParagraph(std::string_view text) {
  std::string_view rest = text;
  size_t length = 0;
  while (!rest.empty()) {
    const size_t before = rest.size();
    const std::string_view line = NextLine(rest);
    if (TrimWhitespace(line).empty()) break;
    length += before - rest.size();
  }
  std::string_view paragraph = text.substr(0, length);
  while (paragraph.ends_with('\n') || paragraph.ends_with('\r')) paragraph.remove_suffix(1);
  return paragraph;
}

std::optional<std::string> HeaderField(std::string_view text, std::string_view name) {
  std::string_view rest = FirstParagraph(text);
  while (!rest.empty()) {
    const std::string_view line = NextLine(rest);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || line.empty() || line.front() == ' ' ||
        line.front() == '\t' || !EqualsIgnoreCase(line.substr(0, colon), name)) {
      continue;
    }
    std::string value(TrimWhitespace(line.substr(colon + 1)));
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) {
      value += '\n';
      value += NextLine(rest);
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace tollgate::formats
