// Scripts by digest: the SHA-1 is computed here, so no SCRIPT LOAD round trip is needed.
//
// Sha1HexDigits runs on every counted download. OpenSSL 3's one-shot SHA1 allocates a digest
// context per call; the low-level interface, deprecated in favour of EVP but kept, has a plain
// struct for a state.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "redis_script.h"

#include <openssl/sha.h>

#include "tollgate/base/concat.h"
#include "tollgate/base/hex.h"

namespace tollgate::storage {
namespace {

// Redis answers EVALSHA of an unknown digest with this error; the script cache empties on
// restart and failover.
bool IsNoScript(const absl::StatusOr<RedisReply>& reply) {
  return reply.ok() && reply->is_error() && reply->str.starts_with("NOSCRIPT");
}

}  // namespace

std::array<char, 40> Sha1HexDigits(std::initializer_list<std::string_view> parts) {
  SHA_CTX state;
  SHA1_Init(&state);
  for (const std::string_view part : parts) SHA1_Update(&state, part.data(), part.size());
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1_Final(digest, &state);
  std::array<char, 40> hex;
  WriteHex(digest, sizeof digest, hex.data());
  return hex;
}

std::string Sha1Hex(std::string_view text) {
  const std::array<char, 40> hex = Sha1HexDigits({text});
  return std::string(hex.data(), hex.size());
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
  const ScriptArguments key_arguments(keys);
  const ScriptArguments arguments(args);
  co_return co_await Run(client, key_arguments, arguments);
}

boost::asio::awaitable<absl::StatusOr<RedisReply>> RedisScript::Run(
    RedisAsyncClient& client, const ScriptArguments& keys, const ScriptArguments& args) const {
  const std::string key_count = Concat(keys.size());
  std::vector<std::string_view> command = {"EVALSHA", sha1_, key_count};
  command.reserve(command.size() + keys.size() + args.size());
  keys.AppendViewsTo(command);
  args.AppendViewsTo(command);
  absl::StatusOr<RedisReply> reply = co_await client.CommandOfViews(command);
  if (IsNoScript(reply)) {
    command[0] = "EVAL";
    command[1] = source_;
    reply = co_await client.CommandOfViews(std::move(command));
  }
  co_return reply;
}

}  // namespace tollgate::storage
