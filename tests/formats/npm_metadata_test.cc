// Tests of reading an npm tarball's package.json: where it is looked for, what is kept, and
// that damaged or hostile tarballs are refused with InvalidArgument, never a crash.
#include "npm/npm_metadata.h"

#include <cstdint>
#include <string>
#include <vector>

#include "archive_builder.h"
#include "gtest/gtest.h"
#include "tollgate/formats/registry.h"

namespace tollgate::formats {
namespace {

using testing::MemorySource;

// A tar of `members`, gzip-compressed (as npm pack writes it) unless `gzip` is false.
std::string MakeTar(const testing::ArchiveMembers& members, bool gzip = true) {
  return testing::BuildArchive(gzip ? testing::ArchiveKind::kTarGz : testing::ArchiveKind::kTar,
                               members);
}

absl::StatusOr<std::string> Read(const std::string& bytes) {
  return ReadNpmMetadata(MemorySource(bytes));
}

void ExpectInvalid(const std::string& bytes) {
  const absl::StatusOr<std::string> metadata = Read(bytes);
  ASSERT_FALSE(metadata.ok()) << *metadata;
  EXPECT_EQ(metadata.status().code(), absl::StatusCode::kInvalidArgument) << metadata.status();
}

// `package/package.json` is read and kept as compact JSON.
TEST(NpmMetadataTest, ReadsPackageJsonUnderPackage) {
  const std::string tarball = MakeTar({
      {"package/index.js", "module.exports = 1;\n"},
      {"package/package.json",
       "{\n  \"name\": \"@acme/agent\",\n  \"version\": \"2.0.0\",\n"
       "  \"dependencies\": {\"left-pad\": \"^1.3.0\"}\n}\n"},
  });
  EXPECT_EQ(*Read(tarball),
            R"({"name":"@acme/agent","version":"2.0.0","dependencies":{"left-pad":"^1.3.0"}})");
}

// The npm format's ReadMetadata is this reader, whatever the tarball's path.
TEST(NpmMetadataTest, IsTheNpmFormatsMetadata) {
  const std::string tarball = MakeTar({{"package/package.json", R"({"name":"agent"})"}});
  const PackageIdentity identity = *IdentifyPackage("agent/-/agent-1.0.0.tgz");
  EXPECT_EQ(*FormatOf(PackageFormat::kNpm)
                 .ReadMetadata("agent/-/agent-1.0.0.tgz", identity, MemorySource(tarball)),
            R"({"name":"agent"})");
}

// npm strips the first path component, so any single top-level folder holds package.json.
TEST(NpmMetadataTest, AcceptsAnyTopLevelFolder) {
  EXPECT_EQ(*Read(MakeTar({{"agent-1.0.0/package.json", R"({"a":1})"}})), R"({"a":1})");
  EXPECT_EQ(*Read(MakeTar({{"./package/package.json", R"({"b":2})"}})), R"({"b":2})");
}

// A dependency's package.json deeper in the tarball is not the package's.
TEST(NpmMetadataTest, IgnoresNestedPackageJson) {
  EXPECT_EQ(*Read(MakeTar({
                {"package/node_modules/dep/package.json", R"({"name":"dep"})"},
                {"package/package.json", R"({"name":"agent"})"},
            })),
            R"({"name":"agent"})");
  ExpectInvalid(MakeTar({{"package/node_modules/dep/package.json", R"({"name":"dep"})"}}));
  ExpectInvalid(MakeTar({{"package.json", R"({"name":"top"})"}}));
}

// The readme, which npm keeps beside the versions rather than in them, is dropped.
TEST(NpmMetadataTest, DropsReadme) {
  const std::string readme(100000, 'r');
  const std::string tarball =
      MakeTar({{"package/package.json",
                R"({"name":"agent","readme":")" + readme + R"(","readmeFilename":"README.md"})"}});
  EXPECT_EQ(*Read(tarball), R"({"name":"agent","readmeFilename":"README.md"})");
}

// What is kept is at most 64 KiB: a bigger package.json is kept as the fields installing needs,
// and one whose install fields alone are bigger is refused.
TEST(NpmMetadataTest, BigPackageJsonKeepsItsInstallFields) {
  const std::string big_description(70000, 'd');
  const std::string tarball =
      MakeTar({{"package/package.json",
                R"({"name":"agent","version":"1.0.0","description":")" + big_description +
                    R"(","dependencies":{"left-pad":"^1.0.0"},"bin":"cli.js"})"}});
  EXPECT_EQ(*Read(tarball),
            R"({"name":"agent","version":"1.0.0","dependencies":{"left-pad":"^1.0.0"},)"
            R"("bin":"cli.js"})");
  std::string dependencies;
  for (int i = 0; i < 5000; ++i)
    dependencies += R"("dependency-)" + std::to_string(i) + R"(":"1",)";
  dependencies.pop_back();
  ExpectInvalid(MakeTar(
      {{"package/package.json", R"({"name":"agent","dependencies":{)" + dependencies + "}}"}}));
}

// A tarball without package.json is no npm package.
TEST(NpmMetadataTest, MissingPackageJsonIsInvalid) {
  ExpectInvalid(MakeTar({{"package/index.js", "1;\n"}}));
  ExpectInvalid(MakeTar({}));
}

// npm tarballs are gzip-compressed; anything else is refused before libarchive reads it.
TEST(NpmMetadataTest, NotGzipIsInvalid) {
  ExpectInvalid("");
  ExpectInvalid("\x1f");
  ExpectInvalid("not a tarball at all, just text");
  ExpectInvalid(MakeTar({{"package/package.json", R"({"name":"agent"})"}}, /*gzip=*/false));
}

// Letters that do not compress, so that cutting a tarball in half cuts its package.json.
std::string Incompressible(size_t size) {
  std::string text(size, 'a');
  uint32_t state = 12345;
  for (char& c : text) {
    state = state * 1103515245 + 12345;
    c = static_cast<char>('a' + (state >> 16) % 26);
  }
  return text;
}

// gzip whose content is not a tar, and a tarball cut short, are damaged.
TEST(NpmMetadataTest, DamagedTarballsAreInvalid) {
  ExpectInvalid(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", 17));
  const std::string tarball = MakeTar(
      {{"package/package.json", R"({"description":")" + Incompressible(32 * 1024) + R"("})"}});
  for (size_t cut : {size_t{10}, size_t{100}, tarball.size() / 2}) {
    SCOPED_TRACE(cut);
    ExpectInvalid(tarball.substr(0, cut));
  }
}

// A package.json over 1 MiB is refused, also when it compresses to almost nothing.
TEST(NpmMetadataTest, HugePackageJsonIsInvalid) {
  const std::string huge = R"({"description":")" + std::string((1 << 20) + 1, 'a') + R"("})";
  ExpectInvalid(MakeTar({{"package/package.json", huge}}));
  // 16 MiB of spaces, about 16 KiB compressed: reading stops after the first MiB.
  const std::string tarball =
      MakeTar({{"package/package.json", "{" + std::string(16 << 20, ' ') + "}"}});
  ASSERT_LT(tarball.size(), 1u << 20);
  ExpectInvalid(tarball);
}

// package.json must be a JSON object, in UTF-8, nested no deeper than Boost.JSON allows.
TEST(NpmMetadataTest, PackageJsonThatIsNoJsonObjectIsInvalid) {
  for (const std::string& json : std::vector<std::string>{
           "[1,2]", "\"agent\"", "null", "42", "", "{\"name\":", "{} {}", "{\"name\":\"\xff\xfe\"}",
           "{\"a\":" + std::string(1000, '[') + std::string(1000, ']') + "}"}) {
    SCOPED_TRACE(json.substr(0, 40));
    ExpectInvalid(MakeTar({{"package/package.json", json}}));
  }
}

}  // namespace
}  // namespace tollgate::formats
