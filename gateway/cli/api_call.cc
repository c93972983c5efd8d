// Building the method, target and JSON body of a verb from the verb table's rules.
#include "cli/api_call.h"

#include <cstdint>
#include <filesystem>
#include <map>

#include "absl/strings/numbers.h"
#include "boost/json/array.hpp"
#include "boost/json/object.hpp"
#include "boost/json/parse.hpp"
#include "boost/json/serialize.hpp"
#include "cli/api_url.h"
#include "tollgate/base/concat.h"

namespace tollgate::gateway::cli {
namespace json = boost::json;

namespace {

absl::Status BadValue(const OptionSpec& option, std::string_view expected) {
  return absl::InvalidArgumentError(Concat("--", option.name, ": expected ", expected));
}

absl::StatusOr<json::value> CountValue(const OptionSpec& option, const std::string& text) {
  if (text == "null") return nullptr;
  int64_t count = 0;
  if (!absl::SimpleAtoi(text, &count)) return BadValue(option, "a whole number or null");
  return count;
}

absl::StatusOr<json::value> GrantValue(const OptionSpec& option, std::string_view text) {
  const size_t first = text.find(':');
  const size_t last = text.rfind(':');
  if (first == std::string_view::npos || first == last || first == 0 || last + 1 == text.size() ||
      last == first + 1) {
    return BadValue(option, "KIND:NAME:PRIVILEGE such as team:ci:write");
  }
  return json::object{{"kind", text.substr(0, first)},
                      {"name", text.substr(first + 1, last - first - 1)},
                      {"privilege", text.substr(last + 1)}};
}

// The JSON value one body option contributes.
absl::StatusOr<json::value> BodyValue(const OptionSpec& option, const std::string& text) {
  switch (option.kind) {
    case OptionKind::kNullableText:
      if (text == "null") return nullptr;
      return json::string(text);
    case OptionKind::kCount:
      return CountValue(option, text);
    case OptionKind::kJson: {
      boost::system::error_code ec;
      json::value parsed = json::parse(text, ec);
      if (ec) return BadValue(option, "JSON");
      return parsed;
    }
    case OptionKind::kSetTrue:
      return true;
    case OptionKind::kSetFalse:
      return false;
    case OptionKind::kHttpStorage:
      return json::object{{"type", "http"}, {"url", text}};
    case OptionKind::kGrantList:
      return GrantValue(option, text);
    default:
      return json::string(text);
  }
}

class Builder {
 public:
  explicit Builder(const CommandLine& command) : command_(command), verb_(*command.verb) {}

  absl::StatusOr<ApiCall> Build() {
    ApiCall call{.method = std::string(verb_.method)};
    BindArguments(call);
    if (absl::Status s = ApplyOptions(); !s.ok()) return s;
    if (!call.upload_file.empty() && !placeholders_.contains("PATH")) {
      const std::string name = std::filesystem::path(call.upload_file).filename().string();
      if (name.empty()) {
        return absl::InvalidArgumentError("FILE names no file; give the stored path with --path");
      }
      placeholders_["PATH"] = EncodePath(name);
    }
    call.target = Concat("/api/v1", Expand(verb_.path), query_);
    if (grants_) {
      call.body = json::serialize(*grants_);
    } else if (!body_.empty()) {
      call.body = json::serialize(body_);
    }
    return call;
  }

 private:
  void BindArguments(ApiCall& call) {
    for (size_t i = 0; i < verb_.arguments.size(); ++i) {
      const ArgumentSpec& spec = verb_.arguments[i];
      const std::string& value = command_.arguments[i];
      switch (spec.kind) {
        case ArgumentKind::kOwnerRepo: {
          const size_t slash = value.find('/');
          placeholders_["OWNER"] = EncodeSegment(value.substr(0, slash));
          placeholders_["REPO"] = EncodeSegment(value.substr(slash + 1));
          break;
        }
        case ArgumentKind::kFile:
          call.upload_file = value;
          break;
        case ArgumentKind::kPath:
          placeholders_[std::string(spec.name)] = EncodePath(value);
          break;
        default:
          placeholders_[std::string(spec.name)] = EncodeSegment(value);
      }
    }
  }

  absl::Status ApplyOptions() {
    for (const auto& [option, value] : command_.options) {
      if (absl::Status s = Apply(*option, value); !s.ok()) return s;
    }
    for (const OptionSpec& option : verb_.options) {
      if (!option.default_value.empty() && !command_.Option(option.name)) {
        body_[FieldOf(option)] = option.default_value;
      }
      // A PUT of the whole list sends [] when no grant is given: that is the request.
      if (option.kind == OptionKind::kGrantList && !grants_) grants_.emplace();
    }
    return absl::OkStatus();
  }

  absl::Status Apply(const OptionSpec& option, const std::string& value) {
    const std::string field = FieldOf(option);
    switch (option.kind) {
      case OptionKind::kQuery:
        AddQuery(field, value);
        return absl::OkStatus();
      case OptionKind::kQueryTrue:
        AddQuery(field, "true");
        return absl::OkStatus();
      case OptionKind::kUploadPath:
        placeholders_["PATH"] = EncodePath(value);
        return absl::OkStatus();
      default:
        break;
    }
    absl::StatusOr<json::value> converted = BodyValue(option, value);
    if (!converted.ok()) return converted.status();
    if (option.kind == OptionKind::kGrantList) {
      if (!grants_) grants_.emplace();
      grants_->push_back(*std::move(converted));
    } else if (option.kind == OptionKind::kTextList) {
      json::value& list = body_[field];
      if (!list.is_array()) list = json::array();
      list.as_array().push_back(*std::move(converted));
    } else {
      body_[field] = *std::move(converted);
    }
    return absl::OkStatus();
  }

  void AddQuery(std::string_view name, std::string_view value) {
    AppendTo(query_, query_.empty() ? "?" : "&", EncodeSegment(name), "=", EncodeSegment(value));
  }

  // The verb's path with each {NAME} replaced by its encoded value (the verb table's tests
  // check that every placeholder has an argument).
  std::string Expand(std::string_view path) const {
    std::string out;
    for (size_t start = 0;;) {
      const size_t open = path.find('{', start);
      const size_t close = path.find('}', open);
      if (close == std::string_view::npos) return out.append(path.substr(start));
      out.append(path.substr(start, open - start));
      const auto value = placeholders_.find(std::string(path.substr(open + 1, close - open - 1)));
      out.append(value != placeholders_.end() ? std::string_view(value->second)
                                              : path.substr(open, close + 1 - open));
      start = close + 1;
    }
  }

  const CommandLine& command_;
  const VerbSpec& verb_;
  std::map<std::string, std::string> placeholders_;
  std::string query_;
  json::object body_;
  std::optional<json::array> grants_;
};

}  // namespace

absl::StatusOr<ApiCall> BuildApiCall(const CommandLine& command) {
  return Builder(command).Build();
}

}  // namespace tollgate::gateway::cli
