// View: the package-manager views of SPEC §7 under the reserved segment "-". A view either
// names a repository file (served as an ordinary download: located, decided and counted as
// one) or generates a document from the catalog, filtered by the credential's scopes —
// an index file, never counted.
#include "download/phases.h"
#include "download/view_renderer.h"
#include "http/client_address.h"
#include "http/conditional_request.h"
#include "http/header_value.h"
#include "observe/failure_log.h"
#include "observe/metrics.h"
#include "tollgate/base/concat.h"
#include "tollgate/formats/package_view.h"
#include "tollgate/policy/evaluate.h"
#include "tollgate/storage/artifact_source.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

constexpr std::string_view kViewCacheControl = "private, max-age=60";

// How long a repository's first view may wait for the catalog to index its folder (hashing
// every file once) before the connection is cut.
constexpr std::chrono::seconds kCatalogWait{120};

// A Host header as a URL may carry it: a name or address and a port, nothing else.
bool IsPlainHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' ||
                         c == ']';
    if (!allowed) return false;
  }
  return true;
}

// "https://dl.example/basic/acme/agents": --public-url (or the request's own scheme and Host)
// followed by the credential's URL form.
absl::StatusOr<std::string> RepositoryUrl(const DownloadContext& context,
                                          const DownloadServices& services, bool secure) {
  std::string url;
  if (!services.options.public_url.empty()) {
    url = services.options.public_url;
  } else {
    const std::string_view host = HeaderValue(*context.request, http::field::host);
    if (!IsPlainHost(host)) {
      return absl::InvalidArgumentError("the Host header must name a host to build view URLs");
    }
    url = Concat(secure ? "https://" : "http://", host);
  }
  switch (context.route.source) {
    case CredentialSource::kPathToken:
      // Validated by authentication: the token syntax needs no escaping.
      url += Concat("/", context.route.token);
      break;
    case CredentialSource::kBasic:
      url += "/basic";
      break;
    case CredentialSource::kPublic:
      url += "/public";
      break;
  }
  url += Concat("/", context.route.org, "/", context.route.repo);
  return url;
}

// Appends `field` with its length first, so that no two different field lists give one key.
void AppendKeyField(std::string& key, std::string_view field) {
  key += Concat(field.size(), ":", field, ";");
}

// An absent scope query is no scope at all, never the same as any query text.
void AppendQueryField(std::string& key, const std::optional<std::string>& query) {
  if (query) {
    AppendKeyField(key, *query);
  } else {
    key += "-;";
  }
}

// The key of an answer in the view cache: everything the answer depends on. The variant is
// what the view made of the Accept header, not the header itself, so no client can make each
// request its own cache entry. The snapshot's build time stands for its files' as-of time,
// which some documents carry.
std::string CacheKey(const DownloadContext& context, const storage::CatalogSnapshot& snapshot,
                     std::string_view view_url, std::string_view rest, bool is_folder,
                     std::string_view variant, std::string_view signing_key) {
  std::string key;
  for (std::string_view field :
       {view_url, rest, is_folder ? std::string_view("/") : std::string_view(), variant,
        signing_key}) {
    AppendKeyField(key, field);
  }
  key += Concat(absl::ToUnixMicros(snapshot.repository_created_at), ";", snapshot.generation, ";",
                absl::ToUnixMicros(snapshot.built_at), ";");
  if (const policy::Entitlement* entitlement = context.entitlement.get()) {
    AppendQueryField(key, entitlement->limit_package_query);
    AppendQueryField(key, entitlement->limit_path_query);
  } else {
    key += "account-or-public;";  // no scopes: sees every file
  }
  return key;
}

// The in-scope package files of `format` in `snapshot`, for `entitlement` (every file for an
// account or the public).
std::vector<const formats::PackageFile*> FilesInScope(const policy::Entitlement* entitlement,
                                                      const storage::CatalogSnapshot& snapshot,
                                                      formats::PackageFormat format) {
  std::vector<const formats::PackageFile*> files;
  for (const formats::PackageFile& file : snapshot.files) {
    if (file.identity.format != format || file.identity.name.empty()) continue;
    if (entitlement != nullptr && !policy::InScope(*entitlement, file.identity, file.path)) {
      continue;
    }
    files.push_back(&file);
  }
  return files;
}

