// The fields of a Debian control paragraph (deb822): what a .deb's control file holds and what
// a stanza of apt's Packages is made of. Read strictly, because a paragraph is copied into
// Packages as written: a line apt cannot parse there would break the whole index.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tollgate::formats {

// One field: its name and its lines as written ("Name: value\n continued\n"); only the last
// field of a paragraph that does not end in '\n' lacks it.
struct ControlField {
  std::string_view name;
  std::string_view lines;
};

// The fields of `paragraph`, whose lines end in "\n" (the last one may not). InvalidArgument
// naming the line when a line is neither a field nor a continuation of one (an empty line, a
// comment, a name deb822 does not allow), or holds a control character other than tab.
// The fields point into `paragraph`.
absl::StatusOr<std::vector<ControlField>> SplitControlFields(std::string_view paragraph);

// InvalidArgument naming the field when `fields` gives one field twice (in any case): apt
// takes one value per field, and which one a duplicate would mean is anybody's guess.
absl::Status CheckFieldsAreDistinct(const std::vector<ControlField>& fields);

// The value of field `name` (ASCII case ignored) of `fields`, its first line trimmed; "" when
// absent.
std::string_view ControlValue(const std::vector<ControlField>& fields, std::string_view name);

}  // namespace tollgate::formats
