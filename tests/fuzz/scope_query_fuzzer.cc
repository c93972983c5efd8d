// libFuzzer target: the scope query parser must refuse or compile any text without
// crashing, and a compiled query must match fixed artifacts without crashing either.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tollgate/policy/scope_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tollgate::policy;
  using tollgate::formats::PackageFormat;
  using tollgate::formats::PackageIdentity;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const PackageIdentity kDeb{PackageFormat::kDeb, "agent", "1:2.1.0-1", "amd64", ""};
  static const PackageIdentity kWheel{PackageFormat::kPython, "agent", "2.0rc1", "", ""};
  static const PackageIdentity kRaw{PackageFormat::kRaw, "notes.txt", "", "", ""};
  for (QueryKind kind : {QueryKind::kPackage, QueryKind::kPath}) {
    absl::StatusOr<ScopeQuery> query = ScopeQuery::Compile(text, kind);
    if (!query.ok()) continue;
    query->Matches(kDeb, "pool/main/a/agent_1%3a2.1.0-1_amd64.deb");
    query->Matches(kWheel, "simple/agent/agent-2.0rc1-py3-none-any.whl");
    query->Matches(kRaw, "docs/notes.txt");
    // Deep enough that a matcher which backtracks exponentially over `**` exceeds the
    // per-input time limit of run_fuzzers.sh.
    query->Matches(kRaw, "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/notes.txt");
  }
  return 0;
}
