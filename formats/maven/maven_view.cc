// {group path}/{artifact}/maven-metadata.xml, and a SNAPSHOT version's own one a folder deeper,
// are generated from the in-scope files, with their .md5, .sha1, .sha256 and .sha512 digests of
// the very bytes served; no other maven-metadata file is served, since the repository's own would
// list what the credential may not see. Every other path is the repository's own file, served
// (and scope-checked and counted) as a download.
#include "maven/maven_view.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/scan.h"
#include "common/web_text.h"
#include "maven/metadata_xml.h"
#include "maven/snapshot_metadata.h"
#include "tollgate/base/message_digest.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

struct Checksum {
  std::string_view suffix;
  MessageDigest::Algorithm algorithm;
};

// The checksum files Maven and Gradle ask for beside the metadata.
constexpr std::array<Checksum, 4> kChecksums = {{
    {".md5", MessageDigest::Algorithm::kMd5},
    {".sha1", MessageDigest::Algorithm::kSha1},
    {".sha256", MessageDigest::Algorithm::kSha256},
    {".sha512", MessageDigest::Algorithm::kSha512},
}};

// Any file named like one: "maven-metadata-central.xml", "maven-metadata.xml.asc" and the like.
bool IsMetadataFileName(std::string_view rest) {
  std::string_view dir = rest;
  return PopSegment(dir).starts_with("maven-metadata");
}

// A request for an artifact's metadata: "{group path}/{artifact}/maven-metadata.xml", or one
// of its checksum files. For a SNAPSHOT version's own metadata, "artifact" is the version.
struct MetadataRequest {
  std::string_view artifact_dir;       // "com/acme/tools/agent"
  std::string_view group_path;         // "com/acme/tools"
  std::string_view artifact;           // "agent"
  const Checksum* checksum = nullptr;  // nullptr for the XML itself
};

std::optional<MetadataRequest> ParseMetadataRequest(std::string_view rest) {
  MetadataRequest request;
  std::string_view dir = rest;
  std::string_view file = PopSegment(dir);
  if (!file.starts_with(kMavenMetadataFile)) return std::nullopt;
  file.remove_prefix(kMavenMetadataFile.size());
  if (!file.empty()) {
    for (const Checksum& checksum : kChecksums) {
      if (file == checksum.suffix) request.checksum = &checksum;
    }
    if (request.checksum == nullptr) return std::nullopt;
  }
  request.artifact_dir = dir;
  request.artifact = PopSegment(dir);
  request.group_path = dir;
  // Maven always has a group; the root's and a lone folder's metadata are not an artifact's.
  if (request.artifact.empty() || request.group_path.empty()) return std::nullopt;
  return request;
}

// The versions of the artifact in `artifact_dir` among the in-scope files, ascending and each
// once, and the newest time one of their files was recorded.
struct Versions {
  std::vector<std::string_view> ascending;
  int64_t newest_micros = 0;
};

Versions VersionsOf(const ViewRequest& request, std::string_view artifact_dir) {
  Versions versions;
  for (const PackageFile* file : request.files) {
    // The path, not the dotted group: "com.acme/agent/…" has group com.acme as well, but Maven
    // would look for its files under com/acme/agent/.
    if (ParentFolder(ParentFolder(file->path)) != artifact_dir) continue;
    // A version no document can carry is left out rather than garbled.
    if (!IsPrintableUtf8(file->identity.version)) continue;
    versions.ascending.push_back(file->identity.version);
    versions.newest_micros = std::max(versions.newest_micros, file->recorded_unix_micros);
  }
  // Distinct strings may be equal in the order ("1.0" and "1.00"): bytes break the tie, so the
  // document is the same whatever order the files came in.
  std::sort(versions.ascending.begin(), versions.ascending.end(),
            [](std::string_view a, std::string_view b) {
              const int order = CompareVersions(PackageFormat::kMaven, a, b);
              return order != 0 ? order < 0 : a < b;
            });
  versions.ascending.erase(std::unique(versions.ascending.begin(), versions.ascending.end()),
                           versions.ascending.end());
  return versions;
}

std::string RenderMetadata(const MetadataRequest& wanted, const Versions& versions) {
  std::string group_id(wanted.group_path);
  std::replace(group_id.begin(), group_id.end(), '/', '.');
  const auto release = std::find_if(versions.ascending.rbegin(), versions.ascending.rend(),
                                    [](std::string_view v) { return !IsMavenSnapshot(v); });
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n";
  AppendXmlElement(xml, "  ", "groupId", group_id);
  AppendXmlElement(xml, "  ", "artifactId", wanted.artifact);
  xml += "  <versioning>\n";
  AppendXmlElement(xml, "    ", "latest", versions.ascending.back());
  if (release != versions.ascending.rend()) AppendXmlElement(xml, "    ", "release", *release);
  xml += "    <versions>\n";
  for (std::string_view version : versions.ascending) {
    AppendXmlElement(xml, "      ", "version", version);
  }
  xml += "    </versions>\n";
  AppendXmlElement(xml, "    ", "lastUpdated", MavenTimestamp(versions.newest_micros));
  xml += "  </versioning>\n</metadata>\n";
  return xml;
}

// The artifact's metadata when it has in-scope versions, else the SNAPSHOT version's own when
// `artifact_dir` is one with in-scope builds.
std::optional<std::string> RenderFor(const ViewRequest& request, const MetadataRequest& wanted) {
  const Versions versions = VersionsOf(request, wanted.artifact_dir);
  if (!versions.ascending.empty()) return RenderMetadata(wanted, versions);
  return RenderSnapshotMetadata(wanted.artifact_dir, request.files);
}

ViewAnswer AnswerMetadata(const ViewRequest& request, const MetadataRequest& wanted) {
  // The names come from repository paths, which may hold any bytes.
  if (!IsPrintableUtf8(wanted.artifact_dir)) return ViewAnswer::NotFound();
  // With nothing in scope, never the repository's own file: it would list every version.
  std::optional<std::string> xml = RenderFor(request, wanted);
  if (!xml) return ViewAnswer::NotFound();
  if (wanted.checksum == nullptr) return ViewAnswer::Document("application/xml", *std::move(xml));
  return ViewAnswer::Document("text/plain; charset=utf-8",
                              HexDigestOf(wanted.checksum->algorithm, *xml));
}

class Maven final : public PackageView {
 public:
  std::string_view name() const override { return "maven"; }
  PackageFormat format() const override { return PackageFormat::kMaven; }
  bool NeedsFiles(std::string_view rest, bool is_folder) const override {
    return !is_folder && ParseMetadataRequest(rest).has_value();
  }
  absl::StatusOr<ViewAnswer> Answer(const ViewRequest& request) const override {
    // A Maven repository has no folder listings.
    if (request.is_folder || request.rest.empty()) return ViewAnswer::NotFound();
    if (const std::optional<MetadataRequest> wanted = ParseMetadataRequest(request.rest)) {
      return AnswerMetadata(request, *wanted);
    }
    if (IsMetadataFileName(request.rest)) return ViewAnswer::NotFound();
    return ViewAnswer::RepositoryFile(std::string(request.rest));
  }
};

}  // namespace

const PackageView& MavenView() {
  static const Maven view;
  return view;
}

}  // namespace tollgate::formats
