#include "archive_builder.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace tollgate::formats::testing {
namespace {

la_ssize_t Append(archive*, void* data, const void* buffer, size_t length) {
  static_cast<std::string*>(data)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

}  // namespace

std::string BuildArchive(ArchiveKind kind, const ArchiveMembers& members) {
  std::string out;
  archive* writer = archive_write_new();
  switch (kind) {
    case ArchiveKind::kZip:
      archive_write_set_format_zip(writer);
      break;
    case ArchiveKind::kTar:
      archive_write_set_format_pax_restricted(writer);
      break;
    case ArchiveKind::kTarGz:
      archive_write_set_format_pax_restricted(writer);
      archive_write_add_filter_gzip(writer);
      break;
    case ArchiveKind::kAr:
      archive_write_set_format_ar_svr4(writer);
      break;
  }
  // Unpadded output: a tar's last block is written whole rather than to 10 KiB.
  archive_write_set_bytes_in_last_block(writer, 1);
  if (archive_write_open2(writer, &out, nullptr, Append, nullptr, nullptr) != ARCHIVE_OK) {
    throw std::runtime_error(archive_error_string(writer));
  }
  for (const auto& [path, content] : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, path.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_write_header(writer, entry);
    archive_write_data(writer, content.data(), content.size());
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  return out;
}

absl::StatusOr<size_t> MemorySource::ReadAt(uint64_t offset, char* out, size_t length) const {
  if (offset >= bytes_.size()) return 0;
  const size_t count = std::min<size_t>(length, bytes_.size() - offset);
  std::memcpy(out, bytes_.data() + offset, count);
  return count;
}

}  // namespace tollgate::formats::testing
