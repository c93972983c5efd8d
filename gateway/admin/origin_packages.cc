// Writes to an S3 origin. The upload's last byte is held back by the origin client, so an
// upload abandoned before Commit (checksum mismatch, broken client) never completes there.
#include "admin/origin_packages.h"

#include "admin/authorization.h"
#include "http/content_type.h"
#include "observe/log.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/http_origin_config.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;

namespace {

// An origin failure as the admin API reports it. The transport's own message (addresses,
// socket errors) goes to the log, not to the caller.
ApiResponse OriginFailure(const absl::Status& status) {
  if (absl::IsFailedPrecondition(status)) return BadRequest(status);
  LogEvent("warn", "origin_failed", {{"error", ToStd(status.message())}});
  if (absl::IsDeadlineExceeded(status)) {
    return Error(ApiError::kUpstreamTimeout, "The repository's origin did not answer in time.");
  }
  return Error(ApiError::kUpstreamUnavailable, "The repository's origin cannot be reached.");
}

ApiResponse OriginAnswered(int status) {
  return Error(ApiError::kUpstreamUnavailable,
               Concat("The repository's origin answered ", status, "."));
}

// The origin of `repository` when it takes writes (S3 signing), else the refusal.
std::variant<ApiResponse, storage::HttpOriginConfig> WritableOrigin(
    const storage::Repository& repository) {
  const auto* origin = std::get_if<storage::HttpOriginConfig>(&repository.storage);
  if (origin == nullptr) {
    return FromStatus(absl::InternalError("the repository's storage is damaged"));
  }
  if (!origin->s3) {
    return Error(ApiError::kUploadNotSupported,
                 "This repository's HTTP origin is read-only through tollgate; only S3 origins "
                 "take uploads and deletions.");
  }
  return *origin;
}

// Whether the origin holds `path` (HEAD: 2xx yes, 404/410 no), or the failure.
boost::asio::awaitable<std::variant<ApiResponse, bool>> ExistsAtOrigin(
    const AdminContext& context, const storage::HttpOriginConfig& config, const std::string& path) {
  storage::OriginRequest request;
  request.method = "HEAD";
  request.path = path;
  absl::StatusOr<std::unique_ptr<storage::OriginResponse>> answer =
      co_await context.origins->Send(config, std::move(request));
  if (!answer.ok()) co_return OriginFailure(answer.status());
  const int status = (*answer)->head().status;
  if (status == 404 || status == 410) co_return false;
  if (status >= 200 && status <= 299) co_return true;
  co_return OriginAnswered(status);
}

// The refusal to write over an existing path, or nullopt when `upload` may. Write replaces
// only the caller's own uploads through tollgate; anything else needs admin.
std::optional<ApiResponse> ReplaceRefusal(const storage::Repository& repository,
                                          const OriginUploadRequest& upload,
                                          const std::optional<storage::ArtifactRecord>& record) {
  if (!upload.overwrite) return UploadConflict();
  if (upload.privilege >= policy::Privilege::kAdmin) return std::nullopt;
  const bool tracked = record && record->uploader;
  if (tracked && *record->uploader == upload.caller) return std::nullopt;
  return InsufficientPrivilege(Concat("admin on ", repository.org, "/", repository.slug,
                                      tracked ? " to replace another account's upload"
                                              : " to replace an object tollgate did not upload"));
}

class OriginUploadSink final : public UploadSink {
 public:
  OriginUploadSink(std::unique_ptr<storage::OriginUpload> upload, absl::Duration longest_wait)
      : upload_(std::move(upload)), longest_wait_(longest_wait) {}

  absl::Duration LongestWait() const override { return longest_wait_; }

  boost::asio::awaitable<std::optional<ApiResponse>> Write(std::string_view bytes) override {
    if (absl::Status s = co_await upload_->Write(bytes); !s.ok()) co_return OriginFailure(s);
    co_return std::nullopt;
  }

