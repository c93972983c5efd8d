#include "common/gzip.h"

#include <zlib.h>

#include <cstdlib>

namespace tollgate::formats {

std::string Gzip(std::string_view bytes) {
  z_stream stream{};
  // 15 + 16: a gzip wrapper. Without deflateSetHeader zlib writes no name and mtime 0, so
  // the output depends on the input alone.
  constexpr int kGzipWindowBits = 15 + 16;
  constexpr int kMemoryLevel = 8;  // zlib's default
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemoryLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    std::abort();
  }
  std::string out(deflateBound(&stream, bytes.size()), '\0');
  // zlib's API predates const; it does not write through next_in. Documents are far below
  // uInt's 4 GiB (the view cache keeps 64 MiB in all).
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  // deflateBound is enough for one Z_FINISH call, so anything but Z_STREAM_END is a bug.
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace tollgate::formats
