// Tests of the Maven view: which paths it generates, the shape of maven-metadata.xml, its
// latest/release/versions in Maven's order from the in-scope files only, its checksum files,
// and what it refuses to put into a document.
#include "maven/maven_view.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "tollgate/base/message_digest.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t k20230102030405 = 1672628645 * kMicrosPerSecond;
constexpr int64_t k20240305060708 = 1709618828 * kMicrosPerSecond;

constexpr std::string_view kAgentMetadata = "com/acme/tools/agent/maven-metadata.xml";

// The package files a view is given: what the catalog holds of each path.
class Files {
 public:
  Files& Add(std::string_view path, int64_t recorded_unix_micros = k20230102030405) {
    PackageFile file;
    file.path = path;
    file.identity = IdentifyPackage(path).value();
    file.recorded_unix_micros = recorded_unix_micros;
    files_.push_back(std::move(file));
    return *this;
  }
  // Every file of the Maven format, as the gateway hands them over.
  std::vector<const PackageFile*> InScope() const {
    std::vector<const PackageFile*> pointers;
    for (const PackageFile& file : files_) {
      if (file.identity.format == PackageFormat::kMaven) pointers.push_back(&file);
    }
    return pointers;
  }

 private:
  std::vector<PackageFile> files_;
};

// A jar and a pom of `version` of com.acme.tools:agent.
Files& AddAgent(Files& files, std::string_view version, int64_t micros = k20230102030405) {
  const std::string stem =
      "com/acme/tools/agent/" + std::string(version) + "/agent-" + std::string(version);
  return files.Add(stem + ".jar", micros).Add(stem + ".pom", micros);
}

ViewAnswer Ask(std::string_view rest, const Files& files, bool is_folder = false) {
  const std::vector<const PackageFile*> in_scope = files.InScope();
  const ViewRequest request{.rest = rest,
                            .is_folder = is_folder,
                            .variant = "",
                            .view_url = "https://dl.example/basic/acme/agents/-/maven/",
                            .files_url = "https://dl.example/basic/acme/agents/",
                            .files = in_scope,
                            .signer = nullptr};
  absl::StatusOr<ViewAnswer> answer = MavenView().Answer(request);
  EXPECT_TRUE(answer.ok()) << answer.status();
  return answer.ok() ? *std::move(answer) : ViewAnswer::NotFound();
}

// The body of a generated document at `rest`, failing the test when it is anything else.
std::string Document(std::string_view rest, const Files& files) {
  ViewAnswer answer = Ask(rest, files);
  EXPECT_EQ(answer.kind, ViewAnswer::Kind::kDocument) << rest;
  return answer.body;
}

// The text of every <name> element of `xml`, in order.
std::vector<std::string> Elements(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  std::vector<std::string> values;
  for (size_t at = xml.find(open); at != std::string_view::npos; at = xml.find(open, at)) {
    at += open.size();
    values.emplace_back(xml.substr(at, xml.find(close, at) - at));
  }
  return values;
}

std::vector<std::string> VersionsOf(std::string_view xml) { return Elements(xml, "version"); }

// The view is found by its URL segment and lists Maven files.
TEST(MavenViewTest, IsRegisteredAsMaven) {
  EXPECT_EQ(FindView("maven"), &MavenView());
  EXPECT_EQ(MavenView().name(), "maven");
  EXPECT_EQ(MavenView().format(), PackageFormat::kMaven);
}

// Only an artifact's maven-metadata.xml and its four checksum files are generated from the
// catalog; every other path names a repository file.
TEST(MavenViewTest, NeedsFilesOnlyForArtifactMetadata) {
  for (std::string_view rest : {
           "com/acme/tools/agent/maven-metadata.xml",
           "com/acme/tools/agent/maven-metadata.xml.md5",
           "com/acme/tools/agent/maven-metadata.xml.sha1",
           "com/acme/tools/agent/maven-metadata.xml.sha256",
           "com/acme/tools/agent/maven-metadata.xml.sha512",
           "junit/junit/maven-metadata.xml",
       }) {
    EXPECT_TRUE(MavenView().NeedsFiles(rest, false)) << rest;
  }
  for (std::string_view rest : {
           "",
           "maven-metadata.xml",
           "agent/maven-metadata.xml",
           "com/acme/tools/agent/maven-metadata.xml.sha384",
           "com/acme/tools/agent/maven-metadata.xmlx",
           "com/acme/tools/agent/my-maven-metadata.xml",
           "com/acme/tools/agent/2.0.0/agent-2.0.0.jar",
           "com/acme/tools/agent/2.0.0/agent-2.0.0.pom.sha1",
       }) {
    EXPECT_FALSE(MavenView().NeedsFiles(rest, false)) << rest;
  }
  EXPECT_FALSE(MavenView().NeedsFiles(kAgentMetadata, true));
}

