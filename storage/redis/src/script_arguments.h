// The keys or arguments of one script call, kept in one buffer: a batch of reservations adds
// fourteen per download, and a string each would be fourteen allocations.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tollgate/base/concat.h"

namespace tollgate::storage {

class ScriptArguments {
 public:
  ScriptArguments() = default;
  explicit ScriptArguments(const std::vector<std::string>& values) {
    for (const std::string& value : values) Add(value);
  }

  // Appends one argument, built from `parts` as Concat builds a string.
  template <typename... Parts>
  void Add(const Parts&... parts) {
    AppendTo(text_, parts...);
    ends_.push_back(text_.size());
  }
  size_t size() const { return ends_.size(); }

  std::string_view operator[](size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  // Views of every argument, in order, after what `out` holds; valid while this is unchanged.
  void AppendViewsTo(std::vector<std::string_view>& out) const {
    for (size_t i = 0; i < ends_.size(); ++i) out.push_back((*this)[i]);
  }

 private:
  std::string text_;          // the arguments, one after the other
  std::vector<size_t> ends_;  // where each ends in text_
};

}  // namespace tollgate::storage
