// Tests of what the Debian format reads from inside a .deb: the control paragraph from
// control.tar.*, checked against the file name, and every hostile or damaged .deb refused
// with InvalidArgument rather than listed (or crashing).
#include "deb/deb_metadata.h"

#include <string>

#include "archive_builder.h"
#include "deb/control_fields.h"
#include "deb/deb_format.h"
#include "gtest/gtest.h"

namespace tollgate::formats {
namespace {

using testing::ArchiveKind;
using testing::ArchiveMembers;
using testing::BuildArchive;
using testing::MemorySource;

constexpr std::string_view kControl =
    "Package: acme-agent\n"
    "Version: 2.0-1\n"
    "Architecture: amd64\n"
    "Maintainer: Acme <ops@acme.example>\n"
    "Depends: libc6 (>= 2.36)\n"
    "Description: the agent\n"
    " Long text.\n"
    " .\n"
    " More.\n";

PackageIdentity AgentIdentity(std::string version = "2.0-1") {
  return PackageIdentity{PackageFormat::kDeb, "acme-agent", std::move(version), "amd64", ""};
}

// A .deb as dpkg-deb lays it out: debian-binary, control.tar.gz, data.tar.gz.
MemorySource Deb(std::string_view control, std::string control_member = "./control",
                 std::string control_tar_name = "control.tar.gz") {
  const std::string control_tar = BuildArchive(
      ArchiveKind::kTarGz, {{"./md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/bin/agent\n"},
                            {control_member, std::string(control)}});
  const std::string data_tar =
      BuildArchive(ArchiveKind::kTarGz, {{"./usr/bin/agent", "#!/bin/sh\n"}});
  return MemorySource(BuildArchive(
      ArchiveKind::kAr,
      {{"debian-binary", "2.0\n"}, {control_tar_name, control_tar}, {"data.tar.gz", data_tar}}));
}

absl::StatusOr<std::string> Read(const MemorySource& deb,
                                 const PackageIdentity& identity = AgentIdentity()) {
  return DebFormat().ReadMetadata("pool/acme-agent_2.0-1_amd64.deb", identity, deb);
}

TEST(DebMetadataTest, ControlParagraphIsKept) {
  absl::StatusOr<std::string> metadata = Read(Deb(kControl));
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(ControlParagraphOf(*metadata), std::string(kControl));
}

// dpkg-deb writes "./control"; other tools write "control".
TEST(DebMetadataTest, ControlWithoutDotSlashIsRead) {
  absl::StatusOr<std::string> metadata = Read(Deb(kControl, "control"));
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(ControlParagraphOf(*metadata), std::string(kControl));
}

// Only the first paragraph is the package's; anything after an empty line is not listed.
TEST(DebMetadataTest, OnlyTheFirstParagraphIsKept) {
  const std::string control = std::string(kControl) + "\nPackage: smuggled\nVersion: 9\n";
  absl::StatusOr<std::string> metadata = Read(Deb(control));
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(ControlParagraphOf(*metadata), std::string(kControl));
}

// A control file without a final line break still gives whole lines.
TEST(DebMetadataTest, MissingFinalLineBreakIsAdded) {
  absl::StatusOr<std::string> metadata =
      Read(Deb("Package: acme-agent\nVersion: 2.0-1\nArchitecture: amd64"));
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(ControlParagraphOf(*metadata),
            "Package: acme-agent\nVersion: 2.0-1\nArchitecture: amd64\n");
}

// Debian's pools leave the epoch out of file names; the control file may carry it.
TEST(DebMetadataTest, EpochTheFileNameLeavesOutIsAccepted) {
  EXPECT_TRUE(Read(Deb("Package: acme-agent\nVersion: 1:2.0-1\nArchitecture: amd64\n")).ok());
  EXPECT_FALSE(Read(Deb("Package: acme-agent\nVersion: x:2.0-1\nArchitecture: amd64\n")).ok());
}

// Scopes are decided on the file name, so a control file naming another package or version
// is refused: apt would otherwise be told of a package the scope never saw.
TEST(DebMetadataTest, ControlThatContradictsTheFileNameIsRefused) {
  for (std::string_view control : {
           "Package: openssl\nVersion: 2.0-1\nArchitecture: amd64\n",
           "Package: acme-agent\nVersion: 3.0\nArchitecture: amd64\n",
           "Package: acme-agent\nVersion: 2.0-1\nArchitecture: all\n",
       }) {
    absl::StatusOr<std::string> metadata = Read(Deb(control));
    EXPECT_TRUE(absl::IsInvalidArgument(metadata.status())) << control;
  }
}

TEST(DebMetadataTest, MissingRequiredFieldsAreRefused) {
  for (std::string_view control : {
           "Version: 2.0-1\nArchitecture: amd64\n",
           "Package: acme-agent\nArchitecture: amd64\n",
           "Package: acme-agent\nVersion: 2.0-1\n",
           "Package: acme-agent\nVersion:\nArchitecture: amd64\n",
           "",
       }) {
    EXPECT_TRUE(absl::IsInvalidArgument(Read(Deb(control)).status())) << control;
  }
}

// Lines that would not parse as a stanza of Packages (and so break the index for everyone)
// are refused: no field name, a comment, a control character, a carriage return in a line, a
// field given twice (in any case: apt would take one of the two values).
TEST(DebMetadataTest, MalformedLinesAreRefused) {
  const std::string head = "Package: acme-agent\nVersion: 2.0-1\nArchitecture: amd64\n";
  for (std::string_view bad :
       {"not a field\n", "#comment: x\n", "-Dash: x\n", "Bell: \a\n", "Lone: carriage\rreturn\n",
        "Space Name: x\n", "Version: 9.9-1\n", "PACKAGE: other\n"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(Read(Deb(head + std::string(bad))).status())) << bad;
  }
  EXPECT_TRUE(absl::IsInvalidArgument(Read(Deb(" continued\n" + head)).status()));
}

// Windows line ends read as line ends, and are stored as "\n".
TEST(DebMetadataTest, CrLfLinesAreStoredWithLf) {
  absl::StatusOr<std::string> metadata =
      Read(Deb("Package: acme-agent\r\nVersion: 2.0-1\r\nArchitecture: amd64\r\n"));
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  EXPECT_EQ(ControlParagraphOf(*metadata),
            "Package: acme-agent\nVersion: 2.0-1\nArchitecture: amd64\n");
}

TEST(DebMetadataTest, ControlLargerThan64KiBIsRefused) {
  const std::string control =
      std::string(kControl) + "X-Padding: " + std::string(70 << 10, 'p') + "\n";
  EXPECT_TRUE(absl::IsInvalidArgument(Read(Deb(control)).status()));
}

TEST(DebMetadataTest, DebWithoutControlTarIsRefused) {
  const MemorySource deb(
      BuildArchive(ArchiveKind::kAr, {{"debian-binary", "2.0\n"}, {"data.tar.gz", "irrelevant"}}));
  EXPECT_TRUE(absl::IsInvalidArgument(Read(deb).status()));
}

TEST(DebMetadataTest, ControlTarWithoutControlIsRefused) {
  EXPECT_TRUE(absl::IsInvalidArgument(Read(Deb(kControl, "./postinst")).status()));
}

// A control.tar member that is not a tar at all.
TEST(DebMetadataTest, DamagedControlTarIsRefused) {
  const MemorySource deb(BuildArchive(
      ArchiveKind::kAr, {{"debian-binary", "2.0\n"}, {"control.tar.gz", "\x1f\x8b garbage"}}));
  EXPECT_TRUE(absl::IsInvalidArgument(Read(deb).status()));
}

TEST(DebMetadataTest, GarbageIsRefused) {
  for (std::string garbage :
       {std::string(), std::string("!<arch>\n"), std::string("!<arch>\ncontrol.tar.gz  truncated"),
        std::string(4096, '\xff')}) {
    EXPECT_TRUE(absl::IsInvalidArgument(Read(MemorySource(garbage)).status())) << garbage.size();
  }
}

TEST(DebMetadataTest, MetadataWithoutControlGivesNothing) {
  EXPECT_EQ(ControlParagraphOf(""), std::nullopt);
  EXPECT_EQ(ControlParagraphOf("{}"), std::nullopt);
  EXPECT_EQ(ControlParagraphOf("not json"), std::nullopt);
  EXPECT_EQ(ControlParagraphOf(R"({"control": 5})"), std::nullopt);
}

TEST(ControlFieldsTest, FieldsKeepTheirContinuationLines) {
  absl::StatusOr<std::vector<ControlField>> fields = SplitControlFields(kControl);
  ASSERT_TRUE(fields.ok()) << fields.status();
  ASSERT_EQ(fields->size(), 6u);
  EXPECT_EQ(fields->back().name, "Description");
  EXPECT_EQ(fields->back().lines, "Description: the agent\n Long text.\n .\n More.\n");
  EXPECT_EQ(ControlValue(*fields, "depends"), "libc6 (>= 2.36)");
  EXPECT_EQ(ControlValue(*fields, "Description"), "the agent");
  EXPECT_EQ(ControlValue(*fields, "Section"), "");
}

}  // namespace
}  // namespace tollgate::formats
