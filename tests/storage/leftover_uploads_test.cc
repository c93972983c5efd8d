// Removing stale upload temporaries: only exact temporary names past the age, and only
// where uploads write (links followed at the org and repo levels, not below).
#include "tollgate/storage/files/leftover_uploads.h"

#include <gtest/gtest.h>

#include <fstream>

#include "absl/time/clock.h"
#include "temp_dir.h"

namespace tollgate::storage {
namespace {

namespace fs = std::filesystem;

void Touch(const fs::path& path) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << "partial";
}

class LeftoverUploadsTest : public ::testing::Test {
 protected:
  const fs::path& root() const { return dir_.path(); }
  // Everything written so far counts as stale: the cut-off is a moment from now.
  absl::StatusOr<size_t> RemoveStale() {
    return RemoveLeftoverUploads(root(), absl::Now() + absl::Seconds(1));
  }
  testing::TempDir dir_;
};

// A temporary anywhere in a repository goes; a lookalike name stays.
TEST_F(LeftoverUploadsTest, RemovesTemporariesOnly) {
  const fs::path temporary = root() / "acme" / "apt" / "pool" / "main" / ".tollgate-upload-a1B2c3";
  const fs::path lookalike = root() / "acme" / "apt" / ".tollgate-upload-a1B2c";
  Touch(temporary);
  Touch(lookalike);
  EXPECT_EQ(RemoveStale().value_or(0), 1u);
  EXPECT_FALSE(fs::exists(temporary));
  EXPECT_TRUE(fs::exists(lookalike));
}

// A temporary changed after the cut-off (an upload under way) stays.
TEST_F(LeftoverUploadsTest, KeepsRecentTemporaries) {
  const fs::path temporary = root() / "acme" / "apt" / ".tollgate-upload-a1B2c3";
  Touch(temporary);
  EXPECT_EQ(RemoveLeftoverUploads(root(), absl::Now() - absl::Minutes(10)).value_or(99), 0u);
  EXPECT_TRUE(fs::exists(temporary));
}

// A linked repository folder is cleaned, as uploads write through it; a link below the
// repository level is not followed.
TEST_F(LeftoverUploadsTest, FollowsLinksOnlyWhereUploadsDo) {
  testing::TempDir outside;
  const fs::path linked_repository = outside.path() / "repository" / ".tollgate-upload-a1B2c3";
  const fs::path below_repository = outside.path() / "below" / ".tollgate-upload-a1B2c3";
  Touch(linked_repository);
  Touch(below_repository);
  fs::create_directories(root() / "acme" / "apt");
  fs::create_directory_symlink(outside.path() / "repository", root() / "acme" / "linked");
  fs::create_directory_symlink(outside.path() / "below", root() / "acme" / "apt" / "below");
  EXPECT_EQ(RemoveStale().value_or(0), 1u);
  EXPECT_FALSE(fs::exists(linked_repository));
  EXPECT_TRUE(fs::exists(below_repository));
}

}  // namespace
}  // namespace tollgate::storage
