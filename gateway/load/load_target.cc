// URL parsing with Boost.URL; a URL's userinfo becomes a Basic Authorization header, a fragment
// is dropped (it never goes to the server).
#include "load/load_target.h"

#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "boost/url/parse.hpp"
#include "boost/url/url_view.hpp"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

namespace tollgate::gateway::load {
namespace urls = boost::urls;

namespace {

absl::Status Invalid(std::string_view what, size_t position, std::string_view why) {
  return absl::InvalidArgumentError(Concat(what, " ", position, ": ", why));
}

bool SameOrigin(const LoadOrigin& a, const LoadOrigin& b) {
  return a.tls == b.tls && EqualsIgnoreCase(a.host, b.host) && a.port == b.port;
}

}  // namespace

std::string LoadTargets::Display() const {
  const bool v6 = origin.host.find(':') != std::string::npos;
  return Concat(origin.tls ? "https://" : "http://", v6 ? "[" : "", origin.host, v6 ? "]" : "", ":",
                origin.port);
}

absl::StatusOr<LoadTargets> BuildTargets(const std::vector<std::string>& texts,
                                         std::string_view what) {
  if (texts.empty()) return absl::InvalidArgumentError("no URL given");
  if (texts.size() > kMaxUrls) {
    return absl::InvalidArgumentError(Concat("more than ", kMaxUrls, " URLs"));
  }
  LoadTargets targets;
  targets.requests.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const size_t position = i + 1;
    boost::system::result<urls::url_view> url = urls::parse_uri(texts[i]);
    if (!url) return Invalid(what, position, "not an absolute URL");
    LoadOrigin origin;
    if (EqualsIgnoreCase(url->scheme(), "https")) {
      origin.tls = true;
    } else if (!EqualsIgnoreCase(url->scheme(), "http")) {
      return Invalid(what, position, "unsupported scheme (only http and https)");
    }
    if (!url->has_authority() || url->encoded_host().empty()) {
      return Invalid(what, position, "the URL names no host");
    }
    if (url->host_type() == urls::host_type::ipvfuture) {
      return Invalid(what, position, "unsupported host address");
    }
    origin.host = url->host_address();
    if (url->has_port()) {
      if (url->port().empty() || url->port_number() == 0) {
        return Invalid(what, position, "bad port");
      }
      origin.port = std::to_string(url->port_number());
    } else {
      origin.port = origin.tls ? "443" : "80";
    }
    origin.host_header = Concat(std::string_view(url->encoded_host()), url->has_port() ? ":" : "",
                                url->has_port() ? origin.port : "");
    if (i == 0) {
      targets.origin = origin;
    } else if (!SameOrigin(origin, targets.origin)) {
      return Invalid(what, position,
                     "another origin than the first URL's; all URLs must share one scheme, host "
                     "and port (run one tollgate load per origin)");
    }
    std::string target(url->encoded_path());
    if (target.empty()) target = "/";
    if (url->has_query()) AppendTo(target, "?", std::string_view(url->encoded_query()));
    std::string request = Concat("GET ", target, " HTTP/1.1\r\nHost: ", origin.host_header,
                                 "\r\nUser-Agent: tollgate-load\r\n");
    if (url->has_userinfo()) {
      const std::string credentials = Concat(url->user(), ":", url->password());
      AppendTo(request, "Authorization: Basic ", absl::Base64Escape(credentials), "\r\n");
    }
    request += "\r\n";
    targets.requests.push_back(std::move(request));
  }
  return targets;
}

absl::StatusOr<std::vector<std::string>> ReadUrlFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::InvalidArgumentError("--urls: cannot read the file");
  std::string content;
  content.resize(static_cast<size_t>(kMaxUrlFileBytes) + 1);
  file.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (file.bad()) return absl::InvalidArgumentError("--urls: cannot read the file");
  content.resize(static_cast<size_t>(file.gcount()));
  if (content.size() > kMaxUrlFileBytes) {
    return absl::InvalidArgumentError("--urls: the file is larger than 16 MiB");
  }
  std::vector<std::string> out;
  std::string_view rest = content;
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
    line = TrimWhitespace(line, " \t\r");
    if (line.empty() || line.front() == '#') continue;
    if (out.size() == kMaxUrls) {
      return absl::InvalidArgumentError(Concat("--urls: more than ", kMaxUrls, " URLs"));
    }
    out.emplace_back(line);
  }
  if (out.empty()) return absl::InvalidArgumentError("--urls: the file holds no URL");
  return out;
}

}  // namespace tollgate::gateway::load
