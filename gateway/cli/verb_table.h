// The client verbs as data: for each group and verb, its arguments, its options and how they
// become an admin API request (method, path, query, JSON body), and the columns of its table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tollgate::gateway::cli {

// How an option's value becomes part of the request.
enum class OptionKind {
  kText,          // body field: the value as a JSON string
  kNullableText,  // body field: a JSON string, or null for the value "null"
  kCount,         // body field: a whole number, or null for the value "null"
  kJson,          // body field: the value parsed as JSON
  kSetTrue,       // flag; body field: true
  kSetFalse,      // flag; body field: false
  kTextList,      // repeatable; body field: the array of the values given
  kGrantList,     // repeatable KIND:NAME:PRIVILEGE; the body is the array of these grants
  kHttpStorage,   // body field: {"type": "http", "url": value}
  kQuery,         // query parameter: the value
  kQueryTrue,     // flag; query parameter: "true"
  kUploadPath,    // the artifact path an upload is stored under (default: the file's name)
};

struct OptionSpec {
  std::string_view name = {};  // without the leading "--"
  OptionKind kind = OptionKind::kText;
  std::string_view field = {};  // JSON field or query parameter; "" = `name` with '-' as '_'
  std::string_view value_name = "TEXT";  // in help; unused for flags
  bool required = false;
  std::string_view default_value = {};  // sent when the option is not given
};

// What an argument after the verb is.
enum class ArgumentKind {
  kOwner,      // OWNER
  kOwnerRepo,  // OWNER/REPO, split into the OWNER and REPO placeholders
  kSegment,    // one path segment
  kPath,       // an artifact path: its segments keep their '/' separators
  kFile,       // a local file whose content is the request body
};

struct ArgumentSpec {
  std::string_view name;  // as in help; also the {NAME} placeholder in the path
  ArgumentKind kind;
};

// A column of a list's table: `field` may name a member of a member ("usage.downloads").
struct ColumnSpec {
  std::string_view header;
  std::string_view field;
};

struct VerbSpec {
  std::string_view group = {};
  std::string_view name = {};
  std::string_view summary = {};
  std::string_view method = {};
  // Under /api/v1; {OWNER}, {REPO} and argument names are replaced by their encoded values.
  std::string_view path = {};
  std::vector<ArgumentSpec> arguments = {};
  std::vector<OptionSpec> options = {};
  std::vector<ColumnSpec> columns = {};  // for answers that are arrays; empty = every field
  bool needs_a_field = false;            // PATCH verbs: at least one body option must be given
};

struct GroupSpec {
  std::string_view name;
  std::string_view summary;
};

// The groups in help order.
const std::vector<GroupSpec>& Groups();

// Every verb in help order.
const std::vector<VerbSpec>& Verbs();

// The verbs of `group` in help order; empty for an unknown group.
std::vector<const VerbSpec*> VerbsOf(std::string_view group);

// The verb, or nullptr when `group` has no verb `name`.
const VerbSpec* FindVerb(std::string_view group, std::string_view name);

// The group, or nullptr when there is none of that name.
const GroupSpec* FindGroup(std::string_view name);

// The JSON field or query parameter an option sets.
std::string FieldOf(const OptionSpec& option);

// True for options that take no value.
bool IsFlag(OptionKind kind);

}  // namespace tollgate::gateway::cli
