// The URLs a load run requests: one origin (scheme, host, port) and, per URL, the request
// bytes serialised once before the run. Display text never holds a path, a query or a
// credential (tollgate's URLs carry the token in the path).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tollgate::gateway::load {

struct LoadOrigin {
  bool tls = false;
  std::string host;         // name or address; IPv6 without brackets
  std::string port;         // "80"/"443" when the URL names none
  std::string host_header;  // the Host header: host (IPv6 in brackets) and an explicit port
};

struct LoadTargets {
  LoadOrigin origin;
  // Per URL, in the order given: "GET TARGET HTTP/1.1", Host, User-Agent and, for a URL with
  // credentials, Authorization: Basic, then the blank line.
  std::vector<std::string> requests;

  // "http://HOST:PORT" (IPv6 in brackets): what progress lines and reports show.
  std::string Display() const;
};

// At most this many URLs, from the command line and --urls together.
inline constexpr size_t kMaxUrls = 100000;
// A --urls file larger than this is refused.
inline constexpr uint64_t kMaxUrlFileBytes = 16 * 1024 * 1024;

// Builds the targets of `urls`. InvalidArgument naming the URL by its position ("URL 3: …",
// or `what` followed by the position), never quoting it, when a URL is not absolute http(s),
// names no host, has a bad port, differs in origin from the first URL, or when there is none
// or more than kMaxUrls.
absl::StatusOr<LoadTargets> BuildTargets(const std::vector<std::string>& urls,
                                         std::string_view what = "URL");

// The URLs of a --urls file: one per line; blank lines and lines starting with '#' skipped,
// white space around a URL ignored. InvalidArgument ("--urls: …") when the file cannot be
// read, is larger than kMaxUrlFileBytes or holds more than kMaxUrls URLs.
absl::StatusOr<std::vector<std::string>> ReadUrlFile(const std::string& path);

}  // namespace tollgate::gateway::load
