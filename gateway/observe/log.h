// Process-wide structured logging to stderr, as text or one JSON object per line.
// Callers pass fields explicitly; secrets are never handed to the logger.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace tollgate::gateway {

enum class LogFormat { kText, kJson };

using LogField = std::pair<std::string_view, std::string_view>;

// Chooses the output format for every later line, from any thread (SIGHUP changes it).
void SetLogFormat(LogFormat format);

// Writes one line `event` with `fields` whole (log_sink.h: at once, or buffered while a
// BufferedLogging exists). Failures to write are ignored: logging never stops serving.
void LogEvent(std::string_view level, std::string_view event, std::span<const LogField> fields);
inline void LogEvent(std::string_view level, std::string_view event,
                     std::initializer_list<LogField> fields = {}) {
  LogEvent(level, event, std::span<const LogField>(fields.begin(), fields.size()));
}

}  // namespace tollgate::gateway
