// Downloads from a repository stored at an HTTP origin: the fetch the handler prepares once
// the request is authorised, and the session's step that asks the origin and turns its
// answer into ours (status, headers, or a denial) before the usage is reserved.
#pragma once

#include <string>

#include "boost/asio/awaitable.hpp"
#include "boost/beast/http/message.hpp"
#include "connection_deadline.h"
#include "download_handler.h"
#include "tollgate/storage/repository_store.h"

namespace tollgate::gateway {

// The response to an authorised GET/HEAD of `path` in `repository` (whose storage is an HTTP
// origin): `origin` set, status provisionally 200 so that Handle prepares a GET's usage.
// Only Range, If-Range, If-None-Match and If-Modified-Since are passed on; credentials of the
// client never are. A stored configuration that cannot be read gives upstream_unavailable.
DownloadResponse PrepareOriginDownload(const boost::beast::http::request_header<>& request,
                                       const storage::Repository& repository, std::string path);

// Sends `response.origin` (left in place for the relay's timeouts) and maps the answer onto
// `response`: 200/206 with the origin's length, type, validators and range headers (the body kept
// in origin_body for a GET; sent chunked to HTTP/1.1 clients when the origin gives no length), 304,
// or a denial — 404/410 not_found, 416 range_not_satisfiable, other answers upstream_unavailable,
// no answer in time upstream_timeout. Keeps `response.usage` only for a 200/206, with the announced
// length as its bytes (0 when unknown). Arms `deadline` to cover the origin's timeouts. Never
// fails.
boost::asio::awaitable<void> FetchFromOrigin(storage::HttpOriginClient& client,
                                             DownloadResponse& response, unsigned client_version,
                                             ConnectionDeadline& deadline);

// True when the response's body ends by closing the connection (an origin body of unknown
// length to an HTTP/1.0 client), so the connection cannot be kept alive.
bool BodyEndsByClosing(const DownloadResponse& response);

}  // namespace tollgate::gateway
