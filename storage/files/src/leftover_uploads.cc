// Walking the repositories for upload temporaries and removing the stale ones.
#include "tollgate/storage/files/leftover_uploads.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "upload_name.h"

namespace tollgate::storage {
namespace {

namespace fs = std::filesystem;

absl::Status Failure(const fs::path& path, const std::error_code& error) {
  return absl::UnavailableError(
      absl::StrCat("cannot clean up ", path.string(), ": ", error.message()));
}

// The folders one level below `folder`, links to folders included.
absl::StatusOr<std::vector<fs::path>> Subfolders(const fs::path& folder) {
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    std::error_code ignored;  // an entry gone or unreadable is no repository
    if (it->is_directory(ignored)) found.push_back(it->path());
  }
  if (error) return Failure(folder, error);
  return found;
}

// Removes the stale temporaries anywhere below `repository`, links not followed.
absl::StatusOr<size_t> CleanRepository(const fs::path& repository, absl::Time older_than) {
  size_t removed = 0;
  std::error_code error;
  for (fs::recursive_directory_iterator it(repository, error), end; !error && it != end;
       it.increment(error)) {
    if (!IsUploadName(it->path().filename().native())) continue;
    struct stat status;
    if (::lstat(it->path().c_str(), &status) != 0 || !S_ISREG(status.st_mode)) continue;
    // A live upload writes its temporary at least once a minute; an older one is stale.
    if (absl::TimeFromTimespec(status.st_mtim) >= older_than) continue;
    if (::unlink(it->path().c_str()) == 0) {
      ++removed;
    } else if (errno != ENOENT) {
      return Failure(it->path(), std::error_code(errno, std::generic_category()));
    }
  }
  if (error) return Failure(repository, error);
  return removed;
}

}  // namespace

absl::StatusOr<size_t> RemoveLeftoverUploads(const fs::path& root, absl::Time older_than) {
  absl::StatusOr<std::vector<fs::path>> orgs = Subfolders(root);
  if (!orgs.ok()) return orgs.status();
  size_t removed = 0;
  for (const fs::path& org : *orgs) {
    absl::StatusOr<std::vector<fs::path>> repositories = Subfolders(org);
    if (!repositories.ok()) return repositories.status();
    for (const fs::path& repository : *repositories) {
      absl::StatusOr<size_t> cleaned = CleanRepository(repository, older_than);
      if (!cleaned.ok()) return cleaned.status();
      removed += *cleaned;
    }
  }
  return removed;
}

}  // namespace tollgate::storage
