// Counting: fixed arrays for statuses and error kinds, a short list for reasons, a vector of
// seconds for the timeline.
#include "load/load_tally.h"

#include <algorithm>
#include <cstring>

namespace tollgate::gateway::load {

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnect:
      return "connect";
    case ErrorKind::kTls:
      return "tls";
    case ErrorKind::kSend:
      return "send";
    case ErrorKind::kReceive:
      return "receive";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kMalformed:
      return "malformed";
    case ErrorKind::kUnfinished:
      return "unfinished";
    case ErrorKind::kUnsent:
      return "unsent";
    case ErrorKind::kCount:
      break;
  }
  return "unknown";
}

LoadTally::LoadTally(size_t expected_seconds) {
  reasons_.reserve(kMaxReasons + 1);
  timeline_.reserve(expected_seconds);
}

TimelineSecond& LoadTally::Second(int64_t at_ns) {
  const size_t second = at_ns <= 0 ? 0 : static_cast<size_t>(at_ns / 1'000'000'000);
  if (second >= timeline_.size()) timeline_.resize(second + 1);
  last_event_ns_ = std::max(last_event_ns_, at_ns);
  return timeline_[second];
}

void LoadTally::CountReason(std::string_view reason, uint64_t count) {
  for (auto& [known, n] : reasons_) {
    if (known.view() == reason) {
      n += count;
      return;
    }
  }
  Reason entry;
  if (reasons_.size() >= kMaxReasons) reason = "other";
  entry.size = std::min(reason.size(), entry.chars.size());
  std::memcpy(entry.chars.data(), reason.data(), entry.size);
  if (reasons_.size() >= kMaxReasons) {
    for (auto& [known, n] : reasons_) {
      if (known.view() == entry.view()) {
        n += count;
        return;
      }
    }
  }
  reasons_.emplace_back(entry, count);
}

void LoadTally::RecordResponse(int64_t at_ns, uint64_t latency_ns, int status,
                               std::string_view reason, uint64_t bytes) {
  TimelineSecond& second = Second(at_ns);
  ++second.responses;
  second.bytes += bytes;
  ++responses_;
  bytes_ += bytes;
  latency_.Record(latency_ns);
  if (status >= 100 && status < 600) ++status_[static_cast<size_t>(status)];
  if (!reason.empty()) CountReason(reason, 1);
}

void LoadTally::RecordError(ErrorKind kind, int64_t at_ns, uint64_t bytes, uint64_t count) {
  if (count == 0) return;
  TimelineSecond& second = Second(at_ns);
  second.errors += count;
  second.bytes += bytes;
  bytes_ += bytes;
  errors_[static_cast<size_t>(kind)] += count;
  error_total_ += count;
}

void LoadTally::Merge(const LoadTally& other) {
  latency_.Merge(other.latency_);
  for (size_t i = 0; i < status_.size(); ++i) status_[i] += other.status_[i];
  for (const auto& [reason, n] : other.reasons_) CountReason(reason.view(), n);
  for (size_t i = 0; i < errors_.size(); ++i) errors_[i] += other.errors_[i];
  if (other.timeline_.size() > timeline_.size()) timeline_.resize(other.timeline_.size());
  for (size_t i = 0; i < other.timeline_.size(); ++i) {
    timeline_[i].responses += other.timeline_[i].responses;
    timeline_[i].errors += other.timeline_[i].errors;
    timeline_[i].bytes += other.timeline_[i].bytes;
  }
  responses_ += other.responses_;
  error_total_ += other.error_total_;
  bytes_ += other.bytes_;
  last_event_ns_ = std::max(last_event_ns_, other.last_event_ns_);
}

uint64_t LoadTally::status_count(int status) const {
  return status >= 100 && status < 600 ? status_[static_cast<size_t>(status)] : 0;
}

std::vector<std::pair<int, uint64_t>> LoadTally::Statuses() const {
  std::vector<std::pair<int, uint64_t>> out;
  for (size_t i = 0; i < status_.size(); ++i) {
    if (status_[i] != 0) out.emplace_back(static_cast<int>(i), status_[i]);
  }
  return out;
}

}  // namespace tollgate::gateway::load
