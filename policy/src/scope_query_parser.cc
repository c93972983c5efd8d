// Recursive-descent parser for SPEC §5.1 queries. Positions in errors count characters
// from 1, so "position 7" points at the seventh character of the text the user typed.
#include <array>
#include <cctype>
#include <utility>

#include "tollgate/base/concat.h"
#include "tollgate/policy/scope_query.h"

namespace tollgate::policy {
namespace {

using Field = ScopeQuery::Field;
using Op = ScopeQuery::Op;

// A query is admin input stored on a token; bound it so matching stays cheap.
constexpr size_t kMaxQueryLength = 4096;
constexpr int kMaxNesting = 32;

constexpr std::array<std::pair<std::string_view, Field>, 7> kFields{{
    {"name", Field::kName},
    {"version", Field::kVersion},
    {"format", Field::kFormat},
    {"filename", Field::kFilename},
    {"path", Field::kPath},
    {"architecture", Field::kArchitecture},
    {"group", Field::kGroup},
}};

// Longest spellings first so ">=" is not read as ">".
constexpr std::array<std::pair<std::string_view, Op>, 8> kOps{{
    {"~=", Op::kCompatible},
    {">=", Op::kGe},
    {"<=", Op::kLe},
    {"!=", Op::kNe},
    {"=", Op::kEq},
    {">", Op::kGt},
    {"<", Op::kLt},
    {"~", Op::kContains},
}};

// Keywords and field names are case-insensitive.
bool IsKeyword(std::string_view word, std::string_view keyword) {
  if (word.size() != keyword.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(word[i])) !=
        std::toupper(static_cast<unsigned char>(keyword[i]))) {
      return false;
    }
  }
  return true;
}

bool IsWordChar(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')' && c != '"';
}

// "2.1" → "3", "2.1.3" → "2.2": the release after the compatible range of PEP 440's `~=`,
// used for every format. Empty when `version` has fewer than two numeric components.
std::string CompatibleUpperBound(std::string_view version) {
  std::array<std::string_view, 16> parts{};
  size_t count = 0;
  size_t start = 0;
  while (start <= version.size() && count < parts.size()) {
    size_t end = start;
    while (end < version.size() && std::isdigit(static_cast<unsigned char>(version[end]))) ++end;
    if (end == start) break;
    parts[count++] = version.substr(start, end - start);
    if (end >= version.size() || version[end] != '.') break;
    start = end + 1;
  }
  if (count < 2) return {};
  std::string bound;
  for (size_t i = 0; i + 1 < count; ++i) {
    if (i + 2 < count) {
      AppendTo(bound, parts[i], '.');
      continue;
    }
    // Increment the last kept component as a decimal string, so huge numbers cannot overflow.
    std::string number(parts[i]);
    int position = static_cast<int>(number.size()) - 1;
    while (position >= 0 && number[static_cast<size_t>(position)] == '9') {
      number[static_cast<size_t>(position--)] = '0';
    }
    if (position < 0) {
      number.insert(number.begin(), '1');
    } else {
      ++number[static_cast<size_t>(position)];
    }
    bound += number;
  }
  return bound;
}

}  // namespace

class ScopeQueryParser {
 public:
  ScopeQueryParser(std::string_view text, QueryKind kind) : text_(text), kind_(kind) {}

  absl::StatusOr<ScopeQuery> Parse() {
    if (text_.size() > kMaxQueryLength) {
      return absl::InvalidArgumentError(Concat("longer than ", kMaxQueryLength, " characters"));
    }
    SkipSpace();
    if (pos_ == text_.size()) return Fail("the query is empty");
    absl::StatusOr<uint32_t> root = ParseOr(0);
    if (!root.ok()) return root.status();
    SkipSpace();
    if (pos_ < text_.size()) {
      return Fail(text_[pos_] == ')' ? "unbalanced ')'" : "expected AND, OR or the end");
    }
    query_.root_ = *root;
    return std::move(query_);
  }

 private:
  using Node = ScopeQuery::Node;

