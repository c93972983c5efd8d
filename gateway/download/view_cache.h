// Rendered package-manager views shared between requests: credentials with the same scopes
// and the same URL form see the same document, so it is rendered once per catalog generation.
// Bounded by bytes; the least recently used documents go first. Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"

namespace tollgate::gateway {

// A rendered document and what its response needs.
struct RenderedView {
  std::string content_type;
  std::string body;
  std::string etag;  // quoted, from the body's SHA-256
};
using RenderedViewPtr = std::shared_ptr<const RenderedView>;

class ViewCache {
 public:
  explicit ViewCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The document cached under `key`, or nullptr.
  RenderedViewPtr Find(std::string_view key);
  // Caches `view` under `key`, evicting the least recently used documents beyond max_bytes.
  // A document larger than a quarter of the budget is not kept.
  void Insert(std::string key, RenderedViewPtr view);

 private:
  struct Slot {
    std::string key;
    RenderedViewPtr view;
  };
  static size_t CostOf(const Slot& slot);

  const size_t max_bytes_;
  std::mutex mu_;
  size_t bytes_ = 0;
  std::list<Slot> slots_;  // most recently used first
  absl::flat_hash_map<std::string_view, std::list<Slot>::iterator> index_;  // keys in slots_
};

}  // namespace tollgate::gateway
