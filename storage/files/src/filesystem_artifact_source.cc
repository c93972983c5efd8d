// ArtifactSource on a local folder. Every lookup below a repository folder goes through
// openat2(RESOLVE_BENEATH), so the kernel refuses any path or link that would leave it.
#include "tollgate/storage/files/filesystem_artifact_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "tollgate/policy/slug.h"
#include "tollgate/storage/secrets.h"
#include "upload_name.h"

namespace tollgate::storage {
namespace {

constexpr int kUploadNameAttempts = 8;
// openat2 answers EAGAIN when a concurrent rename might have let a lookup escape; the
// kernel's advice is to retry.
constexpr int kOpenAttempts = 4;
constexpr mode_t kFolderMode = 0755;
constexpr mode_t kFileMode = 0644;

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Close(); }

  bool valid() const { return fd_ >= 0; }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  int fd_ = -1;
};

// Debian's abseil keeps its own string_view type, which std::string_view does not convert to.
absl::string_view View(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string ErrorText(int error) { return std::generic_category().message(error); }

// Failures of the disk itself: ResourceExhausted when it is full, Unavailable otherwise.
absl::Status IoError(int error, absl::string_view doing, absl::string_view what) {
  std::string message = absl::StrCat(doing, " ", what, ": ", ErrorText(error));
  if (error == ENOSPC || error == EDQUOT || error == EFBIG) {
    return absl::ResourceExhaustedError(std::move(message));
  }
  return absl::UnavailableError(std::move(message));
}

// A lookup that fails because the name is absent, is used as a folder but is not one, is a
// link leaving the repository or a link loop: all mean "no such artifact".
bool IsMissing(int error) {
  return error == ENOENT || error == ENOTDIR || error == EXDEV || error == ELOOP ||
         error == ENAMETOOLONG;
}

absl::Status LookupError(int error, absl::string_view what) {
  if (IsMissing(error)) return absl::NotFoundError(absl::StrCat(what, " not found"));
  return IoError(error, "cannot open", what);
}

absl::Status CheckArguments(std::string_view org, std::string_view repo) {
  if (!policy::IsValidSlug(org) || !policy::IsValidSlug(repo)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid repository ", View(org), "/", View(repo)));
  }
  return absl::OkStatus();
}

absl::Status CheckArguments(std::string_view org, std::string_view repo, std::string_view path) {
  absl::Status status = CheckArguments(org, repo);
  if (!status.ok()) return status;
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("the path must be relative, non-empty and without NUL");
  }
  for (absl::string_view segment : absl::StrSplit(View(path), '/')) {
    if (segment == "..") return absl::InvalidArgumentError("the path must not contain '..'");
    if (absl::StartsWith(segment, kUploadPrefix)) {
      return absl::InvalidArgumentError(
          absl::StrCat("names starting with ", kUploadPrefix, " are reserved for uploads"));
    }
  }
  return absl::OkStatus();
}

std::string Describe(std::string_view org, std::string_view repo, std::string_view path) {
  return absl::StrCat(View(org), "/", View(repo), "/", View(path));
}

// Opens `path` relative to the folder `dir`, following links only while they stay below it.
// On failure the result is invalid and errno says why.
UniqueFd OpenBeneath(int dir, const char* path, uint64_t flags, uint64_t resolve = 0) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | resolve;
  for (int attempt = 0; attempt < kOpenAttempts; ++attempt) {
    const long fd = ::syscall(SYS_openat2, dir, path, &how, sizeof(how));
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    if (errno != EAGAIN) break;
  }
  return UniqueFd();
}

UniqueFd OpenBeneath(int dir, const std::string& path, uint64_t flags, uint64_t resolve = 0) {
  return OpenBeneath(dir, path.c_str(), flags, resolve);
}

// `text` NUL-terminated in `out`, for a system call without allocating. False (errno
// ENAMETOOLONG) when it does not fit.
template <size_t N>
bool ToCString(std::string_view text, std::array<char, N>& out) {
  if (text.size() >= N) {
    errno = ENAMETOOLONG;
    return false;
  }
  std::memcpy(out.data(), text.data(), text.size());
  out[text.size()] = '\0';
  return true;
}

