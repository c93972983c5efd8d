// Tests of the npm view: which paths are packuments and which are repository files, the
// packument's shape, dist-tags.latest, tarball URLs and digests, and what a package.json
// cannot change.
#include "npm/npm_view.h"

#include <string>
#include <vector>

#include "boost/json.hpp"
#include "gtest/gtest.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

namespace json = boost::json;

constexpr std::string_view kViewUrl = "https://dl.example/basic/acme/agents/-/npm/";
// The digests of the empty file, and sha512's in the base64 an integrity string carries.
constexpr std::string_view kEmptySha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
constexpr std::string_view kEmptySha512 =
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
constexpr std::string_view kEmptyIntegrity =
    "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/"
    "SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==";

// A catalog entry for the npm tarball at `path`, with the empty file's digests.
PackageFile Tarball(std::string path, std::string metadata = "", int64_t recorded = 0) {
  PackageFile file;
  file.identity = *IdentifyPackage(path);
  file.path = std::move(path);
  file.sha1 = kEmptySha1;
  file.sha512 = kEmptySha512;
  file.metadata = std::move(metadata);
  file.recorded_unix_micros = recorded;
  return file;
}

// The view's answer to `rest` when the credential may see `files`.
ViewAnswer Ask(std::string_view rest, const std::vector<PackageFile>& files,
               bool is_folder = false) {
  std::vector<const PackageFile*> pointers;
  for (const PackageFile& file : files) pointers.push_back(&file);
  const ViewRequest request{.rest = rest,
                            .is_folder = is_folder,
                            .variant = "",
                            .view_url = kViewUrl,
                            .files_url = "https://dl.example/basic/acme/agents/",
                            .files = pointers,
                            .signer = nullptr};
  return *NpmView().Answer(request);
}

// The packument for `name`, parsed.
json::object Packument(std::string_view name, const std::vector<PackageFile>& files) {
  const ViewAnswer answer = Ask(name, files);
  EXPECT_EQ(answer.kind, ViewAnswer::Kind::kDocument);
  EXPECT_EQ(answer.content_type, "application/json");
  return json::parse(answer.body).as_object();
}

std::vector<std::string> VersionsOf(const json::object& packument) {
  std::vector<std::string> versions;
  for (const auto& field : packument.at("versions").as_object()) {
    versions.emplace_back(field.key());
  }
  return versions;
}

std::string LatestOf(const json::object& packument) {
  return std::string(packument.at("dist-tags").at("latest").as_string());
}

// The view is registered under "npm" and lists npm files.
TEST(NpmViewTest, IsRegistered) {
  ASSERT_EQ(FindView("npm"), &NpmView());
  EXPECT_EQ(NpmView().format(), PackageFormat::kNpm);
}

// Package names, plain and scoped, are packuments: they need the in-scope files.
TEST(NpmViewTest, PackageNamesNeedFiles) {
  for (std::string_view name : {"agent", "@acme/agent", "left-pad", "@a/b", "-"}) {
    EXPECT_TRUE(NpmView().NeedsFiles(name, false)) << name;
  }
  for (std::string_view rest : {"", "@acme/agent/-/agent-1.0.0.tgz", "agent/-/agent-1.0.0.tgz",
                                "a/b", "@/b", "-/ping", "@acme/agent/extra"}) {
    EXPECT_FALSE(NpmView().NeedsFiles(rest, false)) << rest;
  }
  EXPECT_FALSE(NpmView().NeedsFiles("agent", true));
  EXPECT_FALSE(NpmView().NeedsFiles("@acme/agent", true));
}

// Any other path is the repository file at that path, served as an ordinary download.
TEST(NpmViewTest, OtherPathsAreRepositoryFiles) {
  for (std::string_view rest :
       {"@acme/agent/-/agent-1.0.0.tgz", "agent/-/agent-1.0.0.tgz", "docs/readme.txt"}) {
    const ViewAnswer answer = Ask(rest, {});
    EXPECT_EQ(answer.kind, ViewAnswer::Kind::kRepositoryFile) << rest;
    EXPECT_EQ(answer.target, rest);
  }
}

// Folders, the registry root and npm's own "-/" endpoints are not offered.
TEST(NpmViewTest, FoldersAndRegistryEndpointsAreNotFound) {
  EXPECT_EQ(Ask("", {}, true).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("", {}).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("docs", {}, true).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("-/ping", {}).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("-/v1/search", {}).kind, ViewAnswer::Kind::kNotFound);
}

// A package with no in-scope version is 404, which npm reads as "no such package".
TEST(NpmViewTest, NoVersionIsNotFound) {
  EXPECT_EQ(Ask("@acme/agent", {}).kind, ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("@acme/agent", {Tarball("agent/-/agent-1.0.0.tgz")}).kind,
            ViewAnswer::Kind::kNotFound);
  EXPECT_EQ(Ask("agent", {Tarball("@acme/agent/-/agent-1.0.0.tgz")}).kind,
            ViewAnswer::Kind::kNotFound);
}

