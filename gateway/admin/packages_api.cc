// Package endpoints. The folder is the truth for what exists; the catalog adds uploader,
// upload time and a cached checksum.
#include "admin/packages_api.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "admin/audit.h"
#include "admin/authorization.h"
#include "admin/json_fields.h"
#include "admin/origin_packages.h"
#include "admin/pagination.h"
#include "http/route.h"
#include "tollgate/base/concat.h"
#include "tollgate/formats/registry.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/http_origin_config.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;
namespace json = boost::json;
using storage::ArtifactRecord;

namespace {

// Index and metadata files have no identity: their format, name and version are null.
json::object PackageToJson(const ArtifactRecord& record) {
  json::value uploader = nullptr;
  if (record.uploader) uploader = json::string(*record.uploader);
  json::value format = nullptr;
  json::value name = nullptr;
  json::value version = nullptr;
  if (std::optional<formats::PackageIdentity> identity = formats::IdentifyPackage(record.path)) {
    format = json::string(formats::PackageFormatName(identity->format));
    name = json::string(identity->name);
    version = json::string(identity->version);
  }
  return json::object{
      {"path", record.path},
      {"size", record.size},
      {"sha256", record.sha256},
      {"format", std::move(format)},
      {"name", std::move(name)},
      {"version", std::move(version)},
      {"uploader", std::move(uploader)},
      {"uploaded_at", FormatTimestamp(record.uploaded_at)},
  };
}

// The artifact path of `…/files/{path}` requests, normalised as downloads are.
absl::StatusOr<std::string> FilePath(const ApiRequest& request) {
  const std::vector<std::string> raw(request.raw_segments.begin() + 4, request.raw_segments.end());
  absl::StatusOr<ArtifactPath> path = NormaliseArtifactPath(absl::StrJoin(raw, "/"));
  if (!path.ok()) return path.status();
  if (request.trailing_slash || path->is_folder || path->path.empty()) {
    return absl::InvalidArgumentError("path: must name a file, not a folder");
  }
  return path->path;
}

bool IsFilesRequest(const ApiRequest& request) {
  return request.segments.size() >= 5 && request.segments[3] == "files";
}

// A record for a file that may have been placed in the folder by hand: uses the catalog's
// when it still matches the file, else hashes the file and remembers the result.
std::optional<ArtifactRecord> Describe(const AdminContext& context,
                                       const storage::ArtifactListing& file, const std::string& org,
                                       const std::string& repo) {
  std::optional<ArtifactRecord> record = context.stores.artifacts->Get(org, repo, file.path);
  // Uploads record their time after the file is committed and hand-placed files their mtime,
  // so a file changed since has a later mtime. The stores keep whole microseconds, hence the
  // truncation: without it a hand-placed file would look changed at every listing.
  const absl::Time modified = absl::FromUnixMicros(absl::ToUnixMicros(file.modified));
  if (record && record->size == file.size && record->uploaded_at >= modified) return record;
  absl::StatusOr<storage::ArtifactFile> opened = context.files->Open(org, repo, file.path);
  if (!opened.ok()) return std::nullopt;  // removed since it was listed
  ArtifactRecord placed;
  placed.org = org;
  placed.repo = repo;
  placed.path = file.path;
  placed.uploaded_at = file.modified;
  if (!storage::DescribePackageFile(opened->fd(), placed).ok()) return std::nullopt;
  // Only a cache: a failure to remember it costs a re-hash next time, nothing else.
  context.stores.artifacts->Put(placed).IgnoreError();
  return placed;
}

ApiResponse ListPackages(const AdminContext& context, const ApiRequest& request,
                         const storage::Repository& repository) {
  const std::string& org = repository.org;
  const std::string& repo = repository.slug;
  json::array items;
  // An origin cannot be listed: its packages are the uploads the catalog recorded.
  if (storage::StoredAtOrigin(repository)) {
    for (const ArtifactRecord& record : context.stores.artifacts->List(org, repo)) {
      items.push_back(PackageToJson(record));
    }
    return Paginate(request, std::move(items), Concat("/api/v1/packages/", org, "/", repo, "/"));
  }
  absl::StatusOr<std::vector<storage::ArtifactListing>> files = context.files->List(org, repo);
  if (!files.ok()) return FromStatus(files.status());
  for (const storage::ArtifactListing& file : *files) {
    if (std::optional<ArtifactRecord> record = Describe(context, file, org, repo)) {
      items.push_back(PackageToJson(*record));
    }
  }
  return Paginate(request, std::move(items), Concat("/api/v1/packages/", org, "/", repo, "/"));
}

boost::asio::awaitable<ApiResponse> DeletePackage(const AdminContext& context,
                                                  const ApiRequest& request,
                                                  const storage::Repository& repository) {
  const std::string& org = repository.org;
  const std::string& repo = repository.slug;
  absl::StatusOr<std::string> path = FilePath(request);
  if (!path.ok()) co_return BadRequest(path.status());
  const std::optional<ArtifactRecord> record = context.stores.artifacts->Get(org, repo, *path);
  const bool own_upload = record && record->uploader == request.caller.name;
  const Privilege privilege = RepositoryPrivilege(context, request.caller, org, repo);
  if (privilege < Privilege::kAdmin && !(privilege == Privilege::kWrite && own_upload)) {
    co_return InsufficientPrivilege(
        Concat("admin on ", org, "/", repo, " (or write, for your own uploads)"));
  }
  if (storage::StoredAtOrigin(repository)) {
    ApiResponse deleted = co_await DeleteOriginPackage(context, repository, *path);
    if (deleted.status != http::status::no_content) co_return deleted;
  } else {
    if (absl::Status s = context.files->Remove(org, repo, *path); !s.ok()) co_return FromStatus(s);
    if (record) context.stores.artifacts->Remove(org, repo, *path).IgnoreError();
  }
  RecordAudit(context, request, org, "package.delete", Concat(org, "/", repo, "/", *path));
  co_return NoContent();
}

}  // namespace

