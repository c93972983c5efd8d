// Reserve: a counted download is checked and recorded in the usage ledger before any byte of
// it is sent (SPEC §4.2), atomically across every instance sharing the ledger.
#include "download/phases.h"
#include "observe/failure_log.h"
#include "observe/metrics.h"
#include "tollgate/base/concat.h"
#include "tollgate/policy/reset_period.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

// The ledger's refusal as a denial; store_unavailable when it could not be reached (fail
// closed). Each reservation counts in the metrics.
PhaseOutcome Outcome(const absl::StatusOr<storage::ReservationResult>& reserved) {
  constexpr std::string_view kSubject = "usage ledger";
  if (!reserved.ok()) {
    metrics::RecordReservation(metrics::Reservation::kError);
    metrics::RecordStoreError();
    Failures().Failed(kSubject, "reservation_failed",
                      {{"error", ToStd(reserved.status().message())}});
    return Reason::kStoreUnavailable;
  }
  Failures().Succeeded(kSubject);
  metrics::RecordReservation(*reserved == storage::ReservationResult::kGranted
                                 ? metrics::Reservation::kGranted
                                 : metrics::Reservation::kDenied);
  switch (*reserved) {
    case storage::ReservationResult::kGranted:
      return kContinue;
    case storage::ReservationResult::kDownloadLimitReached:
      return Reason::kDownloadLimitReached;
    case storage::ReservationResult::kClientLimitReached:
      return Reason::kClientLimitReached;
    case storage::ReservationResult::kBandwidthLimitReached:
      return Reason::kBandwidthLimitReached;
  }
  return Reason::kStoreUnavailable;
}

bool AnswersWithBytes(const ResponseHead& head) {
  return head.status() == http::status::ok || head.status() == http::status::partial_content;
}

// Fills the context's reservation for this download, reusing its strings' storage.
void PrepareUsage(DownloadContext& context, const DownloadServices& services) {
  const policy::Entitlement& entitlement = *context.entitlement;
  const absl::Time now = services.options.clock();
  const policy::UsagePeriodRef period = policy::UsagePeriodOf(entitlement, now);
  storage::Reservation& usage = context.usage;
  usage.token.assign(entitlement.identifier);
  usage.period.assign(period.key());
  usage.period_end = period.period.end;
  usage.client.assign(context.client);
  usage.path.assign(context.path);
  usage.bytes = context.file ? context.file->length : 0;
  usage.max_downloads = entitlement.limit_num_downloads;
  usage.max_clients = entitlement.limit_num_clients;
  usage.max_bytes = entitlement.BandwidthLimitBytes();
  usage.dedupe_window = services.options.settings->dedupe_window();
  usage.now = now;
  usage.bytes_only = false;
  usage.check_only = false;
}

}  // namespace

boost::asio::awaitable<PhaseOutcome> Reserve(DownloadContext& context,
                                             const DownloadServices& services) {
  // Only token GETs of package files answered with bytes count: never HEAD, 304 or index files.
  context.counts = context.entitlement != nullptr && context.is_get() &&
                   AnswersWithBytes(context.head) && !context.is_index_file;
  if (!context.counts) co_return kContinue;
  PrepareUsage(context, services);
  context.enforce_limits = context.entitlement->HasCountedLimits();
  // Tokens without counted limits never wait: their usage is recorded after the body.
  if (!context.enforce_limits) co_return kContinue;
  if (!context.at_origin) co_return Outcome(co_await services.stores.usage->Reserve(context.usage));
  // A revalidation may well end in a 304, which never counts and must not be refused: it is
  // checked only once the origin answered with bytes.
  const http::request_header<>& request = *context.request;
  if (request.count(http::field::if_none_match) > 0 ||
      request.count(http::field::if_modified_since) > 0) {
    co_return kContinue;
  }
  // The origin's length is not known yet; one byte stands for it, so a token already at its
  // bandwidth limit is refused here too.
  context.usage.check_only = true;
  context.usage.bytes = 1;
  const PhaseOutcome outcome = Outcome(co_await services.stores.usage->Reserve(context.usage));
  context.usage.check_only = false;
  context.usage.bytes = 0;
  co_return outcome;
}

boost::asio::awaitable<PhaseOutcome> ReserveFetched(DownloadContext& context,
                                                    const DownloadServices& services) {
  if (!context.counts) co_return kContinue;
  if (!AnswersWithBytes(context.head)) {
    context.counts = false;  // a 304 from the origin is no download
    co_return kContinue;
  }
  // A body without a length is reserved at 0 bytes; its bytes are added as they flow.
  context.usage.bytes = context.head.content_length().value_or(0);
  if (!context.enforce_limits) co_return kContinue;
  co_return Outcome(co_await services.stores.usage->Reserve(context.usage));
}

}  // namespace tollgate::gateway
