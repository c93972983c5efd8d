// Repositories whose bytes live on an HTTP origin (SPEC §3 `storage: {"type": "http"}`): the
// origin's settings, and the client that fetches artifacts from it and uploads to it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/awaitable.hpp"

namespace tollgate::storage {

// Signature V4 credentials of an S3-compatible object store.
struct S3Credentials {
  std::string region;
  std::string access_key;
  std::string secret_key;
};

struct HttpOriginConfig {
  std::string host;  // a DNS name or an IP address, without brackets
  uint16_t port = 80;
  std::string base_path = "/";  // percent-encoded; starts and ends with '/'
  std::string authorization;    // the Authorization value for basic/bearer; "" when none
  std::optional<S3Credentials> s3;
  absl::Duration connect_timeout = absl::Seconds(5);
  // Longest wait for any progress while reading an answer: first byte, and between chunks.
  absl::Duration read_timeout = absl::Seconds(30);
  // In use by this repository at once, per event loop. The pool for a host is as large as
  // the largest max_connections of the repositories using it; a repository gets at most half
  // of it while a repository of another org waits.
  size_t max_connections = 64;
  size_t max_idle = 16;  // kept alive for reuse, per event loop
  // The repository these settings belong to, whose share of the pool its requests use; set
  // by ParseRepositoryStorage, empty where no repository is involved.
  std::string org;
  std::string repository;
};

using OriginHeaders = std::vector<std::pair<std::string, std::string>>;

struct OriginRequest {
  std::string method;          // GET, HEAD, PUT or DELETE
  std::string path;            // the artifact path, relative and decoded (the client encodes it)
  OriginHeaders headers;       // sent as they are (Range, conditionals, Content-Type …)
  uint64_t body_length = 0;    // PUT: the body's exact length
  std::string payload_sha256;  // PUT: the body's hex SHA-256 when known, for S3 to verify
};

struct OriginResponseHead {
  int status = 0;
  OriginHeaders headers;                   // as received, hop-by-hop ones included
  std::optional<uint64_t> content_length;  // nullopt: chunked or ended by closing
};

// An origin's answer whose body is still to be read. Destroying it returns the connection
// to the pool when the body was read to its end and the origin keeps it alive, and closes
// it otherwise (a vanished client, an abandoned body).
class OriginResponse {
 public:
  virtual ~OriginResponse() = default;
  virtual const OriginResponseHead& head() const = 0;
  // Reads the next body bytes into `buffer` (at most one socket read); 0 at the end of the
  // body. DeadlineExceeded when the read timeout passes without a byte; Unavailable when
  // the origin closes early or the body is malformed. Completes on the caller's executor.
  virtual boost::asio::awaitable<absl::StatusOr<size_t>> Read(std::span<char> buffer) = 0;
  // Reads and drops the rest of a body announced as at most `max_bytes` (an error page), so
  // that the connection can be reused; leaves a longer or unannounced one unread. Never fails.
  virtual boost::asio::awaitable<void> Discard(uint64_t max_bytes) = 0;
};

// A PUT whose body is being streamed. Nothing is complete at the origin until Finish: the
// last body byte is held back, so an upload abandoned before Finish (a broken client, a
// checksum mismatch) is an incomplete request that the origin discards.
class OriginUpload {
 public:
  virtual ~OriginUpload() = default;
  // Sends the next body bytes. Unavailable/DeadlineExceeded when the origin fails; the
  // upload cannot continue then.
  virtual boost::asio::awaitable<absl::Status> Write(std::string_view bytes) = 0;
  // Completes the request and reads the origin's answer (its body is discarded). Errors as
  // Write; FailedPrecondition when fewer bytes were written than announced.
  virtual boost::asio::awaitable<absl::StatusOr<OriginResponseHead>> Finish() = 0;
};

class HttpOriginClient {
 public:
  virtual ~HttpOriginClient() = default;

  // Sends `request` (no body) and returns once the answer's header has arrived, whatever
  // its status; redirects are answers like any other, never followed. DeadlineExceeded when
  // connecting or the answer takes longer than the origin's timeouts, or the repository's
  // share of connections stays busy that long; PermissionDenied when --origin-allow refuses
  // an address of the host; Unavailable when the origin cannot be reached or answers
  // malformed HTTP. A request that fails on a
  // reused keep-alive connection before any answer byte is retried once on a new one.
  // Completes on the caller's executor; connections are pooled per executor.
  virtual boost::asio::awaitable<absl::StatusOr<std::unique_ptr<OriginResponse>>> Send(
      const HttpOriginConfig& origin, OriginRequest request) = 0;

  // Looks up the origin's host (within its connect timeout) and checks every address it
  // returns against the --origin-allow rule, as every new connection does. PermissionDenied
  // naming the refused address; DeadlineExceeded or Unavailable when the lookup fails.
  // Completes on the caller's executor.
  virtual boost::asio::awaitable<absl::Status> CheckAddress(const HttpOriginConfig& origin) = 0;

  // Starts a PUT of request.body_length bytes. The connection is opened and the header
  // sent on the first Write (or Finish). Never fails itself: errors come from the upload.
  virtual std::unique_ptr<OriginUpload> StartUpload(const HttpOriginConfig& origin,
                                                    OriginRequest request) = 0;
};

}  // namespace tollgate::storage
