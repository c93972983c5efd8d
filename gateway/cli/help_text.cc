// Help pages built from the verb table, so they cannot drift from what is parsed.
#include "cli/help_text.h"

#include <algorithm>
#include <vector>

#include "tollgate/base/concat.h"

namespace tollgate::gateway::cli {

namespace {

constexpr size_t kWidth = 100;

constexpr std::string_view kCommonOptions =
    "options of every verb:\n"
    "  --api URL             the admin listener, e.g. http://127.0.0.1:8081 (or TOLLGATE_API;\n"
    "                        default http://127.0.0.1:8081)\n"
    "  --api-key KEY         your API key, sent as X-Api-Key (or TOLLGATE_API_KEY)\n"
    "  --cacert FILE         for an https:// --api: the CA certificates (PEM) to trust instead\n"
    "                        of the system's (or TOLLGATE_CACERT)\n"
    "  --output table|json   human columns (default), or the API's JSON as it came\n"
    "  --help                this help\n";

std::string OptionText(const OptionSpec& option) {
  std::string text = Concat("--", option.name);
  if (!IsFlag(option.kind)) AppendTo(text, " ", option.value_name);
  if (option.kind == OptionKind::kTextList || option.kind == OptionKind::kGrantList) {
    text += "...";
  }
  return option.required ? text : Concat("[", text, "]");
}

std::string Arguments(const VerbSpec& verb) {
  std::string out;
  for (const ArgumentSpec& argument : verb.arguments) AppendTo(out, " ", argument.name);
  return out;
}

}  // namespace

std::string VerbUsage(const VerbSpec& verb) {
  const std::string lead = Concat("usage: tollgate ", verb.group, " ", verb.name);
  std::string out = Concat(lead, Arguments(verb));
  size_t line_start = 0;
  std::vector<std::string> words;
  for (const OptionSpec& option : verb.options) words.push_back(OptionText(option));
  words.push_back("[--output table|json]");
  for (const std::string& word : words) {
    if (out.size() - line_start + 1 + word.size() > kWidth) {
      out += '\n';
      line_start = out.size();
      out.append(lead.size(), ' ');
    }
    AppendTo(out, " ", word);
  }
  return out + "\n";
}

std::string VerbHelp(const VerbSpec& verb) {
  return Concat(VerbUsage(verb), "\n", verb.summary, "\n\n", kCommonOptions);
}

std::string GroupUsage(const GroupSpec& group) {
  std::string verbs;
  for (const VerbSpec* verb : VerbsOf(group.name)) {
    AppendTo(verbs, verbs.empty() ? "" : "|", verb->name);
  }
  return Concat("usage: tollgate ", group.name, " ", verbs, " ARGUMENTS [OPTIONS]\n",
                "       ('tollgate ", group.name, " --help' describes the verbs)\n");
}

std::string GroupHelp(const GroupSpec& group) {
  std::string out = Concat("usage: tollgate ", group.name, " VERB ARGUMENTS [OPTIONS]\n\n",
                           group.summary, "\n\nverbs:\n");
  size_t width = 0;
  for (const VerbSpec* verb : VerbsOf(group.name)) {
    width = std::max(width, verb->name.size() + Arguments(*verb).size());
  }
  for (const VerbSpec* verb : VerbsOf(group.name)) {
    const std::string call = Concat(verb->name, Arguments(*verb));
    AppendTo(out, "  ", call, std::string(width - call.size() + 2, ' '), verb->summary, "\n");
  }
  AppendTo(out, "\n", kCommonOptions, "\n'tollgate ", group.name,
           " VERB --help' lists the options of a verb.\n");
  return out;
}

std::string ClientUsageLines() {
  std::string groups;
  for (const GroupSpec& group : Groups()) AppendTo(groups, groups.empty() ? "" : "|", group.name);
  return Concat("       tollgate ", groups, " VERB OWNER[/REPO] [...]\n",
                "                [--api URL] [--api-key KEY] [--cacert FILE] [--output table|json]",
                "   (see 'tollgate GROUP --help')\n");
}

}  // namespace tollgate::gateway::cli
