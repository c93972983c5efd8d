// Line-at-a-time logging; JSON lines escape per RFC 8259.
#include "observe/log.h"

#include <atomic>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "boost/json/serialize.hpp"
#include "boost/json/string.hpp"
#include "observe/log_sink.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace {

// Read by every thread that logs; SIGHUP may change it.
std::atomic<LogFormat> g_format{LogFormat::kText};

std::string JsonString(std::string_view s) {
  return boost::json::serialize(boost::json::string(s));
}

bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

}  // namespace

void SetLogFormat(LogFormat format) { g_format.store(format, std::memory_order_relaxed); }

void LogEvent(std::string_view level, std::string_view event, std::span<const LogField> fields) {
  const std::string time =
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::string line;
  if (g_format.load(std::memory_order_relaxed) == LogFormat::kJson) {
    AppendTo(line, "{\"time\":\"", time, "\",\"level\":", JsonString(level),
             ",\"event\":", JsonString(event));
    for (const auto& [key, value] : fields) {
      AppendTo(line, ",", JsonString(key), ":", JsonString(value));
    }
    line += "}\n";
  } else {
    AppendTo(line, time, " ", level, " ", event);
    for (const auto& [key, value] : fields) {
      AppendTo(line, " ", key, "=", NeedsQuotes(value) ? JsonString(value) : value);
    }
    line += "\n";
  }
  const bool urgent = level == "error" || level == "warn" || level == "warning";
  WriteLogLine(line, urgent ? LineUrgency::kAtOnce : LineUrgency::kBuffered);
}

}  // namespace tollgate::gateway
