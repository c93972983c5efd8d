// A short string in fixed storage, for values formatted on hot paths (header values, dates)
// where a std::string would allocate once it outgrows its small-string buffer.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace tollgate {

template <size_t Capacity>
struct FixedText {
  std::array<char, Capacity> chars{};
  size_t size = 0;

  // Views of the storage: only of a named object, since a temporary's would dangle.
  std::string_view view() const& { return std::string_view(chars.data(), size); }
  std::string_view view() const&& = delete;
  operator std::string_view() const& { return view(); }  // NOLINT: meant to read as a string
  operator std::string_view() const&& = delete;
};

}  // namespace tollgate
