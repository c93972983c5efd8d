// One blocking HTTP/1.1 request to the admin listener and its answer (Beast over Asio, plain
// TCP or TLS), with a deadline on every step; an upload body is streamed from an open file.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/api_url.h"
#include "tollgate/storage/artifact_source.h"

namespace tollgate::gateway::cli {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct ClientRequest {
  std::string method = {};
  std::string target = {};  // origin form, already percent-encoded
  HeaderList headers = {};
  std::string body = {};  // a JSON body; ignored when `upload` is set
  // When set, the body is this file's content, read in bounded chunks from offset 0 (never
  // whole into memory) after the server agreed with `100 Continue`.
  const storage::ArtifactFile* upload = nullptr;
};

struct ClientResponse {
  int status = 0;
  HeaderList headers;
  std::string body;

  // The first value of header `name` (case-insensitive), "" when absent.
  std::string Header(std::string_view name) const;
};

// Sends `request` to `url` on a fresh connection and reads the whole answer. An https `url`
// is checked against the CA certificates in `ca_file` (the system's when empty) and must name
// the server's certificate. Unavailable when the server cannot be reached or trusted, closes
// early or any step (connect, handshake, each written chunk, the answer) takes longer than
// `step_timeout`; Internal when the upload file cannot be read or changed its size. Messages
// name the host and port, never a header value (the API key).
absl::StatusOr<ClientResponse> Exchange(const ApiUrl& url, const std::string& ca_file,
                                        const ClientRequest& request,
                                        std::chrono::seconds step_timeout);

}  // namespace tollgate::gateway::cli
