// Rendered package-manager views shared between requests: credentials with the same scopes
// and the same URL form see the same answer, so it is rendered once per catalog generation.
// Not-found answers and redirects are kept too, so asking for names that do not exist costs no
// render either. Bounded by bytes; the least recently used answers go first. Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "tollgate/formats/package_view.h"

namespace tollgate::gateway {

// A view's answer as the response needs it.
struct RenderedView {
  formats::ViewAnswer::Kind kind = formats::ViewAnswer::Kind::kNotFound;
  std::string content_type;
  std::string body;
  std::string etag;    // a document's: quoted, from the body's SHA-256
  std::string target;  // a redirect's absolute URL, or the repository file to serve
};
using RenderedViewPtr = std::shared_ptr<const RenderedView>;

class ViewCache {
 public:
  explicit ViewCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The answer cached under `key`, or nullptr.
  RenderedViewPtr Find(std::string_view key);
  // Caches `view` under `key`, evicting the least recently used answers beyond max_bytes.
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
