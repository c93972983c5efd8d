// Tests of reading one member out of an archive: the member found in each archive kind
// packages use, and hostile archives refused within their bounds.
#include "common/archive_member.h"

#include <string>

#include "archive_builder.h"
#include "gtest/gtest.h"

namespace tollgate::formats {
namespace {

using testing::ArchiveKind;
using testing::BuildArchive;
using testing::MemorySource;

MemberMatcher Named(std::string wanted) {
  return [wanted](std::string_view member) { return member == wanted; };
}

TEST(ArchiveMemberTest, FindsTheMemberInEveryKind) {
  for (ArchiveKind kind : {ArchiveKind::kZip, ArchiveKind::kTarGz, ArchiveKind::kAr}) {
    const MemorySource source(BuildArchive(kind, {{"a.txt", "first"}, {"b.txt", "second"}}));
    absl::StatusOr<std::optional<std::string>> member =
        ReadArchiveMember(source, Named("b.txt"), 1024);
    ASSERT_TRUE(member.ok()) << member.status();
    ASSERT_TRUE(member->has_value());
    EXPECT_EQ(**member, "second");
  }
}

TEST(ArchiveMemberTest, ReadsAnArchiveInMemory) {
  const std::string inner = BuildArchive(ArchiveKind::kTarGz, {{"./control", "Package: a\n"}});
  absl::StatusOr<std::optional<std::string>> member =
      ReadArchiveMember(inner, Named("./control"), 1024);
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(member->value_or(""), "Package: a\n");
}

TEST(ArchiveMemberTest, AbsentMemberIsNullopt) {
  const MemorySource source(BuildArchive(ArchiveKind::kZip, {{"a.txt", "first"}}));
  absl::StatusOr<std::optional<std::string>> member =
      ReadArchiveMember(source, Named("missing"), 1024);
  ASSERT_TRUE(member.ok());
  EXPECT_FALSE(member->has_value());
}

TEST(ArchiveMemberTest, GarbageIsRefused) {
  for (std::string bytes :
       {std::string(), std::string("not an archive at all"), std::string(4096, '\xff')}) {
    const MemorySource source(bytes);
    EXPECT_FALSE(ReadArchiveMember(source, Named("a"), 1024).ok());
  }
}

TEST(ArchiveMemberTest, TruncatedArchiveIsRefusedOrMissesTheMember) {
  std::string bytes = BuildArchive(ArchiveKind::kTarGz, {{"a.txt", std::string(100000, 'x')}});
  bytes.resize(bytes.size() / 2);
  const MemorySource source(bytes);
  absl::StatusOr<std::optional<std::string>> member =
      ReadArchiveMember(source, Named("a.txt"), 1 << 20);
  EXPECT_TRUE(!member.ok() || !member->has_value());
}

// A small archive that inflates far beyond the cap is cut at the cap, never inflated whole.
TEST(ArchiveMemberTest, InflationBeyondTheCapIsRefused) {
  const std::string bomb =
      BuildArchive(ArchiveKind::kZip, {{"METADATA", std::string(64 << 20, 0)}});
  ASSERT_LT(bomb.size(), 1u << 20);
  const MemorySource source(bomb);
  absl::StatusOr<std::optional<std::string>> member =
      ReadArchiveMember(source, Named("METADATA"), 1 << 20);
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.status().code(), absl::StatusCode::kInvalidArgument);
}

// The member looked for after more entries than the bound is not searched for.
TEST(ArchiveMemberTest, EntryCountIsBounded) {
  testing::ArchiveMembers members;
  for (int i = 0; i < kMaxArchiveEntries + 1; ++i) members.emplace_back(std::to_string(i), "");
  members.emplace_back("wanted", "x");
  const MemorySource source(BuildArchive(ArchiveKind::kTarGz, members));
  EXPECT_FALSE(ReadArchiveMember(source, Named("wanted"), 1024).ok());
}

// Members before the one wanted cannot make a compressed stream inflate without bound: a tar.gz
// whose first member is 80 MiB of zeros is refused, quickly, rather than inflated whole.
TEST(ArchiveMemberTest, InflationBeforeTheWantedMemberIsBounded) {
  const MemorySource bomb(BuildArchive(
      ArchiveKind::kTarGz, {{"padding", std::string(80 << 20, 0)}, {"PKG-INFO", "Name: a\n"}}));
  ASSERT_LT(bomb.size(), 1u << 20);
  absl::StatusOr<std::optional<std::string>> member =
      ReadArchiveMember(bomb, Named("PKG-INFO"), 1024);
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.status().code(), absl::StatusCode::kInvalidArgument);
}

// A zip's members are found through its directory: large members before the one wanted cost
// nothing, as in a wheel whose METADATA comes after its libraries.
TEST(ArchiveMemberTest, ZipMembersBeforeTheWantedOneAreSkipped) {
  const MemorySource wheel(BuildArchive(
      ArchiveKind::kZip, {{"lib.so", std::string(80 << 20, 0)}, {"METADATA", "Name: a\n"}}));
  absl::StatusOr<std::optional<std::string>> member =
      ReadArchiveMember(wheel, Named("METADATA"), 1024);
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ(member->value_or(""), "Name: a\n");
}

}  // namespace
}  // namespace tollgate::formats
