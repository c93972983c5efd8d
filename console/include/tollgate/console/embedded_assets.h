// The web console's built files, compiled into the binary: a fixed table generated at build
// time from the bundler's output (cmake/EmbedConsoleAssets.cmake writes its definition).
#pragma once

#include <span>
#include <string_view>

namespace tollgate::console {

struct EmbeddedAsset {
  std::string_view path;          // relative to the console's root: "index.html", "app-3F2A….js"
  std::string_view content_type;  // with charset for text
  std::string_view etag;          // strong, quotes included: a digest of the bytes
  std::string_view bytes;
};

// Every built file, in no particular order. Never empty: the build fails without a console.
std::span<const EmbeddedAsset> EmbeddedAssets();

}  // namespace tollgate::console
