// The view renderer: renders off the caller's thread, answers from the cache what a render
// filled (so requests that miss together render once), caches not-found answers and
// redirects as well as documents, keeps uncached renders uncached, and refuses renders beyond
// its bound rather than queueing them.
#include "download/view_renderer.h"

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "gtest/gtest.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway {
namespace {

using formats::ViewAnswer;

class ViewRendererTest : public ::testing::Test {
 protected:
  // Starts Render(key, render) on the test's loop; its result lands in `results_[slot]`.
  void Start(ViewRenderer& renderer, std::string key, ViewRenderer::RenderFunction render) {
    const size_t slot = results_.size();
    results_.emplace_back();
    boost::asio::co_spawn(
        io_,
        [this, &renderer, slot, key = std::move(key),
         render = std::move(render)]() mutable -> boost::asio::awaitable<void> {
          results_[slot] = co_await renderer.Render(std::move(key), std::move(render));
        },
        boost::asio::detached);
  }

  // Runs the loop until every started render has its result (at most 10 s).
  void RunUntilAnswered() {
    io_.restart();  // a loop that ran out of work stays stopped until restarted
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const auto answered = [this] {
      for (const auto& result : results_) {
        if (!result) return false;
      }
      return true;
    };
    while (!answered() && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(answered()) << "renders did not complete within 10 s";
  }

  boost::asio::io_context io_;
  std::vector<std::optional<absl::StatusOr<RenderedViewPtr>>> results_;
};

TEST_F(ViewRendererTest, RendersOffTheCallersThreadAndCaches) {
  ViewRenderer renderer;
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> elsewhere = false;
  Start(renderer, "k", [&] {
    elsewhere = std::this_thread::get_id() != caller;
    return ViewAnswer::Document("text/plain", "hello");
  });
  RunUntilAnswered();
  ASSERT_TRUE(results_[0]->ok()) << results_[0]->status();
  const RenderedViewPtr& rendered = **results_[0];
  EXPECT_TRUE(elsewhere);
  EXPECT_EQ(rendered->kind, ViewAnswer::Kind::kDocument);
  EXPECT_EQ(rendered->body, "hello");
  EXPECT_EQ(rendered->content_type, "text/plain");
  EXPECT_EQ(rendered->etag.size(), 34u);  // 32 hex digits, quoted
  EXPECT_EQ(renderer.Cached("k"), rendered);
  EXPECT_EQ(renderer.Cached("other"), nullptr);
}

// Twenty requests that miss the cache together cost one render.
TEST_F(ViewRendererTest, RequestsThatMissTogetherRenderOnce) {
  ViewRenderer renderer;
  std::atomic<int> renders = 0;
  for (int i = 0; i < 20; ++i) {
    Start(renderer, "same", [&] {
      ++renders;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return ViewAnswer::Document("text/plain", "once");
    });
  }
  RunUntilAnswered();
  EXPECT_EQ(renders, 1);
  for (const auto& result : results_) {
    ASSERT_TRUE(result->ok());
    EXPECT_EQ((*result)->get(), results_[0]->value().get());
  }
}

// Names that do not exist cost one render each, not one per request; redirects likewise.
TEST_F(ViewRendererTest, NotFoundAndRedirectsAreCached) {
  ViewRenderer renderer;
  Start(renderer, "missing", [] { return ViewAnswer::NotFound(); });
  Start(renderer, "moved", [] { return ViewAnswer::Redirect("https://dl.example/x/"); });
  RunUntilAnswered();
  ASSERT_NE(renderer.Cached("missing"), nullptr);
  EXPECT_EQ(renderer.Cached("missing")->kind, ViewAnswer::Kind::kNotFound);
  ASSERT_NE(renderer.Cached("moved"), nullptr);
  EXPECT_EQ(renderer.Cached("moved")->kind, ViewAnswer::Kind::kRedirect);
  EXPECT_EQ(renderer.Cached("moved")->target, "https://dl.example/x/");
}

// An empty key renders every time and is never cached; a failed render is not cached either.
TEST_F(ViewRendererTest, UncachedAndFailedRenders) {
  ViewRenderer renderer;
  std::atomic<int> renders = 0;
  for (int i = 0; i < 3; ++i) {
    Start(renderer, "", [&] {
      ++renders;
      return ViewAnswer::Document("text/plain", "fresh");
    });
  }
  Start(renderer, "broken", [] { return absl::InternalError("cannot sign"); });
  RunUntilAnswered();
  EXPECT_EQ(renders, 3);
  EXPECT_EQ(renderer.Cached(""), nullptr);
  EXPECT_EQ(results_[3]->status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(renderer.Cached("broken"), nullptr);
}

// Beyond max_pending renders queued or running, the next is refused at once.
TEST_F(ViewRendererTest, RefusesRendersBeyondItsBound) {
  ViewRenderer renderer(ViewRendererOptions{.threads = 1, .max_pending = 2});
  absl::Notification release;
  for (int i = 0; i < 3; ++i) {
    Start(renderer, Concat("key", i), [&] {
      release.WaitForNotificationWithTimeout(absl::Seconds(10));
      return ViewAnswer::Document("text/plain", "slow");
    });
  }
  // The third is answered without waiting for the other two.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!results_[2] && std::chrono::steady_clock::now() < deadline) {
    io_.run_one_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(results_[2].has_value());
  EXPECT_EQ(results_[2]->status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(results_[0].has_value());
  release.Notify();
  RunUntilAnswered();
  EXPECT_TRUE(results_[0]->ok());
  EXPECT_TRUE(results_[1]->ok());
  // With the queue drained, renders are taken again.
  Start(renderer, "later", [] { return ViewAnswer::NotFound(); });
  RunUntilAnswered();
  EXPECT_TRUE(results_[3]->ok());
}

}  // namespace
}  // namespace tollgate::gateway
