// Scripts by digest: the SHA-1 is computed here, so no SCRIPT LOAD round trip is needed.
#include "redis_script.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "tollgate/base/concat.h"

namespace tollgate::storage {
namespace {

// Redis answers EVALSHA of an unknown digest with this error; the script cache empties on
// restart and failover.
bool IsNoScript(const absl::StatusOr<RedisReply>& reply) {
  return reply.ok() && reply->is_error() && reply->str.starts_with("NOSCRIPT");
}

}  // namespace

std::string Sha1Hex(std::string_view text) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

RedisScript::RedisScript(std::string_view source) : source_(source), sha1_(Sha1Hex(source)) {}

std::vector<std::string> RedisScript::EvalSha(const std::vector<std::string>& keys,
                                              const std::vector<std::string>& args) const {
  std::vector<std::string> command;
  command.reserve(3 + keys.size() + args.size());
  command.push_back("EVALSHA");
  command.push_back(sha1_);
  command.push_back(Concat(keys.size()));
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

void RedisScript::SendWhole(std::vector<std::string>& command) const {
  command[0] = "EVAL";
  command[1] = source_;
}

absl::StatusOr<RedisReply> RedisScript::Run(RedisSyncClient& client,
                                            const std::vector<std::string>& keys,
                                            const std::vector<std::string>& args) const {
  std::vector<std::string> command = EvalSha(keys, args);
  absl::StatusOr<RedisReply> reply = client.Command(command);
  if (IsNoScript(reply)) {
    SendWhole(command);
    reply = client.Command(command);
  }
  return reply;
}

boost::asio::awaitable<absl::StatusOr<RedisReply>> RedisScript::Run(
    RedisAsyncClient& client, std::vector<std::string> keys, std::vector<std::string> args) const {
  std::vector<std::string> command = EvalSha(keys, args);
  absl::StatusOr<RedisReply> reply = co_await client.Command(command);
  if (IsNoScript(reply)) {
    SendWhole(command);
    reply = co_await client.Command(std::move(command));
  }
  co_return reply;
}

}  // namespace tollgate::storage
