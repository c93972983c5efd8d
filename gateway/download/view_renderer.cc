#include "download/view_renderer.h"

#include <exception>
#include <utility>

#include "absl/cleanup/cleanup.h"
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
    : options_(options),
      documents_(options.cache_bytes),
      small_answers_(options.small_answer_cache_bytes) {}

ViewRenderer::~ViewRenderer() { thread_.join(); }

RenderedViewPtr ViewRenderer::Cached(std::string_view key) {
  if (RenderedViewPtr document = documents_.Find(key)) return document;
  return small_answers_.Find(key);
}

absl::StatusOr<ViewRenderer::Ticket> ViewRenderer::Admit(std::string key, std::string client) {
  std::lock_guard lock(mu_);
  if (!key.empty()) {
    if (const auto it = flights_.find(key); it != flights_.end()) {
      ++it->second->requests;
      return Ticket{std::move(key), std::move(client), false, it->second};
    }
  }
  size_t& of_client = pending_by_client_[client];
  if (pending_ >= options_.max_pending || of_client >= options_.max_pending_per_client) {
    if (of_client == 0) pending_by_client_.erase(client);
    return absl::ResourceExhaustedError("too many package-manager views are being rendered");
  }
  ++pending_;
  ++of_client;
  Ticket ticket{std::move(key), std::move(client), true, nullptr};
  if (!ticket.key.empty()) {
    ticket.flight = std::make_shared<Flight>();
    ticket.flight->requests = 1;
    flights_.emplace(ticket.key, ticket.flight);
  }
  return ticket;
}

void ViewRenderer::Release(const Ticket& ticket) {
  std::lock_guard lock(mu_);
  if (ticket.flight != nullptr && --ticket.flight->requests == 0) flights_.erase(ticket.key);
  if (ticket.holds_slot) {
    --pending_;
    if (const auto it = pending_by_client_.find(ticket.client);
        it != pending_by_client_.end() && --it->second == 0) {
      pending_by_client_.erase(it);
    }
  }
}

boost::asio::awaitable<absl::StatusOr<RenderedViewPtr>> ViewRenderer::Render(
    std::string key, std::string client, RenderFunction render) {
  absl::StatusOr<Ticket> ticket = Admit(std::move(key), std::move(client));
  if (!ticket.ok()) co_return ticket.status();
  // Named, not a temporary of the co_await expression: GCC 12 destroys such a temporary twice
  // (its captures with it).
  auto on_thread =
      [this, ticket = *std::move(ticket),
       render = std::move(render)]() -> boost::asio::awaitable<absl::StatusOr<RenderedViewPtr>> {
    const absl::Cleanup release = [this, &ticket] { Release(ticket); };
    co_return Answer(ticket, render);
  };
  co_return co_await boost::asio::co_spawn(thread_, std::move(on_thread),
                                           boost::asio::use_awaitable);
}

absl::StatusOr<RenderedViewPtr> ViewRenderer::Answer(const Ticket& ticket,
                                                     const RenderFunction& render) {
  Flight* flight = ticket.flight.get();
  if (flight != nullptr && flight->answered) return flight->answer;
  absl::StatusOr<RenderedViewPtr> answer = RenderAndCache(ticket.key, render);
  if (flight != nullptr) {
    flight->answer = answer;
    flight->answered = true;
  }
  return answer;
}

absl::StatusOr<RenderedViewPtr> ViewRenderer::RenderAndCache(const std::string& key,
                                                             const RenderFunction& render) {
  // Rendered and cached by an earlier flight of the same key.
  if (!key.empty()) {
    if (RenderedViewPtr cached = Cached(key)) return cached;
  }
  RenderedViewPtr rendered;
  try {
    absl::StatusOr<formats::ViewAnswer> answer = render();
    // Internal whatever the cause: ResourceExhausted means only that renders are at their bound.
    if (!answer.ok()) return absl::InternalError(answer.status().message());
    rendered = ToRenderedView(*std::move(answer));
  } catch (const std::exception& thrown) {
    return absl::InternalError(Concat("rendering threw: ", thrown.what()));
  }
  if (!key.empty()) {
    ViewCache& cache =
        rendered->kind == formats::ViewAnswer::Kind::kDocument ? documents_ : small_answers_;
    cache.Insert(key, rendered);
  }
  return rendered;
}

}  // namespace tollgate::gateway
