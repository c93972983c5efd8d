// Tests of the Python view and the metadata it reads: PEP 503 pages, PEP 691 JSON, the 301 to
// the normalised name, Requires-Python from wheels and sdists, and hostile text escaped.
#include "python/python_view.h"

#include <string>
#include <vector>

#include "archive_builder.h"
#include "boost/json.hpp"
#include "gtest/gtest.h"
#include "python/python_metadata.h"

namespace tollgate::formats {
namespace {

using testing::ArchiveKind;
using testing::BuildArchive;
using testing::MemorySource;

constexpr std::string_view kViewUrl = "https://dl.example/basic/acme/agents/-/pypi/";
constexpr std::string_view kFilesUrl = "https://dl.example/basic/acme/agents/";

PackageFile Wheel(std::string name, std::string version, std::string metadata = "") {
  PackageFile file;
  file.path = "py/" + name + "-" + version + "-py3-none-any.whl";
  file.identity = PackageIdentity{PackageFormat::kPython, name, version, "", ""};
  file.sha256 = std::string(64, 'a');
  file.metadata = std::move(metadata);
  return file;
}

class PythonViewTest : public ::testing::Test {
 protected:
  ViewAnswer Ask(std::string_view rest, bool is_folder, std::string_view accept = "") {
    std::vector<const PackageFile*> pointers;
    for (const PackageFile& file : files_) pointers.push_back(&file);
    ViewRequest request{.rest = rest,
                        .is_folder = is_folder,
                        .variant = PythonView().Variant(accept),
                        .view_url = kViewUrl,
                        .files_url = kFilesUrl,
                        .files = pointers,
                        .signer = nullptr};
    absl::StatusOr<ViewAnswer> answer = PythonView().Answer(request);
    EXPECT_TRUE(answer.ok());
    return answer.value_or(ViewAnswer::NotFound());
  }

