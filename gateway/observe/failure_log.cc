#include "observe/failure_log.h"

#include <vector>

#include "absl/hash/hash.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace {

// abseil's string_view is its own type in this build: the map's heterogeneous lookup takes it.
absl::string_view Key(std::string_view subject) { return {subject.data(), subject.size()}; }

}  // namespace

void FailureLog::Failed(std::string_view subject, std::string_view event,
                        std::initializer_list<LogField> fields) {
  {
    std::lock_guard lock(mu_);
    if (const auto it = failing_.find(Key(subject)); it != failing_.end()) {
      ++it->second.failures;
      return;
    }
    if (failing_.size() < kMaxTracked) {
      failing_.emplace(std::string(subject), Episode{std::string(event), 1});
      failing_in_bucket_[BucketOf(subject)].fetch_add(1, std::memory_order_relaxed);
    }
  }
  std::vector<LogField> all{{"subject", subject}};
  all.insert(all.end(), fields.begin(), fields.end());
  LogEvent("warn", event, all);
}

void FailureLog::Succeeded(std::string_view subject) {
  const size_t bucket = BucketOf(subject);
  if (failing_in_bucket_[bucket].load(std::memory_order_relaxed) == 0) return;
  Episode ended;
  {
    std::lock_guard lock(mu_);
    const auto it = failing_.find(Key(subject));
    if (it == failing_.end()) return;
    ended = std::move(it->second);
    failing_.erase(it);
    failing_in_bucket_[bucket].fetch_sub(1, std::memory_order_relaxed);
  }
  LogEvent("info", "recovered",
           {{"subject", subject}, {"after", ended.event}, {"failures", Concat(ended.failures)}});
}

size_t FailureLog::BucketOf(std::string_view subject) {
  return absl::HashOf(Key(subject)) % kBuckets;
}

FailureLog& Failures() {
  static auto* const failures = new FailureLog;  // never destroyed: threads may log at exit
  return *failures;
}

}  // namespace tollgate::gateway
