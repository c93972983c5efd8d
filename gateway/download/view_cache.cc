#include "download/view_cache.h"

namespace tollgate::gateway {

size_t ViewCache::CostOf(const Slot& slot) {
  return slot.key.size() + slot.view->body.size() + slot.view->content_type.size() +
         slot.view->target.size() + 128;
}

RenderedViewPtr ViewCache::Find(std::string_view key) {
  std::lock_guard lock(mu_);
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  slots_.splice(slots_.begin(), slots_, it->second);
  return it->second->view;
}

void ViewCache::Insert(std::string key, RenderedViewPtr view) {
  Slot slot{std::move(key), std::move(view)};
  const size_t cost = CostOf(slot);
  if (cost > max_bytes_ / 4) return;
  std::lock_guard lock(mu_);
  if (index_.contains(slot.key)) return;  // rendered meanwhile by another request
  slots_.push_front(std::move(slot));
  index_.emplace(slots_.front().key, slots_.begin());
  bytes_ += cost;
  while (bytes_ > max_bytes_ && !slots_.empty()) {
    const Slot& oldest = slots_.back();
    bytes_ -= CostOf(oldest);
    index_.erase(oldest.key);
    slots_.pop_back();
  }
}

}  // namespace tollgate::gateway
