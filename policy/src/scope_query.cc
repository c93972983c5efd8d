// Matching a compiled scope query against one artifact.
#include "tollgate/policy/scope_query.h"

#include "tollgate/formats/registry.h"
#include "wildcard.h"

namespace tollgate::policy {

using formats::CompareVersions;
using formats::PackageFormatName;
using formats::PackageIdentity;

namespace {

std::string_view FileName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool ScopeQuery::Matches(const PackageIdentity& identity, std::string_view path) const {
  return !nodes_.empty() && MatchNode(root_, identity, path);
}

bool ScopeQuery::MatchNode(uint32_t index, const PackageIdentity& identity,
                           std::string_view path) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Node::Kind::kTerm:
      return MatchTerm(terms_[node.left], identity, path);
    case Node::Kind::kAnd:
      return MatchNode(node.left, identity, path) && MatchNode(node.right, identity, path);
    case Node::Kind::kOr:
      return MatchNode(node.left, identity, path) || MatchNode(node.right, identity, path);
    case Node::Kind::kNot:
      return !MatchNode(node.left, identity, path);
  }
  return false;
}

bool ScopeQuery::MatchTerm(const Term& term, const PackageIdentity& identity,
                           std::string_view path) const {
  std::string_view subject;
  switch (term.field) {
    case Field::kName:
      subject = identity.name;
      break;
    case Field::kVersion:
      subject = identity.version;
      break;
    case Field::kFormat:
      subject = PackageFormatName(identity.format);
      break;
    case Field::kFilename:
      subject = FileName(path);
      break;
    case Field::kPath:
      subject = path;
      break;
    case Field::kArchitecture:
      subject = identity.architecture;
      break;
    case Field::kGroup:
      subject = identity.group;
      break;
  }
  const bool is_version = term.field == Field::kVersion;
  // Paths are case-sensitive like the filesystem; names and the rest are not (PyPI, npm and
  // Maven users type them in any case).
  const auto equal = [&]() {
    if (term.has_wildcards) {
      return term.field == Field::kPath ? PathPatternMatch(term.value, subject)
                                        : WildcardMatch(term.value, subject, true);
    }
    if (is_version)
      return !subject.empty() && CompareVersions(identity.format, subject, term.value) == 0;
    return term.field == Field::kPath ? subject == term.value : EqualsFolded(subject, term.value);
  };
  // Ordering compares versions in the artifact's own format; other fields in natural order
  // (the raw format's).
  const auto compare = [&]() {
    return CompareVersions(is_version ? identity.format : formats::PackageFormat::kRaw, subject,
                           term.value);
  };
  // A file without a version (raw) is never inside a version range.
  if (is_version && subject.empty() && term.op != Op::kNe && term.op != Op::kEq) return false;
  switch (term.op) {
    case Op::kEq:
      return equal();
    case Op::kNe:
      return !equal();
    case Op::kGt:
      return compare() > 0;
    case Op::kGe:
      return compare() >= 0;
    case Op::kLt:
      return compare() < 0;
    case Op::kLe:
      return compare() <= 0;
    case Op::kContains:
      return ContainsFolded(subject, term.value);
    case Op::kCompatible:
      return compare() >= 0 && CompareVersions(identity.format, subject, term.upper_bound) < 0;
  }
  return false;
}

}  // namespace tollgate::policy
