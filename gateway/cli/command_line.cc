// Command-line parsing for the client verbs; every rule comes from the verb table.
#include "cli/command_line.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::cli {

namespace {

absl::Status Usage(const std::string& message) { return absl::InvalidArgumentError(message); }

// Checks OWNER or OWNER/REPO: non-empty names, as many as the argument kind wants.
absl::Status CheckScope(const ArgumentSpec& spec, std::string_view value) {
  const size_t slash = value.find('/');
  if (spec.kind == ArgumentKind::kOwner) {
    if (value.empty() || slash != std::string_view::npos) {
      return Usage(Concat("expected OWNER (an org name, no '/'), got '", value, "'"));
    }
  } else if (spec.kind == ArgumentKind::kOwnerRepo) {
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == value.size() ||
        value.find('/', slash + 1) != std::string_view::npos) {
      return Usage(Concat("expected OWNER/REPO, got '", value, "'"));
    }
  } else if (value.empty()) {
    return Usage(Concat(spec.name, " must not be empty"));
  }
  return absl::OkStatus();
}

bool SetsBody(OptionKind kind) {
  return kind != OptionKind::kQuery && kind != OptionKind::kQueryTrue &&
         kind != OptionKind::kUploadPath;
}

// The options every verb takes; they hold their value in `command` rather than `options`.
std::optional<std::string>* CommonOption(CommandLine& command, std::string_view name) {
  if (name == "api") return &command.api;
  if (name == "api-key") return &command.api_key;
  if (name == "cacert") return &command.cacert;
  return nullptr;
}

class Parser {
 public:
  Parser(std::string_view group, const std::vector<std::string>& words)
      : group_(group), words_(words) {}

  absl::StatusOr<CommandLine> Parse() {
    std::vector<std::string> positional;
    bool options_ended = false;
    for (next_ = 0; next_ < words_.size();) {
      const std::string& word = words_[next_++];
      if (options_ended || !word.starts_with("-") || word == "-") {
        if (absl::Status s = TakePositional(word, positional); !s.ok()) return s;
      } else if (word == "--") {
        options_ended = true;
      } else if (word == "--help" || word == "-h") {
        command_.help = true;
      } else if (absl::Status s = TakeOption(word); !s.ok()) {
        return s;
      }
    }
    if (command_.verb == nullptr) {
      if (command_.help) return std::move(command_);
      return Usage(Concat("missing verb for '", group_, "'"));
    }
    if (command_.help) return std::move(command_);
    if (absl::Status s = CheckArguments(positional); !s.ok()) return s;
    if (absl::Status s = CheckOptions(); !s.ok()) return s;
    command_.arguments = std::move(positional);
    return std::move(command_);
  }

 private:
  absl::Status TakePositional(const std::string& word, std::vector<std::string>& positional) {
    if (command_.verb != nullptr) {
      positional.push_back(word);
      return absl::OkStatus();
    }
    command_.verb = FindVerb(group_, word);
    if (command_.verb == nullptr) return Usage(Concat("unknown verb '", group_, " ", word, "'"));
    return absl::OkStatus();
  }

  // The value after `--name`, or the part after '=' in `--name=value`.
  absl::StatusOr<std::string> TakeValue(std::string_view name,
                                        const std::optional<std::string>& inline_value) {
    if (inline_value) return *inline_value;
    if (next_ >= words_.size()) return Usage(Concat("--", name, " needs a value"));
    return words_[next_++];
  }

  absl::Status TakeOption(std::string_view word) {
    std::string_view name = word.substr(word.starts_with("--") ? 2 : 1);
    std::optional<std::string> inline_value;
    if (const size_t equals = name.find('='); equals != std::string_view::npos) {
      inline_value = std::string(name.substr(equals + 1));
      name = name.substr(0, equals);
    }
    if (std::optional<std::string>* common = CommonOption(command_, name)) {
      if (common->has_value()) return Usage(Concat("--", name, " given twice"));
      absl::StatusOr<std::string> value = TakeValue(name, inline_value);
      if (!value.ok()) return value.status();
      *common = *std::move(value);
      return absl::OkStatus();
    }
    if (name == "output") {
      absl::StatusOr<std::string> value = TakeValue(name, inline_value);
      if (!value.ok()) return value.status();
      if (*value != "table" && *value != "json") return Usage("--output must be table or json");
      command_.output = *value == "json" ? OutputFormat::kJson : OutputFormat::kTable;
      return absl::OkStatus();
    }
    if (command_.verb == nullptr) {
      return Usage(Concat("unknown option --", name, " (the verb's options come after it)"));
    }
    const auto& options = command_.verb->options;
    const auto spec = std::find_if(options.begin(), options.end(),
                                   [&](const OptionSpec& option) { return option.name == name; });
    if (spec == options.end()) {
      return Usage(
          Concat("unknown option --", name, " for '", group_, " ", command_.verb->name, "'"));
    }
    const bool repeatable =
        spec->kind == OptionKind::kTextList || spec->kind == OptionKind::kGrantList;
    if (!repeatable && command_.Option(name)) return Usage(Concat("--", name, " given twice"));
    if (IsFlag(spec->kind)) {
      if (inline_value) return Usage(Concat("--", name, " takes no value"));
      command_.options.emplace_back(&*spec, "");
      return absl::OkStatus();
    }
    absl::StatusOr<std::string> value = TakeValue(name, inline_value);
    if (!value.ok()) return value.status();
    command_.options.emplace_back(&*spec, *std::move(value));
    return absl::OkStatus();
  }

  absl::Status CheckArguments(const std::vector<std::string>& positional) const {
    const std::vector<ArgumentSpec>& specs = command_.verb->arguments;
    if (positional.size() < specs.size()) {
      return Usage(Concat("missing ", specs[positional.size()].name));
    }
    if (positional.size() > specs.size()) {
      return Usage(Concat("unexpected argument '", positional[specs.size()], "'"));
    }
    for (size_t i = 0; i < specs.size(); ++i) {
      if (absl::Status s = CheckScope(specs[i], positional[i]); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status CheckOptions() const {
    std::vector<std::string> changeable;
    bool changes_something = false;
    for (const OptionSpec& option : command_.verb->options) {
      if (option.required && !command_.Option(option.name)) {
        return Usage(Concat("missing --", option.name));
      }
      if (SetsBody(option.kind)) changeable.push_back(Concat("--", option.name));
    }
    for (const auto& [option, value] : command_.options) {
      changes_something = changes_something || SetsBody(option->kind);
    }
    if (command_.verb->needs_a_field && !changes_something) {
      return Usage(
          Concat("nothing to change: give at least one of ", absl::StrJoin(changeable, ", ")));
    }
    return absl::OkStatus();
  }

  const std::string_view group_;
  const std::vector<std::string>& words_;
  size_t next_ = 0;
  CommandLine command_;
};

}  // namespace

std::optional<std::string> CommandLine::Option(std::string_view name) const {
  for (const auto& [option, value] : options) {
    if (option->name == name) return value;
  }
  return std::nullopt;
}

absl::StatusOr<CommandLine> ParseCommandLine(std::string_view group,
                                             const std::vector<std::string>& words) {
  return Parser(group, words).Parse();
}

}  // namespace tollgate::gateway::cli