// Jars, poms, their checksum and signature files are the repository's files at the same path.
TEST(MavenViewTest, OtherPathsAreRepositoryFiles) {
  Files files;
  AddAgent(files, "2.0.0");
  for (std::string_view rest : {
           "com/acme/tools/agent/2.0.0/agent-2.0.0.jar",
           "com/acme/tools/agent/2.0.0/agent-2.0.0.pom",
           "com/acme/tools/agent/2.0.0/agent-2.0.0.jar.sha1",
           "com/acme/tools/agent/2.0.0/agent-2.0.0.pom.asc",
           "com/acme/tools/agent/3.0.0/agent-3.0.0.jar",
       }) {
    const ViewAnswer answer = Ask(rest, files);
    EXPECT_EQ(answer.kind, ViewAnswer::Kind::kRepositoryFile) << rest;
    EXPECT_EQ(answer.target, rest);
  }
}

// A Maven repository has no folder listings.
TEST(MavenViewTest, FoldersAreNotFound) {
  Files files;
  AddAgent(files, "2.0.0");
  EXPECT_EQ(Ask("", files, true).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("com/acme/tools/agent", files, true).kind, ViewAnswer::Kind::kNotFound);
}

// The whole document: group, artifact, latest, release, versions ascending, lastUpdated.
TEST(MavenViewTest, MetadataDocument) {
  Files files;
  AddAgent(files, "1.0.0");
  AddAgent(files, "2.0.0", k20240305060708);
  const ViewAnswer answer = Ask(kAgentMetadata, files);
  ASSERT_EQ(answer.kind, ViewAnswer::Kind::kDocument);
  EXPECT_EQ(answer.content_type, "application/xml");
  EXPECT_EQ(answer.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<metadata>\n"
            "  <groupId>com.acme.tools</groupId>\n"
            "  <artifactId>agent</artifactId>\n"
            "  <versioning>\n"
            "    <latest>2.0.0</latest>\n"
            "    <release>2.0.0</release>\n"
            "    <versions>\n"
            "      <version>1.0.0</version>\n"
            "      <version>2.0.0</version>\n"
            "    </versions>\n"
            "    <lastUpdated>20240305060708</lastUpdated>\n"
            "  </versioning>\n"
            "</metadata>\n");
}

// lastUpdated is the newest time among the files given, not of the artifact's other files.
TEST(MavenViewTest, LastUpdatedIsTheNewestInScopeFile) {
  Files files;
  AddAgent(files, "1.0.0", k20240305060708);
  AddAgent(files, "2.0.0", k20230102030405);
  EXPECT_EQ(Elements(Document(kAgentMetadata, files), "lastUpdated"),
            std::vector<std::string>{"20240305060708"});
  Files older;
  AddAgent(older, "2.0.0", k20230102030405);
  EXPECT_EQ(Elements(Document(kAgentMetadata, older), "lastUpdated"),
            std::vector<std::string>{"20230102030405"});
}

// latest may be a SNAPSHOT; release is the highest version that is not one.
TEST(MavenViewTest, LatestAndReleaseWithSnapshots) {
  Files files;
  AddAgent(files, "1.0.0");
  AddAgent(files, "2.0.0");
  files.Add("com/acme/tools/agent/2.1.0-SNAPSHOT/agent-2.1.0-20240305.060708-1.jar");
  files.Add("com/acme/tools/agent/2.1.0-SNAPSHOT/agent-2.1.0-20240305.060708-2.jar");
  const std::string xml = Document(kAgentMetadata, files);
  EXPECT_EQ(Elements(xml, "latest"), std::vector<std::string>{"2.1.0-SNAPSHOT"});
  EXPECT_EQ(Elements(xml, "release"), std::vector<std::string>{"2.0.0"});
  EXPECT_EQ(VersionsOf(xml), (std::vector<std::string>{"1.0.0", "2.0.0", "2.1.0-SNAPSHOT"}));
}

