// The steps of one request/answer exchange on an origin connection, each under the origin's
// read deadline, with socket errors turned into the statuses HttpOriginClient promises.
#pragma once

#include <memory>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/awaitable.hpp"
#include "boost/beast/http/buffer_body.hpp"
#include "boost/beast/http/parser.hpp"
#include "origin_pool.h"
#include "tollgate/storage/http_origin.h"

namespace tollgate::storage {

using OriginParser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

// DeadlineExceeded for a timeout, Unavailable otherwise; `doing` says what failed
// ("sending the request"), never with anything secret in it.
absl::Status OriginTransportError(const boost::system::error_code& ec, std::string_view doing,
                                  const OriginConnection& connection);

// Writes all of `bytes`; fails when no byte could be written for `timeout`.
boost::asio::awaitable<absl::Status> WriteToOrigin(OriginConnection& connection,
                                                   std::string_view bytes, absl::Duration timeout);

// Reads an answer's header (a HEAD answer has no body to expect). `nothing_received` tells
// whether the connection failed before a single answer byte arrived.
boost::asio::awaitable<absl::StatusOr<std::unique_ptr<OriginParser>>> ReadOriginAnswerHeader(
    OriginConnection& connection, bool is_head, absl::Duration timeout, bool& nothing_received);

// Status, fields and framing of a parsed answer header.
OriginResponseHead HeadOf(const OriginParser& parser);

}  // namespace tollgate::storage
