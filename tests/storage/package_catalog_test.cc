// The package catalog on both stores: files uploaded (recorded by the API) and placed in the
// folder by hand show in the snapshot with their checksums and metadata; changed and removed
// files follow; a hand-placed file shows within a rescan; another instance's change shows
// through the store's generation.
#include "tollgate/storage/catalog/package_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "archive_builder.h"
#include "await.h"
#include "eventually.h"
#include "store_environments.h"
#include "temp_dir.h"
#include "tollgate/storage/files/filesystem_artifact_source.h"
#include "tollgate/storage/sha256.h"

namespace tollgate::storage {
namespace {

using formats::testing::ArchiveKind;
using formats::testing::BuildArchive;
using testing::Eventually;

std::string Wheel(std::string_view version, std::string_view requires_python) {
  return BuildArchive(ArchiveKind::kZip,
                      {{"agent/__init__.py", ""},
                       {"agent-" + std::string(version) + ".dist-info/METADATA",
                        "Name: agent\nVersion: " + std::string(version) +
                            "\nRequires-Python: " + std::string(requires_python) + "\n"}});
}

const formats::PackageFile* FindFile(const CatalogSnapshot& snapshot, std::string_view path) {
  for (const formats::PackageFile& file : snapshot.files) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

class PackageCatalogTest : public ::testing::TestWithParam<testing::StoreFactory> {
 protected:
  void SetUp() override {
    environment_ = GetParam().make();
    absl::StatusOr<Stores> opened = environment_->Open();
    ASSERT_TRUE(opened.ok()) << opened.status();
    stores_ = *std::move(opened);
    ASSERT_TRUE(stores_.accounts->CreateOrg("acme", absl::Now()).ok());
    Repository repository;
    repository.org = "acme";
    repository.slug = "agents";
    repository.name = "agents";
    repository.created_at = absl::FromUnixSeconds(1'750'000'000);
    ASSERT_TRUE(stores_.repositories->Create(repository).ok());
    repository_ = stores_.repositories->Get("acme", "agents");
    absl::StatusOr<std::unique_ptr<FilesystemArtifactSource>> files =
        FilesystemArtifactSource::Create(dir_.path() / "artifacts");
    ASSERT_TRUE(files.ok());
    files_ = *std::move(files);
  }

  std::unique_ptr<PackageCatalog> MakeCatalog(CatalogOptions options = {}) {
    return std::make_unique<PackageCatalog>(stores_, files_, options);
  }

  // The record an upload through the API writes for `bytes` at `path`: complete, by ci-bot,
  // recorded after the file was committed.
  static ArtifactRecord UploadRecord(const std::string& path, const std::string& bytes) {
    ArtifactRecord record;
    record.org = "acme";
    record.repo = "agents";
    record.path = path;
    record.size = bytes.size();
    record.sha256 = Sha256Hex(bytes);
    record.sha1 = std::string(40, '1');
    record.sha512 = std::string(128, '5');
    record.uploader = "ci-bot";
    record.uploaded_at = absl::Now() + absl::Seconds(1);
    return record;
  }

  // Writes `bytes` at repository path `path`, as a vendor's script would.
  void Place(const std::string& path, const std::string& bytes) {
    const std::filesystem::path file = dir_.path() / "artifacts/acme/agents" / path;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
  }

  std::unique_ptr<testing::StoreEnvironment> environment_;
  Stores stores_;
  RepositoryPtr repository_;
  testing::TempDir dir_;
  std::shared_ptr<FilesystemArtifactSource> files_;
};

// A snapshot loaded on the catalog's thread for an awaiting coroutine leaves the repository's
// reference count as it should be: the caller's reference and the catalog's entry.
TEST_P(PackageCatalogTest, SnapshotThroughTheCatalogThreadKeepsTheRepositoryAlive) {
  const auto repository = std::make_shared<const Repository>(*repository_);
  // No refresh during the test: a refresh replaces the entry's repository with the store's.
  const std::unique_ptr<PackageCatalog> catalog = MakeCatalog({.refresh_interval = absl::Hours(1)});
  boost::asio::io_context io;
  const CatalogSnapshotPtr snapshot = tollgate::testing::Await(io, catalog->Snapshot(repository));
  ASSERT_NE(snapshot, nullptr);
  // The test's and the catalog entry's; the catalog thread lets go of its copy for the hop
  // just after the caller resumed.
  EXPECT_TRUE(Eventually([&] { return repository.use_count() == 2; }, absl::Seconds(2)));
}

TEST_P(PackageCatalogTest, HandPlacedFileIsRecordedWithItsFacts) {
  const std::string wheel = Wheel("1.0", ">=3.9");
  Place("py/agent-1.0-py3-none-any.whl", wheel);
  const CatalogSnapshotPtr snapshot = MakeCatalog()->LoadNow(repository_);
  const formats::PackageFile* file = FindFile(*snapshot, "py/agent-1.0-py3-none-any.whl");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->identity.format, formats::PackageFormat::kPython);
  EXPECT_EQ(file->identity.name, "agent");
  EXPECT_EQ(file->identity.version, "1.0");
  EXPECT_EQ(file->size, wheel.size());
  EXPECT_EQ(file->sha256, Sha256Hex(wheel));
  EXPECT_EQ(file->sha1.size(), 40u);
  EXPECT_EQ(file->sha512.size(), 128u);
  EXPECT_EQ(file->metadata, R"({"requires_python":">=3.9"})");
  // Recorded in the store, as nobody's upload.
  std::optional<ArtifactRecord> record =
      stores_.artifacts->Get("acme", "agents", "py/agent-1.0-py3-none-any.whl");
  ASSERT_TRUE(record.has_value());
  EXPECT_FALSE(record->uploader.has_value());
}

TEST_P(PackageCatalogTest, UploadRecordIsKeptAsItIs) {
  const std::string wheel = Wheel("1.0", ">=3.9");
  Place("agent-1.0-py3-none-any.whl", wheel);
  const ArtifactRecord record = UploadRecord("agent-1.0-py3-none-any.whl", wheel);
  ASSERT_TRUE(stores_.artifacts->Put(record).ok());
  const CatalogSnapshotPtr snapshot = MakeCatalog()->LoadNow(repository_);
  const formats::PackageFile* file = FindFile(*snapshot, "agent-1.0-py3-none-any.whl");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->sha512, std::string(128, '5'));  // not described again
  EXPECT_EQ(stores_.artifacts->Get("acme", "agents", record.path)->uploader, "ci-bot");
}

// An upload committed after the catalog's last snapshot is not taken for a hand-placed file:
// the store's record, with its uploader, stays as the upload wrote it.
TEST_P(PackageCatalogTest, UploadSinceTheLastSnapshotKeepsItsUploader) {
  std::unique_ptr<PackageCatalog> catalog = MakeCatalog();
  ASSERT_TRUE(catalog->LoadNow(repository_)->files.empty());
  const std::string wheel = Wheel("5.0", ">=3.8");
  Place("agent-5.0-py3-none-any.whl", wheel);
  const ArtifactRecord record = UploadRecord("agent-5.0-py3-none-any.whl", wheel);
  ASSERT_TRUE(stores_.artifacts->Put(record).ok());
  catalog->LoadNow(repository_);
  std::optional<ArtifactRecord> kept = stores_.artifacts->Get("acme", "agents", record.path);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->uploader, "ci-bot");
  EXPECT_EQ(kept->sha512, std::string(128, '5'));  // not described again
}

TEST_P(PackageCatalogTest, ChangedAndRemovedFilesFollowTheFolder) {
  Place("agent-1.0-py3-none-any.whl", Wheel("1.0", ">=3.8"));
  Place("agent-2.0-py3-none-any.whl", Wheel("2.0", ">=3.8"));
  std::unique_ptr<PackageCatalog> catalog = MakeCatalog();
  ASSERT_EQ(catalog->LoadNow(repository_)->files.size(), 2u);
  const std::string changed = Wheel("1.0", ">=3.12");
  Place("agent-1.0-py3-none-any.whl", changed);
  std::filesystem::last_write_time(
      dir_.path() / "artifacts/acme/agents/agent-1.0-py3-none-any.whl",
      std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
  std::filesystem::remove(dir_.path() / "artifacts/acme/agents/agent-2.0-py3-none-any.whl");
  const CatalogSnapshotPtr snapshot = catalog->LoadNow(repository_);
  ASSERT_EQ(snapshot->files.size(), 1u);
  EXPECT_EQ(snapshot->files[0].sha256, Sha256Hex(changed));
  EXPECT_EQ(snapshot->files[0].metadata, R"({"requires_python":">=3.12"})");
  EXPECT_FALSE(stores_.artifacts->Get("acme", "agents", "agent-2.0-py3-none-any.whl"));
}

TEST_P(PackageCatalogTest, HandPlacedFileShowsWithinARescan) {
  std::unique_ptr<PackageCatalog> catalog = MakeCatalog(
      {.refresh_interval = absl::Milliseconds(100), .rescan_interval = absl::Milliseconds(300)});
  ASSERT_TRUE(catalog->LoadNow(repository_)->files.empty());
  Place("agent-3.0-py3-none-any.whl", Wheel("3.0", ">=3.8"));
  EXPECT_TRUE(Eventually(
      [&] {
        const CatalogSnapshotPtr cached = catalog->Cached(*repository_);
        return cached != nullptr && FindFile(*cached, "agent-3.0-py3-none-any.whl") != nullptr;
      },
      absl::Seconds(10)));
}

// An upload through another instance (Redis), or through the API of this one (embedded),
// moves the generation, and the snapshot follows without a rescan.
TEST_P(PackageCatalogTest, AnotherWritersChangeShowsThroughTheGeneration) {
  std::unique_ptr<PackageCatalog> catalog =
      MakeCatalog({.refresh_interval = absl::Milliseconds(100), .rescan_interval = absl::Hours(1)});
  ASSERT_TRUE(catalog->LoadNow(repository_)->files.empty());
  Stores writer = stores_;
  if (environment_->shared_between_instances()) {
    absl::StatusOr<Stores> other = environment_->Open();
    ASSERT_TRUE(other.ok()) << other.status();
    writer = *std::move(other);
  }
  const std::string wheel = Wheel("4.0", ">=3.8");
  Place("agent-4.0-py3-none-any.whl", wheel);
  const ArtifactRecord record = UploadRecord("agent-4.0-py3-none-any.whl", wheel);
  ASSERT_TRUE(writer.artifacts->Put(record).ok());
  EXPECT_TRUE(Eventually(
      [&] {
        const CatalogSnapshotPtr cached = catalog->Cached(*repository_);
        return cached != nullptr && FindFile(*cached, record.path) != nullptr;
      },
      absl::Seconds(5)));
}

INSTANTIATE_TEST_SUITE_P(BothStores, PackageCatalogTest, testing::AllStoreFactories(),
                         testing::StoreFactoryName);

}  // namespace
}  // namespace tollgate::storage