// An artifact with snapshots only has a latest and no release.
TEST(MavenViewTest, OnlySnapshotsHaveNoRelease) {
  Files files;
  AddAgent(files, "1.0-SNAPSHOT");
  AddAgent(files, "1.1-snapshot");
  const std::string xml = Document(kAgentMetadata, files);
  EXPECT_EQ(Elements(xml, "latest"), std::vector<std::string>{"1.1-snapshot"});
  EXPECT_TRUE(Elements(xml, "release").empty()) << xml;
}

// Numeric parts compare as numbers, not as text.
TEST(MavenViewTest, VersionsAscendNumerically) {
  Files files;
  for (std::string_view version : {"1.10", "1.9", "1.2", "10.0", "4.1.100.Final", "4.1.9.Final"}) {
    AddAgent(files, version);
  }
  const std::string xml = Document(kAgentMetadata, files);
  EXPECT_EQ(VersionsOf(xml), (std::vector<std::string>{"1.2", "1.9", "1.10", "4.1.9.Final",
                                                       "4.1.100.Final", "10.0"}));
  EXPECT_EQ(Elements(xml, "latest"), std::vector<std::string>{"10.0"});
}

// Versions with qualifiers follow the Maven format's version order, the one scopes compare
// with, whatever order the files came in; latest and release are its highest.
TEST(MavenViewTest, QualifiersFollowTheFormatsOrder) {
  const std::vector<std::string_view> given = {"1.0-RC1",        "1.0",     "1.0-alpha-10",
                                               "1.0-alpha-2",    "0.9",     "1.0-beta",
                                               "1.0.1-SNAPSHOT", "1.0-jre", "1.0-android"};
  Files files;
  for (std::string_view version : given) AddAgent(files, version);
  std::vector<std::string> expected(given.begin(), given.end());
  std::sort(expected.begin(), expected.end(), [](std::string_view a, std::string_view b) {
    return CompareVersions(PackageFormat::kMaven, a, b) < 0;
  });
  const std::string xml = Document(kAgentMetadata, files);
  EXPECT_EQ(VersionsOf(xml), expected);
  EXPECT_EQ(Elements(xml, "latest"), std::vector<std::string>{expected.back()});
  const auto release = std::find_if(expected.rbegin(), expected.rend(),
                                    [](std::string_view v) { return !v.ends_with("SNAPSHOT"); });
  EXPECT_EQ(Elements(xml, "release"), std::vector<std::string>{*release});
  // Numbers before qualifiers, alpha-2 before alpha-10.
  const auto position = [&](std::string_view v) {
    return std::find(expected.begin(), expected.end(), v) - expected.begin();
  };
  EXPECT_LT(position("0.9"), position("1.0-alpha-2"));
  EXPECT_LT(position("1.0-alpha-2"), position("1.0-alpha-10"));
  EXPECT_LT(position("1.0-alpha-10"), position("1.0-beta"));
  EXPECT_LT(position("1.0-RC1"), position("1.0.1-SNAPSHOT"));
}

// A version with a jar, a pom and classified files is listed once.
TEST(MavenViewTest, EachVersionOnce) {
  Files files;
  AddAgent(files, "2.0.0");
  files.Add("com/acme/tools/agent/2.0.0/agent-2.0.0-sources.jar");
  files.Add("com/acme/tools/agent/2.0.0/agent-2.0.0-javadoc.jar");
  EXPECT_EQ(VersionsOf(Document(kAgentMetadata, files)), std::vector<std::string>{"2.0.0"});
}

// Each checksum file is the hex digest of exactly the XML served for the same files.
TEST(MavenViewTest, ChecksumsAreDigestsOfTheXml) {
  Files files;
  AddAgent(files, "1.0.0");
  AddAgent(files, "2.0.0");
  const std::string xml = Document(kAgentMetadata, files);
  const struct {
    std::string_view suffix;
    MessageDigest::Algorithm algorithm;
  } checksums[] = {{".md5", MessageDigest::Algorithm::kMd5},
                   {".sha1", MessageDigest::Algorithm::kSha1},
                   {".sha256", MessageDigest::Algorithm::kSha256},
                   {".sha512", MessageDigest::Algorithm::kSha512}};
  for (const auto& checksum : checksums) {
    SCOPED_TRACE(checksum.suffix);
    const ViewAnswer answer =
        Ask(std::string(kAgentMetadata) + std::string(checksum.suffix), files);
    ASSERT_EQ(answer.kind, ViewAnswer::Kind::kDocument);
    EXPECT_EQ(answer.content_type, "text/plain; charset=utf-8");
    EXPECT_EQ(answer.body, HexDigestOf(checksum.algorithm, xml));
  }
}

