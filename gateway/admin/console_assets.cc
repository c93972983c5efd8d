// Serving the embedded console files with their caching and security headers.
#include "admin/console_assets.h"

#include <algorithm>

#include "absl/time/time.h"
#include "http/conditional_request.h"
#include "tollgate/console/embedded_assets.h"

namespace tollgate::gateway::admin {
namespace http = boost::beast::http;

namespace {

constexpr std::string_view kIndex = "index.html";
constexpr std::string_view kAssetPrefix = "/ui/";

// No inline script or style, no plugin, no framing, no request to another host.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'";

void AddSecurityHeaders(ApiResponse& response) {
  response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
}

const console::EmbeddedAsset* FindAsset(std::string_view name) {
  const auto assets = console::EmbeddedAssets();
  const auto it = std::find_if(assets.begin(), assets.end(),
                               [name](const console::EmbeddedAsset& a) { return a.path == name; });
  return it == assets.end() ? nullptr : &*it;
}

// index.html names the current hashed assets, so browsers revalidate it on every load; the
// hashed files never change under their name.
std::string_view CacheControlFor(std::string_view name) {
  return name == kIndex ? "no-cache" : "public, max-age=31536000, immutable";
}

}  // namespace

bool IsConsolePath(std::string_view path) {
  return path == "/" || path == "/ui" || path.starts_with(kAssetPrefix);
}

ApiResponse ServeConsole(std::string_view method, std::string_view path,
                         std::string_view if_none_match) {
  ApiResponse response;
  const std::string_view name = path == "/"                      ? kIndex
                                : path.starts_with(kAssetPrefix) ? path.substr(kAssetPrefix.size())
                                                                 : std::string_view{};
  const console::EmbeddedAsset* asset = FindAsset(name);
  if (method != "GET" && method != "HEAD") {
    response = MethodNotAllowed("GET or HEAD");
    response.headers.emplace_back("Allow", "GET, HEAD");
  } else if (asset == nullptr) {
    response = NotFound("console file");
  } else {
    response.headers.emplace_back("ETag", asset->etag);
    response.headers.emplace_back("Cache-Control", CacheControlFor(asset->path));
    if (IsNotModified(if_none_match, "", Validators{asset->etag, absl::InfinitePast()})) {
      response.status = http::status::not_modified;
    } else {
      response.body = std::string(asset->bytes);
      response.headers.emplace_back("Content-Type", asset->content_type);
    }
  }
  AddSecurityHeaders(response);
  return response;
}

}  // namespace tollgate::gateway::admin
