// Org/owner creation and the admin key file.
#include "app/bootstrap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tollgate/base/concat.h"
#include "tollgate/policy/slug.h"
#include "tollgate/storage/secrets.h"

namespace tollgate::gateway {
namespace {

absl::Status WriteSecretFile(const std::filesystem::path& path, const std::string& secret) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return absl::UnavailableError(
        Concat("cannot write ", path.string(), ": ", std::strerror(errno)));
  }
  // An existing file keeps its old mode through O_CREAT, so set it explicitly.
  const std::string line = secret + "\n";
  const bool ok = ::fchmod(fd, 0600) == 0 &&
                  ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok) {
    return absl::UnavailableError(
        Concat("cannot write ", path.string(), ": ", std::strerror(saved_errno)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> CreateOrgWithOwner(const storage::Stores& stores,
                                               const std::string& org, const std::string& owner,
                                               absl::Time now) {
  if (!policy::IsValidSlug(org)) return absl::InvalidArgumentError("--org: not a valid name");
  if (!policy::IsValidSlug(owner)) return absl::InvalidArgumentError("--owner: not a valid name");
  if (absl::Status s = stores.accounts->CreateOrg(org, now); !s.ok()) return s;
  const storage::DirectoryPtr created = stores.accounts->Directory(org);
  if (created == nullptr) return absl::InternalError(Concat("org ", org, " vanished"));
  storage::NewApiKey key = storage::GenerateApiKey();
  policy::OrgDirectory directory = *created;
  directory.members.push_back(policy::Member{owner, policy::OrgRole::kOwner, key.hash, now});
  if (absl::Status s = stores.accounts->ReplaceDirectory(directory); !s.ok()) return s;
  return std::move(key.key);
}

absl::StatusOr<std::optional<std::filesystem::path>> BootstrapIfEmpty(
    const storage::Stores& stores, const std::filesystem::path& data_dir, absl::Time now) {
  if (stores.accounts->AnyOrgExists()) return std::nullopt;
  absl::StatusOr<std::string> key = CreateOrgWithOwner(stores, "default", "admin", now);
  // Instances starting together on one Redis race for this; the one that lost has nothing
  // to hand over.
  if (absl::IsAlreadyExists(key.status())) return std::nullopt;
  if (!key.ok()) return key.status();
  const std::filesystem::path key_file = data_dir / "admin-api-key";
  if (absl::Status s = WriteSecretFile(key_file, *key); !s.ok()) return s;
  return key_file;
}

}  // namespace tollgate::gateway
