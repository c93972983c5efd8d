#include "observe/log_sink.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
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

// One thread's pending lines. Its lock is taken by that thread and, every 100 ms, the flusher.
struct ThreadBuffer {
  std::mutex mu;
  std::string pending;
};

class Buffers {
 public:
  explicit Buffers(uint64_t generation) : generation_(generation) {
    flusher_ = std::thread([this] { FlushPeriodically(); });
  }
  ~Buffers() {
    {
      std::lock_guard lock(stop_mu_);
      stopping_ = true;
    }
    stop_.notify_one();
    flusher_.join();
    FlushAll();
  }

  uint64_t generation() const { return generation_; }

  ThreadBuffer* Add() {
    std::lock_guard lock(list_mu_);
    buffers_.push_back(std::make_unique<ThreadBuffer>());
    return buffers_.back().get();
  }

  void FlushAll() {
    std::lock_guard lock(list_mu_);
    std::string taken;
    for (const std::unique_ptr<ThreadBuffer>& buffer : buffers_) {
      {
        std::lock_guard buffer_lock(buffer->mu);
        taken.swap(buffer->pending);
      }
      WriteAll(taken);
      taken.clear();
    }
  }

 private:
  void FlushPeriodically() {
    std::unique_lock lock(stop_mu_);
    while (!stop_.wait_for(lock, kFlushInterval, [this] { return stopping_; })) {
      lock.unlock();
      FlushAll();
      lock.lock();
    }
  }

  const uint64_t generation_;
  std::mutex list_mu_;
  std::vector<std::unique_ptr<ThreadBuffer>> buffers_;  // guarded by list_mu_
  std::mutex stop_mu_;
  std::condition_variable stop_;
  bool stopping_ = false;  // guarded by stop_mu_
  std::thread flusher_;
};

std::atomic<Buffers*> g_buffers{nullptr};
std::atomic<uint64_t> g_generation{0};

// This thread's buffer in `buffers`, registered on its first line under them.
ThreadBuffer& Mine(Buffers& buffers) {
  thread_local uint64_t generation = 0;
  thread_local ThreadBuffer* buffer = nullptr;
  if (generation != buffers.generation()) {
    buffer = buffers.Add();
    generation = buffers.generation();
  }
  return *buffer;
}

}  // namespace

void WriteLogLine(std::string_view line) {
  Buffers* buffers = g_buffers.load(std::memory_order_acquire);
  if (buffers == nullptr) {
    WriteAll(line);
    return;
  }
  ThreadBuffer& buffer = Mine(*buffers);
  std::string full;
  {
    std::lock_guard lock(buffer.mu);
    buffer.pending += line;
    if (buffer.pending.size() >= kFlushAtBytes) full.swap(buffer.pending);
  }
  WriteAll(full);
}

BufferedLogging::BufferedLogging() {
  g_buffers.store(new Buffers(g_generation.fetch_add(1) + 1), std::memory_order_release);
}

BufferedLogging::~BufferedLogging() {
  delete g_buffers.exchange(nullptr, std::memory_order_acq_rel);
}

}  // namespace tollgate::gateway
