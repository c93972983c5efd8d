// The origin pool's shares: a repository holds at most its max_connections, and at most half
// of the pool while a repository of another org waits, so one repository cannot starve
// another org's; addresses the rule refuses are never connected to.
#include "origin_pool.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "gtest/gtest.h"

namespace tollgate::storage {
namespace {

namespace asio = boost::asio;
using Connection = std::unique_ptr<OriginConnection>;

// One Acquire call running on the test's loop; `result` is set when it completes.
struct Pending {
  std::optional<absl::StatusOr<Connection>> result;
  bool done() const { return result.has_value(); }
};

class OriginPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    // Accepted connections are kept open and idle, like an origin between requests.
    asio::co_spawn(
        io_,
        [this]() -> asio::awaitable<void> {
          for (;;) {
            auto [ec, socket] =
                co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            accepted_.push_back(std::move(socket));
          }
        },
        asio::detached);
  }

  void TearDown() override {
    for (auto& pending : pending_) {
      if (pending->done() && pending->result->ok()) Release(*pending->result);
    }
    acceptor_.close();
    RunUntil([] { return false; }, std::chrono::milliseconds(50));
  }

  // The settings of repository `org/repo` at the test origin.
  HttpOriginConfig Origin(std::string org, std::string repo, size_t max_connections,
                          absl::Duration connect_timeout = absl::Seconds(20)) const {
    HttpOriginConfig origin;
    origin.host = "127.0.0.1";
    origin.port = acceptor_.local_endpoint().port();
    origin.max_connections = max_connections;
    origin.connect_timeout = connect_timeout;
    origin.org = std::move(org);
    origin.repository = std::move(repo);
    return origin;
  }

  // Starts an Acquire for `origin` (a copy is kept alive for it).
  Pending& Acquire(const HttpOriginConfig& origin) {
    auto pending = std::make_unique<Pending>();
    Pending* slot = pending.get();
    pending_.push_back(std::move(pending));
    asio::co_spawn(
        io_,
        [this, slot, origin]() -> asio::awaitable<void> {
          slot->result.emplace(co_await pool_.Acquire(origin, /*allow_reuse=*/false));
        },
        asio::detached);
    RunUntil([slot] { return slot->done(); }, std::chrono::milliseconds(200));
    return *slot;
  }

  // Closes the connection `pending` got, freeing its slot.
  void Release(absl::StatusOr<Connection>& connection) {
    if (*connection != nullptr) pool_.Release(std::move(*connection), /*reusable=*/false, 0);
  }

  // Runs the loop until `done` holds or `limit` passes.
  void RunUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < until) {
      io_.run_one_for(std::chrono::milliseconds(5));
    }
  }

  // Acquires `count` connections for `origin`, failing the test unless each succeeds at once.
  std::vector<Pending*> Hold(const HttpOriginConfig& origin, int count) {
    std::vector<Pending*> held;
    for (int i = 0; i < count; ++i) {
      Pending& pending = Acquire(origin);
      EXPECT_TRUE(pending.done() && pending.result->ok()) << origin.repository << " #" << i;
      held.push_back(&pending);
    }
    return held;
  }

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_{io_};
  std::vector<asio::ip::tcp::socket> accepted_;
  std::shared_ptr<const OriginAddressRule> rule_ =
      std::make_shared<const OriginAddressRule>(std::vector<Cidr>{*ParseCidr("127.0.0.0/8")});
  OriginPool pool_{io_.get_executor(), rule_};
  std::vector<std::unique_ptr<Pending>> pending_;
};

