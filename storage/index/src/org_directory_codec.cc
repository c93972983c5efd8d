// Encoding and decoding of the org directory document with Boost.JSON.
#include "tollgate/storage/index/org_directory_codec.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "boost/json.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

namespace json = boost::json;
using policy::OrgDirectory;

json::string_view JsonView(std::string_view text) { return {text.data(), text.size()}; }

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

json::object EncodeMember(const policy::Member& member) {
  return {{"name", member.name},
          {"role", JsonView(policy::OrgRoleName(member.role))},
          {"key_hash", member.key_hash},
          {"created_at", Micros(member.created_at)}};
}

json::object EncodeService(const policy::Service& service) {
  return {{"slug", service.slug},
          {"name", service.name},
          {"description", service.description},
          {"role", JsonView(policy::OrgRoleName(service.role))},
          {"key_hash", service.key_hash},
          {"created_at", Micros(service.created_at)}};
}

json::object EncodeTeam(const policy::Team& team) {
  json::array members;
  for (const policy::TeamMember& member : team.members) {
    members.push_back(json::object{{"kind", JsonView(policy::PrincipalKindName(member.kind))},
                                   {"name", member.name}});
  }
  return {{"slug", team.slug},
          {"name", team.name},
          {"description", team.description},
          {"members", std::move(members)},
          {"created_at", Micros(team.created_at)}};
}

json::array EncodeGrants(const std::vector<policy::Grant>& grants) {
  json::array list;
  for (const policy::Grant& grant : grants) {
    list.push_back(json::object{{"kind", JsonView(policy::PrincipalKindName(grant.kind))},
                                {"name", grant.name},
                                {"privilege", JsonView(policy::PrivilegeName(grant.privilege))}});
  }
  return list;
}

// Reads typed fields out of the document, remembering the first one that is missing, of the
// wrong type or unknown, so the decoder checks once at the end. `path` names the object a
// field is read from ("" for the document, "members[1]" for a member).
class DocumentReader {
 public:
  std::string Text(const json::object& object, std::string_view path, std::string_view name) {
    const json::value* value = Field(object, name);
    if (value == nullptr || !value->is_string()) {
      Fail(path, name);
      return {};
    }
    return std::string(value->get_string());
  }

  absl::Time Time(const json::object& object, std::string_view path, std::string_view name) {
    const json::value* value = Field(object, name);
    if (value == nullptr || !value->is_int64()) {
      Fail(path, name);
      return absl::UnixEpoch();
    }
    return absl::FromUnixMicros(value->get_int64());
  }

  // Absent or null is nullopt.
  std::optional<int64_t> OptionalInt(const json::object& object, std::string_view path,
                                     std::string_view name) {
    const json::value* value = Field(object, name);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_int64()) {
      Fail(path, name);
      return std::nullopt;
    }
    return value->get_int64();
  }

  // The value `parse` makes of the text field, or `fallback` (recorded as bad).
  template <typename Enum>
  Enum Named(const json::object& object, std::string_view path, std::string_view name,
             std::optional<Enum> (*parse)(std::string_view), Enum fallback) {
    std::optional<Enum> parsed = parse(Text(object, path, name));
    if (!parsed) {
      Fail(path, name);
      return fallback;
    }
    return *parsed;
  }

  // Empty when the field is missing or not an array (recorded as bad).
  const json::array& Array(const json::object& object, std::string_view path,
                           std::string_view name) {
    const json::value* value = Field(object, name);
    if (value == nullptr || !value->is_array()) {
      Fail(path, name);
      return kEmptyArray;
    }
    return value->get_array();
  }

  // Empty when the field is missing or not an object (recorded as bad).
  const json::object& Object(const json::object& object, std::string_view path,
                             std::string_view name) {
    const json::value* value = Field(object, name);
    if (value == nullptr || !value->is_object()) {
      Fail(path, name);
      return kEmptyObject;
    }
    return value->get_object();
  }

  // Element `index` of `array`, which must be an object (recorded as bad, at path `element`,
  // when it is not).
  const json::object& Element(const json::array& array, size_t index, const std::string& element) {
    if (!array[index].is_object()) {
      Fail(element, "");
      return kEmptyObject;
    }
    return array[index].get_object();
  }

  void Fail(std::string_view path, std::string_view name) {
    if (!bad_field_.empty()) return;
    bad_field_ = path.empty()   ? std::string(name)
                 : name.empty() ? std::string(path)
                                : Concat(path, '.', name);
  }

  absl::Status status(const std::string& org) const {
    if (bad_field_.empty()) return absl::OkStatus();
    return absl::DataLossError(
        Concat("directory of org ", org, " has a missing or unknown value in field ", bad_field_));
  }

 private:
  inline static const json::array kEmptyArray;
  inline static const json::object kEmptyObject;

  static const json::value* Field(const json::object& object, std::string_view name) {
    return object.if_contains(JsonView(name));
  }

  std::string bad_field_;
};

