// Head lines are found with memchr and matched by length first; the body is skipped by
// arithmetic on the remaining length.
#include "load/response_parser.h"

#include <algorithm>
#include <cstring>

#include "tollgate/base/text.h"

namespace tollgate::gateway::load {
namespace {

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool ParseDecimal(std::string_view text, uint64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  out = value;
  return true;
}

// True when the comma-separated list `value` holds `token` (case-insensitive).
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    const std::string_view item = TrimOws(value.substr(0, comma));
    if (EqualsIgnoreCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// True when the last transfer coding of `value` is chunked.
bool EndsInChunked(std::string_view value) {
  const size_t comma = value.rfind(',');
  const std::string_view last =
      TrimOws(comma == std::string_view::npos ? value : value.substr(comma + 1));
  return EqualsIgnoreCase(last, "chunked");
}

}  // namespace

void ResponseParser::Reset(bool head_only) {
  *this = ResponseParser();
  head_only_ = head_only;
}

size_t ResponseParser::Fail(const char* why, size_t consumed) {
  state_ = State::kFailed;
  error_ = why;
  return consumed;
}

bool ResponseParser::NextLine(const char* data, size_t size, std::string_view& line, size_t& used) {
  const void* newline = std::memchr(data, '\n', std::min(size, kMaxLineBytes));
  if (newline == nullptr) return false;
  size_t length = static_cast<size_t>(static_cast<const char*>(newline) - data);
  used = length + 1;
  if (length > 0 && data[length - 1] == '\r') --length;
  line = std::string_view(data, length);
  return true;
}

bool ResponseParser::ParseStatusLine(std::string_view line) {
  // HTTP/1.x SP 3DIGIT [SP reason-phrase]
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[7] < '0' || line[7] > '9' ||
      line[8] != ' ') {
    return false;
  }
  http10_ = line[7] == '0';
  int status = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return false;
    status = status * 10 + (line[i] - '0');
  }
  if (line.size() > 12 && line[12] != ' ') return false;
  if (status < 100 || status > 599) return false;
  status_ = status;
  return true;
}

bool ResponseParser::ParseHeader(std::string_view line) {
  const size_t colon = line.find(':');
  // No name, or obsolete line folding (a line starting with white space): both malformed.
  if (colon == std::string_view::npos || colon == 0 || line[0] == ' ' || line[0] == '\t') {
    return false;
  }
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = TrimOws(line.substr(colon + 1));
  switch (name.size()) {
    case 10:  // Connection
      if (EqualsIgnoreCase(name, "connection")) {
        if (HasToken(value, "close")) connection_close_ = true;
        if (HasToken(value, "keep-alive")) connection_keep_alive_ = true;
      }
      break;
    case 14: {  // Content-Length
      if (!EqualsIgnoreCase(name, "content-length")) break;
      uint64_t length = 0;
      if (!ParseDecimal(value, length)) return false;
      if (has_length_ && length != content_length_) return false;
      has_length_ = true;
      content_length_ = length;
      break;
    }
    case 17:  // Transfer-Encoding / X-Tollgate-Reason
      if (EqualsIgnoreCase(name, "transfer-encoding")) {
        chunked_ = EndsInChunked(value);
        if (!chunked_) return false;  // a coding we cannot frame: the length is unknowable
      } else if (EqualsIgnoreCase(name, "x-tollgate-reason")) {
        const size_t n = std::min(value.size(), reason_.chars.size());
        for (size_t i = 0; i < n; ++i) {
          const char c = value[i];
          reason_.chars[i] = c > 0x20 && c < 0x7f ? c : '?';
        }
        reason_.size = n;
      }
      break;
    default:
      break;
  }
  return true;
}

