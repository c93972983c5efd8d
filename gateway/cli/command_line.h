// Parsing a client command line (`tollgate GROUP VERB ARGS… OPTIONS…`) against the verb
// table: which verb, its arguments, its options, and the options every verb takes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/verb_table.h"

namespace tollgate::gateway::cli {

enum class OutputFormat { kTable, kJson };

struct CommandLine {
  const VerbSpec* verb = nullptr;      // nullptr only when `help` asks for the group's help
  bool help = false;                   // --help: print help instead of calling the API
  std::optional<std::string> api;      // --api
  std::optional<std::string> api_key;  // --api-key
  std::optional<std::string>
      cacert;  // --cacert: the CA file that https:// --api is checked against
  OutputFormat output = OutputFormat::kTable;
  std::vector<std::string> arguments;  // one per verb->arguments, in that order
  // The verb's options in the order given; flags have an empty value.
  std::vector<std::pair<const OptionSpec*, std::string>> options;

  // The value of option `name` given once, or nullopt.
  std::optional<std::string> Option(std::string_view name) const;
};

// Parses the words after the group name. Options may come anywhere after the verb (the
// common ones also before it), as `--name VALUE` or `--name=VALUE`; `--` ends the options.
// InvalidArgument, with a message for the user, on an unknown verb or option, a missing or
// extra argument, a missing required option, a repeated option, a flag given a value, a
// malformed OWNER or OWNER/REPO, or a PATCH verb given nothing to change. The message never
// holds an option's value.
absl::StatusOr<CommandLine> ParseCommandLine(std::string_view group,
                                             const std::vector<std::string>& words);

}  // namespace tollgate::gateway::cli
