// An incremental parser of HTTP/1.x responses for the load generator: it keeps only what a
// load run counts (the status, X-Tollgate-Reason, whether the connection stays open, the body's
// length) and skips the body without copying it. No allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tollgate/base/fixed_text.h"

namespace tollgate::gateway::load {

class ResponseParser {
 public:
  // A head line (status line, header, chunk size, trailer) longer than this is an error; the
  // caller's read buffer must be larger, so that every acceptable line fits in it whole.
  static constexpr size_t kMaxLineBytes = 8 * 1024;
  // All head lines of one response (with its 1xx interim responses and trailers) together.
  static constexpr size_t kMaxHeadBytes = 64 * 1024;
  // A Content-Length or chunk size above this is an error (1 TiB): no load test reads more.
  static constexpr uint64_t kMaxBodyBytes = uint64_t{1} << 40;
  // Longer X-Tollgate-Reason values are cut to this many bytes.
  static constexpr size_t kMaxReasonBytes = 48;

  // Prepares for the next response. `head_only` for the answer to a HEAD request (no body).
  void Reset(bool head_only = false);

  // Parses a prefix of `data` and returns its length. Afterwards done(), failed(), or neither:
  // then the caller appends more bytes to what was not consumed and calls again. Bytes after a
  // complete response are left unconsumed.
  size_t Parse(const char* data, size_t size);
  // The peer closed the connection: completes a body that runs until close, else fails.
  void Eof();

  bool done() const { return state_ == State::kDone; }
  bool failed() const { return state_ == State::kFailed; }
  // Why it failed, a constant sentence ("" unless failed()).
  const char* error() const { return error_; }

  int status() const { return status_; }
  // The X-Tollgate-Reason value, bytes outside printable ASCII replaced by '?'; "" when absent.
  std::string_view reason() const { return reason_.view(); }
  // False when the response said `Connection: close`, was HTTP/1.0 without keep-alive, or ran
  // until the connection closed.
  bool keep_alive() const { return keep_alive_; }
  uint64_t body_bytes() const { return body_bytes_; }

 private:
  enum class State {
    kStatusLine,
    kHeaders,
    kBody,
    kChunkSize,
    kChunkData,
    kChunkDataEnd,
    kTrailers,
    kUntilClose,
    kDone,
    kFailed,
  };

  size_t Fail(const char* why, size_t consumed);
  // The next line in [data, data + size) without its CRLF or LF, or false when incomplete.
  bool NextLine(const char* data, size_t size, std::string_view& line, size_t& used);
  bool ParseStatusLine(std::string_view line);
  bool ParseHeader(std::string_view line);
  bool EndOfHead();

  State state_ = State::kStatusLine;
  const char* error_ = "";
  bool head_only_ = false;
  int status_ = 0;
  bool http10_ = false;
  bool keep_alive_ = true;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
  bool chunked_ = false;
  bool has_length_ = false;
  uint64_t content_length_ = 0;
  uint64_t remaining_ = 0;  // bytes left in the body or the current chunk
  uint64_t body_bytes_ = 0;
  size_t head_bytes_ = 0;
  FixedText<kMaxReasonBytes> reason_;
};

}  // namespace tollgate::gateway::load
