// Reading one request header's value as a view, "" when absent.
#pragma once

#include <string_view>

#include "boost/beast/http/message.hpp"

namespace tollgate::gateway {

// The value of the first `name` field of `request` (a beast::http::field or a string), or ""
// when there is none. The view lives as long as the request.
template <typename Name>
std::string_view HeaderValue(const boost::beast::http::request_header<>& request, Name name) {
  const auto it = request.find(name);
  return it == request.end() ? std::string_view{} : std::string_view(it->value());
}

}  // namespace tollgate::gateway
