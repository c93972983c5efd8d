// Locate: the artifact a request names — an open file in the repository's folder, or the
// request to send to the repository's HTTP origin.
#include <array>

#include "download/phases.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

// Request headers the origin needs to answer ranges and revalidations itself; nothing else of
// the client's request (never Authorization, Cookie or the token) reaches the origin.
constexpr std::array<http::field, 4> kPassedToOrigin = {http::field::range, http::field::if_range,
                                                        http::field::if_none_match,
                                                        http::field::if_modified_since};

// The origin request for the located path: only what the origin needs of the client's request.
void PlanOriginFetch(DownloadContext& context, const storage::HttpOriginConfig& origin) {
  OriginFetch& fetch = context.origin.emplace(OriginFetch{&origin, {}});
  fetch.request.method = context.is_get() ? "GET" : "HEAD";
  fetch.request.path = context.path;
  for (const http::field field : kPassedToOrigin) {
    if (const auto it = context.request->find(field); it != context.request->end()) {
      // Single ranges only (SPEC §2): a multi-range request gets the whole body, as from the
      // filesystem, rather than the origin's multipart/byteranges.
      if (field == http::field::range &&
          std::string_view(it->value()).find(',') != std::string_view::npos) {
        continue;
      }
      fetch.request.headers.emplace_back(std::string(it->name_string()), std::string(it->value()));
    }
  }
}

}  // namespace

PhaseOutcome Locate(DownloadContext& context, const DownloadServices& services) {
  // Authenticate lets only requests for an existing repository through.
  if (context.repository == nullptr) return Reason::kInvalidCredentials;
  const ArtifactPath& artifact = context.route.artifact;
  context.path.assign(artifact.path);
  if (artifact.is_folder) context.path.append(context.path.empty() ? "index.html" : "/index.html");
  // An origin's artifacts count as found: scopes are checked on the path alone, before the
  // origin is contacted, and a missing artifact is the origin's 404 afterwards.
  // A damaged origin configuration is answered by fetch, after the policy had its say.
  context.at_origin = storage::StoredAtOrigin(*context.repository);
  if (context.at_origin) {
    context.found = true;
    if (const auto* origin = std::get_if<storage::HttpOriginConfig>(&context.repository->storage)) {
      PlanOriginFetch(context, *origin);
    }
    return kContinue;
  }
  absl::StatusOr<storage::ArtifactFile> file =
      services.files->Open(context.route.org, context.route.repo, context.path);
  context.found = file.ok();
  if (file.ok()) context.file.emplace(FileSlice{*std::move(file)});
  return kContinue;
}

}  // namespace tollgate::gateway
