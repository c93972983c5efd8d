// /api/v1/packages/{org}/{repo}/…: list artifacts, streamed atomic upload, delete.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>

#include "admin/admin_context.h"
#include "admin/api_request.h"
#include "admin/api_response.h"
#include "admin/metadata_spool.h"
#include "admin/upload_sink.h"
#include "boost/asio/awaitable.hpp"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/package_description.h"

namespace tollgate::gateway::admin {

// An upload in progress: bytes are hashed and given to a sink (a temporary file, or a PUT to
// an S3 origin) whose upload becomes visible only when Finish succeeds. Its metadata is read
// for the catalog from the committed file, or — for an upload to an origin, which tollgate
// cannot read back cheaply — from a spooled copy of the bytes.
class PackageUpload {
 public:
  // `request` is the upload's request, kept for the audit log.
  PackageUpload(std::unique_ptr<UploadSink> sink, storage::ArtifactRecord record,
                std::string expected_sha256, bool overwrite, ApiRequest request);

  // Opens the metadata spool of a package file bound for an origin. The error answer when it
  // cannot be opened.
  std::optional<ApiResponse> Start(bool at_origin);

  // Appends a chunk of the body. The error answer when it cannot be stored.
  boost::asio::awaitable<std::optional<ApiResponse>> Write(std::string_view bytes);
  // Verifies the checksum, commits the upload and records it: 201 with the package, 409 when
  // it exists and overwrite was not asked for, 422 on a checksum mismatch.
  boost::asio::awaitable<ApiResponse> Finish(const AdminContext& context);
  // The longest one Write or Finish may wait on the store (see UploadSink::LongestWait).
  absl::Duration LongestWait() const { return sink_->LongestWait(); }

 private:
  std::unique_ptr<UploadSink> sink_;
  storage::ArtifactRecord record_;  // org, repo, path and uploader filled in
  std::string expected_sha256_;     // empty when the client sent none
  bool overwrite_;
  ApiRequest request_;
  storage::PackageDigests digests_;
  MetadataSpool spool_;  // open for package files bound for an origin only
};

// True for `PUT /api/v1/packages/{org}/{repo}/files/{path}`: the session streams its body.
bool IsPackageUpload(const ApiRequest& request);

// Checks privileges and the path of an upload request and opens its sink, or answers with
// the error. `checksum` is the X-Checksum-Sha256 header ("" when absent), `content_length`
// the body's length when the client announced one. For an origin repository the origin is
// asked first whether the object exists (see BeginOriginUpload). Completes on the caller's
// executor.
boost::asio::awaitable<std::variant<ApiResponse, std::unique_ptr<PackageUpload>>>
BeginPackageUpload(const AdminContext& context, const ApiRequest& request,
                   std::string_view checksum, std::optional<uint64_t> content_length);

// Handles every other packages request (list, delete). Never fails: errors are responses.
// Completes on the caller's executor.
boost::asio::awaitable<ApiResponse> HandlePackages(const AdminContext& context,
                                                   const ApiRequest& request);

}  // namespace tollgate::gateway::admin