bool ResponseParser::EndOfHead() {
  keep_alive_ = http10_ ? connection_keep_alive_ && !connection_close_ : !connection_close_;
  if (status_ < 200) {
    // 101 would switch protocols, which a load run never asks for.
    if (status_ == 101) return false;
    // An interim response: the real one follows on the same connection.
    const size_t head_bytes = head_bytes_;
    const bool head_only = head_only_;
    Reset(head_only);
    head_bytes_ = head_bytes;
    return true;
  }
  if (head_only_ || status_ == 204 || status_ == 304) {
    state_ = State::kDone;
  } else if (chunked_) {
    state_ = State::kChunkSize;
  } else if (has_length_) {
    if (content_length_ > kMaxBodyBytes) return false;
    remaining_ = content_length_;
    state_ = remaining_ == 0 ? State::kDone : State::kBody;
  } else {
    keep_alive_ = false;
    state_ = State::kUntilClose;
  }
  return true;
}

size_t ResponseParser::Parse(const char* data, size_t size) {
  size_t at = 0;
  while (at < size) {
    switch (state_) {
      case State::kDone:
      case State::kFailed:
        return at;
      case State::kBody:
      case State::kChunkData:
      case State::kUntilClose: {
        const uint64_t available = size - at;
        const uint64_t take =
            state_ == State::kUntilClose ? available : std::min(available, remaining_);
        at += static_cast<size_t>(take);
        body_bytes_ += take;
        if (state_ == State::kUntilClose) break;
        remaining_ -= take;
        if (remaining_ == 0) state_ = state_ == State::kBody ? State::kDone : State::kChunkDataEnd;
        break;
      }
      default: {
        std::string_view line;
        size_t used = 0;
        // The head and the trailers are bounded as a whole; a chunk's size line and its end
        // are bounded by the line limit, and there are as many as the body has chunks.
        const bool in_head =
            state_ == State::kStatusLine || state_ == State::kHeaders || state_ == State::kTrailers;
        if (!NextLine(data + at, size - at, line, used)) {
          if (size - at >= kMaxLineBytes) return Fail("a head line is too long", at);
          if (in_head && head_bytes_ + (size - at) > kMaxHeadBytes) {
            return Fail("the head is too large", at);
          }
          return at;
        }
        if (in_head) head_bytes_ += used;
        if (head_bytes_ > kMaxHeadBytes) return Fail("the head is too large", at);
        at += used;
        switch (state_) {
          case State::kStatusLine:
            if (!ParseStatusLine(line)) return Fail("malformed status line", at);
            state_ = State::kHeaders;
            break;
          case State::kHeaders:
            if (line.empty()) {
              if (!EndOfHead()) return Fail("unusable response framing", at);
            } else if (!ParseHeader(line)) {
              return Fail("malformed header", at);
            }
            break;
          case State::kChunkSize: {
            const std::string_view digits = TrimOws(line.substr(0, line.find(';')));
            if (digits.empty() || digits.size() > 15) return Fail("malformed chunk size", at);
            uint64_t chunk = 0;
            for (char c : digits) {
              int digit = -1;
              if (c >= '0' && c <= '9') digit = c - '0';
              if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
              if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
              if (digit < 0) return Fail("malformed chunk size", at);
              chunk = chunk * 16 + static_cast<uint64_t>(digit);
            }
            if (body_bytes_ + chunk > kMaxBodyBytes) return Fail("the body is too large", at);
            remaining_ = chunk;
            state_ = chunk == 0 ? State::kTrailers : State::kChunkData;
            break;
          }
          case State::kChunkDataEnd:
            if (!line.empty()) return Fail("malformed chunk end", at);
            state_ = State::kChunkSize;
            break;
          case State::kTrailers:
            if (line.empty()) state_ = State::kDone;
            break;
          default:
            break;
        }
      }
    }
  }
  return at;
}

void ResponseParser::Eof() {
  if (state_ == State::kUntilClose) {
    state_ = State::kDone;
    keep_alive_ = false;
    return;
  }
  if (state_ != State::kDone && state_ != State::kFailed) {
    state_ = State::kFailed;
    error_ = "the connection closed before the response ended";
  }
}

}  // namespace tollgate::gateway::load
