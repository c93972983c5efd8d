// The artifacts-folder sink: a temporary file committed by an atomic rename or link.
#include "admin/upload_sink.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;

namespace {

class FileUploadSink final : public UploadSink {
 public:
  explicit FileUploadSink(std::unique_ptr<storage::ArtifactWriter> writer)
      : writer_(std::move(writer)) {}

  boost::asio::awaitable<std::optional<ApiResponse>> Write(std::string_view bytes) override {
    if (absl::Status s = writer_->Write(bytes); !s.ok()) co_return FromStatus(s);
    co_return std::nullopt;
  }

  boost::asio::awaitable<std::optional<ApiResponse>> Commit(bool overwrite) override {
    absl::Status s = writer_->Commit(overwrite);
    if (absl::IsAlreadyExists(s)) co_return UploadConflict();
    if (!s.ok()) co_return FromStatus(s);
    co_return std::nullopt;
  }

 private:
  std::unique_ptr<storage::ArtifactWriter> writer_;
};

}  // namespace

std::unique_ptr<UploadSink> MakeFileUploadSink(std::unique_ptr<storage::ArtifactWriter> writer) {
  return std::make_unique<FileUploadSink>(std::move(writer));
}

ApiResponse UploadConflict() {
  return Error(ApiError::kConflict, "This path exists; add ?overwrite=true to replace it.");
}

}  // namespace tollgate::gateway::admin
