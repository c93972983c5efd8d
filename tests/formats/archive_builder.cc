#include "archive_builder.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace tollgate::formats {
namespace {

la_ssize_t AppendToString(archive*, void* data, const void* buffer, size_t length) {
  static_cast<std::string*>(data)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

// Test set-up failures are programming errors: throwing fails the test that hit one.
void Check(int result, archive* writer) {
  if (result != ARCHIVE_OK) throw std::runtime_error(archive_error_string(writer));
}

}  // namespace

std::string MakeTar(const std::vector<ArchiveMember>& members, bool gzip) {
  std::string out;
  std::unique_ptr<archive, decltype(&archive_write_free)> writer(archive_write_new(),
                                                                 archive_write_free);
  archive* w = writer.get();
  Check(archive_write_set_format_pax_restricted(w), w);
  Check(gzip ? archive_write_add_filter_gzip(w) : archive_write_add_filter_none(w), w);
  Check(archive_write_set_bytes_in_last_block(w, 1), w);
  Check(archive_write_open(w, &out, nullptr, AppendToString, nullptr), w);
  for (const ArchiveMember& member : members) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        archive_entry_free);
    archive_entry_set_pathname(entry.get(), member.path.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(member.content.size()));
    Check(archive_write_header(w, entry.get()), w);
    if (archive_write_data(w, member.content.data(), member.content.size()) !=
        static_cast<la_ssize_t>(member.content.size())) {
      throw std::runtime_error(archive_error_string(w));
    }
  }
  Check(archive_write_close(w), w);
  return out;
}

absl::StatusOr<size_t> StringSource::ReadAt(uint64_t offset, char* out, size_t length) const {
  if (offset >= data_.size()) return 0;
  const size_t n = std::min<size_t>(length, data_.size() - offset);
  std::memcpy(out, data_.data() + offset, n);
  return n;
}

}  // namespace tollgate::formats
