// The `Date` header value for the current second, formatted once per second per thread.
#pragma once

#include <string_view>

namespace tollgate::gateway {

// The current time as an IMF-fixdate. The view stays valid until the next call on the
// same thread.
std::string_view CurrentHttpDate();

}  // namespace tollgate::gateway
