// A load thread: its connections as coroutines on its own io_context, and a watchdog that
// times requests out, cuts them when the grace period ends, and reacts to an interrupt.
#include "load/load_thread.h"

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/use_awaitable.hpp"

namespace tollgate::gateway::load {
namespace asio = boost::asio;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// How often deadlines are checked: the resolution of --timeout and of the grace period.
constexpr auto kWatchEvery = std::chrono::milliseconds(50);

asio::awaitable<void> Watch(LoadThread& thread) {
  asio::steady_timer tick(thread.io);
  bool interrupted = false;
  while (thread.active > 0) {
    tick.expires_after(kWatchEvery);
    co_await tick.async_wait(kNoThrow);
    const Clock::time_point now = Clock::now();
    if (!interrupted && thread.stop != nullptr && thread.stop->load(std::memory_order_relaxed)) {
      interrupted = true;
      thread.schedule->Stop();
      thread.grace_end = std::min(thread.grace_end, now + thread.plan.grace);
    }
    const bool cut_now = !thread.cutting && now >= thread.grace_end;
    if (cut_now) thread.cutting = true;
    for (const auto& c : thread.connections) {
      if (c->deadline == Clock::time_point::max()) {
        // Idle, or waiting for its next due time or a back-off: wake it to see the end.
        if (cut_now) c->timer.cancel();
      } else if (cut_now) {
        c->cut = true;
        c->Abort();
      } else if (now > c->deadline && !c->timed_out) {
        c->timed_out = true;
        c->Abort();
      }
    }
  }
}

void Rethrow(std::exception_ptr failure) {
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

LoadThread::LoadThread(const LoadPlan& run_plan, int thread_index, int first_connection,
                       int connection_count, std::atomic<uint64_t>& issued_counter,
                       const std::atomic<bool>* stop_flag)
    : plan(run_plan),
      index(thread_index),
      issued(issued_counter),
      stop(stop_flag),
      io(1),
      tally(plan.requests ? 16
                          : static_cast<size_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                                    plan.duration + plan.grace)
                                                    .count()) +
                                2) {
  connections.reserve(static_cast<size_t>(connection_count));
  for (int i = 0; i < connection_count; ++i) {
    connections.push_back(std::make_unique<LoadConnection>(io, first_connection + i));
  }
}

void LoadThread::Begin(Clock::time_point run_start) {
  start = run_start;
  schedule.emplace(plan, start, index, issued);
  if (!plan.requests) {
    grace_end = start + std::chrono::duration_cast<Clock::duration>(plan.duration + plan.grace);
  }
}

void LoadThread::Run() {
  active = static_cast<int>(connections.size());
  for (const auto& c : connections) asio::co_spawn(io, RunConnection(*this, *c), Rethrow);
  asio::co_spawn(io, Watch(*this), Rethrow);
  io.run();
  const int64_t end_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(plan.duration).count();
  tally.RecordError(ErrorKind::kUnsent, end_ns, 0, schedule->Unsent());
}

}  // namespace tollgate::gateway::load
