// Programs as children of a test: started with fork/exec and their output in files, waited
// for with a deadline, or run to completion with both streams captured.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::testing {

// Extra environment for a child: added to the test's own environment, from which every
// TOLLGATE_* variable is removed so that the host cannot leak configuration into a test.
using Environment = std::map<std::string, std::string>;

struct CommandResult {
  int exit_code = -1;  // the exit status, 128 + signal when killed, -1 when it never ran
  bool timed_out = false;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Starts `program` (an absolute path) with `args` and `env` added, stdin from /dev/null,
// stdout and stderr going to the files `out` and `err`; returns its pid. The child is killed
// when the test process dies. Throws std::runtime_error when it cannot fork.
pid_t Spawn(const std::string& program, const std::vector<std::string>& args,
            const Environment& env, const std::filesystem::path& out,
            const std::filesystem::path& err);

// Waits for child `pid` until `deadline`; its exit code (128 + signal when killed, -1 when it
// is not a child), or nullopt when it is still running.
std::optional<int> WaitUntil(pid_t pid, std::chrono::steady_clock::time_point deadline);

// The absolute path of `name` on $PATH (/usr/bin:/bin when unset), or "" when it is nowhere.
std::string FindProgram(std::string_view name);

// Runs `program ARGS…` (`program` an absolute path, e.g. /usr/bin/curl) to completion with
// `env` added, capturing both streams. Killed with SIGKILL (timed_out set) when it has not
// finished within `timeout`.
CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const Environment& env = {},
                         std::chrono::seconds timeout = std::chrono::seconds(20));

}  // namespace tollgate::testing
