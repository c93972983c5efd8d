// Packages of repositories stored at an HTTP origin: uploads streamed to an S3 origin as a
// signed PUT after a HEAD for what is there, deletions as a signed DELETE. Plain HTTP origins are
// read-only through tollgate.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "admin/admin_context.h"
#include "admin/api_response.h"
#include "admin/upload_sink.h"
#include "boost/asio/awaitable.hpp"
#include "tollgate/policy/org_directory.h"
#include "tollgate/storage/repository_store.h"

namespace tollgate::gateway::admin {

// An upload to an origin repository: what is sent, and who sends it.
struct OriginUploadRequest {
  std::string path;
  std::string expected_sha256;  // hex, or "": sent for S3 to verify the body against
  bool overwrite = false;
  std::optional<uint64_t> content_length;
  std::string caller;                                      // the uploading account's name
  policy::Privilege privilege = policy::Privilege::kNone;  // the caller's, on the repository
};

// The sink that streams `upload` to `repository`'s origin, or the refusal: 405
// upload_not_supported without S3 signing, 411 length_required without a Content-Length (S3
// needs the length up front). A path exists when the catalog records an upload of it through
// tollgate, or else when the origin answers a HEAD for it with 2xx (asked only when the answer
// decides something). An existing path gives 409 without `overwrite`, and 403 unless the
// caller has admin or is the recorded uploader: an object tollgate did not upload is nobody's
// upload, so only admin replaces it. 502/504 when the HEAD fails or answers anything but
// 2xx/404/410. Completes on the caller's executor.
boost::asio::awaitable<std::variant<ApiResponse, std::unique_ptr<UploadSink>>> BeginOriginUpload(
    const AdminContext& context, const storage::Repository& repository,
    const OriginUploadRequest& upload);

// Deletes `path` at `repository`'s origin and forgets its catalog record: 204; 404 when the
// origin has no such object; 405 upload_not_supported without S3 signing; 502/504 when the
// origin fails. Completes on the caller's executor.
boost::asio::awaitable<ApiResponse> DeleteOriginPackage(const AdminContext& context,
                                                        const storage::Repository& repository,
                                                        const std::string& path);

}  // namespace tollgate::gateway::admin
