// Closed loop takes request numbers from one shared counter; open loop computes them, so the
// threads of an open-loop run share nothing.
#include "load/load_schedule.h"

#include <algorithm>
#include <cmath>

namespace tollgate::gateway::load {

Schedule::Schedule(const LoadPlan& plan, Clock::time_point start, int thread_index,
                   std::atomic<uint64_t>& issued)
    : issued_(issued),
      limit_(plan.requests.value_or(UINT64_MAX)),
      start_(start),
      end_(plan.requests ? Clock::time_point::max()
                         : start + std::chrono::duration_cast<Clock::duration>(plan.duration)),
      interval_ns_(plan.rate ? 1e9 / *plan.rate : 0.0),
      thread_index_(static_cast<uint64_t>(thread_index)),
      thread_count_(static_cast<uint64_t>(plan.threads)) {}

Clock::time_point Schedule::Due(uint64_t number) const {
  const auto offset = std::chrono::nanoseconds(
      static_cast<int64_t>(std::llround(static_cast<double>(number) * interval_ns_)));
  return start_ + std::chrono::duration_cast<Clock::duration>(offset);
}

bool Schedule::Next(Clock::time_point now, Ticket& ticket) {
  if (stopped_) return false;
  if (!open_loop()) {
    if (now >= end_) return false;
    const uint64_t number = issued_.fetch_add(1, std::memory_order_relaxed);
    if (number >= limit_) return false;
    ticket.number = number;
    ticket.due = now;
    return true;
  }
  const uint64_t number = thread_index_ + taken_ * thread_count_;
  if (number >= limit_) return false;
  const Clock::time_point due = Due(number);
  if (due >= end_) return false;
  ++taken_;
  ticket.number = number;
  ticket.due = due;
  return true;
}

uint64_t Schedule::Unsent() const {
  if (!open_loop() || stopped_ || end_ == Clock::time_point::max()) return 0;
  // Requests g with start + g * interval < end, of which this thread owns every thread_count-th.
  const double span_ns = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(end_ - start_).count());
  uint64_t due_total = static_cast<uint64_t>(std::ceil(span_ns / interval_ns_));
  // The same rounding as Next, so a run that kept up reports nothing unsent.
  while (due_total > 0 && Due(due_total - 1) >= end_) --due_total;
  while (Due(due_total) < end_) ++due_total;
  due_total = std::min(due_total, limit_);
  if (due_total <= thread_index_) return 0;
  const uint64_t mine = (due_total - thread_index_ + thread_count_ - 1) / thread_count_;
  return mine > taken_ ? mine - taken_ : 0;
}

}  // namespace tollgate::gateway::load
