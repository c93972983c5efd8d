// Threads are started together on one start time; the main thread sleeps to each whole second
// of the run to report progress and wakes early when the last thread is done.
#include "load/load_run.h"

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "load/load_thread.h"

namespace tollgate::gateway::load {

LoadOutcome RunLoad(const LoadPlan& plan, const std::function<void(const LoadProgress&)>& progress,
                    const std::atomic<bool>* stop) {
  std::atomic<uint64_t> issued{0};
  std::vector<std::unique_ptr<LoadThread>> threads;
  int first = 0;
  for (int i = 0; i < plan.threads; ++i) {
    // Connections dealt as evenly as they go: the first threads take one more.
    const int count = plan.connections / plan.threads + (i < plan.connections % plan.threads);
    threads.push_back(std::make_unique<LoadThread>(plan, i, first, count, issued, stop));
    first += count;
  }
  const Clock::time_point start = Clock::now();
  for (const auto& thread : threads) thread->Begin(start);

  std::mutex mutex;
  std::condition_variable changed;
  size_t finished = 0;
  std::exception_ptr failure;
  std::vector<std::thread> running;
  for (const auto& thread : threads) {
    running.emplace_back([&, t = thread.get()] {
      std::exception_ptr thrown;
      try {
        t->Run();
      } catch (...) {
        thrown = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      ++finished;
      if (thrown && !failure) failure = thrown;
      changed.notify_all();
    });
  }
  for (int second = 1;; ++second) {
    std::unique_lock<std::mutex> lock(mutex);
    const bool all_done = changed.wait_until(lock, start + std::chrono::seconds(second),
                                             [&] { return finished == threads.size(); });
    if (all_done) break;
    lock.unlock();
    if (!progress) continue;
    LoadProgress now;
    now.elapsed = std::chrono::seconds(second);
    for (const auto& thread : threads) {
      now.responses += thread->progress.responses.load(std::memory_order_relaxed);
      now.errors += thread->progress.errors.load(std::memory_order_relaxed);
      now.bytes += thread->progress.bytes.load(std::memory_order_relaxed);
    }
    progress(now);
  }
  for (std::thread& t : running) t.join();
  if (failure) std::rethrow_exception(failure);

  LoadOutcome outcome;
  for (const auto& thread : threads) outcome.tally.Merge(thread->tally);
  outcome.duration_s = static_cast<double>(outcome.tally.last_event_ns()) / 1e9;
  if (outcome.duration_s <= 0) {
    outcome.duration_s = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return outcome;
}

}  // namespace tollgate::gateway::load