// A narrower scope gives another document, and checksums of that one.
TEST(MavenViewTest, ChecksumsFollowTheScope) {
  Files all;
  AddAgent(all, "1.0.0");
  AddAgent(all, "2.0.0");
  Files fewer;
  AddAgent(fewer, "1.0.0");
  const std::string sha1 = std::string(kAgentMetadata) + ".sha1";
  EXPECT_NE(Document(sha1, all), Document(sha1, fewer));
  EXPECT_EQ(Document(sha1, fewer),
            HexDigestOf(MessageDigest::Algorithm::kSha1, Document(kAgentMetadata, fewer)));
}

// Deep groups are dotted; a one-folder group is itself.
TEST(MavenViewTest, GroupPaths) {
  Files files;
  files.Add("com/example/platform/tools/cli/agent/1.0/agent-1.0.jar");
  files.Add("junit/junit/4.13.2/junit-4.13.2.jar");
  EXPECT_EQ(Elements(Document("com/example/platform/tools/cli/agent/maven-metadata.xml", files),
                     "groupId"),
            std::vector<std::string>{"com.example.platform.tools.cli"});
  const std::string junit = Document("junit/junit/maven-metadata.xml", files);
  EXPECT_EQ(Elements(junit, "groupId"), std::vector<std::string>{"junit"});
  EXPECT_EQ(Elements(junit, "artifactId"), std::vector<std::string>{"junit"});
  EXPECT_EQ(VersionsOf(junit), std::vector<std::string>{"4.13.2"});
}

// Only the files under the requested group and artifact folders count: not another group's
// artifact of the same name, not an artifact whose name starts the same, not a group whose
// folder name holds the dots.
TEST(MavenViewTest, OnlyThatArtifactsFiles) {
  Files files;
  AddAgent(files, "1.0.0");
  files.Add("com/acme/other/agent/9.0/agent-9.0.jar");
  files.Add("com/acme/tools/agent-cli/8.0/agent-cli-8.0.jar");
  files.Add("com.acme.tools/agent/7.0/agent-7.0.jar");
  files.Add("com/acme/tools/agent/sub/agent/6.0/agent-6.0.jar");
  EXPECT_EQ(VersionsOf(Document(kAgentMetadata, files)), std::vector<std::string>{"1.0.0"});
}

// Without an in-scope version there is no metadata, and never the repository's own file.
TEST(MavenViewTest, NoVersionIsNotFound) {
  Files none;
  EXPECT_EQ(Ask(kAgentMetadata, none).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask(std::string(kAgentMetadata) + ".sha1", none).kind, ViewAnswer::Kind::kNotFound);
  Files elsewhere;
  elsewhere.Add("com/acme/tools/agent-cli/1.0/agent-cli-1.0.jar");
  elsewhere.Add("org/acme/tools/agent/1.0/agent-1.0.jar");
  EXPECT_EQ(Ask(kAgentMetadata, elsewhere).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("acme/tools/agent/maven-metadata.xml", elsewhere).kind,
            ViewAnswer::Kind::kNotFound);
}

constexpr std::string_view kSnapshotMetadata =
    "com/acme/tools/agent/2.1.0-SNAPSHOT/maven-metadata.xml";

