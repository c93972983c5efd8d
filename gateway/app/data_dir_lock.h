// One process per data folder: the embedded store is loaded into memory once, so a second
// `serve` or an `init` writing beside a running server would go unseen by it.
#pragma once

#include <filesystem>

#include "absl/status/statusor.h"

namespace tollgate::gateway {

// Holds an exclusive flock(2) on DATA_DIR/tollgate.lock until destroyed (or the process
// ends, even by a crash).
class DataDirLock {
 public:
  // Creates the folder if needed and takes the lock. FailedPrecondition naming the folder
  // when another process holds it; Unavailable when the lock file cannot be opened.
  static absl::StatusOr<DataDirLock> Acquire(const std::filesystem::path& data_dir);

  DataDirLock(DataDirLock&& other) noexcept;
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace tollgate::gateway
