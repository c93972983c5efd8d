// The scope query language of SPEC §5.1 (`limit_package_query`, `limit_path_query`):
// compiled once per token, then matched against every download without allocating.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tollgate/formats/package_format.h"

namespace tollgate::policy {

// Which query a text is: it decides the field a bare term means (name, or path).
enum class QueryKind { kPackage, kPath };

class ScopeQuery {
 public:
  // Parses `text`. InvalidArgument "position N: why" (N counts characters from 1) when it
  // does not parse; an empty query is an error too (use no query to allow everything).
  static absl::StatusOr<ScopeQuery> Compile(std::string_view text, QueryKind kind);

  // Whether the package at repository-relative `path` with `identity` is inside the scope.
  // Allocation-free.
  bool Matches(const formats::PackageIdentity& identity, std::string_view path) const;

  enum class Field : uint8_t { kName, kVersion, kFormat, kFilename, kPath, kArchitecture, kGroup };
  enum class Op : uint8_t { kEq, kNe, kGt, kGe, kLt, kLe, kContains, kCompatible };

 private:
  struct Term {
    Field field;
    Op op;
    std::string value;
    bool has_wildcards = false;
    std::string upper_bound;  // for ~=: the first version no longer compatible
  };
  struct Node {
    enum class Kind : uint8_t { kTerm, kAnd, kOr, kNot } kind;
    uint32_t left = 0;   // term index for kTerm, else first operand
    uint32_t right = 0;  // second operand of kAnd/kOr
  };
  friend class ScopeQueryParser;

  bool MatchNode(uint32_t node, const formats::PackageIdentity& identity,
                 std::string_view path) const;
  bool MatchTerm(const Term& term, const formats::PackageIdentity& identity,
                 std::string_view path) const;

  std::vector<Node> nodes_;
  std::vector<Term> terms_;
  uint32_t root_ = 0;
};

}  // namespace tollgate::policy
