// Repository endpoints and the repository JSON form.
#include "admin/repositories_api.h"

#include <optional>
#include <variant>

#include "admin/accounts_json.h"
#include "admin/audit.h"
#include "admin/authorization.h"
#include "admin/directory_update.h"
#include "admin/json_fields.h"
#include "admin/origin_admission.h"
#include "admin/pagination.h"
#include "admin/signing_key_api.h"
#include "admin/storage_json.h"
#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "observe/log.h"
#include "tollgate/base/concat.h"
#include "tollgate/policy/slug.h"
#include "tollgate/storage/http_origin_config.h"
#include "tollgate/storage/openpgp/ensure_signing_key.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;
namespace json = boost::json;
using storage::Repository;
using storage::RepositoryType;

namespace {

json::object RepositoryToJson(const Repository& repository) {
  return json::object{
      {"namespace", repository.org},
      {"slug", repository.slug},
      {"name", repository.name},
      {"repository_type", repository.type == RepositoryType::kPublic ? "public" : "private"},
      {"storage", StorageForApi(repository.storage_json)},
      {"created_at", FormatTimestamp(repository.created_at)},
  };
}

absl::Status ApplyRepositoryFields(const json::object& fields, Repository& repository) {
  if (absl::Status s = ReadBoundedString(fields, "name", 1, kMaxNameLength, repository.name);
      !s.ok()) {
    return s;
  }
  std::string type;
  if (absl::Status s = ReadString(fields, "repository_type", type); !s.ok()) return s;
  if (type == "private") {
    repository.type = RepositoryType::kPrivate;
  } else if (type == "public") {
    repository.type = RepositoryType::kPublic;
  } else if (!type.empty()) {
    return absl::InvalidArgumentError("repository_type: must be private or public");
  }
  if (const json::value* storage = fields.if_contains("storage"); storage != nullptr) {
    absl::StatusOr<std::string> stored = StorageToStore(*storage, repository.storage_json);
    if (!stored.ok()) return stored.status();
    repository.storage_json = *std::move(stored);
  }
  return absl::OkStatus();
}

// Drops the privilege list of `org/slug`, so that a repository never inherits the grants of
// an earlier one of the same name.
absl::Status ForgetGrants(const AdminContext& context, const std::string& org,
                          const std::string& slug) {
  const storage::DirectoryPtr directory = context.stores.accounts->Directory(org);
  if (directory == nullptr || !directory->grants.contains(slug)) return absl::OkStatus();
  return UpdateDirectory(*context.stores.accounts, org,
                         [&](policy::OrgDirectory& updated) {
                           updated.grants.erase(slug);
                           return absl::OkStatus();
                         })
      .status();
}

// The repository a create request describes, or the refusal.
std::variant<ApiResponse, Repository> NewRepository(const AdminContext& context,
                                                    const ApiRequest& request,
                                                    const std::string& org) {
  if (auto refused = CheckOrgAccess(request.caller, org, OrgAccess::kManager)) return *refused;
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  Repository repository;
  repository.org = org;
  if (absl::Status s = ReadString(*fields, "slug", repository.slug); !s.ok()) return FromStatus(s);
  if (!policy::IsValidSlug(repository.slug)) {
    return FromStatus(absl::InvalidArgumentError(
        "slug: must be 1 to 64 characters of letters, digits, '.', '_' or '-', starting with a "
        "letter or digit"));
  }
  if (!fields->contains("repository_type")) {
    return FromStatus(
        absl::InvalidArgumentError("repository_type: is required (private or public)"));
  }
  repository.name = repository.slug;
  if (absl::Status s = ApplyRepositoryFields(*fields, repository); !s.ok()) return FromStatus(s);
  repository.created_at = context.clock();
  return repository;
}

ApiResponse StoreNewRepository(const AdminContext& context, const ApiRequest& request,
                               const Repository& repository) {
  const std::string& org = repository.org;
  if (absl::Status s = context.stores.repositories->Create(repository); !s.ok()) {
    return FromStatus(s);
  }
  if (absl::Status s = ForgetGrants(context, org, repository.slug); !s.ok()) return FromStatus(s);
  // The key apt's view signs with (SPEC §7). The repository exists whatever happens here: a
  // key that could not be made now is made on first need.
  if (absl::StatusOr<storage::SigningKeyMaterial> key =
          storage::EnsureSigningKey(context.stores, org, repository.slug);
      !key.ok()) {
    LogEvent(
        "warning", "signing_key_not_made",
        {{"org", org}, {"repository", repository.slug}, {"error", ToStd(key.status().message())}});
  }
  json::object created = RepositoryToJson(repository);
  RecordAudit(context, request, org, "repository.create", Concat(org, "/", repository.slug),
              json::object{{"after", created}});
  return Json(http::status::created, std::move(created));
}

boost::asio::awaitable<ApiResponse> CreateRepository(const AdminContext& context,
                                                     const ApiRequest& request,
                                                     const std::string& org) {
  std::variant<ApiResponse, Repository> described = NewRepository(context, request, org);
  if (auto* refusal = std::get_if<ApiResponse>(&described)) co_return std::move(*refusal);
  const Repository& repository = std::get<Repository>(described);
  if (std::optional<ApiResponse> refused =
          co_await CheckOriginAdmission(context, repository.storage_json)) {
    co_return std::move(*refused);
  }
  co_return StoreNewRepository(context, request, repository);
}

ApiResponse ListRepositories(const AdminContext& context, const ApiRequest& request,
                             const std::string& org) {
  if (auto refused = CheckOrgAccess(request.caller, org, OrgAccess::kMember)) return *refused;
  json::array items;
  for (const Repository& repository : context.stores.repositories->List(org)) {
    if (RepositoryPrivilege(context, request.caller, org, repository.slug) >= Privilege::kRead) {
      items.push_back(RepositoryToJson(repository));
    }
  }
  return Paginate(request, std::move(items), Concat("/api/v1/repos/", org, "/"));
}

// A PATCH read and applied to a copy of the stored repository, not yet stored.
struct RepositoryChange {
  Repository repository;
  json::object before;         // the repository as the API showed it
  std::string storage_before;  // the stored storage JSON, secrets and all
  bool sets_storage = false;
};

// The change a PATCH asks for, or the refusal. Changing `storage` points tollgate's
// connections somewhere else, with the repository's credentials: that takes an owner or
// manager of the org, not an admin of one repository.
std::variant<ApiResponse, RepositoryChange> ChangedRepository(const AdminContext& context,
                                                              const ApiRequest& request,
                                                              const std::string& org,
                                                              const std::string& slug) {
  if (auto refused = CheckRepositoryAccess(context, request.caller, org, slug, Privilege::kAdmin)) {
    return *refused;
  }
  const storage::RepositoryPtr stored = context.stores.repositories->Get(org, slug);
  if (stored == nullptr) return NotFound("repository");
  absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
  if (!fields.ok()) return BadRequest(fields.status());
  RepositoryChange change{*stored, RepositoryToJson(*stored), stored->storage_json,
                          fields->contains("storage")};
  if (change.sets_storage && !ManagesOrg(request.caller, org)) {
    return InsufficientPrivilege(Concat("owner or manager of ", org, " to change storage"));
  }
  if (fields->contains("slug")) {
    return FromStatus(absl::InvalidArgumentError("slug: cannot be changed"));
  }
  if (absl::Status s = ApplyRepositoryFields(*fields, change.repository); !s.ok()) {
    return FromStatus(s);
  }
  return change;
}

ApiResponse StoreChangedRepository(const AdminContext& context, const ApiRequest& request,
                                   const RepositoryChange& change) {
  const Repository& repository = change.repository;
  if (absl::Status s = context.stores.repositories->Update(repository); !s.ok()) {
    return FromStatus(s);
  }
  json::object after = RepositoryToJson(repository);
  json::object changes = ChangedFields(change.before, after);
  // Secrets are redacted on both sides, so a rotated origin secret shows only as this mark.
  if (repository.storage_json != change.storage_before &&
      change.before.at("storage") == after.at("storage")) {
    changes["storage_secrets"] = "changed";
  }
  RecordAudit(context, request, repository.org, "repository.update",
              Concat(repository.org, "/", repository.slug), std::move(changes));
  return Json(http::status::ok, std::move(after));
}

boost::asio::awaitable<ApiResponse> UpdateRepository(const AdminContext& context,
                                                     const ApiRequest& request,
                                                     const std::string& org,
                                                     const std::string& slug) {
  std::variant<ApiResponse, RepositoryChange> changed =
      ChangedRepository(context, request, org, slug);
  if (auto* refusal = std::get_if<ApiResponse>(&changed)) co_return std::move(*refusal);
  const RepositoryChange& change = std::get<RepositoryChange>(changed);
  if (change.sets_storage) {
    if (std::optional<ApiResponse> refused =
            co_await CheckOriginAdmission(context, change.repository.storage_json)) {
      co_return std::move(*refused);
    }
  }
  co_return StoreChangedRepository(context, request, change);
}

// GET and DELETE of one repository.
ApiResponse HandleOneRepository(const AdminContext& context, const ApiRequest& request,
                                const std::string& org, const std::string& slug) {
  const Privilege needed = request.method == "GET" ? Privilege::kRead : Privilege::kAdmin;
  if (auto refused = CheckRepositoryAccess(context, request.caller, org, slug, needed)) {
    return *refused;
  }
  const storage::RepositoryPtr stored = context.stores.repositories->Get(org, slug);
  if (stored == nullptr) return NotFound("repository");
  const Repository& repository = *stored;
  if (request.method == "GET") return Json(http::status::ok, RepositoryToJson(repository));
  const std::string target = Concat(org, "/", slug);
  if (request.method == "DELETE") {
    // Files left behind would be served again by a new repository of the same name, maybe
    // a public one; so a repository goes only once its packages are gone.
    absl::StatusOr<std::vector<storage::ArtifactListing>> files = context.files->List(org, slug);
    if (!files.ok()) return FromStatus(files.status());
    // An origin repository's packages are the catalog's records of its uploads.
    const size_t held = storage::StoredAtOrigin(repository)
                            ? context.stores.artifacts->List(org, slug).size()
                            : files->size();
    if (held > 0) {
      return Error(ApiError::kRepositoryNotEmpty, Concat("The repository still holds ", held,
                                                         " files; delete its packages first."));
    }
    if (absl::Status s = context.stores.repositories->Delete(org, slug); !s.ok()) {
      return FromStatus(s);
    }
    // The repository is gone whatever happens here; grants left behind by a failure are
    // dropped again when a repository of this name is created.
    ForgetGrants(context, org, slug).IgnoreError();
    RecordAudit(context, request, org, "repository.delete", target,
                json::object{{"before", RepositoryToJson(repository)}});
    return NoContent();
  }
  return MethodNotAllowed("GET, PATCH or DELETE");
}

// GET/PUT /repos/{org}/{repo}/privileges/: the repository's privilege list (admin only).
ApiResponse HandlePrivileges(const AdminContext& context, const ApiRequest& request,
                             const std::string& org, const std::string& slug) {
  if (auto refused = CheckRepositoryAccess(context, request.caller, org, slug, Privilege::kAdmin)) {
    return *refused;
  }
  if (request.method == "GET") {
    const storage::DirectoryPtr directory = context.stores.accounts->Directory(org);
    if (directory == nullptr) return NotFound("org");
    const auto list = directory->grants.find(slug);
    return Paginate(request,
                    list == directory->grants.end() ? json::array{} : GrantsToJson(list->second),
                    Concat("/api/v1/repos/", org, "/", slug, "/privileges/"));
  }
  if (request.method != "PUT") return MethodNotAllowed("GET or PUT");
  boost::system::error_code ec;
  const json::value body = json::parse(request.body, ec);
  if (ec) return BadRequest(absl::InvalidArgumentError("body is not valid JSON"));
  json::array before;
  std::vector<policy::Grant> granted;
  absl::StatusOr<policy::OrgDirectory> stored =
      UpdateDirectory(*context.stores.accounts, org, [&](policy::OrgDirectory& directory) {
        absl::StatusOr<std::vector<policy::Grant>> grants = GrantsFromJson(body, directory);
        if (!grants.ok()) return grants.status();
        std::vector<policy::Grant>& list = directory.grants[slug];
        before = GrantsToJson(list);
        list = *std::move(grants);
        granted = list;
        return absl::OkStatus();
      });
  if (!stored.ok()) return FromStatus(stored.status());
  json::array after = GrantsToJson(granted);
  RecordAudit(context, request, org, "repository.privileges", Concat(org, "/", slug),
              json::object{{"before", std::move(before)}, {"after", after}});
  return Json(http::status::ok, std::move(after));
}

}  // namespace

boost::asio::awaitable<ApiResponse> HandleRepositories(const AdminContext& context,
                                                       const ApiRequest& request) {
  const auto& segments = request.segments;  // "repos", org[, repo]
  if (segments.size() == 2) {
    if (request.method == "GET") co_return ListRepositories(context, request, segments[1]);
    if (request.method == "POST")
      co_return co_await CreateRepository(context, request, segments[1]);
    co_return MethodNotAllowed("GET or POST");
  }
  if (segments.size() == 3) {
    if (request.method == "PATCH") {
      co_return co_await UpdateRepository(context, request, segments[1], segments[2]);
    }
    co_return HandleOneRepository(context, request, segments[1], segments[2]);
  }
  if (segments.size() == 4 && segments[3] == "privileges") {
    co_return HandlePrivileges(context, request, segments[1], segments[2]);
  }
  if (segments.size() == 4 && segments[3] == "signing-key") {
    co_return HandleSigningKey(context, request, segments[1], segments[2]);
  }
  co_return NotFound("endpoint");
}

}  // namespace tollgate::gateway::admin
