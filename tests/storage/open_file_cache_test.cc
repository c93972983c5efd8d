// Tests of the open-file cache over a real folder: hits cost no open, a changed file is seen at
// once, a changed path after the revalidation period, and what it holds is bounded.
#include "tollgate/storage/files/open_file_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.h"
#include "tollgate/storage/files/filesystem_artifact_source.h"

namespace tollgate::storage {
namespace {

namespace fs = std::filesystem;

// The folder source, counting the opens that reach it.
class CountingSource final : public ArtifactSource {
 public:
  explicit CountingSource(std::unique_ptr<ArtifactSource> files) : files_(std::move(files)) {}

  absl::StatusOr<ArtifactFile> Open(std::string_view org, std::string_view repo,
                                    std::string_view path) const override {
    ++opens;
    return files_->Open(org, repo, path);
  }
  absl::StatusOr<std::unique_ptr<ArtifactWriter>> BeginWrite(std::string_view org,
                                                             std::string_view repo,
                                                             std::string_view path) override {
    return files_->BeginWrite(org, repo, path);
  }
  absl::Status Remove(std::string_view org, std::string_view repo, std::string_view path) override {
    return files_->Remove(org, repo, path);
  }
  absl::StatusOr<std::vector<ArtifactListing>> List(std::string_view org,
                                                    std::string_view repo) const override {
    return files_->List(org, repo);
  }

  mutable std::atomic<int> opens = 0;

 private:
  std::unique_ptr<ArtifactSource> files_;
};

class OpenFileCacheTest : public ::testing::Test {
 protected:
  void SetUp() override { MakeCache({}); }

  void MakeCache(OpenFileCacheOptions options) {
    absl::StatusOr<std::unique_ptr<FilesystemArtifactSource>> files =
        FilesystemArtifactSource::Create(root());
    ASSERT_TRUE(files.ok()) << files.status();
    counting_ = std::make_shared<CountingSource>(*std::move(files));
    options.clock = [this] { return now_; };
    cache_ = std::make_unique<OpenFileCache>(counting_, std::move(options));
  }

  fs::path root() const { return dir_.path() / "artifacts"; }

  void WriteFile(const std::string& path, const std::string& content) const {
    const fs::path full = root() / "acme" / "agents" / path;
    fs::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << content;
  }

  // What the cache serves for `path`: its content, or the error.
  std::string Read(const std::string& path) const {
    absl::StatusOr<ArtifactFile> file = cache_->Open("acme", "agents", path);
    if (!file.ok()) return "error: " + std::string(absl::StatusCodeToString(file.status().code()));
    std::string content(file->size(), '\0');
    if (::pread(file->fd(), content.data(), content.size(), 0) !=
        static_cast<ssize_t>(content.size())) {
      return "short read";
    }
    return content;
  }

