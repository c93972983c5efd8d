// Packages of repositories stored at an HTTP origin: uploads streamed to an S3 origin as a
// signed PUT, deletions as a signed DELETE. Plain HTTP origins are read-only through tollgate.
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
#include "tollgate/storage/repository_store.h"

namespace tollgate::gateway::admin {

// The sink that streams an upload of `path` to `repository`'s origin, or the refusal:
// 405 upload_not_supported without S3 signing, 411 length_required without a Content-Length
// (S3 needs the length up front), 409 when the catalog holds the path and `overwrite` is
// false. `expected_sha256` (hex, or "") is sent for S3 to verify the body against.
std::variant<ApiResponse, std::unique_ptr<UploadSink>> BeginOriginUpload(
    const AdminContext& context, const storage::Repository& repository, const std::string& path,
    std::string_view expected_sha256, bool overwrite, std::optional<uint64_t> content_length);

// Deletes `path` at `repository`'s origin and forgets its catalog record: 204; 404 when the
// origin has no such object; 405 upload_not_supported without S3 signing; 502/504 when the
// origin fails. Completes on the caller's executor.
boost::asio::awaitable<ApiResponse> DeleteOriginPackage(const AdminContext& context,
                                                        const storage::Repository& repository,
                                                        const std::string& path);

}  // namespace tollgate::gateway::admin
