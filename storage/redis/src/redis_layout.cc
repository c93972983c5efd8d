// The change log's writing side, and parsing the change messages the Redis stores append to it.
#include "redis_layout.h"

namespace tollgate::storage::redis_layout {
namespace {

struct KindName {
  std::string_view name;
  ChangeKind kind;
  size_t arity;
};

constexpr KindName kKinds[] = {
    {"dir", ChangeKind::kDirectory, 1},
    {"repo", ChangeKind::kRepository, 2},
    {"ent", ChangeKind::kEntitlement, 1},
};

}  // namespace

std::string WithChangeLog(std::string_view body) {
  return Concat("local function append_change(log, message)\n",
                "  redis.call('XADD', log, 'MAXLEN', '~', '", kChangeLogMaxLength, "', '*', '",
                kChangeField, "', message)\n", "end\n", body);
}

std::optional<Change> ParseChange(std::string_view message) {
  std::vector<std::string> words;
  while (!message.empty()) {
    const size_t space = message.find(' ');
    words.emplace_back(message.substr(0, space));
    if (space == std::string_view::npos) break;
    message.remove_prefix(space + 1);
  }
  if (words.empty()) return std::nullopt;
  for (const KindName& kind : kKinds) {
    if (words.front() != kind.name) continue;
    if (words.size() != kind.arity + 1) return std::nullopt;
    words.erase(words.begin());
    return Change{kind.kind, std::move(words)};
  }
  return std::nullopt;
}

}  // namespace tollgate::storage::redis_layout