PackageUpload::PackageUpload(std::unique_ptr<UploadSink> sink, ArtifactRecord record,
                             std::string expected_sha256, bool overwrite, ApiRequest request)
    : sink_(std::move(sink)),
      record_(std::move(record)),
      expected_sha256_(std::move(expected_sha256)),
      overwrite_(overwrite),
      request_(std::move(request)) {}

std::optional<ApiResponse> PackageUpload::Start(bool at_origin) {
  if (!at_origin || !storage::MayHaveMetadata(record_.path)) return std::nullopt;
  if (absl::Status opened = spool_.Open(); !opened.ok()) {
    return Error(ApiError::kInternalError, std::string(opened.message()));
  }
  return std::nullopt;
}

boost::asio::awaitable<std::optional<ApiResponse>> PackageUpload::Write(std::string_view bytes) {
  digests_.Update(bytes);
  if (spool_.is_open()) {
    if (absl::Status spooled = spool_.Append(bytes); !spooled.ok()) {
      co_return Error(ApiError::kInternalError, std::string(spooled.message()));
    }
  }
  co_return co_await sink_->Write(bytes);
}

boost::asio::awaitable<ApiResponse> PackageUpload::Finish(const AdminContext& context) {
  digests_.Finish(record_);
  if (!expected_sha256_.empty() && expected_sha256_ != record_.sha256) {
    co_return Error(ApiError::kChecksumMismatch,
                    Concat("X-Checksum-Sha256: the body's SHA-256 is ", record_.sha256));
  }
  if (std::optional<ApiResponse> refusal = co_await sink_->Commit(overwrite_)) {
    co_return std::move(*refusal);
  }
  record_.uploaded_at = context.clock();
  if (spool_.is_open()) {
    spool_.ReadMetadataInto(record_);
  } else if (storage::MayHaveMetadata(record_.path)) {
    // A file that cannot be opened now was replaced or removed since: the catalog's indexer
    // describes whatever is there.
    if (absl::StatusOr<storage::ArtifactFile> committed =
            context.files->Open(record_.org, record_.repo, record_.path);
        committed.ok()) {
      storage::ReadPackageMetadata(committed->fd(), committed->size(), record_);
    }
  }
  if (absl::Status s = context.stores.artifacts->Put(record_); !s.ok()) co_return FromStatus(s);
  json::object package = PackageToJson(record_);
  RecordAudit(context, request_, record_.org, "package.upload",
              Concat(record_.org, "/", record_.repo, "/", record_.path),
              json::object{{"after", package}});
  co_return Json(http::status::created, std::move(package));
}

bool IsPackageUpload(const ApiRequest& request) {
  return request.method == "PUT" && request.segments.front() == "packages" &&
         IsFilesRequest(request);
}

