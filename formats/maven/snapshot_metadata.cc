#include "maven/snapshot_metadata.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "common/scan.h"
#include "common/web_text.h"
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
  bool is_main_pom = false;  // the pom without classifier: what every deploy of a build has
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
  // Gradle reads only <snapshot> and fetches the pom and every artifact of that one build, so
  // it names the newest build with a pom (the newest of any kind when no pom is in scope).
  std::optional<Build> snapshot;
  const auto better_snapshot = [&snapshot](const Build& build) {
    if (!build.timestamped) return false;
    if (!snapshot || build.is_main_pom != snapshot->is_main_pom) {
      return !snapshot || build.is_main_pom;
    }
    return IsNewer(build, *snapshot);
  };
  int64_t last_updated = 0;
  for (const PackageFile* file : files) {
    if (ParentFolder(file->path) != version_dir) continue;
    const std::string_view file_name = std::string_view(file->path).substr(version_dir.size() + 1);
    // A name no XML document can carry is left out rather than break the whole document.
    if (!IsPrintableUtf8(file_name)) continue;
    const std::optional<MavenFileName> name = SplitMavenFileName(artifact, version, file_name);
    if (!name) continue;
    const Build build{.value = name->value,
                      .timestamped = name->value != version,
                      .is_main_pom = name->classifier.empty() && name->extension == "pom",
                      .recorded_unix_micros = file->recorded_unix_micros};
    auto [slot, inserted] = newest.try_emplace({name->extension, name->classifier}, build);
    if (!inserted && IsNewer(build, slot->second)) slot->second = build;
    if (better_snapshot(build)) snapshot = build;
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
  if (snapshot) {
    // "2.1-20240305.060708-2" without the "2.1-" before SNAPSHOT: the deploy time and the build
    // number.
    const std::string_view stamp = snapshot->value.substr(version.size() - kMavenSnapshot.size());
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