// The packument: _id, name, dist-tags, versions with their package.json and dist, and time.
TEST(NpmViewTest, PackumentShape) {
  const json::object packument =
      Packument("@acme/agent", {Tarball("@acme/agent/-/agent-1.0.0.tgz",
                                        R"({"name":"@acme/agent","version":"1.0.0",)"
                                        R"("description":"The agent","bin":{"agent":"a.js"}})",
                                        1714564800123456)});
  EXPECT_EQ(json::value(packument), json::parse(R"({
      "_id": "@acme/agent",
      "name": "@acme/agent",
      "dist-tags": {"latest": "1.0.0"},
      "versions": {"1.0.0": {
        "name": "@acme/agent", "version": "1.0.0", "description": "The agent",
        "bin": {"agent": "a.js"}, "_id": "@acme/agent@1.0.0",
        "dist": {
          "tarball": "https://dl.example/basic/acme/agents/-/npm/%40acme/agent/-/agent-1.0.0.tgz",
          "shasum": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
          "integrity": "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
        }}},
      "time": {"1.0.0": "2024-05-01T12:00:00.123Z",
               "created": "2024-05-01T12:00:00.123Z",
               "modified": "2024-05-01T12:00:00.123Z"}
    })"));
}

// Only the files handed to the view (those in the credential's scope) are listed, and only
// those of the package asked for.
TEST(NpmViewTest, ListsOnlyTheInScopeVersionsOfThePackage) {
  const json::object packument =
      Packument("@acme/agent",
                {Tarball("@acme/agent/-/agent-1.0.0.tgz"), Tarball("@acme/agent/-/agent-2.0.0.tgz"),
                 Tarball("@acme/tools/-/tools-9.0.0.tgz"), Tarball("agent/-/agent-5.0.0.tgz")});
  EXPECT_EQ(VersionsOf(packument), (std::vector<std::string>{"1.0.0", "2.0.0"}));
  EXPECT_EQ(LatestOf(packument), "2.0.0");
}

// latest is the highest release by SemVer, not by text; pre-releases do not count …
TEST(NpmViewTest, LatestIsTheHighestRelease) {
  const json::object packument = Packument(
      "agent", {Tarball("agent/-/agent-10.0.0-rc.1.tgz"), Tarball("agent/-/agent-9.0.0.tgz"),
                Tarball("agent/-/agent-10.0.0-beta.tgz"), Tarball("agent/-/agent-1.0.0.tgz")});
  EXPECT_EQ(LatestOf(packument), "9.0.0");
  EXPECT_EQ(VersionsOf(packument),
            (std::vector<std::string>{"1.0.0", "9.0.0", "10.0.0-beta", "10.0.0-rc.1"}));
}

// … unless there is no release at all.
TEST(NpmViewTest, LatestIsTheHighestPrereleaseWithoutARelease) {
  EXPECT_EQ(LatestOf(Packument("agent", {Tarball("agent/-/agent-2.0.0-rc.1.tgz"),
                                         Tarball("agent/-/agent-2.0.0-rc.10.tgz"),
                                         Tarball("agent/-/agent-2.0.0-beta.tgz")})),
            "2.0.0-rc.10");
}

// Narrowing the scope moves latest down with it.
TEST(NpmViewTest, LatestFollowsTheScope) {
  const std::vector<PackageFile> in_scope = {Tarball("@acme/agent/-/agent-1.0.0.tgz"),
                                             Tarball("@acme/agent/-/agent-2.0.0.tgz")};
  const json::object packument = Packument("@acme/agent", in_scope);
  EXPECT_EQ(LatestOf(packument), "2.0.0");
  EXPECT_FALSE(packument.at("versions").as_object().contains("3.0.0"));
}

// Tarball URLs are the view's URL and the percent-encoded repository path, so they stay
// below the registry URL whatever the path holds.
TEST(NpmViewTest, TarballUrlsArePercentEncodedUnderTheRegistry) {
  const json::object packument =
      Packument("agent", {Tarball("vendor dir/agent/-/agent-1.0.0+build.5.tgz")});
  EXPECT_EQ(packument.at("versions").at("1.0.0+build.5").at("dist").at("tarball").as_string(),
            "https://dl.example/basic/acme/agents/-/npm/vendor%20dir/agent/-/"
            "agent-1.0.0%2Bbuild.5.tgz");
}

// integrity is sha512 in base64, shasum the sha1 in hex; digests the catalog lacks are left out.
TEST(NpmViewTest, DigestsOfTheCatalog) {
  PackageFile without = Tarball("agent/-/agent-2.0.0.tgz");
  without.sha1.clear();
  without.sha512 = "not hex";
  const json::object packument =
      Packument("agent", {Tarball("agent/-/agent-1.0.0.tgz"), std::move(without)});
  const json::object& versions = packument.at("versions").as_object();
  EXPECT_EQ(versions.at("1.0.0").at("dist").at("integrity").as_string(), kEmptyIntegrity);
  EXPECT_EQ(versions.at("1.0.0").at("dist").at("shasum").as_string(), kEmptySha1);
  const json::object& dist = versions.at("2.0.0").at("dist").as_object();
  EXPECT_FALSE(dist.contains("integrity"));
  EXPECT_FALSE(dist.contains("shasum"));
  EXPECT_TRUE(dist.contains("tarball"));
}

