// The order of the phases, and the rule that a denial skips to Finish.
#include "download/download_pipeline.h"

#include "download/phases.h"

namespace tollgate::gateway {

namespace {

// True when the response's body ends by closing the connection (an origin body of unknown
// length to an HTTP/1.0 client), so the connection cannot be kept alive.
bool BodyEndsByClosing(const DownloadContext& context) {
  return context.origin_body != nullptr && !context.head.content_length() &&
         !context.head.chunked();
}

}  // namespace

DownloadPipeline::DownloadPipeline(DownloadServices services) : services_(std::move(services)) {}

void DownloadPipeline::Prepare(DownloadContext& context) const {
  PhaseOutcome outcome = RouteRequest(context, services_);
  if (!outcome) outcome = Authenticate(context, services_);
  if (!outcome && IsViewRequest(context)) return;  // answered by AnswerView in Serve
  if (!outcome) outcome = Locate(context, services_);
  if (!outcome) outcome = Decide(context, services_);
  if (outcome) Finish(context, services_, *outcome);
}

boost::asio::awaitable<void> DownloadPipeline::Serve(DownloadContext& context,
                                                     Connection& connection,
                                                     bool keep_alive) const {
  Prepare(context);
  PhaseOutcome outcome = co_await CountRejectedCredential(context, services_);
  if (!outcome && !context.denial && IsViewRequest(context)) {
    outcome = co_await AnswerView(context, services_, connection.stream().is_tls(),
                                  connection.deadline());
  }
  if (!outcome && !context.denial) outcome = co_await Reserve(context, services_);
  // Reserve comes first, so a token over its limit never costs an origin request.
  if (!outcome && !context.denial && context.at_origin) {
    outcome = co_await Fetch(context, services_, connection.deadline());
    if (!outcome) outcome = co_await ReserveFetched(context, services_);
  }
  if (outcome) Finish(context, services_, *outcome);
  context.keep_alive = keep_alive && !BodyEndsByClosing(context);
  co_await Respond(context, connection);
  LogAccess(context, connection.client_address());
  RecordUsage(context, services_);
  context.EndRequest();
}

boost::asio::awaitable<void> DownloadPipeline::RefuseMalformed(DownloadContext& context,
                                                               Connection& connection) const {
  Finish(context, services_, policy::Reason::kBadRequest);
  context.keep_alive = false;
  co_await Respond(context, connection);
  LogAccess(context, connection.client_address());
  RecordUsage(context, services_);
  context.EndRequest();
}

}  // namespace tollgate::gateway
