#include "python/python_metadata.h"

#include "boost/json.hpp"
#include "common/archive_member.h"
#include "common/header_fields.h"
#include "common/web_text.h"

namespace tollgate::formats {
namespace {

// Core metadata is a few KiB; a larger one is not a distribution tollgate lists.
constexpr size_t kMaxMetadataBytes = 1 << 20;
constexpr size_t kMaxSpecifierBytes = 1024;

// "{dir}/{file}" exactly one folder deep.
bool IsTopLevelMember(std::string_view member, std::string_view dir_suffix, std::string_view file) {
  const size_t slash = member.find('/');
  if (slash == std::string_view::npos || member.substr(slash + 1) != file) return false;
  return member.substr(0, slash).ends_with(dir_suffix);
}

}  // namespace

absl::StatusOr<std::string> ReadPythonMetadata(std::string_view path, const ByteSource& file) {
  const bool wheel = path.ends_with(".whl");
  absl::StatusOr<std::optional<std::string>> metadata = ReadArchiveMember(
      file,
      [wheel](std::string_view member) {
        return wheel ? IsTopLevelMember(member, ".dist-info", "METADATA")
                     : IsTopLevelMember(member, "", "PKG-INFO");
      },
      kMaxMetadataBytes);
  if (!metadata.ok()) return metadata.status();
  boost::json::object facts;
  if (*metadata) {
    // A specifier is a few dozen characters; anything else is not worth a byte in every page.
    std::optional<std::string> requires_python = HeaderField(**metadata, "Requires-Python");
    if (requires_python && requires_python->size() <= kMaxSpecifierBytes &&
        IsPrintableUtf8(*requires_python)) {
      facts["requires_python"] = *requires_python;
    }
  }
  return boost::json::serialize(facts);
}

}  // namespace tollgate::formats
