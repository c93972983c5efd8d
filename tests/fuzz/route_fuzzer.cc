// libFuzzer target: routing refuses or accepts any request target, and an accepted one
// never yields a path that could leave the repository folder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/route.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<tollgate::gateway::DownloadRoute> route =
      tollgate::gateway::RouteDownloadTarget(target);
  if (!route.ok()) return 0;
  const std::string& path = route->artifact.path;
  std::string_view rest = path;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() || segment == "." || segment == "..") std::abort();
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  }
  if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) std::abort();
  return 0;
}
