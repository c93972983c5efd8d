#include "deb/control_fields.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "tollgate/base/concat.h"
#include "tollgate/base/text.h"

namespace tollgate::formats {
namespace {

// deb822: US-ASCII from '!' to '~' without ':', not starting with '#' or '-'.
bool IsFieldName(std::string_view name) {
  if (name.empty() || name.front() == '#' || name.front() == '-') return false;
  for (char c : name) {
    if (c < '!' || c > '~' || c == ':') return false;
  }
  return true;
}

bool HasControlCharacter(std::string_view line) {
  for (char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::vector<ControlField>> SplitControlFields(std::string_view paragraph) {
  std::vector<ControlField> fields;
  size_t line_number = 0;
  for (size_t start = 0; start < paragraph.size();) {
    ++line_number;
    const size_t newline = paragraph.find('\n', start);
    const size_t end = newline == std::string_view::npos ? paragraph.size() : newline + 1;
    const std::string_view line = paragraph.substr(start, end - start);
    const std::string_view content = line.ends_with('\n') ? line.substr(0, line.size() - 1) : line;
    if (HasControlCharacter(content)) {
      return absl::InvalidArgumentError(
          Concat("control line ", line_number, " holds a control character"));
    }
    if (TrimWhitespace(content).empty()) {
      return absl::InvalidArgumentError(Concat("control line ", line_number, " is empty"));
    }
    if (content.front() == ' ' || content.front() == '\t') {
      if (fields.empty()) {
        return absl::InvalidArgumentError("the control paragraph starts with a continuation line");
      }
      // Fields are contiguous: extend the last one over its continuation line.
      ControlField& last = fields.back();
      last.lines = std::string_view(last.lines.data(), last.lines.size() + line.size());
    } else {
      const size_t colon = content.find(':');
      if (colon == std::string_view::npos || !IsFieldName(content.substr(0, colon))) {
        return absl::InvalidArgumentError(
            Concat("control line ", line_number, " is not a field (Name: value)"));
      }
      fields.push_back(ControlField{content.substr(0, colon), line});
    }
    start = end;
  }
  return fields;
}

absl::Status CheckFieldsAreDistinct(const std::vector<ControlField>& fields) {
  absl::flat_hash_set<std::string> names;  // lowercased: names are case-insensitive
  for (const ControlField& field : fields) {
    std::string name(field.name);
    for (char& c : name) c = ToLowerAscii(c);
    if (!names.insert(std::move(name)).second) {
      return absl::InvalidArgumentError(Concat("control field ", field.name, " is given twice"));
    }
  }
  return absl::OkStatus();
}

std::string_view ControlValue(const std::vector<ControlField>& fields, std::string_view name) {
  for (const ControlField& field : fields) {
    if (!EqualsIgnoreCase(field.name, name)) continue;
    std::string_view first_line = field.lines.substr(field.name.size() + 1);
    first_line = first_line.substr(0, first_line.find('\n'));
    return TrimWhitespace(first_line);
  }
  return {};
}

}  // namespace tollgate::formats
