// What the server fixtures (redis-server, nginx) share: a free loopback port, a connect probe,
// a bounded stop of a child by pid, and reading a log file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace tollgate::testing {

// A port the kernel just handed out and released; the small window before a server binds it
// is acceptable in tests (a collision shows up as a start failure, never as a wrong pass).
// Throws std::runtime_error when no port can be had.
int FreeLoopbackPort();

// True when something accepts TCP connections on 127.0.0.1:`port`.
bool AcceptsConnections(int port);

// SIGTERM to child `pid`, then SIGKILL when it has not exited within `grace`; reaps it.
void StopChild(pid_t pid, std::chrono::milliseconds grace = std::chrono::seconds(5));

// The whole file; "" when it cannot be read.
std::string ReadWholeFile(const std::filesystem::path& path);

}  // namespace tollgate::testing
