// Where the bytes of a package upload go: a temporary file in the artifacts folder, or a
// streamed PUT to the repository's S3 origin. Either way nothing is visible until Commit.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "absl/time/time.h"
#include "admin/api_response.h"
#include "boost/asio/awaitable.hpp"
#include "tollgate/storage/artifact_source.h"

namespace tollgate::gateway::admin {

class UploadSink {
 public:
  virtual ~UploadSink() = default;  // discards an upload that was not committed
  // Stores the next body bytes. The error answer when they cannot be (the upload ends).
  virtual boost::asio::awaitable<std::optional<ApiResponse>> Write(std::string_view bytes) = 0;
  // Makes the upload visible. `overwrite` false: 409 when the path exists. The error answer,
  // or nullopt when done.
  virtual boost::asio::awaitable<std::optional<ApiResponse>> Commit(bool overwrite) = 0;
  // The longest one Write or Commit may wait on the store behind it (an origin's own
  // deadlines), which the connection's progress watchdog must allow for. Zero for local disk.
  virtual absl::Duration LongestWait() const { return absl::ZeroDuration(); }
};

// The sink of an upload to the artifacts folder through `writer`.
std::unique_ptr<UploadSink> MakeFileUploadSink(std::unique_ptr<storage::ArtifactWriter> writer);

// 409 `conflict`: the path exists and overwrite was not asked for.
ApiResponse UploadConflict();

}  // namespace tollgate::gateway::admin
