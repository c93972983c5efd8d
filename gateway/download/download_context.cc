// Resetting a context between keep-alive requests without giving up its storage.
#include "download/download_context.h"

namespace tollgate::gateway {

void DownloadContext::Reset(const boost::beast::http::request_header<>& next_request,
                            const boost::asio::ip::address& next_peer) {
  request = &next_request;
  peer = next_peer;
  started = std::chrono::steady_clock::now();
  repository.reset();
  is_public = false;
  entitlement.reset();
  account.reset();
  client.clear();
  path.clear();
  file.reset();
  origin.reset();
  found = false;
  is_index_file = false;
  head.Reset();
  body.clear();
  denial.reset();
  denial_detail.clear();
  origin_body.reset();
  counts = false;
  enforce_limits = false;
  body_bytes = 0;
  sent_bytes = 0;
  delivered = false;
  keep_alive = false;
}

}  // namespace tollgate::gateway
