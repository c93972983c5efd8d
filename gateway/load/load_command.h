// `tollgate load`: the load generator ops point at a deployment.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace tollgate::gateway::load {

// Runs `tollgate load` with `words` (the words after `load`): prints the progress line on
// `err` (unless --quiet), the summary on `out` at the end, and writes --json and --report.
// `err_is_terminal` picks carriage-return updates over one line per second. Returns 0 when the
// run completed with at least one response, 1 when none came back or a report could not be
// written (one line on `err`), 2 on a usage error (one line on `err` naming the option).
// SIGINT and SIGTERM during the run stop sending; requests in flight get the grace period.
int RunLoadCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err,
                   bool err_is_terminal);

}  // namespace tollgate::gateway::load
