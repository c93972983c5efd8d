// Where log lines go. Until a BufferedLogging exists, straight to stderr, one write(2) per
// line (the command-line client, start-up errors). While one exists, each thread appends its
// lines to a buffer of its own, and a flusher thread writes the buffers out at least every
// 100 ms (a buffer past 64 KiB at once): a busy server makes no system call per line. Lines of
// one thread stay in order; lines of different threads are ordered only to within a flush.
#pragma once

#include <string_view>

namespace tollgate::gateway {

// One whole line, ending in '\n'.
void WriteLogLine(std::string_view line);

// Buffering for as long as it lives; its destruction writes out every buffer. Create it before
// the threads that log and destroy it after they have stopped; one at a time.
class BufferedLogging {
 public:
  BufferedLogging();
  ~BufferedLogging();
  BufferedLogging(const BufferedLogging&) = delete;
  BufferedLogging& operator=(const BufferedLogging&) = delete;
};

}  // namespace tollgate::gateway
