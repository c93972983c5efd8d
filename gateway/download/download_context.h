// Everything one download request carries through the phases of its pipeline. One context
// lives as long as its connection and is reset for each keep-alive request, so its strings
// and header fields keep their storage: on a warmed-up connection, deciding a file download
// allocates nothing (an origin request plan and a denial's body still do).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "boost/asio/ip/address.hpp"
#include "boost/beast/http/message.hpp"
#include "download/view_cache.h"
#include "http/response_head.h"
#include "http/route.h"
#include "tollgate/policy/org_directory.h"
#include "tollgate/policy/reason.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/entitlement_store.h"
#include "tollgate/storage/http_origin.h"
#include "tollgate/storage/repository_store.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::gateway {

// What a phase answers: nullopt to go on with the next phase, or the denial that ends the
// request (Finish turns it into the response).
using PhaseOutcome = std::optional<policy::Reason>;
inline constexpr PhaseOutcome kContinue = std::nullopt;

// Artifact bytes to send after the header.
struct FileSlice {
  storage::ArtifactFile file;
  uint64_t offset = 0;
  uint64_t length = 0;
};

// What to ask a repository's HTTP origin, decided before the origin is contacted.
struct OriginFetch {
  const storage::HttpOriginConfig* origin = nullptr;  // the context's repository holds it
  storage::OriginRequest request;
};

struct DownloadContext {
  // Back to a fresh request of `request` from `peer`; keeps the storage of strings and
  // header fields. `request` must outlive the request's phases.
  void Reset(const boost::beast::http::request_header<>& request,
             const boost::asio::ip::address& peer);

  // Lets go of what the request held — its file, its origin answer (and so the origin
  // connection, back to its pool), its repository and credential — so an idle keep-alive
  // connection holds no descriptor, no pooled connection and no secret until its next request.
  void EndRequest();

  // True for GET (a body is sent and a download may count), false for HEAD.
  bool is_get() const { return request->method() == boost::beast::http::verb::get; }

  // read: the parsed header and who sent it.
  const boost::beast::http::request_header<>* request = nullptr;
  boost::asio::ip::address peer;
  std::chrono::steady_clock::time_point started;

  // route: where the request points.
  DownloadRoute route;
  storage::RepositoryPtr repository;
  bool is_public = false;

  // authenticate: who asks. At most one of the two is set; neither for an anonymous request.
  storage::EntitlementPtr entitlement;
  std::optional<policy::Principal> account;
  std::string client;                // the client key of SPEC §4.2 (requests with credentials)
  bool credential_rejected = false;  // invalid credentials: a brute-force failure to count
  absl::Duration blocked_for;        // too_many_failed_attempts: the rest of the block
  std::string forwarded_chain;       // every line of the forwarding header, joined (storage reused)

  // locate: the artifact, a file here or an object at the repository's origin.
  std::string path;  // repository-relative; "…/index.html" for a folder
  std::optional<FileSlice> file;
  bool at_origin = false;             // the repository's bytes live at an HTTP origin
  std::optional<OriginFetch> origin;  // what to ask it; absent when its configuration is damaged
  bool found = false;
  bool is_index_file = false;  // set by decide for token requests: never counted
  bool view_document = false;  // a document a view generates (decide checks only the token)

  // decide, fetch: the answer. `body` is a small body (a denial's JSON), sent after `head`.
  ResponseHead head;
  std::string body;
  std::optional<policy::Reason> denial;
  std::string denial_detail;  // a phase's own sentence for its denial, instead of the stock one
  std::unique_ptr<storage::OriginResponse> origin_body;  // an origin's body to relay (GET)
  RenderedViewPtr document;  // a view's document to send (GET), shared with the view cache

  // reserve: the usage of a counted download (a GET of a package file answered 200/206),
  // reserved before the body when the token has counted limits, else recorded after it.
  storage::Reservation usage;
  bool counts = false;
  bool enforce_limits = false;

  // respond: what left. `wire` holds the serialised header (and a small body).
  std::string wire;
  uint64_t body_bytes = 0;  // body bytes of a response sent whole (0 when it failed)
  uint64_t sent_bytes = 0;  // origin body bytes that left, also of a response cut off midway
  bool delivered = false;   // the whole response left
  bool keep_alive = false;
};

}  // namespace tollgate::gateway
