// Turning a parsed command line into the admin API request it stands for.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "cli/command_line.h"

namespace tollgate::gateway::cli {

struct ApiCall {
  std::string method = {};
  std::string target = {};       // "/api/v1/…" with encoded segments and query; no base path
  std::string body = {};         // JSON, or "" when the verb sends none
  std::string upload_file = {};  // the local file whose content is the body, "" for JSON verbs
};

// The request of `command` (whose verb must be set). InvalidArgument, naming the option but
// never echoing a secret, when a value cannot be converted: a count that is no whole number,
// JSON that does not parse, a grant that is not KIND:NAME:PRIVILEGE, an upload without a file
// name to store it under.
absl::StatusOr<ApiCall> BuildApiCall(const CommandLine& command);

}  // namespace tollgate::gateway::cli
