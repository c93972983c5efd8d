// What a package format is to tollgate (SPEC §5): its identity on a repository path, its index
// and metadata files, and its version order — one Format per folder of formats/, listed in the
// registry (registry.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tollgate/formats/byte_source.h"

namespace tollgate::formats {

enum class PackageFormat { kDeb, kRpm, kPython, kNpm, kMaven, kNuget, kRuby, kRaw };

struct PackageIdentity {
  PackageFormat format = PackageFormat::kRaw;
  std::string name;          // see SPEC §5: PEP 503-normalised for python, "@scope/name" for npm
  std::string version;       // empty for raw files
  std::string architecture;  // deb and rpm; empty otherwise
  std::string group;         // maven groupId, dotted ("com.example.tools"); empty otherwise
};

// One package format. Paths reach it split into their folder part `dir` ("pool/main/a", "" at
// the root) and file name `file`. Implementations are stateless singletons that override what
// their format has; every function is pure and never fails.
class Format {
 public:
  virtual ~Format() = default;

  virtual PackageFormat id() const = 0;
  // The SPEC name: "deb", "rpm", "python", "npm", "maven", "nuget", "ruby", "raw".
  virtual std::string_view name() const = 0;

  // True for this format's index and metadata files (apt's Release and lists, repodata/,
  // scoped packuments, maven-metadata.xml …), which carry no identity.
  // None by default.
  virtual bool IsIndexFile(std::string_view /*dir*/, std::string_view /*file*/) const {
    return false;
  }

  // First identification pass: the identity of a file whose extension this format owns
  // (".deb", ".rpm", ".whl", ".tgz", ".nupkg", ".gem") and whose name has its shape.
  virtual std::optional<PackageIdentity> IdentifyByExtension(std::string_view /*dir*/,
                                                             std::string_view /*file*/) const {
    return std::nullopt;
  }

  // Second pass, in registry order, after every format's first pass: formats whose files take
  // any extension (Maven) or share common ones (sdists' .tar.gz and .zip) recognise a file by
  // its shape alone.
  virtual std::optional<PackageIdentity> IdentifyByShape(std::string_view /*dir*/,
                                                         std::string_view /*file*/) const {
    return std::nullopt;
  }

  // What this format's views need to know about the package file at `path` with `identity`,
  // read from inside it (a wheel's METADATA, an npm tarball's package.json, a .deb's control),
  // as compact JSON; "" when the format has no view or needs nothing from inside. Bounded in
  // time and memory whatever the file holds; InvalidArgument when the file is damaged.
  virtual absl::StatusOr<std::string> ReadMetadata(std::string_view /*path*/,
                                                   const PackageIdentity& /*identity*/,
                                                   const ByteSource& /*file*/) const {
    return std::string();
  }

  // <0 when version `a` sorts before `b` in this format's order, 0 when equal, >0 otherwise.
  // Allocation-free (query matching runs it on the download path); malformed input is ordered
  // by a documented fallback.
  virtual int CompareVersions(std::string_view a, std::string_view b) const = 0;
};

}  // namespace tollgate::formats
