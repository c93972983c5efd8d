// Running one awaitable to completion on a test's own io_context.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <utility>

#include "boost/asio/awaitable.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"

namespace tollgate::testing {

// Runs `operation` on `io` until it completes (at most 10 s) and returns its result; throws
// when it does not complete in time.
template <typename T>
T Await(boost::asio::io_context& io, boost::asio::awaitable<T> operation) {
  std::optional<T> result;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { result.emplace(co_await std::move(operation)); },
      boost::asio::detached);
  io.restart();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!result && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::milliseconds(50));
  }
  if (!result) throw std::runtime_error("the operation did not complete within 10 s");
  return *std::move(result);
}

}  // namespace tollgate::testing
