#include "maven/snapshot_metadata.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "common/scan.h"
#include "maven/maven_format.h"
#include "maven/metadata_xml.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

// One file Maven may fetch for this version: a timestamped build ("2.1-20240305.060708-2"), or
// a file deployed under the SNAPSHOT name itself ("2.1-SNAPSHOT").
struct Build {
  std::string_view value;
  bool timestamped = false;
  int64_t recorded_unix_micros = 0;
};

// Timestamped builds win over a file under the SNAPSHOT name; among them the later deploy
// time, then the higher build number. Bytes break a tie so the order never depends on the
// order the files came in.
bool IsNewer(const Build& a, const Build& b) {
  if (a.timestamped != b.timestamped) return a.timestamped;
  const int order = CompareVersions(PackageFormat::kMaven, a.value, b.value);
  return order != 0 ? order > 0 : a.value > b.value;
}

}  // namespace

std::optional<std::string> RenderSnapshotMetadata(std::string_view version_dir,
                                                  std::span<const PackageFile* const> files) {
  std::string_view group_path = version_dir;
  const std::string_view version = PopSegment(group_path);
  const std::string_view artifact = PopSegment(group_path);
  if (!IsMavenSnapshot(version) || artifact.empty() || group_path.empty()) return std::nullopt;

  // The newest build for each (extension, classifier), ordered by them so the document (and its
  // checksums) is the same bytes whatever order the files came in.
  std::map<std::pair<std::string_view, std::string_view>, Build> newest;
  std::optional<Build> latest_timestamped;
  int64_t last_updated = 0;
  for (const PackageFile* file : files) {
    if (ParentFolder(file->path) != version_dir) continue;
    const std::string_view file_name = std::string_view(file->path).substr(version_dir.size() + 1);
    const std::optional<MavenFileName> name = SplitMavenFileName(artifact, version, file_name);
    if (!name) continue;
    const Build build{.value = name->value,
                      .timestamped = name->value != version,
                      .recorded_unix_micros = file->recorded_unix_micros};
    auto [slot, inserted] = newest.try_emplace({name->extension, name->classifier}, build);
    if (!inserted && IsNewer(build, slot->second)) slot->second = build;
    if (build.timestamped && (!latest_timestamped || IsNewer(build, *latest_timestamped))) {
      latest_timestamped = build;
    }
    last_updated = std::max(last_updated, build.recorded_unix_micros);
  }
  if (newest.empty()) return std::nullopt;

  std::string group_id(group_path);
  std::replace(group_id.begin(), group_id.end(), '/', '.');
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata modelVersion=\"1.1.0\">\n";
  AppendXmlElement(xml, "  ", "groupId", group_id);
  AppendXmlElement(xml, "  ", "artifactId", artifact);
  AppendXmlElement(xml, "  ", "version", version);
  xml += "  <versioning>\n";
  if (latest_timestamped) {
    // "2.1-20240305.060708-2" without the "2.1-" before SNAPSHOT: the deploy time and the build
    // number.
    constexpr size_t kSnapshotSuffix = std::string_view("SNAPSHOT").size();
    const std::string_view stamp =
        latest_timestamped->value.substr(version.size() - kSnapshotSuffix);
    const size_t dash = stamp.rfind('-');
    xml += "    <snapshot>\n";
    AppendXmlElement(xml, "      ", "timestamp", stamp.substr(0, dash));
    AppendXmlElement(xml, "      ", "buildNumber", stamp.substr(dash + 1));
    xml += "    </snapshot>\n";
  }
  AppendXmlElement(xml, "    ", "lastUpdated", MavenTimestamp(last_updated));
  xml += "    <snapshotVersions>\n";
  for (const auto& [kind, build] : newest) {
    xml += "      <snapshotVersion>\n";
    if (!kind.second.empty()) AppendXmlElement(xml, "        ", "classifier", kind.second);
    AppendXmlElement(xml, "        ", "extension", kind.first);
    AppendXmlElement(xml, "        ", "value", build.value);
    AppendXmlElement(xml, "        ", "updated", MavenTimestamp(build.recorded_unix_micros));
    xml += "      </snapshotVersion>\n";
  }
  xml += "    </snapshotVersions>\n  </versioning>\n</metadata>\n";
  return xml;
}

}  // namespace tollgate::formats
