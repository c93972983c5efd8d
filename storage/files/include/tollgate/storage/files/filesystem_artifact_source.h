// ArtifactSource on a local folder: `{root}/{org}/{repo}/{path}`. Files placed there by hand
// are served like uploaded ones; nothing outside a repository's folder is ever opened.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tollgate/storage/artifact_source.h"

namespace tollgate::storage {

class FilesystemArtifactSource final : public ArtifactSource {
 public:
  // Opens the artifacts folder `root`, creating it if missing. Unavailable naming the folder
  // when it cannot be created or opened.
  static absl::StatusOr<std::unique_ptr<FilesystemArtifactSource>> Create(
      const std::filesystem::path& root);
  FilesystemArtifactSource(const FilesystemArtifactSource&) = delete;
  FilesystemArtifactSource& operator=(const FilesystemArtifactSource&) = delete;
  ~FilesystemArtifactSource() override;

  // Every method refuses with InvalidArgument an org or repo that is not a slug, and a path
  // that is empty, absolute, holds a `..` segment or NUL, or names an upload temporary.
  // Symbolic links are followed only while they stay inside the repository folder.
  absl::StatusOr<ArtifactFile> Open(std::string_view org, std::string_view repo,
                                    std::string_view path) const override;
  // InvalidArgument when a parent folder is a link leaving the repository; FailedPrecondition
  // when a parent is not a folder.
  absl::StatusOr<std::unique_ptr<ArtifactWriter>> BeginWrite(std::string_view org,
                                                             std::string_view repo,
                                                             std::string_view path) override;
  absl::Status Remove(std::string_view org, std::string_view repo, std::string_view path) override;
  // Does not descend into linked folders; lists a linked file when Open would serve it.
  absl::StatusOr<std::vector<ArtifactListing>> List(std::string_view org,
                                                    std::string_view repo) const override;

 private:
  explicit FilesystemArtifactSource(int root_fd) : root_fd_(root_fd) {}

  const int root_fd_;  // O_PATH descriptor of the root folder
};

}  // namespace tollgate::storage