// The repository folder. Org and repo are slugs, so it is exactly two levels below the root;
// links the operator placed at those two levels are followed, as the root itself may be one.
UniqueFd OpenRepository(int root_fd, std::string_view org, std::string_view repo, int flags) {
  // Slugs have at most 64 characters, so "org/repo" fits; no allocation on the download path.
  std::array<char, 2 * 64 + 2> relative;
  if (org.size() + 1 + repo.size() >= relative.size()) {
    errno = ENAMETOOLONG;
    return UniqueFd();
  }
  char* end = std::copy(org.begin(), org.end(), relative.data());
  *end++ = '/';
  end = std::copy(repo.begin(), repo.end(), end);
  *end = '\0';
  return UniqueFd(::openat(root_fd, relative.data(), flags | O_DIRECTORY | O_CLOEXEC));
}

absl::Status MakeFolder(int parent_fd, const std::string& name, absl::string_view what) {
  if (::mkdirat(parent_fd, name.c_str(), kFolderMode) != 0 && errno != EEXIST) {
    return IoError(errno, "cannot create the folder of", what);
  }
  return absl::OkStatus();
}

// The folder that will hold `path` (opened for reading, so it can be synced), creating the
// repository folder and any missing parents.
absl::StatusOr<UniqueFd> MakeParentFolders(int root_fd, std::string_view org, std::string_view repo,
                                           std::string_view path) {
  const std::string what = Describe(org, repo, path);
  absl::Status made = MakeFolder(root_fd, std::string(org), what);
  if (!made.ok()) return made;
  UniqueFd org_dir(::openat(root_fd, std::string(org).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!org_dir.valid()) return IoError(errno, "cannot open the folder of", what);
  made = MakeFolder(org_dir.get(), std::string(repo), what);
  if (!made.ok()) return made;
  UniqueFd repo_dir = OpenRepository(root_fd, org, repo, O_RDONLY);
  if (!repo_dir.valid()) return IoError(errno, "cannot open the folder of", what);

  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return repo_dir;
  UniqueFd parent;
  std::string prefix;
  for (absl::string_view segment :
       absl::StrSplit(View(path.substr(0, slash)), '/', absl::SkipEmpty())) {
    made = MakeFolder(parent.valid() ? parent.get() : repo_dir.get(), std::string(segment), what);
    if (!made.ok()) return made;
    prefix = prefix.empty() ? std::string(segment) : absl::StrCat(prefix, "/", segment);
    // Resolved from the repository folder again, so a linked parent is accepted exactly when
    // it stays inside the repository.
    UniqueFd next = OpenBeneath(repo_dir.get(), prefix, O_RDONLY | O_DIRECTORY);
    if (!next.valid()) {
      if (errno == EXDEV || errno == ELOOP) {
        return absl::InvalidArgumentError(
            absl::StrCat("a parent folder of ", what, " links outside the repository"));
      }
      if (errno == ENOTDIR) {
        return absl::FailedPreconditionError(
            absl::StrCat("a parent of ", what, " is not a folder"));
      }
      return IoError(errno, "cannot open the folder of", what);
    }
    parent = std::move(next);
  }
  return parent.valid() ? std::move(parent) : std::move(repo_dir);
}

class FilesystemArtifactWriter final : public ArtifactWriter {
 public:
  FilesystemArtifactWriter(UniqueFd folder, UniqueFd file, std::string upload_name,
                           std::string final_name, std::string what)
      : folder_(std::move(folder)),
        file_(std::move(file)),
        upload_name_(std::move(upload_name)),
        final_name_(std::move(final_name)),
        what_(std::move(what)) {}

  ~FilesystemArtifactWriter() override {
    // Should the unlink fail, what remains is a temporary that Open and List ignore.
    if (!committed_) ::unlinkat(folder_.get(), upload_name_.c_str(), 0);
  }

  absl::Status Write(std::string_view bytes) override {
    if (committed_) return absl::FailedPreconditionError("the upload is already committed");
    while (!bytes.empty()) {
      const ssize_t written = ::write(file_.get(), bytes.data(), bytes.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        return IoError(errno, "cannot write", what_);
      }
      bytes.remove_prefix(static_cast<size_t>(written));
    }
    return absl::OkStatus();
  }

  absl::Status Commit(bool overwrite) override {
    if (committed_) return absl::FailedPreconditionError("the upload is already committed");
    if (::fsync(file_.get()) != 0) return IoError(errno, "cannot sync", what_);
    absl::Status placed = overwrite ? Replace() : PlaceNew();
    if (!placed.ok()) return placed;
    committed_ = true;
    file_ = UniqueFd();
    // The new name is durable only once its folder is synced too.
    if (::fsync(folder_.get()) != 0) return IoError(errno, "cannot sync the folder of", what_);
    return absl::OkStatus();
  }

 private:
  absl::Status Replace() {
    if (::renameat(folder_.get(), upload_name_.c_str(), folder_.get(), final_name_.c_str()) == 0) {
      return absl::OkStatus();
    }
    if (errno == EISDIR) {
      return absl::FailedPreconditionError(absl::StrCat(what_, " is a folder"));
    }
    return IoError(errno, "cannot rename the upload to", what_);
  }

  absl::Status PlaceNew() {
    if (::renameat2(folder_.get(), upload_name_.c_str(), folder_.get(), final_name_.c_str(),
                    RENAME_NOREPLACE) == 0) {
      return absl::OkStatus();
    }
    if (errno == EEXIST) return absl::AlreadyExistsError(absl::StrCat(what_, " already exists"));
    if (errno != EINVAL) return IoError(errno, "cannot rename the upload to", what_);
    // Some filesystems (NFS among them) lack RENAME_NOREPLACE; a hard link refuses an
    // existing name just as atomically.
    if (::linkat(folder_.get(), upload_name_.c_str(), folder_.get(), final_name_.c_str(), 0) != 0) {
      if (errno == EEXIST) return absl::AlreadyExistsError(absl::StrCat(what_, " already exists"));
      return IoError(errno, "cannot link the upload to", what_);
    }
    // The upload is in place; should the unlink fail, the temporary is ignored like any other.
    ::unlinkat(folder_.get(), upload_name_.c_str(), 0);
    return absl::OkStatus();
  }

  UniqueFd folder_;
  UniqueFd file_;
  const std::string upload_name_;
  const std::string final_name_;
  const std::string what_;
  bool committed_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FilesystemArtifactSource>> FilesystemArtifactSource::Create(
    const std::filesystem::path& root) {
  std::error_code error;
  std::filesystem::create_directories(root, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", root.string(), ": ", error.message()));
  }
  const int fd = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot open ", root.string(), ": ", ErrorText(errno)));
  }
  return std::unique_ptr<FilesystemArtifactSource>(new FilesystemArtifactSource(fd));
}

FilesystemArtifactSource::~FilesystemArtifactSource() { ::close(root_fd_); }

absl::StatusOr<ArtifactFile> FilesystemArtifactSource::Open(std::string_view org,
                                                            std::string_view repo,
                                                            std::string_view path) const {
  absl::Status valid = CheckArguments(org, repo, path);
  if (!valid.ok()) return valid;
  // Every download opens a file: the success path allocates nothing, so the description for an
  // error message is made only when one is needed.
  const auto what = [&] { return Describe(org, repo, path); };
  // errno is read before what() runs: building the description may change it.
  const auto lookup_error = [&] {
    const int error = errno;
    return LookupError(error, what());
  };
  UniqueFd repo_dir = OpenRepository(root_fd_, org, repo, O_PATH);
  if (!repo_dir.valid()) return lookup_error();
  std::array<char, PATH_MAX> name;
  if (!ToCString(path, name)) return lookup_error();
  // O_NONBLOCK keeps a FIFO placed in the folder from hanging the request until it is refused
  // below; on the regular files that pass, Linux ignores the flag.
  UniqueFd file = OpenBeneath(repo_dir.get(), name.data(), O_RDONLY | O_NOCTTY | O_NONBLOCK);
  if (!file.valid()) return lookup_error();
  struct stat status;
  if (::fstat(file.get(), &status) != 0) {
    const int error = errno;
    return IoError(error, "cannot inspect", what());
  }
  if (!S_ISREG(status.st_mode)) {
    return absl::NotFoundError(absl::StrCat(what(), " is not a file"));
  }
  return ArtifactFile(file.release(), static_cast<uint64_t>(status.st_size),
                      absl::TimeFromTimespec(status.st_mtim));
}

absl::StatusOr<std::unique_ptr<ArtifactWriter>> FilesystemArtifactSource::BeginWrite(
    std::string_view org, std::string_view repo, std::string_view path) {
  absl::Status valid = CheckArguments(org, repo, path);
  if (!valid.ok()) return valid;
  std::string what = Describe(org, repo, path);
  const size_t slash = path.rfind('/');
  std::string final_name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  if (final_name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " names a folder, not a file"));
  }
  absl::StatusOr<UniqueFd> folder = MakeParentFolders(root_fd_, org, repo, path);
  if (!folder.ok()) return folder.status();
  for (int attempt = 0; attempt < kUploadNameAttempts; ++attempt) {
    std::string upload_name = absl::StrCat(kUploadPrefix, RandomSecret(kUploadSuffixLength));
    UniqueFd file(::openat(folder->get(), upload_name.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode));
    if (file.valid()) {
      return std::make_unique<FilesystemArtifactWriter>(*std::move(folder), std::move(file),
                                                        std::move(upload_name),
                                                        std::move(final_name), std::move(what));
    }
    if (errno != EEXIST) return IoError(errno, "cannot start the upload of", what);
  }
  return absl::UnavailableError(absl::StrCat("no free upload name beside ", what));
}

