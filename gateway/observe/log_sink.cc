#include "observe/log_sink.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tollgate::gateway {
namespace {

constexpr auto kFlushInterval = std::chrono::milliseconds(100);
constexpr size_t kFlushAtBytes = 64 << 10;

// Writes all of `text` to stderr; a failing stderr loses the lines (logging never stops
// serving).
void WriteAll(std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(STDERR_FILENO, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    text.remove_prefix(static_cast<size_t>(written));
  }
}

// One thread's pending lines. Its lock is taken by that thread to append, and by whoever
// writes the buffer out.
struct ThreadBuffer {
  std::mutex mu;
  std::string pending;
};

// Every thread's buffer, for the life of the process (a thread may log at any moment, also
// while buffering stops). Buffers are taken and written under one lock, so writes never
// interleave and a thread's lines leave in the order it wrote them.
class Buffers {
 public:
  ThreadBuffer& Mine() {
    thread_local ThreadBuffer* buffer = nullptr;
    if (buffer == nullptr) {
      std::lock_guard lock(list_mu_);
      buffers_.push_back(std::make_unique<ThreadBuffer>());
      buffer = buffers_.back().get();
    }
    return *buffer;
  }

  // Writes out `buffer` and then `line` (which may be empty), as one step.
  void WriteOut(ThreadBuffer& buffer, std::string_view line) {
    std::lock_guard write_lock(write_mu_);
    std::string taken;
    {
      std::lock_guard lock(buffer.mu);
      taken.swap(buffer.pending);
    }
    taken += line;
    WriteAll(taken);
  }

  void FlushAll() {
    std::vector<ThreadBuffer*> all;
    {
      std::lock_guard lock(list_mu_);
      for (const std::unique_ptr<ThreadBuffer>& buffer : buffers_) all.push_back(buffer.get());
    }
    for (ThreadBuffer* buffer : all) WriteOut(*buffer, {});
  }

  void StartFlusher() {
    std::lock_guard lock(stop_mu_);
    stopping_ = false;
    flusher_ = std::thread([this] {
      std::unique_lock stop_lock(stop_mu_);
      while (!stop_.wait_for(stop_lock, kFlushInterval, [this] { return stopping_; })) {
        stop_lock.unlock();
        FlushAll();
        stop_lock.lock();
      }
    });
  }

  void StopFlusher() {
    {
      std::lock_guard lock(stop_mu_);
      stopping_ = true;
    }
    stop_.notify_one();
    flusher_.join();
    FlushAll();
  }

 private:
  std::mutex write_mu_;  // held while a buffer is taken and written
  std::mutex list_mu_;
  std::vector<std::unique_ptr<ThreadBuffer>> buffers_;  // guarded by list_mu_
  std::mutex stop_mu_;
  std::condition_variable stop_;
  bool stopping_ = false;  // guarded by stop_mu_
  std::thread flusher_;
};

Buffers& AllBuffers() {
  static auto* const buffers = new Buffers;  // never destroyed: threads may log at exit
  return *buffers;
}

std::atomic<bool> g_buffering{false};

}  // namespace

void WriteLogLine(std::string_view line, LineUrgency urgency) {
  if (!g_buffering.load(std::memory_order_acquire)) {
    WriteAll(line);
    return;
  }
  Buffers& buffers = AllBuffers();
  ThreadBuffer& buffer = buffers.Mine();
  if (urgency == LineUrgency::kAtOnce) {
    buffers.WriteOut(buffer, line);
    return;
  }
  bool full = false;
  {
    std::lock_guard lock(buffer.mu);
    buffer.pending += line;
    full = buffer.pending.size() >= kFlushAtBytes;
  }
  if (full) buffers.WriteOut(buffer, {});
}

BufferedLogging::BufferedLogging() {
  AllBuffers().StartFlusher();
  g_buffering.store(true, std::memory_order_release);
}

BufferedLogging::~BufferedLogging() {
  g_buffering.store(false, std::memory_order_release);
  AllBuffers().StopFlusher();
}

}  // namespace tollgate::gateway