namespace {

// An upload's request checked and its target known, before the sink is opened.
struct UploadPlan {
  storage::RepositoryPtr repository;
  std::string path;
  std::string expected_sha256;  // lowercase hex, or "" when the client sent none
  bool overwrite = false;
  Privilege privilege = Privilege::kNone;
};

std::variant<ApiResponse, UploadPlan> PlanUpload(const AdminContext& context,
                                                 const ApiRequest& request,
                                                 std::string_view checksum) {
  const std::string& org = request.segments[1];
  const std::string& repo = request.segments[2];
  if (auto refused = CheckRepositoryAccess(context, request.caller, org, repo, Privilege::kWrite)) {
    return *refused;
  }
  UploadPlan plan;
  plan.repository = context.stores.repositories->Get(org, repo);
  if (!plan.repository) return NotFound("repository");  // deleted since the access check
  plan.privilege = RepositoryPrivilege(context, request.caller, org, repo);
  absl::StatusOr<std::string> path = FilePath(request);
  if (!path.ok()) return BadRequest(path.status());
  plan.path = *std::move(path);
  // Downloads under "-/" are the generated views; a file stored there could never be served.
  if (storage::IsReservedForViews(plan.path)) {
    return Error(ApiError::kInvalidField,
                 "path: the folder '-' is reserved for the package-manager views");
  }
  plan.expected_sha256 = absl::AsciiStrToLower(std::string(checksum));
  const std::string& expected = plan.expected_sha256;
  if (!expected.empty() && (expected.size() != 64 ||
                            expected.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    return Error(ApiError::kBadRequest, "X-Checksum-Sha256: must be 64 hexadecimal digits");
  }
  plan.overwrite = request.Query("overwrite") == "true";
  return plan;
}

// The sink of an upload to the artifacts folder, or the refusal. Write replaces only the
// caller's own uploads; a file without a record (placed by hand) is nobody's upload, so like
// deleting it, replacing it needs admin.
std::variant<ApiResponse, std::unique_ptr<UploadSink>> BeginFileUpload(const AdminContext& context,
                                                                       const ApiRequest& request,
                                                                       const UploadPlan& plan) {
  const std::string& org = plan.repository->org;
  const std::string& repo = plan.repository->slug;
  if (plan.overwrite && plan.privilege < Privilege::kAdmin) {
    const std::optional<ArtifactRecord> existing =
        context.stores.artifacts->Get(org, repo, plan.path);
    const bool exists = existing.has_value() || context.files->Open(org, repo, plan.path).ok();
    if (exists && (!existing || existing->uploader != request.caller.name)) {
      return InsufficientPrivilege(
          Concat("admin on ", org, "/", repo, " to replace another account's upload"));
    }
  }
  absl::StatusOr<std::unique_ptr<storage::ArtifactWriter>> writer =
      context.files->BeginWrite(org, repo, plan.path);
  if (!writer.ok()) return FromStatus(writer.status());
  return MakeFileUploadSink(*std::move(writer));
}

// The upload of `path` into `sink`, recorded as the caller's (built outside the coroutine:
// GCC 12 miscompiles braced lists in coroutines).
std::unique_ptr<PackageUpload> MakePackageUpload(std::unique_ptr<UploadSink> sink,
                                                 const ApiRequest& request, const std::string& path,
                                                 const std::string& expected_sha256,
                                                 bool overwrite) {
  ArtifactRecord record;
  record.org = request.segments[1];
  record.repo = request.segments[2];
  record.path = path;
  record.uploader = request.caller.name;
  ApiRequest kept = request;
  kept.body.clear();
  return std::make_unique<PackageUpload>(std::move(sink), std::move(record), expected_sha256,
                                         overwrite, std::move(kept));
}

}  // namespace

boost::asio::awaitable<std::variant<ApiResponse, std::unique_ptr<PackageUpload>>>
BeginPackageUpload(const AdminContext& context, const ApiRequest& request,
                   std::string_view checksum, std::optional<uint64_t> content_length) {
  std::variant<ApiResponse, UploadPlan> planned = PlanUpload(context, request, checksum);
  if (auto* refusal = std::get_if<ApiResponse>(&planned)) co_return std::move(*refusal);
  const UploadPlan& plan = std::get<UploadPlan>(planned);
  std::variant<ApiResponse, std::unique_ptr<UploadSink>> begun;
  if (storage::StoredAtOrigin(*plan.repository)) {
    const OriginUploadRequest upload{plan.path,      plan.expected_sha256, plan.overwrite,
                                     content_length, request.caller.name,  plan.privilege};
    begun = co_await BeginOriginUpload(context, *plan.repository, upload);
  } else {
    begun = BeginFileUpload(context, request, plan);
  }
  if (auto* refusal = std::get_if<ApiResponse>(&begun)) co_return std::move(*refusal);
  std::unique_ptr<PackageUpload> upload =
      MakePackageUpload(std::get<std::unique_ptr<UploadSink>>(std::move(begun)), request, plan.path,
                        plan.expected_sha256, plan.overwrite);
  if (std::optional<ApiResponse> refusal =
          upload->Start(storage::StoredAtOrigin(*plan.repository))) {
    co_return std::move(*refusal);
  }
  co_return upload;
}

boost::asio::awaitable<ApiResponse> HandlePackages(const AdminContext& context,
                                                   const ApiRequest& request) {
  const auto& segments = request.segments;  // "packages", org, repo[, "files", path…]
  if (segments.size() < 3) co_return NotFound("endpoint");
  const std::string& org = segments[1];
  const std::string& repo = segments[2];
  const bool listing = segments.size() == 3 && request.method == "GET";
  const bool deleting = IsFilesRequest(request) && request.method == "DELETE";
  if (!listing && !deleting) {
    co_return Error(ApiError::kMethodNotAllowed,
                    "Use GET on the list, PUT or DELETE on …/files/{path}.");
  }
  // Deleting needs write at least; whose upload it is decides whether write is enough.
  if (auto refused = CheckRepositoryAccess(context, request.caller, org, repo,
                                           listing ? Privilege::kRead : Privilege::kWrite)) {
    co_return *refused;
  }
  const storage::RepositoryPtr repository = context.stores.repositories->Get(org, repo);
  if (!repository) co_return NotFound("repository");  // deleted since the access check
  if (listing) co_return ListPackages(context, request, *repository);
  co_return co_await DeletePackage(context, request, *repository);
}

}  // namespace tollgate::gateway::admin
