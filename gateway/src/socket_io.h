// Raw, non-blocking writes on a TCP socket for the download path: header with MSG_MORE so
// it shares a packet with the body, then sendfile(2) in bounded chunks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/message.hpp"
#include "connection_deadline.h"

namespace tollgate::gateway {

// Serialises a response header (status line and fields) into `out`, replacing its content.
void SerializeHeader(const boost::beast::http::response<boost::beast::http::empty_body>& head,
                     std::string& out);

// Sends all of `data`; `more` tells the kernel further bytes follow (MSG_MORE). Re-arms
// `deadline` on progress. Returns the socket error, or success once everything is queued.
boost::asio::awaitable<boost::system::error_code> SendAll(boost::asio::ip::tcp::socket& socket,
                                                          std::string_view data, bool more,
                                                          ConnectionDeadline& deadline);

// Sends `length` bytes of `file_fd` from `offset` with sendfile(2), yielding to other
// connections between chunks and re-arming `deadline` on progress. Returns the socket or
// file error; a file that shrank under us is reported as an I/O error.
boost::asio::awaitable<boost::system::error_code> SendFile(boost::asio::ip::tcp::socket& socket,
                                                           int file_fd, uint64_t offset,
                                                           uint64_t length,
                                                           ConnectionDeadline& deadline);

}  // namespace tollgate::gateway
