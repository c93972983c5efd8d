// Rates over the last second, from the difference of two totals.
#include "load/progress_line.h"

#include <cstdio>

namespace tollgate::gateway::load {

std::string ProgressLine::Format(const LoadProgress& now, const LoadProgress& previous) {
  const double seconds = static_cast<double>((now.elapsed - previous.elapsed).count()) > 0
                             ? static_cast<double>((now.elapsed - previous.elapsed).count())
                             : 1.0;
  const double rate = static_cast<double>(now.responses - previous.responses) / seconds;
  const double mb = static_cast<double>(now.bytes - previous.bytes) / 1e6 / seconds;
  char line[160];
  std::snprintf(
      line, sizeof line, "[%4llds] %llu requests  %.0f requests/s  %.2f MB/s  %llu errors",
      static_cast<long long>(now.elapsed.count()), static_cast<unsigned long long>(now.responses),
      rate, mb, static_cast<unsigned long long>(now.errors));
  return line;
}

void ProgressLine::Update(const LoadProgress& progress) {
  const std::string line = Format(progress, previous_);
  previous_ = progress;
  if (terminal_) {
    // \x1b[K clears what a longer previous line left behind.
    err_ << "\r" << line << "\x1b[K" << std::flush;
  } else {
    err_ << line << "\n" << std::flush;
  }
  printed_ = true;
}

void ProgressLine::Finish() {
  if (terminal_ && printed_) err_ << "\n" << std::flush;
  printed_ = false;
}

}  // namespace tollgate::gateway::load
