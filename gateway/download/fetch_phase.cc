// Fetch: the origin leg of a download — the request planned by locate is sent, and the
// origin's answer becomes ours. Hop-by-hop headers and anything not on the pass-back list stay
// behind.
#include <array>
#include <chrono>

#include "download/phases.h"
#include "http/content_type.h"
#include "observe/failure_log.h"
#include "observe/log.h"
#include "observe/metrics.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

// Largest body of an origin's non-2xx answer read (and dropped) to keep its connection.
constexpr uint64_t kMaxDiscardedBody = 64 * 1024;

// End-to-end answer headers that describe the artifact; everything else (Connection,
// Keep-Alive, Transfer-Encoding, Set-Cookie, Server, x-amz-* …) is dropped.
constexpr std::array<std::string_view, 9> kPassedBack = {
    "Content-Type",        "Content-Range",    "Accept-Ranges", "ETag",   "Last-Modified",
    "Content-Disposition", "Content-Encoding", "Cache-Control", "Expires"};
// What a 304 carries (RFC 9110 §15.4.5).
constexpr std::array<std::string_view, 4> kPassedBackNotModified = {"ETag", "Last-Modified",
                                                                    "Cache-Control", "Expires"};

template <size_t N>
void CopyHeaders(const storage::OriginResponseHead& from,
                 const std::array<std::string_view, N>& names, ResponseHead& to) {
  for (const auto& [name, value] : from.headers) {
    for (const std::string_view wanted : names) {
      if (EqualsIgnoreCase(name, wanted)) to.Set(wanted, value);
    }
  }
}

// A 200/206 with a body: the origin's headers, and framing the client can follow.
void ServeAnswer(std::unique_ptr<storage::OriginResponse> answer, DownloadContext& context) {
  const storage::OriginResponseHead& origin_head = answer->head();
  ResponseHead& head = context.head;
  head.set_status(static_cast<http::status>(origin_head.status));
  CopyHeaders(origin_head, kPassedBack, head);
  // Clients may resume through tollgate whatever the origin advertises: ranges are passed on.
  if (!head.Has("Accept-Ranges")) head.Set("Accept-Ranges", "bytes");
  if (!head.Has("Content-Type")) head.Set("Content-Type", ContentTypeFor(context.path));
  if (origin_head.content_length) {
    head.set_content_length(*origin_head.content_length);
  } else if (context.is_get() && context.request->version() >= 11) {
    head.set_chunked();
  }
  if (context.is_get()) context.origin_body = std::move(answer);
}

}  // namespace

boost::asio::awaitable<PhaseOutcome> Fetch(DownloadContext& context,
                                           const DownloadServices& services,
                                           ConnectionDeadline& deadline) {
  if (!context.origin) {
    // Stored configurations were validated when written; this is a damaged store.
    LogEvent("error", "origin_config_unreadable",
             {{"repository", Concat(context.repository->org, "/", context.repository->slug)}});
    co_return Reason::kUpstreamUnavailable;
  }
  const storage::HttpOriginConfig& origin = *context.origin->origin;
  // The client waits while the origin is asked (a slot, a connection, an answer, maybe
  // twice on a stale connection); the origin's own deadlines end that wait first.
  deadline.Arm(absl::ToChronoNanoseconds(4 * (origin.connect_timeout + origin.read_timeout) +
                                         absl::Seconds(5)));
  const auto asked = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<storage::OriginResponse>> answer =
      co_await services.origins->Send(origin, context.origin->request);
  metrics::RecordOriginRequest(answer.ok() ? static_cast<unsigned>((*answer)->head().status) : 0,
                               std::chrono::steady_clock::now() - asked);
  const std::string subject =
      Concat("origin ", context.repository->org, "/", context.repository->slug);
  if (!answer.ok()) {
    Failures().Failed(subject, "origin_failed", {{"error", ToStd(answer.status().message())}});
    co_return absl::IsDeadlineExceeded(answer.status()) ? Reason::kUpstreamTimeout
                                                        : Reason::kUpstreamUnavailable;
  }
  const int status = (*answer)->head().status;
  // These the origin answers about the file; any other status is the origin failing.
  if (status == 200 || status == 206 || status == 304 || status == 404 || status == 410 ||
      status == 416) {
    Failures().Succeeded(subject);
  }
  if (status != 200 && status != 206) {
    // Error pages are small: reading them keeps the origin connection for the next request.
    co_await (*answer)->Discard(kMaxDiscardedBody);
  }
  switch (status) {
    case 200:
    case 206:
      ServeAnswer(*std::move(answer), context);
      co_return kContinue;
    case 304:
      context.head.set_status(http::status::not_modified);
      CopyHeaders((*answer)->head(), kPassedBackNotModified, context.head);
      co_return kContinue;
    case 404:
    case 410:
      co_return Reason::kNotFound;
    case 416:
      context.origin_body = *std::move(answer);  // Finish passes its Content-Range on
      co_return Reason::kRangeNotSatisfiable;
    default:
      Failures().Failed(subject, "origin_refused", {{"status", Concat(status)}});
      context.denial_detail = Concat("The repository's origin answered ", status, ".");
      co_return Reason::kUpstreamUnavailable;
  }
}

}  // namespace tollgate::gateway
