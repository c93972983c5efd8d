// The table of client verbs (SPEC §3 endpoints, SPEC §6 command line). Adding a verb is adding
// a row here; parsing, request building, help and rendering read it.
#include "cli/verb_table.h"

#include <algorithm>

namespace tollgate::gateway::cli {

namespace {

using enum OptionKind;

constexpr ArgumentSpec kOwner{"OWNER", ArgumentKind::kOwner};
constexpr ArgumentSpec kOwnerRepo{"OWNER/REPO", ArgumentKind::kOwnerRepo};

ArgumentSpec Segment(std::string_view name) { return {name, ArgumentKind::kSegment}; }

// `options` followed by --page and --page-size.
std::vector<OptionSpec> Paged(std::vector<OptionSpec> options = {}) {
  options.push_back({.name = "page", .kind = kQuery, .value_name = "N"});
  options.push_back({.name = "page-size", .kind = kQuery, .value_name = "N"});
  return options;
}

// The writable token fields of SPEC §3, one option each (name with '-' for '_').
std::vector<OptionSpec> EntitlementFields(bool creating) {
  std::vector<OptionSpec> options = {
      {.name = "name", .kind = kText, .value_name = "NAME", .required = creating},
      {.name = "limit-num-downloads", .kind = kCount, .value_name = "N|null"},
      {.name = "limit-num-clients", .kind = kCount, .value_name = "N|null"},
      {.name = "limit-bandwidth", .kind = kCount, .value_name = "N|null"},
      {.name = "limit-bandwidth-unit", .kind = kText, .value_name = "UNIT"},
      {.name = "limit-date-range-from", .kind = kNullableText, .value_name = "TIME|null"},
      {.name = "limit-date-range-to", .kind = kNullableText, .value_name = "TIME|null"},
      {.name = "limit-package-query", .kind = kNullableText, .value_name = "QUERY|null"},
      {.name = "limit-path-query", .kind = kNullableText, .value_name = "QUERY|null"},
      {.name = "scheduled-reset-period", .kind = kText, .value_name = "PERIOD"},
      {.name = "metadata", .kind = kJson, .value_name = "JSON"},
      {.name = "inactive", .kind = kSetFalse, .field = "is_active"},
  };
  if (creating) {
    // The token string is chosen at creation; later only …/refresh/ changes it.
    options.insert(options.begin() + 1, {.name = "token", .kind = kText, .value_name = "TOKEN"});
  } else {
    options.push_back({.name = "active", .kind = kSetTrue, .field = "is_active"});
  }
  return options;
}

std::vector<OptionSpec> RepositoryFields(bool creating) {
  std::vector<OptionSpec> options = {
      {.name = "name", .kind = kText, .value_name = "NAME"},
      {.name = "type",
       .kind = kText,
       .field = "repository_type",
       .value_name = "private|public",
       .default_value = creating ? "private" : ""},
      {.name = "storage-url", .kind = kHttpStorage, .field = "storage", .value_name = "URL"},
  };
  if (creating) {
    options.insert(options.begin(),
                   {.name = "slug", .kind = kText, .value_name = "SLUG", .required = true});
  }
  return options;
}

std::vector<OptionSpec> ServiceFields(bool creating) {
  return {
      {.name = "name", .kind = kText, .value_name = "NAME", .required = creating},
      {.name = "description", .kind = kText, .value_name = "TEXT"},
      {.name = "team", .kind = kTextList, .field = "teams", .value_name = "TEAM"},
      {.name = "role", .kind = kText, .value_name = "member|manager"},
  };
}

const std::vector<ColumnSpec> kEntitlementColumns = {{"IDENTIFIER", "identifier"},
                                                     {"NAME", "name"},
                                                     {"ACTIVE", "is_active"},
                                                     {"DOWNLOADS", "usage.downloads"},
                                                     {"MAX DOWNLOADS", "limit_num_downloads"},
                                                     {"VALID UNTIL", "limit_date_range_to"},
                                                     {"TOKEN", "token"}};
const std::vector<ColumnSpec> kRepositoryColumns = {{"SLUG", "slug"},
                                                    {"NAME", "name"},
                                                    {"TYPE", "repository_type"},
                                                    {"STORAGE", "storage.type"},
                                                    {"CREATED", "created_at"}};
const std::vector<ColumnSpec> kPrivilegeColumns = {
    {"KIND", "kind"}, {"NAME", "name"}, {"PRIVILEGE", "privilege"}};
const std::vector<ColumnSpec> kPackageColumns = {
    {"PATH", "path"},       {"SIZE", "size"},         {"FORMAT", "format"},       {"NAME", "name"},
    {"VERSION", "version"}, {"UPLOADER", "uploader"}, {"UPLOADED", "uploaded_at"}};
const std::vector<ColumnSpec> kServiceColumns = {{"SLUG", "slug"},
                                                 {"NAME", "name"},
                                                 {"ROLE", "role"},
                                                 {"TEAMS", "teams"},
                                                 {"CREATED", "created_at"}};
const std::vector<ColumnSpec> kMemberColumns = {
    {"NAME", "name"}, {"ROLE", "role"}, {"CREATED", "created_at"}};
const std::vector<ColumnSpec> kAuditColumns = {{"AT", "at"},
                                               {"ACTOR", "actor.name"},
                                               {"ACTION", "action"},
                                               {"TARGET", "target"},
                                               {"FROM", "client_address"}};
const std::vector<ColumnSpec> kTeamColumns = {
    {"SLUG", "slug"}, {"NAME", "name"}, {"DESCRIPTION", "description"}, {"MEMBERS", "members"}};

std::vector<VerbSpec> BuildVerbs() {
  constexpr std::string_view kToken = "/entitlements/{OWNER}/{REPO}/{IDENTIFIER}/";
  const ArgumentSpec identifier = Segment("IDENTIFIER");
  const auto token_action = [&](std::string_view name, std::string_view summary,
                                std::string_view method, std::string_view path) {
    return VerbSpec{.group = "ents",
                    .name = name,
                    .summary = summary,
                    .method = method,
                    .path = path,
                    .arguments = {kOwnerRepo, identifier}};
  };
  std::vector<VerbSpec> verbs = {
      // Entitlement tokens.
      {.group = "ents",
       .name = "list",
       .summary = "list the tokens of a repository",
       .method = "GET",
       .path = "/entitlements/{OWNER}/{REPO}/",
       .arguments = {kOwnerRepo},
       .options = Paged({{.name = "show-tokens", .kind = kQueryTrue}}),
       .columns = kEntitlementColumns},
      {.group = "ents",
       .name = "get",
       .summary = "show one token",
       .method = "GET",
       .path = kToken,
       .arguments = {kOwnerRepo, identifier},
       .options = {{.name = "show-tokens", .kind = kQueryTrue}}},
      {.group = "ents",
       .name = "create",
       .summary = "create a token, with optional limits",
       .method = "POST",
       .path = "/entitlements/{OWNER}/{REPO}/",
       .arguments = {kOwnerRepo},
       .options = EntitlementFields(/*creating=*/true)},
      {.group = "ents",
       .name = "update",
       .summary = "change a token's name, limits or metadata",
       .method = "PATCH",
       .path = kToken,
       .arguments = {kOwnerRepo, identifier},
       .options = EntitlementFields(/*creating=*/false),
       .needs_a_field = true},
      token_action("delete", "delete a token", "DELETE", kToken),
      token_action("enable", "let a token download again", "POST",
                   "/entitlements/{OWNER}/{REPO}/{IDENTIFIER}/enable/"),
      token_action("disable", "stop a token from downloading", "POST",
                   "/entitlements/{OWNER}/{REPO}/{IDENTIFIER}/disable/"),
      {.group = "ents",
       .name = "refresh",
       .summary = "give a token a new string (the old one stops working)",
       .method = "POST",
       .path = "/entitlements/{OWNER}/{REPO}/{IDENTIFIER}/refresh/",
       .arguments = {kOwnerRepo, identifier},
       .options = {{.name = "token", .kind = kText, .value_name = "TOKEN"}}},
      token_action("reset", "set a token's usage back to zero", "POST",
                   "/entitlements/{OWNER}/{REPO}/{IDENTIFIER}/reset/"),
      token_action("usage", "show a token's usage and recent downloads", "GET",
                   "/entitlements/{OWNER}/{REPO}/{IDENTIFIER}/usage/"),
      {.group = "ents",
       .name = "sync",
       .summary = "replace the tokens with copies of another repository's",
       .method = "POST",
       .path = "/entitlements/{OWNER}/{REPO}/sync/",
       .arguments = {kOwnerRepo},
       .options = {{.name = "source", .kind = kText, .value_name = "REPO", .required = true}},
       .columns = kEntitlementColumns},
      {.group = "ents",
       .name = "me",
       .summary = "your own token for a repository",
       .method = "GET",
       .path = "/entitlements/{OWNER}/{REPO}/me/",
       .arguments = {kOwnerRepo}},

      // Repositories.
      {.group = "repos",
       .name = "list",
       .summary = "list the repositories you can read",
       .method = "GET",
       .path = "/repos/{OWNER}/",
       .arguments = {kOwner},
       .options = Paged(),
       .columns = kRepositoryColumns},
      {.group = "repos",
       .name = "get",
       .summary = "show one repository",
       .method = "GET",
       .path = "/repos/{OWNER}/{REPO}/",
       .arguments = {kOwnerRepo}},
      {.group = "repos",
       .name = "create",
       .summary = "create a repository",
       .method = "POST",
       .path = "/repos/{OWNER}/",
       .arguments = {kOwner},
       .options = RepositoryFields(true)},
      {.group = "repos",
       .name = "update",
       .summary = "change a repository",
       .method = "PATCH",
       .path = "/repos/{OWNER}/{REPO}/",
       .arguments = {kOwnerRepo},
       .options = RepositoryFields(false),
       .needs_a_field = true},
      {.group = "repos",
       .name = "delete",
       .summary = "delete an empty repository",
       .method = "DELETE",
       .path = "/repos/{OWNER}/{REPO}/",
       .arguments = {kOwnerRepo}},
      {.group = "repos",
       .name = "privileges",
       .summary = "list who may read, write or administer",
       .method = "GET",
       .path = "/repos/{OWNER}/{REPO}/privileges/",
       .arguments = {kOwnerRepo},
       .columns = kPrivilegeColumns},
      {.group = "repos",
       .name = "set-privileges",
       .summary = "replace the whole privilege list (no --grant: nobody but owners and managers)",
       .method = "PUT",
       .path = "/repos/{OWNER}/{REPO}/privileges/",
       .arguments = {kOwnerRepo},
       .options = {{.name = "grant", .kind = kGrantList, .value_name = "KIND:NAME:PRIVILEGE"}},
       .columns = kPrivilegeColumns},
      {.group = "repos",
       .name = "signing-key",
       .summary = "show the OpenPGP public key apt checks the repository's signatures with",
       .method = "GET",
       .path = "/repos/{OWNER}/{REPO}/signing-key/",
       .arguments = {kOwnerRepo}},

      // Packages.
      {.group = "packages",
       .name = "list",
       .summary = "list the files of a repository",
       .method = "GET",
       .path = "/packages/{OWNER}/{REPO}/",
       .arguments = {kOwnerRepo},
       .options = Paged(),
       .columns = kPackageColumns},
      {.group = "packages",
       .name = "upload",
       .summary = "upload a file (streamed)",
       .method = "PUT",
       .path = "/packages/{OWNER}/{REPO}/files/{PATH}",
       .arguments = {kOwnerRepo, {"FILE", ArgumentKind::kFile}},
       .options = {{.name = "path", .kind = kUploadPath, .value_name = "PATH"},
                   {.name = "overwrite", .kind = kQueryTrue}}},
      {.group = "packages",
       .name = "delete",
       .summary = "delete a file",
       .method = "DELETE",
       .path = "/packages/{OWNER}/{REPO}/files/{PATH}",
       .arguments = {kOwnerRepo, {"PATH", ArgumentKind::kPath}}},

      // Services.
      {.group = "services",
       .name = "list",
       .summary = "list the services of an org",
       .method = "GET",
       .path = "/orgs/{OWNER}/services/",
       .arguments = {kOwner},
       .options = Paged(),
       .columns = kServiceColumns},
      {.group = "services",
       .name = "get",
       .summary = "show one service",
       .method = "GET",
       .path = "/orgs/{OWNER}/services/{SLUG}/",
       .arguments = {kOwner, Segment("SLUG")}},
      {.group = "services",
       .name = "create",
       .summary = "create a service; its API key is shown this once",
       .method = "POST",
       .path = "/orgs/{OWNER}/services/",
       .arguments = {kOwner},
       .options = ServiceFields(true)},
      {.group = "services",
       .name = "update",
       .summary = "change a service (--team replaces its teams)",
       .method = "PATCH",
       .path = "/orgs/{OWNER}/services/{SLUG}/",
       .arguments = {kOwner, Segment("SLUG")},
       .options = ServiceFields(false),
       .needs_a_field = true},
      {.group = "services",
       .name = "delete",
       .summary = "delete a service and its key",
       .method = "DELETE",
       .path = "/orgs/{OWNER}/services/{SLUG}/",
       .arguments = {kOwner, Segment("SLUG")}},
      {.group = "services",
       .name = "refresh",
       .summary = "rotate a service's API key (shown this once)",
       .method = "POST",
       .path = "/orgs/{OWNER}/services/{SLUG}/refresh/",
       .arguments = {kOwner, Segment("SLUG")}},

      // Members.
      {.group = "members",
       .name = "list",
       .summary = "list the users of an org",
       .method = "GET",
       .path = "/orgs/{OWNER}/members/",
       .arguments = {kOwner},
       .options = Paged(),
       .columns = kMemberColumns},
      {.group = "members",
       .name = "get",
       .summary = "show one user",
       .method = "GET",
       .path = "/orgs/{OWNER}/members/{NAME}/",
       .arguments = {kOwner, Segment("NAME")}},
      {.group = "members",
       .name = "add",
       .summary = "add a user; their API key is shown this once",
       .method = "POST",
       .path = "/orgs/{OWNER}/members/",
       .arguments = {kOwner},
       .options = {{.name = "name", .kind = kText, .value_name = "NAME", .required = true},
                   {.name = "role", .kind = kText, .value_name = "owner|manager|member"}}},
      {.group = "members",
       .name = "update",
       .summary = "change a user's role",
       .method = "PATCH",
       .path = "/orgs/{OWNER}/members/{NAME}/",
       .arguments = {kOwner, Segment("NAME")},
       .options = {{.name = "role",
                    .kind = kText,
                    .value_name = "owner|manager|member",
                    .required = true}}},
      {.group = "members",
       .name = "remove",
       .summary = "remove a user (their key and user tokens stop working)",
       .method = "DELETE",
       .path = "/orgs/{OWNER}/members/{NAME}/",
       .arguments = {kOwner, Segment("NAME")}},
      {.group = "members",
       .name = "refresh",
       .summary = "rotate a user's API key (shown this once)",
       .method = "POST",
       .path = "/orgs/{OWNER}/members/{NAME}/refresh/",
       .arguments = {kOwner, Segment("NAME")}},

      // Teams.
      {.group = "teams",
       .name = "list",
       .summary = "list the teams of an org",
       .method = "GET",
       .path = "/orgs/{OWNER}/teams/",
       .arguments = {kOwner},
       .options = Paged(),
       .columns = kTeamColumns},
      {.group = "teams",
       .name = "get",
       .summary = "show one team and its members",
       .method = "GET",
       .path = "/orgs/{OWNER}/teams/{TEAM}/",
       .arguments = {kOwner, Segment("TEAM")}},
      {.group = "teams",
       .name = "create",
       .summary = "create a team (its slug derived from the name unless --slug)",
       .method = "POST",
       .path = "/orgs/{OWNER}/teams/",
       .arguments = {kOwner},
       .options = {{.name = "name", .kind = kText, .value_name = "NAME", .required = true},
                   {.name = "slug", .kind = kText, .value_name = "SLUG"},
                   {.name = "description", .kind = kText, .value_name = "TEXT"}}},
      {.group = "teams",
       .name = "delete",
       .summary = "delete a team",
       .method = "DELETE",
       .path = "/orgs/{OWNER}/teams/{TEAM}/",
       .arguments = {kOwner, Segment("TEAM")}},
      {.group = "teams",
       .name = "add-member",
       .summary = "add a user or service to a team",
       .method = "PUT",
       .path = "/orgs/{OWNER}/teams/{TEAM}/members/{NAME}/",
       .arguments = {kOwner, Segment("TEAM"), Segment("NAME")},
       .options = {{.name = "kind", .kind = kText, .value_name = "user|service"}}},
      {.group = "teams",
       .name = "remove-member",
       .summary = "remove a user or service from a team",
       .method = "DELETE",
       .path = "/orgs/{OWNER}/teams/{TEAM}/members/{NAME}/",
       .arguments = {kOwner, Segment("TEAM"), Segment("NAME")}},

      // Orgs.
      {.group = "orgs",
       .name = "get",
       .summary = "show an org and its quota",
       .method = "GET",
       .path = "/orgs/{OWNER}/",
       .arguments = {kOwner}},
      {.group = "orgs",
       .name = "update",
       .summary = "set the quota of active tokens",
       .method = "PATCH",
       .path = "/orgs/{OWNER}/",
       .arguments = {kOwner},
       .options = {{.name = "max-active-entitlements",
                    .kind = kCount,
                    .value_name = "N|null",
                    .required = true}}},
      {.group = "orgs",
       .name = "audit-log",
       .summary = "list the admin changes in an org",
       .method = "GET",
       .path = "/audit-log/{OWNER}/",
       .arguments = {kOwner},
       .options = Paged(),
       .columns = kAuditColumns},
  };
  return verbs;
}

}  // namespace

const std::vector<GroupSpec>& Groups() {
  static const std::vector<GroupSpec> groups = {
      {"ents", "entitlement tokens of a repository"},
      {"repos", "repositories, their privileges and signing keys"},
      {"packages", "files in a repository"},
      {"services", "service accounts (CI/CD) of an org"},
      {"members", "users of an org"},
      {"teams", "teams of users and services"},
      {"orgs", "an org's quota and audit log"},
  };
  return groups;
}

const GroupSpec* FindGroup(std::string_view name) {
  for (const GroupSpec& group : Groups()) {
    if (group.name == name) return &group;
  }
  return nullptr;
}

const std::vector<VerbSpec>& Verbs() {
  static const std::vector<VerbSpec> verbs = BuildVerbs();
  return verbs;
}

std::vector<const VerbSpec*> VerbsOf(std::string_view group) {
  std::vector<const VerbSpec*> found;
  for (const VerbSpec& verb : Verbs()) {
    if (verb.group == group) found.push_back(&verb);
  }
  return found;
}

const VerbSpec* FindVerb(std::string_view group, std::string_view name) {
  for (const VerbSpec& verb : Verbs()) {
    if (verb.group == group && verb.name == name) return &verb;
  }
  return nullptr;
}

std::string FieldOf(const OptionSpec& option) {
  std::string field(option.field.empty() ? option.name : option.field);
  if (option.field.empty()) std::replace(field.begin(), field.end(), '-', '_');
  return field;
}

bool IsFlag(OptionKind kind) { return kind == kSetTrue || kind == kSetFalse || kind == kQueryTrue; }

}  // namespace tollgate::gateway::cli
