// Resetting a context between keep-alive requests without giving up its storage.
#include "download/download_context.h"

namespace tollgate::gateway {

void DownloadContext::Reset(const boost::beast::http::request_header<>& next_request,
                            const boost::asio::ip::address& next_peer) {
  EndRequest();
  request = &next_request;
  peer = next_peer;
  started = std::chrono::steady_clock::now();
  is_public = false;
  client.clear();
  credential_rejected = false;
  blocked_for = absl::ZeroDuration();
  path.clear();
  at_origin = false;
  found = false;
  is_index_file = false;
  view_document = false;
  head.Reset();
  body.clear();
  denial.reset();
  denial_detail.clear();
  counts = false;
  enforce_limits = false;
  body_bytes = 0;
  sent_bytes = 0;
  delivered = false;
  keep_alive = false;
}

void DownloadContext::EndRequest() {
  // The origin plan points into the repository, so it goes first.
  origin_body.reset();
  origin.reset();
  document.reset();
  file.reset();
  repository.reset();
  entitlement.reset();
  account.reset();
  request = nullptr;
}

}  // namespace tollgate::gateway
