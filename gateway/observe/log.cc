// Line-at-a-time logging; JSON lines escape per RFC 8259.
#include "observe/log.h"

#include <atomic>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "observe/log_sink.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace {

// A thread's line buffer keeps at most this much memory between lines.
constexpr size_t kKeptLineCapacity = 64 * 1024;

// Read by every thread that logs; SIGHUP may change it.
std::atomic<LogFormat> g_format{LogFormat::kText};

// `s` as a JSON string (RFC 8259), appended to `out`.
void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

// `now` as 2026-12-06T05:07:39.123Z, appended to `out`. Every download logs a line, so the
// part up to the second is formatted once a second per thread and only the milliseconds each
// time.
void AppendLogTime(std::string& out, absl::Time now) {
  thread_local int64_t cached_second = -1;
  thread_local std::string cached;
  const int64_t millis = absl::ToUnixMillis(now);
  const int64_t second = millis / 1000;
  if (second != cached_second) {
    cached =
        absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(second), absl::UTCTimeZone());
    cached_second = second;
  }
  const auto fraction = static_cast<int>(millis % 1000);
  AppendTo(out, cached, '.', static_cast<char>('0' + fraction / 100),
           static_cast<char>('0' + fraction / 10 % 10), static_cast<char>('0' + fraction % 10),
           'Z');
}

}  // namespace

void SetLogFormat(LogFormat format) { g_format.store(format, std::memory_order_relaxed); }

void LogEvent(std::string_view level, std::string_view event, std::span<const LogField> fields) {
  // Reused by every line of the thread: logging a download allocates nothing.
  thread_local std::string line;
  line.clear();
  if (g_format.load(std::memory_order_relaxed) == LogFormat::kJson) {
    line += "{\"time\":\"";
    AppendLogTime(line, absl::Now());
    line += "\",\"level\":";
    AppendJsonString(line, level);
    line += ",\"event\":";
    AppendJsonString(line, event);
    for (const auto& [key, value] : fields) {
      line += ',';
      AppendJsonString(line, key);
      line += ':';
      AppendJsonString(line, value);
    }
    line += "}\n";
  } else {
    AppendLogTime(line, absl::Now());
    AppendTo(line, " ", level, " ", event);
    for (const auto& [key, value] : fields) {
      AppendTo(line, " ", key, "=");
      if (NeedsQuotes(value)) {
        AppendJsonString(line, value);
      } else {
        line += value;
      }
    }
    line += "\n";
  }
  const bool urgent = level == "error" || level == "warn" || level == "warning";
  WriteLogLine(line, urgent ? LineUrgency::kAtOnce : LineUrgency::kBuffered);
  // One huge line (a long error) must not keep its memory for the thread's life.
  if (line.capacity() > kKeptLineCapacity) std::string().swap(line);
}

}  // namespace tollgate::gateway
