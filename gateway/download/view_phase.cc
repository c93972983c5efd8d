// View: the package-manager views of SPEC §7 under the reserved segment "-". A view either
// names a repository file (served as an ordinary download: located, decided and counted as
// one) or generates a document from the catalog, filtered by the credential's scopes —
// an index file, never counted.
#include "download/phases.h"
#include "download/view_cache.h"
#include "http/conditional_request.h"
#include "http/header_value.h"
#include "tollgate/base/concat.h"
#include "tollgate/formats/package_view.h"
#include "tollgate/policy/evaluate.h"
#include "tollgate/storage/sha256.h"

namespace tollgate::gateway {
namespace http = boost::beast::http;
using policy::Reason;

namespace {

// The longest Accept header a cached document is kept for; longer ones are rendered each time.
constexpr size_t kMaxCachedAccept = 512;

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

// The key of a document in the view cache: everything the document depends on. The
// snapshot's build time stands for its files' as-of time, which some documents carry.
std::string CacheKey(const DownloadContext& context, const storage::CatalogSnapshot& snapshot,
                     std::string_view view_url, std::string_view rest, bool is_folder,
                     std::string_view accept, std::string_view signing_key) {
  std::string key;
  for (std::string_view field :
       {view_url, rest, is_folder ? std::string_view("/") : std::string_view(), accept,
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

// The in-scope package files of `format` in `snapshot`, for the requesting credential.
std::vector<const formats::PackageFile*> FilesInScope(const DownloadContext& context,
                                                      const storage::CatalogSnapshot& snapshot,
                                                      formats::PackageFormat format) {
  std::vector<const formats::PackageFile*> files;
  for (const formats::PackageFile& file : snapshot.files) {
    if (file.identity.format != format || file.identity.name.empty()) continue;
    if (context.entitlement != nullptr &&
        !policy::InScope(*context.entitlement, file.identity, file.path)) {
      continue;
    }
    files.push_back(&file);
  }
  return files;
}

RenderedViewPtr Render(formats::ViewAnswer&& answer) {
  auto rendered = std::make_shared<RenderedView>();
  rendered->etag = Concat("\"", storage::Sha256Hex(answer.body).substr(0, 32), "\"");
  rendered->content_type = std::move(answer.content_type);
  rendered->body = std::move(answer.body);
  return rendered;
}

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
  if (!found.ok()) {
    context.denial_detail =
        Concat("the repository's signing key could not be read: ", ToStd(found.status().message()));
    co_return Reason::kStoreUnavailable;
  }
  signer = *std::move(found);
  co_return kContinue;
}

}  // namespace

bool IsViewRequest(const DownloadContext& context) {
  const std::string_view path = context.route.artifact.path;
  return path == "-" || path.starts_with("-/");
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
  const std::string files_url = Concat(*repository_url, "/");
  const std::string view_url = Concat(*repository_url, "/-/", view->name(), "/");
  formats::ViewRequest request{.rest = rest,
                               .is_folder = is_folder,
                               .accept = HeaderValue(*context.request, http::field::accept),
                               .view_url = view_url,
                               .files_url = files_url,
                               .files = {},
                               .signer = nullptr};
  // The signer first: what it signs is cached under its key, so a replaced key signs the
  // next answer rather than a cached one.
  const bool signs = view->NeedsSigner(rest, is_folder);
  storage::RepositorySignerPtr signer;
  if (signs) {
    if (PhaseOutcome refused = co_await FindSigner(context, services, signer)) co_return refused;
    request.signer = signer.get();
  }
  // Documents built from the catalog are cached; requests that name a file need no files.
  std::string key;
  // Holds the files `request.files` points into until the answer is rendered: the catalog
  // may replace its snapshot at any time.
  storage::CatalogSnapshotPtr snapshot;
  std::vector<const formats::PackageFile*> files;
  if (view->NeedsFiles(rest, is_folder)) {
    deadline.Arm(kCatalogWait);
    snapshot = co_await services.catalog->Snapshot(context.repository);
    if (request.accept.size() <= kMaxCachedAccept) {
      key = CacheKey(context, *snapshot, view_url, rest, is_folder, request.accept,
                     signer != nullptr ? std::string_view(signer->fingerprint()) : "");
      if (RenderedViewPtr cached = services.view_cache->Find(key)) {
        AnswerWithDocument(context, std::move(cached));
        co_return kContinue;
      }
    }
    files = FilesInScope(context, *snapshot, view->format());
    request.files = files;
    request.files_as_of_unix_micros = absl::ToUnixMicros(snapshot->built_at);
  }
  // What signs runs on the signers' thread: a signature may take 150 ms (an RSA key).
  std::function<absl::StatusOr<formats::ViewAnswer>()> answer_request = [view, &request] {
    return view->Answer(request);
  };
  // Not a conditional expression: GCC 12 mishandles a co_await inside one.
  absl::StatusOr<formats::ViewAnswer> answer = absl::UnknownError("not answered");
  if (signs) {
    answer = co_await services.signers->Run(std::move(answer_request));
  } else {
    answer = answer_request();
  }
  if (!answer.ok()) {
    context.denial_detail.assign(ToStd(answer.status().message()));
    co_return Reason::kStoreUnavailable;
  }
  switch (answer->kind) {
    case formats::ViewAnswer::Kind::kDocument: {
      RenderedViewPtr rendered = Render(*std::move(answer));
      if (!key.empty()) services.view_cache->Insert(std::move(key), rendered);
      AnswerWithDocument(context, std::move(rendered));
      co_return kContinue;
    }
    case formats::ViewAnswer::Kind::kRepositoryFile:
      co_return ServeRepositoryFile(context, services, answer->target);
    case formats::ViewAnswer::Kind::kRedirect:
      AnswerWithRedirect(context, answer->target);
      co_return kContinue;
    case formats::ViewAnswer::Kind::kNotFound:
      break;
  }
  co_return Reason::kNotFound;
}

}  // namespace tollgate::gateway
