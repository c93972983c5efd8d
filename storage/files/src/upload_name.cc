// Recognising an upload's temporary by its name.
#include "upload_name.h"

#include <algorithm>

#include "absl/strings/ascii.h"

namespace tollgate::storage {

bool IsUploadName(std::string_view name) {
  if (name.size() != kUploadPrefix.size() + kUploadSuffixLength ||
      !name.starts_with(std::string_view(kUploadPrefix.data(), kUploadPrefix.size()))) {
    return false;
  }
  const std::string_view suffix = name.substr(kUploadPrefix.size());
  return std::all_of(suffix.begin(), suffix.end(),
                     [](char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); });
}

}  // namespace tollgate::storage
