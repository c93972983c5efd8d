// Usage lines and --help pages of the client verbs, generated from the verb table.
#pragma once

#include <string>
#include <string_view>

#include "cli/verb_table.h"

namespace tollgate::gateway::cli {

// "usage: tollgate GROUP VERB ARGS… OPTIONS…", wrapped to 100 columns, with a newline.
std::string VerbUsage(const VerbSpec& verb);

// The usage, the summary, and the options every verb takes.
std::string VerbHelp(const VerbSpec& verb);

// "usage: tollgate GROUP list|get|… ARGUMENTS [OPTIONS]" and where to find more, with a newline.
std::string GroupUsage(const GroupSpec& group);

// The group's verbs, each with its arguments and summary, and the common options.
std::string GroupHelp(const GroupSpec& group);

// The client's lines of the top-level usage (all groups), each ending in a newline.
std::string ClientUsageLines();

}  // namespace tollgate::gateway::cli
