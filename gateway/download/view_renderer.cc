#include "download/view_renderer.h"

#include <utility>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "tollgate/base/concat.h"
#include "tollgate/storage/sha256.h"

namespace tollgate::gateway {
RenderedViewPtr ToRenderedView(formats::ViewAnswer answer) {
  auto rendered = std::make_shared<RenderedView>();
  rendered->kind = answer.kind;
  if (answer.kind == formats::ViewAnswer::Kind::kDocument) {
    rendered->etag = Concat("\"", storage::Sha256Hex(answer.body).substr(0, 32), "\"");
  }
  rendered->content_type = std::move(answer.content_type);
  rendered->body = std::move(answer.body);
  rendered->target = std::move(answer.target);
  return rendered;
}

ViewRenderer::ViewRenderer(ViewRendererOptions options)
    : options_(options), cache_(options.cache_bytes), threads_(options.threads) {}

ViewRenderer::~ViewRenderer() { threads_.join(); }

boost::asio::awaitable<absl::StatusOr<RenderedViewPtr>> ViewRenderer::Render(
    std::string key, RenderFunction render) {
  if (pending_.fetch_add(1) >= options_.max_pending) {
    pending_.fetch_sub(1);
    co_return absl::ResourceExhaustedError("too many package-manager views are being rendered");
  }
  // Named, not a temporary of the co_await expression: GCC 12 destroys such a temporary twice
  // (its captures with it).
  auto on_thread =
      [this, key = std::move(key),
       render = std::move(render)]() -> boost::asio::awaitable<absl::StatusOr<RenderedViewPtr>> {
    absl::StatusOr<RenderedViewPtr> rendered = RenderAndCache(key, render);
    pending_.fetch_sub(1);
    co_return rendered;
  };
  co_return co_await boost::asio::co_spawn(threads_, std::move(on_thread),
                                           boost::asio::use_awaitable);
}

absl::StatusOr<RenderedViewPtr> ViewRenderer::RenderAndCache(const std::string& key,
                                                             const RenderFunction& render) {
  // A request that missed together with an earlier one finds that one's answer here.
  if (!key.empty()) {
    if (RenderedViewPtr cached = cache_.Find(key)) return cached;
  }
  absl::StatusOr<formats::ViewAnswer> answer = render();
  if (!answer.ok()) return answer.status();
  RenderedViewPtr rendered = ToRenderedView(*std::move(answer));
  if (!key.empty()) cache_.Insert(key, rendered);
  return rendered;
}

}  // namespace tollgate::gateway
