// Every document is a function of the files and their as-of time alone, so Release, rendered
// on its own, lists the very bytes of the Packages and Packages.gz served for the same files.
#include "deb/deb_view.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <vector>

#include "common/gzip.h"
#include "deb/control_fields.h"
#include "deb/deb_format.h"
#include "deb/deb_metadata.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/message_digest.h"
#include "tollgate/base/text.h"

namespace tollgate::formats {
namespace {

constexpr std::string_view kTextType = "text/plain; charset=utf-8";
constexpr std::string_view kPoolPrefix = "pool/";

// Fields that describe the file in the pool: the view writes its own, from the catalog.
constexpr std::array<std::string_view, 6> kPoolFields{"Filename", "Size",   "MD5sum",
                                                      "SHA1",     "SHA256", "SHA512"};

bool IsPoolField(std::string_view name) {
  for (std::string_view pool_field : kPoolFields) {
    if (EqualsIgnoreCase(name, pool_field)) return true;
  }
  return false;
}

// A path apt can be given as a Filename: a line break or other control byte would end the
// field (or the stanza) early.
bool IsListablePath(std::string_view path) {
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return false;
  }
  return !path.empty();
}

struct Stanza {
  const PackageFile* file;
  std::string control;
};

// The listable files with their control paragraphs, by package name, then dpkg's version
// order, then architecture; files that tie keep their path order.
std::vector<Stanza> StanzasOf(std::span<const PackageFile* const> files) {
  std::vector<Stanza> stanzas;
  for (const PackageFile* file : files) {
    if (!IsListablePath(file->path)) continue;
    std::optional<std::string> control = ControlParagraphOf(file->metadata);
    if (control) stanzas.push_back(Stanza{file, *std::move(control)});
  }
  std::stable_sort(stanzas.begin(), stanzas.end(), [](const Stanza& a, const Stanza& b) {
    const PackageIdentity& x = a.file->identity;
    const PackageIdentity& y = b.file->identity;
    if (x.name != y.name) return x.name < y.name;
    if (const int c = CompareDebianVersions(x.version, y.version); c != 0) return c < 0;
    return x.architecture < y.architecture;
  });
  return stanzas;
}

std::string RenderPackages(std::span<const PackageFile* const> files) {
  std::string out;
  for (const Stanza& stanza : StanzasOf(files)) {
    // Read strictly when it was stored; a record that no longer reads is left out.
    absl::StatusOr<std::vector<ControlField>> fields = SplitControlFields(stanza.control);
    if (!fields.ok()) continue;
    for (const ControlField& field : *fields) {
      if (IsPoolField(field.name)) continue;
      out += field.lines;
      if (!field.lines.ends_with('\n')) out += '\n';
    }
    const PackageFile& file = *stanza.file;
    AppendTo(out, "Filename: ", kPoolPrefix, file.path, "\nSize: ", file.size, "\n");
    // Records of earlier versions have no SHA-1 or SHA-512; SHA-256 they all have.
    if (!file.sha1.empty()) AppendTo(out, "SHA1: ", file.sha1, "\n");
    AppendTo(out, "SHA256: ", file.sha256, "\n");
    if (!file.sha512.empty()) AppendTo(out, "SHA512: ", file.sha512, "\n");
    out += '\n';
  }
  return out;
}

// RFC 2822 in UTC, as apt-ftparchive writes Release's Date ("Sat, 05 Dec 2026 20:00:00 UTC").
std::string ReleaseDate(int64_t unix_micros) {
  using std::chrono::days;
  using std::chrono::floor;
  using std::chrono::microseconds;
  using std::chrono::sys_days;
  static constexpr std::array<std::string_view, 7> kWeekdays{"Sun", "Mon", "Tue", "Wed",
                                                             "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::sys_time<microseconds> time{microseconds(unix_micros)};
  const sys_days day = floor<days>(time);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss clock(floor<std::chrono::seconds>(time - day));
  char text[64];
  std::snprintf(
      text, sizeof text, "%s, %02u %s %d %02d:%02d:%02d UTC",
      kWeekdays[std::chrono::weekday(day).c_encoding()].data(), static_cast<unsigned>(date.day()),
      kMonths[static_cast<unsigned>(date.month()) - 1].data(), static_cast<int>(date.year()),
      static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
      static_cast<int>(clock.seconds().count()));
  return text;
}

// What `apt-ftparchive release` writes for a flat repository: the date and each index file's
// digest and size. No Suite or Codename (a flat repository's sources line names none, so apt
// checks none); no Architectures (apt then takes every stanza of Packages as it is); no
// Valid-Until (a repository that stops changing must not stop working).
std::string RenderRelease(const ViewRequest& request) {
  struct Listed {
    std::string_view name;
    std::string bytes;
  };
  std::array<Listed, 2> listed{Listed{"Packages", RenderPackages(request.files)}, Listed{}};
  listed[1] = Listed{"Packages.gz", Gzip(listed[0].bytes)};
  struct Digest {
    std::string_view label;
    MessageDigest::Algorithm algorithm;
  };
  constexpr std::array<Digest, 2> kDigests{Digest{"SHA256", MessageDigest::Algorithm::kSha256},
                                           Digest{"SHA512", MessageDigest::Algorithm::kSha512}};
  std::string out = Concat("Date: ", ReleaseDate(request.files_as_of_unix_micros), "\n");
  for (const Digest& digest : kDigests) {
    AppendTo(out, digest.label, ":\n");
    for (const Listed& file : listed) {
      char size[24];
      std::snprintf(size, sizeof size, "%16zu", file.bytes.size());
      AppendTo(out, " ", HexDigestOf(digest.algorithm, file.bytes), " ", size, " ", file.name,
               "\n");
    }
  }
  return out;
}

absl::StatusOr<ViewAnswer> Signed(absl::StatusOr<std::string> text, std::string_view type) {
  if (!text.ok()) {
    return absl::Status(text.status().code(), Concat("the repository's signing key did not sign: ",
                                                     ToStd(text.status().message())));
  }
  return ViewAnswer::Document(std::string(type), *std::move(text));
}

bool IsIndexDocument(std::string_view rest) {
  return rest == "Packages" || rest == "Packages.gz" || rest == "Release" || rest == "InRelease" ||
         rest == "Release.gpg";
}

class Deb final : public PackageView {
 public:
  std::string_view name() const override { return "deb"; }
  PackageFormat format() const override { return PackageFormat::kDeb; }
  bool NeedsFiles(std::string_view rest, bool is_folder) const override {
    return !is_folder && IsIndexDocument(rest);
  }
  bool NeedsSigner(std::string_view rest, bool is_folder) const override {
    return !is_folder && (rest == "InRelease" || rest == "Release.gpg" || rest == "key.asc");
  }
  absl::StatusOr<ViewAnswer> Answer(const ViewRequest& request) const override {
    const std::string_view rest = request.rest;
    if (request.is_folder) return ViewAnswer::NotFound();
    if (rest.starts_with(kPoolPrefix) && rest.size() > kPoolPrefix.size()) {
      return ViewAnswer::RepositoryFile(std::string(rest.substr(kPoolPrefix.size())));
    }
    if (rest == "Packages")
      return ViewAnswer::Document(std::string(kTextType), RenderPackages(request.files));
    if (rest == "Packages.gz") {
      return ViewAnswer::Document("application/gzip", Gzip(RenderPackages(request.files)));
    }
    if (rest == "Release")
      return ViewAnswer::Document(std::string(kTextType), RenderRelease(request));
    if (!NeedsSigner(rest, false)) return ViewAnswer::NotFound();
    if (request.signer == nullptr) {
      return absl::FailedPreconditionError("no signing key was provided for the apt view");
    }
    if (rest == "InRelease")
      return Signed(request.signer->ClearSign(RenderRelease(request)), kTextType);
    if (rest == "Release.gpg") {
      return Signed(request.signer->DetachSign(RenderRelease(request)),
                    "application/pgp-signature");
    }
    absl::StatusOr<std::string> key = request.signer->PublicKey();
    if (!key.ok()) return key.status();
    return ViewAnswer::Document("application/pgp-keys", *std::move(key));
  }
};

}  // namespace

const PackageView& DebView() {
  static const Deb view;
  return view;
}

}  // namespace tollgate::formats
