// Drives a hiredis redisAsyncContext from an Asio executor: the context's socket is watched
// with posix::stream_descriptor::async_wait and hiredis is told when it may read or write.
#pragma once

#include <hiredis/async.h>

#include "boost/asio/any_io_executor.hpp"

namespace tollgate::storage {

// Attaches `context` to `executor`. Call it before redisAsyncSetConnectCallback, which asks
// for the first write readiness through the hooks installed here. From then on hiredis runs
// its callbacks only from handlers on `executor` (never inline in this call), and when hiredis
// frees the context the adapter lets go of the socket before hiredis closes it. Returns false,
// leaving the context untouched, when an event library is already attached or the socket
// cannot be registered with the executor's reactor; the caller then frees the context.
// The executor's execution context must outlive the hiredis context.
bool AttachHiredisToAsio(redisAsyncContext* context, const boost::asio::any_io_executor& executor);

}  // namespace tollgate::storage