// Everything a render reads, owned: it runs on the renderer's threads and must not point into
// the request's coroutine, which a closing server may destroy first.
struct RenderInput {
  const formats::PackageView* view = nullptr;
  std::string rest;
  bool is_folder = false;
  std::string variant;
  std::string view_url;
  std::string files_url;
  storage::EntitlementPtr entitlement;   // nullptr: no scopes
  storage::CatalogSnapshotPtr snapshot;  // nullptr: the answer names a file, needs none
  storage::RepositorySignerPtr signer;   // set when the view signs

  // On a render thread: the in-scope files filtered here too, since that walks every file.
  absl::StatusOr<formats::ViewAnswer> Answer() const {
    std::vector<const formats::PackageFile*> files;
    formats::ViewRequest request{.rest = rest,
                                 .is_folder = is_folder,
                                 .variant = variant,
                                 .view_url = view_url,
                                 .files_url = files_url,
                                 .files = {},
                                 .signer = signer.get()};
    if (snapshot != nullptr) {
      files = FilesInScope(entitlement.get(), *snapshot, view->format());
      request.files = files;
      request.files_as_of_unix_micros = absl::ToUnixMicros(snapshot->built_at);
    }
    return view->Answer(request);
  }
};

void AnswerWithDocument(DownloadContext& context, RenderedViewPtr view) {
  ResponseHead& head = context.head;
  head.Set("Cache-Control", kViewCacheControl);
  head.Set("Vary", "Accept, Authorization");
  head.Set("ETag", view->etag);
  if (IsNotModified(HeaderValue(*context.request, http::field::if_none_match), "",
                    Validators{view->etag, absl::InfinitePast()})) {
    head.set_status(http::status::not_modified);
    return;
  }
  head.set_status(http::status::ok);
  head.Set("Content-Type", view->content_type);
  head.set_content_length(view->body.size());
  context.document = std::move(view);
}

void AnswerWithRedirect(DownloadContext& context, std::string_view location) {
  context.head.set_status(http::status::moved_permanently);
  context.head.Set("Location", location);
  context.head.Set("Cache-Control", kViewCacheControl);
  context.head.set_content_length(0);
}

// Serves repository file `path` as the ordinary download it is.
PhaseOutcome ServeRepositoryFile(DownloadContext& context, const DownloadServices& services,
                                 std::string_view path) {
  // "pool/-/…" of the apt view, say: the views' own folder is never a repository file.
  if (storage::IsReservedForViews(path)) return Reason::kNotFound;
  context.view_document = false;
  context.is_index_file = false;
  context.found = false;
  context.route.artifact.path.assign(path);
  context.route.artifact.is_folder = false;
  if (PhaseOutcome refused = Locate(context, services)) return refused;
  return Decide(context, services);
}

// The signer of the request's repository into `signer`, read off the download loop; a
// denial when there is none.
boost::asio::awaitable<PhaseOutcome> FindSigner(DownloadContext& context,
                                                const DownloadServices& services,
                                                storage::RepositorySignerPtr& signer) {
  if (services.signers == nullptr) {
    context.denial_detail.assign("this server signs no package-manager views");
    co_return Reason::kStoreUnavailable;
  }
  absl::StatusOr<storage::RepositorySignerPtr> found =
      co_await services.signers->SignerOf(context.repository);
  if (absl::IsNotFound(found.status())) co_return Reason::kNotFound;
  const std::string subject = Concat("signing key ", context.route.org, "/", context.route.repo);
  if (!found.ok()) {
    metrics::RecordStoreError();
    Failures().Failed(subject, "signing_key_unreadable",
                      {{"error", ToStd(found.status().message())}});
    context.denial_detail.assign("the repository's signing key could not be read");
    co_return Reason::kStoreUnavailable;
  }
  Failures().Succeeded(subject);
  signer = *std::move(found);
  co_return kContinue;
}

}  // namespace

bool IsViewRequest(const DownloadContext& context) {
  return storage::IsReservedForViews(context.route.artifact.path);
}

