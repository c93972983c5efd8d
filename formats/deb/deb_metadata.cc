#include "deb/deb_metadata.h"

#include <array>
#include <vector>

#include "boost/json.hpp"
#include "common/archive_member.h"
#include "common/header_fields.h"
#include "common/scan.h"
#include "deb/control_fields.h"
#include "tollgate/base/concat.h"

namespace tollgate::formats {
namespace {

// control.tar holds the control file, maintainer scripts and md5sums; the md5sums of a
// package with tens of thousands of files stay well below this compressed.
constexpr size_t kMaxControlTarBytes = 8 << 20;
// A control paragraph is a few KiB; long descriptions and dependency lists stay far below.
constexpr size_t kMaxControlBytes = 64 << 10;

constexpr std::string_view kControlKey = "control";

bool IsControlTar(std::string_view member) {
  constexpr std::array<std::string_view, 4> kNames{"control.tar", "control.tar.gz",
                                                   "control.tar.xz", "control.tar.zst"};
  for (std::string_view name : kNames) {
    if (member == name) return true;
  }
  return false;
}

bool IsControlFile(std::string_view member) { return member == "./control" || member == "control"; }

// "E:version" for a file name's `version` that carries no epoch of its own.
bool IsVersionWithEpoch(std::string_view control_version, std::string_view name_version) {
  const size_t colon = control_version.find(':');
  if (colon == std::string_view::npos || colon == 0 ||
      name_version.find(':') != std::string_view::npos) {
    return false;
  }
  for (char c : control_version.substr(0, colon)) {
    if (!IsDigit(c)) return false;
  }
  return control_version.substr(colon + 1) == name_version;
}

absl::Status CheckAgainstFileName(const std::vector<ControlField>& fields,
                                  const PackageIdentity& identity) {
  const std::string_view package = ControlValue(fields, "Package");
  const std::string_view version = ControlValue(fields, "Version");
  const std::string_view architecture = ControlValue(fields, "Architecture");
  if (package.empty() || version.empty() || architecture.empty()) {
    return absl::InvalidArgumentError("the control file lacks Package, Version or Architecture");
  }
  // Scopes are decided on the file name: what apt is told must be the package they decided on.
  if (package != identity.name || architecture != identity.architecture ||
      (version != identity.version && !IsVersionWithEpoch(version, identity.version))) {
    return absl::InvalidArgumentError(Concat("the control file describes ", package, " ", version,
                                             " (", architecture, "), not the file's ",
                                             identity.name, " ", identity.version, " (",
                                             identity.architecture, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadDebMetadata(const PackageIdentity& identity,
                                            const ByteSource& file) {
  absl::StatusOr<std::optional<std::string>> control_tar =
      ReadArchiveMember(file, IsControlTar, kMaxControlTarBytes);
  if (!control_tar.ok()) return control_tar.status();
  if (!*control_tar) return absl::InvalidArgumentError("the .deb has no control.tar member");
  absl::StatusOr<std::optional<std::string>> control =
      ReadArchiveMember(**control_tar, IsControlFile, kMaxControlBytes);
  if (!control.ok()) return control.status();
  if (!*control) return absl::InvalidArgumentError("the .deb's control.tar has no control file");

  // Lines as apt writes them: "\r\n" (which FirstParagraph reads as a line end) becomes "\n".
  std::string paragraph;
  for (std::string_view rest = FirstParagraph(**control); !rest.empty();) {
    const size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    if (line.ends_with('\r')) line.remove_suffix(1);
    AppendTo(paragraph, line, "\n");
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
  }
  absl::StatusOr<std::vector<ControlField>> fields = SplitControlFields(paragraph);
  if (!fields.ok()) return fields.status();
  if (absl::Status distinct = CheckFieldsAreDistinct(*fields); !distinct.ok()) return distinct;
  if (absl::Status matches = CheckAgainstFileName(*fields, identity); !matches.ok()) {
    return matches;
  }
  return boost::json::serialize(boost::json::object{{kControlKey, paragraph}});
}

std::optional<std::string> ControlParagraphOf(std::string_view metadata) {
  if (metadata.empty()) return std::nullopt;
  boost::system::error_code error;
  const boost::json::value facts = boost::json::parse(metadata, error);
  if (error || !facts.is_object()) return std::nullopt;
  const boost::json::value* control = facts.as_object().if_contains(kControlKey);
  if (control == nullptr || !control->is_string()) return std::nullopt;
  return std::string(control->get_string());
}

}  // namespace tollgate::formats
