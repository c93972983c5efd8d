// libFuzzer target: any Authorization value is refused or read into a credential whose secret
// is not empty and holds no control character (so it can never smuggle a header line or a NUL).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/authorization_header.h"

namespace {

bool HasControl(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);
  const auto credential = tollgate::gateway::ParseAuthorization(value);
  if (!credential.ok()) return 0;
  if (credential->secret.empty()) std::abort();
  if (HasControl(credential->secret) || HasControl(credential->username)) std::abort();
  return 0;
}
