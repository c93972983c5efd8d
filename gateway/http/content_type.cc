// Extension-to-media-type table for the package formats tollgate serves (SPEC §5).
#include "http/content_type.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"

namespace tollgate::gateway {
namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";
constexpr std::string_view kText = "text/plain; charset=utf-8";
constexpr std::string_view kHtml = "text/html; charset=utf-8";
constexpr std::string_view kDebian = "application/vnd.debian.binary-package";
constexpr std::string_view kGzip = "application/gzip";
constexpr std::string_view kJavaArchive = "application/java-archive";
constexpr std::string_view kXml = "application/xml";
constexpr std::string_view kPgpSignature = "application/pgp-signature";

struct Extension {
  std::string_view suffix;  // lower case, without the leading dot
  std::string_view type;
};

// Sorted by suffix for binary search. Formats without a registered type (.gem, .nupkg) are
// left to the octet-stream default, which is also what rubygems.org and nuget.org send.
constexpr std::array kExtensions = {
    Extension{"asc", kText},
    Extension{"bz2", "application/x-bzip2"},
    Extension{"ddeb", kDebian},
    Extension{"deb", kDebian},
    Extension{"gpg", kPgpSignature},
    Extension{"gz", kGzip},
    Extension{"htm", kHtml},
    Extension{"html", kHtml},
    Extension{"jar", kJavaArchive},
    Extension{"json", "application/json"},
    Extension{"md5", kText},
    Extension{"pom", kXml},
    Extension{"rpm", "application/x-rpm"},
    Extension{"sha1", kText},
    Extension{"sha256", kText},
    Extension{"sha512", kText},
    Extension{"sig", kPgpSignature},
    Extension{"tar", "application/x-tar"},
    Extension{"tgz", kGzip},
    Extension{"txt", kText},
    Extension{"udeb", kDebian},
    Extension{"war", kJavaArchive},
    Extension{"whl", "application/zip"},
    // PEP 658 core metadata beside a wheel: text, though ".metadata" alone is too vague to map.
    Extension{"whl.metadata", kText},
    Extension{"xml", kXml},
    Extension{"xz", "application/x-xz"},
    Extension{"zip", "application/zip"},
    Extension{"zst", "application/zstd"},
};
static_assert(std::ranges::is_sorted(kExtensions, {}, &Extension::suffix));

// Debian archive indexes have fixed names and no extension (their .gz/.xz forms do).
constexpr std::array<std::string_view, 4> kDebianIndexes = {"InRelease", "Packages", "Release",
                                                            "Sources"};

// Three-way comparison of `s`, lower-cased, with the lower-case table key `key`, without
// copying `s`. Bytes compare unsigned, as std::string_view does, so the table order holds.
int CompareIgnoringCase(std::string_view s, std::string_view key) {
  const size_t n = std::min(s.size(), key.size());
  for (size_t i = 0; i < n; ++i) {
    const auto a =
        static_cast<unsigned char>(absl::ascii_tolower(static_cast<unsigned char>(s[i])));
    const auto b = static_cast<unsigned char>(key[i]);
    if (a != b) return a < b ? -1 : 1;
  }
  return s.size() == key.size() ? 0 : (s.size() < key.size() ? -1 : 1);
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (std::ranges::find(kDebianIndexes, name) != kDebianIndexes.end()) return kText;
  // Each dot after the first character starts a candidate suffix, longest first; a leading
  // dot marks a hidden file, not an extension.
  for (size_t dot = name.find('.', 1); dot != std::string_view::npos;
       dot = name.find('.', dot + 1)) {
    const std::string_view suffix = name.substr(dot + 1);
    const auto* it = std::lower_bound(kExtensions.begin(), kExtensions.end(), suffix,
                                      [](const Extension& e, std::string_view s) {
                                        return CompareIgnoringCase(s, e.suffix) > 0;
                                      });
    if (it != kExtensions.end() && CompareIgnoringCase(suffix, it->suffix) == 0) return it->type;
  }
  return kOctetStream;
}

}  // namespace tollgate::gateway
