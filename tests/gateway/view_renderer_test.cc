// The view renderer: renders off the caller's thread; requests for a key being rendered join
// that render (taking no slot, also when its answer is too large to cache); not-found answers
// and redirects are cached apart from documents; renders beyond the bound, in all or for one
// client, are refused rather than queued; a render that fails or throws gives its slot back.
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
  // Starts Render(key, client, render) on the test's loop; its result lands in
  // `results_[slot]`.
  void Start(ViewRenderer& renderer, std::string key, ViewRenderer::RenderFunction render,
             std::string client = "192.0.2.1") {
    const size_t slot = results_.size();
    results_.emplace_back();
    boost::asio::co_spawn(
        io_,
        [this, &renderer, slot, key = std::move(key), client = std::move(client),
         render = std::move(render)]() mutable -> boost::asio::awaitable<void> {
          results_[slot] =
              co_await renderer.Render(std::move(key), std::move(client), std::move(render));
        },
        boost::asio::detached);
  }

  // Runs the loop until `results_[slot]` is set (at most 10 s).
  void RunUntilAnswered(size_t slot) {
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!results_[slot] && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(results_[slot].has_value()) << "render " << slot << " not answered in 10 s";
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

// Beyond max_pending renders queued or running, the next is refused at once; requests for a
// key being rendered join it without a slot.
TEST_F(ViewRendererTest, RefusesRendersBeyondItsBound) {
  ViewRenderer renderer(ViewRendererOptions{.max_pending = 2});
  absl::Notification release;
  std::atomic<int> renders = 0;
  const auto slow = [&] {
    ++renders;
    release.WaitForNotificationWithTimeout(absl::Seconds(10));
    return ViewAnswer::Document("text/plain", "slow");
  };
  Start(renderer, "key0", slow, "192.0.2.1");
  Start(renderer, "key1", slow, "192.0.2.2");
  Start(renderer, "key2", slow, "192.0.2.3");
  RunUntilAnswered(2);
  EXPECT_EQ(results_[2]->status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(results_[0].has_value());
  for (int i = 0; i < 5; ++i) Start(renderer, "key0", slow, "192.0.2.4");
  release.Notify();
  RunUntilAnswered();
  EXPECT_EQ(renders, 2);  // the five joined key0's render
  for (size_t i : {0u, 1u, 3u, 4u, 5u, 6u, 7u}) EXPECT_TRUE(results_[i]->ok()) << i;
  // With the queue drained, renders are taken again.
  Start(renderer, "later", [] { return ViewAnswer::NotFound(); });
  RunUntilAnswered();
  EXPECT_TRUE(results_.back()->ok());
}

// One client's renders are bounded on their own: its next distinct render is refused while
// another client's is taken.
TEST_F(ViewRendererTest, BoundsEachClient) {
  ViewRenderer renderer(ViewRendererOptions{.max_pending_per_client = 2});
  absl::Notification release;
  const auto slow = [&] {
    release.WaitForNotificationWithTimeout(absl::Seconds(10));
    return ViewAnswer::NotFound();
  };
  Start(renderer, "a", slow, "198.51.100.7");
  Start(renderer, "b", slow, "198.51.100.7");
  Start(renderer, "c", slow, "198.51.100.7");
  Start(renderer, "d", slow, "203.0.113.9");
  RunUntilAnswered(2);
  EXPECT_EQ(results_[2]->status().code(), absl::StatusCode::kResourceExhausted);
  release.Notify();
  RunUntilAnswered();
  EXPECT_TRUE(results_[3]->ok());
}

// An answer too large to cache is still rendered once for the requests that came together.
TEST_F(ViewRendererTest, RequestsTogetherShareAnAnswerTooLargeToCache) {
  ViewRenderer renderer(ViewRendererOptions{.cache_bytes = 4096});
  std::atomic<int> renders = 0;
  for (int i = 0; i < 10; ++i) {
    Start(renderer, "big", [&] {
      ++renders;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return ViewAnswer::Document("text/plain", std::string(8192, 'x'));
    });
  }
  RunUntilAnswered();
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(renderer.Cached("big"), nullptr);
  for (const auto& result : results_) EXPECT_EQ(result->value()->body.size(), 8192u);
}

// A render that throws answers Internal and gives its slot back.
TEST_F(ViewRendererTest, ThrowingRenderGivesItsSlotBack) {
  ViewRenderer renderer(ViewRendererOptions{.max_pending = 1});
  Start(renderer, "boom", []() -> absl::StatusOr<ViewAnswer> { throw std::bad_alloc(); });
  RunUntilAnswered();
  EXPECT_EQ(results_[0]->status().code(), absl::StatusCode::kInternal);
  Start(renderer, "fine", [] { return ViewAnswer::NotFound(); });
  RunUntilAnswered();
  EXPECT_TRUE(results_[1]->ok()) << results_[1]->status();
}

// Not-found answers fill a budget of their own: a flood of them never evicts a document.
TEST_F(ViewRendererTest, NotFoundAnswersNeverEvictDocuments) {
  ViewRenderer renderer(ViewRendererOptions{.small_answer_cache_bytes = 4096});
  Start(renderer, "document", [] { return ViewAnswer::Document("text/html", "<html>"); });
  for (int i = 0; i < 200; ++i) {
    Start(
        renderer, Concat("missing-", i), [] { return ViewAnswer::NotFound(); },
        Concat("192.0.2.", i % 100));
  }
  RunUntilAnswered();
  EXPECT_NE(renderer.Cached("document"), nullptr);
  EXPECT_EQ(renderer.Cached("missing-0"), nullptr);    // evicted from its own budget
  EXPECT_NE(renderer.Cached("missing-199"), nullptr);  // the most recent kept
}

}  // namespace
}  // namespace tollgate::gateway
