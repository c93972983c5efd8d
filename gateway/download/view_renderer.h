// Renders package-manager views off the download loops. One answer may take tens of
// milliseconds (an npm packument of a thousand versions, a Release signed with an RSA key); on
// a download loop that would stall every connection the loop serves. Renders run on this
// object's thread, one at a time, and land in the view cache.
//
// What bounds the work a client can cause:
// - requests for an answer being rendered already join that render: they take no slot, and
//   get its answer (also one too large to cache) without rendering again;
// - at most max_pending renders wait in all, and max_pending_per_client for one client (a
//   client varying names or Host headers fills its own share, not everyone's); more are
//   refused (ResourceExhausted, which the gateway answers with 503 server_busy);
// - not-found answers and redirects are cached in a budget of their own, so asking for names
//   that do not exist never pushes documents out of the cache.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/thread_pool.hpp"
#include "download/view_cache.h"
#include "tollgate/formats/package_view.h"

namespace tollgate::gateway {

// `answer` as the response needs it (a document's ETag computed).
RenderedViewPtr ToRenderedView(formats::ViewAnswer answer);

struct ViewRendererOptions {
  // Memory for rendered documents, shared by every credential with the same scopes.
  size_t cache_bytes = size_t{64} << 20;
  // Memory for not-found answers and redirects.
  size_t small_answer_cache_bytes = size_t{4} << 20;
  size_t max_pending = 256;
  size_t max_pending_per_client = 16;
};

class ViewRenderer {
 public:
  using RenderFunction = std::function<absl::StatusOr<formats::ViewAnswer>()>;

  explicit ViewRenderer(ViewRendererOptions options = {});
  ViewRenderer(const ViewRenderer&) = delete;
  ViewRenderer& operator=(const ViewRenderer&) = delete;
  ~ViewRenderer();  // joins the thread, after the renders queued on it

  // The answer cached under `key`, or nullptr. Cheap: for the download loop.
  RenderedViewPtr Cached(std::string_view key);

  // `render()` run on this object's thread for `client` (its client key), or the answer of a
  // render of `key` that another request started; the answer is cached under `key` (an empty
  // key: neither cached nor shared). Completes on the caller's executor. ResourceExhausted
  // when the pending renders are at their bound; Internal when `render` failed or threw.
  boost::asio::awaitable<absl::StatusOr<RenderedViewPtr>> Render(std::string key,
                                                                 std::string client,
                                                                 RenderFunction render);

 private:
  // The renders of one key queued or running, and the answer of the first that finished. Its
  // answer is read and written only on the render thread.
  struct Flight {
    size_t requests = 0;  // guarded by mu_
    bool answered = false;
    absl::StatusOr<RenderedViewPtr> answer = absl::UnknownError("not rendered");
  };
  // What a request holds while its render is pending.
  struct Ticket {
    std::string key;
    std::string client;
    bool holds_slot = false;         // false when it joined a flight
    std::shared_ptr<Flight> flight;  // nullptr for an empty key
  };

  absl::StatusOr<Ticket> Admit(std::string key, std::string client);
  void Release(const Ticket& ticket);
  // On the render thread.
  absl::StatusOr<RenderedViewPtr> Answer(const Ticket& ticket, const RenderFunction& render);
  absl::StatusOr<RenderedViewPtr> RenderAndCache(const std::string& key,
                                                 const RenderFunction& render);

  const ViewRendererOptions options_;
  ViewCache documents_;
  ViewCache small_answers_;

  std::mutex mu_;
  size_t pending_ = 0;                                                 // guarded by mu_
  absl::flat_hash_map<std::string, size_t> pending_by_client_;         // guarded by mu_
  absl::flat_hash_map<std::string, std::shared_ptr<Flight>> flights_;  // guarded by mu_

  // One thread: renders of one key then run in order, so the first one's answer serves the rest.
  boost::asio::thread_pool thread_{1};
};

}  // namespace tollgate::gateway
