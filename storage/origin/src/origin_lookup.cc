// Origin host lookup under the connect timeout, then the address rule.
#include "origin_lookup.h"

#include "absl/time/time.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/experimental/awaitable_operators.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace asio = boost::asio;

asio::awaitable<absl::StatusOr<OriginEndpoints>> LookUpOrigin(const asio::any_io_executor& executor,
                                                              const HttpOriginConfig& origin,
                                                              const OriginAddressRule& rule) {
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
  // getaddrinfo has no deadline of its own, so the connect timeout covers the lookup too:
  // whichever of the two finishes first cancels the other (and waits for it).
  using namespace asio::experimental::awaitable_operators;
  asio::ip::tcp::resolver resolver(executor);
  asio::steady_timer deadline(executor, absl::ToChronoNanoseconds(origin.connect_timeout));
  auto lookup =
      co_await (resolver.async_resolve(origin.host, Concat(origin.port),
                                       asio::ip::tcp::resolver::numeric_service, kNoThrow) ||
                deadline.async_wait(kNoThrow));
  if (lookup.index() == 1) {
    co_return absl::DeadlineExceededError(Concat("looking up ", origin.host, " timed out"));
  }
  auto [error, endpoints] = std::get<0>(std::move(lookup));
  if (error) {
    co_return absl::UnavailableError(Concat("cannot resolve ", origin.host, ": ", error.message()));
  }
  for (const auto& entry : endpoints) {
    if (absl::Status s = rule.Check(entry.endpoint().address()); !s.ok()) {
      co_return absl::PermissionDeniedError(
          Concat("origin ", origin.host, ": ", ToStd(s.message())));
    }
  }
  co_return endpoints;
}

}  // namespace tollgate::storage