boost::asio::awaitable<PhaseOutcome> AnswerView(DownloadContext& context,
                                                const DownloadServices& services, bool secure,
                                                ConnectionDeadline& deadline) {
  std::string_view rest = context.route.artifact.path;
  rest.remove_prefix(std::min<size_t>(rest.size(), 2));
  const size_t slash = rest.find('/');
  const formats::PackageView* view = formats::FindView(rest.substr(0, slash));
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  const bool is_folder = context.route.artifact.is_folder;
  if (view == nullptr) co_return Reason::kNotFound;

  // The credential may read index files at all (active, in its dates, its user still reads).
  context.path.assign(context.route.artifact.path);
  context.found = true;
  context.view_document = true;
  if (PhaseOutcome refused = Decide(context, services)) co_return refused;

  absl::StatusOr<std::string> repository_url = RepositoryUrl(context, services, secure);
  if (!repository_url.ok()) {
    context.denial_detail.assign(ToStd(repository_url.status().message()));
    co_return Reason::kBadRequest;
  }
  auto input = std::make_shared<RenderInput>();
  input->view = view;
  input->rest.assign(rest);
  input->is_folder = is_folder;
  input->variant.assign(view->Variant(HeaderValue(*context.request, http::field::accept)));
  input->view_url = Concat(*repository_url, "/-/", view->name(), "/");
  input->files_url = Concat(*repository_url, "/");
  input->entitlement = context.entitlement;
  // The signer first: what it signs is cached under its key, so a replaced key signs the
  // next answer rather than a cached one.
  if (view->NeedsSigner(rest, is_folder)) {
    if (PhaseOutcome refused = co_await FindSigner(context, services, input->signer)) {
      co_return refused;
    }
  }
  // Answers built from the catalog are rendered off the loop and cached; one that needs no
  // files (it names a file, or is the signer's public key) is cheap and answered here.
  absl::StatusOr<RenderedViewPtr> answer = absl::UnknownError("not answered");
  if (view->NeedsFiles(rest, is_folder)) {
    deadline.Arm(kCatalogWait);
    input->snapshot = co_await services.catalog->Snapshot(context.repository);
    std::string key =
        CacheKey(context, *input->snapshot, input->view_url, rest, is_folder, input->variant,
                 input->signer != nullptr ? std::string_view(input->signer->fingerprint()) : "");
    answer = services.views->Cached(key);
    if (*answer == nullptr) {
      // Public requests carry no client key yet; the renderer shares its work out by client.
      std::string client = context.client;
      if (client.empty()) {
        client =
            RequestClientKey(*context.request, context.peer, services.options.client_header,
                             services.options.settings->trusted_proxies(), context.forwarded_chain);
      }
      ViewRenderer::RenderFunction render = [input] { return input->Answer(); };
      answer =
          co_await services.views->Render(std::move(key), std::move(client), std::move(render));
    }
  } else {
    absl::StatusOr<formats::ViewAnswer> answered = input->Answer();
    if (answered.ok() && answered->kind == formats::ViewAnswer::Kind::kRepositoryFile) {
      co_return ServeRepositoryFile(context, services, answered->target);
    }
    if (answered.ok()) {
      answer = ToRenderedView(*std::move(answered));
    } else {
      answer = answered.status();
    }
  }
  if (absl::IsResourceExhausted(answer.status())) {
    context.head.Set("Retry-After", "1");
    context.denial_detail.assign(
        "Too many package-manager views are being generated; retry shortly.");
    co_return Reason::kServerBusy;
  }
  const std::string subject = Concat("views ", context.route.org, "/", context.route.repo);
  if (!answer.ok()) {
    // The cause (a store's or the signing library's words) is for the operator, not the client.
    Failures().Failed(subject, "view_failed", {{"error", ToStd(answer.status().message())}});
    context.denial_detail.assign("the package-manager view could not be generated");
    co_return Reason::kStoreUnavailable;
  }
  Failures().Succeeded(subject);
  const RenderedViewPtr& rendered = *answer;
  switch (rendered->kind) {
    case formats::ViewAnswer::Kind::kDocument:
      AnswerWithDocument(context, rendered);
      co_return kContinue;
    case formats::ViewAnswer::Kind::kRepositoryFile:
      co_return ServeRepositoryFile(context, services, rendered->target);
    case formats::ViewAnswer::Kind::kRedirect:
      AnswerWithRedirect(context, rendered->target);
      co_return kContinue;
    case formats::ViewAnswer::Kind::kNotFound:
      break;
  }
  co_return Reason::kNotFound;
}

}  // namespace tollgate::gateway