absl::Status FilesystemArtifactSource::Remove(std::string_view org, std::string_view repo,
                                              std::string_view path) {
  absl::Status valid = CheckArguments(org, repo, path);
  if (!valid.ok()) return valid;
  const std::string what = Describe(org, repo, path);
  UniqueFd repo_dir = OpenRepository(root_fd_, org, repo, O_RDONLY);
  if (!repo_dir.valid()) return LookupError(errno, what);
  const size_t slash = path.rfind('/');
  UniqueFd parent;
  if (slash != std::string_view::npos) {
    parent =
        OpenBeneath(repo_dir.get(), std::string(path.substr(0, slash)), O_RDONLY | O_DIRECTORY);
    if (!parent.valid()) return LookupError(errno, what);
  }
  const int folder = parent.valid() ? parent.get() : repo_dir.get();
  const std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  if (::unlinkat(folder, name.c_str(), 0) != 0) {
    if (IsMissing(errno) || errno == EISDIR) {
      return absl::NotFoundError(absl::StrCat(what, " not found"));
    }
    return IoError(errno, "cannot remove", what);
  }
  if (::fsync(folder) != 0) return IoError(errno, "cannot sync the folder of", what);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ArtifactListing>> FilesystemArtifactSource::List(
    std::string_view org, std::string_view repo) const {
  absl::Status valid = CheckArguments(org, repo);
  if (!valid.ok()) return valid;
  std::vector<ArtifactListing> listing;
  UniqueFd repo_dir = OpenRepository(root_fd_, org, repo, O_PATH);
  if (!repo_dir.valid()) {
    // Nothing was ever uploaded to it.
    if (errno == ENOENT) return listing;
    return IoError(errno, "cannot open", Describe(org, repo, ""));
  }
  std::vector<std::string> pending = {""};
  while (!pending.empty()) {
    const std::string folder = std::move(pending.back());
    pending.pop_back();
    // RESOLVE_NO_SYMLINKS: a folder swapped for a link after it was seen is not entered.
    UniqueFd folder_fd = OpenBeneath(repo_dir.get(), folder.empty() ? "." : folder,
                                     O_RDONLY | O_DIRECTORY, RESOLVE_NO_SYMLINKS);
    if (!folder_fd.valid()) {
      if (!folder.empty() && IsMissing(errno)) continue;  // removed while listing
      return IoError(errno, "cannot list", Describe(org, repo, folder));
    }
    std::unique_ptr<DIR, int (*)(DIR*)> entries(::fdopendir(folder_fd.get()), &::closedir);
    if (entries == nullptr) return IoError(errno, "cannot list", Describe(org, repo, folder));
    folder_fd.release();
    for (;;) {
      errno = 0;
      const dirent* entry = ::readdir(entries.get());
      if (entry == nullptr) {
        if (errno != 0) return IoError(errno, "cannot list", Describe(org, repo, folder));
        break;
      }
      const absl::string_view name = entry->d_name;
      if (name == "." || name == ".." || absl::StartsWith(name, kUploadPrefix)) continue;
      std::string child = folder.empty() ? std::string(name) : absl::StrCat(folder, "/", name);
      struct stat status;
      // An entry removed while listing, or one we may not inspect, is not listed.
      if (::fstatat(::dirfd(entries.get()), entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0) {
        continue;
      }
      if (S_ISDIR(status.st_mode)) {
        pending.push_back(std::move(child));
        continue;
      }
      if (S_ISLNK(status.st_mode)) {
        // Listed exactly when Open would serve it: a link to a file inside the repository.
        UniqueFd target = OpenBeneath(repo_dir.get(), child, O_PATH);
        if (!target.valid() || ::fstat(target.get(), &status) != 0) continue;
      }
      if (!S_ISREG(status.st_mode)) continue;
      listing.push_back(ArtifactListing{std::move(child), static_cast<uint64_t>(status.st_size),
                                        absl::TimeFromTimespec(status.st_mtim)});
    }
  }
  std::sort(listing.begin(), listing.end(),
            [](const ArtifactListing& a, const ArtifactListing& b) { return a.path < b.path; });
  return listing;
}

}  // namespace tollgate::storage