// A package.json cannot change the identity, dist, the registry's underscore fields, or
// the packument around its own version.
TEST(NpmViewTest, PackageJsonCannotOverrideTheRegistry) {
  const json::object packument =
      Packument("@acme/agent",
                {Tarball("@acme/agent/-/agent-1.0.0.tgz",
                         R"({"name":"evil","version":"9.9.9","_id":"evil@9.9.9",)"
                         R"("_resolved":"https://evil.example/x.tgz","_integrity":"sha512-AAAA",)"
                         R"("_hasShrinkwrap":true,"dist":{"tarball":"https://evil.example/x.tgz"},)"
                         R"("versions":{"6.6.6":{}},"dist-tags":{"latest":"6.6.6"},)"
                         R"("dependencies":{"dep":"^1.0.0"}})")});
  EXPECT_EQ(VersionsOf(packument), std::vector<std::string>{"1.0.0"});
  EXPECT_EQ(LatestOf(packument), "1.0.0");
  const json::object& version = packument.at("versions").at("1.0.0").as_object();
  EXPECT_EQ(version.at("name").as_string(), "@acme/agent");
  EXPECT_EQ(version.at("version").as_string(), "1.0.0");
  EXPECT_EQ(version.at("_id").as_string(), "@acme/agent@1.0.0");
  EXPECT_FALSE(version.contains("_resolved"));
  EXPECT_FALSE(version.contains("_integrity"));
  EXPECT_FALSE(version.contains("_hasShrinkwrap"));
  EXPECT_EQ(version.at("dist").at("tarball").as_string(),
            "https://dl.example/basic/acme/agents/-/npm/%40acme/agent/-/agent-1.0.0.tgz");
  EXPECT_EQ(version.at("dependencies").at("dep").as_string(), "^1.0.0");
}

// Text from a package.json is carried as JSON data, never as markup of the document.
TEST(NpmViewTest, HostileTextStaysData) {
  const std::string description = "\"},\"versions\":{\"6.6.6\":{}}<script>\u2028";
  const json::object metadata{{"description", description}};
  const json::object packument =
      Packument("agent", {Tarball("agent/-/agent-1.0.0.tgz", json::serialize(metadata))});
  EXPECT_EQ(VersionsOf(packument), std::vector<std::string>{"1.0.0"});
  EXPECT_EQ(packument.at("versions").at("1.0.0").at("description").as_string(), description);
}

// A version whose package.json could not be read is listed with name and version only.
TEST(NpmViewTest, UnreadableMetadataListsAMinimalVersion) {
  for (const std::string metadata : {"", "not json", "[1]"}) {
    const json::object packument =
        Packument("agent", {Tarball("agent/-/agent-1.0.0.tgz", metadata)});
    const json::object& version = packument.at("versions").at("1.0.0").as_object();
    EXPECT_EQ(version.size(), 4u) << json::serialize(version);  // name, version, _id, dist
    EXPECT_EQ(version.at("name").as_string(), "agent");
    EXPECT_EQ(version.at("_id").as_string(), "agent@1.0.0");
  }
}

// time: each version when the catalog recorded it; created the first, modified the last.
TEST(NpmViewTest, TimesAreWhenTheCatalogRecordedTheFiles) {
  const json::object packument =
      Packument("agent", {Tarball("agent/-/agent-1.0.0.tgz", "", 1000000),
                          Tarball("agent/-/agent-2.0.0.tgz", "", 86400000000)});
  const json::object& time = packument.at("time").as_object();
  EXPECT_EQ(time.at("1.0.0").as_string(), "1970-01-01T00:00:01.000Z");
  EXPECT_EQ(time.at("2.0.0").as_string(), "1970-01-02T00:00:00.000Z");
  EXPECT_EQ(time.at("created").as_string(), "1970-01-01T00:00:01.000Z");
  EXPECT_EQ(time.at("modified").as_string(), "1970-01-02T00:00:00.000Z");
}

// One version stored at several paths is listed once, from the first path.
TEST(NpmViewTest, OneEntryPerVersion) {
  const json::object packument = Packument(
      "agent", {Tarball("a/agent/-/agent-1.0.0.tgz"), Tarball("b/agent/-/agent-1.0.0.tgz")});
  EXPECT_EQ(VersionsOf(packument), std::vector<std::string>{"1.0.0"});
  EXPECT_EQ(packument.at("versions").at("1.0.0").at("dist").at("tarball").as_string(),
            "https://dl.example/basic/acme/agents/-/npm/a/agent/-/agent-1.0.0.tgz");
}

}  // namespace
}  // namespace tollgate::formats
