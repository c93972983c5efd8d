// Respond: the header, then the body — sendfile for a file, the bounded relay for an origin's
// body, a view's document, or the small body of a denial. The header goes out with MSG_MORE so it
// shares a packet with the first body bytes.
#include <unistd.h>

#include <cerrno>

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

// Over TLS without kernel TLS a file's bytes pass through user space anyway; a small one is
// appended to the header, so both leave in one write (one or two TLS records) instead of two.
constexpr uint64_t kCoalescedTlsBody = 16 * 1024;

// Appends the bytes of `slice` to `out`. False when the file could not be read whole (it
// shrank, or the disk failed): the caller sends it the ordinary way, which reports why.
bool AppendFileSlice(const FileSlice& slice, std::string& out) {
  const size_t start = out.size();
  out.resize(start + slice.length);
  for (uint64_t done = 0; done < slice.length;) {
    const ssize_t got = ::pread(slice.file.fd(), out.data() + start + done, slice.length - done,
                                static_cast<off_t>(slice.offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      out.resize(start);
      return false;
    }
    done += static_cast<uint64_t>(got);
  }
  return true;
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
  if (context.file && send_body && !stream.sends_files_in_kernel() &&
      context.file->length <= kCoalescedTlsBody && AppendFileSlice(*context.file, context.wire)) {
    ec = co_await stream.Write(context.wire, false, deadline);
    if (!ec) context.body_bytes = context.file->length;
  } else if (context.file && send_body) {
    ec = co_await stream.Write(context.wire, true, deadline);
    if (!ec) {
      const FileSlice& slice = *context.file;
      ec = co_await stream.SendFile(slice.file.fd(), slice.offset, slice.length, deadline);
      if (!ec) context.body_bytes = slice.length;
    }
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