// A repository that holds the whole pool and keeps asking cannot starve another org's
// repository: a freed connection goes to the other org, even though it asked later, and the
// first repository gets no more than half of the pool while the other one waits.
TEST_F(OriginPoolTest, OneRepositoryCannotStarveAnotherOrg) {
  const HttpOriginConfig greedy = Origin("acme", "mirror", 4);
  const HttpOriginConfig modest = Origin("globex", "agents", 4);
  std::vector<Pending*> greedy_held = Hold(greedy, 4);  // the whole pool
  Pending& greedy_more = Acquire(greedy);               // asks first…
  Pending& modest_first = Acquire(modest);              // …the other org later
  EXPECT_FALSE(greedy_more.done());
  EXPECT_FALSE(modest_first.done());

  Release(*greedy_held[0]->result);
  RunUntil([&] { return modest_first.done(); }, std::chrono::seconds(2));
  ASSERT_TRUE(modest_first.done());
  EXPECT_TRUE(modest_first.result->ok());
  EXPECT_FALSE(greedy_more.done());  // 3 of 4 held: over half while globex waited

  // Nobody else waits now, so the next free connection goes back to the first repository.
  Release(*greedy_held[1]->result);
  RunUntil([&] { return greedy_more.done(); }, std::chrono::seconds(2));
  ASSERT_TRUE(greedy_more.done());
  EXPECT_TRUE(greedy_more.result->ok());

  // Both ask again with the pool full (acme 3, globex 1); acme's request is the older one.
  Pending& greedy_again = Acquire(greedy);
  Pending& modest_second = Acquire(modest);
  Release(*greedy_held[2]->result);  // acme down to 2: half the pool, and globex waits
  RunUntil([&] { return modest_second.done(); }, std::chrono::seconds(2));
  ASSERT_TRUE(modest_second.done());
  EXPECT_TRUE(modest_second.result->ok());
  EXPECT_FALSE(greedy_again.done());
}

// A repository holds at most its own max_connections, even when the pool (sized by another
// repository's larger limit) has room; the other repository is not held back by it.
TEST_F(OriginPoolTest, RepositoryHoldsAtMostItsMaxConnections) {
  const HttpOriginConfig wide = Origin("acme", "wide", 8);
  const HttpOriginConfig narrow = Origin("acme", "narrow", 1, absl::Milliseconds(200));
  Hold(wide, 1);
  Hold(narrow, 1);
  Pending& refused = Acquire(narrow);
  RunUntil([&] { return refused.done(); }, std::chrono::seconds(3));
  ASSERT_TRUE(refused.done());
  EXPECT_TRUE(absl::IsDeadlineExceeded(refused.result->status())) << refused.result->status();
  Hold(wide, 3);
}

// Repositories of the same org share the pool first come, first served: the half rule is
// only between orgs.
TEST_F(OriginPoolTest, SameOrgRepositoriesAreNotHalved) {
  const HttpOriginConfig first = Origin("acme", "first", 4);
  const HttpOriginConfig second = Origin("acme", "second", 4);
  std::vector<Pending*> held = Hold(first, 4);
  Pending& first_more = Acquire(first);
  Pending& second_first = Acquire(second);
  Release(*held[0]->result);
  RunUntil([&] { return first_more.done(); }, std::chrono::seconds(2));
  EXPECT_TRUE(first_more.done());
  EXPECT_FALSE(second_first.done());
}

// An origin whose address the rule refuses is never connected to.
TEST_F(OriginPoolTest, RefusedAddressIsNeverConnected) {
  OriginPool strict(io_.get_executor(), std::make_shared<const OriginAddressRule>());
  std::optional<absl::StatusOr<Connection>> result;
  asio::co_spawn(
      io_,
      [&]() -> asio::awaitable<void> {
        result.emplace(co_await strict.Acquire(Origin("acme", "mirror", 4), false));
      },
      asio::detached);
  RunUntil([&] { return result.has_value(); }, std::chrono::seconds(5));
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(absl::IsPermissionDenied(result->status())) << result->status();
  RunUntil([] { return false; }, std::chrono::milliseconds(50));
  EXPECT_TRUE(accepted_.empty());
}

}  // namespace
}  // namespace tollgate::storage
