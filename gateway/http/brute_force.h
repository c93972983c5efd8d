// What both listeners share of the brute-force defence (SPEC §4.6): counting a rejected
// credential, and the Retry-After of a blocked client's 429.
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "boost/asio/awaitable.hpp"
#include "tollgate/storage/auth_failures.h"

namespace tollgate::gateway {

// Counts one invalid credential of `client` on `listener` ("download", "admin"), and logs the
// block when this failure started one. Returns how long the client is now blocked for (this
// failure's answer becomes the 429), or nullopt. Completes on the caller's executor.
boost::asio::awaitable<std::optional<absl::Duration>> CountCredentialFailure(
    storage::AuthFailures& failures, std::string client, absl::Time now, const char* listener);

// The Retry-After value for a block with `left` to run: whole seconds, rounded up, at least 1,
// so a client that waits that long is let in.
std::string RetryAfterValue(absl::Duration left);

}  // namespace tollgate::gateway
