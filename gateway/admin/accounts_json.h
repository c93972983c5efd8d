// Members, services, teams and privilege lists as the admin API shows them. No function here
// ever writes a key or a key hash: the one response that shows a new key adds it itself.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/json/array.hpp"
#include "boost/json/object.hpp"
#include "tollgate/policy/org_directory.h"

namespace tollgate::gateway::admin {

boost::json::object MemberToJson(const policy::Member& member);
// {slug, name, description, teams, role, created_at}
boost::json::object ServiceToJson(const policy::OrgDirectory& directory,
                                  const policy::Service& service);
boost::json::object TeamToJson(const policy::Team& team);
boost::json::array GrantsToJson(const std::vector<policy::Grant>& grants);

// Reads a privilege list (SPEC §3 `[{"kind","name","privilege"}]`), checking that every
// named user, team and service exists in `directory`. InvalidArgument naming the entry
// ("[2].name: …") on anything wrong.
absl::StatusOr<std::vector<policy::Grant>> GrantsFromJson(const boost::json::value& body,
                                                          const policy::OrgDirectory& directory);

// Reads an org role ("owner", "manager" or "member") from `field` when present.
absl::Status ReadOrgRole(const boost::json::object& fields, std::string_view field,
                         policy::OrgRole& out);

// Reads an optional JSON array of team slugs in `field`, each an existing team of
// `directory`. nullopt when absent; InvalidArgument naming the field otherwise.
absl::StatusOr<std::optional<std::vector<std::string>>> TeamSlugsFromJson(
    const boost::json::object& fields, std::string_view field,
    const policy::OrgDirectory& directory);

}  // namespace tollgate::gateway::admin
