// Status and stock detail sentence of every denial reason.
#include "http/denial_response.h"

#include "boost/json/object.hpp"
#include "boost/json/serialize.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

struct DenialInfo {
  http::status status;
  std::string_view detail;
};

DenialInfo Describe(Reason reason) {
  switch (reason) {
    case Reason::kBadRequest:
      return {http::status::bad_request, "The request is malformed."};
    case Reason::kMissingCredentials:
      return {http::status::unauthorized, "This repository needs credentials."};
    case Reason::kInvalidCredentials:
      return {http::status::unauthorized, "The credentials are not valid for this repository."};
    case Reason::kTokenDisabled:
      return {http::status::forbidden, "This token has been disabled."};
    case Reason::kTokenNotYetValid:
      return {http::status::forbidden, "This token is not valid yet."};
    case Reason::kTokenExpired:
      return {http::status::forbidden, "This token has expired."};
    case Reason::kPackageNotAllowed:
      return {http::status::forbidden, "This token does not cover this package."};
    case Reason::kPathNotAllowed:
      return {http::status::forbidden, "This token does not cover this path."};
    case Reason::kDownloadLimitReached:
      return {http::status::forbidden, "This token has reached its download limit."};
    case Reason::kClientLimitReached:
      return {http::status::forbidden, "This token has reached its limit of distinct clients."};
    case Reason::kBandwidthLimitReached:
      return {http::status::forbidden, "This download would exceed the token's bandwidth limit."};
    case Reason::kAccessRevoked:
      return {http::status::forbidden, "The owner of this token no longer has read access."};
    case Reason::kInsufficientPrivilege:
      return {http::status::forbidden, "This account has no read privilege on the repository."};
    case Reason::kNotFound:
      return {http::status::not_found, "No such artifact."};
    case Reason::kMethodNotAllowed:
      return {http::status::method_not_allowed, "Only GET and HEAD are allowed here."};
    case Reason::kRangeNotSatisfiable:
      return {http::status::range_not_satisfiable, "The requested range is not satisfiable."};
    case Reason::kTooManyFailedAttempts:
      return {http::status::too_many_requests,
              "Too many invalid credentials from this client; try again later."};
    case Reason::kTooManyConnections:
      return {http::status::too_many_requests,
              "This client holds too many open connections; close some and retry."};
    case Reason::kServerBusy:
      return {http::status::service_unavailable,
              "The server holds as many connections as it may; retry shortly."};
    case Reason::kUpstreamUnavailable:
      return {http::status::bad_gateway, "The repository's origin cannot be reached."};
    case Reason::kStoreUnavailable:
      return {http::status::service_unavailable, "The usage store cannot be reached."};
    case Reason::kUpstreamTimeout:
      return {http::status::gateway_timeout, "The repository's origin did not answer in time."};
  }
  return {http::status::internal_server_error, "Unexpected denial."};
}

// The JSON body {"code": …, "detail": …}; `detail` replaces the reason's stock sentence when
// not empty.
std::string DenialBody(Reason reason, std::string_view detail) {
  return boost::json::serialize(
      boost::json::object{{"code", policy::ReasonCode(reason)},
                          {"detail", detail.empty() ? Describe(reason).detail : detail}});
}

}  // namespace

http::status DenialStatus(Reason reason) { return Describe(reason).status; }

void WriteDenial(Reason reason, std::string_view realm, std::string_view detail, ResponseHead& head,
                 std::string& body) {
  const http::status status = Describe(reason).status;
  body = DenialBody(reason, detail);
  head.set_status(status);
  head.Set("Content-Type", "application/json");
  head.Set("X-Tollgate-Reason", policy::ReasonCode(reason));
  if (status == http::status::unauthorized) {
    head.Set("WWW-Authenticate", Concat("Basic realm=\"", realm, "\""));
  }
  if (reason == Reason::kMethodNotAllowed) head.Set("Allow", "GET, HEAD");
  head.set_content_length(body.size());
}

}  // namespace tollgate::gateway
