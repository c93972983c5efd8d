// Tests of the filesystem artifact source: what Open serves, how uploads become visible,
// and what List shows.
#include "tollgate/storage/files/filesystem_artifact_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace tollgate::storage {
namespace {

namespace fs = std::filesystem;

// Each test gets a root with the folder of repository acme/agents, and a file outside it.
class FilesystemArtifactSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(repo_dir());
    WriteFile(dir_.path() / "outside.txt", "secret outside the root");
    absl::StatusOr<std::unique_ptr<FilesystemArtifactSource>> source =
        FilesystemArtifactSource::Create(root());
    ASSERT_TRUE(source.ok()) << source.status();
    source_ = *std::move(source);
  }

  fs::path root() const { return dir_.path() / "artifacts"; }
  fs::path repo_dir() const { return root() / "acme" / "agents"; }

  static void WriteFile(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

  // The content of the file Open gives for `path`, or the error.
  absl::StatusOr<std::string> ReadArtifact(const std::string& path) const {
    absl::StatusOr<ArtifactFile> file = source_->Open("acme", "agents", path);
    if (!file.ok()) return file.status();
    std::string content(file->size(), '\0');
    if (::pread(file->fd(), content.data(), content.size(), 0) !=
        static_cast<ssize_t>(content.size())) {
      return absl::InternalError("short read");
    }
    return content;
  }

  std::vector<std::string> ListedPaths() const {
    absl::StatusOr<std::vector<ArtifactListing>> listing = source_->List("acme", "agents");
    std::vector<std::string> paths;
    if (!listing.ok()) return {"error: " + listing.status().ToString()};
    for (const ArtifactListing& entry : *listing) paths.push_back(entry.path);
    return paths;
  }

  absl::Status Upload(const std::string& path, const std::string& content, bool overwrite) {
    absl::StatusOr<std::unique_ptr<ArtifactWriter>> writer =
        source_->BeginWrite("acme", "agents", path);
    if (!writer.ok()) return writer.status();
    absl::Status written = (*writer)->Write(content);
    if (!written.ok()) return written;
    return (*writer)->Commit(overwrite);
  }

  testing::TempDir dir_;
  std::unique_ptr<FilesystemArtifactSource> source_;
};

// A regular file opens with its size and content.
TEST_F(FilesystemArtifactSourceTest, OpensRegularFile) {
  WriteFile(repo_dir() / "pool" / "a_1.0_amd64.deb", "package bytes");
  absl::StatusOr<ArtifactFile> file = source_->Open("acme", "agents", "pool/a_1.0_amd64.deb");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->size(), 13u);
  EXPECT_EQ(*ReadArtifact("pool/a_1.0_amd64.deb"), "package bytes");
}

// A missing file is NotFound.
TEST_F(FilesystemArtifactSourceTest, MissingFileIsNotFound) {
  EXPECT_EQ(ReadArtifact("nope.deb").status().code(), absl::StatusCode::kNotFound);
}

// A folder is not an artifact.
TEST_F(FilesystemArtifactSourceTest, FolderIsNotFound) {
  fs::create_directories(repo_dir() / "pool");
  EXPECT_EQ(ReadArtifact("pool").status().code(), absl::StatusCode::kNotFound);
}

// A FIFO is refused at once instead of blocking the open.
TEST_F(FilesystemArtifactSourceTest, FifoIsNotFound) {
  ASSERT_EQ(::mkfifo((repo_dir() / "pipe").c_str(), 0644), 0);
  EXPECT_EQ(ReadArtifact("pipe").status().code(), absl::StatusCode::kNotFound);
}

// A link to a file elsewhere in the same repository is served.
TEST_F(FilesystemArtifactSourceTest, LinkInsideRepositoryIsServed) {
  WriteFile(repo_dir() / "pool" / "real.deb", "real");
  fs::create_directories(repo_dir() / "dists");
  fs::create_symlink("../pool/real.deb", repo_dir() / "dists" / "alias.deb");
  EXPECT_EQ(*ReadArtifact("dists/alias.deb"), "real");
}

