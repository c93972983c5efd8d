// The admin API front door: parses the target, authenticates the caller (SPEC §3) and
// routes to the endpoint groups. Socket-free; the admin session feeds it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "admin/admin_context.h"
#include "admin/api_request.h"
#include "admin/api_response.h"
#include "admin/packages_api.h"
#include "boost/asio/awaitable.hpp"
#include "boost/beast/http/message.hpp"

namespace tollgate::gateway::admin {

// A request after its header was read: either already answered (health probes, routing
// and authentication errors) or ready for its body.
struct PreparedRequest {
  std::optional<ApiResponse> answer;
  ApiRequest request;
  bool streams_body = false;  // a package upload: use BeginUpload instead of Dispatch
  // Invalid credentials (an unknown key, or an entitlement token): CountRejectedCredential.
  bool credential_rejected = false;
  std::string client;  // the client key, for a request that carries credentials
};

class AdminApi {
 public:
  explicit AdminApi(AdminContext context);

  // Routes and authenticates `header` from `peer`. Never fails: errors are answers. A client
  // blocked for brute force (SPEC §4.6) gets 429 before its credentials are checked.
  PreparedRequest Prepare(const boost::beast::http::request_header<>& header,
                          const boost::asio::ip::address& peer) const;

  // Counts the rejected credential of `prepared` against its client; when the client is
  // blocked now, its answer becomes the 429. Completes on the caller's executor.
  boost::asio::awaitable<void> CountRejectedCredential(PreparedRequest& prepared) const;

  // Answers a prepared request whose JSON body has been read into request.body.
  // Completes on the caller's executor. Never fails: errors are responses.
  boost::asio::awaitable<ApiResponse> Dispatch(const ApiRequest& request) const;

  // Starts a prepared upload; `checksum` is its X-Checksum-Sha256 header or "",
  // `content_length` the announced body length. Completes on the caller's executor (an
  // origin repository's origin is asked whether the object exists).
  boost::asio::awaitable<std::variant<ApiResponse, std::unique_ptr<PackageUpload>>> BeginUpload(
      const ApiRequest& request, std::string_view checksum,
      std::optional<uint64_t> content_length) const {
    return BeginPackageUpload(context_, request, checksum, content_length);
  }

  const AdminContext& context() const { return context_; }

 private:
  // GET /metrics: every metric, in Prometheus's text format. Open like /healthz: a scraper
  // holds no API key, and no metric names a token, key, client or path.
  ApiResponse Metrics() const;
  // Every endpoint except the token ones, which need the usage ledger.
  ApiResponse DispatchLocal(const ApiRequest& request) const;
  std::variant<policy::Principal, ApiResponse> Authenticate(
      const boost::beast::http::request_header<>& header) const;

  AdminContext context_;
};

}  // namespace tollgate::gateway::admin
