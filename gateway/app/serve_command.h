// `tollgate serve` and `tollgate init`: the process-level commands.
#pragma once

#include <string>
#include <vector>

namespace tollgate::gateway {

// Runs the server until SIGINT/SIGTERM. Returns the process exit code: 0 after a clean
// stop, 2 on bad configuration (one line on stderr naming the option), 1 on other
// start-up failures.
int RunServe(const std::vector<std::string>& args);

// Creates an org and its owner in the store and prints the owner's API key on stdout
// alone. Returns the exit code as RunServe does.
int RunInit(const std::vector<std::string>& args);

}  // namespace tollgate::gateway