// An absolute link to a file outside the repository is NotFound.
TEST_F(FilesystemArtifactSourceTest, AbsoluteLinkOutsideIsNotFound) {
  fs::create_symlink(dir_.path() / "outside.txt", repo_dir() / "escape.txt");
  EXPECT_EQ(ReadArtifact("escape.txt").status().code(), absl::StatusCode::kNotFound);
}

// A relative link into a sibling repository is NotFound.
TEST_F(FilesystemArtifactSourceTest, RelativeLinkToOtherRepositoryIsNotFound) {
  WriteFile(root() / "acme" / "private" / "key.pem", "key");
  fs::create_symlink("../private/key.pem", repo_dir() / "key.pem");
  EXPECT_EQ(ReadArtifact("key.pem").status().code(), absl::StatusCode::kNotFound);
}

// A linked folder leading outside the repository is NotFound for files below it.
TEST_F(FilesystemArtifactSourceTest, LinkedFolderOutsideIsNotFound) {
  fs::create_directory_symlink(dir_.path(), repo_dir() / "up");
  EXPECT_EQ(ReadArtifact("up/outside.txt").status().code(), absl::StatusCode::kNotFound);
}

// A `..` segment is refused before any lookup.
TEST_F(FilesystemArtifactSourceTest, DotDotIsInvalidArgument) {
  EXPECT_EQ(ReadArtifact("../../outside.txt").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadArtifact("pool/../a.deb").status().code(), absl::StatusCode::kInvalidArgument);
}