// A SNAPSHOT version's own metadata (one folder deeper) names the newest in-scope build of each
// classifier and extension, and as the snapshot the newest build with a pom (Gradle fetches
// the pom and every artifact of that one build).
TEST(MavenViewTest, SnapshotVersionMetadata) {
  constexpr std::string_view kFolder = "com/acme/tools/agent/2.1.0-SNAPSHOT/";
  Files files;
  AddAgent(files, "2.0.0");
  for (std::string_view name :
       {"agent-2.1.0-20240305.060708-1.jar", "agent-2.1.0-20240305.060708-1.pom",
        "agent-2.1.0-20240305.060708-2.jar", "agent-2.1.0-20240305.060708-10.jar",
        "agent-2.1.0-20240305.060708-2-sources.jar", "agent-2.1.0-20240301.000000-9.pom"}) {
    files.Add(std::string(kFolder) + std::string(name), k20240305060708);
  }
  const std::string xml = Document(kSnapshotMetadata, files);
  EXPECT_TRUE(
      xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<metadata modelVersion=\"1.1.0\">\n"))
      << xml;
  EXPECT_EQ(Elements(xml, "groupId"), std::vector<std::string>{"com.acme.tools"});
  EXPECT_EQ(Elements(xml, "artifactId"), std::vector<std::string>{"agent"});
  EXPECT_EQ(Elements(xml, "version"), std::vector<std::string>{"2.1.0-SNAPSHOT"});
  // Build 1 is the newest with a pom: build 10 has only a jar.
  EXPECT_EQ(Elements(xml, "timestamp"), std::vector<std::string>{"20240305.060708"});
  EXPECT_EQ(Elements(xml, "buildNumber"), std::vector<std::string>{"1"});
  EXPECT_EQ(Elements(xml, "lastUpdated"), std::vector<std::string>{"20240305060708"});
  // Ordered by extension then classifier.
  EXPECT_EQ(Elements(xml, "extension"), (std::vector<std::string>{"jar", "jar", "pom"}));
  EXPECT_EQ(Elements(xml, "classifier"), std::vector<std::string>{"sources"});
  EXPECT_EQ(Elements(xml, "value"),
            (std::vector<std::string>{"2.1.0-20240305.060708-10", "2.1.0-20240305.060708-2",
                                      "2.1.0-20240305.060708-1"}));
  EXPECT_EQ(Document(std::string(kSnapshotMetadata) + ".sha1", files),
            HexDigestOf(MessageDigest::Algorithm::kSha1, xml));
  // Once build 10 has its pom, it is the snapshot (numbers, not text: 10 is newer than 2).
  files.Add(std::string(kFolder) + "agent-2.1.0-20240305.060708-10.pom", k20240305060708);
  EXPECT_EQ(Elements(Document(kSnapshotMetadata, files), "buildNumber"),
            std::vector<std::string>{"10"});
}

// A build whose name no XML document can carry is left out; the others are listed.
TEST(MavenViewTest, SnapshotBuildsWithUnprintableNamesStayOut) {
  constexpr std::string_view kFolder = "com/acme/tools/agent/2.1.0-SNAPSHOT/";
  Files files;
  files.Add(std::string(kFolder) + "agent-2.1.0-20240305.060708-1.jar");
  files.Add(std::string(kFolder) + "agent-2.1.0-20240305.060708-2-\x01.jar");
  files.Add(std::string(kFolder) + "agent-2.1.0-20240305.060708-3-\xff.jar");
  const std::string xml = Document(kSnapshotMetadata, files);
  EXPECT_EQ(Elements(xml, "value"), std::vector<std::string>{"2.1.0-20240305.060708-1"});
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
}

// Builds out of scope are not named: the newest in-scope one is, and with none in scope the
// document is not found (Maven then asks for the file under the SNAPSHOT name).
TEST(MavenViewTest, SnapshotVersionMetadataFollowsTheScope) {
  constexpr std::string_view kFolder = "com/acme/tools/agent/2.1.0-SNAPSHOT/";
  Files files;
  AddAgent(files, "2.0.0");
  EXPECT_EQ(Ask(kSnapshotMetadata, files).kind, ViewAnswer::Kind::kNotFound);
  files.Add(std::string(kFolder) + "agent-2.1.0-20240305.060708-1.jar");
  std::string xml = Document(kSnapshotMetadata, files);
  EXPECT_EQ(Elements(xml, "value"), std::vector<std::string>{"2.1.0-20240305.060708-1"});
  EXPECT_EQ(Elements(xml, "buildNumber"), std::vector<std::string>{"1"});
  // A release version's folder has no metadata of its own.
  EXPECT_EQ(Ask("com/acme/tools/agent/2.0.0/maven-metadata.xml", files).kind,
            ViewAnswer::Kind::kNotFound);
}

