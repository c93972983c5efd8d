// The download pipeline of SPEC §2 and §4.1 up to the bytes: route, authenticate, decide,
// look up, then conditionals and ranges. Synchronous and socket-free: every store read it
// makes is served from memory, so it runs inline on the connection's thread.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/message.hpp"
#include "tollgate/policy/reason.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/stores.h"

namespace tollgate::gateway {

// Artifact bytes to send after the header.
struct FileSlice {
  storage::ArtifactFile file;
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct DownloadResponse {
  boost::beast::http::response<boost::beast::http::empty_body> head;  // Content-Length set
  std::string body;                                                   // a small body (denials)
  std::optional<FileSlice> file;  // artifact bytes; absent for HEAD, 304 and denials
  // What the access log reports; never the token string itself.
  std::optional<policy::Reason> denial;
  std::string token_identifier;
};

struct DownloadOptions {
  bool contextual_realm = false;  // realm="{org}/{repo}" instead of "tollgate"
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class DownloadHandler {
 public:
  DownloadHandler(storage::Stores stores, std::shared_ptr<const storage::ArtifactSource> files,
                  DownloadOptions options);

  // Answers one request. Never fails: every problem becomes a denial response.
  DownloadResponse Handle(
      const boost::beast::http::request_header<boost::beast::http::fields>& request) const;

 private:
  DownloadResponse Deny(policy::Reason reason, std::string_view realm) const;
  // The policy decision for a token that authenticated, after the artifact lookup.
  std::optional<policy::Reason> Decide(const policy::Entitlement& entitlement,
                                       std::string_view path, bool found) const;
  DownloadResponse Serve(const boost::beast::http::request_header<>& request,
                         storage::ArtifactFile file, std::string_view path) const;

  storage::Stores stores_;
  std::shared_ptr<const storage::ArtifactSource> files_;
  DownloadOptions options_;
};

}  // namespace tollgate::gateway