// An absolute path is refused.
TEST_F(FilesystemArtifactSourceTest, AbsolutePathIsInvalidArgument) {
  EXPECT_EQ(ReadArtifact((dir_.path() / "outside.txt").string()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// An org or repository that is not a slug is refused.
TEST_F(FilesystemArtifactSourceTest, NonSlugRepositoryIsInvalidArgument) {
  EXPECT_EQ(source_->Open("acme", "..", "outside.txt").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(source_->Open("acme/agents", "x", "a").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A committed upload is visible under its path, in folders created for it.
TEST_F(FilesystemArtifactSourceTest, CommittedUploadIsVisible) {
  absl::StatusOr<std::unique_ptr<ArtifactWriter>> writer =
      source_->BeginWrite("acme", "agents", "new/folder/a.whl");
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->Write("first ").ok());
  ASSERT_TRUE((*writer)->Write("second").ok());
  ASSERT_TRUE((*writer)->Commit(false).ok());
  EXPECT_EQ(*ReadArtifact("new/folder/a.whl"), "first second");
}

// Until Commit, nothing is visible under the final path.
TEST_F(FilesystemArtifactSourceTest, UploadIsInvisibleBeforeCommit) {
  absl::StatusOr<std::unique_ptr<ArtifactWriter>> writer =
      source_->BeginWrite("acme", "agents", "a.whl");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write("bytes").ok());
  EXPECT_EQ(ReadArtifact("a.whl").status().code(), absl::StatusCode::kNotFound);
}

// Committing without overwrite onto an existing file is AlreadyExists and keeps the old file.
TEST_F(FilesystemArtifactSourceTest, CommitWithoutOverwriteKeepsExisting) {
  WriteFile(repo_dir() / "a.whl", "old");
  EXPECT_EQ(Upload("a.whl", "new", false).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(*ReadArtifact("a.whl"), "old");
}

// Committing with overwrite replaces the existing file.
TEST_F(FilesystemArtifactSourceTest, CommitWithOverwriteReplaces) {
  WriteFile(repo_dir() / "a.whl", "old");
  ASSERT_TRUE(Upload("a.whl", "new", true).ok());
  EXPECT_EQ(*ReadArtifact("a.whl"), "new");
}

// A writer dropped without Commit leaves no file behind, not even its temporary.
TEST_F(FilesystemArtifactSourceTest, UncommittedWriterLeavesNothing) {
  {
    absl::StatusOr<std::unique_ptr<ArtifactWriter>> writer =
        source_->BeginWrite("acme", "agents", "a.whl");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Write("bytes").ok());
  }
  EXPECT_TRUE(fs::is_empty(repo_dir()));
}

// An upload whose parent folder links outside the repository is refused.
TEST_F(FilesystemArtifactSourceTest, UploadThroughLinkOutsideIsRefused) {
  fs::create_directory_symlink(dir_.path(), repo_dir() / "up");
  EXPECT_EQ(source_->BeginWrite("acme", "agents", "up/planted.txt").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir_.path() / "planted.txt"));
}

// A path naming an upload temporary is refused.
TEST_F(FilesystemArtifactSourceTest, UploadTemporaryNameIsInvalidArgument) {
  EXPECT_EQ(source_->BeginWrite("acme", "agents", ".tollgate-upload-abc").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Remove deletes the file.
TEST_F(FilesystemArtifactSourceTest, RemoveDeletesFile) {
  WriteFile(repo_dir() / "pool" / "a.deb", "x");
  ASSERT_TRUE(source_->Remove("acme", "agents", "pool/a.deb").ok());
  EXPECT_FALSE(fs::exists(repo_dir() / "pool" / "a.deb"));
}

// Removing a file that does not exist is NotFound.
TEST_F(FilesystemArtifactSourceTest, RemoveOfMissingFileIsNotFound) {
  EXPECT_EQ(source_->Remove("acme", "agents", "pool/a.deb").code(), absl::StatusCode::kNotFound);
}

// List gives every file with its path relative to the repository, sorted.
TEST_F(FilesystemArtifactSourceTest, ListsNestedFilesSorted) {
  WriteFile(repo_dir() / "z.deb", "z");
  WriteFile(repo_dir() / "pool" / "b" / "b.deb", "bb");
  WriteFile(repo_dir() / "pool" / "a.deb", "a");
  EXPECT_EQ(ListedPaths(), (std::vector<std::string>{"pool/a.deb", "pool/b/b.deb", "z.deb"}));
}

// List reports each file's size.
TEST_F(FilesystemArtifactSourceTest, ListReportsSize) {
  WriteFile(repo_dir() / "a.deb", "12345");
  absl::StatusOr<std::vector<ArtifactListing>> listing = source_->List("acme", "agents");
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->size(), 1u);
  EXPECT_EQ((*listing)[0].size, 5u);
}

// List leaves out uploads in progress.
TEST_F(FilesystemArtifactSourceTest, ListSkipsUploadTemporaries) {
  WriteFile(repo_dir() / "a.deb", "a");
  absl::StatusOr<std::unique_ptr<ArtifactWriter>> writer =
      source_->BeginWrite("acme", "agents", "b.deb");
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ(ListedPaths(), std::vector<std::string>{"a.deb"});
}

// List does not descend into linked folders, even ones inside the repository.
TEST_F(FilesystemArtifactSourceTest, ListDoesNotFollowFolderLinks) {
  WriteFile(repo_dir() / "pool" / "a.deb", "a");
  fs::create_directory_symlink("pool", repo_dir() / "alias");
  fs::create_directory_symlink(dir_.path(), repo_dir() / "up");
  EXPECT_EQ(ListedPaths(), std::vector<std::string>{"pool/a.deb"});
}

// List shows a link to a file exactly when Open would serve it.
TEST_F(FilesystemArtifactSourceTest, ListShowsOnlyServableFileLinks) {
  WriteFile(repo_dir() / "a.deb", "a");
  fs::create_symlink("a.deb", repo_dir() / "inside.deb");
  fs::create_symlink(dir_.path() / "outside.txt", repo_dir() / "outside.txt");
  EXPECT_EQ(ListedPaths(), (std::vector<std::string>{"a.deb", "inside.deb"}));
}

// A repository with no folder yet lists as empty.
TEST_F(FilesystemArtifactSourceTest, ListOfRepositoryWithoutFolderIsEmpty) {
  absl::StatusOr<std::vector<ArtifactListing>> listing = source_->List("acme", "empty");
  ASSERT_TRUE(listing.ok()) << listing.status();
  EXPECT_TRUE(listing->empty());
}

}  // namespace
}  // namespace tollgate::storage
