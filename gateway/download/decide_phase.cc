// Decide: the policy's answer for this credential and artifact (SPEC §4.1, first failure
// wins), then for a file the answer's shape — validators, 304, ranges.
#include "download/phases.h"
#include "http/account_keys.h"
#include "http/conditional_request.h"
#include "http/content_type.h"
#include "http/header_value.h"
#include "http/http_range.h"
#include "tollgate/formats/registry.h"
#include "tollgate/policy/evaluate.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

PhaseOutcome DecideForToken(DownloadContext& context, const DownloadServices& services) {
  const policy::Entitlement& entitlement = *context.entitlement;
  policy::DownloadFacts facts{.path = context.path, .found = context.found};
  // Everyone reads a public repository, so only a private one can revoke a user token.
  if (entitlement.user && !context.is_public) {
    facts.user_has_read =
        HoldsRead(*services.stores.accounts, entitlement.org, policy::PrincipalKind::kUser,
                  *entitlement.user, entitlement.repo);
  }
  // Identity costs a parse and a few strings, so only scoped tokens pay for it; the others
  // need only to know whether a download would count.
  std::optional<formats::PackageIdentity> identity;
  if (context.view_document) {
    facts.is_index_file = true;
  } else if (context.found && (entitlement.limit_package_query || entitlement.limit_path_query)) {
    identity = formats::IdentifyPackage(context.path);
    facts.is_index_file = !identity.has_value();
    if (identity) facts.identity = &*identity;
  } else {
    facts.is_index_file = formats::IsIndexFile(context.path);
  }
  context.is_index_file = facts.is_index_file;
  return policy::Evaluate(entitlement, facts, services.options.clock());
}

// The answer for the located file: 304, 200, 206 or the 416 denial.
PhaseOutcome ShapeFileAnswer(DownloadContext& context) {
  const http::request_header<>& request = *context.request;
  const storage::ArtifactFile& file = context.file->file;
  const FixedText<48> etag = FormatEtag(file.size(), file.modified());
  const Validators validators{etag, file.modified()};
  ResponseHead& head = context.head;
  head.Set("ETag", etag);
  const FixedText<32> last_modified = FormatHttpDateText(file.modified());
  head.Set("Last-Modified", last_modified);
  head.Set("Accept-Ranges", "bytes");
  if (IsNotModified(HeaderValue(request, http::field::if_none_match),
                    HeaderValue(request, http::field::if_modified_since), validators)) {
    head.set_status(http::status::not_modified);
    context.file.reset();
    return kContinue;
  }
  head.Set("Content-Type", ContentTypeFor(context.path));

  RangeDecision range;
  if (IfRangeAllowsPartial(HeaderValue(request, http::field::if_range), validators)) {
    range = DecideRange(HeaderValue(request, http::field::range), file.size());
  }
  uint64_t offset = 0;
  uint64_t length = file.size();
  switch (range.outcome) {
    case RangeOutcome::kWholeBody:
      head.set_status(http::status::ok);
      break;
    case RangeOutcome::kPartial:
      head.set_status(http::status::partial_content);
      head.Set("Content-Range", ContentRangeHeader(range.range, file.size()));
      offset = range.range.first;
      length = range.range.last - range.range.first + 1;
      break;
    case RangeOutcome::kUnsatisfiable:
      return Reason::kRangeNotSatisfiable;  // Finish names the file's size
  }
  head.set_content_length(length);
  if (context.is_get() && length > 0) {
    context.file->offset = offset;
    context.file->length = length;
  } else {
    context.file.reset();  // nothing to send: HEAD, or an empty file
  }
  return kContinue;
}

}  // namespace

PhaseOutcome Decide(DownloadContext& context, const DownloadServices& services) {
  if (context.entitlement != nullptr) {
    if (PhaseOutcome refused = DecideForToken(context, services)) return refused;
  } else if (!context.found) {
    return Reason::kNotFound;
  }
  // An origin's answer is shaped when it arrives; until then a GET is provisionally a 200,
  // so that its usage is prepared. A view shapes its document itself.
  if (context.at_origin || context.view_document) return kContinue;
  return ShapeFileAnswer(context);
}

}  // namespace tollgate::gateway
