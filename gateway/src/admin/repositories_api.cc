// Repository endpoints and the repository JSON form.
#include "admin/repositories_api.h"

#include "admin/authorization.h"
#include "admin/json_fields.h"
#include "admin/pagination.h"
#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "tollgate/policy/concat.h"
#include "tollgate/policy/slug.h"

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
      {"storage", json::parse(repository.storage_json)},
      {"created_at", FormatTimestamp(repository.created_at)},
  };
}

absl::Status ApplyRepositoryFields(const json::object& fields, Repository& repository) {
  if (absl::Status s = ReadString(fields, "name", repository.name); !s.ok()) return s;
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
    const json::object* object = storage->if_object();
    const json::value* kind = object ? object->if_contains("type") : nullptr;
    if (kind == nullptr || !kind->is_string()) {
      return absl::InvalidArgumentError(R"(storage: must be {"type": "fs"})");
    }
    if (kind->as_string() == "http") {
      return absl::InvalidArgumentError(
          "storage.type: HTTP origins are not supported by this version yet");
    }
    if (kind->as_string() != "fs" || object->size() != 1) {
      return absl::InvalidArgumentError(R"(storage: must be {"type": "fs"})");
    }
    repository.storage_json = json::serialize(*storage);
  }
  if (repository.name.empty() || repository.name.size() > 200) {
    return absl::InvalidArgumentError("name: must be 1 to 200 characters long");
  }
  return absl::OkStatus();
}

ApiResponse CreateRepository(const AdminContext& context, const ApiRequest& request,
                             const std::string& org) {
  if (!ManagesOrg(request.caller, org)) return InsufficientPrivilege("owner or manager of " + org);
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
  if (absl::Status s = context.stores.repositories->Create(repository); !s.ok()) {
    return FromStatus(s);
  }
  return Json(http::status::created, RepositoryToJson(repository));
}

ApiResponse ListRepositories(const AdminContext& context, const ApiRequest& request,
                             const std::string& org) {
  if (!context.stores.accounts->OrgExists(org)) {
    return NotFound("org");
  }
  json::array items;
  for (const Repository& repository : context.stores.repositories->List(org)) {
    if (RepositoryPrivilege(request, org, repository.slug) >= Privilege::kRead) {
      items.push_back(RepositoryToJson(repository));
    }
  }
  return Paginate(request, std::move(items), Concat("/api/v1/repos/", org, "/"));
}

ApiResponse HandleOneRepository(const AdminContext& context, const ApiRequest& request,
                                const std::string& org, const std::string& slug) {
  std::optional<Repository> repository = context.stores.repositories->Get(org, slug);
  const Privilege privilege = RepositoryPrivilege(request, org, slug);
  if (!repository || privilege == Privilege::kNone) {
    return NotFound("repository");
  }
  if (request.method == "GET") return Json(http::status::ok, RepositoryToJson(*repository));
  if (privilege < Privilege::kAdmin) {
    return InsufficientPrivilege(Concat("admin on ", org, "/", slug));
  }
  if (request.method == "DELETE") {
    // Files left behind would be served again by a new repository of the same name, maybe
    // a public one; so a repository goes only once its packages are gone.
    absl::StatusOr<std::vector<storage::ArtifactListing>> files = context.files->List(org, slug);
    if (!files.ok()) return FromStatus(files.status());
    if (!files->empty()) {
      return Error(http::status::conflict, "repository_not_empty",
                   Concat("The repository still holds ", files->size(),
                          " files; delete its packages first."));
    }
    absl::Status s = context.stores.repositories->Delete(org, slug);
    return s.ok() ? NoContent() : FromStatus(s);
  }
  if (request.method == "PATCH") {
    absl::StatusOr<json::object> fields = ParseJsonObject(request.body);
    if (!fields.ok()) return BadRequest(fields.status());
    if (fields->contains("slug")) {
      return FromStatus(absl::InvalidArgumentError("slug: cannot be changed"));
    }
    if (absl::Status s = ApplyRepositoryFields(*fields, *repository); !s.ok()) {
      return FromStatus(s);
    }
    if (absl::Status s = context.stores.repositories->Update(*repository); !s.ok()) {
      return FromStatus(s);
    }
    return Json(http::status::ok, RepositoryToJson(*repository));
  }
  return MethodNotAllowed("GET, PATCH or DELETE");
}

}  // namespace

ApiResponse HandleRepositories(const AdminContext& context, const ApiRequest& request) {
  const auto& segments = request.segments;  // "repos", org[, repo]
  if (segments.size() == 2) {
    if (request.method == "GET") return ListRepositories(context, request, segments[1]);
    if (request.method == "POST") return CreateRepository(context, request, segments[1]);
    return MethodNotAllowed("GET or POST");
  }
  if (segments.size() == 3) return HandleOneRepository(context, request, segments[1], segments[2]);
  return NotFound("endpoint");
}

}  // namespace tollgate::gateway::admin