std::optional<policy::PrincipalKind> ParseTeamMemberKind(std::string_view name) {
  std::optional<policy::PrincipalKind> kind = policy::ParsePrincipalKind(name);
  if (kind == policy::PrincipalKind::kTeam) return std::nullopt;
  return kind;
}

void DecodeMembers(DocumentReader& reader, const json::object& document, OrgDirectory& out) {
  const json::array& members = reader.Array(document, "", "members");
  for (size_t i = 0; i < members.size(); ++i) {
    const std::string path = Concat("members[", i, ']');
    const json::object& object = reader.Element(members, i, path);
    policy::Member& member = out.members.emplace_back();
    member.name = reader.Text(object, path, "name");
    member.role =
        reader.Named(object, path, "role", &policy::ParseOrgRole, policy::OrgRole::kMember);
    member.key_hash = reader.Text(object, path, "key_hash");
    member.created_at = reader.Time(object, path, "created_at");
  }
}

void DecodeServices(DocumentReader& reader, const json::object& document, OrgDirectory& out) {
  const json::array& services = reader.Array(document, "", "services");
  for (size_t i = 0; i < services.size(); ++i) {
    const std::string path = Concat("services[", i, ']');
    const json::object& object = reader.Element(services, i, path);
    policy::Service& service = out.services.emplace_back();
    service.slug = reader.Text(object, path, "slug");
    service.name = reader.Text(object, path, "name");
    service.description = reader.Text(object, path, "description");
    service.role =
        reader.Named(object, path, "role", &policy::ParseOrgRole, policy::OrgRole::kMember);
    service.key_hash = reader.Text(object, path, "key_hash");
    service.created_at = reader.Time(object, path, "created_at");
  }
}

void DecodeTeams(DocumentReader& reader, const json::object& document, OrgDirectory& out) {
  const json::array& teams = reader.Array(document, "", "teams");
  for (size_t i = 0; i < teams.size(); ++i) {
    const std::string path = Concat("teams[", i, ']');
    const json::object& object = reader.Element(teams, i, path);
    policy::Team& team = out.teams.emplace_back();
    team.slug = reader.Text(object, path, "slug");
    team.name = reader.Text(object, path, "name");
    team.description = reader.Text(object, path, "description");
    const json::array& members = reader.Array(object, path, "members");
    for (size_t j = 0; j < members.size(); ++j) {
      const std::string member_path = Concat(path, ".members[", j, ']');
      const json::object& member = reader.Element(members, j, member_path);
      team.members.push_back({reader.Named(member, member_path, "kind", &ParseTeamMemberKind,
                                           policy::PrincipalKind::kUser),
                              reader.Text(member, member_path, "name")});
    }
    team.created_at = reader.Time(object, path, "created_at");
  }
}

