// Repeated failures of one thing — a repository's origin, its signing key, the usage store —
// logged once per change of state rather than once per request: the first failure is logged
// with its error, later ones are only counted, and the first success after them logs one
// `recovered` line with how many failures it ended. A failing origin under load thus writes two
// lines, not thousands.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "observe/log.h"

namespace tollgate::gateway {

class FailureLog {
 public:
  // `subject` ("origin acme/agents") failed: logs `event` at warn with `fields` (and the
  // subject) unless it is failing already.
  void Failed(std::string_view subject, std::string_view event,
              std::initializer_list<LogField> fields);
  // `subject` worked: logs `recovered` when it was failing. Takes no lock unless a failing
  // subject shares its hash bucket (so one origin that never recovers costs the others nothing).
  void Succeeded(std::string_view subject);

 private:
  struct Episode {
    std::string event;
    uint64_t failures = 0;
  };
  // Beyond this many failing subjects, failures are logged each time rather than tracked.
  static constexpr size_t kMaxTracked = 10'000;

  static constexpr size_t kBuckets = 1024;
  static size_t BucketOf(std::string_view subject);

  std::mutex mu_;
  absl::flat_hash_map<std::string, Episode> failing_;  // guarded by mu_
  // How many failing subjects hash to each bucket; written under mu_, read without it.
  std::array<std::atomic<uint32_t>, kBuckets> failing_in_bucket_{};
};

// The process's one FailureLog.
FailureLog& Failures();

}  // namespace tollgate::gateway
