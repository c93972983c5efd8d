// The client verbs end to end: parse, build the request, exchange, report.
#include "cli/client_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "absl/strings/numbers.h"
#include "boost/json/parse.hpp"
#include "cli/api_call.h"
#include "cli/api_url.h"
#include "cli/command_line.h"
#include "cli/help_text.h"
#include "cli/http_exchange.h"
#include "cli/table_output.h"
#include "tollgate/base/concat.h"
#include "tollgate/storage/sha256.h"

namespace tollgate::gateway::cli {
namespace json = boost::json;

namespace {

constexpr std::string_view kDefaultApi = "http://127.0.0.1:8081";
constexpr std::chrono::seconds kStepTimeout{60};
constexpr int kFailed = 1;
constexpr int kUsageError = 2;

std::optional<std::string> FromEnvironment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// The local file of an upload, open, with the X-Checksum-Sha256 of its content (a first pass
// over the file; the second one streams it).
absl::StatusOr<storage::ArtifactFile> OpenUpload(const std::string& path, std::string& sha256) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError(Concat("cannot open ", path, ": ", std::strerror(errno)));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(Concat(path, " is not a regular file"));
  }
  storage::ArtifactFile file(fd, static_cast<uint64_t>(info.st_size),
                             absl::FromTimeT(info.st_mtime));
  absl::StatusOr<std::string> digest = storage::Sha256OfFile(file.fd());
  if (!digest.ok()) {
    return absl::InternalError(
        Concat("cannot read ", path, ": ", ToStd(digest.status().message())));
  }
  sha256 = *std::move(digest);
  return file;
}

// "DETAIL (CODE, HTTP STATUS)" from an error answer; the status alone when it has no JSON
// error body.
std::string DescribeError(const ClientResponse& response) {
  boost::system::error_code ec;
  const json::value body = json::parse(response.body, ec);
  const json::object* object = ec ? nullptr : body.if_object();
  const json::value* code = object ? object->if_contains("code") : nullptr;
  const json::value* detail = object ? object->if_contains("detail") : nullptr;
  if (code != nullptr && code->is_string() && detail != nullptr && detail->is_string()) {
    return Concat(std::string_view(detail->as_string()), " (", std::string_view(code->as_string()),
                  ", HTTP ", response.status, ")");
  }
  return Concat("the API answered HTTP ", response.status, " without an error body");
}

// Prints a successful answer; a note on `err` when a list has more pages.
void Print(const CommandLine& command, const ClientResponse& response, std::ostream& out,
           std::ostream& err) {
  if (command.output == OutputFormat::kJson) {
    out << response.body;
    if (!response.body.empty() && response.body.back() != '\n') out << '\n';
    return;
  }
  if (response.body.empty()) {
    out << "done\n";  // 204: deleted, removed
    return;
  }
  boost::system::error_code ec;
  const json::value answer = json::parse(response.body, ec);
  if (ec) {
    out << response.body << '\n';
    return;
  }
  out << RenderTable(answer, command.verb->columns);
  size_t total = 0;
  if (answer.is_array() && absl::SimpleAtoi(response.Header("X-Total-Count"), &total) &&
      total > answer.as_array().size()) {
    err << answer.as_array().size() << " of " << total
        << " shown; see the others with --page and --page-size\n";
  }
}

int UsageError(std::string_view message, const std::string& usage, std::ostream& err) {
  err << "error: " << message << '\n' << usage;
  return kUsageError;
}

// Builds the request of a parsed, non-help command, sends it and reports the answer.
int CallApi(const CommandLine& command, std::ostream& out, std::ostream& err) {
  const std::string usage = VerbUsage(*command.verb);
  absl::StatusOr<ApiCall> call = BuildApiCall(command);
  if (!call.ok()) return UsageError(ToStd(call.status().message()), usage, err);
  const std::string api =
      command.api.value_or(FromEnvironment("TOLLGATE_API").value_or(std::string(kDefaultApi)));
  absl::StatusOr<ApiUrl> url = ParseApiUrl(api);
  if (!url.ok()) return UsageError(ToStd(url.status().message()), usage, err);

  ClientRequest request{
      .method = call->method, .target = Concat(url->base_path, call->target), .body = call->body};
  if (std::optional<std::string> key =
          command.api_key ? command.api_key : FromEnvironment("TOLLGATE_API_KEY")) {
    request.headers.emplace_back("X-Api-Key", *key);
  }
  std::optional<storage::ArtifactFile> upload;
  if (!call->upload_file.empty()) {
    std::string sha256;
    absl::StatusOr<storage::ArtifactFile> opened = OpenUpload(call->upload_file, sha256);
    if (!opened.ok()) {
      err << "error: " << ToStd(opened.status().message()) << '\n';
      return kFailed;
    }
    upload.emplace(*std::move(opened));
    request.upload = &*upload;
    request.headers.emplace_back("X-Checksum-Sha256", sha256);
  }
  const std::string cacert =
      command.cacert.value_or(FromEnvironment("TOLLGATE_CACERT").value_or(std::string()));
  absl::StatusOr<ClientResponse> response = Exchange(*url, cacert, request, kStepTimeout);
  if (!response.ok()) {
    err << "error: " << ToStd(response.status().message()) << '\n';
    return kFailed;
  }
  if (response->status < 200 || response->status >= 300) {
    err << "error: " << DescribeError(*response) << '\n';
    return kFailed;
  }
  Print(command, *response, out, err);
  return 0;
}

}  // namespace

bool IsClientGroup(std::string_view command) { return FindGroup(command) != nullptr; }

int RunClient(std::string_view group_name, const std::vector<std::string>& words, std::ostream& out,
              std::ostream& err) {
  const GroupSpec* group = FindGroup(group_name);
  if (group == nullptr) return UsageError("unknown command", ClientUsageLines(), err);
  absl::StatusOr<CommandLine> command = ParseCommandLine(group->name, words);
  if (!command.ok()) {
    // The verb's usage when the verb was understood, else the group's verbs.
    const VerbSpec* verb = nullptr;
    for (const std::string& word : words) {
      if ((verb = FindVerb(group->name, word)) != nullptr) break;
    }
    return UsageError(ToStd(command.status().message()),
                      verb != nullptr ? VerbUsage(*verb) : GroupUsage(*group), err);
  }
  if (command->help) {
    out << (command->verb != nullptr ? VerbHelp(*command->verb) : GroupHelp(*group));
    return 0;
  }
  return CallApi(*command, out, err);
}

}  // namespace tollgate::gateway::cli
