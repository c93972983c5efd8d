// A package-manager view (SPEC §7): the metadata one client needs, generated from the package
// files a credential may see. Views are pure: the gateway hands them the in-scope files and
// the URLs to point at, and sends what they answer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollgate/formats/package_file.h"

namespace tollgate::formats {

// Signs a view's document with the repository's OpenPGP key (apt's Release).
class ViewSigner {
 public:
  virtual ~ViewSigner() = default;
  virtual absl::StatusOr<std::string> ClearSign(std::string_view text) const = 0;
  virtual absl::StatusOr<std::string> DetachSign(std::string_view text) const = 0;
  virtual absl::StatusOr<std::string> PublicKey() const = 0;  // armored
};

struct ViewRequest {
  // The path below "-/{view}/", decoded and normalised ("" for the view's root); a trailing
  // '/' of the URL is `is_folder`. npm's "@scope%2fname" arrives as "@scope/name".
  std::string_view rest;
  bool is_folder = false;
  std::string_view variant;  // Variant() of the request's Accept header
  // Absolute URL of the view's root, ending in '/': "https://dl.example/basic/acme/agents/-/pypi/".
  std::string_view view_url;
  // Absolute URL of the repository's files for the same credential, ending in '/'.
  std::string_view files_url;
  // The in-scope package files of the view's format, ordered by path.
  std::span<const PackageFile* const> files;
  // When the catalog first saw its files as they are (a change moves it forward, a render of
  // the same files does not): a stable date for documents that carry one (apt's Release).
  // 0 when `files` is not set.
  int64_t files_as_of_unix_micros = 0;
  const ViewSigner* signer = nullptr;  // set when NeedsSigner
};

struct ViewAnswer {
  enum class Kind {
    kDocument,        // `body` of `content_type`
    kRepositoryFile,  // serve the repository file `target` as an ordinary download
    kRedirect,        // 301 to `target` (absolute URL)
    kNotFound,
  };
  Kind kind = Kind::kNotFound;
  std::string content_type;
  std::string body;
  std::string target;

  static ViewAnswer Document(std::string content_type, std::string body);
  static ViewAnswer RepositoryFile(std::string path);
  static ViewAnswer Redirect(std::string url);
  static ViewAnswer NotFound();
};

class PackageView {
 public:
  virtual ~PackageView() = default;
  // The URL segment after "-/": "pypi", "npm", "maven", "deb".
  virtual std::string_view name() const = 0;
  // Whose package files it lists.
  virtual PackageFormat format() const = 0;
  // Whether answering `request` needs the in-scope files (a generated document) rather than
  // naming a repository file. Lets the gateway skip filtering for plain file requests.
  virtual bool NeedsFiles(std::string_view rest, bool is_folder) const = 0;
  // The form of the answer the Accept header `accept` selects ("" where a view has one form):
  // documents are cached per variant rather than per header.
  virtual std::string_view Variant(std::string_view /*accept*/) const { return {}; }
  // Whether answering needs the repository's signer (the gateway then provides
  // ViewRequest::signer, and keeps the answer apart from another key's).
  virtual bool NeedsSigner(std::string_view /*rest*/, bool /*is_folder*/) const { return false; }
  // The answer; an error when a document cannot be produced (a signing failure).
  virtual absl::StatusOr<ViewAnswer> Answer(const ViewRequest& request) const = 0;
};

// The view named `name`, or nullptr.
const PackageView* FindView(std::string_view name);

}  // namespace tollgate::formats
