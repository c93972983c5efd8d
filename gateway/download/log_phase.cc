// Log: one access line and the request metrics per request, denial or success, malformed
// requests included.
#include <array>
#include <charconv>
#include <chrono>
#include <string>

#include "download/phases.h"
#include "observe/log.h"
#include "observe/metrics.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {

namespace {

// The decimal digits of `value`, in `digits`: a log field without allocating.
template <typename Integer>
std::string_view Decimal(Integer value, std::array<char, 24>& digits) {
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  return {digits.data(), static_cast<size_t>(result.ptr - digits.data())};
}

}  // namespace

void LogAccess(const DownloadContext& context, std::string_view client_address) {
  const auto took = std::chrono::steady_clock::now() - context.started;
  metrics::RecordRequest(metrics::Listener::kDownload, context.head.status_int(), context.denial,
                         context.body_bytes, took);
  std::array<char, 24> status, bytes, micros;
  thread_local std::string account;  // reused: a download's line allocates nothing
  account.clear();
  if (context.account) {
    AppendTo(account, policy::PrincipalKindName(context.account->kind), ":", context.account->name);
  }
  // The target may carry the token as its first segment, so only the route-free parts are
  // logged: method, status, reason, token identifier.
  LogEvent(
      "info", "download",
      {{"client", client_address},
       {"method", context.request->method_string()},
       {"status", Decimal(context.head.status_int(), status)},
       {"reason", context.denial ? policy::ReasonCode(*context.denial) : ""},
       {"token", context.entitlement ? std::string_view(context.entitlement->identifier)
                                     : std::string_view()},
       {"account", account},
       {"bytes", Decimal(context.body_bytes, bytes)},
       {"duration_us",
        Decimal(std::chrono::duration_cast<std::chrono::microseconds>(took).count(), micros)}});
}

}  // namespace tollgate::gateway
