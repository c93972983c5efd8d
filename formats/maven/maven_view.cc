// {group path}/{artifact}/maven-metadata.xml is generated from the in-scope files of that
// artifact, with its .md5, .sha1, .sha256 and .sha512 digests of the very bytes served; every
// other path is the repository's own file, served (and scope-checked and counted) as a download,
// a SNAPSHOT version's own maven-metadata.xml included.
#include "maven/maven_view.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/scan.h"
#include "common/web_text.h"
#include "tollgate/base/message_digest.h"
#include "tollgate/base/text.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

constexpr std::string_view kMetadataFile = "maven-metadata.xml";

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

// A request for an artifact's metadata: "{group path}/{artifact}/maven-metadata.xml", or one
// of its checksum files.
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
  if (!file.starts_with(kMetadataFile)) return std::nullopt;
  file.remove_prefix(kMetadataFile.size());
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

// The folder holding `path`: "com/acme/tools/agent/2.0.0" for ".../2.0.0/agent-2.0.0.jar".
std::string_view FolderOf(std::string_view path) {
  PopSegment(path);
  return path;
}

// Maven's own test (ArtifactUtils.isSnapshot): the suffix in any case.
bool IsSnapshot(std::string_view version) {
  constexpr std::string_view kSnapshot = "SNAPSHOT";
  return version.size() >= kSnapshot.size() &&
         EqualsIgnoreCase(version.substr(version.size() - kSnapshot.size()), kSnapshot);
}

void AppendElement(std::string& out, std::string_view indent, std::string_view name,
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
    if (FolderOf(FolderOf(file->path)) != artifact_dir) continue;
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
                                    [](std::string_view v) { return !IsSnapshot(v); });
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n";
  AppendElement(xml, "  ", "groupId", group_id);
  AppendElement(xml, "  ", "artifactId", wanted.artifact);
  xml += "  <versioning>\n";
  AppendElement(xml, "    ", "latest", versions.ascending.back());
  if (release != versions.ascending.rend()) AppendElement(xml, "    ", "release", *release);
  xml += "    <versions>\n";
  for (std::string_view version : versions.ascending) {
    AppendElement(xml, "      ", "version", version);
  }
  xml += "    </versions>\n";
  AppendElement(xml, "    ", "lastUpdated",
                absl::FormatTime("%Y%m%d%H%M%S", absl::FromUnixMicros(versions.newest_micros),
                                 absl::UTCTimeZone()));
  xml += "  </versioning>\n</metadata>\n";
  return xml;
}

// A SNAPSHOT version's own metadata ("{group}/{artifact}/{version}/maven-metadata.xml", the
// same shape one folder deeper) names its timestamped builds; the repository's file serves
// when that version is in scope, so deployed snapshots resolve through the view.
bool IsInScopeSnapshotFolder(const ViewRequest& request, std::string_view folder) {
  return std::any_of(request.files.begin(), request.files.end(), [&](const PackageFile* file) {
    return FolderOf(file->path) == folder && IsSnapshot(file->identity.version);
  });
}

ViewAnswer AnswerMetadata(const ViewRequest& request, const MetadataRequest& wanted) {
  const Versions versions = VersionsOf(request, wanted.artifact_dir);
  if (versions.ascending.empty()) {
    if (IsInScopeSnapshotFolder(request, wanted.artifact_dir)) {
      return ViewAnswer::RepositoryFile(std::string(request.rest));
    }
    // Never the repository's own file: it would list every version.
    return ViewAnswer::NotFound();
  }
  // The names come from repository paths, which may hold any bytes.
  if (!IsPrintableUtf8(wanted.artifact_dir)) return ViewAnswer::NotFound();
  std::string xml = RenderMetadata(wanted, versions);
  if (wanted.checksum == nullptr) return ViewAnswer::Document("application/xml", std::move(xml));
  return ViewAnswer::Document("text/plain; charset=utf-8",
                              HexDigestOf(wanted.checksum->algorithm, xml));
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
    return ViewAnswer::RepositoryFile(std::string(request.rest));
  }
};

}  // namespace

const PackageView& MavenView() {
  static const Maven view;
  return view;
}

}  // namespace tollgate::formats
