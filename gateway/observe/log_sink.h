// Where log lines go. Until a BufferedLogging exists, straight to stderr, one write(2) per
// line (the command-line client, start-up errors). While one exists, each thread appends its
// lines to a buffer of its own, and a flusher thread writes the buffers out at least every
// 100 ms (a buffer past 64 KiB at once): a busy server makes no system call per line. Writes
// never interleave, and lines of one thread leave in the order it wrote them; lines of
// different threads are ordered only to within a flush. Warnings and errors are written at
// once, after the thread's buffered lines, so a crash cannot lose the line that explains it.
#pragma once

#include <string_view>

namespace tollgate::gateway {

enum class LineUrgency { kBuffered, kAtOnce };

// One whole line, ending in '\n'.
void WriteLogLine(std::string_view line, LineUrgency urgency = LineUrgency::kBuffered);

// Buffering for as long as it lives; its destruction writes out every buffer (a line a thread
// writes after that goes straight to stderr). One at a time.
class BufferedLogging {
 public:
  BufferedLogging();
  ~BufferedLogging();
  BufferedLogging(const BufferedLogging&) = delete;
  BufferedLogging& operator=(const BufferedLogging&) = delete;
};

}  // namespace tollgate::gateway
