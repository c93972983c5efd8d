// Finish: the one step that turns a denial into the response, whichever phase refused.
#include "download/phases.h"
#include "http/brute_force.h"
#include "http/denial_response.h"
#include "http/http_range.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

constexpr std::string_view kDefaultRealm = "tollgate";

// The Content-Range of a 416: the size that could not satisfy the range, from the file or as
// the origin said it.
std::string UnsatisfiedRange(const DownloadContext& context) {
  if (context.file) return UnsatisfiedRangeHeader(context.file->file.size());
  if (context.origin_body != nullptr) {
    for (const auto& [name, value] : context.origin_body->head().headers) {
      if (EqualsIgnoreCase(name, "Content-Range")) return value;
    }
  }
  return {};
}

}  // namespace

void Finish(DownloadContext& context, const DownloadServices& services, Reason reason) {
  const std::string content_range =
      reason == Reason::kRangeNotSatisfiable ? UnsatisfiedRange(context) : std::string();
  // Only a 401 names the realm, and only requests that got past routing are refused with one.
  std::string realm(kDefaultRealm);
  if (services.options.contextual_realm && DenialStatus(reason) == http::status::unauthorized) {
    realm = Concat(context.route.org, "/", context.route.repo);
  }
  context.head.Reset();
  WriteDenial(reason, realm, context.denial_detail, context.head, context.body);
  if (!content_range.empty()) context.head.Set("Content-Range", content_range);
  if (reason == Reason::kTooManyFailedAttempts) {
    context.head.Set("Retry-After", RetryAfterValue(context.blocked_for));
  }
  context.denial = reason;
  context.file.reset();
  context.origin_body.reset();
  context.document.reset();
  context.counts = false;
}

}  // namespace tollgate::gateway