  // Overwriting was settled when the upload began (the catalog, else a HEAD at the origin).
  boost::asio::awaitable<std::optional<ApiResponse>> Commit(bool /*overwrite*/) override {
    absl::StatusOr<storage::OriginResponseHead> answer = co_await upload_->Finish();
    if (!answer.ok()) co_return OriginFailure(answer.status());
    if (answer->status < 200 || answer->status > 299) co_return OriginAnswered(answer->status);
    co_return std::nullopt;
  }

 private:
  std::unique_ptr<storage::OriginUpload> upload_;
  absl::Duration longest_wait_;
};

// The PUT of `upload` to `config`'s origin, as a sink.
std::unique_ptr<UploadSink> StartOriginUpload(const AdminContext& context,
                                              const storage::HttpOriginConfig& config,
                                              const OriginUploadRequest& upload) {
  storage::OriginRequest request;
  request.method = "PUT";
  request.path = upload.path;
  request.headers.emplace_back("Content-Type", std::string(ContentTypeFor(upload.path)));
  request.body_length = *upload.content_length;
  request.payload_sha256 = upload.expected_sha256;
  // A slot, a connection and an answer: the origin's own deadlines end each of these first.
  const absl::Duration longest_wait = 2 * (config.connect_timeout + config.read_timeout);
  return std::make_unique<OriginUploadSink>(
      context.origins->StartUpload(config, std::move(request)), longest_wait);
}

}  // namespace

boost::asio::awaitable<std::variant<ApiResponse, std::unique_ptr<UploadSink>>> BeginOriginUpload(
    const AdminContext& context, const storage::Repository& repository,
    const OriginUploadRequest& upload) {
  std::variant<ApiResponse, storage::HttpOriginConfig> origin = WritableOrigin(repository);
  if (auto* refusal = std::get_if<ApiResponse>(&origin)) co_return std::move(*refusal);
  const storage::HttpOriginConfig& config = std::get<storage::HttpOriginConfig>(origin);
  if (!upload.content_length) {
    co_return Error(ApiError::kLengthRequired, "Uploads to an S3 origin need a Content-Length.");
  }
  const std::optional<storage::ArtifactRecord> record =
      context.stores.artifacts->Get(repository.org, repository.slug, upload.path);
  bool exists = record && record->uploader;
  // An admin's overwrite replaces whatever is there, so only then is the origin not asked.
  // (HEAD and PUT are two requests: an object put at the origin in between is replaced.)
  if (!exists && !(upload.overwrite && upload.privilege >= policy::Privilege::kAdmin)) {
    std::variant<ApiResponse, bool> found = co_await ExistsAtOrigin(context, config, upload.path);
    if (auto* failure = std::get_if<ApiResponse>(&found)) co_return std::move(*failure);
    exists = std::get<bool>(found);
  }
  if (exists) {
    if (std::optional<ApiResponse> refusal = ReplaceRefusal(repository, upload, record)) {
      co_return std::move(*refusal);
    }
  }
  co_return StartOriginUpload(context, config, upload);
}

boost::asio::awaitable<ApiResponse> DeleteOriginPackage(const AdminContext& context,
                                                        const storage::Repository& repository,
                                                        const std::string& path) {
  std::variant<ApiResponse, storage::HttpOriginConfig> origin = WritableOrigin(repository);
  if (auto* refusal = std::get_if<ApiResponse>(&origin)) co_return std::move(*refusal);
  storage::OriginRequest request;
  request.method = "DELETE";
  request.path = path;
  absl::StatusOr<std::unique_ptr<storage::OriginResponse>> answer = co_await context.origins->Send(
      std::get<storage::HttpOriginConfig>(origin), std::move(request));
  if (!answer.ok()) co_return OriginFailure(answer.status());
  const int status = (*answer)->head().status;
  if (status == 404) co_return NotFound("package");
  if (status < 200 || status > 299) co_return OriginAnswered(status);
  // The record is only the catalog's copy; a failure to drop it is not worth an error.
  context.stores.artifacts->Remove(repository.org, repository.slug, path).IgnoreError();
  co_return NoContent();
}

}  // namespace tollgate::gateway::admin
