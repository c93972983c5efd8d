// `tollgate GROUP VERB …`: the command-line client of the admin API (SPEC §6).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::gateway::cli {

// True when `command` names a group of client verbs (ents, repos, …).
bool IsClientGroup(std::string_view command);

// Runs the verb in `words` (the words after the group name) against the admin API and prints
// the answer on `out` (a table, or the API's JSON with --output json). Returns the exit code:
// 0 on success; 1 when the API could not be reached or answered an error, with one line
// "error: DETAIL (CODE, HTTP STATUS)" on `err`; 2 on a usage error, with the usage line.
// --api and --api-key fall back to TOLLGATE_API and TOLLGATE_API_KEY; the key is never
// printed.
int RunClient(std::string_view group, const std::vector<std::string>& words, std::ostream& out,
              std::ostream& err);

}  // namespace tollgate::gateway::cli
