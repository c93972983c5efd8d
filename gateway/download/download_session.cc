// The download connection loop: read a header, run the pipeline, until the connection ends.
#include "download/download_session.h"

#include "boost/beast/http/error.hpp"

namespace tollgate::gateway {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

asio::awaitable<void> ServeDownloadConnection(Connection& connection,
                                              const DownloadPipeline& pipeline) {
  DownloadContext context;  // reused by every request of the connection
  for (;;) {
    http::request_parser<http::empty_body> parser;
    // The body of a download request is never read; its size must not fail the header.
    parser.body_limit(boost::none);
    if (error_code ec = co_await connection.ReadHeader(parser)) {
      // A malformed header (a Beast parse error other than the peer leaving) is answered.
      if (ec.category() == make_error_code(http::error::end_of_stream).category() &&
          ec != http::error::end_of_stream) {
        context.Reset(parser.get(), connection.peer_address());
        co_await pipeline.RefuseMalformed(context, connection);
      }
      break;
    }
    context.Reset(parser.get(), connection.peer_address());
    // A GET with a body is odd enough that we answer it and close rather than skip the body.
    const bool has_body = parser.chunked() || parser.content_length().value_or(0) > 0;
    const bool keep_alive = parser.keep_alive() && !has_body && !connection.stopping();
    co_await pipeline.Serve(context, connection, keep_alive);
    if (!context.delivered || !context.keep_alive) break;
  }
}

}  // namespace tollgate::gateway