// A file deployed under the SNAPSHOT name itself is listed under that name, with no
// timestamped snapshot; a timestamped build of the same kind wins over it.
TEST(MavenViewTest, NonUniqueSnapshots) {
  constexpr std::string_view kFolder = "com/acme/tools/agent/2.1.0-SNAPSHOT/";
  Files files;
  files.Add(std::string(kFolder) + "agent-2.1.0-SNAPSHOT.jar");
  std::string xml = Document(kSnapshotMetadata, files);
  EXPECT_EQ(Elements(xml, "value"), std::vector<std::string>{"2.1.0-SNAPSHOT"});
  EXPECT_TRUE(Elements(xml, "timestamp").empty()) << xml;
  files.Add(std::string(kFolder) + "agent-2.1.0-20240305.060708-3.jar");
  xml = Document(kSnapshotMetadata, files);
  EXPECT_EQ(Elements(xml, "value"), std::vector<std::string>{"2.1.0-20240305.060708-3"});
  EXPECT_EQ(Elements(xml, "buildNumber"), std::vector<std::string>{"3"});
}

// The repository's own metadata files would list what the credential may not see: any file
// named like one that the view does not generate is not found.
TEST(MavenViewTest, OtherMetadataFilesAreNotFound) {
  Files files;
  AddAgent(files, "2.0.0");
  for (std::string_view rest : {"maven-metadata.xml", "com/maven-metadata.xml",
                                "com/acme/tools/agent/maven-metadata.xml.asc",
                                "com/acme/tools/agent/maven-metadata-central.xml",
                                "com/acme/tools/agent/2.0.0/maven-metadata-local.xml"}) {
    EXPECT_EQ(Ask(rest, files).kind, ViewAnswer::Kind::kNotFound) << rest;
  }
}

// Markup characters in names and versions are escaped in every element.
TEST(MavenViewTest, EscapesEverything) {
  Files files;
  files.Add("com/a&b/x<y>/1.0'\"&/x<y>-1.0'\"&.jar");
  const std::string xml = Document("com/a&b/x<y>/maven-metadata.xml", files);
  EXPECT_EQ(Elements(xml, "groupId"), std::vector<std::string>{"com.a&amp;b"});
  EXPECT_EQ(Elements(xml, "artifactId"), std::vector<std::string>{"x&lt;y&gt;"});
  EXPECT_EQ(VersionsOf(xml), std::vector<std::string>{"1.0&#39;&quot;&amp;"});
  EXPECT_EQ(Elements(xml, "latest"), std::vector<std::string>{"1.0&#39;&quot;&amp;"});
  EXPECT_EQ(xml.find("<y"), std::string::npos) << xml;
}

// Bytes no XML document can carry (control characters, broken UTF-8) never reach one: such a
// version is left out, such a group or artifact has no metadata.
TEST(MavenViewTest, UnrepresentableNamesStayOut) {
  Files files;
  AddAgent(files, "1.0.0");
  files.Add("com/acme/tools/agent/2.0\x01/agent-2.0\x01.jar");
  files.Add("com/acme/tools/agent/3.0\xff/agent-3.0\xff.jar");
  files.Add("com/acme/tools/agent/4.0\xc2\x85/agent-4.0\xc2\x85.jar");
  EXPECT_EQ(VersionsOf(Document(kAgentMetadata, files)), std::vector<std::string>{"1.0.0"});
  files.Add("com/ac\xffme/agent/1.0/agent-1.0.jar");
  files.Add(
      "com/acme/ag\x1b"
      "ent/1.0/ag\x1b"
      "ent-1.0.jar");
  EXPECT_EQ(Ask("com/ac\xffme/agent/maven-metadata.xml", files).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("com/acme/ag\x1b"
                "ent/maven-metadata.xml",
                files)
                .kind,
            ViewAnswer::Kind::kNotFound);
}

// Non-ASCII names that are proper UTF-8 are kept as they are.
TEST(MavenViewTest, KeepsUtf8Names) {
  Files files;
  files.Add("de/bücher/werkzeug/1.0-ä/werkzeug-1.0-ä.jar");
  const std::string xml = Document("de/bücher/werkzeug/maven-metadata.xml", files);
  EXPECT_EQ(Elements(xml, "groupId"), std::vector<std::string>{"de.bücher"});
  EXPECT_EQ(VersionsOf(xml), std::vector<std::string>{"1.0-ä"});
}

}  // namespace
}  // namespace tollgate::formats