void DecodeGrants(DocumentReader& reader, const json::object& document, OrgDirectory& out) {
  for (const auto& [repo, value] : reader.Object(document, "", "grants")) {
    const std::string slug(repo.data(), repo.size());
    const std::string path = Concat("grants.", slug);
    if (!value.is_array()) {
      reader.Fail(path, "");
      continue;
    }
    std::vector<policy::Grant>& list = out.grants[slug];
    const json::array& grants = value.get_array();
    for (size_t i = 0; i < grants.size(); ++i) {
      const std::string grant_path = Concat(path, '[', i, ']');
      const json::object& object = reader.Element(grants, i, grant_path);
      policy::Grant& grant = list.emplace_back();
      grant.kind = reader.Named(object, grant_path, "kind", &policy::ParsePrincipalKind,
                                policy::PrincipalKind::kUser);
      grant.name = reader.Text(object, grant_path, "name");
      grant.privilege = reader.Named(object, grant_path, "privilege", &policy::ParsePrivilege,
                                     policy::Privilege::kRead);
    }
  }
}

}  // namespace

std::string EncodeDirectory(const OrgDirectory& directory) {
  json::array members;
  for (const policy::Member& member : directory.members) members.push_back(EncodeMember(member));
  json::array services;
  for (const policy::Service& service : directory.services) {
    services.push_back(EncodeService(service));
  }
  json::array teams;
  for (const policy::Team& team : directory.teams) teams.push_back(EncodeTeam(team));
  json::object grants;
  for (const auto& [repo, list] : directory.grants) grants[repo] = EncodeGrants(list);

  json::object document;
  document["created_at"] = Micros(directory.created_at);
  if (directory.max_active_entitlements) {
    document["max_active_entitlements"] = *directory.max_active_entitlements;
  } else {
    document["max_active_entitlements"] = nullptr;
  }
  document["members"] = std::move(members);
  document["services"] = std::move(services);
  document["teams"] = std::move(teams);
  document["grants"] = std::move(grants);
  return json::serialize(document);
}

absl::StatusOr<OrgDirectory> DecodeDirectory(const std::string& org, uint64_t revision,
                                             std::string_view text) {
  boost::system::error_code error;
  const json::value parsed = json::parse(JsonView(text), error);
  DocumentReader reader;
  if (error || !parsed.is_object()) {
    reader.Fail("", "(document)");
    return reader.status(org);
  }
  const json::object& document = parsed.get_object();
  OrgDirectory directory;
  directory.org = org;
  directory.revision = revision;
  directory.created_at = reader.Time(document, "", "created_at");
  directory.max_active_entitlements = reader.OptionalInt(document, "", "max_active_entitlements");
  DecodeMembers(reader, document, directory);
  DecodeServices(reader, document, directory);
  DecodeTeams(reader, document, directory);
  DecodeGrants(reader, document, directory);
  if (absl::Status status = reader.status(org); !status.ok()) return status;
  return directory;
}

absl::StatusOr<StoredDirectory> PrepareDirectory(const OrgDirectory& directory, uint64_t revision) {
  StoredDirectory stored;
  for (const policy::Member& member : directory.members) {
    if (!member.key_hash.empty()) stored.key_hashes.push_back(member.key_hash);
  }
  for (const policy::Service& service : directory.services) {
    if (!service.key_hash.empty()) stored.key_hashes.push_back(service.key_hash);
  }
  std::vector<std::string> sorted = stored.key_hashes;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    // The hash itself stays out of the message: it identifies a key.
    return absl::AlreadyExistsError(
        Concat("two accounts of org ", directory.org, " have the same API key"));
  }
  stored.json = EncodeDirectory(directory);
  absl::StatusOr<OrgDirectory> copy = DecodeDirectory(directory.org, revision, stored.json);
  if (!copy.ok()) return copy.status();
  stored.copy = std::make_shared<const OrgDirectory>(*std::move(copy));
  return stored;
}

}  // namespace tollgate::storage
