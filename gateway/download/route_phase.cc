// Route: GET/HEAD only, the URL grammar of SPEC §2, and the repository it names.
#include "download/phases.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

PhaseOutcome RouteRequest(DownloadContext& context, const DownloadServices& services) {
  const http::verb method = context.request->method();
  if (method != http::verb::get && method != http::verb::head) return Reason::kMethodNotAllowed;
  if (!RouteDownloadTarget(context.request->target(), context.route).ok()) {
    return Reason::kBadRequest;
  }
  context.repository = services.stores.repositories->Get(context.route.org, context.route.repo);
  context.is_public =
      context.repository && context.repository->type == storage::RepositoryType::kPublic;
  return kContinue;
}

}  // namespace tollgate::gateway
