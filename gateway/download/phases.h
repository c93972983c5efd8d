// The phases of one download, in the order the pipeline runs them (see download_pipeline.h):
// route → authenticate → locate → decide → reserve → fetch → respond → log → record.
// Each reads and writes the request's DownloadContext and touches only what its comment names;
// a phase that refuses returns the denial's reason and the pipeline skips to Finish.
#pragma once

#include <string_view>

#include "boost/asio/awaitable.hpp"
#include "download/download_context.h"
#include "download/download_services.h"
#include "edge/connection.h"

namespace tollgate::gateway {

// Method, URL grammar, repository. Reads the request; touches the repository store.
PhaseOutcome RouteRequest(DownloadContext& context, const DownloadServices& services);

// Credentials → entitlement token or account (SPEC §4.1's first checks), the store-outage rule
// and an account's read privilege; a client blocked for brute force is refused before its
// credentials are checked. Touches the entitlement and account stores and the brute-force
// blocks (memory only).
PhaseOutcome Authenticate(DownloadContext& context, const DownloadServices& services);

// Counts the invalid credential of a request Authenticate rejected against its client (SPEC
// §4.6). When the client is blocked now, its answer becomes too_many_failed_attempts instead.
// Touches the brute-force counts (Redis when shared).
boost::asio::awaitable<PhaseOutcome> CountRejectedCredential(DownloadContext& context,
                                                             const DownloadServices& services);

// True for requests under the reserved segment "-" (SPEC §7), which AnswerView answers
// instead of locate and decide.
bool IsViewRequest(const DownloadContext& context);

// A package-manager view: a generated document from the catalog filtered by the credential's
// scopes (an index file: decide checks only the token's state), a redirect, or a repository
// file named through the view, which is then located and decided as an ordinary download.
// `secure` says whether the request came over TLS (for URLs built from Host). Arms `deadline`
// while a repository's first view waits for the catalog to index it. Touches the catalog
// (memory, or its own thread on a first request), the view cache and the files.
boost::asio::awaitable<PhaseOutcome> AnswerView(DownloadContext& context,
                                                const DownloadServices& services, bool secure,
                                                ConnectionDeadline& deadline);

// Finds the artifact: opens the file, or plans the origin request. Never refuses itself
// (a missing artifact is decided next). Touches the artifact files (openat2 and fstat).
PhaseOutcome Locate(DownloadContext& context, const DownloadServices& services);

// The policy (token state, user's read, not found, scopes), then for files the answer's
// shape: validators, 304, Range → 200/206/416. Reads the clock and the account store (memory).
PhaseOutcome Decide(DownloadContext& context, const DownloadServices& services);

// Prepares the usage of a counted download (a GET of a package file answered 200/206) and,
// for tokens with counted limits, reserves it in the usage ledger: one atomic round trip.
// For an origin download, whose length is known only from the origin's answer, it only checks
// that the token is not at a limit already (a second round trip), so a refused token never
// costs an origin request — unless the request is a revalidation, which may end in a 304;
// ReserveFetched reserves once the answer is in. Touches the usage ledger.
boost::asio::awaitable<PhaseOutcome> Reserve(DownloadContext& context,
                                             const DownloadServices& services);
boost::asio::awaitable<PhaseOutcome> ReserveFetched(DownloadContext& context,
                                                    const DownloadServices& services);

// Asks the repository's origin and maps its answer onto the response: 200/206 with the
// origin's length, type, validators and range headers (the body kept to relay), 304, or a
// denial (404/410 not_found, 416, other answers upstream_unavailable, no answer in time
// upstream_timeout). Arms `deadline` to cover the origin's timeouts. Touches the origin client.
boost::asio::awaitable<PhaseOutcome> Fetch(DownloadContext& context,
                                           const DownloadServices& services,
                                           ConnectionDeadline& deadline);

// Turns `reason` into the response: status, JSON body (with the context's denial_detail
// instead of the stock sentence when a phase gave one), X-Tollgate-Reason, the realm of a 401,
// the Content-Range of a 416. Drops any file, origin body and usage, so nothing after it serves
// or counts bytes.
void Finish(DownloadContext& context, const DownloadServices& services, policy::Reason reason);

// Sends the header and the body (file, origin relay or small body). Touches the stream.
boost::asio::awaitable<void> Respond(DownloadContext& context, Connection& connection);

// The access line; every request gets one, malformed ones included. Never the token itself.
void LogAccess(const DownloadContext& context, std::string_view client_address);

// Usage of a token request: unlimited tokens' downloads with the bytes really sent, the bytes
// of origin bodies without a length, and the request as a usage event. Touches the ledger.
void RecordUsage(DownloadContext& context, const DownloadServices& services);

}  // namespace tollgate::gateway
