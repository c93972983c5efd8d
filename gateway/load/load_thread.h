// One load thread's world: its event loop, schedule, tally and connections. Everything in it is
// touched by that thread only, except the progress counters, which the main thread reads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "boost/asio/io_context.hpp"
#include "load/load_connection.h"
#include "load/load_plan.h"
#include "load/load_schedule.h"
#include "load/load_tally.h"

namespace tollgate::gateway::load {

// Running totals for the progress line: written by the load thread (relaxed stores of its own
// values, no read-modify-write), read by the main thread.
struct ProgressCounters {
  std::atomic<uint64_t> responses{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> bytes{0};

  void Add(std::atomic<uint64_t>& counter, uint64_t n) {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
};

struct LoadThread {
  // `first_connection` is the run-wide index of this thread's first connection (it picks the
  // source addresses); `connection_count` how many this thread runs.
  LoadThread(const LoadPlan& plan, int index, int first_connection, int connection_count,
             std::atomic<uint64_t>& issued, const std::atomic<bool>* stop);

  // Fixes the run's start (the same for every thread) before Run.
  void Begin(Clock::time_point run_start);
  // Runs the connections and the watchdog until every connection has finished. Throws only
  // what a coroutine threw (allocation failure).
  void Run();

  const LoadPlan& plan;
  const int index;
  std::atomic<uint64_t>& issued;
  const std::atomic<bool>* const stop;  // an interrupt: stop sending, then the grace period
  Clock::time_point start;
  boost::asio::io_context io;
  std::optional<Schedule> schedule;
  LoadTally tally;
  std::vector<std::unique_ptr<LoadConnection>> connections;
  int active = 0;        // connections still running
  bool cutting = false;  // the grace period is over: requests in flight are cut
  Clock::time_point grace_end = Clock::time_point::max();
  alignas(64) ProgressCounters progress;
};

}  // namespace tollgate::gateway::load
