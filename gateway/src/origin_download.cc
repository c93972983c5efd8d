// The origin leg of a download: what is passed to the origin, and how its answer maps onto
// ours. Hop-by-hop headers and anything not on the pass-back list stay behind.
#include "origin_download.h"

#include <array>

#include "content_type.h"
#include "denial_response.h"
#include "log.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"
#include "tollgate/storage/http_origin_config.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

// Largest body of an origin's non-2xx answer read (and dropped) to keep its connection.
constexpr uint64_t kMaxDiscardedBody = 64 * 1024;

// Request headers the origin needs to answer ranges and revalidations itself.
constexpr std::array<http::field, 4> kPassedToOrigin = {http::field::range, http::field::if_range,
                                                        http::field::if_none_match,
                                                        http::field::if_modified_since};

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
                 const std::array<std::string_view, N>& names, DownloadResponse& to) {
  for (const auto& [name, value] : from.headers) {
    for (const std::string_view wanted : names) {
      if (EqualsIgnoreCase(name, wanted)) to.head.set(wanted, value);
    }
  }
}

std::string_view HeaderOf(const storage::OriginResponseHead& head, std::string_view name) {
  for (const auto& [field, value] : head.headers) {
    if (EqualsIgnoreCase(field, name)) return value;
  }
  return {};
}

// A 200/206 with a body: the origin's headers, and framing the client can follow.
void ServeAnswer(std::unique_ptr<storage::OriginResponse> answer, bool is_get,
                 unsigned client_version, DownloadResponse& response) {
  const storage::OriginResponseHead& head = answer->head();
  response.head.result(static_cast<http::status>(head.status));
  CopyHeaders(head, kPassedBack, response);
  // Clients may resume through tollgate whatever the origin advertises: ranges are passed on.
  if (response.head.find(http::field::accept_ranges) == response.head.end()) {
    response.head.set(http::field::accept_ranges, "bytes");
  }
  if (response.head.find(http::field::content_type) == response.head.end()) {
    response.head.set(http::field::content_type, ContentTypeFor(response.origin->request.path));
  }
  if (head.content_length) {
    response.head.content_length(*head.content_length);
  } else if (is_get && client_version >= 11) {
    response.head.chunked(true);
  }
  if (response.usage) response.usage->bytes = head.content_length.value_or(0);
  if (is_get) response.origin_body = std::move(answer);
}

}  // namespace

DownloadResponse PrepareOriginDownload(const http::request_header<>& request,
                                       const storage::Repository& repository, std::string path) {
  DownloadResponse response;
  absl::StatusOr<storage::HttpOriginConfig> origin =
      storage::LoadHttpOriginConfig(repository.storage_json);
  if (!origin.ok()) {
    // Stored configurations were validated when written; this is a damaged store.
    LogEvent("error", "origin_config_unreadable",
             {{"repository", Concat(repository.org, "/", repository.slug)}});
    DownloadHandler::Refuse(response, Reason::kUpstreamUnavailable);
    return response;
  }
  OriginFetch fetch{*std::move(origin), storage::OriginRequest{}};
  fetch.request.method = request.method() == http::verb::head ? "HEAD" : "GET";
  fetch.request.path = std::move(path);
  for (const http::field field : kPassedToOrigin) {
    if (const auto it = request.find(field); it != request.end()) {
      // SPEC §2 serves single ranges only; a multi-range request gets the whole body, as
      // from the filesystem, rather than the origin's multipart/byteranges.
      if (field == http::field::range &&
          std::string_view(it->value()).find(',') != std::string_view::npos) {
        continue;
      }
      fetch.request.headers.emplace_back(std::string(it->name_string()), std::string(it->value()));
    }
  }
  response.origin = std::move(fetch);
  return response;
}

boost::asio::awaitable<void> FetchFromOrigin(storage::HttpOriginClient& client,
                                             DownloadResponse& response, unsigned client_version,
                                             ConnectionDeadline& deadline) {
  const storage::HttpOriginConfig& origin = response.origin->origin;
  // The client waits while the origin is asked (a slot, a connection, an answer, maybe
  // twice on a stale connection); the origin's own deadlines end that wait first.
  deadline.Arm(absl::ToChronoNanoseconds(4 * (origin.connect_timeout + origin.read_timeout) +
                                         absl::Seconds(5)));
  const bool is_get = response.origin->request.method == "GET";
  absl::StatusOr<std::unique_ptr<storage::OriginResponse>> answer =
      co_await client.Send(origin, response.origin->request);
  if (!answer.ok()) {
    LogEvent("warn", "origin_failed", {{"error", ToStd(answer.status().message())}});
    const bool timed_out = absl::IsDeadlineExceeded(answer.status());
    DownloadHandler::Refuse(response,
                            timed_out ? Reason::kUpstreamTimeout : Reason::kUpstreamUnavailable);
    co_return;
  }
  const storage::OriginResponseHead& head = (*answer)->head();
  const bool counts = head.status == 200 || head.status == 206;
  if (!counts) {
    response.usage.reset();
    // Error pages are small: reading them keeps the origin connection for the next request.
    co_await (*answer)->Discard(kMaxDiscardedBody);
  }
  switch (head.status) {
    case 200:
    case 206:
      ServeAnswer(*std::move(answer), is_get, client_version, response);
      break;
    case 304:
      response.head.result(http::status::not_modified);
      CopyHeaders(head, kPassedBackNotModified, response);
      break;
    case 404:
    case 410:
      DownloadHandler::Refuse(response, Reason::kNotFound);
      break;
    case 416: {
      const std::string range(HeaderOf(head, "Content-Range"));
      DownloadHandler::Refuse(response, Reason::kRangeNotSatisfiable);
      if (!range.empty()) response.head.set(http::field::content_range, range);
      break;
    }
    default:
      LogEvent("warn", "origin_refused", {{"status", Concat(head.status)}});
      DownloadHandler::Refuse(response, Reason::kUpstreamUnavailable,
                              Concat("The repository's origin answered ", head.status, "."));
      break;
  }
}

bool BodyEndsByClosing(const DownloadResponse& response) {
  return response.origin_body != nullptr && !response.head.has_content_length() &&
         !response.head.chunked();
}

}  // namespace tollgate::gateway