  absl::Status Fail(std::string_view why) const { return FailAt(pos_, why); }
  absl::Status FailAt(size_t at, std::string_view why) const {
    return absl::InvalidArgumentError(Concat("position ", at + 1, ": ", why));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  // The bare word at the cursor, without consuming it.
  std::string_view PeekWord() const {
    size_t end = pos_;
    while (end < text_.size() && IsWordChar(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }

  uint32_t Add(Node node) {
    query_.nodes_.push_back(node);
    return static_cast<uint32_t>(query_.nodes_.size() - 1);
  }

  absl::StatusOr<uint32_t> ParseOr(int depth) {
    absl::StatusOr<uint32_t> left = ParseAnd(depth);
    if (!left.ok()) return left;
    for (;;) {
      SkipSpace();
      if (!IsKeyword(PeekWord(), "OR")) return left;
      pos_ += 2;
      absl::StatusOr<uint32_t> right = ParseAnd(depth);
      if (!right.ok()) return right;
      left = Add(Node{Node::Kind::kOr, *left, *right});
    }
  }

  absl::StatusOr<uint32_t> ParseAnd(int depth) {
    absl::StatusOr<uint32_t> left = ParseUnary(depth);
    if (!left.ok()) return left;
    for (;;) {
      SkipSpace();
      if (pos_ == text_.size() || text_[pos_] == ')') return left;
      const std::string_view word = PeekWord();
      if (IsKeyword(word, "OR")) return left;
      if (IsKeyword(word, "AND")) pos_ += 3;  // otherwise: implicit AND
      absl::StatusOr<uint32_t> right = ParseUnary(depth);
      if (!right.ok()) return right;
      left = Add(Node{Node::Kind::kAnd, *left, *right});
    }
  }

  absl::StatusOr<uint32_t> ParseUnary(int depth) {
    if (depth > kMaxNesting) return Fail("nested too deeply");
    SkipSpace();
    if (pos_ == text_.size()) return Fail("expected a term");
    if (IsKeyword(PeekWord(), "NOT")) {
      pos_ += 3;
      absl::StatusOr<uint32_t> operand = ParseUnary(depth + 1);
      if (!operand.ok()) return operand;
      return Add(Node{Node::Kind::kNot, *operand, 0});
    }
    if (text_[pos_] == '(') {
      const size_t open = pos_++;
      absl::StatusOr<uint32_t> inner = ParseOr(depth + 1);
      if (!inner.ok()) return inner;
      SkipSpace();
      if (pos_ == text_.size() || text_[pos_] != ')') return FailAt(open, "unclosed '('");
      ++pos_;
      return inner;
    }
    if (text_[pos_] == ')') return Fail("expected a term before ')'");
    const std::string_view word = PeekWord();
    if (IsKeyword(word, "AND") || IsKeyword(word, "OR")) {
      return Fail(Concat("expected a term before '", word, "'"));
    }
    return ParseTerm();
  }

  absl::StatusOr<uint32_t> ParseTerm() {
    const size_t start = pos_;
    ScopeQuery::Term term;
    term.field = kind_ == QueryKind::kPath ? Field::kPath : Field::kName;
    term.op = Op::kEq;
    // An explicit field is a known name followed by ':'; other words with a ':' (such as a
    // Debian epoch "1:2.0") are values, unless they look like a misspelt field.
    const std::string_view word = PeekWord();
    if (const size_t colon = word.find(':'); colon != std::string_view::npos) {
      const std::string_view prefix = word.substr(0, colon);
      bool known = false;
      for (const auto& [name, field] : kFields) {
        if (IsKeyword(prefix, name)) {
          term.field = field;
          known = true;
        }
      }
      const bool identifier =
          !prefix.empty() && std::isalpha(static_cast<unsigned char>(prefix[0]));
      if (!known && identifier) return FailAt(start, Concat("unknown field '", prefix, "'"));
      if (known) pos_ += colon + 1;
    }
    for (const auto& [spelling, op] : kOps) {
      if (text_.substr(pos_, spelling.size()) == spelling) {
        term.op = op;
        pos_ += spelling.size();
        break;
      }
    }
    const size_t value_start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      // A quoted value is literal: spaces allowed, '*' and '?' are plain characters.
      const size_t close = text_.find('"', pos_ + 1);
      if (close == std::string_view::npos) return Fail("unclosed '\"'");
      term.value = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
    } else {
      term.value = std::string(PeekWord());
      pos_ += term.value.size();
      term.has_wildcards = term.value.find_first_of("*?") != std::string::npos;
    }
    if (term.value.empty()) return FailAt(value_start, "expected a value");
    if (term.op == Op::kCompatible) {
      if (term.field != Field::kVersion) {
        return FailAt(start, "'~=' works on version only");
      }
      term.upper_bound = CompatibleUpperBound(term.value);
      if (term.upper_bound.empty()) {
        return FailAt(value_start, "'~=' needs a version with at least two numbers, like 2.1");
      }
    }
    const bool ordering = term.op == Op::kGt || term.op == Op::kGe || term.op == Op::kLt ||
                          term.op == Op::kLe || term.op == Op::kCompatible;
    if (ordering && term.has_wildcards) {
      return FailAt(value_start, "wildcards only work with '=', '!=' or no operator");
    }
    query_.terms_.push_back(std::move(term));
    return Add(Node{Node::Kind::kTerm, static_cast<uint32_t>(query_.terms_.size() - 1), 0});
  }

  std::string_view text_;
  QueryKind kind_;
  size_t pos_ = 0;
  ScopeQuery query_;
};

absl::StatusOr<ScopeQuery> ScopeQuery::Compile(std::string_view text, QueryKind kind) {
  return ScopeQueryParser(text, kind).Parse();
}

}  // namespace tollgate::policy
