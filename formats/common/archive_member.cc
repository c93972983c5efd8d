// libarchive behind ReadArchiveMember: only the archive formats and filters packages use
// (zip, tar, ar; gzip, xz, zstd, bzip2), so a hostile file cannot reach the rest of libarchive.
#include "common/archive_member.h"

#include <archive.h>
#include <archive_entry.h>

#include <array>
#include <memory>

#include "tollgate/base/concat.h"

namespace tollgate::formats {
namespace {

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

ArchivePtr NewReader() {
  ArchivePtr reader(archive_read_new());
  if (!reader) return reader;
  archive_read_support_format_zip(reader.get());
  archive_read_support_format_tar(reader.get());
  archive_read_support_format_gnutar(reader.get());
  archive_read_support_format_ar(reader.get());
  archive_read_support_filter_gzip(reader.get());
  archive_read_support_filter_xz(reader.get());
  archive_read_support_filter_zstd(reader.get());
  archive_read_support_filter_bzip2(reader.get());
  return reader;
}

// The callbacks' view of a ByteSource: a cursor and one read buffer.
struct SourceCursor {
  const ByteSource* source;
  uint64_t position = 0;
  std::array<char, 64 * 1024> buffer;
};

la_ssize_t ReadCallback(archive* a, void* data, const void** out) {
  auto* cursor = static_cast<SourceCursor*>(data);
  absl::StatusOr<size_t> got =
      cursor->source->ReadAt(cursor->position, cursor->buffer.data(), cursor->buffer.size());
  if (!got.ok()) {
    archive_set_error(a, EIO, "the package file could not be read");
    return -1;
  }
  cursor->position += *got;
  *out = cursor->buffer.data();
  return static_cast<la_ssize_t>(*got);
}

la_int64_t SeekCallback(archive* /*a*/, void* data, la_int64_t offset, int whence) {
  auto* cursor = static_cast<SourceCursor*>(data);
  const auto size = static_cast<la_int64_t>(cursor->source->size());
  la_int64_t target = offset;
  if (whence == SEEK_CUR) target += static_cast<la_int64_t>(cursor->position);
  if (whence == SEEK_END) target += size;
  if (target < 0 || target > size) return ARCHIVE_FATAL;
  cursor->position = static_cast<uint64_t>(target);
  return target;
}

la_int64_t SkipCallback(archive* a, void* data, la_int64_t request) {
  auto* cursor = static_cast<SourceCursor*>(data);
  const la_int64_t before = static_cast<la_int64_t>(cursor->position);
  const la_int64_t after = SeekCallback(a, data, request, SEEK_CUR);
  return after < 0 ? 0 : after - before;
}

absl::Status Unreadable(archive* reader) {
  const char* why = archive_error_string(reader);
  return absl::InvalidArgumentError(
      Concat("unreadable archive: ", why != nullptr ? why : "unknown error"));
}

// Reads past the data of the current member, counting what it inflates into `inflated`. A zip's
// members are skipped by seeking; in a compressed stream libarchive would inflate them
// unseen, so the stream's members are read here, within the budget.
absl::Status SkipMember(archive* reader, uint64_t& inflated) {
  if ((archive_format(reader) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP) {
    return archive_read_data_skip(reader) == ARCHIVE_OK ? absl::OkStatus() : Unreadable(reader);
  }
  std::array<char, 16 * 1024> chunk;
  for (;;) {
    const la_ssize_t got = archive_read_data(reader, chunk.data(), chunk.size());
    if (got < 0) return Unreadable(reader);
    if (got == 0) return absl::OkStatus();
    inflated += static_cast<uint64_t>(got);
    if (inflated > kMaxInflatedBytes) {
      return absl::InvalidArgumentError(Concat("archive inflates to more than ", kMaxInflatedBytes,
                                               " bytes before the member looked for"));
    }
  }
}

// Walks the opened `reader` to the first member `wanted` accepts and reads it.
absl::StatusOr<std::optional<std::string>> FindMember(archive* reader, const MemberMatcher& wanted,
                                                      size_t max_bytes) {
  archive_entry* entry = nullptr;
  uint64_t inflated = 0;
  for (int seen = 0; seen < kMaxArchiveEntries; ++seen) {
    const int next = archive_read_next_header(reader, &entry);
    if (next == ARCHIVE_EOF) return std::nullopt;
    if (next < ARCHIVE_WARN) return Unreadable(reader);
    const char* name = archive_entry_pathname(entry);
    if (name == nullptr || archive_entry_filetype(entry) != AE_IFREG || !wanted(name)) {
      if (absl::Status skipped = SkipMember(reader, inflated); !skipped.ok()) return skipped;
      continue;
    }
    std::string content;
    std::array<char, 16 * 1024> chunk;
    for (;;) {
      const la_ssize_t got = archive_read_data(reader, chunk.data(), chunk.size());
      if (got < 0) {
        return absl::InvalidArgumentError(Concat("unreadable archive member ", name));
      }
      if (got == 0) return content;
      if (content.size() + static_cast<size_t>(got) > max_bytes) {
        return absl::InvalidArgumentError(
            Concat("archive member ", name, " is larger than ", max_bytes, " bytes"));
      }
      content.append(chunk.data(), static_cast<size_t>(got));
    }
  }
  return absl::InvalidArgumentError(
      Concat("archive has more than ", kMaxArchiveEntries, " members before the one looked for"));
}

}  // namespace

absl::StatusOr<std::optional<std::string>> ReadArchiveMember(const ByteSource& source,
                                                             const MemberMatcher& wanted,
                                                             size_t max_bytes) {
  ArchivePtr reader = NewReader();
  if (!reader) return absl::ResourceExhaustedError("libarchive could not allocate a reader");
  auto cursor = std::make_unique<SourceCursor>();
  cursor->source = &source;
  archive_read_set_read_callback(reader.get(), ReadCallback);
  archive_read_set_seek_callback(reader.get(), SeekCallback);
  archive_read_set_skip_callback(reader.get(), SkipCallback);
  archive_read_set_callback_data(reader.get(), cursor.get());
  if (archive_read_open1(reader.get()) != ARCHIVE_OK) {
    return absl::InvalidArgumentError("not an archive tollgate reads (zip, tar or ar)");
  }
  return FindMember(reader.get(), wanted, max_bytes);
}

absl::StatusOr<std::optional<std::string>> ReadArchiveMember(std::string_view archive_bytes,
                                                             const MemberMatcher& wanted,
                                                             size_t max_bytes) {
  ArchivePtr reader = NewReader();
  if (!reader) return absl::ResourceExhaustedError("libarchive could not allocate a reader");
  if (archive_read_open_memory(reader.get(), archive_bytes.data(), archive_bytes.size()) !=
      ARCHIVE_OK) {
    return absl::InvalidArgumentError("not an archive tollgate reads (zip, tar or ar)");
  }
  return FindMember(reader.get(), wanted, max_bytes);
}

}  // namespace tollgate::formats
