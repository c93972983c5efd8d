// Per-thread cache so the hot path formats a date at most once a second.
#include "http/http_date.h"

#include <ctime>
#include <string>

#include "absl/time/clock.h"
#include "http/conditional_request.h"

namespace tollgate::gateway {

std::string_view CurrentHttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    cached = FormatHttpDate(absl::FromTimeT(now));
  }
  return cached;
}

}  // namespace tollgate::gateway
