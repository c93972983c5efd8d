#include "maven/metadata_xml.h"

#include "absl/time/time.h"
#include "common/scan.h"
#include "common/web_text.h"
#include "maven/maven_format.h"
#include "tollgate/base/markup.h"
#include "tollgate/base/text.h"

namespace tollgate::formats {

bool IsMavenSnapshot(std::string_view version) {
  return version.size() >= kMavenSnapshot.size() &&
         EqualsIgnoreCase(version.substr(version.size() - kMavenSnapshot.size()), kMavenSnapshot);
}

std::string_view ParentFolder(std::string_view path) {
  PopSegment(path);
  return path;
}

void AppendXmlElement(std::string& out, std::string_view indent, std::string_view name,
                      std::string_view value) {
  out += indent;
  out += '<';
  out += name;
  out += '>';
  AppendHtmlEscaped(out, value);
  out += "</";
  out += name;
  out += ">\n";
}

std::string MavenTimestamp(int64_t unix_micros) {
  return absl::FormatTime("%Y%m%d%H%M%S", absl::FromUnixMicros(unix_micros), absl::UTCTimeZone());
}

}  // namespace tollgate::formats