  std::vector<PackageFile> files_ = {Wheel("acme-agent", "1.0", R"({"requires_python":">=3.8"})"),
                                     Wheel("acme-agent", "2.0"), Wheel("other", "0.1")};
};

TEST_F(PythonViewTest, RootListsEveryProjectOnce) {
  const ViewAnswer answer = Ask("simple", true);
  ASSERT_EQ(answer.kind, ViewAnswer::Kind::kDocument);
  EXPECT_NE(answer.body.find(R"(<a href="acme-agent/">acme-agent</a>)"), std::string::npos);
  EXPECT_NE(answer.body.find(R"(<a href="other/">other</a>)"), std::string::npos);
  EXPECT_EQ(answer.body.find("acme-agent/", answer.body.find("acme-agent/") + 30),
            std::string::npos);
}

TEST_F(PythonViewTest, ProjectPageLinksEachFileWithItsHashAndRequiresPython) {
  const ViewAnswer answer = Ask("simple/acme-agent", true);
  ASSERT_EQ(answer.kind, ViewAnswer::Kind::kDocument);
  EXPECT_EQ(answer.content_type, "text/html; charset=utf-8");
  EXPECT_NE(answer.body.find("https://dl.example/basic/acme/agents/py/"
                             "acme-agent-1.0-py3-none-any.whl#sha256=" +
                             std::string(64, 'a') + R"(" data-requires-python="&gt;=3.8">)"),
            std::string::npos)
      << answer.body;
  EXPECT_NE(answer.body.find("acme-agent-2.0-py3-none-any.whl#sha256="), std::string::npos);
  EXPECT_EQ(answer.body.find("other-0.1"), std::string::npos);
}

TEST_F(PythonViewTest, Pep691JsonWhenPreferred) {
  const ViewAnswer answer =
      Ask("simple/acme-agent", true,
          "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.1, "
          "text/html;q=0.01");
  ASSERT_EQ(answer.kind, ViewAnswer::Kind::kDocument);
  EXPECT_EQ(answer.content_type, "application/vnd.pypi.simple.v1+json");
  const boost::json::value page = boost::json::parse(answer.body);
  EXPECT_EQ(page.at("name").as_string(), "acme-agent");
  ASSERT_EQ(page.at("files").as_array().size(), 2u);
  EXPECT_EQ(page.at("files").at(0).at("requires-python").as_string(), ">=3.8");
  EXPECT_EQ(page.at("files").at(0).at("hashes").at("sha256").as_string(), std::string(64, 'a'));
}

TEST_F(PythonViewTest, HtmlWhenJsonIsNotPreferred) {
  for (std::string_view accept :
       {"", "text/html", "application/vnd.pypi.simple.v1+json;q=0, text/html",
        "application/vnd.pypi.simple.v1+json;q=0.2, application/vnd.pypi.simple.v1+html"}) {
    EXPECT_EQ(Ask("simple/acme-agent", true, accept).content_type, "text/html; charset=utf-8")
        << accept;
  }
}

TEST_F(PythonViewTest, NonNormalisedNameRedirectsToTheNormalisedOne) {
  const ViewAnswer answer = Ask("simple/Acme_Agent", true);
  ASSERT_EQ(answer.kind, ViewAnswer::Kind::kRedirect);
  EXPECT_EQ(answer.target, "https://dl.example/basic/acme/agents/-/pypi/simple/acme-agent/");
  EXPECT_EQ(Ask("simple/acme-agent", false).kind, ViewAnswer::Kind::kRedirect);
  EXPECT_EQ(Ask("simple", false).kind, ViewAnswer::Kind::kRedirect);
}

TEST_F(PythonViewTest, UnknownProjectsAndPathsAreNotFound) {
  EXPECT_EQ(Ask("simple/nothing-here", true).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("simple/a/b", true).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("elsewhere", true).kind, ViewAnswer::Kind::kNotFound);
}

TEST_F(PythonViewTest, HostileRequiresPythonIsEscaped) {
  files_ = {Wheel("acme-agent", "1.0", R"({"requires_python":"\"><script>x</script>"})")};
  const ViewAnswer answer = Ask("simple/acme-agent", true);
  EXPECT_EQ(answer.body.find("<script>"), std::string::npos);
  EXPECT_NE(answer.body.find("&quot;&gt;&lt;script&gt;"), std::string::npos);
}

TEST(PythonMetadataTest, RequiresPythonFromAWheel) {
  const MemorySource wheel(
      BuildArchive(ArchiveKind::kZip, {{"agent/__init__.py", ""},
                                       {"agent-1.0.dist-info/METADATA",
                                        "Metadata-Version: 2.1\nName: agent\nVersion: 1.0\n"
                                        "Requires-Python: >=3.9, <4\n\nLong description\n"}}));
  absl::StatusOr<std::string> metadata = ReadPythonMetadata("agent-1.0-py3-none-any.whl", wheel);
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(*metadata, R"({"requires_python":">=3.9, <4"})");
}

TEST(PythonMetadataTest, RequiresPythonFromAnSdist) {
  const MemorySource sdist(BuildArchive(
      ArchiveKind::kTarGz,
      {{"agent-1.0/setup.py", ""},
       {"agent-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: agent\nRequires-Python: >=3.7\n"}}));
  absl::StatusOr<std::string> metadata = ReadPythonMetadata("agent-1.0.tar.gz", sdist);
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(*metadata, R"({"requires_python":">=3.7"})");
}

TEST(PythonMetadataTest, NoRequiresPythonGivesAnEmptyObject) {
  const MemorySource wheel(BuildArchive(
      ArchiveKind::kZip, {{"agent-1.0.dist-info/METADATA", "Name: agent\nVersion: 1.0\n"}}));
  EXPECT_EQ(ReadPythonMetadata("agent-1.0-py3-none-any.whl", wheel).value_or(""), "{}");
}

// A METADATA nested deeper than the .dist-info folder is not the wheel's.
TEST(PythonMetadataTest, OnlyTheTopLevelDistInfoCounts) {
  const MemorySource wheel(BuildArchive(
      ArchiveKind::kZip, {{"vendored/x-1.0.dist-info/METADATA", "Requires-Python: >=2.0\n"},
                          {"agent-1.0.dist-info/METADATA", "Requires-Python: >=3.10\n"}}));
  EXPECT_EQ(ReadPythonMetadata("agent-1.0-py3-none-any.whl", wheel).value_or(""),
            R"({"requires_python":">=3.10"})");
}

TEST(PythonMetadataTest, OversizedOrControlCharacterSpecifierIsLeftOut) {
  for (const std::string& specifier : {std::string(2000, '>'), std::string(">=3.8\x01")}) {
    const MemorySource wheel(BuildArchive(
        ArchiveKind::kZip,
        {{"agent-1.0.dist-info/METADATA", "Name: agent\nRequires-Python: " + specifier + "\n"}}));
    EXPECT_EQ(ReadPythonMetadata("agent-1.0-py3-none-any.whl", wheel).value_or(""), "{}");
  }
}

TEST(PythonMetadataTest, NotAnArchiveIsRefused) {
  const MemorySource junk(std::string("PK\x03\x04 broken", 11));
  EXPECT_FALSE(ReadPythonMetadata("agent-1.0-py3-none-any.whl", junk).ok());
}

}  // namespace
}  // namespace tollgate::formats
