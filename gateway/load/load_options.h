// `tollgate load` command-line options: parsing, checking and the --help text.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tollgate::gateway::load {

struct LoadOptions {
  bool help = false;
  std::vector<std::string> urls;         // the URL arguments, in order
  std::optional<std::string> urls_file;  // --urls FILE
  int connections = 16;                  // --connections, spread evenly over the threads
  int threads = 1;                       // --threads
  std::optional<std::chrono::nanoseconds> duration;  // --duration (10 s when no --requests)
  std::optional<uint64_t> requests;                  // --requests
  std::optional<double> rate;                        // --rate requests/s: open loop when set
  std::optional<std::string> source_addresses;       // --source-addresses A-B
  std::optional<std::string> cacert;                 // --cacert FILE
  bool insecure = false;                             // --insecure
  std::optional<std::string> report;                 // --report FILE.html
  std::optional<std::string> json;                   // --json FILE
  std::chrono::nanoseconds timeout = std::chrono::seconds(10);  // --timeout per request
  bool quiet = false;                                           // --quiet: no progress line
};

// Parses the words after `load`: options as `--name VALUE` or `--name=VALUE` anywhere, the
// other words are URLs; `--` ends the options. InvalidArgument with one sentence that names
// the option (and never holds a URL) on an unknown option, a missing, malformed or out-of-range
// value, a repeated option, or conflicting options (URLs and --urls, --duration and --requests,
// --cacert and --insecure, more threads than connections). --help wins over everything else.
absl::StatusOr<LoadOptions> ParseLoadOptions(const std::vector<std::string>& words);

// "usage: tollgate load URL... | --urls FILE [OPTIONS]" with a newline.
std::string LoadUsage();
// The usage and every option with its meaning and default.
std::string LoadHelp();

}  // namespace tollgate::gateway::load
