// Renders package-manager views off the download loops. One answer may take tens of
// milliseconds (an npm packument of a thousand versions, a Release signed with an RSA key); on
// a download loop that would stall every connection the loop serves. Renders run on this
// object's threads, a bounded number at a time, and land in the view cache: requests that miss
// the cache together queue behind one render and are answered from the cache it fills.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/thread_pool.hpp"
#include "download/view_cache.h"
#include "tollgate/formats/package_view.h"

namespace tollgate::gateway {

// `answer` as the response needs it (a document's ETag computed).
RenderedViewPtr ToRenderedView(formats::ViewAnswer answer);

struct ViewRendererOptions {
  size_t threads = 1;
  // Memory for rendered answers, shared by every credential with the same scopes.
  size_t cache_bytes = size_t{64} << 20;
  // Renders queued or running at once; more are refused (ResourceExhausted) rather than
  // queued without bound behind slow ones.
  size_t max_pending = 256;
};

class ViewRenderer {
 public:
  using RenderFunction = std::function<absl::StatusOr<formats::ViewAnswer>()>;

  explicit ViewRenderer(ViewRendererOptions options = {});
  ViewRenderer(const ViewRenderer&) = delete;
  ViewRenderer& operator=(const ViewRenderer&) = delete;
  ~ViewRenderer();  // joins the threads, after the renders queued on them

  // The answer cached under `key`, or nullptr. Cheap: for the download loop.
  RenderedViewPtr Cached(std::string_view key) { return cache_.Find(key); }

  // `render()` run on this object's threads, unless the cache holds `key` by then; the answer
  // is cached under `key` (an empty key: not cached). Completes on the caller's executor.
  // ResourceExhausted when max_pending renders are pending; `render`'s own error otherwise.
  boost::asio::awaitable<absl::StatusOr<RenderedViewPtr>> Render(std::string key,
                                                                 RenderFunction render);

 private:
  // On a render thread.
  absl::StatusOr<RenderedViewPtr> RenderAndCache(const std::string& key,
                                                 const RenderFunction& render);

  const ViewRendererOptions options_;
  ViewCache cache_;
  std::atomic<size_t> pending_{0};
  boost::asio::thread_pool threads_;
};

}  // namespace tollgate::gateway
