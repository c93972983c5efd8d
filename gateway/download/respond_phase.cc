// Respond: the header, then the body — sendfile for a file, the bounded relay for an origin's
// body, a view's document, or the small body of a denial. The header goes out with MSG_MORE so it
// shares a packet with the first body bytes.
#include "download/origin_relay.h"
#include "download/phases.h"
#include "http/http_date.h"

namespace tollgate::gateway {
using boost::system::error_code;

namespace {

// An uploaded HTML or SVG file must never run script in a browser that holds credentials for
// the download host: no type sniffing, and a sandbox with nothing allowed. Every answer of the
// download listener carries both, denials too (they cost nothing there).
void SetArtifactSafetyHeaders(ResponseHead& head) {
  head.Set("X-Content-Type-Options", "nosniff");
  head.Set("Content-Security-Policy", "default-src 'none'; sandbox");
}

}  // namespace

boost::asio::awaitable<void> Respond(DownloadContext& context, Connection& connection) {
  SetArtifactSafetyHeaders(context.head);
  context.head.Serialize(context.request->version(), context.keep_alive, CurrentHttpDate(),
                         context.wire);
  ClientStream& stream = connection.stream();
  ConnectionDeadline& deadline = connection.deadline();
  const bool send_body = context.request->method() != boost::beast::http::verb::head;
  error_code ec;
  if (context.file && send_body) {
    const FileSlice& slice = *context.file;
    ec = co_await stream.SendFile(context.wire, slice.file.fd(), slice.offset, slice.length,
                                  deadline);
    if (!ec) context.body_bytes = slice.length;
  } else if (context.origin_body && send_body) {
    ec = co_await stream.Write(context.wire, true, deadline);
    if (!ec) {
      const RelayResult relayed =
          co_await RelayOriginBody(*context.origin_body, stream, deadline,
                                   context.origin->origin->read_timeout, context.head.chunked());
      ec = relayed.error;
      context.body_bytes = context.sent_bytes = relayed.bytes;
    }
  } else if (context.document && send_body) {
    ec = co_await stream.Write(context.wire, true, deadline);
    if (!ec) ec = co_await stream.Write(context.document->body, false, deadline);
    if (!ec) context.body_bytes = context.document->body.size();
  } else {
    if (send_body) {
      context.wire += context.body;
      context.body_bytes = context.body.size();
    }
    ec = co_await stream.Write(context.wire, false, deadline);
  }
  if (ec) context.body_bytes = 0;
  context.delivered = !ec;
}

}  // namespace tollgate::gateway
