// Log: one access line and the request metrics per request, denial or success, malformed
// requests included.
#include <chrono>

#include "download/phases.h"
#include "observe/log.h"
#include "observe/metrics.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {

void LogAccess(const DownloadContext& context, std::string_view client_address) {
  const auto took = std::chrono::steady_clock::now() - context.started;
  metrics::RecordRequest(metrics::Listener::kDownload, context.head.status_int(), context.denial,
                         context.body_bytes, took);
  const std::string status = Concat(context.head.status_int());
  const std::string bytes = Concat(context.body_bytes);
  const std::string micros =
      Concat(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
  const std::string account =
      context.account
          ? Concat(policy::PrincipalKindName(context.account->kind), ":", context.account->name)
          : std::string();
  // The target may carry the token as its first segment, so only the route-free parts are
  // logged: method, status, reason, token identifier.
  LogEvent("info", "download",
           {{"client", client_address},
            {"method", context.request->method_string()},
            {"status", status},
            {"reason", context.denial ? policy::ReasonCode(*context.denial) : ""},
            {"token", context.entitlement ? std::string_view(context.entitlement->identifier)
                                          : std::string_view()},
            {"account", account},
            {"bytes", bytes},
            {"duration_us", micros}});
}

}  // namespace tollgate::gateway
