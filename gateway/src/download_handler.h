// The download pipeline of SPEC §2 and §4.1 up to the bytes: route, authenticate, decide,
// look up, then conditionals and ranges. Synchronous and socket-free, run inline on the
// connection's thread: its store reads are served from memory, but the artifact file is opened
// (openat2 and fstat) on that thread too, so a slow disk stalls the worker's loop.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "boost/asio/ip/address.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/message.hpp"
#include "client_address.h"
#include "tollgate/policy/org_directory.h"
#include "tollgate/policy/reason.h"
#include "tollgate/storage/artifact_source.h"
#include "tollgate/storage/http_origin.h"
#include "tollgate/storage/stores.h"
#include "tollgate/storage/usage_ledger.h"

namespace tollgate::gateway {

// Artifact bytes to send after the header.
struct FileSlice {
  storage::ArtifactFile file;
  uint64_t offset = 0;
  uint64_t length = 0;
};

// What to ask a repository's HTTP origin, decided before the origin is contacted.
struct OriginFetch {
  storage::HttpOriginConfig origin;
  storage::OriginRequest request;
};

struct DownloadResponse {
  boost::beast::http::response<boost::beast::http::empty_body> head;  // Content-Length set
  std::string body;                                                   // a small body (denials)
  std::optional<FileSlice> file;  // artifact bytes; absent for HEAD, 304 and denials
  // A repository at an HTTP origin: Handle sets the fetch, the session performs it and keeps
  // the answer's body to relay (absent for HEAD, 304 and denials).
  std::optional<OriginFetch> origin;
  std::unique_ptr<storage::OriginResponse> origin_body;
  // What the access log reports; never the token string itself.
  std::optional<policy::Reason> denial;
  std::string token_identifier;
  std::string account;  // "user:NAME" or "service:SLUG" for downloads with an API key
  std::string client;   // the client key of SPEC §4.2
  // Set when a token download must be counted (a GET of a package file answered 200/206):
  // reserved before the body when the token has counted limits, else recorded after it.
  std::optional<storage::Reservation> usage;
  bool enforce_limits = false;
  // The artifact path, for the token's usage events.
  std::string path;
};

struct DownloadOptions {
  bool contextual_realm = false;  // realm="{org}/{repo}" instead of "tollgate"
  absl::Duration dedupe_window = absl::Minutes(10);
  // How long tokens without counted limits keep working while the store is unreachable.
  absl::Duration stale_grace = absl::Seconds(60);
  std::vector<Cidr> trusted_proxies;
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class DownloadHandler {
 public:
  DownloadHandler(storage::Stores stores, std::shared_ptr<const storage::ArtifactSource> files,
                  std::shared_ptr<storage::HttpOriginClient> origins, DownloadOptions options);

  // Answers one request from `peer`. Never fails: every problem becomes a denial response.
  // The counted limits are not checked here (see DownloadResponse::usage).
  DownloadResponse Handle(
      const boost::beast::http::request_header<boost::beast::http::fields>& request,
      const boost::asio::ip::address& peer) const;

  // Replaces `response` by the denial for `reason`, keeping what the log needs. `detail`
  // replaces the reason's stock sentence when not empty.
  static void Refuse(DownloadResponse& response, policy::Reason reason,
                     std::string_view detail = {});

  // Turns a refused or failed reservation into its denial (store_unavailable when the
  // ledger could not be reached); leaves a granted one alone.
  static void ApplyReservation(DownloadResponse& response,
                               const absl::StatusOr<storage::ReservationResult>& reserved);

  storage::UsageLedger& ledger() const { return *stores_.usage; }
  storage::HttpOriginClient& origins() const { return *origins_; }

 private:
  static DownloadResponse Deny(policy::Reason reason, std::string_view realm);
  // The policy decision for a token that authenticated, after the artifact lookup.
  std::optional<policy::Reason> Decide(const policy::Entitlement& entitlement,
                                       std::string_view path, bool found, bool is_public,
                                       absl::Time now) const;
  DownloadResponse Serve(const boost::beast::http::request_header<>& request,
                         storage::ArtifactFile file, std::string_view path) const;
  // The user or service of `org` whose API key is `secret` (and whose name is `username`,
  // when one is given), or nullopt.
  std::optional<policy::Principal> FindAccount(const std::string& org, std::string_view username,
                                               std::string_view secret) const;
  // Whether `account` currently holds at least read on `repo` of its org.
  bool HasRead(const policy::Principal& account, std::string_view repo) const;
  // How the access log names an account: "user:alice", "service:ci".
  static std::string AccountLabel(const policy::Principal& account);
  // The reservation for a served package file, or nullopt when nothing is counted.
  std::optional<storage::Reservation> UsageOf(const policy::Entitlement& entitlement,
                                              const DownloadResponse& response,
                                              std::string_view path, std::string client,
                                              absl::Time now) const;

  storage::Stores stores_;
  std::shared_ptr<const storage::ArtifactSource> files_;
  std::shared_ptr<storage::HttpOriginClient> origins_;
  DownloadOptions options_;
};

}  // namespace tollgate::gateway
