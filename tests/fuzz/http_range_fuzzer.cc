// libFuzzer target: for any Range header and body size, a partial answer lies inside the body
// and its Content-Range can be written. The first 8 bytes are the body size.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "http/http_range.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < sizeof(uint64_t)) return 0;
  uint64_t body_size = 0;
  std::memcpy(&body_size, data, sizeof body_size);
  const std::string_view header(reinterpret_cast<const char*>(data) + sizeof body_size,
                                size - sizeof body_size);
  const tollgate::gateway::RangeDecision decision =
      tollgate::gateway::DecideRange(header, body_size);
  if (decision.outcome == tollgate::gateway::RangeOutcome::kPartial) {
    if (decision.range.first > decision.range.last || decision.range.last >= body_size) {
      std::abort();
    }
    if (tollgate::gateway::ContentRangeHeader(decision.range, body_size).empty()) std::abort();
  }
  return 0;
}
