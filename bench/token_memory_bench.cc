// Memory of an instance's token cache (the EntitlementIndex every store answers from): the
// process's resident memory after loading 100,000, 500,000 and 1,000,000 tokens shaped like a
// vendor's (a customer name, metadata, a third with one shared package scope) and built as
// the stores decode them, the bytes each token costs, and how long loading took. Where those
// bytes go is in docs/benchmarks.md. Prints figures; asserts nothing.
// Usage: build/bench/tollgate_token_memory_bench [MAX_TOKENS]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "tollgate/base/concat.h"
#include "tollgate/policy/entitlement.h"
#include "tollgate/storage/index/entitlement_index.h"

namespace {

using tollgate::Concat;

// Resident set size in bytes, from /proc/self/statm.
size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0;
  size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

// `text` as the stores decode a field: a string of exactly its length. One grown by appends
// or assigned into a shorter one keeps up to twice its length, which no cached token holds.
std::string Decoded(std::string_view text) { return std::string(text); }

// Token `i`: 100 repositories, identifiers and secrets of the lengths the API makes.
std::shared_ptr<const tollgate::policy::Entitlement> MakeToken(int i) {
  auto token = std::make_shared<tollgate::policy::Entitlement>();
  char identifier[32];
  std::snprintf(identifier, sizeof identifier, "ent%017d", i);
  token->identifier = Decoded(identifier);
  token->org = "acme";
  token->repo = Decoded(Concat("repo-", i % 100));
  token->name = Decoded(Concat("customer-", i));
  token->token = Decoded(Concat("tg", identifier, "x9Q2mZ7vK4pL8sD3"));  // 40 characters
  token->limit_num_downloads = 100;
  token->metadata_json = Decoded(Concat("{\"customer_id\":", i, "}"));
  if (i % 3 == 0) {
    token->limit_package_query = "name:agent AND version:>=2.0";
    if (!tollgate::policy::CompileScopes(*token).ok()) std::abort();
  }
  token->created_at = absl::FromUnixSeconds(1'800'000'000 + i);
  token->updated_at = token->created_at;
  return token;
}

}  // namespace

int main(int argc, char** argv) {
  const int max_tokens = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
  tollgate::storage::EntitlementIndex index(std::string(32, 'k'));
  const size_t baseline = ResidentBytes();
  std::printf("token cache memory (EntitlementIndex), baseline RSS %.1f MiB\n",
              static_cast<double>(baseline) / (1 << 20));
  const auto started = std::chrono::steady_clock::now();
  int loaded = 0;
  for (const int checkpoint : {100'000, 500'000, 1'000'000}) {
    if (checkpoint > max_tokens) break;
    for (; loaded < checkpoint; ++loaded) index.Put(*MakeToken(loaded));
    const size_t resident = ResidentBytes();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf(
        "%9d tokens: RSS %7.1f MiB, %5.0f bytes/token above baseline, loaded in %.1f s"
        " (target for 1M: <= 512 MiB)\n",
        checkpoint, static_cast<double>(resident) / (1 << 20),
        static_cast<double>(resident - baseline) / checkpoint, seconds);
  }
  return 0;
}