  testing::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  std::shared_ptr<CountingSource> counting_;
  std::unique_ptr<OpenFileCache> cache_;
};

TEST_F(OpenFileCacheTest, AHotFileIsOpenedOnce) {
  WriteFile("a.bin", "alpha");
  for (int i = 0; i < 100; ++i) ASSERT_EQ(Read("a.bin"), "alpha");
  EXPECT_EQ(counting_->opens, 1);
  EXPECT_EQ(cache_->size(), 1u);
}

TEST_F(OpenFileCacheTest, FilesOfTwoRepositoriesAreTwoEntries) {
  WriteFile("x/y", "one");
  const fs::path other = root() / "acme" / "tools" / "x" / "y";
  fs::create_directories(other.parent_path());
  std::ofstream(other) << "two";
  EXPECT_EQ(Read("x/y"), "one");
  absl::StatusOr<ArtifactFile> tools = cache_->Open("acme", "tools", "x/y");
  ASSERT_TRUE(tools.ok());
  EXPECT_EQ(tools->size(), 3u);
  EXPECT_EQ(Read("x/y"), "one");
  EXPECT_EQ(counting_->opens, 2);
}

TEST_F(OpenFileCacheTest, AFileReplacedByARenameIsServedAtOnce) {
  WriteFile("a.bin", "old");
  ASSERT_EQ(Read("a.bin"), "old");
  // Replaced by rename, as an upload or a deploy tool does it: the old file loses its link.
  WriteFile("a.bin.tmp", "brand new");
  fs::rename(root() / "acme/agents/a.bin.tmp", root() / "acme/agents/a.bin");
  EXPECT_EQ(Read("a.bin"), "brand new");
  EXPECT_EQ(counting_->opens, 2);
}

TEST_F(OpenFileCacheTest, AFileWrittenInPlaceIsServedAtOnce) {
  WriteFile("a.bin", "old");
  ASSERT_EQ(Read("a.bin"), "old");
  WriteFile("a.bin", "rewritten in place");  // same inode, new size and times
  EXPECT_EQ(Read("a.bin"), "rewritten in place");
}

TEST_F(OpenFileCacheTest, AFileRemovedByHandIsGoneAtOnce) {
  WriteFile("a.bin", "alpha");
  ASSERT_EQ(Read("a.bin"), "alpha");
  fs::remove(root() / "acme/agents/a.bin");
  EXPECT_EQ(Read("a.bin"), "error: NOT_FOUND");
  EXPECT_EQ(cache_->size(), 0u);  // and its descriptor is closed
}

TEST_F(OpenFileCacheTest, APathLeadingElsewhereIsFollowedAfterTheRevalidationPeriod) {
  WriteFile("dir/a.bin", "old folder");
  ASSERT_EQ(Read("dir/a.bin"), "old folder");
  // The folder is swapped: the cached file itself is unchanged, so only a new open sees it.
  fs::rename(root() / "acme/agents/dir", root() / "acme/agents/dir.old");
  WriteFile("dir/a.bin", "new folder");
  now_ += absl::Milliseconds(999);
  EXPECT_EQ(Read("dir/a.bin"), "old folder");
  now_ += absl::Milliseconds(1);
  EXPECT_EQ(Read("dir/a.bin"), "new folder");
  EXPECT_EQ(counting_->opens, 2);
}

TEST_F(OpenFileCacheTest, MissingFilesAreNotCached) {
  EXPECT_EQ(Read("later.bin"), "error: NOT_FOUND");
  WriteFile("later.bin", "here now");
  EXPECT_EQ(Read("later.bin"), "here now");  // no waiting for a period
  EXPECT_EQ(counting_->opens, 2);
}

TEST_F(OpenFileCacheTest, AnUploadThroughTheCacheIsServedAtOnce) {
  WriteFile("a.bin", "old");
  ASSERT_EQ(Read("a.bin"), "old");
  absl::StatusOr<std::unique_ptr<ArtifactWriter>> writer =
      cache_->BeginWrite("acme", "agents", "a.bin");
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->Write("uploaded").ok());
  EXPECT_EQ(Read("a.bin"), "old");  // nothing changes before the commit
  ASSERT_TRUE((*writer)->Commit(/*overwrite=*/true).ok());
  EXPECT_EQ(Read("a.bin"), "uploaded");
}

TEST_F(OpenFileCacheTest, ARemovalThroughTheCacheIsSeenAtOnce) {
  WriteFile("a.bin", "alpha");
  ASSERT_EQ(Read("a.bin"), "alpha");
  ASSERT_TRUE(cache_->Remove("acme", "agents", "a.bin").ok());
  EXPECT_EQ(Read("a.bin"), "error: NOT_FOUND");
  EXPECT_EQ(cache_->size(), 0u);
}

TEST_F(OpenFileCacheTest, ItHoldsAtMostMaxFilesAndKeepsTheRecentlyUsed) {
  MakeCache({.max_files = 16});  // one file per shard
  for (int i = 0; i < 200; ++i) {
    WriteFile("f" + std::to_string(i), std::to_string(i));
    ASSERT_EQ(Read("f" + std::to_string(i)), std::to_string(i));
    now_ += absl::Milliseconds(1);
  }
  EXPECT_LE(cache_->size(), 16u);
  // The last file read is still cached: reading it again opens nothing.
  const int opens = counting_->opens;
  EXPECT_EQ(Read("f199"), "199");
  EXPECT_EQ(counting_->opens, opens);
}

TEST_F(OpenFileCacheTest, AFileHandedOutOutlivesItsEviction) {
  WriteFile("a.bin", "still readable");
  absl::StatusOr<ArtifactFile> held = cache_->Open("acme", "agents", "a.bin");
  ASSERT_TRUE(held.ok());
  cache_->Clear();  // a download in progress keeps its descriptor
  char byte = 0;
  EXPECT_EQ(::pread(held->fd(), &byte, 1, 0), 1);
  EXPECT_EQ(byte, 's');
}

TEST_F(OpenFileCacheTest, SweepClosesOnlyIdleFiles) {
  WriteFile("idle.bin", "i");
  WriteFile("busy.bin", "b");
  ASSERT_EQ(Read("idle.bin"), "i");
  for (int second = 0; second < 10; ++second) {
    now_ += absl::Seconds(1);
    ASSERT_EQ(Read("busy.bin"), "b");
  }
  cache_->Sweep();
  EXPECT_EQ(cache_->size(), 1u);  // busy.bin only
  const int opens = counting_->opens;
  now_ += absl::Milliseconds(1);
  EXPECT_EQ(Read("busy.bin"), "b");
  EXPECT_EQ(counting_->opens, opens);
}

// Readers on four threads while a fifth replaces files (same content, new inode), uploads
// through the cache (which empties it) and sweeps, with the clock moving: every read gets the
// file it named, and the cache stays within its bound.
TEST_F(OpenFileCacheTest, ConcurrentReadersGetTheRightFiles) {
  constexpr int kFiles = 64;
  for (int i = 0; i < kFiles; ++i) WriteFile("f" + std::to_string(i), std::to_string(i));
  std::atomic<int64_t> clock_ms = 0;
  MakeCache({.max_files = 32,  // smaller than the set, so entries are evicted under load
             .clock = [&] { return absl::FromUnixMillis(clock_ms.load()); }});
  std::atomic<int> wrong = 0;
  std::atomic<bool> reading = true;
  std::thread changer([&] {
    for (int round = 0; reading; ++round) {
      const std::string name = "f" + std::to_string(round % kFiles);
      WriteFile(name + ".tmp", std::to_string(round % kFiles));
      fs::rename(root() / "acme/agents" / (name + ".tmp"), root() / "acme/agents" / name);
      if (round % 7 == 0) {
        absl::StatusOr<std::unique_ptr<ArtifactWriter>> upload =
            cache_->BeginWrite("acme", "agents", name);
        if (upload.ok() && (*upload)->Write(std::to_string(round % kFiles)).ok()) {
          (*upload)->Commit(/*overwrite=*/true).IgnoreError();
        }
      }
      if (round % 5 == 0) cache_->Sweep();
      clock_ms += 300;
    }
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const int n = (i * 7 + t) % kFiles;
        if (Read("f" + std::to_string(n)) != std::to_string(n)) ++wrong;
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  reading = false;
  changer.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_LE(cache_->size(), 32u);
}

}  // namespace
}  // namespace tollgate::storage
